/**
 * One LAPOR! service process for the benchmark and the fault drills, started by
 * `bench/procs.ts` as `node --import tsx bench/child-service.ts` with an IPC channel.
 *
 * The whole product runs here: Telegram adapter in webhook mode (fastify, secret header) ->
 * intake -> dialog -> routing -> store -> outbox dispatcher -> Bot API (a fake on loopback).
 * The adapter is built here (not from the environment) so outgoing rate limiting can be
 * switched off against the fake; everything else is `createService` as in production.
 *
 * Configuration arrives as JSON in BENCH_CHILD (see {@link ChildConfig}). The parent talks
 * over IPC: `stats` (intake and dispatcher counters, memory), `checks` (invariants read from
 * the database), `seed` (bulk-inserts open conversations), `gc`, `stop`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { createService, type Service } from '../app/compose.ts';
import { createTelegramAdapter } from '../bots/telegram/index.ts';
import { loadConfig } from '../core/config/index.ts';
import { INTAKE_CONCURRENCY } from '../core/intake/intake.ts';
import { createLogger } from '../core/logger.ts';
import { resetDomain, runChecks, seedOpenConversations } from './sql.ts';
import type { ChildConfig, ChildReply, ChildRequest } from './types.ts';

const raw = process.env.BENCH_CHILD;
if (!raw) {
  console.error('child-service: BENCH_CHILD is not set');
  process.exit(2);
}
const cfg = JSON.parse(raw) as ChildConfig;

const env: Record<string, string> = {
  DATA_DIR: cfg.dataDir,
  LOG_LEVEL: cfg.logLevel ?? 'error',
  HOST: '127.0.0.1',
  PORT: String(cfg.port ?? 0),
  OUTBOX_POLL_MS: String(cfg.pollMs ?? 200),
};
if (cfg.db.kind === 'postgres') env.DATABASE_URL = cfg.db.url;
else env.DATABASE_URL = `pglite:${cfg.db.dataDir}`;
const config = loadConfig(env);

// Experiments: BENCH_INTAKE_CONCURRENCY overrides the intake's admission bound (both databases).
if (process.env.BENCH_INTAKE_CONCURRENCY) {
  const n = Number(process.env.BENCH_INTAKE_CONCURRENCY);
  INTAKE_CONCURRENCY.pglite = n;
  INTAKE_CONCURRENCY.postgres = n;
}

// Counts statements sent through the pg driver (PostgreSQL only): queries per inbound message.
let pgQueries = 0;
// Statements by their first words (BENCH_SQL_KINDS=1): which statements a message costs.
const sqlKinds = new Map<string, number>();
const countKinds = process.env.BENCH_SQL_KINDS === '1';
const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const originalQuery = clientProto.query;
clientProto.query = function (this: unknown, ...args: unknown[]) {
  pgQueries++;
  if (countKinds) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
    const kind = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    sqlKinds.set(kind, (sqlKinds.get(kind) ?? 0) + 1);
  }
  return originalQuery.apply(this, args);
};
let profiler: Session | undefined;
const logger = createLogger(config.log);

const telegram = createTelegramAdapter(
  {
    token: cfg.telegram.token,
    mode: 'webhook',
    webhookSecret: cfg.telegram.secret,
    apiRoot: cfg.telegram.apiRoot,
    botInfo: cfg.telegram.botInfo,
    rateLimit: false,
  },
  { logger: logger.child({ channel: 'telegram' }) },
);

let service: Service | undefined;
try {
  service = await createService(config, {
    logger,
    adapters: [telegram],
    skipConfiguredChannels: true,
    noScheduler: true,
    ...(cfg.db.kind === 'postgres'
      ? { database: { schema: cfg.db.schema, poolSize: cfg.db.poolSize ?? 10 } }
      : {}),
    dispatcher: {
      ...(cfg.leaseMs ? { leaseMs: cfg.leaseMs } : {}),
      ...(cfg.backoffMs ? { backoffMs: cfg.backoffMs } : {}),
      ...(cfg.workerId ? { workerId: cfg.workerId } : {}),
    },
  });
  await service.start({ listen: true });
} catch (error) {
  console.error(`child-service: could not start: ${(error as Error).message}`);
  process.exit(3);
}
const svc = service;
const address = svc.app().server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send?.({ type: 'ready', port, pid: process.pid } satisfies ChildReply);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(code), 10_000);
  timer.unref();
  await svc.stop().catch(() => {});
  process.exit(code);
}

process.on('message', (message: ChildRequest) => {
  void handle(message).then(
    (result) => process.send?.({ type: 'reply', id: message.id, ok: true, result } satisfies ChildReply),
    (error: unknown) =>
      process.send?.({
        type: 'reply',
        id: message.id,
        ok: false,
        error: (error as Error)?.message ?? String(error),
      } satisfies ChildReply),
  );
});
// The parent went away (it crashed or was killed): do not linger.
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function handle(message: ChildRequest): Promise<unknown> {
  switch (message.cmd) {
    case 'stats': {
      const m = process.memoryUsage();
      return {
        intake: { ...svc.stats },
        dispatcher: { ...svc.dispatcher.stats },
        memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
        cpu: process.cpuUsage(),
        pgQueries,
        ...(countKinds ? { sqlKinds: Object.fromEntries(sqlKinds) } : {}),
      };
    }
    case 'gc': {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
    }
    case 'checks':
      return runChecks(svc.db);
    case 'reset':
      await resetDomain(svc.db);
      return true;
    case 'seed':
      return seedOpenConversations(svc.db, message.args as { from: number; to: number; chatBase: number });
    case 'profileStart':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.post('Profiler.start');
      return true;
    case 'profileStop': {
      if (!profiler) throw new Error('profiler not started');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      writeFileSync((message.args as { path: string }).path, JSON.stringify(profile));
      return true;
    }
    case 'stop':
      setImmediate(() => void stop(0));
      return true;
    default:
      throw new Error(`unknown command ${String((message as { cmd: unknown }).cmd)}`);
  }
}
