/**
 * Real databases for tests: embedded PGlite (in memory) and the local PostgreSQL server
 * (127.0.0.1:5432, database `test`), migrated and seeded with the agency directory. Each suite
 * gets its own database (a PGlite instance, or a PostgreSQL schema of its own); `reset` empties
 * everything but the directory between tests.
 *
 * @example
 * ```ts
 * describe.each(DB_KINDS)('store on %s', (kind) => {
 *   const handle = useTestDatabase(kind);
 *   it('…', async () => { await handle.db.prisma.report.count(); });
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseConfig } from '../../core/config/index.ts';
import { buildAgencyDirectory } from '../../core/directory/index.ts';
import { type Database, type OpenOptions, openDatabase } from '../../core/store/database.ts';
import { seedAgencies } from '../../core/store/seed.ts';

export const DB_KINDS = ['pglite', 'postgresql'] as const;
export type DbKind = (typeof DB_KINDS)[number];

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: DbKind;
  /** What to hand to openDatabase / createService to reach this same database. */
  config: DatabaseConfig;
  options: OpenOptions;
  db: Database;
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

const DOMAIN_TABLES = [
  'citizens',
  'channel_identities',
  'conversations',
  'messages',
  'reports',
  'report_events',
  'attachments',
  'outbox',
  'report_ratings',
  'routing_examples',
  'inbound_rejections',
];

export async function openTestDatabase(
  kind: DbKind,
  options: { seed?: boolean } = {},
): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let open: OpenOptions;
  let cleanup: () => Promise<void>;
  if (kind === 'pglite') {
    const pglite = new PGlite();
    await pglite.waitReady;
    config = { kind: 'pglite', dataDir: ':memory:' };
    open = { pglite };
    cleanup = () => pglite.close();
  } else {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    config = { kind: 'postgres', url: TEST_PG_URL };
    open = { schema, poolSize: 8 };
    cleanup = async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    };
  }
  const db = await openDatabase(config, open);
  await db.migrate();
  if (options.seed !== false) await seedAgencies(db, await buildAgencyDirectory());
  return {
    kind,
    config,
    options: open,
    db,
    async reset() {
      // A dispatcher still finishing a send may hold row locks in another order than TRUNCATE
      // takes them; PostgreSQL then breaks the deadlock (40P01) and we simply try again.
      for (let attempt = 1; ; attempt++) {
        try {
          await db.prisma.$executeRawUnsafe(`truncate ${DOMAIN_TABLES.join(', ')} restart identity cascade`);
          break;
        } catch (error) {
          if (attempt >= 5 || !/40P01|deadlock/i.test(String((error as Error).message))) throw error;
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
      await db.prisma.$executeRawUnsafe(
        'update agencies set officer_channel = null where officer_channel is not null',
      );
    },
    async dispose() {
      await db.close();
      await cleanup();
    },
  };
}

/** Opens a database for the enclosing describe block and empties it before each test. */
export function useTestDatabase(
  kind: DbKind,
  options: { seed?: boolean } = {},
): { readonly db: Database; readonly handle: TestDatabase } {
  let handle: TestDatabase | undefined;
  beforeAll(async () => {
    handle = await openTestDatabase(kind, options);
  });
  beforeEach(async () => {
    await handle?.reset();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  return {
    get db() {
      if (!handle) throw new Error('test database not open yet');
      return handle.db;
    },
    get handle() {
      if (!handle) throw new Error('test database not open yet');
      return handle;
    },
  };
}
