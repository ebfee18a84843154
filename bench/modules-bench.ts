/**
 * The fixed memory of the large modules (`npm run bench -- --only=modules`): each is loaded and
 * used once in a fresh process (bench/module-cost.mjs) and the RSS and V8 heap it adds after a
 * full GC are reported with its load time. Fresh processes, because two modules in one process
 * share (and hide) each other's allocator growth.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./module-cost.mjs', import.meta.url));

export interface ModuleCost {
  module: string;
  rssMb: number;
  heapMb: number;
  ms: number;
  note?: string;
}

/** What each row measures, in the order printed. */
export const MODULES: ReadonlyArray<{ key: string; label: string; args?: 'pglite-dir' }> = [
  { key: 'tsx', label: 'tsx loader (register + one .ts module)' },
  { key: 'gazetteer', label: 'gazetteer (idn-area-data index, loadGazetteer)' },
  { key: 'classifier', label: 'classifier (default model from its cache)' },
  { key: 'calendar', label: 'work calendar (precomputed holiday table)' },
  { key: 'date-holidays', label: 'date-holidays itself (what the table replaces)' },
  { key: 'prisma', label: 'Prisma client + pg adapter, first queries (PostgreSQL)' },
  { key: 'pglite', label: 'PGlite, existing data directory, select 1', args: 'pglite-dir' },
];

function measure(key: string, extra: string[] = []): Omit<ModuleCost, 'module'> {
  const run = spawnSync(process.execPath, ['--expose-gc', SCRIPT, key, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
    timeout: 180_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const { rssMb, heapMb, ms, note } = JSON.parse(line) as Omit<ModuleCost, 'module'>;
    return note === undefined ? { rssMb, heapMb, ms } : { rssMb, heapMb, ms, note };
  } catch {
    return {
      rssMb: Number.NaN,
      heapMb: Number.NaN,
      ms: Number.NaN,
      note: `failed: ${run.stderr.trim().split('\n')[0] ?? ''}`,
    };
  }
}

export function benchModules(): ModuleCost[] {
  const out: ModuleCost[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lapor-modules-'));
  try {
    for (const { key, label, args } of MODULES) {
      const extra: string[] = [];
      if (args === 'pglite-dir') {
        // initdb once in a process of its own; the row measures opening what exists.
        const data = join(dir, 'pglite');
        measure('pglite', [data]);
        extra.push(data);
      }
      out.push({ module: label, ...measure(key, extra) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
