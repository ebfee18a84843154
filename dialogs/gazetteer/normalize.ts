/**
 * Text normalisation shared by the index builder and the matcher. Both sides must agree exactly,
 * otherwise a name indexed one way can never be found from text written another way.
 */

/** A word of the input with its position, so matches can be reported as spans of the original text. */
export interface Token {
  /** Normalised form: lowercase ASCII letters and digits only. */
  norm: string;
  /** Offset of the first character in the original text. */
  start: number;
  /** Offset just past the last character in the original text. */
  end: number;
  /** Joined to the next token by a hyphen ("pontang-panting", "bau-bau"). */
  hyphenNext: boolean;
}

// Apostrophes and quotes inside names ("Ra'as", data rows like `Soka"an`) are dropped rather than
// split on, because citizens type these names both with and without the mark.
const INNER_MARKS = /['’‘`"]/g;
const DIACRITICS = /[\u0300-\u036f]/g;
const NON_ALNUM = /[^a-z0-9]+/g;

/**
 * Normalises a place name or phrase: lowercase, no diacritics, no apostrophes, every other
 * non-alphanumeric run becomes one space. "Kota Bau-Bau" -> "kota bau bau".
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(INNER_MARKS, '')
    .replace(NON_ALNUM, ' ')
    .trim();
}

/** The normalised form without spaces, used to match names written joined or split ("kulonprogo"). */
export function compactName(normalized: string): string {
  return normalized.replaceAll(' ', '');
}

// A word is a run of letters/digits, possibly with inner apostrophes ("ra'as"). Dots, commas and
// hyphens separate words, so "Kec.Kemangkon" yields two tokens.
const WORD = /[\p{L}\p{N}]+(?:['’‘`][\p{L}\p{N}]+)*/gu;

const PLAIN = /^[a-z0-9]+$/;

/** Splits free text into normalised tokens, keeping original offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const lower = match[0].toLowerCase();
    // Plain ASCII words (nearly all of them) skip the Unicode normalisation.
    const norm = PLAIN.test(lower) ? lower : normalizeName(lower).replaceAll(' ', '');
    if (norm.length === 0) continue;
    const start = match.index;
    const end = start + match[0].length;
    const previous = tokens[tokens.length - 1];
    if (previous && previous.end + 1 === start && text[previous.end] === '-') previous.hyphenNext = true;
    tokens.push({ norm, start, end, hyphenNext: false });
  }
  return tokens;
}

/**
 * True when `a` and `b` differ by at most one edit: insertion, deletion, substitution or a swap of
 * two adjacent letters (optimal string alignment distance <= 1). Linear time, no allocation, which
 * matters because it runs inside the per-message matcher.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // Substitution at i, or transposition of i and i+1.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return (
      i + 1 < la &&
      a.charCodeAt(i) === b.charCodeAt(i + 1) &&
      a.charCodeAt(i + 1) === b.charCodeAt(i) &&
      a.slice(i + 2) === b.slice(i + 2)
    );
  }
  // One extra character in the longer string at position i.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Every string obtained by deleting one character (the symmetric-delete trick for fuzzy lookup). */
export function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) {
    const variant = word.slice(0, i) + word.slice(i + 1);
    // Doubled letters produce the same variant twice; skip the repeat.
    if (i > 0 && word.charCodeAt(i) === word.charCodeAt(i - 1)) continue;
    out.push(variant);
  }
  return out;
}
