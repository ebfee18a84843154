/**
 * Telegram through the whole service: grammY (the real library) against the fake Bot API on
 * loopback, the adapter built from configuration by createService, the real dialog, routing,
 * store and outbox, on PGlite and on PostgreSQL.
 *
 * - Webhook mode: Telegram's POSTs go to the service's own HTTP port (real sockets).
 * - Long polling: the adapter's getUpdates loop fetches what the fake queues.
 */
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { type FakeTelegram, type SentMessage, startFakeTelegram } from '../../fakes/telegram.ts';
import {
  COMPLETE_REPORT,
  inboundRows,
  officerReplies,
  reportsFrom,
  storedRows,
  TRACKING_ID,
  trackingIdIn,
  until,
  useSuiteDatabase,
} from '../support/channel-e2e.ts';
import { DB_KINDS } from '../support/db.ts';
import { createTestService } from '../support/service.ts';

const SECRET = 'lapor-e2e-webhook_secret-01';
const WAIT_MS = 20_000;

/** Callback data of the inline keyboard the bot sent, row by row flattened. */
function buttonsOf(message: SentMessage): string[] {
  const markup = message.replyMarkup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][] }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
}

const isSummary = (chatId: number) => (m: SentMessage) =>
  m.chatId === String(chatId) && m.text.startsWith('Mohon periksa laporan Anda');
const isFiled = (chatId: number) => (m: SentMessage) =>
  m.chatId === String(chatId) && /tercatat dengan nomor \*LPR-/.test(m.text);

describe.each(DB_KINDS)('Telegram through the whole service on %s', (kind) => {
  const database = useSuiteDatabase(kind);

  describe('webhook mode: POST /webhooks/telegram on the service port', () => {
    let fake: FakeTelegram;
    let service: Service;
    let base: string;

    beforeAll(async () => {
      fake = await startFakeTelegram();
      service = await createTestService(database.handle, {
        env: {
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_MODE: 'webhook',
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          TELEGRAM_API_ROOT: fake.apiRoot,
          TELEGRAM_WEBHOOK_URL: 'https://lapor.purbalinggakab.go.id/webhooks/telegram',
        },
      });
      await service.start();
      const { port } = service.app().server.address() as AddressInfo;
      base = `http://127.0.0.1:${port}`;
    });

    afterAll(async () => {
      await service?.stop();
      await fake?.close();
    });

    function post(body: Update | string, secret: string | null = SECRET): Promise<Response> {
      return fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    }

    it('the adapter built from config is on, registered its webhook with the secret and says so', () => {
      expect(service.adapters.map((a) => a.kind)).toEqual(['telegram']);
      expect(service.adapters[0]?.describe()).toBe(
        'telegram: webhook at POST /webhooks/telegram as @lapor_test_bot',
      );
      expect(fake.calls('getMe')).toHaveLength(1);
      expect(fake.webhook).toEqual({
        url: 'https://lapor.purbalinggakab.go.id/webhooks/telegram',
        secretToken: SECRET,
        allowedUpdates: ['message', 'callback_query'],
      });
    });

    it('a citizen files a report with one button press, gets the tracking ID, then the officer reply in the same chat', async () => {
      const chat = 610_001;
      expect((await post(fake.updates.makeTextUpdate(chat, COMPLETE_REPORT))).status).toBe(200);

      const summary = await fake.waitForSent(isSummary(chat), WAIT_MS);
      expect(summary.text).toContain('Kec. Kemangkon, Kab. Purbalingga');
      expect(buttonsOf(summary)).toEqual(['confirm', 'confirm:rahasia', 'confirm:anonim', 'edit', 'cancel']);

      // The citizen presses "Kirim": the callback query carries the choice id.
      const press = fake.updates.makeCallbackUpdate(chat, 'confirm', summary.messageId);
      expect((await post(press)).status).toBe(200);

      const filed = await fake.waitForSent(isFiled(chat), WAIT_MS);
      const trackingId = trackingIdIn(filed.text)!;
      expect(trackingId).toMatch(TRACKING_ID);
      expect(fake.calls('answerCallbackQuery').map((c) => c.params.callback_query_id)).toContain(
        press.callback_query?.id,
      );

      const [report] = await reportsFrom(service, 'telegram', String(chat));
      expect(report).toMatchObject({ trackingId, privacy: 'biasa', status: 'didisposisikan' });

      await officerReplies(service, trackingId, 'Perbaikan dijadwalkan Senin depan oleh tim UPT Jalan.');
      const reply = await fake.waitForSent(
        (m) => m.chatId === String(chat) && m.text.includes('Perbaikan dijadwalkan Senin depan'),
        WAIT_MS,
      );
      expect(reply.text).toContain(trackingId);
      expect(reply.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');
    });

    it('a different button (kirim anonim) maps to its own choice', async () => {
      const chat = 610_002;
      await post(fake.updates.makeTextUpdate(chat, COMPLETE_REPORT));
      const summary = await fake.waitForSent(isSummary(chat), WAIT_MS);
      await post(fake.updates.makeCallbackUpdate(chat, 'confirm:anonim', summary.messageId));
      await fake.waitForSent(isFiled(chat), WAIT_MS);
      const [report] = await reportsFrom(service, 'telegram', String(chat));
      expect(report?.privacy).toBe('anonim');
    });

    it('refuses a missing or wrong secret token with 401 and stores nothing', async () => {
      const before = await storedRows(service);
      const update = fake.updates.makeTextUpdate(610_003, COMPLETE_REPORT);
      const missing = await post(update, null);
      const wrong = await post(update, 'not-the-secret');
      expect([missing.status, wrong.status]).toEqual([401, 401]);
      expect(await storedRows(service)).toEqual(before);
    });

    it('answers malformed JSON 400 and signed non-updates 200, records them as rejected and stores nothing else', async () => {
      const before = await storedRows(service);
      const rejectedBefore = await service.db.prisma.inboundRejection.count();
      const statuses = [];
      for (const body of ['{"update_id": 1, "message": ', 'null', '[]', '{}', '{"update_id": -5, "x": 1}']) {
        statuses.push((await post(body)).status);
      }
      // A signed body Telegram sent is acknowledged: anything else is redelivered forever.
      expect(statuses).toEqual([400, 200, 200, 200, 200]);
      expect(await storedRows(service)).toEqual(before);
      const rejections = await service.db.prisma.inboundRejection.findMany({ skip: rejectedBefore });
      expect(rejections.map((r) => r.channel)).toEqual(['telegram', 'telegram', 'telegram', 'telegram']);
      expect(rejections.map((r) => r.reason.split(':')[0])).toEqual([
        'body',
        'body',
        'update_id',
        'update_id',
      ]);
    });

    it('answers stickers, contacts and voice notes politely and keeps going', async () => {
      const chat = 610_004;
      const updates = [
        fake.updates.makeStickerUpdate(chat),
        fake.updates.makeMediaUpdate(chat, 'contact'),
        fake.updates.makeMediaUpdate(chat, 'voice'),
      ];
      for (const update of updates) expect((await post(update)).status).toBe(200);
      const replies = await until(() => {
        const sent = fake.sent(chat);
        return sent.length >= 3 && sent;
      }, 'three polite replies');
      expect(replies.map((m) => m.text)).toEqual([
        'Maaf, kami belum bisa membaca stiker. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca kontak. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca pesan suara. Mohon tulis dengan teks.',
      ]);
      // Still a working conversation: a real report afterwards gets its summary.
      await post(fake.updates.makeTextUpdate(chat, COMPLETE_REPORT));
      await fake.waitForSent(isSummary(chat), WAIT_MS);
    });

    it('a webhook delivered twice stores one message, sends one reply and files one report', async () => {
      const chat = 610_005;
      const first = fake.updates.makeTextUpdate(chat, COMPLETE_REPORT);
      expect((await post(first)).status).toBe(200);
      expect((await post(first)).status).toBe(200);
      expect(await inboundRows(service, 'telegram', String(chat))).toBe(1);

      const summary = await fake.waitForSent(isSummary(chat), WAIT_MS);
      // The "1" typed and the button pressed, each delivered twice.
      const typed = fake.updates.makeTextUpdate(chat, '1');
      await post(typed);
      await post(typed);
      const press = fake.updates.makeCallbackUpdate(chat, 'confirm', summary.messageId);
      await post(press);
      await post(press);
      expect(await inboundRows(service, 'telegram', String(chat))).toBe(3);

      await fake.waitForSent(isFiled(chat), WAIT_MS);
      await service.dispatcher.drain();
      expect(await reportsFrom(service, 'telegram', String(chat))).toHaveLength(1);
      expect(fake.sent(chat).filter(isSummary(chat))).toHaveLength(1);
      expect(fake.sent(chat).filter(isFiled(chat))).toHaveLength(1);
    });

    it('/start greets, and a photo sent with the report as caption is kept with the filed report', async () => {
      const chat = 610_007;
      await post(fake.updates.makeTextUpdate(chat, '/start'));
      const welcome = await fake.waitForSent((m) => m.chatId === String(chat), WAIT_MS);
      expect(welcome.text).toMatch(/^Halo, ini layanan pengaduan LAPOR!/);

      await post(fake.updates.makePhotoUpdate(chat, 'AgACAgUAAxkBAAIBfotoE2E', COMPLETE_REPORT));
      const summary = await fake.waitForSent(isSummary(chat), WAIT_MS);
      await post(fake.updates.makeCallbackUpdate(chat, 'confirm', summary.messageId));
      const filed = await fake.waitForSent(isFiled(chat), WAIT_MS);
      const report = await service.db.prisma.report.findUniqueOrThrow({
        where: { trackingId: trackingIdIn(filed.text)! },
        include: { attachments: true },
      });
      expect(report.attachments.map((a) => ({ channel: a.channel, kind: a.kind, ref: a.ref }))).toEqual([
        { channel: 'telegram', kind: 'photo', ref: 'AgACAgUAAxkBAAIBfotoE2E' },
      ]);
    });

    it('a 429 from Telegram is retried after retry_after and the reply still arrives once', async () => {
      const chat = 610_008;
      fake.failNext('sendMessage', { status: 429, retryAfter: 1 });
      await post(fake.updates.makeTextUpdate(chat, COMPLETE_REPORT));
      await fake.waitForSent(isSummary(chat), WAIT_MS);
      const row = await until(async () => {
        const rows = await service.db.prisma.outboxItem.findMany({
          where: { channel: 'telegram', address: String(chat), status: 'sent' },
        });
        return rows[0];
      }, 'the outbox row marked sent');
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      expect(fake.sent(chat)).toHaveLength(1);
    });

    it('a typed "1" confirms like the button', async () => {
      const chat = 610_006;
      await post(fake.updates.makeTextUpdate(chat, COMPLETE_REPORT));
      await fake.waitForSent(isSummary(chat), WAIT_MS);
      await post(fake.updates.makeTextUpdate(chat, '1'));
      const filed = await fake.waitForSent(isFiled(chat), WAIT_MS);
      expect(trackingIdIn(filed.text)).toMatch(TRACKING_ID);
    });
  });

  describe('two service processes on one database behind a load balancer (webhook mode)', () => {
    let fake: FakeTelegram;
    const services: Service[] = [];

    beforeAll(async () => {
      fake = await startFakeTelegram();
      for (const workerId of ['lb-a', 'lb-b']) {
        const service = await createTestService(database.handle, {
          env: {
            TELEGRAM_BOT_TOKEN: fake.token,
            TELEGRAM_MODE: 'webhook',
            TELEGRAM_WEBHOOK_SECRET: SECRET,
            TELEGRAM_API_ROOT: fake.apiRoot,
          },
          dispatcher: { workerId },
        });
        services.push(service);
        await service.start({ listen: false });
      }
    });

    afterAll(async () => {
      for (const service of services) await service.stop();
      await fake?.close();
    });

    const deliver = (service: Service, update: Update) =>
      service
        .app()
        .inject({
          method: 'POST',
          url: '/webhooks/telegram',
          headers: { 'x-telegram-bot-api-secret-token': SECRET },
          payload: update,
        })
        .then((r) => r.statusCode);

    it('the first messages of a new chat, arriving at both at once, all land in one conversation', async () => {
      const chat = 640_001;
      const [a, b] = services as [Service, Service];
      const updates = [
        fake.updates.makeTextUpdate(chat, 'halo'),
        fake.updates.makeTextUpdate(chat, COMPLETE_REPORT),
        fake.updates.makeStickerUpdate(chat),
        fake.updates.makeTextUpdate(chat, 'tolong segera'),
      ];
      const statuses = await Promise.all(updates.map((u, i) => deliver(i % 2 ? b : a, u)));
      expect(statuses).toEqual([200, 200, 200, 200]);
      expect(await inboundRows(a, 'telegram', String(chat))).toBe(4);
      expect(
        await a.db.prisma.conversation.count({ where: { channel: 'telegram', address: String(chat) } }),
      ).toBe(1);
      expect(
        await a.db.prisma.channelIdentity.count({ where: { channel: 'telegram', address: String(chat) } }),
      ).toBe(1);
    });

    it('one update delivered to both processes at once is stored and answered once', async () => {
      const chat = 640_002;
      const [a, b] = services as [Service, Service];
      const update = fake.updates.makeTextUpdate(chat, COMPLETE_REPORT);
      expect(await Promise.all([deliver(a, update), deliver(b, update)])).toEqual([200, 200]);
      expect(await inboundRows(a, 'telegram', String(chat))).toBe(1);
      await fake.waitForSent(isSummary(chat), WAIT_MS);
      await Promise.all(services.map((s) => s.dispatcher.drain()));
      expect(fake.sent(chat)).toHaveLength(1);
    });
  });

  describe('long polling: grammY fetches updates from the fake', () => {
    let fake: FakeTelegram;
    let service: Service;

    beforeAll(async () => {
      fake = await startFakeTelegram();
      service = await createTestService(database.handle, {
        env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: fake.apiRoot },
      });
      await service.start({ listen: false });
    });

    afterAll(async () => {
      await service?.stop();
      await fake?.close();
    });

    it('says it is polling', () => {
      expect(service.adapters[0]?.describe()).toBe('telegram: long polling as @lapor_test_bot');
      expect(fake.calls('deleteWebhook')).toHaveLength(1);
    });

    it('a citizen files a report, presses the button, gets the tracking ID and later the officer reply', async () => {
      const chat = 620_001;
      fake.injectMessage(chat, COMPLETE_REPORT);
      const summary = await fake.waitForSent(isSummary(chat), WAIT_MS);
      expect(buttonsOf(summary)).toContain('confirm');

      const press = fake.injectCallback(chat, 'confirm', summary.messageId);
      const filed = await fake.waitForSent(isFiled(chat), WAIT_MS);
      const trackingId = trackingIdIn(filed.text)!;
      // The press was answered (spinner stopped) and the keyboard removed.
      await until(
        () =>
          fake
            .calls('answerCallbackQuery')
            .some((c) => c.params.callback_query_id === press.callback_query?.id),
        'answerCallbackQuery',
      );
      await until(
        () => fake.sent(chat).find((m) => m.messageId === summary.messageId)?.replyMarkup === undefined,
        'keyboard removed',
      );

      await officerReplies(service, trackingId, 'Tim kami sudah meninjau lokasi.');
      const reply = await fake.waitForSent(
        (m) => m.chatId === String(chat) && m.text.includes('Tim kami sudah meninjau lokasi.'),
        WAIT_MS,
      );
      expect(reply.text).toContain(trackingId);
    });

    it('an update delivered again (not confirmed before a restart) is stored and answered once', async () => {
      const chat = 620_002;
      const update = fake.updates.makeTextUpdate(chat, COMPLETE_REPORT);
      fake.injectUpdate(update);
      await fake.waitForSent(isSummary(chat), WAIT_MS);
      // The same message again (as after a restart before the offset was confirmed); the adapter
      // keys messages by chat and message_id, never by update_id.
      fake.injectUpdate({ ...update, update_id: fake.updates.nextUpdateId() });
      fake.injectSticker(chat);
      // One chat is handled in order: once the sticker is answered, the re-delivery was handled too.
      const stickerReply = (m: SentMessage) => m.chatId === String(chat) && m.text.includes('stiker');
      await fake.waitForSent(stickerReply, WAIT_MS);
      await until(() => fake.sent(chat).length >= 3, 'the summary asked again after the sticker');
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'telegram', String(chat))).toBe(2);
      // Summary, sticker answer, summary again (the pending question) and nothing for the re-delivery.
      expect(
        fake.sent(chat).map((m) => (isSummary(chat)(m) ? 'summary' : stickerReply(m) ? 'sticker' : m.text)),
      ).toEqual(['summary', 'sticker', 'summary']);
    });
  });
});
