/**
 * Databases for the benchmark and the drills: a PostgreSQL schema of its own on the local server
 * (dropped afterwards), or a PGlite data directory copied from a template that was migrated and
 * seeded once. The service processes open them themselves (PGlite is single-process).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildAgencyDirectory } from '../core/directory/index.ts';
import { openDatabase } from '../core/store/database.ts';
import { seedAgencies } from '../core/store/seed.ts';
import type { BenchDb } from './types.ts';

export const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

let workDirPath: string | undefined;
let template: string | undefined;

/** This process's scratch directory (PGlite data, service DATA_DIRs), made on first use. */
function workDir(): string {
  workDirPath ??= mkdtempSync(join(tmpdir(), 'lapor-bench-'));
  return workDirPath;
}

/** True when the local PostgreSQL server answers. */
export async function postgresAvailable(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function migrateAndSeed(db: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  try {
    // Prisma's migration engine takes one advisory lock per database (not per schema): other
    // suites migrating their own schemas on the shared server make it time out now and then.
    for (let attempt = 1; ; attempt++) {
      try {
        await db.migrate();
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (attempt >= 6 || !/advisory lock|timed out/i.test(message)) throw error;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    await seedAgencies(db, await buildAgencyDirectory());
  } finally {
    await db.close();
  }
}

export interface PreparedDb {
  db: BenchDb;
  /** Drops the schema / removes the data directory. */
  dispose(): Promise<void>;
}

/** A fresh, migrated and seeded schema `bench_<tag>_<pid>_<n>` on the local PostgreSQL server. */
export async function preparePostgres(
  tag: string,
  options: { poolSize?: number; url?: string } = {},
): Promise<PreparedDb> {
  const url = options.url ?? PG_URL;
  const schema = `bench_${tag}_${process.pid}_${Date.now().toString(36)}`;
  await migrateAndSeed(await openDatabase({ kind: 'postgres', url }, { schema, poolSize: 2 }));
  return {
    db: { kind: 'postgres', url, schema, poolSize: options.poolSize ?? 10 },
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** An empty PostgreSQL schema (the baseline bot creates its one table itself). */
export async function emptyPostgres(
  tag: string,
  options: { poolSize?: number; url?: string } = {},
): Promise<PreparedDb> {
  const url = options.url ?? PG_URL;
  const schema = `bench_${tag}_${process.pid}_${Date.now().toString(36)}`;
  return {
    db: { kind: 'postgres', url, schema, poolSize: options.poolSize ?? 10 },
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A PGlite data directory, migrated and seeded (copied from a template made once per run). */
export async function preparePglite(tag: string): Promise<PreparedDb> {
  if (!template) {
    const dir = join(workDir(), 'pglite-template');
    await migrateAndSeed(await openDatabase({ kind: 'pglite', dataDir: dir }));
    template = dir;
  }
  const dataDir = join(workDir(), `pglite-${tag}-${Date.now().toString(36)}`);
  cpSync(template, dataDir, { recursive: true });
  return {
    db: { kind: 'pglite', dataDir },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An empty PGlite data directory (the baseline bot). */
export async function emptyPglite(tag: string): Promise<PreparedDb> {
  const dataDir = join(workDir(), `pglite-${tag}-${Date.now().toString(36)}`);
  return {
    db: { kind: 'pglite', dataDir },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A DATA_DIR for a service process (nothing is written there unless configured). */
export function serviceDataDir(tag: string): string {
  return mkdtempSync(join(workDir(), `data-${tag}-`));
}

/** Removes everything this process created under the temp directory. */
export function cleanupWorkDir(): void {
  if (workDirPath) rmSync(workDirPath, { recursive: true, force: true });
  workDirPath = undefined;
  template = undefined;
}
