/**
 * Hand-written word lists that steer place recognition in informal Indonesian text: the prefixes
 * that announce an administrative level, popular aliases, and the common words that must not be
 * read as place names on their own. All entries are already normalised (see normalize.ts).
 */

/** What an administrative prefix in the text tells us about the name that follows. */
export type PrefixKind = 'province' | 'kabupaten' | 'kota' | 'district' | 'village';

/**
 * Prefix words (possibly two tokens) mapped to the level they announce. A prefix normally lifts the
 * common-word stoplist ("Desa Baru" is a real desa); `everydayWord` prefixes do not. Dots are not tokens, so
 * "Kab." and "kab" are the same entry. Two-token prefixes are listed first per head word so the
 * matcher can try the longer form before the shorter one.
 */
export const PREFIXES: ReadonlyArray<
  readonly [tokens: readonly string[], kind: PrefixKind, options?: { everydayWord: true }]
> = [
  [['provinsi'], 'province'],
  [['propinsi'], 'province'],
  [['prov'], 'province'],
  [['prop'], 'province'],
  [['kabupaten', 'administrasi'], 'kabupaten'],
  [['kab', 'adm'], 'kabupaten'],
  [['kabupaten'], 'kabupaten'],
  [['kabupatan'], 'kabupaten'],
  [['kab'], 'kabupaten'],
  [['kota', 'administrasi'], 'kota'],
  [['kota', 'adm'], 'kota'],
  [['kota'], 'kota'],
  [['kodya'], 'kota'],
  [['kotamadya'], 'kota'],
  [['kecamatan'], 'district'],
  [['kecamtan'], 'district'],
  [['kec'], 'district'],
  [['kcmtn'], 'district'],
  // Papuan provinces call their kecamatan "distrik".
  [['distrik'], 'district'],
  [['desa'], 'village'],
  [['ds'], 'village'],
  [['kelurahan'], 'village'],
  [['kel'], 'village'],
  [['kalurahan'], 'village'],
  // Regional words for desa: kampung (Papua, Kalimantan), nagari (Sumbar), gampong (Aceh), pekon (Lampung).
  // "kampung" is also the everyday word for one's neighbourhood ("kampung nelayan"), so the name
  // after it must still pass the common-word check.
  [['kampung'], 'village', { everydayWord: true }],
  [['nagari'], 'village'],
  [['gampong'], 'village'],
  [['pekon'], 'village'],
];

/**
 * Informal names and abbreviations mapped to Kemendagri codes. A key may map to a province and a
 * city inside it ("jogja"): unprefixed it resolves to the province, "kota jogja" to the city.
 */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  nad: ['11'],
  'nanggroe aceh darussalam': ['11'],
  sumut: ['12'],
  sumbar: ['13'],
  sumsel: ['16'],
  babel: ['19'],
  'bangka belitung': ['19'],
  kepri: ['21'],
  dki: ['31'],
  'dki jakarta': ['31'],
  'dki jkt': ['31'],
  jakarta: ['31'],
  jkt: ['31'],
  'jakarta raya': ['31'],
  jabar: ['32'],
  jateng: ['33'],
  diy: ['34'],
  'di yogyakarta': ['34'],
  'd i yogyakarta': ['34'],
  yogyakarta: ['34', '34.71'],
  jogjakarta: ['34', '34.71'],
  jogja: ['34', '34.71'],
  yogya: ['34', '34.71'],
  jogya: ['34', '34.71'],
  djogja: ['34', '34.71'],
  jatim: ['35'],
  ntb: ['52'],
  ntt: ['53'],
  kalbar: ['61'],
  kalteng: ['62'],
  kalsel: ['63'],
  kaltim: ['64'],
  kaltara: ['65'],
  sulut: ['71'],
  sulteng: ['72'],
  sulsel: ['73'],
  sultra: ['74'],
  sulbar: ['76'],
  malut: ['82'],
  pabar: ['92'],
  jakpus: ['31.71'],
  jakut: ['31.72'],
  jakbar: ['31.73'],
  jaksel: ['31.74'],
  jaktim: ['31.75'],
  'pulau seribu': ['31.01'],
  kbb: ['32.17'],
  solo: ['33.72'],
  purwokerto: ['33.02'],
  tangsel: ['36.74'],
  // Common misspelling; Kec. Makasar in East Jakarta stays reachable with a prefix.
  makasar: ['73.71'],
};

/**
 * Words that never name a place by themselves, even after a prefix ("desa kami", "kota ini").
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `saya aku gue gw kami kita kamu anda dia ia mereka beliau ini itu sini situ sana tersebut tsb yang yg
  dan atau di ke dari pada untuk utk buat dengan dgn oleh juga sudah sdh udah blm belum tidak tdk gak ga
  nggak enggak ngga tak bukan ada akan bisa mohon tolong sangat banget sekali lagi masih hanya cuma saja
  aja sih dong deh kok ya nya kalau kalo jika karena krn karna sejak sampai hingga sampe setiap tiap
  semua para setempat dll dsb dst hal apa siapa mana kapan bagaimana gimana kenapa mengapa berapa kah
  lah pun se per agar supaya namun tapi tetapi serta bagi antara sekitar sekitarnya dekat minta meminta
  butuh perlu ingin mau harus punya dapat jadi kena sebelah lain sendiri tetangga induk terdekat terpencil
  tertinggal wisata`.split(/\s+/),
);

/**
 * Everyday words that are also the names of some kecamatan, desa or kabupaten ("Baru", "Jaya",
 * "Tanjung", "Batu"). Without a prefix ("kec.", "desa", "kota") such a word is read as the word,
 * because in complaint text it almost always is. Multi-word names made only of these words
 * ("Kota Baru", "Sungai Penuh") are treated the same way. Big-city names that are also words
 * (Malang, Medan, Padang) are deliberately absent: losing them would hurt more than the rare
 * misreading.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `
  utara selatan timur barat tengah pusat atas bawah hulu hilir ilir kanan kiri depan belakang samping
  dalam luar pinggir ujung pangkal seberang sebrang lor kidul wetan kulon kaler girang kota kabupaten
  provinsi negara negeri daerah wilayah kawasan lokasi tempat alamat
  baru lama besar kecil panjang pendek tinggi rendah jauh luas sempit indah bagus baik buruk rusak
  parah jaya maju makmur mulia sejahtera sentosa damai aman subur sakti setia mekar mandiri merdeka raya
  agung sari asri permai lestari harapan bahagia bersatu bersama sepakat karya bakti abadi murni sehat
  tetap selesai penuh kosong gelap terang hitam putih merah hijau kuning biru mati hidup kotor bersih
  licin kering basah padat ramai sepi sunyi tua muda terus lurus datar curam dangkal tebal tipis lebat
  banyak sedikit penting darurat murah mahal miskin kaya lancar jelek mulus halus keras sakit senang
  susah sulit mudah gampang cepat lambat pelan indah sejuk panas dingin asin manis pahit wangi harum
  jalan jalanan jl jln gang gg lorong jembatan titian gorong selokan got parit kali sungai kanal irigasi
  saluran bendungan waduk danau telaga situ kolam empang tambak sawah ladang kebun kebon hutan rimba
  gunung bukit puncak lembah pantai laut teluk tanjung pulau selat muara rawa tanah batu pasir lumpur
  debu air api angin hujan banjir longsor gempa kabut asap lampu listrik tiang kabel pipa meteran pln
  pdam sampah limbah bau busuk pasar toko warung kios ruko mall terminal stasiun halte bandara pelabuhan
  dermaga kantor balai gedung rumah sekolah kampus masjid musholla mushola langgar gereja pura vihara
  klenteng candi makam kuburan taman lapangan lapang alun stadion pos puskesmas posyandu apotek klinik
  bank pabrik gudang tambang perumahan komplek kompleks perum asrama rusun hotel penginapan kos kost
  kontrakan panti pesantren pondok madrasah kelas benteng tugu monumen menara gapura pagar tembok atap
  lantai pintu jendela dinding sumur kamar dapur halaman teras parkir parkiran trotoar simpang
  perempatan pertigaan bundaran tikungan tanjakan turunan portal palang lubang genangan bandar
  mobil motor truk bus bis angkot ojek ojol becak kereta kapal perahu sepeda pesawat sedan
  pohon kayu daun bunga rumput kembang akar batang dahan ranting bambu kelapa pisang mangga jambu
  rambutan durian manggis nangka salak sawo jeruk nanas pepaya belimbing delima pinang sawit karet kopi
  teh cengkeh tebu padi beras jagung kedelai kacang singkong ubi talas bawang cabai cabe tomat kangkung
  bayam sayur buah kapas pandan melati mawar anggrek cempaka kenanga beringin jati mahoni meranti cemara
  gajah harimau kerbau sapi kambing ayam bebek itik ikan udang kepiting burung anjing kucing tikus ular
  buaya monyet kuda babi nyamuk lalat rayap semut lebah
  orang warga masyarakat penduduk rakyat anak ayah ibu bapak kakek nenek paman bibi adik kakak abang
  teman tetangga pacar suami istri keluarga guru murid siswa dokter bidan perawat polisi tentara
  petugas pegawai pejabat lurah camat bupati walikota gubernur presiden menteri kepala ketua rt rw
  dusun dukuh banjar lingkungan dukun raja ratu putra putri pangeran sultan haji kyai ustadz pendeta
  hari minggu bulan tahun pagi siang sore malam petang subuh kemarin besok lusa sekarang tadi nanti
  senin selasa rabu kamis jumat sabtu ahad januari februari maret april mei juni juli agustus september
  oktober november nopember desember jam menit detik lebaran natal puasa ramadan
  satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas puluh ratus ribu juta seratus
  seribu sejuta pertama kedua ketiga
  pemerintah pemda pemkot pemkab dinas layanan pelayanan bantuan bansos ktp kk akta sim stnk bpjs pajak
  retribusi izin surat data online aplikasi sinyal internet telepon jaringan
  buat bikin minta bayar beli jual pakai pake tunggu urus lapor tanya jawab datang pergi pulang lewat
  masuk keluar naik turun jatuh tumbang roboh runtuh hancur putus patah bocor mampet macet mogok hilang
  curi tarik dorong potong tebang bakar buang angkut ambil kirim tutup buka bangun tambal gali cor aspal
  beton semen pasang cabut ganti cek periksa sumbang pungut pungli suruh butuh perlu ingin mau harap
  bantu lihat dengar tahu kenal teriak marah takut kasihan capek lelah susut waris tulis baca lirik
  main kerja lembur libur tidur makan minum mandi cuci masak
  uang rupiah harga biaya gaji upah modal utang hutang kredit barang benda alat mesin besi baja kaca
  plastik kertas kain emas perak intan permata mutiara berlian tembaga minyak gas bensin solar kompor
  tabung bola payung paku parang pisau golok senjata bom petir guntur bintang matahari langit awan
  pelangi embun cahaya sinar suara bunyi lagu musik tari wayang budaya adat agama islam kristen katolik
  hindu budha buddha cina china jawa sunda batak melayu bugis dayak arab belanda jepang inggris amerika
  salam selamat terima kasih makasih halo hai permisi maaf metro buru bumi alam dunia
  alas bantaran bara bareng bambang benua bulu gabus gading gambut gantung geger genteng jangkar kebo
  kemiri kilo kubu kudu lembar limau lumbung lumut mandor pancur panggang pekat pendopo periuk pucuk
  puri rakit rantau sanggar sarang sendang sukun sumber tanggul tebing tempel kedondong pakis
  kerajaan harian kedamaian tahunan pangkalan batuan nelayan petani pedagang buruh tumpang
  `
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/**
 * Names made only of common words that are nevertheless well known as places and safe to accept
 * without a prefix.
 */
export const COMMON_NAME_EXCEPTIONS: ReadonlySet<string> = new Set([
  // Kabupaten/kota
  'lima puluh kota',
  'pangkal pinang',
  'tanjung pinang',
  'pagar alam',
  'pulang pisau',
  'hulu sungai selatan',
  'hulu sungai tengah',
  'hulu sungai utara',
  'puncak jaya',
  'intan jaya',
  'buru selatan',
  'tanah laut',
  // Written apart, these spell one-word regency names: "gunung kidul" = Gunungkidul.
  'gunung kidul',
  'bukit tinggi',
  'tanjung balai',
  'batang hari',
  'banjar negara',
  'banjar baru',
  'jaya pura',
  // Well-known kecamatan in Jakarta and its suburbs.
  'tanah abang',
  'pasar minggu',
  'sawah besar',
  'kebon jeruk',
  'kelapa gading',
  'cempaka putih',
  'kelapa dua',
]);

/**
 * Words after which the next name is a street or a person, not the place of the complaint:
 * "Jl. Bandung" is a street in many cities, "Pak Bambang" is a person.
 */
export const STREET_OR_PERSON_CUES: ReadonlySet<string> = new Set(
  `jalan jl jln gang gg lorong pak bapak bpk bu ibu mas mbak mba bang kak dek om tante sdr sdri saudara
  saudari hj nama namanya universitas univ institut politeknik akademi stikes pt cv ud toko hotel
  restoran resto cafe kafe`.split(/\s+/),
);

/**
 * Words that announce a place right after them ("di X", "warga X", "lokasi: X"). A name after
 * one is more likely meant as the place of the complaint than the same name alone.
 */
export const LOCATIVE_CUES: ReadonlySet<string> = new Set(
  `di ke dari warga daerah wilayah wil lokasi alamat sekitar kawasan area tinggal domisili dusun dukuh
  lingkungan sekitaran`.split(/\s+/),
);

/**
 * Words after which (within a few words) a name is a landmark on the way, not the place of the
 * complaint: "sampai perbatasan dengan kecamatan X"; a referral elsewhere ("dirujuk ke RS di X");
 * a national referral hospital, which carries the name of the city it stands in ("RSUP Dr. N X")
 * and serves patients from a whole region.
 */
export const BOUNDARY_CUES: ReadonlySet<string> = new Set([
  'perbatasan',
  'berbatasan',
  'batas',
  'dirujuk',
  'rujuk',
  'rujukan',
  'rsup',
]);

/** Tokens skipped between a street cue and the street name ("Jl. Raya Bandung"). */
export const STREET_FILLERS: ReadonlySet<string> = new Set(['raya', 'no', 'nomor']);
