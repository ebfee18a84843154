import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Database suites open PGlite (WebAssembly) and PostgreSQL; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    env: { DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'silent' },
  },
});
