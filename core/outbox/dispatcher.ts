/**
 * The outbox dispatcher: claims queued notifications (FOR UPDATE SKIP LOCKED, so several
 * processes on one PostgreSQL never take the same row), sends each through its channel, and
 * records the outcome. Retries with exponential backoff, honouring the provider's retry-after;
 * after the last try the row is marked failed with the provider's error. A worker that dies
 * mid-send leaves rows in `sending`; their lease expires and another worker takes them.
 */
import { randomUUID } from 'node:crypto';
import type { SendResult } from '../channel/port.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/database.ts';
import * as outbox from '../store/repos/outbox.ts';

export type { OutboxRow } from '../store/repos/outbox.ts';

/** Sends one outbox row's payload on its channel. */
export type Sender = (row: outbox.OutboxRow) => Promise<SendResult>;

export interface DispatcherOptions {
  db: Database;
  /** Sender per outbox channel ('telegram', 'sms', 'slack', ...). */
  senders: Map<string, Sender>;
  logger: Logger;
  clock?: () => Date;
  workerId?: string;
  batchSize?: number;
  maxAttempts?: number;
  /** Idle poll interval; `wake()` sends at once when this process queued something. */
  pollMs?: number;
  /** After this long in `sending`, a row is presumed orphaned by a dead worker. */
  leaseMs?: number;
  /** Backoff base and cap for retries without a provider hint. */
  backoffMs?: { base: number; max: number };
}

export interface DispatcherStats {
  sent: number;
  retried: number;
  failed: number;
}

export interface Dispatcher {
  start(): void;
  /** Sends what is due now without waiting for the next poll. */
  wake(): void;
  /** One claim-and-send pass; returns how many rows it handled. */
  runOnce(): Promise<number>;
  /** Runs passes until nothing is due (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: DispatcherStats;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, senders, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const workerId = options.workerId ?? `dispatcher-${process.pid}-${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  const pollMs = options.pollMs ?? 200;
  const leaseMs = options.leaseMs ?? 60_000;
  const backoff = options.backoffMs ?? { base: 1_000, max: 5 * 60_000 };
  const stats: DispatcherStats = { sent: 0, retried: 0, failed: 0 };

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let wakeRequested = false;
  let lastLeaseSweep = 0;

  /** Rows this worker is sending right now: never released by its own lease sweep. */
  const sendingNow = new Set<bigint>();

  /** Sends one row and records the outcome; true when it went out. */
  async function sendOne(row: outbox.OutboxRow): Promise<boolean> {
    sendingNow.add(row.id);
    try {
      return await sendAndRecord(row);
    } finally {
      sendingNow.delete(row.id);
    }
  }

  async function sendAndRecord(row: outbox.OutboxRow): Promise<boolean> {
    const sender = senders.get(row.channel);
    let result: SendResult;
    if (!sender) {
      result = {
        ok: false,
        error: `no adapter for channel ${row.channel} is running`,
        retryable: true,
        retryAfterMs: 60_000,
      };
    } else {
      try {
        result = await sender(row);
      } catch (error) {
        result = { ok: false, error: (error as Error).message || 'send failed', retryable: true };
      }
    }
    const now = clock();
    const lost = () =>
      logger.warn(
        { outboxId: String(row.id), channel: row.channel, attempts: row.attempts },
        'outbox row was taken over by another worker (lease expired while sending); outcome not recorded',
      );
    if (result.ok) {
      // A single statement: no interactive transaction per sent row (see markSent).
      // The provider has the message now: marking it must not fail on a passing database
      // error, or the lease would expire and the row be sent again. Marking is idempotent.
      let marked = false;
      for (let attempt = 1; ; attempt++) {
        try {
          marked = await outbox.markSent(db.prisma, row, result.providerMessageId, now);
          break;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
      if (marked) stats.sent++;
      else lost();
      return marked;
    }
    if (result.retryable && row.attempts < maxAttempts) {
      const exp = Math.min(backoff.max, backoff.base * 2 ** (row.attempts - 1));
      const jitter = Math.floor(Math.random() * Math.min(1000, exp / 4));
      const wait = Math.max(result.retryAfterMs ?? 0, exp + jitter);
      const marked = await db.prisma.$transaction((tx) =>
        outbox.markRetry(tx, row, result.error, new Date(now.getTime() + wait)),
      );
      if (!marked) {
        lost();
        return false;
      }
      stats.retried++;
      logger.warn(
        { outboxId: String(row.id), channel: row.channel, attempts: row.attempts, waitMs: wait },
        'send failed; will retry',
      );
      return false;
    }
    const marked = await db.prisma.$transaction((tx) => outbox.markFailed(tx, row, result.error));
    if (!marked) {
      lost();
      return false;
    }
    stats.failed++;
    logger.error(
      { outboxId: String(row.id), channel: row.channel, attempts: row.attempts, error: result.error },
      'send failed for good',
    );
    return false;
  }

  async function runOnce(): Promise<number> {
    const now = clock();
    if (now.getTime() - lastLeaseSweep > leaseMs / 4) {
      lastLeaseSweep = now.getTime();
      const released = await db.prisma.$transaction((tx) =>
        outbox.releaseExpired(tx, new Date(now.getTime() - leaseMs), [...sendingNow]),
      );
      if (released) logger.warn({ released }, 'released outbox rows of a worker that stopped mid-send');
    }
    const rows = await db.prisma.$transaction((tx) => outbox.claim(tx, workerId, batchSize, now));
    // Claimed rows belong to distinct addresses (see claim), so they may go out concurrently.
    await Promise.all(rows.map((row) => sendOne(row)));
    return rows.length;
  }

  /**
   * The running loop does not wait for a whole pass: each claimed row is sent on its own and
   * the loop claims again at once. One address's rows leave one after another (a row is only
   * claimable once the address's earlier row is done, see `claim`), each as soon as the one
   * before it went out, at whatever rate the channel's sender allows; a slow or rate-limited
   * chat with 1,000 rows waiting never holds up the rows of other addresses.
   */
  const inflight = new Set<Promise<void>>();

  function launch(row: outbox.OutboxRow): void {
    const sending: Promise<void> = chain(row).finally(() => {
      inflight.delete(sending);
      // Claim again once half the slots are free (or all): one claim serves many rows, instead
      // of one claim query per finished send, which under a burst crowds out the intake.
      if (inflight.size === Math.floor(batchSize / 2) || inflight.size === 0) wake();
    });
    inflight.add(sending);
  }

  /** Sends the row, then the address's next rows one by one while they are due. */
  async function chain(first: outbox.OutboxRow): Promise<void> {
    let row: outbox.OutboxRow | null = first;
    while (row && running) {
      const current: outbox.OutboxRow = row;
      let sent = false;
      try {
        sent = await sendOne(current);
      } catch (error) {
        logger.error({ err: error, outboxId: String(current.id) }, 'outbox send could not be recorded');
      }
      // Most chats have one reply waiting: only look for a next row when the claim saw one.
      if (!sent || !current.more) return;
      row = await outbox.claimNext(db.prisma, workerId, current, clock()).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not claim the next row of a chat; the next pass will');
        return null;
      });
    }
    // Stopped with a row claimed: give it back at once rather than after the lease.
    if (row)
      await db.prisma.$transaction((tx) => outbox.releaseClaim(tx, row as outbox.OutboxRow)).catch(() => {});
  }

  async function claimAndLaunch(): Promise<number> {
    const room = batchSize - inflight.size;
    // Fewer than half the slots free: wait until sends finish (see launch).
    if (room <= 0 || (inflight.size > 0 && room < Math.ceil(batchSize / 2))) return 0;
    const now = clock();
    if (now.getTime() - lastLeaseSweep > leaseMs / 4) {
      lastLeaseSweep = now.getTime();
      const released = await db.prisma.$transaction((tx) =>
        outbox.releaseExpired(tx, new Date(now.getTime() - leaseMs), [...sendingNow]),
      );
      if (released) logger.warn({ released }, 'released outbox rows of a worker that stopped mid-send');
    }
    const rows = await db.prisma.$transaction((tx) => outbox.claim(tx, workerId, room, now));
    for (const row of rows) launch(row);
    return rows.length;
  }

  async function runLoop(): Promise<void> {
    while (running) {
      wakeRequested = false;
      try {
        await claimAndLaunch();
      } catch (error) {
        logger.error({ err: error }, 'outbox pass failed; retrying after a pause');
        await new Promise((r) => setTimeout(r, Math.max(pollMs, 1000)));
        continue;
      }
      if (!running) break;
      // Wait for news: a wake (something queued here, or room freed by a send while the batch
      // was full) or the next poll (rows queued by other processes, retries coming due).
      if (wakeRequested) continue;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, pollMs);
        wakeResolve = resolve;
      });
    }
    await Promise.allSettled([...inflight]);
  }

  function wake(): void {
    wakeRequested = true;
    if (timer) clearTimeout(timer);
    wakeResolve?.();
    wakeResolve = undefined;
  }

  let wakeResolve: (() => void) | undefined;

  return {
    stats,
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    wake,
    runOnce,
    async drain() {
      await Promise.allSettled([...inflight]);
      while ((await runOnce()) > 0) {
        /* keep going until nothing is due */
      }
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wakeResolve?.();
      await loop;
    },
  };
}
