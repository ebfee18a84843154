/**
 * Loads the national area data shipped in the idn-area-data package (Kemendagri codes and names)
 * and builds the gazetteer once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readCorpus } from '../corpus/index.ts';
import { readAreaColumns } from './csv.ts';
import { createGazetteer } from './gazetteer.ts';
import type { Gazetteer } from './types.ts';

const require = createRequire(import.meta.url);

let cached: Promise<Gazetteer> | undefined;

/**
 * The gazetteer over all ~91k Indonesian areas. The first call reads and indexes the CSV files
 * (about half a second); later calls share the same promise. A failed load is not cached, so a
 * later call can retry.
 */
export function loadGazetteer(): Promise<Gazetteer> {
  if (!cached) {
    cached = build().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  }
  return cached;
}

async function build(): Promise<Gazetteer> {
  const dataDir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');
  const read = (file: string) => readFile(join(dataDir, file), 'utf8');
  const [provinces, regencies, districts, villages, dictionary, everydayWords] = await Promise.all([
    read('provinces.csv'),
    read('regencies.csv'),
    read('districts.csv'),
    read('villages.csv'),
    loadDictionary(),
    loadEverydayWords(),
  ]);
  everydayWords.push(...corpusEverydayWords());
  return createGazetteer(
    {
      provinces: readAreaColumns(provinces),
      regencies: readAreaColumns(regencies),
      districts: readAreaColumns(districts),
      villages: readAreaColumns(villages),
    },
    { dictionary, everydayWords },
  );
}

/**
 * Everyday words of our own corpus: words in at least 3 rows that are written in lowercase (or
 * capitalised only to open a sentence) at least 90% of the time and never follow an
 * administrative prefix ("deket", "enggal", "web"). Place names in the corpus are capitalised
 * or prefixed, so they stay out.
 */
export function corpusEverydayWords(texts: Iterable<string> = corpusTexts()): string[] {
  const rows = new Map<string, number>();
  const proper = new Map<string, number>();
  const total = new Map<string, number>();
  const prefixed = new Set<string>();
  for (const text of texts) {
    const seen = new Set<string>();
    let prev = '';
    for (const m of text.matchAll(/[\p{L}]+/gu)) {
      const word = m[0];
      const norm = word.toLowerCase();
      total.set(norm, (total.get(norm) ?? 0) + 1);
      if (word !== norm) {
        let i = (m.index ?? 0) - 1;
        while (i >= 0 && /\s/.test(text[i]!)) i--;
        if (i >= 0 && !'.!?:'.includes(text[i]!)) proper.set(norm, (proper.get(norm) ?? 0) + 1);
      }
      if (ADMIN_PREFIX_WORDS.has(prev)) prefixed.add(norm);
      prev = norm;
      if (!seen.has(norm)) {
        seen.add(norm);
        rows.set(norm, (rows.get(norm) ?? 0) + 1);
      }
    }
  }
  const out: string[] = [];
  for (const [word, n] of rows) {
    if (n >= 3 && !prefixed.has(word) && (proper.get(word) ?? 0) <= 0.1 * total.get(word)!) out.push(word);
  }
  return out;
}

const ADMIN_PREFIX_WORDS = new Set(
  'kec kecamatan desa ds kel kelurahan kab kabupaten kota provinsi prov dusun dukuh kampung nagari gampong'.split(
    ' ',
  ),
);

function corpusTexts(): string[] {
  try {
    return readCorpus().map((r) => r.text);
  } catch {
    return [];
  }
}

/** How many of the most frequent words of the frequency list count as everyday words. */
export const EVERYDAY_WORDS = 12_000;

/**
 * The most frequent words of informal Indonesian, from the word-frequency list that
 * `@zxcvbn-ts/language-id` ships (built from Indonesian film subtitles, OpenSubtitles via OPUS,
 * ODC-BY; ranked by frequency). Subtitles are conversational, as complaints are: "bener",
 * "guna", "malang", "medan" are there, kabupaten names mostly are not. A missing file means
 * only the hand-written lists apply.
 */
async function loadEverydayWords(): Promise<string[]> {
  try {
    const dir = dirname(require.resolve('@zxcvbn-ts/language-id/package.json'));
    const words: unknown = JSON.parse(await readFile(join(dir, 'src/commonWords.json'), 'utf8'));
    return Array.isArray(words)
      ? words.slice(0, EVERYDAY_WORDS).filter((w): w is string => typeof w === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * Indonesian root words from the Sastrawi list bundled with `natural`. Only used to stop typo
 * correction from turning ordinary words into place names, so a missing file just means slightly
 * more eager correction rather than a failure.
 */
async function loadDictionary(): Promise<string[]> {
  try {
    const naturalDir = dirname(require.resolve('natural/package.json'));
    const file = join(naturalDir, 'lib/natural/stemmers/indonesian/data/kata-dasar.json');
    const words: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}
