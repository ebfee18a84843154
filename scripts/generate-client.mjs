// Generates the Prisma client into core/store/generated (not committed).
// The Prisma CLI wants to download a schema-engine binary on start; generate never executes it,
// so point it at an existing file to keep install offline (see shared ENVIRONMENT notes).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const cli = new URL('../node_modules/prisma/build/index.js', import.meta.url).pathname;
if (!existsSync(cli)) {
  // Installed without dev tooling (e.g. a partial install): nothing to generate with.
  console.warn('prisma CLI not found; skipping client generation');
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/dev/null',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
