/**
 * Outbox fairness: one chat with 1,000 replies waiting (a burst from one sender, a slow or
 * rate-limited chat) must not hold up anyone else's reply, and its own replies leave in order,
 * one after another, as fast as its channel lets them. The sender here blocks the busy chat's
 * first send until the test lets it go: another chat's reply queued meanwhile must go out.
 */
import { describe, expect, it } from 'vitest';
import type { SendResult } from '../../core/channel/port.ts';
import { createLogger } from '../../core/logger.ts';
import { createDispatcher, type OutboxRow, type Sender } from '../../core/outbox/dispatcher.ts';
import * as outbox from '../../core/store/repos/outbox.ts';
import { until } from '../support/channel-e2e.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';

const BUSY = '+6281200000001';
const OTHER = '+6281200000002';
const BACKLOG = 1_000;

describe.each(DB_KINDS)('outbox fairness on %s', (kind) => {
  const handle = useTestDatabase(kind);

  it('sends another chat’s reply while one chat has 1,000 waiting, and the busy chat’s in order', async () => {
    const db = handle.db;
    await db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < BACKLOG; i++)
        await outbox.enqueue(tx, {
          channel: 'console',
          address: BUSY,
          payload: { address: BUSY, text: `r${i}` },
        });
    });

    const sent: { address: string; text: string }[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let busyStarted = false;
    const sender: Sender = async (row: OutboxRow): Promise<SendResult> => {
      const payload = row.payload as { text: string };
      if (row.address === BUSY && !busyStarted) {
        busyStarted = true;
        await gate; // the busy chat's channel is slow: its first send hangs until released
      }
      sent.push({ address: row.address, text: payload.text });
      return { ok: true, providerMessageId: `p${row.id}` };
    };
    const dispatcher = createDispatcher({
      db,
      senders: new Map([['console', sender]]),
      logger: createLogger({ level: 'silent' }),
      pollMs: 20,
      batchSize: 50,
    });
    dispatcher.start();
    try {
      await until(() => busyStarted, 'the busy chat’s first send');
      await db.prisma.$transaction((tx) =>
        outbox.enqueue(tx, {
          channel: 'console',
          address: OTHER,
          payload: { address: OTHER, text: 'other' },
        }),
      );
      dispatcher.wake();
      // The other chat's reply goes out while the busy chat's first send is still hanging.
      await until(() => sent.some((s) => s.address === OTHER), 'the other chat’s reply', 30_000);
      expect(sent.filter((s) => s.address === BUSY)).toEqual([]);

      release();
      await until(() => sent.filter((s) => s.address === BUSY).length === BACKLOG, 'the backlog', 120_000);
      const busy = sent.filter((s) => s.address === BUSY).map((s) => s.text);
      expect(busy).toEqual(Array.from({ length: BACKLOG }, (_, i) => `r${i}`));
      expect(await db.prisma.outboxItem.count({ where: { status: { not: 'sent' } } })).toBe(0);
    } finally {
      release();
      await dispatcher.stop();
    }
  }, 180_000);
});
