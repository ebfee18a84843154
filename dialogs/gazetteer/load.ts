/**
 * Loads the national area data shipped in the idn-area-data package (Kemendagri codes and names)
 * and builds the gazetteer once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseCsv } from './csv.ts';
import { createGazetteer } from './gazetteer.ts';
import type { DistrictRow, Gazetteer, ProvinceRow, RegencyRow, VillageRow } from './types.ts';

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
  const [provinces, regencies, districts, villages, dictionary] = await Promise.all([
    read('provinces.csv'),
    read('regencies.csv'),
    read('districts.csv'),
    read('villages.csv'),
    loadDictionary(),
  ]);
  return createGazetteer(
    {
      provinces: parseCsv(provinces) as unknown as ProvinceRow[],
      regencies: parseCsv(regencies) as unknown as RegencyRow[],
      districts: parseCsv(districts) as unknown as DistrictRow[],
      villages: parseCsv(villages) as unknown as VillageRow[],
    },
    { dictionary },
  );
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
