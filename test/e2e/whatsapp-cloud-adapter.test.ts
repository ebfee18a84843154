import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWhatsAppCloudAdapter,
  type WhatsAppCloudStatusUpdate,
} from '../../bots/whatsapp-cloud/index.ts';
import type { InboundMessage } from '../../core/channel/port.ts';
import { cloudWebhook, FakeWhatsAppCloud, signedWebhookPost } from '../../fakes/whatsapp-cloud.ts';

const APP_SECRET = 'test-app-secret-7f3a';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let graph: FakeWhatsAppCloud;

beforeAll(async () => {
  graph = await FakeWhatsAppCloud.start();
});
afterAll(async () => {
  await graph.close();
});

interface Harness {
  app: FastifyInstance;
  adapter: ReturnType<typeof createWhatsAppCloudAdapter>;
  received: InboundMessage[];
  statuses: WhatsAppCloudStatusUpdate[];
  failInbound: { next: boolean };
}

let h: Harness;

beforeEach(async () => {
  const received: InboundMessage[] = [];
  const statuses: WhatsAppCloudStatusUpdate[] = [];
  const failInbound = { next: false };
  const adapter = createWhatsAppCloudAdapter(
    {
      appSecret: APP_SECRET,
      verifyToken: 'verify-me-please',
      accessToken: 'EAAG-secret-token',
      phoneNumberId: '106540352242922',
      graphApiBase: graph.baseUrl,
    },
    { logger: silent },
  );
  const app = Fastify({ logger: false });
  // A JSON route outside the adapter's scope keeps fastify's normal parsing.
  app.post('/other', async (request) => ({ echoed: request.body }));
  await app.register(adapter.routes);
  await app.ready();
  await adapter.start({
    onInbound: async (message) => {
      if (failInbound.next) {
        failInbound.next = false;
        throw new Error('database unavailable');
      }
      received.push(message);
    },
    onStatus: async (update) => {
      statuses.push(update as WhatsAppCloudStatusUpdate);
    },
  });
  h = { app, adapter, received, statuses, failInbound };
});

afterEach(async () => {
  await h.adapter.stop();
  await h.app.close();
  graph.requests.length = 0;
});

describe('WhatsApp Cloud API adapter: webhook', () => {
  it('answers the subscription handshake with the challenge as plain text', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('1158201444');
  });

  it('refuses the handshake with a wrong verify token', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('1158201444');
  });

  it('passes a signed text message on with the sender in E.164 and the profile name', async () => {
    const body = cloudWebhook.envelope({
      contacts: [cloudWebhook.contact()],
      messages: [
        cloudWebhook.message(
          'text',
          { text: { body: 'Lampu PJU di Jl. Jenderal Sudirman mati' } },
          { id: 'wamid.TEXT1' },
        ),
      ],
    });
    const res = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(res.statusCode).toBe(200);
    expect(h.received).toEqual([
      {
        channel: 'whatsapp_cloud',
        address: '+6281234567890',
        externalId: 'wamid.TEXT1',
        text: 'Lampu PJU di Jl. Jenderal Sudirman mati',
        displayName: 'Siti Aminah',
        receivedAt: new Date(1_750_000_000_000),
      },
    ]);
  });

  it('turns button and list replies into choices', async () => {
    const body = cloudWebhook.envelope({
      messages: [
        cloudWebhook.message(
          'interactive',
          {
            interactive: { type: 'button_reply', button_reply: { id: 'confirm_submit', title: 'Ya, kirim' } },
          },
          { id: 'wamid.BTN' },
        ),
        cloudWebhook.message(
          'interactive',
          {
            interactive: {
              type: 'list_reply',
              list_reply: {
                id: 'cat_infrastructure',
                title: 'Infrastruktur',
                description: 'Jalan, jembatan',
              },
            },
          },
          { id: 'wamid.LIST' },
        ),
      ],
    });
    const res = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(res.statusCode).toBe(200);
    expect(h.received.map((m) => [m.externalId, m.choice])).toEqual([
      ['wamid.BTN', 'confirm_submit'],
      ['wamid.LIST', 'cat_infrastructure'],
    ]);
  });

  it('passes a location, a photo with caption, a voice note and a sticker on', async () => {
    const body = cloudWebhook.envelope({
      messages: [
        cloudWebhook.message('location', {
          location: { latitude: -7.3879, longitude: 109.3636, name: 'Alun-alun Purbalingga' },
        }),
        cloudWebhook.message('image', {
          image: {
            caption: 'Jembatan retak',
            mime_type: 'image/jpeg',
            sha256: 'abc=',
            id: '1479537139650973',
          },
        }),
        cloudWebhook.message('audio', {
          audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'def=', id: '2066458170', voice: true },
        }),
        cloudWebhook.message('sticker', {
          sticker: { mime_type: 'image/webp', sha256: 'ghi=', id: '3300419', animated: false },
        }),
      ],
    });
    const res = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(res.statusCode).toBe(200);
    const [location, photo, voice, sticker] = h.received;
    expect(location?.location).toEqual({ lat: -7.3879, lon: 109.3636 });
    expect(photo?.media).toEqual([{ kind: 'photo', ref: '1479537139650973', mimeType: 'image/jpeg' }]);
    expect(photo?.text).toBe('Jembatan retak');
    expect(voice?.media).toEqual([{ kind: 'voice', ref: '2066458170', mimeType: 'audio/ogg; codecs=opus' }]);
    expect(sticker?.media).toEqual([{ kind: 'sticker', ref: '3300419', mimeType: 'image/webp' }]);
    expect(sticker?.text).toBeUndefined();
  });

  it('marks message types it cannot read as unsupported media instead of dropping them', async () => {
    const body = cloudWebhook.envelope({
      messages: [
        cloudWebhook.message(
          'unsupported',
          { errors: [{ code: 131051, title: 'Message type unknown' }] },
          { id: 'wamid.UNK' },
        ),
        cloudWebhook.message(
          'reaction',
          { reaction: { message_id: 'wamid.OUT', emoji: '👍' } },
          { id: 'wamid.REACT' },
        ),
      ],
    });
    await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(h.received).toHaveLength(1);
    expect(h.received[0]?.media).toEqual([{ kind: 'unsupported', ref: 'wamid.UNK' }]);
  });

  it("reports delivery statuses, with Meta's error for failed ones", async () => {
    const body = cloudWebhook.envelope({
      statuses: [
        cloudWebhook.status('wamid.OUT1', 'delivered'),
        cloudWebhook.status('wamid.OUT2', 'failed', [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: {
              details:
                'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          },
        ]),
      ],
    });
    const res = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(res.statusCode).toBe(200);
    expect(h.received).toEqual([]);
    expect(h.statuses).toEqual([
      { providerMessageId: 'wamid.OUT1', status: 'delivered', at: new Date(1_750_000_100_000) },
      {
        providerMessageId: 'wamid.OUT2',
        status: 'failed',
        at: new Date(1_750_000_100_000),
        error: expect.stringContaining(
          '(#131047) Re-engagement message: Message failed to send because more than 24 hours',
        ),
      },
    ]);
  });

  it('refuses unsigned and wrongly signed posts with 401 and passes nothing on', async () => {
    const body = cloudWebhook.envelope({
      messages: [cloudWebhook.message('text', { text: { body: 'halo' } })],
    });
    const unsigned = signedWebhookPost(body, APP_SECRET);
    delete unsigned.headers['x-hub-signature-256'];
    const res = await h.app.inject(unsigned);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'LAPOR_ERR_UNAUTHORIZED', message: 'invalid signature' } });
    expect((await h.app.inject(signedWebhookPost(body, 'another-apps-secret'))).statusCode).toBe(401);
    const garbled = signedWebhookPost(body, APP_SECRET);
    garbled.headers['x-hub-signature-256'] = 'sha256=zz';
    expect((await h.app.inject(garbled)).statusCode).toBe(401);
    expect(h.received).toEqual([]);
  });

  it('checks the signature over the raw bytes: the same JSON re-serialised differently fails', async () => {
    const body = cloudWebhook.envelope({
      messages: [cloudWebhook.message('text', { text: { body: 'Jalan rusak' } })],
    });
    const signed = signedWebhookPost(body, APP_SECRET);
    // Meta sends compact JSON with escaped slashes and non-ASCII; the receiver must not re-serialise.
    const reformatted = JSON.stringify(JSON.parse(signed.payload), null, 2);
    expect(JSON.parse(reformatted)).toEqual(JSON.parse(signed.payload));
    const res = await h.app.inject({ ...signed, payload: reformatted });
    expect(res.statusCode).toBe(401);
    expect(h.received).toEqual([]);

    const pretty = signedWebhookPost(reformatted, APP_SECRET);
    expect((await h.app.inject(pretty)).statusCode).toBe(200);
    expect(h.received).toHaveLength(1);
  });

  it('answers 400 to malformed JSON with a valid signature', async () => {
    const res = await h.app.inject(
      signedWebhookPost('{"object":"whatsapp_business_account","entry":[', APP_SECRET),
    );
    expect(res.statusCode).toBe(400);
    expect(h.received).toEqual([]);
  });

  it('acknowledges and ignores signed payloads of other Graph products', async () => {
    const res = await h.app.inject(signedWebhookPost({ object: 'page', entry: [] }, APP_SECRET));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ignored: true });
  });

  it('answers 500 when the inbound handler throws, so Meta redelivers, and 200 on redelivery', async () => {
    const body = cloudWebhook.envelope({
      messages: [cloudWebhook.message('text', { text: { body: 'halo' } }, { id: 'wamid.RETRY' })],
    });
    h.failInbound.next = true;
    const first = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(first.statusCode).toBe(500);
    expect(first.body).not.toContain('database unavailable');
    const second = await h.app.inject(signedWebhookPost(body, APP_SECRET));
    expect(second.statusCode).toBe(200);
    expect(h.received.map((m) => m.externalId)).toEqual(['wamid.RETRY']);
  });

  it('answers 503 before the adapter is started', async () => {
    await h.adapter.stop();
    const body = cloudWebhook.envelope({
      messages: [cloudWebhook.message('text', { text: { body: 'halo' } })],
    });
    expect((await h.app.inject(signedWebhookPost(body, APP_SECRET))).statusCode).toBe(503);
  });

  it('keeps normal JSON parsing for routes outside its scope', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(res.json()).toEqual({ echoed: { a: 1 } });
  });
});

describe('WhatsApp Cloud API adapter: sending', () => {
  it('sends plain text with the bearer token to the phone number id', async () => {
    const result = await h.adapter.send({
      address: '+6281234567890',
      text: 'Laporan Anda diterima dengan nomor LPR-2025-000123.',
    });
    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^wamid\.FAKE/) });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({
      version: 'v21.0',
      phoneNumberId: '106540352242922',
      authorization: 'Bearer EAAG-secret-token',
    });
    expect(graph.bodies[0]).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'text',
      text: { body: 'Laporan Anda diterima dengan nomor LPR-2025-000123.', preview_url: false },
    });
  });

  it('sends up to three short choices as reply buttons', async () => {
    await h.adapter.send({
      address: '+6281234567890',
      text: 'Kirim laporan sekarang?',
      choices: [
        { id: 'submit', label: 'Ya, kirim' },
        { id: 'edit', label: 'Ubah' },
        { id: 'cancel', label: 'Batal' },
      ],
    });
    expect(graph.bodies[0]).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Kirim laporan sekarang?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'submit', title: 'Ya, kirim' } },
            { type: 'reply', reply: { id: 'edit', title: 'Ubah' } },
            { type: 'reply', reply: { id: 'cancel', title: 'Batal' } },
          ],
        },
      },
    });
  });

  it('sends more choices, or labels too long for buttons, as a list', async () => {
    const categories = [
      'Infrastruktur',
      'Kesehatan',
      'Pendidikan',
      'Administrasi Kependudukan',
      'Lingkungan Hidup',
    ];
    await h.adapter.send({
      address: '+6281234567890',
      text: 'Pilih kategori laporan:',
      choices: categories.map((label, i) => ({ id: `cat_${i}`, label: label.slice(0, 24) })),
    });
    const body = graph.bodies[0] as {
      interactive: { type: string; action: { button: string; sections: { rows: unknown[] }[] } };
    };
    expect(body.interactive.type).toBe('list');
    expect(body.interactive.action.button).toBe('Pilih');
    expect(body.interactive.action.sections[0]?.rows).toEqual([
      { id: 'cat_0', title: 'Infrastruktur' },
      { id: 'cat_1', title: 'Kesehatan' },
      { id: 'cat_2', title: 'Pendidikan' },
      { id: 'cat_3', title: 'Administrasi Kependuduka' },
      { id: 'cat_4', title: 'Lingkungan Hidup' },
    ]);

    await h.adapter.send({
      address: '+6281234567890',
      text: 'Apakah lokasi ini benar?',
      choices: [
        { id: 'yes', label: 'Ya, lokasi sudah benar' },
        { id: 'no', label: 'Tidak' },
      ],
    });
    expect((graph.bodies[1] as { interactive: { type: string } }).interactive.type).toBe('list');
  });

  it('falls back to numbered text when choices do not fit a list', async () => {
    await h.adapter.send({
      address: '+6281234567890',
      text: 'Which office?',
      locale: 'en',
      choices: [
        { id: 'a', label: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
        { id: 'b', label: 'Dinas Lingkungan Hidup' },
      ],
    });
    expect(graph.bodies[0]).toMatchObject({
      type: 'text',
      text: {
        body: 'Which office?\n\n1. Dinas Pekerjaan Umum dan Penataan Ruang\n2. Dinas Lingkungan Hidup\nReply with a number 1–2.',
      },
    });
  });

  it('maps 429 with Retry-After to a retryable result with the wait', async () => {
    graph.failNext(429, 1, '7');
    const result = await h.adapter.send({ address: '+6281234567890', text: 'Halo' });
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining('Rate limit hit'),
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it("maps 5xx to retryable and other 4xx to non-retryable with Graph's message", async () => {
    graph.failNext(503);
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    graph.failNext(400, 1, undefined, { code: 131026, message: '(#131026) Message undeliverable' });
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toEqual({
      ok: false,
      error: '(#131026) Message undeliverable',
      retryable: false,
    });
    graph.failNext(400, 1, undefined, {
      code: 131056,
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    });
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it('maps an unreachable Graph API to retryable', async () => {
    const offline = createWhatsAppCloudAdapter(
      {
        appSecret: 's',
        verifyToken: 'v',
        accessToken: 't',
        phoneNumberId: '1',
        graphApiBase: 'http://127.0.0.1:1',
      },
      { logger: silent },
    );
    expect(await offline.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it('refuses addresses that are not phone numbers without calling Graph', async () => {
    expect(await h.adapter.send({ address: 'abc', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(graph.requests).toEqual([]);
  });
});
