// One module's memory and load time, measured in a fresh process (run by bench/modules-bench.ts):
// `node --expose-gc bench/module-cost.mjs NAME`. Plain JavaScript, so the TypeScript loader is
// itself one of the things measured: every module but `tsx` is measured after tsx is registered,
// and only its own cost counts. Prints one JSON line: { name, rssMb, heapMb, ms, note? }.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gc = globalThis.gc;
if (!gc) throw new Error('run with --expose-gc');
const name = process.argv[2];
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** RSS and V8 heap after two full collections (what stays, not what was briefly allocated). */
function settled() {
  gc();
  gc();
  const u = process.memoryUsage();
  return { rss: u.rss / 1e6, heap: u.heapUsed / 1e6 };
}

async function registerTsx() {
  const { register } = await import('tsx/esm/api');
  register();
  // One small TypeScript module, so the loader's transform path is warm too.
  await import('../core/errors.ts');
}

const scratch = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-module-cost-'));
  scratch.push(dir);
  return dir;
}

const LOADS = {
  tsx: registerTsx,
  gazetteer: async () => {
    const { loadGazetteer } = await import('../dialogs/gazetteer/index.ts');
    (await loadGazetteer()).find('jalan rusak di Kec. Kemangkon, Purbalingga');
  },
  classifier: async () => {
    const { defaultClassifier } = await import('../dialogs/classifier/index.ts');
    defaultClassifier().classify('jalan berlubang di depan sekolah');
  },
  calendar: async () => {
    const { createWorkCalendar, loadCalendarOverrides } = await import('../core/calendar/index.ts');
    const calendar = createWorkCalendar(loadCalendarOverrides());
    calendar.holidaysIn(new Date().getUTCFullYear());
    calendar.addWorkingDays(new Date(), 5);
  },
  'date-holidays': async () => {
    const { default: Holidays } = await import('date-holidays');
    new Holidays('ID', { timezone: 'Asia/Jakarta', types: ['public'] }).getHolidays(
      new Date().getUTCFullYear(),
      'id',
    );
  },
  // argv[3]: an existing data directory (the product's case: initdb ran at the first start).
  pglite: async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(process.argv[3] ?? join(tempDir(), 'pglite'));
    await db.query('select 1');
    return () => db.close();
  },
  prisma: async () => {
    const { openDatabase } = await import('../core/store/database.ts');
    const db = await openDatabase({ kind: 'postgres', url: PG_URL }, { poolSize: 1 });
    await db.prisma.$queryRawUnsafe('select 1');
    // A model query loads the query compiler; the table need not exist for that.
    await db.prisma.agency.findFirst().catch(() => undefined);
    return () => db.close();
  },
};

const load = LOADS[name];
if (!load) throw new Error(`unknown module "${name}" (one of ${Object.keys(LOADS).join(', ')})`);
if (name !== 'tsx') await registerTsx();
const before = settled();
const started = performance.now();
let close;
let note;
try {
  close = await load();
} catch (error) {
  note = `not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}
const ms = performance.now() - started;
const after = settled();
await close?.();
for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    name,
    rssMb: Math.round((after.rss - before.rss) * 10) / 10,
    heapMb: Math.round((after.heap - before.heap) * 10) / 10,
    ms: Math.round(ms),
    ...(note ? { note } : {}),
  }),
);
