/**
 * Near-duplicate reports ("laporan serupa"): one pothole reported by twenty neighbours, or one
 * text mass-submitted by a group. A new report is linked to an open report for the same agency or
 * regency, in the same desa or kecamatan, filed within the last N days, whose text is similar.
 *
 * Text similarity is the Jaccard similarity of the two texts' shingle sets: the Indonesian stems
 * of dialogs/classifier's tokenizer (stopwords and place names out, chat spellings normalised)
 * and adjacent stem pairs. Candidates are found without scanning the open reports: each report
 * stores the LSH bands of a MinHash signature of its shingles (BANDS bands of ROWS values), and
 * a new report looks up reports that share a band. Two texts with Jaccard similarity s share at
 * least one band with probability 1 - (1 - s^ROWS)^BANDS: 0.99 at s = 0.5, 0.78 at s = 0.3.
 * The candidates' similarity is then computed exactly.
 *
 * MinHash and banding are a few lines over a 32-bit hash; the npm packages that offer them either
 * pull in large dependencies or are unmaintained, so they are written here.
 */
import { tokenize } from '../../dialogs/classifier/index.ts';

export const BANDS = 16;
export const ROWS = 2;
const HASHES = BANDS * ROWS;
/** Similarity from which two texts in the same desa or kecamatan are "laporan serupa". */
export const SIMILAR_AT = 0.5;
/** Similarity needed when either report is placed only at the kabupaten/kota (or not at all). */
export const SIMILAR_WITHOUT_PLACE_AT = 0.8;
/** Days within which an open report can collect look-alikes (config: SIMILAR_WINDOW_DAYS). */
export const DEFAULT_SIMILAR_WINDOW_DAYS = 14;

/** The stems similarity is computed on (stored with the report as `textStems`). */
export function stemsOf(text: string): string[] {
  return tokenize(typeof text === 'string' ? text : '');
}

/** The shingles of a stem list: the stems and adjacent stem pairs. */
export function shinglesOfStems(stems: readonly string[]): Set<string> {
  const out = new Set<string>(stems);
  for (let i = 0; i + 1 < stems.length; i++) out.add(`${stems[i]} ${stems[i + 1]}`);
  return out;
}

/** The shingles of a text: its stems and adjacent stem pairs. */
export function shingles(text: string): Set<string> {
  return shinglesOfStems(stemsOf(text));
}

/** Jaccard similarity of two shingle sets (1 for two empty sets only when texts are equal). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads `h ^ seed` into an independent-looking hash per seed. */
function mix(h: number, seed: number): number {
  let x = (h ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const SEEDS = Array.from({ length: HASHES }, (_, i) => mix(0x9e3779b9, i + 1));

/**
 * The LSH band keys of a shingle set ("b07:3f2a9c01..."): two sets share a key only when their
 * MinHash values agree on every row of that band. Empty for an empty set.
 */
export function bandKeys(set: Set<string>): string[] {
  if (set.size === 0) return [];
  const min = new Uint32Array(HASHES).fill(0xffffffff);
  for (const s of set) {
    const h = fnv1a(s);
    for (let i = 0; i < HASHES; i++) {
      const v = mix(h, SEEDS[i]!);
      if (v < min[i]!) min[i] = v;
    }
  }
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    const parts: string[] = [];
    for (let r = 0; r < ROWS; r++) parts.push(min[b * ROWS + r]!.toString(16).padStart(8, '0'));
    keys.push(`b${String(b).padStart(2, '0')}:${parts.join('')}`);
  }
  return keys;
}

/** Normalised text for "identical" (case, spacing and punctuation aside). */
export function sameText(a: string, b: string): boolean {
  const norm = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return norm(a) === norm(b);
}

/** Kemendagri code cut to a level: 2 province, 5 kabupaten/kota, 8 kecamatan, 13 desa. */
function codeAt(code: string | null | undefined, length: number): string | null {
  return code && code.length >= length ? code.slice(0, length) : null;
}

export interface SimilarCandidate {
  description: string;
  regionCode: string | null;
  agencyCode: string;
  /** Stored stems (space-separated); computed from the description when absent. */
  textStems?: string | null;
}

/**
 * Whether a candidate is "laporan serupa" of a new report, and how similar: the same agency or
 * kabupaten/kota is required (callers filter on it); then identical texts always match, texts in
 * one kecamatan match from SIMILAR_AT, and texts not placed below the kabupaten/kota need
 * SIMILAR_WITHOUT_PLACE_AT. Reports in two different kecamatan never match.
 */
export function similarity(
  mine: { text: string; shingles: Set<string>; regionCode: string | null },
  other: SimilarCandidate,
): { similar: boolean; score: number } {
  if (sameText(mine.text, other.description)) return { similar: true, score: 1 };
  const theirs =
    typeof other.textStems === 'string'
      ? shinglesOfStems(other.textStems ? other.textStems.split(' ') : [])
      : shingles(other.description);
  const score = jaccard(mine.shingles, theirs);
  const a = codeAt(mine.regionCode, 8);
  const b = codeAt(other.regionCode, 8);
  if (a && b) return { similar: a === b && score >= SIMILAR_AT, score };
  const ra = codeAt(mine.regionCode, 5);
  const rb = codeAt(other.regionCode, 5);
  if (ra && rb && ra !== rb) return { similar: false, score };
  return { similar: score >= SIMILAR_WITHOUT_PLACE_AT, score };
}
