/**
 * Bad input at every edge of the whole service (issue 12's drill findings), on PGlite: every
 * signed request is answered below 500, a signed but unusable one is acknowledged and recorded
 * as rejected with its reason, an unsigned one is refused and stores nothing, one bad item of a
 * WhatsApp batch never drops the others, values PostgreSQL refuses are cleaned before storing,
 * and a message that keeps failing is quarantined while the conversation goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as convos from '../../core/store/repos/conversations.ts';
import {
  type Edge,
  edgeRequest,
  HOSTILE_SECRETS,
  type HostileService,
  startHostileService,
} from '../../fakes/hostile-service.ts';
import { cloudWebhook } from '../../fakes/whatsapp-cloud.ts';
import { storedRows, until } from '../support/channel-e2e.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

const NESTED = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

describe('bad input at every edge', () => {
  let handle: TestDatabase;
  let h: HostileService;

  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    h = await startHostileService(handle, { quarantine: { maxAttempts: 3, backoffMs: 10 } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await handle?.dispose();
  });

  const rejections = () => h.service.db.prisma.inboundRejection.count();
  const send = (edge: Edge, body: unknown, signed = true) => h.inject(edgeRequest(edge, body, signed));
  const tgSent = (chat: number) => h.telegram.sent(chat).map((m) => m.text);

  /** A Telegram update whose message fields are replaced by `fields` (raw JSON allowed via `raw`). */
  function tgUpdate(chat: number, fields: Record<string, unknown>): Record<string, unknown> {
    const update = h.telegram.updates.makeTextUpdate(chat, 'placeholder') as unknown as {
      message: Record<string, unknown>;
    };
    const { text: _text, ...message } = update.message;
    return { ...update, message: { ...message, ...fields } };
  }

  describe('Telegram', () => {
    it.each([
      ['text as a number', { text: 42 }],
      ['text as an object', { text: { body: 'x' } }],
      ['text as an array', { text: ['a', 'b'] }],
      ['caption of the wrong type', { caption: 7, photo: [{ file_id: 'p', width: 1, height: 1 }] }],
      ['photo as a string', { photo: 'abc' }],
      ['location out of range', { location: { latitude: 1e20, longitude: -1e20 } }],
    ])('acknowledges %s, records it as rejected and stores no message', async (_name, fields) => {
      const before = await rejections();
      const rows = await storedRows(h.service);
      const res = await send('telegram', tgUpdate(720_001, fields));
      expect(res.status).toBe(200);
      expect(await rejections()).toBe(before + 1);
      expect((await storedRows(h.service)).messages).toBe(rows.messages);
    });

    it('acknowledges a 10,000-level nested object as text without a stack overflow', async () => {
      const before = await rejections();
      const update = JSON.stringify(tgUpdate(720_002, { text: 0 })).replace('"text":0', `"text":${NESTED}`);
      const res = await send('telegram', update);
      expect(res.status).toBe(200);
      expect(await rejections()).toBe(before + 1);
    });

    it('answers a message whose sender name is an object and whose language code is a number', async () => {
      const chat = 720_003;
      const update = h.telegram.updates.makeTextUpdate(chat, 'halo', {
        from: { id: chat, is_bot: false, first_name: { x: 1 }, language_code: 5 },
      } as never);
      expect((await send('telegram', update)).status).toBe(200);
      await until(() => tgSent(chat).length > 0, 'a reply');
      const citizen = await h.service.db.prisma.conversation.findFirst({
        where: { channel: 'telegram', address: String(chat) },
        include: { citizen: true },
      });
      expect(citizen?.citizen.displayName).toBeNull();
      expect(citizen?.locale).toBe('id');
    });

    it('stores a text with NUL and a lone surrogate, cleaned, and answers it', async () => {
      const chat = 720_004;
      const update = h.telegram.updates.makeTextUpdate(chat, 'jalan\u0000 rusak \ud800 parah');
      expect((await send('telegram', update)).status).toBe(200);
      await until(() => tgSent(chat).length > 0, 'a reply');
      const stored = await h.service.db.prisma.message.findFirst({
        where: { direction: 'incoming', externalId: { startsWith: `msg:${chat}:` } },
      });
      expect(stored?.text).toBe('jalan rusak \ufffd parah');
    });

    it('refuses an unsigned update and stores nothing', async () => {
      const rows = await storedRows(h.service);
      const before = await rejections();
      const res = await send('telegram', h.telegram.updates.makeTextUpdate(720_005, 'halo'), false);
      expect(res.status).toBe(401);
      expect(await storedRows(h.service)).toEqual(rows);
      expect(await rejections()).toBe(before);
    });
  });

  describe('WhatsApp Cloud', () => {
    const text = (from: string, id: string, body: unknown, timestamp = '1750000000') =>
      cloudWebhook.message('text', { text: { body } }, { from, id, timestamp });
    const repliesTo = (phone: string) => h.graph.bodies.filter((b) => b.to === phone);

    it('handles the real messages of a batch whose other items are broken', async () => {
      const before = await rejections();
      const body = cloudWebhook.envelope({
        contacts: [{ wa_id: '6281299900001', profile: { name: { first: 'x' } } }],
        messages: [
          text('6281299900001', 'wamid.bad-input-ok-1', 'jalan rusak di depan rumah'),
          text('6281299900002', 'wamid.bad-input-num', 42),
          text('6281299900003', 'wamid.bad-input-obj', { deep: true }),
          'not a message',
          text('6281299900004', 'wamid.bad-input-ok-2', 'lampu jalan\u0000 mati', '1e20'),
          text('6281299900005', 'wamid.bad-input-ok-3', 'sampah menumpuk', '-100000000000000000000'),
        ],
      }) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
      const value = body.entry[0]!.changes[0]!.value;
      value.errors = [{ code: 'x', message: 131_000, title: { t: 1 } }, { message: ['a'] }];
      value.statuses = [{ id: 5, status: [] }];
      const res = await send('whatsapp', body);
      expect(res.status).toBe(200);
      // Two bad messages, a non-object and a bad status: four rejections; errors[] are only logged.
      expect(await rejections()).toBe(before + 4);
      for (const phone of ['6281299900001', '6281299900004', '6281299900005'])
        await until(() => repliesTo(phone).length > 0, `a reply to ${phone}`);
      const stored = await h.service.db.prisma.message.findMany({
        where: { direction: 'incoming', externalId: { startsWith: 'wamid.bad-input-ok' } },
        orderBy: { externalId: 'asc' },
      });
      expect(stored.map((m) => m.text)).toEqual([
        'jalan rusak di depan rumah',
        'lampu jalan mati',
        'sampah menumpuk',
      ]);
      for (const m of stored) {
        expect(m.createdAt.getUTCFullYear()).toBeGreaterThanOrEqual(2025);
        expect(m.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 86_400_000);
      }
    });

    it('acknowledges a text body nested 10,000 levels deep as rejected', async () => {
      const before = await rejections();
      const raw = JSON.stringify(
        cloudWebhook.envelope({ messages: [text('6281299900006', 'wamid.nested', 0)] }),
      ).replace('"body":0', `"body":${NESTED}`);
      expect((await send('whatsapp', raw)).status).toBe(200);
      expect(await rejections()).toBe(before + 1);
    });

    it('refuses an unsigned webhook and stores nothing', async () => {
      const rows = await storedRows(h.service);
      const body = cloudWebhook.envelope({ messages: [text('6281299900007', 'wamid.unsigned', 'halo')] });
      expect((await send('whatsapp', body, false)).status).toBe(401);
      expect(await storedRows(h.service)).toEqual(rows);
    });
  });

  describe('SMS gateway', () => {
    it.each([
      ['text as a number', { id: 's1', from: '081299900011', text: 5 }],
      ['text as an object', { id: 's2', from: '081299900012', text: { a: 1 } }],
      ['from as an object', { id: 's3', from: { n: 1 }, text: 'halo' }],
    ])('acknowledges %s and records it as rejected', async (_name, body) => {
      const before = await rejections();
      expect((await send('sms', body)).status).toBe(200);
      expect(await rejections()).toBe(before + 1);
    });

    it('answers an SMS with NUL and absurd timestamps, storing a plausible time', async () => {
      for (const [id, receivedAt] of [
        ['s4', 1e20],
        ['s5', -1e20],
      ] as const) {
        const res = await send('sms', {
          id,
          from: '081299900013',
          text: 'email saya a\u0000b.id',
          receivedAt,
        });
        expect(res.status).toBe(200);
      }
      await until(() => h.sms.sent.filter((s) => s.to === '+6281299900013').length >= 2, 'two replies');
      const stored = await h.service.db.prisma.message.findMany({
        where: { direction: 'incoming', channel: 'sms', externalId: { in: ['s4', 's5'] } },
      });
      expect(stored.map((m) => m.text)).toEqual(['email saya a@b.id', 'email saya a@b.id']);
      for (const m of stored) expect(Math.abs(m.createdAt.getTime() - Date.now())).toBeLessThan(86_400_000);
    });
  });

  describe('Slack desk', () => {
    it.each([
      ['an event as a string', 'slack_events', { type: 'event_callback', event: 'message' }],
      [
        'a block_suggestion with a numeric value',
        'slack_form',
        { type: 'block_suggestion', user: { id: 'U1' }, action_id: 'lapor_agency', value: 5 },
      ],
      [
        'actions as a string',
        'slack_form',
        { type: 'block_actions', user: { id: 'U1' }, actions: 'lapor_resolve' },
      ],
      [
        'a view_submission without view.state',
        'slack_form',
        { type: 'view_submission', user: { id: 'U1' }, view: { callback_id: 'lapor_modal_reply' } },
      ],
      ['a body nested 10,000 levels deep', 'slack_events', NESTED],
    ] as const)('acknowledges %s and records it as rejected', async (_name, edge, body) => {
      const before = await rejections();
      const res = await send(edge, body);
      expect(res.status).toBe(200);
      expect(await rejections()).toBe(before + 1);
    });

    it('answers /lapor without text with its usage line', async () => {
      const res = await send('slack_command', { command: '/lapor', user_id: 'U1', channel_id: 'C0ADMIN' });
      expect(res.status).toBe(200);
      expect(res.body).toContain('/lapor <nomor laporan>');
    });

    it('refuses an unsigned request', async () => {
      expect((await send('slack_events', { type: 'event_callback', event: {} }, false)).status).toBe(401);
    });
  });

  describe('poison-message quarantine', () => {
    it('quarantines a message that keeps failing, tells the citizen once, and goes on with the chat', async () => {
      const chat = 720_100;
      expect((await send('telegram', h.telegram.updates.makeTextUpdate(chat, 'halo'))).status).toBe(200);
      await until(() => tgSent(chat).length > 0, 'first reply');
      const conversation = await h.service.db.prisma.conversation.findFirstOrThrow({
        where: { channel: 'telegram', address: String(chat) },
      });
      // A row stored before payloads were checked (media as a string): the dialog throws on it.
      const poison = await convos.storeInboundFast(h.service.db.prisma, {
        channel: 'telegram',
        address: String(chat),
        externalId: `msg:${chat}:poison`,
        text: 'foto',
        payload: { media: 'abc' },
        receivedAt: new Date(),
      });
      expect(poison?.id).toBeTruthy();
      const before = tgSent(chat).length;
      const res = await send(
        'telegram',
        h.telegram.updates.makeTextUpdate(
          chat,
          'jalan berlubang di Kec. Kemangkon, Purbalingga sudah 2 bulan',
        ),
      );
      expect(res.status).toBe(200);
      const failed = await until(
        () =>
          h.service.db.prisma.message.findFirst({
            where: { id: poison?.id as string, failedAt: { not: null } },
          }),
        'the poison message quarantined',
      );
      expect(failed.attempts).toBe(3);
      expect(failed.failure).toMatch(/^TypeError/);
      expect(failed.failure).not.toContain('foto');
      // The later message is answered, and the citizen heard once that one was unreadable.
      await until(() => tgSent(chat).some((t) => t.startsWith('Mohon periksa laporan Anda')), 'the summary');
      const after = tgSent(chat).slice(before);
      expect(after.filter((t) => t.startsWith('Maaf, kami tidak dapat membaca pesan'))).toHaveLength(1);
      const pending = await h.service.db.prisma.message.count({
        where: { conversationId: conversation.id, direction: 'incoming', processedAt: null, failedAt: null },
      });
      expect(pending).toBe(0);

      // Retried by an operator, it fails again and is set aside again; dropped, it is done with.
      expect(await h.service.intake.retryFailed(poison?.id as string)).toBe(true);
      await until(
        () =>
          h.service.db.prisma.message.findFirst({
            where: { id: poison?.id as string, failedAt: { not: null } },
          }),
        'quarantined again',
      );
      expect(await h.service.intake.retryFailed('no-such-message')).toBe(false);

      // Operators see it: the dashboard's quarantine section and the metric.
      const auth = { authorization: `Bearer ${HOSTILE_SECRETS.admin}` };
      const dashboard = await h.inject({ method: 'GET', url: '/dashboard', headers: auth });
      expect(dashboard.status).toBe(200);
      expect(dashboard.body).toContain('Pesan dikarantina (1)');
      const metrics = await h.inject({ method: 'GET', url: '/metrics', headers: auth });
      expect(metrics.body).toMatch(/^lapor_quarantined_messages 1$/m);
    });
  });

  it('stays healthy after all of it', async () => {
    expect((await h.inject({ method: 'GET', url: '/healthz' })).status).toBe(200);
    expect((await h.inject({ method: 'GET', url: '/readyz' })).status).toBe(200);
  });
});
