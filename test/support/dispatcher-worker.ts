/**
 * A dispatcher process for the multi-process outbox test: opens the test PostgreSQL schema
 * named in the environment, runs one outbox dispatcher, and delivers every row by POSTing it to
 * a fake channel server. It runs until SIGTERM (clean stop) or SIGKILL (a crash).
 *
 * Environment:
 * - TEST_DATABASE_URL  PostgreSQL URL (default: the local test server)
 * - WORKER_SCHEMA      schema the test suite created and migrated
 * - WORKER_SINK_URL    fake channel endpoint (http://127.0.0.1:port/deliver)
 * - WORKER_ID          claimed_by value, also sent to the sink
 * - WORKER_LEASE_MS    lease after which rows of a dead worker are taken over
 * - WORKER_BATCH_SIZE  rows per claim
 *
 * @example
 * ```ts
 * spawn(process.execPath, ['--import', 'tsx', 'test/support/dispatcher-worker.ts'], { env: { ...process.env, WORKER_SCHEMA: 't_1', ... } });
 * ```
 */
import { request } from 'node:http';
import type { SendResult } from '../../core/channel/port.ts';
import { createLogger } from '../../core/logger.ts';
import { createDispatcher } from '../../core/outbox/dispatcher.ts';
import { openDatabase } from '../../core/store/database.ts';
import type { OutboxRow } from '../../core/store/repos/outbox.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = process.env.WORKER_SCHEMA;
const sink = process.env.WORKER_SINK_URL;
const workerId = process.env.WORKER_ID ?? `worker-${process.pid}`;
const leaseMs = Number(process.env.WORKER_LEASE_MS ?? 3000);
const batchSize = Number(process.env.WORKER_BATCH_SIZE ?? 50);
if (!schema || !sink) {
  process.stderr.write('WORKER_SCHEMA and WORKER_SINK_URL are required\n');
  process.exit(2);
}

/** One POST per delivery; plain node:http so a SIGKILL leaves nothing half-buffered in this process. */
function post(row: OutboxRow): Promise<SendResult> {
  const body = JSON.stringify({
    outboxId: String(row.id),
    address: row.address,
    payload: row.payload,
    attempts: row.attempts,
    worker: workerId,
  });
  return new Promise((resolve) => {
    const req = request(
      sink as string,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(
            res.statusCode === 200
              ? { ok: true, providerMessageId: `sink-${String(row.id)}` }
              : { ok: false, error: `sink answered ${res.statusCode}`, retryable: true },
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('sink timeout')));
    req.on('error', (error) => resolve({ ok: false, error: error.message, retryable: true }));
    req.end(body);
  });
}

const db = await openDatabase({ kind: 'postgres', url }, { schema, poolSize: 4 });
const dispatcher = createDispatcher({
  db,
  senders: new Map([['console', post]]),
  logger: createLogger({ level: 'silent' }),
  workerId,
  batchSize,
  leaseMs,
  pollMs: 10,
  backoffMs: { base: 20, max: 200 },
});
dispatcher.start();
process.stdout.write(`ready ${workerId}\n`);

process.on('SIGTERM', () => {
  void (async () => {
    await dispatcher.stop();
    await db.close();
    process.stdout.write(`stopped ${workerId} ${JSON.stringify(dispatcher.stats)}\n`);
    process.exit(0);
  })();
});
