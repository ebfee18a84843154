/**
 * The store, against both databases it supports: embedded PGlite and a PostgreSQL server.
 * Same suite, same migrations; each test starts from an empty database (agencies seeded).
 */
import { describe, expect, it } from 'vitest';
import * as convos from '../../core/store/repos/conversations.ts';
import * as outbox from '../../core/store/repos/outbox.ts';
import * as reports from '../../core/store/repos/reports.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';

const NOW = new Date('2026-12-01T03:00:00Z');

describe.each(DB_KINDS)('store on %s', (kind) => {
  const t = useTestDatabase(kind);

  async function conversation(address = '+6281234567890') {
    return t.db.prisma.$transaction((tx) =>
      convos.ensureConversation(tx, { channel: 'whatsapp', address, locale: 'id', initialState: { v: 1 } }),
    );
  }

  it('creates a citizen with a channel identity on first contact and reuses it afterwards', async () => {
    const first = await conversation();
    const again = await conversation();
    expect(again.id).toBe(first.id);
    expect(await t.db.prisma.citizen.count()).toBe(1);
    const identity = await t.db.prisma.channelIdentity.findFirstOrThrow();
    expect(identity).toMatchObject({
      channel: 'whatsapp',
      address: '+6281234567890',
      citizenId: first.citizenId,
    });
  });

  it('stores an inbound message once per (channel, external id), however often it is delivered', async () => {
    const c = await conversation();
    const message = {
      channel: 'whatsapp',
      externalId: 'wamid.1',
      text: 'jalan rusak',
      payload: {},
      receivedAt: NOW,
    };
    const a = await t.db.prisma.$transaction((tx) => convos.insertInbound(tx, c.id, message));
    const b = await t.db.prisma.$transaction((tx) => convos.insertInbound(tx, c.id, message));
    expect(a).toEqual(expect.any(String));
    expect(b).toBeNull();
    expect(await t.db.prisma.message.count()).toBe(1);
    // The same provider id on another channel is another message.
    const other = await t.db.prisma.$transaction((tx) =>
      convos.insertInbound(tx, c.id, { ...message, channel: 'sms' }),
    );
    expect(other).toEqual(expect.any(String));
  });

  it('lists unprocessed inbound messages oldest first and forgets them once processed', async () => {
    const c = await conversation();
    for (const [i, text] of ['satu', 'dua', 'tiga'].entries()) {
      await t.db.prisma.$transaction((tx) =>
        convos.insertInbound(tx, c.id, {
          channel: 'whatsapp',
          externalId: `m${i}`,
          text,
          payload: {},
          receivedAt: new Date(NOW.getTime() + i),
        }),
      );
    }
    const pending = await t.db.prisma.$transaction((tx) => convos.unprocessedInbound(tx, c.id));
    expect(pending.map((m) => m.text)).toEqual(['satu', 'dua', 'tiga']);
    await t.db.prisma.$transaction((tx) => convos.markProcessed(tx, [pending[0]!.id], NOW));
    const left = await t.db.prisma.$transaction((tx) => convos.unprocessedInbound(tx, c.id));
    expect(left.map((m) => m.text)).toEqual(['dua', 'tiga']);
    expect(await t.db.prisma.$transaction((tx) => convos.conversationsWithBacklog(tx, 10))).toEqual([c.id]);
  });

  it('keeps dialog state as JSON and counts its versions', async () => {
    const c = await conversation();
    const state = {
      v: 1,
      phase: 'collecting',
      draft: { description: 'lampu mati', media: [] },
      questions: 1,
    };
    await t.db.prisma.$transaction((tx) => convos.saveState(tx, c.id, state, 'en'));
    const row = await t.db.prisma.$transaction((tx) => convos.lockConversation(tx, c.id));
    expect(row.state).toEqual(state);
    expect(row.locale).toBe('en');
    expect(row.version).toBe(1);
  });

  it('refuses a second report with the same tracking id and reports it as a collision', async () => {
    const c = await conversation();
    const base = {
      trackingId: 'LPR-7KQ-9M4-XTW',
      type: 'pengaduan' as const,
      category: 'pekerjaan_umum',
      description: 'jalan berlubang',
      regionCode: '33.03',
      regionName: 'Kab. Purbalingga',
      latitude: null,
      longitude: null,
      privacy: 'biasa' as const,
      status: 'diterima' as const,
      agencyCode: 'ADMIN',
      citizenId: c.citizenId,
      conversationId: c.id,
      channel: 'whatsapp',
      locale: 'id',
      classifierConfidence: 0.9,
      routeReason: null,
      dueAt: null,
      dueKind: null,
      createdAt: NOW,
    };
    const first = await t.db.prisma.$transaction((tx) => reports.insertReport(tx, base));
    expect(first?.trackingId).toBe('LPR-7KQ-9M4-XTW');
    const second = await t.db.prisma.$transaction((tx) => reports.insertReport(tx, base));
    expect(second).toBeNull();
    expect(await t.db.prisma.report.count()).toBe(1);
  });

  it('claims outbox rows one per address at a time, in order, and never the same row twice', async () => {
    await t.db.prisma.$transaction(async (tx) => {
      for (const address of ['a', 'a', 'b', 'c', 'c']) {
        await outbox.enqueue(tx, { channel: 'telegram', address, payload: { text: address } });
      }
    });
    const first = await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'w1', 10, NOW));
    expect(first.map((r) => r.address)).toEqual(['a', 'b', 'c']);
    // The second rows of a and c wait until the first ones are done.
    expect(await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'w2', 10, NOW))).toEqual([]);
    for (const row of first) await t.db.prisma.$transaction((tx) => outbox.markSent(tx, row, 'p1', NOW));
    const second = await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'w2', 10, NOW));
    expect(second.map((r) => r.address)).toEqual(['a', 'c']);
    expect(second.every((r) => r.attempts === 1)).toBe(true);
  });

  it('puts rows of a worker that died mid-send back in the queue after the lease', async () => {
    await t.db.prisma.$transaction((tx) =>
      outbox.enqueue(tx, { channel: 'sms', address: '+62811', payload: {} }),
    );
    const [row] = await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'dead', 10, NOW));
    expect(row).toBeDefined();
    expect(
      await t.db.prisma.$transaction((tx) => outbox.releaseExpired(tx, new Date(NOW.getTime() - 1))),
    ).toBe(0);
    expect(
      await t.db.prisma.$transaction((tx) => outbox.releaseExpired(tx, new Date(NOW.getTime() + 1))),
    ).toBe(1);
    const again = await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'alive', 10, NOW));
    expect(again.map((r) => [r.id, r.attempts])).toEqual([[row!.id, 2]]);
  });

  it('records a provider delivery receipt on the outgoing message', async () => {
    const c = await conversation();
    await t.db.prisma.$transaction(async (tx) => {
      const messageId = await convos.insertOutgoing(tx, {
        conversationId: c.id,
        channel: 'whatsapp_cloud',
        text: 'halo',
      });
      await outbox.enqueue(tx, { channel: 'whatsapp_cloud', address: c.address, payload: {}, messageId });
    });
    const [row] = await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'w', 1, NOW));
    await t.db.prisma.$transaction((tx) => outbox.markSent(tx, row!, 'wamid.OUT1', NOW));
    expect(await t.db.prisma.$transaction((tx) => outbox.recordDelivery(tx, 'wamid.OUT1', 'read'))).toBe(1);
    const message = await t.db.prisma.message.findFirstOrThrow({ where: { direction: 'outgoing' } });
    expect(message.deliveryStatus).toBe('read');
  });
});

describe('outbox claims on PostgreSQL with two concurrent workers', () => {
  const t = useTestDatabase('postgresql');

  it('skips rows another open transaction holds (FOR UPDATE SKIP LOCKED)', async () => {
    await t.db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 20; i++)
        await outbox.enqueue(tx, { channel: 'telegram', address: `chat-${i}`, payload: { i } });
    });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimedByA: bigint[] = [];
    const a = t.db.prisma.$transaction(
      async (tx) => {
        claimedByA = (await outbox.claim(tx, 'A', 10, NOW)).map((r) => r.id);
        await held; // keep the rows locked while B claims
      },
      { timeout: 20_000 },
    );
    while (claimedByA.length === 0) await new Promise((r) => setTimeout(r, 5));
    const claimedByB = (await t.db.prisma.$transaction((tx) => outbox.claim(tx, 'B', 20, NOW))).map(
      (r) => r.id,
    );
    release();
    await a;
    expect(claimedByA).toHaveLength(10);
    expect(claimedByB).toHaveLength(10);
    expect(claimedByA.filter((id) => claimedByB.includes(id))).toEqual([]);
  });
});
