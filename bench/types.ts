/** Shapes shared by the benchmark runner, its child processes and the drills. */
import type { UserFromGetMe } from 'grammy/types';

export type BenchDb =
  | { kind: 'postgres'; url: string; schema: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string };

/** What a service child needs (JSON in BENCH_CHILD). */
export interface ChildConfig {
  db: BenchDb;
  /** DATA_DIR of the service (classifier model lookup, nothing else is written). */
  dataDir: string;
  telegram: { token: string; secret: string; apiRoot: string; botInfo: UserFromGetMe };
  port?: number;
  logLevel?: string;
  pollMs?: number;
  leaseMs?: number;
  backoffMs?: { base: number; max: number };
  workerId?: string;
}

export type ChildRequest =
  | { id: number; cmd: 'stats' | 'gc' | 'checks' | 'reset' | 'stop' | 'profileStart' }
  | { id: number; cmd: 'profileStop'; args: { path: string } }
  | { id: number; cmd: 'seed'; args: { from: number; to: number; chatBase: number } };

export type ChildReply =
  | { type: 'ready'; port: number; pid: number }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export interface ChildStats {
  intake: { filed: number; questions: number };
  dispatcher: { sent: number; retried: number; failed: number };
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
  cpu: { user: number; system: number };
  /** SQL statements sent to PostgreSQL by this process (pg driver), since start. */
  pgQueries: number;
}

/** Invariants read from the database after a run (see bench/sql.ts). */
export interface DbChecks {
  outbox: Record<string, number>;
  /** Outbox rows to citizens that are not sent yet (pending, sending) or failed. */
  unsent: number;
  /** Outbox rows claimed more than once (retried, or released after a dead worker's lease). */
  claimedMoreThanOnce: number;
  unprocessedInbound: number;
  inbound: number;
  reports: number;
  reportsWithoutEvents: number;
  reportsWithoutReceipt: number;
  reportsWithoutSentReceipt: number;
  trackingIds: string[];
}
