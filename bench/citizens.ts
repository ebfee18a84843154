/**
 * What the simulated citizens write: informal Indonesian complaints over several categories
 * and places (complete ones that need no question, incomplete ones that are asked where),
 * place answers, and a seeded PRNG so every run writes the same mix.
 */

/** Complete first messages: what, where, since when. Most need no question at all. */
export const COMPLETE_TEXTS = [
  'jalan berlubang parah di Kec. Kemangkon, Purbalingga sudah 2 bulan tdk diperbaiki',
  'sampah menumpuk di pasar Kec. Cilacap Selatan, Cilacap baunya menyengat tdk diangkut',
  'air pdam tidak mengalir 3 hari di Kec. Banyumanik, Kota Semarang warga kesulitan air bersih',
  'listrik pln padam terus tiap malam di Kec. Purwokerto Utara, Banyumas sudah seminggu',
  'pengurusan ktp elektronik di disdukcapil Kab. Sleman lama sekali sudah 3 bulan blm jadi',
  'guru sering tidak masuk di SD negeri Kec. Kebumen, Kebumen anak2 terlantar',
  'puskesmas Kec. Bantul, Bantul pelayanan lambat antrian pasien bpjs sampai sore',
  'banjir tiap hujan di Kec. Medan Johor, Kota Medan drainase tersumbat tdk pernah dikeruk',
  'bansos pkh tidak cair sudah 4 bulan di Kec. Ciamis, Ciamis padahal terdaftar',
  'angkot ngetem sembarangan bikin macet di terminal Kec. Bogor Tengah, Kota Bogor',
  'pabrik buang limbah ke sungai di Kec. Rancaekek, Bandung air jadi hitam dan bau',
  'gaji buruh dibayar di bawah umr di pabrik Kec. Cikarang Utara, Bekasi tolong ditindak',
  'lampu penerangan jalan mati sudah seminggu di Kec. Wonosari, Gunungkidul gelap sekali kalau malam',
  'pungli di jembatan timbang Kec. Tegal Barat, Kota Tegal sopir truk dimintai uang',
];

/** First messages without a place: the bot asks where. */
export const INCOMPLETE_TEXTS = [
  'lampu jalan mati sudah seminggu gelap sekali',
  'jalan rusak parah banyak lubang tolong diperbaiki',
  'sampah tidak diangkut sudah dua minggu bau sekali',
];

/** Answers to "where is it?" that name one region. */
export const PLACE_TEXTS = [
  'Kec. Kemangkon, Purbalingga',
  'Kec. Banyumanik, Kota Semarang',
  'Kec. Purwokerto Utara, Banyumas',
  'Kec. Wonosari, Gunungkidul',
];

/** Shape of a tracking ID in a reply. */
export const TRACKING_ID_RE = /LPR-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/;
/** The citizen's receipt ("Laporan Anda tercatat dengan nomor *LPR-…*"). */
export const RECEIPT_RE = /tercatat dengan nomor \*(LPR-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})\*/;
/** The bot asks for a place (first question or "not found, try again"). */
export const ASKS_PLACE_RE = /^(Di mana lokasinya|Maaf, kami belum menemukan|Titik lokasi sudah)/;
/** The help text (answer to "bantuan"). */
export const HELP_RE = /^Petunjuk:/;

/** Seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}
