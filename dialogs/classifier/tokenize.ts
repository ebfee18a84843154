/**
 * Turns a citizen's message into the tokens and features the classifier counts.
 *
 * Indonesian chat text is full of abbreviations ("yg", "gk", "jln"), stretched letters
 * ("parahhh") and the "2" shorthand for reduplication ("diperbaiki2"). We normalise those
 * ourselves, then let natural's Indonesian tokenizer and Sastrawi-based stemmer do the rest.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface Stemmer {
  stem(token: string): string;
}
interface Tokenizer {
  tokenize(text: string): string[];
}
interface NaturalParts {
  stemmer: Stemmer;
  tokenizer: Tokenizer;
  stopwords: readonly string[];
}

/**
 * Bumped whenever normalisation or feature extraction changes, because a serialized model's
 * feature strings only mean something to the tokenizer that produced them.
 */
export const FEATURE_VERSION = 3;

let parts: NaturalParts | undefined;

/**
 * Loads natural's Indonesian tokenizer, stemmer and stopword list on first use.
 *
 * `import natural from 'natural'` costs ~700 ms and drags in database drivers and WordNet;
 * the three files we need load in ~20 ms. natural 8.1.1 has no `exports` map, so these deep
 * paths resolve; if a future version hides them we fall back to the package entry point
 * (same tokenizer and stemmer objects, just slower to load). The Indonesian stopword list is
 * not exported from the entry point; without it our own EXTRA_STOPWORDS still apply.
 */
function natural(): NaturalParts {
  if (parts) return parts;
  const require = createRequire(import.meta.url);
  const optional = <T>(id: string): T | undefined => {
    try {
      return require(id) as T;
    } catch {
      return undefined;
    }
  };
  let stemmer = optional<Stemmer>('natural/lib/natural/stemmers/indonesian/stemmer_id.js');
  let TokenizerId = optional<new () => Tokenizer>(
    'natural/lib/natural/tokenizers/aggressive_tokenizer_id.js',
  );
  if (!stemmer || !TokenizerId) {
    const full = require('natural') as { StemmerId: Stemmer; AggressiveTokenizerId: new () => Tokenizer };
    stemmer = full.StemmerId;
    TokenizerId = full.AggressiveTokenizerId;
  }
  const stopwords = optional<{ words: string[] }>('natural/lib/natural/util/stopwords_id.js')?.words ?? [];
  parts = { stemmer, tokenizer: new TokenizerId(), stopwords };
  return parts;
}

/**
 * Chat shorthand -> standard Indonesian, applied per token before stopword removal and
 * stemming, so "gk" and "tidak" or "jln" and "jalan" end up as one feature. Multi-word
 * expansions are split on spaces. Keep entries unambiguous: "kk" stays (Kartu Keluarga).
 */
const SLANG: Record<string, string> = {
  yg: 'yang',
  dgn: 'dengan',
  dg: 'dengan',
  tdk: 'tidak',
  gk: 'tidak',
  ga: 'tidak',
  gak: 'tidak',
  nggak: 'tidak',
  ngga: 'tidak',
  enggak: 'tidak',
  engga: 'tidak',
  g: 'tidak',
  tak: 'tidak',
  udh: 'sudah',
  udah: 'sudah',
  sdh: 'sudah',
  dah: 'sudah',
  blm: 'belum',
  blum: 'belum',
  bgt: 'banget',
  bngt: 'banget',
  sy: 'saya',
  aku: 'saya',
  gw: 'saya',
  gue: 'saya',
  tlg: 'tolong',
  tolongin: 'tolong',
  mhn: 'mohon',
  krn: 'karena',
  karna: 'karena',
  soalnya: 'karena',
  dr: 'dari',
  utk: 'untuk',
  untk: 'untuk',
  jln: 'jalan',
  jl: 'jalan',
  jalanan: 'jalan',
  kel: 'kelurahan',
  kec: 'kecamatan',
  kab: 'kabupaten',
  kabupatn: 'kabupaten',
  prov: 'provinsi',
  ds: 'desa',
  kades: 'kepala desa',
  lurah: 'kelurahan',
  trs: 'terus',
  terusan: 'terus',
  bs: 'bisa',
  sm: 'sama',
  jg: 'juga',
  lg: 'lagi',
  klo: 'kalau',
  kalo: 'kalau',
  gmn: 'bagaimana',
  gimana: 'bagaimana',
  knp: 'kenapa',
  tp: 'tapi',
  tpi: 'tapi',
  aja: 'saja',
  doang: 'saja',
  emg: 'memang',
  emang: 'memang',
  bkn: 'bukan',
  org: 'orang',
  thn: 'tahun',
  bln: 'bulan',
  hr: 'hari',
  jd: 'jadi',
  jdi: 'jadi',
  kmrn: 'kemarin',
  kemaren: 'kemarin',
  skrg: 'sekarang',
  skrang: 'sekarang',
  dpt: 'dapat',
  dapet: 'dapat',
  msh: 'masih',
  masi: 'masih',
  sampe: 'sampai',
  pdhl: 'padahal',
  bpk: 'bapak',
  ortu: 'orang tua',
  sklh: 'sekolah',
  rmh: 'rumah',
  rs: 'rumah sakit',
  rsud: 'rumah sakit daerah',
  puskes: 'puskesmas',
  pkm: 'puskesmas',
  akte: 'akta',
  ektp: 'ktp',
  hp: 'ponsel',
  henpon: 'ponsel',
  elpiji: 'lpg',
  gaji: 'upah',
  gajian: 'upah',
  pungutan: 'pungut',
  ngk: 'tidak',
  kagak: 'tidak',
  nda: 'tidak',
  ndak: 'tidak',
  gaada: 'tidak ada',
  gada: 'tidak ada',
  ngurus: 'urus',
  dtg: 'datang',
  brp: 'berapa',
  sgt: 'sangat',
  bnyk: 'banyak',
  byk: 'banyak',
  bnyak: 'banyak',
  tgl: 'tanggal',
  pemkab: 'pemerintah kabupaten',
  pemkot: 'pemerintah kota',
  pemda: 'pemerintah daerah',
  dlm: 'dalam',
  sblm: 'sebelum',
  ssdh: 'sesudah',
  stlh: 'setelah',
  krj: 'kerja',
  kerjaan: 'kerja',
  bener: 'benar',
  bnr: 'benar',
  mslh: 'masalah',
  smua: 'semua',
};

/**
 * A few percent of messages arrive in English. There are too few of them to learn English
 * vocabulary from, so domain words are mapped onto the Indonesian words the model knows.
 * Only the topic-bearing words matter; the rest are dropped as stopwords or stay unknown.
 */
const ENGLISH: Record<string, string> = {
  electricity: 'listrik',
  power: 'listrik',
  outage: 'listrik padam',
  blackout: 'listrik padam',
  meter: 'meteran',
  bill: 'tagihan',
  water: 'air',
  tap: 'keran',
  pipe: 'pipa',
  pipes: 'pipa',
  road: 'jalan',
  roads: 'jalan',
  pothole: 'jalan lubang',
  potholes: 'jalan lubang',
  bridge: 'jembatan',
  drain: 'selokan',
  drains: 'selokan',
  streetlight: 'lampu jalan',
  streetlights: 'lampu jalan',
  lights: 'lampu',
  flood: 'banjir',
  hospital: 'rumah sakit',
  doctor: 'dokter',
  clinic: 'klinik',
  nurse: 'perawat',
  midwife: 'bidan',
  health: 'kesehatan',
  medicine: 'obat',
  patient: 'pasien',
  pregnant: 'hamil',
  school: 'sekolah',
  teacher: 'guru',
  teachers: 'guru',
  student: 'murid',
  students: 'murid',
  classes: 'kelas',
  university: 'kampus',
  police: 'polisi',
  officers: 'polisi',
  stolen: 'curi',
  theft: 'curi',
  court: 'pengadilan',
  bribe: 'pungli',
  threatening: 'ancam',
  tax: 'pajak',
  taxes: 'pajak',
  duty: 'bea',
  loan: 'pinjaman',
  salary: 'upah',
  wage: 'upah',
  wages: 'upah',
  employer: 'perusahaan',
  company: 'perusahaan',
  workers: 'pekerja',
  staff: 'karyawan',
  factory: 'pabrik',
  fired: 'phk',
  contract: 'kontrak',
  contracts: 'kontrak',
  garbage: 'sampah',
  trash: 'sampah',
  waste: 'limbah',
  dumpsite: 'sampah',
  river: 'sungai',
  smoke: 'asap',
  pollution: 'polusi',
  noise: 'bising',
  loud: 'bising',
  vendors: 'pkl',
  sidewalk: 'trotoar',
  aid: 'bantuan',
  poor: 'miskin',
  elderly: 'lansia',
  signal: 'sinyal',
  phone: 'ponsel',
  scam: 'tipu',
  messages: 'sms',
  hajj: 'haji',
  marriage: 'nikah',
  mosque: 'masjid',
  religious: 'agama',
  farmer: 'tani',
  farmers: 'tani',
  fertiliser: 'pupuk',
  fertilizer: 'pupuk',
  rice: 'padi',
  cattle: 'sapi',
  goats: 'kambing',
  livestock: 'ternak',
  veterinarian: 'dokter hewan',
  warranty: 'garansi',
  train: 'kereta',
  traffic: 'lalu lintas',
  parking: 'parkir',
  flight: 'pesawat',
  airport: 'bandara',
  ticket: 'tiket',
  card: 'kartu',
  birth: 'lahir',
  certificate: 'akta',
  registry: 'dukcapil',
  address: 'alamat',
  insurance: 'asuransi',
  premiums: 'iuran',
  fuel: 'bbm',
  er: 'igd',
  housing: 'perumahan',
  developer: 'developer',
};

/**
 * Words natural's Indonesian stopword list drops that matter for routing complaints
 * ("naik" in price hikes, "kerja" for labour cases, "masuk"/"keluar" for admissions and
 * layoffs, "bulan" for unpaid months).
 */
const KEEP = new Set(['kerja', 'bekerja', 'naik', 'masuk', 'keluar', 'kasus', 'bulan']);

/** Greetings, forms of address and chat particles that appear in every kind of complaint. */
const EXTRA_STOPWORDS = [
  'pak',
  'bu',
  'bpk',
  'mas',
  'mbak',
  'kak',
  'bang',
  'gan',
  'min',
  'admin',
  'yth',
  'tolong',
  'sih',
  'nih',
  'deh',
  'dong',
  'yaa',
  'yah',
  'lho',
  'loh',
  'nya',
  'hehe',
  'wkwk',
  'makasih',
  'terimakasih',
  'thx',
  'assalamualaikum',
  'wassalamualaikum',
  'wr',
  'wb',
  'warahmatullahi',
  'wabarakatuh',
  // The regional head every letter is addressed to; the addressee says nothing of the topic.
  'bupati',
  'wabup',
  'walikota',
  'gubernur',
  'wagub',
  'selamat',
  'halo',
  'banget',
  'sangat',
  'mohon',
  'segera',
  'the',
  'and',
  'is',
  'are',
  'was',
  'to',
  'of',
  'in',
  'on',
  'for',
  'my',
  'it',
  'at',
  'this',
  'that',
  'please',
  'be',
  'has',
  'have',
  'been',
];

/**
 * Stems of the act of complaining itself ("melaporkan", "pengaduan", "keluhan"). Every
 * category uses them, yet with ~60 examples a class they latch onto whichever class used
 * them most, which made "sy mau lapor" look like a confident police report.
 */
const GENERIC_STEMS = new Set([
  'lapor',
  'adu',
  'keluh',
  'respon',
  'tanggap',
  'ditindaklanjuti',
  'tindaklanjut',
]);

let placeWordSet: Set<string> | undefined;
/**
 * Names of kabupaten/kota and kecamatan that are not Indonesian root words ("purbalingga",
 * "kemangkon"; not "malang" or "batu"). A place says where, not what: as features they only
 * tie a topic to whichever places our corpus happened to use for it, which misleads on real
 * complaints from elsewhere. The gazetteer reads places; the classifier ignores them.
 */
function placeWords(): Set<string> {
  if (placeWordSet) return placeWordSet;
  const set = new Set<string>();
  try {
    const require = createRequire(import.meta.url);
    const dataDir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');
    const roots = new Set<string>(
      JSON.parse(
        readFileSync(
          join(
            dirname(require.resolve('natural/package.json')),
            'lib/natural/stemmers/indonesian/data/kata-dasar.json',
          ),
          'utf8',
        ),
      ) as string[],
    );
    for (const file of ['regencies.csv', 'districts.csv']) {
      for (const line of readFileSync(join(dataDir, file), 'utf8').split('\n').slice(1)) {
        const name = line
          .slice(line.lastIndexOf(',') + 1)
          .trim()
          .toLowerCase();
        const bare = name.replace(/^(kabupaten|kota)( administrasi)? /, '');
        if (/^[a-z]+$/.test(bare) && bare.length >= 4 && !roots.has(bare)) set.add(bare);
      }
    }
  } catch {
    // Without the area data every word stays a feature.
  }
  placeWordSet = set;
  return set;
}

// A Map, not object lookups: a message containing "constructor" must not hit Object.prototype.
const REWRITES = new Map<string, string>([...Object.entries(ENGLISH), ...Object.entries(SLANG)]);

let stopwordSet: Set<string> | undefined;
function stopwords(): Set<string> {
  if (!stopwordSet) {
    stopwordSet = new Set([...natural().stopwords, ...EXTRA_STOPWORDS]);
    for (const w of KEEP) stopwordSet.delete(w);
  }
  return stopwordSet;
}

// Stemming dominates tokenizing cost; chat vocabulary is small and repetitive, so a cache
// makes classify() cheap. Bounded so a flood of random strings cannot grow it forever.
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();
function stem(word: string): string {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  const root = natural().stemmer.stem(word);
  stemCache.set(word, root);
  return root;
}

/**
 * Courtesies that open and close letters to officials in every topic: religious greetings,
 * wishes of good health, "permit me to report", thanks for the attention, the addressee and
 * "the agencies concerned". Their words are no evidence of a topic, and some mislead outright
 * ("semoga diberi kesehatan" is a wish, not a health complaint). Matched on lowercased,
 * accent-free text; apostrophes and spacing vary ("assalamu'alaikum", "wr. wb.").
 */
const COURTESIES: readonly RegExp[] = [
  /\b(?:ass?alamu\W?\s?[a']?alaikum|was+alamu\W?\s?[a']?alaikum|salamualaikum|asalamualaikum|assalamualaikum)(?:\s+(?:wr|warahmatullahi|warohmatullohi|warahmatullah)\.?\s*(?:wb|wabarakatuh|wabarokatuh|wabarakaatuh)?\.?)?/g,
  /\b(?:salam sejahtera(?: bagi kita semua| untuk kita semua)?|om swastiastu|namo buddhaya|salam kebajikan|shalom|salam sehat|salam hormat|salam hangat)\b/g,
  /\bsemoga\s+(?:bapak|ibu|bpk|bu|pak|kita(?: semua)?|beliau)?\s*(?:senantiasa|selalu)?\s*(?:diberi(?:kan)?|dalam|dilimpahkan|mendapat(?:kan)?)\s+(?:kesehatan|keadaan sehat|kesehatan dan keselamatan|rahmat|lindungan|keberkahan|kemudahan|kelancaran)(?:\s+(?:dan|serta)\s+(?:keselamatan|kesehatan|kebahagiaan|kelancaran|kemudahan))?/g,
  /\b(?:sehat selalu|panjang umur|aamiin|amin)\b/g,
  // "Mohon izin menyampaikan" is a courtesy; "mohon izin usaha" is a permit: only the former.
  /\b(?:mohon|minta|nyuwun)\s+(?:izin|ijin|idzin)\s+(?=(?:untuk\s+)?(?:menyampaikan|bertanya|tanya|melapor|lapor|melaporkan|mengadu|menanyakan|memberi|memberikan|berkomentar|mengusulkan|bapak|ibu|pak|bu)\b)/g,
  /\b(?:mohon|minta|nyuwun)\s+maaf(?:\s+(?:mengganggu|sebelumnya|atas waktunya))?\b/g,
  /\b(?:terima ?kasih|matur (?:nuwun|suwun)|hatur nuhun)(?:\s+(?:atas|untuk|buat))?(?:\s+(?:perhatian|tanggapan|kerjasama|kerja sama|waktu|bantuan|respon|tindak lanjut)(?:nya)?)?(?:\s+(?:bapak|ibu|bpk|pak|bu))?/g,
  /\b(?:yang|yg)\s+(?:kami|saya)\s+(?:hormati|banggakan|cintai)(?:\s+dan\s+(?:kami|saya)?\s*(?:hormati|banggakan|cintai))?\b/g,
  /\b(?:beserta|dan)\s+(?:jajaran(?:nya)?|seluruh jajaran)(?:\s+(?:dinas|instansi|opd)\s+terkait)?\b/g,
  /\b(?:dinas|instansi|pihak|opd)\s+terkait\b/g,
  /\bselamat\s+(?:pagi|siang|sore|malam)\b/g,
];

/** Lowercase, strip accents and chat noise that natural's tokenizer does not handle. */
function normalise(text: string): string {
  let lower = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`]/g, "'");
  for (const courtesy of COURTESIES) lower = lower.replace(courtesy, ' ');
  return (
    lower
      .replace(/https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+/g, ' ')
      // "diperbaiki2" is shorthand for "diperbaiki-diperbaiki": keep the word once.
      .replace(/([a-z]{2,})2(?![0-9])/g, '$1')
      // "parahhhh" / "tolonggg": three or more repeats are emphasis, not spelling.
      .replace(/([a-z])\1{2,}/g, '$1')
      // Hyphens are reduplication or prefixes ("rusak-rusak", "e-ktp"); split them.
      .replace(/-/g, ' ')
  );
}

/**
 * Splits a message into normalised, stemmed Indonesian tokens with stopwords removed.
 *
 * Steps: lowercase and clean the text, expand chat abbreviations (`yg` -> `yang`, `gk` ->
 * `tidak`, `jln` -> `jalan`, ...) and map common English complaint words to Indonesian,
 * tokenize with natural's `AggressiveTokenizerId`, drop stopwords, bare numbers and
 * one-letter tokens, stem with natural's `StemmerId`, and drop stems that only say "I am
 * complaining" (`lapor`, `adu`, `keluh`).
 *
 * @example tokenize('Jln di kec. Kemangkon rusak parahhh gk diperbaiki2') // ['jalan', 'camat', 'kemangkon', 'rusak', 'parah', 'baik']
 */
export function tokenize(text: string): string[] {
  return analyseText(text).stems;
}

/** A message as the classifiers see it: its stems, and the surface words they came from. */
export interface AnalysedText {
  /** As `tokenize` returns them. */
  stems: string[];
  /**
   * The normalised words before stemming (chat abbreviations expanded, English mapped,
   * stopwords dropped), one per stem, for character n-grams that survive typos.
   */
  words: string[];
}

/**
 * Words that place the complaint next to a landmark: "lampu jalan depan SMA mati", "jalan
 * berlubang dekat KUA". The landmark (the word right after) says where, not what; read as a
 * topic word it turned a street-light report into an education or religion one.
 */
const LANDMARK_CUES = new Set([
  'depan',
  'dpn',
  'dekat',
  'dkt',
  'samping',
  'sebelah',
  'sblh',
  'seberang',
  'belakang',
  'sekitar',
  'sekitaran',
]);

/** `tokenize` with the surface words kept; see {@link AnalysedText}. */
export function analyseText(text: string): AnalysedText {
  const { tokenizer } = natural();
  const stop = stopwords();
  const places = placeWords();
  const stems: string[] = [];
  const words: string[] = [];
  let landmark = false;
  for (const raw of tokenizer.tokenize(normalise(text))) {
    if (LANDMARK_CUES.has(raw)) {
      landmark = true;
      continue;
    }
    if (landmark && !/^[0-9]+$/.test(raw) && raw.length >= 2) {
      landmark = false;
      continue;
    }
    const expanded = REWRITES.get(raw);
    const parts = expanded === undefined ? [raw] : expanded.split(' ');
    for (const word of parts) {
      if (word.length < 2 || stop.has(word) || /^[0-9]+$/.test(word) || places.has(word)) continue;
      // Stopwords are checked on the surface form only: "diperbaiki" stems to "baik",
      // a stopword as a word but a useful repair signal as a stem.
      const root = stem(word);
      if (root.length >= 2 && !GENERIC_STEMS.has(root)) {
        stems.push(root);
        words.push(word);
      }
    }
  }
  return { stems, words };
}

/** Which feature families to extract; chosen by cross-validation, stored in the model. */
export interface FeatureOptions {
  /** Adjacent stem pairs ("jalan rusak"). Off by default: no gain in cross-validation. */
  bigrams: boolean;
}

/**
 * Counts the features of one message: stems, plus stem bigrams when enabled.
 * Bigrams use a space separator, which a stem can never contain.
 */
export function extractFeatures(text: string, options: FeatureOptions): Map<string, number> {
  const stems = tokenize(text);
  const counts = new Map<string, number>();
  for (let i = 0; i < stems.length; i++) {
    const s = stems[i]!;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    if (options.bigrams && i + 1 < stems.length) {
      const pair = `${s} ${stems[i + 1]!}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return counts;
}
