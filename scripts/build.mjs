// Compiles the service to JavaScript in dist/ (what `npm start` runs: no TypeScript loader in the
// process) and puts the data files the modules read next to their compiled modules, so every
// `new URL('./x.json', import.meta.url)` finds its file. Run by `npm install` after the Prisma
// client is generated; `npm run build` by hand. `--out DIR` builds elsewhere (a directory one
// level below the repository root, so node_modules and the sources resolve the same way).
//
// bin/lapor.mjs runs dist/ only while it is fresh: the stamp written last records the newest
// modification time of every input (see inputsNewest), and any later edit sends lapor back to
// the sources through tsx.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Source trees compiled into the build (bench is a developer tool and runs from the sources). */
export const SOURCE_DIRS = ['bin', 'bots', 'core', 'dialogs', 'app'];
export const STAMP = '.lapor-build.json';

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Newest modification time (ms) of everything a build is made from. */
export function inputsNewest(root = ROOT) {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(join(root, dir))) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    const path = join(root, file);
    if (existsSync(path)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function build(outDir) {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    // Installed without dev tooling: lapor keeps running the sources through tsx.
    console.warn('typescript not found; skipping the build (lapor runs the sources through tsx)');
    return 0;
  }
  const newest = inputsNewest();
  rmSync(outDir, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
    { stdio: 'inherit', cwd: ROOT },
  );
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    console.error('build failed; lapor will run the sources through tsx');
    // A type error must not break `npm install`: the sources still run. `npm run build` fails.
    return process.env.npm_lifecycle_event === 'postinstall' ? 0 : (result.status ?? 1);
  }
  // Data files (JSON, CSV) next to their compiled modules.
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(join(ROOT, dir))) {
      if (/\.(ts|mjs)$/.test(file)) continue;
      const target = join(outDir, relative(ROOT, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
  }
  // The schema and migrations stay where `lapor db new-migration` writes them: link, not copy.
  symlinkSync(relative(outDir, join(ROOT, 'prisma')), join(outDir, 'prisma'), 'dir');
  writeFileSync(join(outDir, STAMP), `${JSON.stringify({ inputsNewest: newest, builtAt: Date.now() })}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = resolve(ROOT, at > 0 ? process.argv[at + 1] : 'dist');
  process.exit(build(outDir));
}
