import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  computeTwilioSignature,
  createSmsAdapter,
  isGsm7,
  type SmsConfig,
  smsLength,
  splitSms,
} from '../../bots/sms/index.ts';
import type { InboundMessage } from '../../core/channel/port.ts';
import {
  FakeSmsGateway,
  signedJsonGatewayPost,
  signedTwilioPost,
  twilioInboundParams,
  twilioSignature,
} from '../../fakes/sms-gateway.ts';

const PUBLIC_URL = 'https://lapor.purbalinggakab.go.id';
const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const SHARED_SECRET = 'gateway-shared-secret';
const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let gateway: FakeSmsGateway;
beforeAll(async () => {
  gateway = await FakeSmsGateway.start();
});
afterAll(async () => {
  await gateway.close();
});

function config(
  provider: SmsConfig['provider'],
  json: Partial<NonNullable<SmsConfig['json']>> = {},
): SmsConfig {
  return {
    provider,
    publicUrl: `${PUBLIC_URL}/`,
    twilio: {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+6281100001111',
      apiBase: gateway.baseUrl,
    },
    json: {
      sharedSecret: SHARED_SECRET,
      sendUrl: gateway.jsonSendUrl,
      apiKey: 'gw-key-123',
      from: 'LAPOR',
      ...json,
    },
  };
}

interface Harness {
  app: FastifyInstance;
  adapter: ReturnType<typeof createSmsAdapter>;
  received: InboundMessage[];
  rejected: string[];
  failNext: { value: boolean };
}
const open: Harness[] = [];

async function harness(
  provider: SmsConfig['provider'] = 'twilio',
  json: Partial<NonNullable<SmsConfig['json']>> = {},
) {
  const received: InboundMessage[] = [];
  const rejected: string[] = [];
  const failNext = { value: false };
  const adapter = createSmsAdapter(config(provider, json), { logger: silent });
  const app = Fastify({ logger: false });
  await app.register(adapter.routes);
  await app.ready();
  await adapter.start({
    onInbound: async (message) => {
      if (failNext.value) {
        failNext.value = false;
        throw new Error('database unavailable');
      }
      received.push(message);
    },
    onRejected: async (r) => {
      rejected.push(`${r.channel} ${r.reason}`);
    },
  });
  const h = { app, adapter, received, rejected, failNext };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.adapter.stop();
    await h.app.close();
  }
  gateway.requests.length = 0;
});

describe('SMS adapter: Twilio webhook', () => {
  it("computes Twilio's documented example signature", () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(computeTwilioSignature('12345', url, Object.entries(params))).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('accepts a Twilio-signed SMS, answers empty TwiML and passes the message on', async () => {
    const h = await harness();
    const res = await h.app.inject(signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, PUBLIC_URL));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toContain('<Response></Response>');
    expect(h.received).toEqual([
      {
        channel: 'sms',
        address: '+6281234567890',
        externalId: 'SM0f5c3a2f9b1e4d7c8a6b5e4d3c2b1a09',
        text: 'Jalan di depan SDN 2 Kalimanah berlubang besar',
        receivedAt: expect.any(Date),
      },
    ]);
  });

  it('signs over the query string too and keeps MMS media as URLs', async () => {
    const h = await harness();
    const params = twilioInboundParams({
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      Body: '',
    });
    const res = await h.app.inject(
      signedTwilioPost(params, AUTH_TOKEN, PUBLIC_URL, '/webhooks/sms/twilio?region=jateng'),
    );
    expect(res.statusCode).toBe(200);
    expect(h.received[0]?.media).toEqual([
      {
        kind: 'photo',
        ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        mimeType: 'image/jpeg',
      },
    ]);
  });

  it('refuses a wrong or missing signature with 403 and passes nothing on', async () => {
    const h = await harness();
    const forged = signedTwilioPost(twilioInboundParams(), 'not-the-token', PUBLIC_URL);
    expect((await h.app.inject(forged)).statusCode).toBe(403);
    const otherUrl = signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, 'https://evil.example');
    expect((await h.app.inject(otherUrl)).statusCode).toBe(403);
    const tampered = signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, PUBLIC_URL);
    tampered.payload = tampered.payload.replace('berlubang', 'aman');
    expect((await h.app.inject(tampered)).statusCode).toBe(403);
    const unsigned = signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, PUBLIC_URL);
    delete unsigned.headers['x-twilio-signature'];
    expect((await h.app.inject(unsigned)).statusCode).toBe(403);
    expect(h.received).toEqual([]);
  });

  it('acknowledges a signed request without sender or message id and records it as rejected', async () => {
    const h = await harness();
    const { From: _from, ...withoutFrom } = twilioInboundParams();
    const res = await h.app.inject(signedTwilioPost(withoutFrom, AUTH_TOKEN, PUBLIC_URL));
    // The gateway retries anything but a 2xx: the signed request is answered, not redelivered.
    expect(res.statusCode).toBe(200);
    const notAPhone = twilioInboundParams({ From: 'TELKOMSEL' });
    expect((await h.app.inject(signedTwilioPost(notAPhone, AUTH_TOKEN, PUBLIC_URL))).statusCode).toBe(200);
    expect(h.rejected).toEqual(['sms From: expected string', 'sms From: not a phone number']);
    expect(h.received).toEqual([]);
  });

  it('reads a NUL in an SMS as the GSM-7 @ it stands for', async () => {
    const h = await harness('json');
    const res = await h.app.inject(
      signedJsonGatewayPost(
        { id: 'gsm1', from: '081234567890', text: 'email saya budi\u0000contoh.id' },
        SHARED_SECRET,
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(h.received.map((m) => m.text)).toEqual(['email saya budi@contoh.id']);
  });

  it('answers 500 when the handler fails, without leaking the error', async () => {
    const h = await harness();
    h.failNext.value = true;
    const res = await h.app.inject(signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, PUBLIC_URL));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('database');
  });
});

describe('SMS adapter: JSON gateway webhook', () => {
  it('accepts a signed message and normalises the number to +62', async () => {
    const h = await harness('json');
    const res = await h.app.inject(
      signedJsonGatewayPost(
        {
          id: 'in-20250615-0001',
          from: '0812-3456-7890',
          text: 'Bantuan sosial belum cair',
          receivedAt: '2025-06-15T08:30:00+07:00',
        },
        SHARED_SECRET,
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(h.received).toEqual([
      {
        channel: 'sms',
        address: '+6281234567890',
        externalId: 'in-20250615-0001',
        text: 'Bantuan sosial belum cair',
        receivedAt: new Date('2025-06-15T01:30:00Z'),
      },
    ]);
  });

  it.each([
    ['6281234567890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['0274512345', '+62274512345'],
  ])('normalises the sender %s to %s', async (from, expected) => {
    const h = await harness('json');
    await h.app.inject(signedJsonGatewayPost({ id: `id-${from}`, from, text: 'halo' }, SHARED_SECRET));
    expect(h.received[0]?.address).toBe(expected);
  });

  it('refuses unsigned and wrongly signed bodies with 401', async () => {
    const h = await harness('json');
    const body = { id: 'x1', from: '081234567890', text: 'halo' };
    const unsigned = signedJsonGatewayPost(body, SHARED_SECRET);
    delete unsigned.headers['x-signature'];
    expect((await h.app.inject(unsigned)).statusCode).toBe(401);
    expect((await h.app.inject(signedJsonGatewayPost(body, 'wrong-secret'))).statusCode).toBe(401);
    const reserialised = signedJsonGatewayPost(body, SHARED_SECRET);
    reserialised.payload = JSON.stringify(body, null, 1);
    expect((await h.app.inject(reserialised)).statusCode).toBe(401);
    expect(h.received).toEqual([]);
  });

  it('answers 400 to a body that is not JSON, 200 to signed bodies with missing or invalid fields, recording them', async () => {
    const h = await harness('json');
    expect(
      (await h.app.inject(signedJsonGatewayPost('{"id": "x1", "from": ', SHARED_SECRET))).statusCode,
    ).toBe(400);
    const cases: unknown[] = [
      { from: '081234567890', text: 'halo' },
      { id: 'x1', text: 'halo' },
      { id: 'x1', from: '081234567890' },
      { id: 'x1', from: 'bukan nomor', text: 'halo' },
      { id: 'x1', from: '081234567890', text: 'halo', receivedAt: 'kemarin' },
      [1, 2, 3],
    ];
    for (const body of cases) {
      const res = await h.app.inject(signedJsonGatewayPost(body, SHARED_SECRET));
      expect(res.statusCode, JSON.stringify(body)).toBe(200);
    }
    expect(h.rejected).toEqual([
      'sms id: invalid union',
      'sms from: expected string',
      'sms text: expected string',
      'sms from: not a phone number',
      'sms receivedAt: not a date',
      'sms body: expected object',
    ]);
    expect(h.received).toEqual([]);
  });
});

describe('SMS adapter: sending', () => {
  it('sends through Twilio with Basic auth and the From number', async () => {
    const h = await harness('twilio');
    const result = await h.adapter.send({
      address: '081234567890',
      text: 'Laporan LPR-2025-000123 diterima.',
    });
    expect(result).toEqual({ ok: true, providerMessageId: gateway.sent[0]?.id });
    expect(gateway.sent[0]?.id).toMatch(/^SM\d{32}$/);
    expect(gateway.sent).toEqual([
      {
        style: 'twilio',
        to: '+6281234567890',
        text: 'Laporan LPR-2025-000123 diterima.',
        from: '+6281100001111',
        accountSid: ACCOUNT_SID,
        authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
        status: 201,
        id: expect.any(String),
      },
    ]);
  });

  it('sends through the JSON gateway with the bearer key and sender id', async () => {
    const h = await harness('json');
    const result = await h.adapter.send({ address: '+6281234567890', text: 'Laporan diterima.' });
    expect(gateway.sent).toEqual([
      {
        style: 'json',
        to: '+6281234567890',
        text: 'Laporan diterima.',
        from: 'LAPOR',
        authorization: 'Bearer gw-key-123',
        status: 200,
        id: expect.stringMatching(/^msg-\d+$/),
      },
    ]);
    expect(result).toEqual({ ok: true, providerMessageId: gateway.sent[0]?.id });
  });

  it('renders choices compactly on one line', async () => {
    const h = await harness('json');
    await h.adapter.send({
      address: '+6281234567890',
      text: 'Kirim laporan?',
      choices: [
        { id: 'submit', label: 'Ya' },
        { id: 'edit', label: 'Ubah' },
        { id: 'cancel', label: 'Batal' },
      ],
    });
    await h.adapter.send({
      address: '+6281234567890',
      text: 'Submit?',
      locale: 'en',
      choices: [
        { id: 'y', label: 'Yes' },
        { id: 'n', label: 'No' },
      ],
    });
    expect(gateway.sent.map((s) => s.text)).toEqual([
      'Kirim laporan?\nBalas: 1 Ya, 2 Ubah, 3 Batal',
      'Submit?\nReply: 1 Yes, 2 No',
    ]);
  });

  const longReply =
    'Terima kasih, laporan Anda tentang jalan berlubang di Desa Karangreja, Kecamatan Kutasari, sudah kami ' +
    'teruskan ke Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga. Petugas akan meninjau lokasi ' +
    'dalam 5 hari kerja. Simpan nomor laporan LPR-2025-000123 untuk menanyakan perkembangannya. Balas STATUS ' +
    'kapan saja untuk melihat status terbaru laporan Anda.';

  it('splits a long GSM-7 text for the JSON gateway into labelled parts of at most 153 characters at word boundaries', async () => {
    const h = await harness('json');
    const result = await h.adapter.send({ address: '+6281234567890', text: longReply });
    // The first part's id stands for the message.
    expect(result).toEqual({ ok: true, providerMessageId: gateway.sent[0]?.id });
    const parts = gateway.sent.map((s) => s.text);
    expect(parts.length).toBe(3);
    parts.forEach((part, i) => {
      expect(part.startsWith(`(${i + 1}/3) `)).toBe(true);
      expect(smsLength(part)).toBeLessThanOrEqual(153);
      expect(isGsm7(part)).toBe(true);
    });
    const rejoined = parts.map((p) => p.replace(/^\(\d\/3\) /, '')).join(' ');
    expect(rejoined).toBe(longReply);
  });

  it('splits texts with emoji into UCS-2 parts of at most 67 code units', () => {
    const text = `${longReply.slice(0, 180)} 🙏`;
    expect(isGsm7(text)).toBe(false);
    const parts = splitSms(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(67);
    expect(parts.map((p) => p.replace(/^\(\d\/\d\) /, '')).join(' ')).toBe(text);
  });

  it('maps typographic quotes and dashes to GSM-7 instead of paying for UCS-2', () => {
    expect(splitSms('Status laporan: “Diproses” – menunggu tindak lanjut…')).toEqual([
      'Status laporan: "Diproses" - menunggu tindak lanjut...',
    ]);
  });

  it('cuts a word longer than a part instead of overflowing', () => {
    const url = `https://lapor.purbalinggakab.go.id/status/${'a'.repeat(300)}`;
    const parts = splitSms(`Lihat ${url}`);
    for (const part of parts) expect(smsLength(part)).toBeLessThanOrEqual(153);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.replace(/^\(\d\/\d\) /, '')).join('')).toBe(`Lihat ${url}`);
  });

  it('sends a long text through Twilio as one concatenated message', async () => {
    const h = await harness('twilio');
    await h.adapter.send({ address: '+6281234567890', text: longReply });
    expect(gateway.sent.map((s) => s.text)).toEqual([longReply]);
  });

  it('sends as one message to a JSON gateway that concatenates', async () => {
    const h = await harness('json', { concatenated: true });
    await h.adapter.send({ address: '+6281234567890', text: longReply });
    expect(gateway.sent.map((s) => s.text)).toEqual([longReply]);
  });

  it('maps 429 with Retry-After and 5xx to retryable, other 4xx to non-retryable', async () => {
    const h = await harness('twilio');
    gateway.failNext(429, 1, '30');
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toEqual({
      ok: false,
      error: 'Twilio 20429: Too Many Requests',
      retryable: true,
      retryAfterMs: 30_000,
    });
    gateway.failNext(500);
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    gateway.failNext(400);
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toEqual({
      ok: false,
      error: "Twilio 21211: The 'To' number +6281234567890 is not a valid phone number.",
      retryable: false,
    });

    const j = await harness('json');
    gateway.failNext(503);
    expect(await j.adapter.send({ address: '+6281234567890', text: 'Halo' })).toEqual({
      ok: false,
      error: 'gateway down',
      retryable: true,
    });
  });

  it('stops at a failed part and says how many went out', async () => {
    const h = await harness('json');
    gateway.passNext(1);
    gateway.failNext(503);
    const result = await h.adapter.send({ address: '+6281234567890', text: longReply });
    expect(result).toEqual({
      ok: false,
      error: 'part 2/3 failed after 1 sent: gateway down',
      retryable: true,
    });
    expect(gateway.sent).toHaveLength(1);
    expect(gateway.requests).toHaveLength(2);
  });

  it('never logs a full phone number', async () => {
    const lines: string[] = [];
    const capture = (obj: object, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    const adapter = createSmsAdapter(config('twilio'), {
      logger: { debug: capture, info: capture, warn: capture, error: capture },
    });
    gateway.failNext(400);
    await adapter.send({ address: '+6281234567890', text: 'Halo' });
    const app = Fastify({ logger: false });
    await app.register(adapter.routes);
    await adapter.start({
      onInbound: async () => {
        throw new Error('database unavailable');
      },
    });
    await app.inject(signedTwilioPost(twilioInboundParams(), AUTH_TOKEN, PUBLIC_URL));
    await app.close();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toContain('+62812****7890');
    expect(lines.join('\n')).not.toContain('81234567890');
  });

  it('maps an unreachable gateway to retryable and refuses non-phone addresses', async () => {
    const offline = createSmsAdapter(
      {
        provider: 'json',
        publicUrl: PUBLIC_URL,
        json: { sharedSecret: 's', sendUrl: 'http://127.0.0.1:1/send' },
      },
      { logger: silent },
    );
    expect(await offline.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await offline.send({ address: 'halo', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});
