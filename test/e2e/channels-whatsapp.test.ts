/**
 * WhatsApp through the whole service on a real database (PGlite):
 *
 * - whatsapp-web.js: the adapter drives an EventEmitter fake of the library's `Client` (the
 *   real Client is checked against the same interface at type level below);
 * - the Cloud API: the adapter is built from configuration, Meta's signed webhooks go to the
 *   service's own HTTP port, and replies go to a fake Graph API on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { createWhatsAppWebAdapter, type WhatsAppClientLike } from '../../bots/whatsapp/index.ts';
import {
  cloudWebhook,
  FakeWhatsAppCloud,
  type RecordedGraphRequest,
  signedWebhookPost,
} from '../../fakes/whatsapp-cloud.ts';
import { FakeWWebClient } from '../../fakes/wweb-client.ts';
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
import { createTestService } from '../support/service.ts';

// Type-level contract: tsc fails here if the real whatsapp-web.js Client stops matching the
// interface the adapter (and FakeWWebClient) implement.
type RealClientIsCompatible = import('whatsapp-web.js').Client extends WhatsAppClientLike ? true : never;
const realClientIsCompatible: RealClientIsCompatible = true;

const APP_SECRET = 'e2e-app-secret-5b1d';
const VERIFY_TOKEN = 'e2e-verify-token';
const PHONE_NUMBER_ID = '106540352242922';

const SUMMARY = 'Mohon periksa laporan Anda';
const NUMBERED =
  '1. Kirim\n2. Kirim, rahasiakan identitas\n3. Kirim secara anonim\n4. Ubah\n5. Batal\nBalas dengan angka 1–5.';
const FILED = /tercatat dengan nomor \*LPR-/;

describe('WhatsApp through the whole service on pglite', () => {
  const database = useSuiteDatabase('pglite');
  let graph: FakeWhatsAppCloud;
  let wweb: FakeWWebClient;
  let service: Service;
  let base: string;
  const wwebDataDir = mkdtempSync(join(tmpdir(), 'lapor-wweb-'));

  beforeAll(async () => {
    graph = await FakeWhatsAppCloud.start();
    wweb = new FakeWWebClient();
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    // whatsapp-web.js needs a client factory config cannot give: build that adapter here.
    const whatsappWeb = createWhatsAppWebAdapter(
      { dataDir: wwebDataDir },
      { logger: silent, clientFactory: () => wweb, printQr: () => {} },
    );
    service = await createTestService(database.handle, {
      env: {
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
        WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
        WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-e2e-access-token',
        WHATSAPP_CLOUD_GRAPH_API_BASE: graph.baseUrl,
      },
      adapters: [whatsappWeb],
    });
    await service.start();
    wweb.emit('ready');
    const { port } = service.app().server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await graph?.close();
    rmSync(wwebDataDir, { recursive: true, force: true });
  });

  it('runs both WhatsApp adapters side by side', () => {
    expect(realClientIsCompatible).toBe(true);
    expect(service.adapters.map((a) => a.kind).sort()).toEqual(['whatsapp', 'whatsapp_cloud']);
    expect(wweb.initializeCalls).toBe(1);
  });

  describe('whatsapp-web.js (EventEmitter fake of the Client)', () => {
    const sentTo = (phone: string) => wweb.sent.filter((s) => s.chatId === `${phone}@c.us`);

    it('a citizen files a report by typing "2" (kirim rahasia), gets the tracking ID and the officer reply', async () => {
      const phone = '6281234500001';
      wweb.emitMessage({ from: `${phone}@c.us`, body: COMPLETE_REPORT });
      const summary = await until(
        () => sentTo(phone).find((s) => s.content.startsWith(SUMMARY)),
        'summary on WhatsApp Web',
      );
      expect(summary.content).toContain('Kec. Kemangkon, Kab. Purbalingga');
      expect(summary.content.endsWith(NUMBERED)).toBe(true);

      wweb.emitMessage({ from: `${phone}@c.us`, body: '2' });
      const filed = await until(() => sentTo(phone).find((s) => FILED.test(s.content)), 'tracking ID');
      const trackingId = trackingIdIn(filed.content)!;
      expect(trackingId).toMatch(TRACKING_ID);
      const [report] = await reportsFrom(service, 'whatsapp', `+${phone}`);
      expect(report).toMatchObject({ trackingId, privacy: 'rahasia' });

      await officerReplies(
        service,
        trackingId,
        'Lubang sudah ditambal sementara, perbaikan total bulan depan.',
      );
      const reply = await until(
        () => sentTo(phone).find((s) => s.content.includes('Lubang sudah ditambal sementara')),
        'officer reply on WhatsApp Web',
      );
      expect(reply.content).toContain(trackingId);
    });

    it('answers stickers, contacts and voice notes politely', async () => {
      const phone = '6281234500002';
      const from = `${phone}@c.us`;
      wweb.emitMessage({ from, type: 'sticker', body: '', hasMedia: true });
      wweb.emitMessage({ from, type: 'vcard', body: 'BEGIN:VCARD\nVERSION:3.0\nFN:Pak RT\nEND:VCARD' });
      wweb.emitMessage({ from, type: 'ptt', body: '', hasMedia: true, _data: { mimetype: 'audio/ogg' } });
      const replies = await until(() => sentTo(phone).length >= 3 && sentTo(phone), 'three polite replies');
      expect(replies.map((s) => s.content)).toEqual([
        'Maaf, kami belum bisa membaca stiker. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca kontak. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca pesan suara. Mohon tulis dengan teks.',
      ]);
    });

    it('a message emitted twice (same id, e.g. after a reconnect) is stored and answered once', async () => {
      const phone = '6281234500003';
      const message = wweb.message({ from: `${phone}@c.us`, body: COMPLETE_REPORT });
      wweb.emit('message', message);
      wweb.emit('message', message);
      await until(() => sentTo(phone).some((s) => s.content.startsWith(SUMMARY)), 'summary');
      // "1" twice with the same id: one confirmation, one report.
      const confirm = wweb.message({ from: `${phone}@c.us`, body: '1' });
      wweb.emit('message', confirm);
      wweb.emit('message', confirm);
      await until(() => sentTo(phone).some((s) => FILED.test(s.content)), 'tracking ID');
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'whatsapp', `+${phone}`)).toBe(2);
      expect(await reportsFrom(service, 'whatsapp', `+${phone}`)).toHaveLength(1);
      expect(sentTo(phone).map((s) => (s.content.startsWith(SUMMARY) ? 'summary' : 'filed'))).toEqual([
        'summary',
        'filed',
      ]);
    });
  });

  describe('WhatsApp Cloud API (signed webhooks in, fake Graph API out)', () => {
    function post(body: unknown, signature?: string | null): Promise<Response> {
      const signed = signedWebhookPost(body, APP_SECRET);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const header = signature === undefined ? signed.headers['x-hub-signature-256'] : signature;
      if (header !== null && header !== undefined) headers['x-hub-signature-256'] = header;
      return fetch(`${base}${signed.url}`, { method: 'POST', headers, body: signed.payload });
    }

    /** A citizen's text as Meta delivers it. */
    function textWebhook(phone: string, body: string, id: string) {
      return cloudWebhook.envelope({
        contacts: [cloudWebhook.contact(phone, 'Siti Aminah')],
        messages: [cloudWebhook.message('text', { text: { body } }, { from: phone, id })],
      });
    }

    const textOf = (r: RecordedGraphRequest): string => {
      const body = r.body as {
        type?: string;
        text?: { body?: string };
        interactive?: { body?: { text?: string } };
      };
      return body.type === 'text' ? (body.text?.body ?? '') : (body.interactive?.body?.text ?? '');
    };
    const sentTo = (phone: string) => graph.requests.filter((r) => r.body.to === phone);

    it('answers the subscription handshake with hub.challenge, and refuses a wrong verify token', async () => {
      const ok = await fetch(
        `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
      const wrong = await fetch(
        `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`,
      );
      expect(wrong.status).toBe(403);
    });

    it('a citizen files a report by typing "1", gets the tracking ID and later the officer reply', async () => {
      const phone = '6281234511001';
      expect((await post(textWebhook(phone, COMPLETE_REPORT, 'wamid.E2E.CLOUD.0001'))).status).toBe(200);
      const summary = await until(() => sentTo(phone).find((r) => textOf(r).startsWith(SUMMARY)), 'summary');
      // Five choices, some longer than a list row allows: a numbered text message.
      expect(summary.body.type).toBe('text');
      expect(textOf(summary).endsWith(NUMBERED)).toBe(true);
      expect(summary.authorization).toBe('Bearer EAAG-e2e-access-token');
      expect(summary.phoneNumberId).toBe(PHONE_NUMBER_ID);

      expect((await post(textWebhook(phone, '1', 'wamid.E2E.CLOUD.0002'))).status).toBe(200);
      const filed = await until(() => sentTo(phone).find((r) => FILED.test(textOf(r))), 'tracking ID');
      const trackingId = trackingIdIn(textOf(filed))!;
      const [report] = await reportsFrom(service, 'whatsapp_cloud', `+${phone}`);
      expect(report).toMatchObject({ trackingId, privacy: 'biasa' });

      await officerReplies(service, trackingId, 'Sudah kami teruskan ke UPT Jalan Wilayah II.');
      const reply = await until(
        () => sentTo(phone).find((r) => textOf(r).includes('Sudah kami teruskan ke UPT Jalan Wilayah II.')),
        'officer reply',
      );
      expect(textOf(reply)).toContain(trackingId);

      // Meta reports the reply read: the delivery status lands on the stored message.
      const item = await until(async () => {
        const rows = await service.db.prisma.outboxItem.findMany({
          where: { channel: 'whatsapp_cloud', address: `+${phone}`, status: 'sent' },
        });
        return rows.find((r) => JSON.stringify(r.payload).includes('UPT Jalan Wilayah II'));
      }, 'the reply marked sent with its provider id');
      expect(item.providerMessageId).toMatch(/^wamid\.FAKE/);
      const status = cloudWebhook.envelope({
        statuses: [cloudWebhook.status(item.providerMessageId!, 'read')],
      });
      expect((await post(status)).status).toBe(200);
      const message = await service.db.prisma.message.findUniqueOrThrow({ where: { id: item.messageId! } });
      expect(message.deliveryStatus).toBe('read');
    });

    it('an interactive reply (button or list row) maps to its choice id', async () => {
      const phone = '6281234511002';
      await post(textWebhook(phone, COMPLETE_REPORT, 'wamid.E2E.CLOUD.0101'));
      await until(() => sentTo(phone).find((r) => textOf(r).startsWith(SUMMARY)), 'summary');
      const press = cloudWebhook.envelope({
        messages: [
          cloudWebhook.message(
            'interactive',
            {
              interactive: {
                type: 'list_reply',
                list_reply: { id: 'confirm:anonim', title: 'Kirim anonim' },
              },
            },
            { from: phone, id: 'wamid.E2E.CLOUD.0102' },
          ),
        ],
      });
      expect((await post(press)).status).toBe(200);
      await until(() => sentTo(phone).find((r) => FILED.test(textOf(r))), 'tracking ID');
      const [report] = await reportsFrom(service, 'whatsapp_cloud', `+${phone}`);
      expect(report?.privacy).toBe('anonim');
    });

    it('refuses unsigned and wrongly signed webhooks with 401 and stores nothing', async () => {
      const before = await storedRows(service);
      const body = textWebhook('6281234511003', COMPLETE_REPORT, 'wamid.E2E.CLOUD.0201');
      const unsigned = await post(body, null);
      const wrongSecret = await post(
        body,
        signedWebhookPost(body, 'not-the-app-secret').headers['x-hub-signature-256'],
      );
      const garbage = await post(body, 'sha256=zz');
      // Signed over other bytes (re-serialised with whitespace): the HMAC covers the raw body.
      const reserialised = await post(
        body,
        signedWebhookPost(JSON.stringify(body, null, 2), APP_SECRET).headers['x-hub-signature-256'],
      );
      expect([unsigned.status, wrongSecret.status, garbage.status, reserialised.status]).toEqual([
        401, 401, 401, 401,
      ]);
      expect(await storedRows(service)).toEqual(before);
    });

    it('answers malformed JSON 400 and signed broken payloads 200 (recorded as rejected), storing no message', async () => {
      const before = await storedRows(service);
      const rejected = await service.db.prisma.inboundRejection.count();
      const statuses = [];
      for (const body of [
        '{"object":"whatsapp_business_account","entry":[',
        '[1,2]',
        '{"object":"whatsapp_business_account","entry":5}',
      ]) {
        statuses.push((await post(body)).status);
      }
      // Meta redelivers anything but a 2xx: a signed body of the wrong shape is acknowledged.
      expect(statuses).toEqual([400, 200, 200]);
      expect(await storedRows(service)).toEqual(before);
      expect(await service.db.prisma.inboundRejection.count()).toBe(rejected + 2);
    });

    it('answers stickers, contacts and voice notes politely', async () => {
      const phone = '6281234511004';
      const webhook = cloudWebhook.envelope({
        messages: [
          cloudWebhook.message(
            'sticker',
            { sticker: { id: 'st-1', mime_type: 'image/webp' } },
            { from: phone, id: 'wamid.E2E.CLOUD.0301' },
          ),
          cloudWebhook.message(
            'contacts',
            { contacts: [{ name: { formatted_name: 'Pak RT' }, phones: [{ phone: '+6281200000000' }] }] },
            { from: phone, id: 'wamid.E2E.CLOUD.0302' },
          ),
          cloudWebhook.message(
            'audio',
            { audio: { id: 'au-1', mime_type: 'audio/ogg; codecs=opus', voice: true } },
            { from: phone, id: 'wamid.E2E.CLOUD.0303' },
          ),
        ],
      });
      expect((await post(webhook)).status).toBe(200);
      const replies = await until(() => sentTo(phone).length >= 3 && sentTo(phone), 'three polite replies');
      expect(replies.map(textOf)).toEqual([
        'Maaf, kami belum bisa membaca stiker. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca kontak. Mohon tulis dengan teks.',
        'Maaf, kami belum bisa membaca pesan suara. Mohon tulis dengan teks.',
      ]);
    });

    it('the same webhook delivered twice stores one message, sends one reply and files one report', async () => {
      const phone = '6281234511005';
      const report = textWebhook(phone, COMPLETE_REPORT, 'wamid.E2E.CLOUD.0401');
      expect((await post(report)).status).toBe(200);
      expect((await post(report)).status).toBe(200);
      expect(await inboundRows(service, 'whatsapp_cloud', `+${phone}`)).toBe(1);
      await until(() => sentTo(phone).find((r) => textOf(r).startsWith(SUMMARY)), 'summary');

      const confirm = textWebhook(phone, '1', 'wamid.E2E.CLOUD.0402');
      expect((await post(confirm)).status).toBe(200);
      expect((await post(confirm)).status).toBe(200);
      await until(() => sentTo(phone).find((r) => FILED.test(textOf(r))), 'tracking ID');
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'whatsapp_cloud', `+${phone}`)).toBe(2);
      expect(await reportsFrom(service, 'whatsapp_cloud', `+${phone}`)).toHaveLength(1);
      expect(sentTo(phone)).toHaveLength(2);
    });
  });
});
