/**
 * SMS through the whole service on a real database (PGlite): the SMS adapter built from
 * configuration, gateway webhooks posted to the service's own HTTP port, replies sent through a
 * fake gateway on loopback. Twilio-style (signed form posts, REST API out) and the generic JSON
 * gateway (HMAC-signed JSON in, JSON API out) each run against their own service.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import {
  FakeSmsGateway,
  type RecordedSms,
  signedJsonGatewayPost,
  signedTwilioPost,
  twilioInboundParams,
  twilioSignature,
} from '../../fakes/sms-gateway.ts';
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

const PUBLIC_URL = 'https://lapor.purbalinggakab.go.id';
const AUTH_TOKEN = 'e2e-twilio-auth-token-0123456789';
const ACCOUNT_SID = 'AC0000000000000000000000000000e2e1';
const SHARED_SECRET = 'e2e-gateway-shared-secret';

/** The compact SMS summary ("Cek: <topic>, <place>, <kind>. Kirim?") and its numbered choices. */
const isSummary = (m: RecordedSms) => m.text.startsWith('Cek: ');
const isFiled = (m: RecordedSms) => /Laporan tercatat: LPR-/.test(m.text);

describe('SMS through the whole service on pglite', () => {
  const database = useSuiteDatabase('pglite');
  let gateway: FakeSmsGateway;

  beforeAll(async () => {
    gateway = await FakeSmsGateway.start();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  /** Starts a service with the SMS adapter from `env`, listening on a loopback port. */
  async function startService(env: Record<string, string>): Promise<{ service: Service; base: string }> {
    const service = await createTestService(database.handle, { env: { PUBLIC_URL, ...env } });
    await service.start();
    const { port } = service.app().server.address() as AddressInfo;
    return { service, base: `http://127.0.0.1:${port}` };
  }

  function send(base: string, request: { url: string; payload: string; headers: Record<string, string> }) {
    return fetch(`${base}${request.url}`, {
      method: 'POST',
      headers: request.headers,
      body: request.payload,
    });
  }

  describe('Twilio-compatible gateway', () => {
    let service: Service;
    let base: string;

    beforeAll(async () => {
      ({ service, base } = await startService({
        SMS_PROVIDER: 'twilio',
        SMS_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        SMS_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        SMS_TWILIO_FROM: '+6281100001111',
        SMS_TWILIO_API_BASE: gateway.baseUrl,
      }));
    });
    afterAll(async () => {
      await service?.stop();
    });

    let sid = 0;
    /** An inbound SMS from `from` as Twilio posts it, signed for the public URL. */
    function sms(from: string, body: string, extra: Record<string, string> = {}) {
      sid += 1;
      const messageSid = `SM${String(sid).padStart(32, 'e')}`;
      return signedTwilioPost(
        twilioInboundParams({
          From: from,
          Body: body,
          MessageSid: messageSid,
          SmsMessageSid: messageSid,
          SmsSid: messageSid,
          ...extra,
        }),
        AUTH_TOKEN,
        PUBLIC_URL,
      );
    }
    const sentTo = (phone: string) => gateway.sent.filter((m) => m.style === 'twilio' && m.to === phone);

    it('a citizen files a report from an 08… number, replies "1", gets the tracking ID and later the officer reply', async () => {
      const response = await send(base, sms('081234522001', COMPLETE_REPORT));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/xml/);
      expect(await response.text()).toContain('<Response></Response>');

      const phone = '+6281234522001';
      const summary = await until(() => sentTo(phone).find(isSummary), 'summary SMS');
      expect(summary.text).toContain('Kab. Purbalingga');
      expect(summary.text).toMatch(/\nBalas: 1 Kirim, 2 .+, 3 .+, 4 Ubah, 5 Batal$/);
      expect(summary).toMatchObject({ from: '+6281100001111', accountSid: ACCOUNT_SID });

      expect((await send(base, sms('081234522001', '1'))).status).toBe(200);
      const filed = await until(() => sentTo(phone).find(isFiled), 'tracking ID SMS');
      const trackingId = trackingIdIn(filed.text)!;
      expect(trackingId).toMatch(TRACKING_ID);
      const [report] = await reportsFrom(service, 'sms', phone);
      expect(report).toMatchObject({ trackingId, privacy: 'biasa' });

      await officerReplies(service, trackingId, 'Jalan akan diaspal ulang pekan depan.');
      const reply = await until(
        () => sentTo(phone).find((m) => m.text.includes('Jalan akan diaspal ulang pekan depan.')),
        'officer reply SMS',
      );
      expect(reply.text).toContain(trackingId);
    });

    it('typing "2" picks the second choice (kirim rahasia)', async () => {
      await send(base, sms('+62 812-3452-2002', COMPLETE_REPORT));
      const phone = '+6281234522002';
      await until(() => sentTo(phone).find(isSummary), 'summary SMS');
      await send(base, sms('6281234522002', '2'));
      await until(() => sentTo(phone).find(isFiled), 'tracking ID SMS');
      const [report] = await reportsFrom(service, 'sms', phone);
      expect(report?.privacy).toBe('rahasia');
    });

    it('refuses unsigned and wrongly signed posts with 403 and stores nothing', async () => {
      const before = await storedRows(service);
      const signed = sms('081234522003', COMPLETE_REPORT);
      const params = Object.fromEntries(new URLSearchParams(signed.payload));
      const unsigned = { ...signed, headers: { 'content-type': signed.headers['content-type']! } };
      const wrongToken = {
        ...signed,
        headers: {
          ...signed.headers,
          'x-twilio-signature': twilioSignature('wrong-token', `${PUBLIC_URL}/webhooks/sms/twilio`, params),
        },
      };
      // Signed for another URL (a proxy that rewrote the host): the signature covers the URL.
      const wrongUrl = {
        ...signed,
        headers: {
          ...signed.headers,
          'x-twilio-signature': twilioSignature(
            AUTH_TOKEN,
            'https://evil.example/webhooks/sms/twilio',
            params,
          ),
        },
      };
      // Body changed after signing.
      const tampered = { ...signed, payload: signed.payload.replace('berlubang', 'mulus') };
      const statuses = [];
      for (const request of [unsigned, wrongToken, wrongUrl, tampered])
        statuses.push((await send(base, request)).status);
      expect(statuses).toEqual([403, 403, 403, 403]);
      expect(await storedRows(service)).toEqual(before);
    });

    it('acknowledges signed but malformed forms, records them as rejected and stores no message', async () => {
      const before = await storedRows(service);
      const rejected = await service.db.prisma.inboundRejection.count();
      const noFrom = signedTwilioPost(
        { MessageSid: 'SMe2e00000000000000000000000000bad1', Body: 'halo' },
        AUTH_TOKEN,
        PUBLIC_URL,
      );
      const notAPhone = sms('PROMO-XL', 'halo');
      const statuses = [(await send(base, noFrom)).status, (await send(base, notAPhone)).status];
      // The gateway retries anything but a 2xx.
      expect(statuses).toEqual([200, 200]);
      expect(await storedRows(service)).toEqual(before);
      expect(await service.db.prisma.inboundRejection.count()).toBe(rejected + 2);
    });

    it('answers MMS contacts and voice recordings politely', async () => {
      const phone = '+6281234522004';
      const mms = (mime: string, url: string) =>
        sms('081234522004', '', { NumMedia: '1', MediaContentType0: mime, MediaUrl0: url });
      expect((await send(base, mms('text/vcard', 'https://api.twilio.com/media/ME1'))).status).toBe(200);
      expect((await send(base, mms('audio/amr', 'https://api.twilio.com/media/ME2'))).status).toBe(200);
      const replies = await until(() => sentTo(phone).length >= 2 && sentTo(phone), 'two polite replies');
      // SMS gets the compact wording; either way the citizen is asked, politely, for text.
      expect(replies).toHaveLength(2);
      for (const reply of replies) expect(reply.text).toMatch(/Mohon tulis dengan teks\.$/);
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'sms', phone)).toBe(2);
    });

    it('the same webhook delivered twice stores one message, sends one reply and files one report', async () => {
      const phone = '+6281234522005';
      const report = sms('081234522005', COMPLETE_REPORT);
      expect((await send(base, report)).status).toBe(200);
      expect((await send(base, report)).status).toBe(200);
      expect(await inboundRows(service, 'sms', phone)).toBe(1);
      await until(() => sentTo(phone).find(isSummary), 'summary SMS');

      const confirm = sms('081234522005', '1');
      expect((await send(base, confirm)).status).toBe(200);
      expect((await send(base, confirm)).status).toBe(200);
      await until(() => sentTo(phone).find(isFiled), 'tracking ID SMS');
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'sms', phone)).toBe(2);
      expect(await reportsFrom(service, 'sms', phone)).toHaveLength(1);
      expect(sentTo(phone).map((m) => (isSummary(m) ? 'summary' : isFiled(m) ? 'filed' : m.text))).toEqual([
        'summary',
        'filed',
      ]);
    });
  });

  describe('generic JSON gateway', () => {
    let service: Service;
    let base: string;

    beforeAll(async () => {
      ({ service, base } = await startService({
        SMS_PROVIDER: 'json',
        SMS_JSON_SHARED_SECRET: SHARED_SECRET,
        SMS_JSON_SEND_URL: gateway.jsonSendUrl,
        SMS_JSON_API_KEY: 'gw-e2e-key',
        SMS_JSON_FROM: 'LAPOR',
      }));
    });
    afterAll(async () => {
      await service?.stop();
    });

    let id = 0;
    const sms = (from: string, text: string) => {
      id += 1;
      return signedJsonGatewayPost(
        { id: `gw-e2e-${id}`, from, text, receivedAt: '2026-11-30T08:15:00+07:00' },
        SHARED_SECRET,
      );
    };
    const sentTo = (phone: string) => gateway.sent.filter((m) => m.style === 'json' && m.to === phone);
    /** The JSON gateway gets standalone parts "(1/2) …": put a long text back together. */
    const joined = (phone: string) =>
      sentTo(phone)
        .map((m) => m.text.replace(/^\(\d+\/\d+\) /, ''))
        .join('');

    it('a citizen files a report, replies "1", gets the tracking ID and later the officer reply', async () => {
      expect((await send(base, sms('6281234533001', COMPLETE_REPORT))).status).toBe(200);
      const phone = '+6281234533001';
      const summary = await until(() => sentTo(phone).find((m) => m.text.includes('Cek: ')), 'summary SMS');
      expect(summary).toMatchObject({ from: 'LAPOR', authorization: 'Bearer gw-e2e-key' });
      expect(sentTo(phone).every((m) => m.text.length <= 160)).toBe(true);

      await send(base, sms('6281234533001', '1'));
      const trackingId = await until(
        () => /Laporan tercatat: (LPR-\S+?)\./.exec(joined(phone))?.[1],
        'tracking ID',
      );
      expect(trackingId).toMatch(TRACKING_ID);

      await officerReplies(service, trackingId, 'Perbaikan dijadwalkan.');
      await until(() => joined(phone).includes('Perbaikan dijadwalkan.'), 'officer reply SMS');
      expect(sentTo(phone).every((m) => m.text.length <= 160)).toBe(true);
    });

    it('refuses unsigned and wrongly signed posts with 401 and stores nothing', async () => {
      const before = await storedRows(service);
      const signed = sms('6281234533002', COMPLETE_REPORT);
      const unsigned = { ...signed, headers: { 'content-type': 'application/json' } };
      const wrong = {
        ...signed,
        headers: {
          ...signed.headers,
          'x-signature': signedJsonGatewayPost(signed.payload, 'nope').headers['x-signature']!,
        },
      };
      const statuses = [(await send(base, unsigned)).status, (await send(base, wrong)).status];
      expect(statuses).toEqual([401, 401]);
      expect(await storedRows(service)).toEqual(before);
    });

    it('answers malformed JSON 400, and signed bodies with missing fields 200 (recorded as rejected), storing no message', async () => {
      const before = await storedRows(service);
      const rejected = await service.db.prisma.inboundRejection.count();
      const bodies = [
        '{"id": "x1", "from": ',
        '[]',
        JSON.stringify({ id: 'x2', text: 'halo' }),
        JSON.stringify({ id: 'x3', from: 'not-a-number', text: 'halo' }),
      ];
      const statuses = [];
      for (const body of bodies)
        statuses.push((await send(base, signedJsonGatewayPost(body, SHARED_SECRET))).status);
      expect(statuses).toEqual([400, 200, 200, 200]);
      expect(await storedRows(service)).toEqual(before);
      expect(await service.db.prisma.inboundRejection.count()).toBe(rejected + 3);
    });

    it('the same webhook delivered twice stores one message and sends one reply', async () => {
      const phone = '+6281234533003';
      const request = sms('081234533003', COMPLETE_REPORT);
      expect((await send(base, request)).status).toBe(200);
      expect((await send(base, request)).status).toBe(200);
      await until(() => sentTo(phone).length > 0, 'summary SMS');
      await service.dispatcher.drain();
      expect(await inboundRows(service, 'sms', phone)).toBe(1);
      expect(sentTo(phone).filter((m) => m.text.includes('Cek: '))).toHaveLength(1);
    });
  });
});
