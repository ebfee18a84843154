/**
 * Opens the one database the service uses: embedded PGlite (default, data under DATA_DIR) or a
 * PostgreSQL server (`DATABASE_URL=postgres://…`). Same schema, same migrations, one Prisma
 * client above either driver adapter. This file and the repositories beside it are the only
 * places that import Prisma.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config/index.ts';
import { LaporError } from '../errors.ts';
import { PrismaClient } from './generated/client.ts';
import { applyMigrations } from './migrations.ts';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: Db;
  /** Driver adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  /** Cheap liveness query for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL schema to use instead of `public` (tests isolate suites this way). */
  schema?: string;
  /** An already open PGlite instance (tests clone a migrated template). */
  pglite?: PGlite;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** Where a postgres URL points, without credentials: safe for logs and error messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * Checks that `dir` is a writable directory, creating it one level at a time, and names
 * `variable` in the one-line error. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that
 * never returns under a parent that exists but cannot hold directories (e.g. /proc/x), and a
 * bad data dir must fail, not hang.
 */
export function ensureWritableDir(dir: string, variable = 'DATA_DIR'): void {
  const missing: string[] = [];
  let current = resolve(dir);
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  try {
    for (const level of missing) mkdirSync(level);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new LaporError('LAPOR_ERR_DATA_DIR', `${variable}: cannot write to ${dir} (${reason})`, { dir });
  }
}

async function openPglite(config: DatabaseConfig, options: OpenOptions): Promise<Database> {
  let client = options.pglite;
  if (!client) {
    const dir = config.dataDir ?? ':memory:';
    if (dir !== ':memory:') ensureWritableDir(dir);
    try {
      client = dir === ':memory:' ? new PGlite() : new PGlite(dir);
      await client.waitReady;
    } catch (error) {
      throw new LaporError(
        'LAPOR_ERR_DATA_DIR',
        `DATA_DIR: cannot open the embedded database in ${dir}: ${(error as Error).message}`,
        { dir },
        { cause: error },
      );
    }
  }
  const pglite = client;
  const adapterFactory = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    prisma,
    adapterFactory,
    migrate: () => runMigrations(adapterFactory, (sql) => pglite.query(sql)),
    ping: async () => {
      await pglite.query('select 1');
    },
    close: async () => {
      await prisma.$disconnect();
      if (!options.pglite) await pglite.close();
    },
  };
}

async function openPostgres(config: DatabaseConfig, options: OpenOptions): Promise<Database> {
  const url = config.url ?? '';
  const where = describeUrl(url);
  const schema = options.schema ?? (new URL(url).searchParams.get('schema') || undefined);
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  };
  // Probe once with a plain client so an unreachable server fails fast with one clear line.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    if (schema) await probe.query(`create schema if not exists "${schema.replace(/"/g, '')}"`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LaporError(
      'LAPOR_ERR_DB_UNREACHABLE',
      `DATABASE_URL: cannot reach PostgreSQL at ${where} (${reason})`,
      { where },
    );
  } finally {
    await probe.end().catch(() => {});
  }
  const pool = new pg.Pool(poolConfig);
  // An idle client that loses its server must not crash the process; queries will report it.
  pool.on('error', () => {});
  // A client handed to a waiting caller has no error listener until the driver adapter attaches
  // one; a connection terminated in that gap would be an uncaught exception and kill the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  const adapterFactory = new PrismaPg(pool, schema ? { schema } : undefined);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'postgres',
    prisma,
    adapterFactory,
    migrate: async () => {
      // Prisma's schema engine takes a database-wide advisory lock and releases it only when
      // its connection closes. On the shared pool that connection would go back idle still
      // holding the lock, blocking every other process's migrations (rolling deploys, test
      // suites) until this one exits. A one-connection pool, closed afterwards, releases it.
      const migrationPool = new pg.Pool({ ...poolConfig, max: 1 });
      migrationPool.on('error', () => {});
      try {
        return await runMigrations(new PrismaPg(migrationPool, schema ? { schema } : undefined), (sql) =>
          migrationPool.query(sql),
        );
      } finally {
        await migrationPool.end().catch(() => {});
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** Migrations recorded as applied, or undefined when the history table does not exist yet. */
async function appliedMigrations(
  query: (sql: string) => Promise<{ rows: unknown[] }>,
): Promise<string[] | undefined> {
  try {
    const { rows } = await query(
      'select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null',
    );
    return (rows as { migration_name: string }[]).map((r) => r.migration_name);
  } catch {
    return undefined;
  }
}

async function runMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  query: (sql: string) => Promise<{ rows: unknown[] }>,
): Promise<string[]> {
  try {
    return await applyMigrations(factory, await appliedMigrations(query));
  } catch (error) {
    throw new LaporError(
      'LAPOR_ERR_MIGRATION',
      `migration failed: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

/**
 * Opens the configured database. Does not migrate: call `db.migrate()` (the service does at start).
 *
 * @example
 * ```ts
 * const db = await openDatabase({ kind: 'pglite', dataDir: './data/pglite' });
 * await db.migrate();
 * const count = await db.prisma.agency.count();
 * ```
 */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config, options) : openPglite(config, options);
}
