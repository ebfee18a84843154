/**
 * A small disposition history written for tests: complaints (our own sentences) and the unit
 * each went to, with the unit named in the several ways history writes it.
 */
export const WRITTEN_HISTORY: { text: string; unit: string }[] = [
  {
    text: 'jalan di depan rumah kami berlubang besar dan belum ditambal',
    unit: 'Dinas Pekerjaan Umum Kota Semarang',
  },
  { text: 'aspal jalan kampung mengelupas dan banyak lubang', unit: 'Dinas PU Kota Semarang' },
  { text: 'jalan rusak parah sejak musim hujan belum diperbaiki', unit: 'DPU Kota Semarang' },
  {
    text: 'saluran drainase tersumbat sehingga jalan tergenang tiap hujan',
    unit: 'Dinas Pekerjaan Umum Kota Semarang',
  },
  { text: 'trotoar ambles dan paving lepas membahayakan pejalan kaki', unit: 'Dinas PU Kota Semarang' },
  { text: 'tambalan jalan baru sebulan sudah hancur lagi', unit: 'Dinas Pekerjaan Umum Kota Semarang' },
  { text: 'lampu lalu lintas di perempatan mati sejak kemarin', unit: 'Dinas Perhubungan Kota Semarang' },
  { text: 'parkir liar memakan badan jalan di depan pasar', unit: 'Dishub Kota Semarang' },
  { text: 'angkot ngetem sembarangan bikin macet tiap pagi', unit: 'Dinas Perhubungan Kota Semarang' },
  { text: 'rambu lalu lintas roboh dan tidak dipasang lagi', unit: 'Dinas Perhubungan Kota Semarang' },
  { text: 'juru parkir menarik tarif parkir melebihi aturan', unit: 'Dishub Kota Semarang' },
  {
    text: 'lampu lalu lintas berkedip kuning terus sehingga rawan tabrakan',
    unit: 'Dinas Perhubungan Kota Semarang',
  },
  { text: 'kartu peserta saya tidak aktif padahal iuran sudah dibayar', unit: 'BPJS Kesehatan KC Semarang' },
  {
    text: 'faskes menolak pasien peserta dengan alasan kuota penuh',
    unit: 'BPJS Kesehatan Kantor Cabang Semarang',
  },
  {
    text: 'iuran peserta mandiri terus ditagih padahal sudah pindah segmen',
    unit: 'BPJS Kesehatan KC Semarang',
  },
  { text: 'rumah sakit meminta biaya tambahan kepada peserta jkn', unit: 'BPJS Kesehatan' },
  {
    text: 'status kepesertaan keluarga saya nonaktif tanpa pemberitahuan',
    unit: 'BPJS Kesehatan KC Semarang',
  },
  { text: 'rujukan dari puskesmas ditolak oleh rumah sakit mitra', unit: 'BPJS Kesehatan KC Semarang' },
  { text: 'pengurusan paspor saya lambat sudah dua bulan belum jadi', unit: 'Direktorat Jenderal Imigrasi' },
  { text: 'antrean wawancara paspor penuh terus di aplikasi', unit: 'Kantor Imigrasi Kelas I Semarang' },
  { text: 'paspor anak saya salah cetak nama', unit: 'Direktorat Jenderal Imigrasi' },
  { text: 'biaya percepatan paspor diminta oleh calo di kantor', unit: 'Kantor Imigrasi Kelas I Semarang' },
  { text: 'jadwal foto paspor dibatalkan tanpa kabar', unit: 'Ditjen Imigrasi' },
  { text: 'permohonan paspor ditolak tanpa alasan yang jelas', unit: 'Direktorat Jenderal Imigrasi' },
  { text: 'air di rumah tidak mengalir sudah tiga hari', unit: 'PDAM Tirta Moedal Kota Semarang' },
  { text: 'air keran keruh dan berbau kaporit menyengat', unit: 'PDAM Kota Semarang' },
  {
    text: 'tagihan air bulan ini naik dua kali lipat padahal pemakaian sama',
    unit: 'PDAM Tirta Moedal Kota Semarang',
  },
  { text: 'pipa air bocor di gang dan airnya terbuang percuma', unit: 'PDAM Kota Semarang' },
  { text: 'meteran air rusak tetapi tetap ditagih tinggi', unit: 'PDAM Tirta Moedal Kota Semarang' },
  { text: 'aliran air hanya keluar tengah malam dengan tekanan kecil', unit: 'PDAM Kota Semarang' },
];
