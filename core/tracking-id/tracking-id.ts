/**
 * Tracking IDs citizens read aloud, type on SMS and photograph: `LPR-7KQ-9M4-XTW`.
 *
 * Shape: the constant prefix `LPR`, then 9 characters in three groups of three (8 random
 * payload characters + 1 check character). Groups of three are easy to dictate ("tujuh K Q,
 * sembilan M empat, X T W") and to hold in short-term memory.
 *
 * Alphabet (31 symbols): `0123456789ABCDEFGHJKMNPQRSTVWXY`. Each look-alike pair keeps one
 * member only, and the other is folded onto it when reading input:
 *   O -> 0, I -> 1, L -> 1, U -> V, Z -> 2.
 * So whichever of a look-alike pair a citizen, an SMS autocorrect or an OCR engine produces,
 * the ID still reads correctly (also "O" spoken for zero, common in Indonesia).
 *
 * Check character: a weighted sum modulo the prime 31, the ISBN-10 construction (weights
 * 10..1 mod 11) scaled to our alphabet. With values v0..v8 (v8 the check) and weights
 * 9, 8, ..., 1:  sum(w_i * v_i) ≡ 0 (mod 31).
 * - Single substitution v -> v' at position i changes the sum by w_i * (v' - v). 31 is prime,
 *   1 <= w_i <= 9 and 0 < |v' - v| < 31, so the change is never ≡ 0: always detected.
 * - Transposition of positions i, j (v_i != v_j) changes the sum by (w_i - w_j)(v_j - v_i),
 *   with 0 < |w_i - w_j| <= 8: always detected, adjacent or not, including the check char.
 * Luhn mod N was rejected because it misses the transposition of the first and last symbol
 * (like 09 <-> 90 in Luhn mod 10); Damm needs a 31x31 quasigroup table for the same
 * guarantees. A prime-sized alphabet makes the check symbol an ordinary alphabet symbol.
 *
 * Payload: 31^8 ≈ 8.5e11 IDs (~39.6 bits). At one million stored reports the chance a new ID
 * collides is ~1.2e-6; the database unique constraint is the final guard and the caller
 * retries with a fresh ID.
 */
import { randomInt } from 'node:crypto';

/** The 31 symbols of a tracking ID, in value order. */
export const TRACKING_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXY';
/** Constant prefix of the canonical form. */
export const TRACKING_ID_PREFIX = 'LPR';
/** Random payload characters (the check character comes on top). */
export const TRACKING_ID_PAYLOAD_LENGTH = 8;

const MODULUS = TRACKING_ID_ALPHABET.length; // 31, prime
const BODY_LENGTH = TRACKING_ID_PAYLOAD_LENGTH + 1;
const GROUP_SIZE = 3;

/** Look-alikes typed by citizens or produced by OCR, folded onto alphabet symbols. */
const FOLDS: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1', U: 'V', Z: '2' };

const VALUE_OF = new Map<string, number>([...TRACKING_ID_ALPHABET].map((ch, i) => [ch, i]));

/** Separators a citizen may put anywhere in an ID. */
const SEPARATORS_RE = /[\s\-_.–—/]+/g;

function foldChar(ch: string): string {
  return FOLDS[ch] ?? ch;
}

/** Weighted sum of body values, weights BODY_LENGTH .. 1 from the left. */
function weightedSum(values: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (BODY_LENGTH - i) * (values[i] ?? 0);
  return sum % MODULUS;
}

/** The check symbol for 8 payload values (the last weight is 1, so it is minus the sum). */
function checkSymbol(payload: readonly number[]): string {
  const value = (MODULUS - weightedSum(payload)) % MODULUS;
  return TRACKING_ID_ALPHABET[value] ?? '';
}

function format(body: string): string {
  const groups: string[] = [];
  for (let i = 0; i < body.length; i += GROUP_SIZE) groups.push(body.slice(i, i + GROUP_SIZE));
  return [TRACKING_ID_PREFIX, ...groups].join('-');
}

/**
 * A fresh tracking ID in canonical form. Uses `crypto.randomInt` unless a `random` source
 * returning numbers in [0, 1) (like `Math.random`) is given, e.g. a seeded one in tests.
 *
 * @example
 * ```ts
 * generateTrackingId(); // 'LPR-7KQ-9M4-XTW' (random)
 * ```
 */
export function generateTrackingId(random?: () => number): string {
  const pick = random
    ? (): number => Math.min(MODULUS - 1, Math.max(0, Math.floor(random() * MODULUS)))
    : (): number => randomInt(MODULUS);
  const payload = Array.from({ length: TRACKING_ID_PAYLOAD_LENGTH }, pick);
  const body = payload.map((v) => TRACKING_ID_ALPHABET[v] ?? '').join('') + checkSymbol(payload);
  return format(body);
}

/**
 * Canonical form of a typed tracking ID, or null if its shape is wrong or the check fails.
 * Case, spaces, dashes, dots and underscores are ignored, the `LPR` prefix is optional, and
 * look-alikes are folded (O->0, I/L->1, U->V, Z->2).
 *
 * @example
 * ```ts
 * normalizeTrackingId('lpr 7kq9 m4xtw'); // 'LPR-7KQ-9M4-XTW' when the check matches
 * normalizeTrackingId('LPR-7KQ-9M4-XTX'); // null (check fails)
 * ```
 */
export function normalizeTrackingId(input: string): string | null {
  if (typeof input !== 'string') return null;
  let compact = input.replace(SEPARATORS_RE, '').toUpperCase();
  if (!/^[0-9A-Z]+$/.test(compact)) return null;
  compact = [...compact].map(foldChar).join('');
  // The prefix folds like the rest ('LPR' -> '1PR'), so 'IPR' and '1PR' are accepted too.
  const foldedPrefix = [...TRACKING_ID_PREFIX].map(foldChar).join('');
  if (compact.length === foldedPrefix.length + BODY_LENGTH && compact.startsWith(foldedPrefix)) {
    compact = compact.slice(foldedPrefix.length);
  }
  if (compact.length !== BODY_LENGTH) return null;
  const values: number[] = [];
  for (const ch of compact) {
    const v = VALUE_OF.get(ch);
    if (v === undefined) return null;
    values.push(v);
  }
  return weightedSum(values) === 0 ? format(compact) : null;
}

/**
 * Whether the input is a tracking ID (in any accepted spelling) with a correct check character.
 *
 * @example
 * ```ts
 * isValidTrackingId(generateTrackingId()); // true
 * isValidTrackingId('LPR-123'); // false
 * ```
 */
export function isValidTrackingId(input: string): boolean {
  return normalizeTrackingId(input) !== null;
}

/** Chat words that never belong to an ID without the prefix ("cek 7kq 9m4 xtw ya"). */
const CHAT_WORDS = new Set(
  [
    'cek check status lacak track laporan lapor report nomor nomer no id kode code tiket ticket saya',
    'aku sy ku yg yang ya yah dong donk deh min kak pak bu mas mbak tolong tlg mohon gimana',
    'bagaimana apa sudah udah sdh belum blm untuk utk dan the my is of for please pls ini itu nya',
    'sampai mana terima kasih makasih',
  ]
    .join(' ')
    .split(' '),
);

/** Longest run of tokens a prefixed ID may be split into (one char per token, plus the prefix). */
const MAX_TOKENS = BODY_LENGTH + 1;

/**
 * How a bare (unprefixed) ID may be split into words: whole, the canonical 3-3-3 groups, or
 * two chunks. Anything else (e.g. "05 RW 03 Kel" in an address) is not taken for an ID.
 */
const BARE_GROUPINGS: readonly (readonly number[])[] = [[9], [3, 3, 3], [4, 5], [5, 4], [3, 6], [6, 3]];

/**
 * Find a tracking ID in free chat text and return it in canonical form, or null.
 * With the `LPR` prefix the ID may be split or glued in any way ("lpr 7kq9 m4xtw",
 * "LPR7KQ9M4XTW"). Without the prefix it must be one word, the 3-3-3 groups or two chunks,
 * made of words that are not common chat words (cek, status, ya, ...), with at least one digit,
 * so that ordinary words whose letters happen to pass the check (1 in 31) are not taken for an ID.
 *
 * @example
 * ```ts
 * findTrackingIdIn('cek lpr 7kq9 m4xtw ya'); // 'LPR-7KQ-9M4-XTW'
 * findTrackingIdIn('status 7kq-9m4-xtw?');   // 'LPR-7KQ-9M4-XTW'
 * findTrackingIdIn('jalan berlubang di depan rumah'); // null
 * ```
 */
export function findTrackingIdIn(text: string): string | null {
  if (typeof text !== 'string') return null;
  const tokens = text.match(/[0-9A-Za-z]+/g) ?? [];
  const foldedPrefix = [...TRACKING_ID_PREFIX].map(foldChar).join('');
  const hasPrefix = (token: string): boolean =>
    [...token.toUpperCase().slice(0, TRACKING_ID_PREFIX.length)].map(foldChar).join('') === foldedPrefix;

  // Pass 1: prefixed IDs, the strongest signal; any split of the body is accepted.
  for (let i = 0; i < tokens.length; i++) {
    if (!hasPrefix(tokens[i] ?? '')) continue;
    let joined = '';
    for (let j = i; j < tokens.length && j < i + MAX_TOKENS; j++) {
      joined += tokens[j] ?? '';
      if (joined.length > TRACKING_ID_PREFIX.length + BODY_LENGTH) break;
      if (joined.length === TRACKING_ID_PREFIX.length + BODY_LENGTH) {
        const id = normalizeTrackingId(joined);
        if (id) return id;
      }
    }
  }

  // Pass 2: bare IDs in one of the usual groupings, of non-chat words, with a digit.
  for (let i = 0; i < tokens.length; i++) {
    for (const grouping of BARE_GROUPINGS) {
      const words = tokens.slice(i, i + grouping.length);
      if (words.length !== grouping.length) continue;
      if (words.some((w, k) => w.length !== grouping[k] || CHAT_WORDS.has(w.toLowerCase()))) continue;
      const joined = words.join('');
      if (!/[0-9]/.test(joined)) continue;
      const id = normalizeTrackingId(joined);
      if (id) return id;
    }
  }
  return null;
}

/**
 * Tracking IDs one slip away from a mistyped one: every ID that differs from the input in one
 * character, or by two neighbours swapped, and passes the check. The check character makes
 * these few: for each position exactly one replacement satisfies it (the weights are invertible
 * modulo 31), so there are at most 9 substitutions and 8 swaps to look up, and usually only one
 * of them exists. Empty for input that is valid already or not shaped like an ID at all.
 *
 * @example
 * ```ts
 * trackingIdCandidates('LPR-7KQ-9M4-XTX'); // ['LPR-7KQ-9M4-XTW', …] (at most 17)
 * ```
 */
export function trackingIdCandidates(input: string): string[] {
  if (typeof input !== 'string' || normalizeTrackingId(input) !== null) return [];
  let compact = input.replace(SEPARATORS_RE, '').toUpperCase();
  if (!/^[0-9A-Z]+$/.test(compact)) return [];
  compact = [...compact].map(foldChar).join('');
  const foldedPrefix = [...TRACKING_ID_PREFIX].map(foldChar).join('');
  if (compact.length === foldedPrefix.length + BODY_LENGTH && compact.startsWith(foldedPrefix))
    compact = compact.slice(foldedPrefix.length);
  if (compact.length !== BODY_LENGTH) return [];
  const values = [...compact].map((ch) => VALUE_OF.get(ch));
  if (values.some((v) => v === undefined)) return [];
  const body = values as number[];
  const found = new Set<string>();
  const sum = weightedSum(body);
  for (let i = 0; i < BODY_LENGTH; i++) {
    // Find v with sum + w_i * (v - body[i]) ≡ 0 (mod 31), by trying the 31 symbols.
    const weight = BODY_LENGTH - i;
    for (let v = 0; v < MODULUS; v++) {
      if (v === body[i]) continue;
      if ((sum + weight * (v - (body[i] ?? 0)) + MODULUS * MODULUS) % MODULUS !== 0) continue;
      const next = [...body];
      next[i] = v;
      found.add(format(next.map((x) => TRACKING_ID_ALPHABET[x]).join('')));
    }
  }
  for (let i = 0; i + 1 < BODY_LENGTH; i++) {
    if (body[i] === body[i + 1]) continue;
    const next = [...body];
    [next[i], next[i + 1]] = [next[i + 1] ?? 0, next[i] ?? 0];
    if (weightedSum(next) === 0) found.add(format(next.map((x) => TRACKING_ID_ALPHABET[x]).join('')));
  }
  return [...found];
}
