/**
 * Small, explainable readings of free text that are not the classifier's job: commands,
 * report type, privacy wishes, language and greetings. Citizens write informally, so every
 * pattern accepts common abbreviations and both languages.
 */
import type { Locale } from '../texts.ts';
import type { Privacy, ReportType, SlotName } from './types.ts';

export type Command =
  | { cmd: 'cancel' }
  | { cmd: 'help' }
  | { cmd: 'start' }
  | { cmd: 'status'; arg: string }
  | { cmd: 'language'; locale: Locale }
  | { cmd: 'edit'; slot?: SlotName }
  | { cmd: 'unknown'; command: string };

const WORD_COMMANDS: Record<string, Command['cmd']> = {
  batal: 'cancel',
  batalkan: 'cancel',
  cancel: 'cancel',
  bantuan: 'help',
  help: 'help',
  menu: 'help',
  mulai: 'start',
  start: 'start',
  status: 'status',
  cek: 'status',
  check: 'status',
  lacak: 'status',
  track: 'status',
  ubah: 'edit',
  ganti: 'edit',
  edit: 'edit',
  change: 'edit',
  koreksi: 'edit',
};

const SLOT_WORDS: Record<string, SlotName> = {
  lokasi: 'location',
  location: 'location',
  tempat: 'location',
  alamat: 'location',
  wilayah: 'location',
  daerah: 'location',
  place: 'location',
  kategori: 'category',
  category: 'category',
  topik: 'category',
  topic: 'category',
  uraian: 'description',
  isi: 'description',
  keluhan: 'description',
  deskripsi: 'description',
  description: 'description',
  cerita: 'description',
  jenis: 'type',
  type: 'type',
  kind: 'type',
};

/** Words that make "cek …"/"status …" about a report rather than a complaint. */
const REPORT_WORDS = /\b(laporan|laporannya|laporanku|report|status|nomor|nomer|no|tiket|ticket|kode|id)\b/i;

/** The slot a list of words names, if any ("lokasinya" counts as "lokasi"). */
function slotIn(ws: string[]): SlotName | undefined {
  for (const w of ws) {
    const slot = SLOT_WORDS[w] ?? SLOT_WORDS[w.replace(/(nya|ny)$/, '')];
    if (slot) return slot;
  }
  return undefined;
}

const EDIT_WORDS = /^(ubah|ganti|edit|change|koreksi|perbaiki|ralat|salah|keliru|wrong|fix)$/;

/**
 * A correction said in other words than a command: "mau ubah lokasi", "lokasinya salah",
 * "wrong location". Needs both a correction word and a slot word, in a short message.
 */
export function detectEdit(text: string): SlotName | undefined {
  const ws = words(text);
  if (ws.length > 5 || !ws.some((w) => EDIT_WORDS.test(w))) return undefined;
  return slotIn(ws);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/@\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Reads a command from the start of a message, or null for ordinary text. Slash commands
 * (`/start`, `/status@lapor_bot LPR-…`) and bare words (`batal`, `cek LPR-…`) both work. Bare
 * command words only count in short messages, so "cek dong jalan rusak di …" stays a complaint.
 */
export function detectCommand(text: string): Command | null {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (/^(english|in english|bahasa inggris|\/english|\/en)$/.test(lower))
    return { cmd: 'language', locale: 'en' };
  if (/^(bahasa|bahasa indonesia|indonesia|indonesian|\/bahasa|\/id)$/.test(lower))
    return { cmd: 'language', locale: 'id' };
  const ws = words(trimmed);
  const first = ws[0];
  if (!first) return null;
  const slash = first.startsWith('/');
  const name = first.replace(/^\//, '').replace(/@.*$/, '');
  const kind = WORD_COMMANDS[name];
  if (!kind) return slash ? { cmd: 'unknown', command: first } : null;
  const rest = trimmed.slice(trimmed.toLowerCase().indexOf(name) + name.length).trim();
  switch (kind) {
    case 'status': {
      // "cek" opens many complaints ("cek dong lampu jalan…"): only a short message is a command,
      // and only when the rest looks like an ID or talks about a report ("cek jalan rusak" is a complaint).
      if (!slash && ws.length > 5) return null;
      const arg = rest.replace(/^[:#\s]+/, '');
      if (
        !slash &&
        (name === 'cek' || name === 'check') &&
        arg &&
        !/[0-9]|\blpr/i.test(arg) &&
        !REPORT_WORDS.test(arg)
      )
        return null;
      return { cmd: 'status', arg };
    }
    case 'edit': {
      if (!slash && ws.length > 3) return null;
      const slot = slotIn(ws.slice(1));
      return slot ? { cmd: 'edit', slot } : { cmd: 'edit' };
    }
    case 'cancel':
    case 'help':
    case 'start':
      return slash || ws.length <= 2 ? { cmd: kind } : null;
    default:
      return null;
  }
}

const GREETINGS =
  /^(halo+|hallo+|hai+|hi+|hello|helo|pagi|siang|sore|malam|selamat (pagi|siang|sore|malam)|assalamu['’]?alaikum( wr\.? ?wb\.?)?|asalamualaikum|salam|permisi|min|admin|p|test|tes)( (min|admin|pak|bu|kak|gan))?[\s!.,?]*$/i;

/** A message that only says hello: greet back and ask for the complaint. */
export function isGreeting(text: string): boolean {
  return GREETINGS.test(text.trim());
}

/** True when the text has at least one letter or digit (not only emoji or punctuation). */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

const INFO_PATTERNS =
  /(\?\s*$|\b(tanya|bertanya|nanya|pertanyaan|question|bagaimana|gimana|gmn|bgmn|apakah|apa syarat|syarat(nya)?|cara(nya)?|prosedur|berapa (biaya|lama)|kapan|mohon info|minta info|info(rmasi)?|how (do|can|to)|where can|what is|is it|can i|may i)\b)/i;
const ASPIRATION_PATTERNS =
  /\b(usul|usulan|mengusulkan|saran|menyarankan|aspirasi|harapan|berharap|sebaiknya|alangkah baiknya|mohon dibangun(kan)?|mohon diadakan|perlu diadakan|suggest|suggestion|propose|would like .* to build)\b/i;
const COMPLAINT_PATTERNS =
  /\b(rusak|berlubang|lubang|mati|padam|tidak|tdk|gak|ga|gk|nggak|enggak|belum|blm|lambat|lama|macet|bocor|banjir|kotor|bau|pungli|pungut|dipersulit|mahal|hilang|kecewa|keluh|mengeluh|komplain|parah|kacau|buruk|sulit|susah|ditolak|telat|terlambat|error|gangguan|broken|not|never|no|late|dirty|bribe|complain|problem)\b/i;

/**
 * Guesses the report type from wording. Returns undefined when the text gives no signal, so
 * the dialog asks. A question mark with complaint words stays a complaint ("kenapa jalan rusak
 * belum diperbaiki?" is a complaint, not a request for information).
 */
export function detectReportType(text: string): ReportType | undefined {
  if (ASPIRATION_PATTERNS.test(text)) return 'aspirasi';
  const complaint = COMPLAINT_PATTERNS.test(text);
  if (INFO_PATTERNS.test(text) && !complaint) return 'permintaan_informasi';
  if (complaint) return 'pengaduan';
  return undefined;
}

/** Reads a wish for confidentiality or anonymity in the text. */
export function detectPrivacy(text: string): Privacy | undefined {
  if (
    /\b(anonim|anonymous|anonymously|tanpa nama|tdk usah (pakai|pake) nama|tidak usah (pakai|pake) nama)\b/i.test(
      text,
    )
  )
    return 'anonim';
  if (
    /\b(rahasia|rahasiakan|dirahasiakan|confidential|jangan (sebut|tulis|tampilkan|kasih tau) (nama|identitas)|identitas saya)\b/i.test(
      text,
    )
  )
    return 'rahasia';
  return undefined;
}

const EN_WORDS = new Set(
  'the is are was were my our your this that there please not no has have been since near street road broken water power school hospital police help want would could should and with for of in on at'.split(
    ' ',
  ),
);
const ID_WORDS = new Set(
  'yang di ke dari dan tidak tdk gak sudah udah sdh belum blm ini itu ada jalan rusak air listrik sekolah tolong mohon pak bu saya sy kami dengan dgn untuk utk karena krn sejak'.split(
    ' ',
  ),
);

/** Language of a message, from its function words. Undefined when the text is too short to tell. */
export function detectLanguage(text: string): Locale | undefined {
  const ws = words(text);
  if (ws.length < 3) return undefined;
  let en = 0;
  let id = 0;
  for (const w of ws) {
    if (EN_WORDS.has(w)) en++;
    if (ID_WORDS.has(w)) id++;
  }
  if (en >= 2 && en > id * 2) return 'en';
  if (id >= 1 && id >= en) return 'id';
  return undefined;
}

const YES_WORDS = new Set(
  'ya yaa iya iyaa iyah y yes yep yup ok oke okey okay sip siap setuju lanjut lanjutkan benar betul bener kirim kirimkan send go gas boleh correct right sure sudah udah sdh'.split(
    ' ',
  ),
);
const FILLER_WORDS = new Set(
  'aja saja sekarang now please pls min pak bu kak dong deh it itu mantap gan sis'.split(' '),
);

/** "ya", "ok kirim aja", "sudah benar", "yes send it": agreement with the summary shown. */
export function isAffirmative(text: string): boolean {
  const ws = words(text);
  return (
    ws.length > 0 &&
    ws.length <= 5 &&
    ws.some((w) => YES_WORDS.has(w)) &&
    ws.every((w) => YES_WORDS.has(w) || FILLER_WORDS.has(w))
  );
}

/** "tidak", "salah", "no": the summary is not right. */
export function isNegative(text: string): boolean {
  return /^(tidak|tdk|gak|ga|gk|nggak|enggak|engga|no|nope|bukan|salah|jangan|keliru|wrong)( (benar|betul|bener|dulu|kirim|send|right|correct))?[\s!.]*$/i.test(
    text.trim(),
  );
}

/** "terima kasih", "ok makasih", "thanks": an acknowledgement, not a new complaint. */
export function isThanks(text: string): boolean {
  return (
    /^((ok(e|ay)?|baik|siap|sip|noted)[\s,!.]*)?(terima ?kasih|trima ?kasih|makasih|makasi|mksh|trims|thx|thanks|thank you|tq|ty)?( (ya|yah|pak|bu|min|kak|banyak|banget|a lot|so much))*[\s!.🙏👍]*$/iu.test(
      text.trim(),
    ) && hasWords(text)
  );
}

/** "tidak tahu", "bingung", "not sure": the citizen cannot answer the question. */
export function isDontKnow(text: string): boolean {
  return /^((saya|sy|aku) )?((tidak|tdk|gak|ga|gk|nggak|enggak|kurang|belum|blm) (tahu|tau|tw|yakin|paham|ngerti)|entah|bingung|don'?t know|do not know|not sure|no idea|dunno)\b/i.test(
    text.trim(),
  );
}

/** Words that ask about an existing report ("gimana laporan saya", "cek status"). */
export const STATUS_WORDS =
  /\b(status|cek|check|lacak|track|perkembangan|progress|sampai mana|sdh sampai|udah sampai|bagaimana|gimana|gmn|kabar)\b/i;

/** The part of a text that tries to be a tracking ID ("LPR-123" in "status laporan LPR-123"). */
export function trackingIdAttempt(text: string): string | undefined {
  return /\bl\s*p\s*r\b[\s\-_.:#]*[0-9a-z]*(?:[-_.][0-9a-z]+)*/i.exec(text)?.[0]?.trim();
}
