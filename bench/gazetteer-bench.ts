/**
 * Benchmark for the gazetteer: cold load time, heap after load, and the cost of `find` over a few
 * thousand varied complaint messages (with and without place names). Returns numbers only; the
 * bench runner decides how to print them.
 */
import { loadGazetteer } from '../dialogs/gazetteer/index.ts';

// Message templates and place phrases; combined they give varied texts without a corpus file.
const OPENERS = [
  'jalan berlubang di',
  'lampu jalan mati sudah seminggu di',
  'sampah menumpuk tidak diangkut, lokasi',
  'air pdam tidak mengalir tiga hari ini di',
  'mohon bantuan, jembatan hampir roboh di',
  'pelayanan kantor kelurahan lambat sekali, saya warga',
  'banjir setinggi lutut merendam rumah warga',
  'ada pungli saat mengurus ktp di kantor',
];
const PLACES = [
  'Kec. Kemangkon, Purbalingga',
  'desa kedungbenda kec kemangkon',
  'kota bogor',
  'bogor',
  'kab semarang jawa tengah',
  'jaksel dekat stasiun',
  'purbalinga',
  'wonosari gunungkidul',
  'kelurahan menteng jakarta pusat',
  'jogja',
  'sukamaju',
  '',
  'rumah saya dekat pasar',
  'gang sempit belakang masjid besar',
];
const CLOSERS = [
  '',
  ' tolong segera diperbaiki',
  ' sudah lapor berkali-kali tapi belum ada tanggapan pak',
  '!!',
];

function buildTexts(count: number): string[] {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const opener = OPENERS[i % OPENERS.length]!;
    const place = PLACES[Math.floor(i / OPENERS.length) % PLACES.length]!;
    const closer = CLOSERS[i % CLOSERS.length]!;
    // Vary case so normalisation is exercised, and add a counter so no two texts are identical.
    const text = `${opener} ${place}${closer} (${i})`;
    texts.push(i % 3 === 0 ? text.toUpperCase() : text);
  }
  return texts;
}

/**
 * Measures load time (ms), heap after load (MB) and average `find` time (µs) over 4000 texts.
 * Load time is only a cold-load figure when nothing in the process has called `loadGazetteer` yet.
 */
export async function benchGazetteer(): Promise<Record<string, number | string>> {
  // With --expose-gc, collect first so the heap figure is what the gazetteer keeps, not parse garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStart = performance.now();
  const gazetteer = await loadGazetteer();
  const loadMs = performance.now() - loadStart;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const texts = buildTexts(4000);
  // Warm-up so the JIT has compiled the matcher before timing.
  for (const text of texts.slice(0, 500)) gazetteer.find(text);

  let resolved = 0;
  let ambiguous = 0;
  const findStart = performance.now();
  for (const text of texts) {
    const result = gazetteer.find(text);
    if (result.best) resolved++;
    else if (result.ambiguous) ambiguous++;
  }
  const findMs = performance.now() - findStart;

  const searchQueries = ['kemangkon', 'bogor', 'purbalinga', 'desa sukamaju garut', 'kedungbend'];
  const searchStart = performance.now();
  for (const query of searchQueries) gazetteer.search(query);
  const searchMs = performance.now() - searchStart;

  return {
    loadMs: round(loadMs),
    heapAfterLoadMB: round(heapAfter / 1024 / 1024),
    heapDeltaMB: round((heapAfter - heapBefore) / 1024 / 1024),
    heapMeasuredAfterGc: gc ? 'yes' : 'no',
    texts: texts.length,
    findUsPerText: round((findMs * 1000) / texts.length),
    resolved,
    ambiguous,
    searchMsPerQuery: round(searchMs / searchQueries.length),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
