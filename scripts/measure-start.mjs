// Starts `lapor start` (embedded PGlite, no channels) and prints how long it took to listen and
// its RSS then and three idle seconds later: `node scripts/measure-start.mjs [compiled|source] [runs]`.
// Used for the start figures in bench/PERFORMANCE.md; not a test (timings are never asserted).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2] ?? 'compiled';
const runs = Number(process.argv[3] ?? 1);

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function once(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/lapor.mjs', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LAPOR_RUN: mode,
      // Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test?schema=start_figures) to
      // measure on PostgreSQL; embedded PGlite otherwise.
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/listening on /.test(out)) resolve(performance.now() - started);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const atListen = rssMb(child.pid);
  await new Promise((r) => setTimeout(r, 3000));
  const idle = rssMb(child.pid);
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return {
    listenMs: Math.round(listening),
    rssAtListenMb: Math.round(atListen),
    rssIdleMb: Math.round(idle),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'lapor-start-'));
try {
  // The first start migrates and seeds a new database; the ones after are ordinary starts.
  for (let i = 0; i <= runs; i++) {
    const r = await once(dataDir);
    console.log(
      JSON.stringify({
        mode,
        db: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
        run: i === 0 ? 'first (migrate + seed)' : `restart ${i}`,
        ...r,
      }),
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
