#!/usr/bin/env node
// Entry point of the `lapor` command. It runs the JavaScript compiled into dist/ by `npm install`
// (scripts/build.mjs) when that build is fresh: no TypeScript loader in the process, which saves
// memory and start time. Otherwise (no build, a source edited since, `lapor bench`, which is a
// developer tool, or LAPOR_RUN=source) it registers tsx and runs the sources. LAPOR_RUN=compiled
// insists on the build and fails when it is missing or stale.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inputsNewest, STAMP as STAMP_NAME } from '../scripts/build.mjs';

process.env.DOTENV_CONFIG_QUIET ??= 'true';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD = process.env.LAPOR_BUILD_DIR || join(ROOT, 'dist');
const STAMP = join(BUILD, STAMP_NAME);

/** Why the build cannot be used, or null when it is fresh. */
function staleReason() {
  if (!existsSync(STAMP) || !existsSync(join(BUILD, 'bin', 'lapor.js'))) return 'no build in dist/';
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    return inputsNewest() <= stamp.inputsNewest ? null : 'sources changed since the build';
  } catch {
    return 'unreadable build stamp';
  }
}

const mode = process.env.LAPOR_RUN;
const command = process.argv[2];
const stale = mode === 'source' || command === 'bench' ? 'sources requested' : staleReason();
if (stale === null) {
  await import(pathToFileURL(join(BUILD, 'bin', 'lapor.js')).href);
} else if (mode === 'compiled') {
  console.error(`lapor: LAPOR_RUN=compiled but ${stale}; run "npm run build"`);
  process.exitCode = 1;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./lapor.ts');
}
