#!/usr/bin/env node
// Entry point of the `lapor` command. The project runs its TypeScript sources directly through
// tsx's loader (no build step to forget); this shim registers it and hands over.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('./lapor.ts');
