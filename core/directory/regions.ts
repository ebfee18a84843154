import { normaliseText } from './normalise.ts';

/**
 * Region naming: display names and the words citizens use for a province or kabupaten/kota.
 * Names come from idn-area-data ('Kabupaten Purbalingga', 'Kota Administrasi Jakarta Selatan');
 * the short forms below are common public usage.
 */

/** Common abbreviations of province names, keyed by Kemendagri province code. */
const PROVINCE_SHORT: Readonly<Record<string, readonly string[]>> = {
  '12': ['sumut'],
  '13': ['sumbar'],
  '16': ['sumsel'],
  '19': ['babel', 'bangka belitung'],
  '21': ['kepri'],
  '31': ['dki', 'dki jakarta', 'jakarta'],
  '32': ['jabar'],
  '33': ['jateng'],
  '34': ['diy'],
  '35': ['jatim'],
  '52': ['ntb'],
  '53': ['ntt'],
  '61': ['kalbar'],
  '62': ['kalteng'],
  '63': ['kalsel'],
  '64': ['kaltim'],
  '65': ['kaltara'],
  '71': ['sulut'],
  '72': ['sulteng'],
  '73': ['sulsel'],
  '74': ['sultra'],
  '76': ['sulbar'],
  '82': ['malut'],
};

/** Well-known nicknames of kabupaten/kota, keyed by Kemendagri regency code. */
const REGENCY_SHORT: Readonly<Record<string, readonly string[]>> = {
  '31.71': ['jakpus'],
  '31.72': ['jakut'],
  '31.73': ['jakbar'],
  '31.74': ['jaksel'],
  '31.75': ['jaktim'],
  '33.72': ['solo', 'kota solo'],
  '34.71': ['jogja', 'yogya', 'kota jogja'],
};

/** Display name of a province as used in agency names: 'Provinsi Jawa Tengah'. */
export function provinceDisplayName(dataName: string): string {
  return `Provinsi ${dataName}`;
}

/** Splits a regency name from the data into its type and bare name. */
export function splitRegencyName(dataName: string): { type: 'kabupaten' | 'kota'; bare: string } {
  const m = /^(Kabupaten|Kota)(?: Administrasi)? (.+)$/.exec(dataName);
  if (!m) return { type: 'kabupaten', bare: dataName };
  return { type: m[1] === 'Kota' ? 'kota' : 'kabupaten', bare: m[2] ?? dataName };
}

function uniqueNormalised(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const n = normaliseText(w);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** Adds a variant with hyphens removed ('toli toli' -> 'tolitoli'). */
function withJoined(bare: string): string[] {
  return bare.includes('-') ? [bare, bare.replace(/-/g, '')] : [bare];
}

/** Words naming a province and its government ('pemprov jawa tengah', 'jawa tengah', 'jateng'). */
export function provinceAliases(code: string, dataName: string): string[] {
  const names = [dataName, ...(PROVINCE_SHORT[code] ?? [])];
  const words: string[] = [];
  for (const n of names) {
    words.push(`pemprov ${n}`, `pemerintah provinsi ${n}`, `provinsi ${n}`, `prov ${n}`);
  }
  words.push(...names);
  return uniqueNormalised(words);
}

/** Words naming a kabupaten/kota and its government ('pemkab purbalingga', 'kab purbalingga', 'purbalingga'). */
export function regencyAliases(code: string, dataName: string): string[] {
  const { type, bare } = splitRegencyName(dataName);
  const bares = withJoined(bare);
  const words: string[] = [dataName];
  for (const b of bares) {
    if (type === 'kota') {
      words.push(`pemkot ${b}`, `pemerintah kota ${b}`, `kota ${b}`, `pemda kota ${b}`);
    } else {
      words.push(`pemkab ${b}`, `pemerintah kabupaten ${b}`, `kabupaten ${b}`, `kab ${b}`, `pemda ${b}`);
    }
  }
  words.push(...bares, ...(REGENCY_SHORT[code] ?? []));
  return uniqueNormalised(words);
}
