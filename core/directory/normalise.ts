/**
 * Text normalisation shared by the directory (aliases) and the router (report text), so
 * both sides compare the same form.
 */

const DIACRITICS = /[\u0300-\u036f]/g;
const NON_WORD = /[^a-z0-9]+/g;

/**
 * Lowercase, strip diacritics, turn every run of punctuation/whitespace into one space, trim.
 * 'Yth. BPJS-Kesehatan, Kab. Purbalingga!' -> 'yth bpjs kesehatan kab purbalingga'.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKD').replace(DIACRITICS, '').toLowerCase().replace(NON_WORD, ' ').trim();
}
