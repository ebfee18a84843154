import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramConfig,
} from '../../bots/telegram/index.ts';
import type { InboundMessage } from '../../core/channel/port.ts';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram.ts';

const silent = pino({ level: 'silent' });
const SECRET = 'lapor-webhook-secret_01';

/** Resolves once `condition` holds (checked every few ms); fails after ~5 s so nothing hangs. */
async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!condition()) throw new Error(`${what} never became true`);
}

/** Collects what the adapter hands to core. */
class Inbox {
  readonly messages: InboundMessage[] = [];
  handler = async (message: InboundMessage): Promise<void> => {
    this.messages.push(message);
  };
  async next(predicate: (m: InboundMessage) => boolean = () => true): Promise<InboundMessage> {
    await until(() => this.messages.some(predicate), 'inbound message');
    return this.messages.find(predicate)!;
  }
}

describe('Telegram adapter in long-polling mode (grammY against the fake Bot API)', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  let inbox: Inbox;

  beforeEach(async () => {
    fake = await startFakeTelegram();
    adapter = createTelegramAdapter(
      { token: fake.token, mode: 'polling', apiRoot: fake.apiRoot, rateLimit: false },
      { logger: silent },
    );
    inbox = new Inbox();
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('asks getMe who it is, drops any webhook and describes itself', async () => {
    await adapter.start({ onInbound: inbox.handler });
    expect(fake.calls('getMe')).toHaveLength(1);
    expect(fake.calls('deleteWebhook')).toHaveLength(1);
    expect(adapter.kind).toBe('telegram');
    expect(adapter.describe()).toBe('telegram: long polling as @lapor_test_bot');
  });

  it('fails to start with a rejected token, without the token in the error', async () => {
    const wrong = createTelegramAdapter(
      { token: '987654321:AAWrongTokenForTests', mode: 'polling', apiRoot: fake.apiRoot, rateLimit: false },
      { logger: silent },
    );
    const failure = await wrong.start({ onInbound: inbox.handler }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/could not start: getMe 401 Unauthorized/);
    expect(failure?.message).not.toContain('AAWrongTokenForTests');
    await wrong.stop();
  });

  it('receives a citizen text with name, locale and a re-delivery-stable externalId', async () => {
    await adapter.start({ onInbound: inbox.handler });
    const update = fake.injectMessage(4301, 'Jalan berlubang di depan SDN 2 Purbalingga');
    const inbound = await inbox.next();
    expect(inbound).toEqual({
      channel: 'telegram',
      address: '4301',
      externalId: `msg:4301:${update.message?.message_id}`,
      text: 'Jalan berlubang di depan SDN 2 Purbalingga',
      displayName: 'Siti',
      localeHint: 'id',
      receivedAt: expect.any(Date),
    });
  });

  it('passes commands as typed, without the @botname suffix', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.injectMessage(4302, '/start');
    fake.injectMessage(4302, '/status@lapor_test_bot LPR-2024-0001');
    fake.injectMessage(4302, '/bantuan');
    await until(() => inbox.messages.length === 3);
    expect(inbox.messages.map((m) => m.text)).toEqual(['/start', '/status LPR-2024-0001', '/bantuan']);
  });

  it('receives a photo as the largest size plus its caption', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.injectPhoto(4303, 'AgACAgUAAxkBAAIBfoto', 'Sampah menumpuk di pasar');
    const inbound = await inbox.next();
    expect(inbound.media).toEqual([{ kind: 'photo', ref: 'AgACAgUAAxkBAAIBfoto' }]);
    expect(inbound.text).toBe('Sampah menumpuk di pasar');
  });

  it('receives a shared location', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.injectLocation(4304, -7.3886, 109.3636);
    const inbound = await inbox.next();
    expect(inbound.location).toEqual({ lat: -7.3886, lon: 109.3636 });
    expect(inbound.text).toBeUndefined();
  });

  it('passes stickers, voice notes, documents and contacts on as media without text', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.injectSticker(4305, 'CAACsticker');
    fake.injectMedia(4305, 'voice', 'AwACvoice');
    fake.injectMedia(4305, 'document', 'BQACdoc');
    fake.injectMedia(4305, 'contact');
    await until(() => inbox.messages.length === 4);
    expect(inbox.messages.map((m) => m.media)).toEqual([
      [{ kind: 'sticker', ref: 'CAACsticker' }],
      [{ kind: 'voice', ref: 'AwACvoice', mimeType: 'audio/ogg' }],
      [{ kind: 'document', ref: 'BQACdoc', mimeType: 'application/pdf' }],
      [{ kind: 'contact', ref: '+6281234567890' }],
    ]);
    expect(inbox.messages.every((m) => m.text === undefined)).toBe(true);
  });

  it('turns a button press into a choice, answers the query and removes the keyboard', async () => {
    await adapter.start({ onInbound: inbox.handler });
    const sent = await adapter.send({
      address: '4306',
      text: 'Apakah data laporan sudah benar?',
      choices: [
        { id: 'confirm:yes', label: 'Ya' },
        { id: 'confirm:no', label: 'Tidak' },
      ],
    });
    expect(sent.ok).toBe(true);
    const press = fake.injectCallback(4306, 'confirm:yes');
    const inbound = await inbox.next();
    expect(inbound).toMatchObject({
      channel: 'telegram',
      address: '4306',
      externalId: `cbq:${press.callback_query?.id}`,
      choice: 'confirm:yes',
      displayName: 'Siti',
    });
    expect(inbound.text).toBeUndefined();
    await until(() => fake.calls('answerCallbackQuery').length === 1, 'answerCallbackQuery');
    expect(fake.calls('answerCallbackQuery')[0]?.params.callback_query_id).toBe(press.callback_query?.id);
    await until(() => fake.sent(4306)[0]?.replyMarkup === undefined, 'keyboard removed');
  });

  it('tolerates a failing keyboard removal and still passes the choice on', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.failNext('editMessageReplyMarkup', {
      status: 400,
      description: 'Bad Request: message to edit not found',
    });
    fake.injectCallback(4307, 'cat:road');
    expect((await inbox.next()).choice).toBe('cat:road');
    await until(() => fake.calls('answerCallbackQuery').length === 1, 'answerCallbackQuery');
  });

  it('keeps polling after the handler throws', async () => {
    let calls = 0;
    await adapter.start({
      onInbound: async (message) => {
        calls++;
        if (calls === 1) throw new Error('database unavailable');
        await inbox.handler(message);
      },
    });
    fake.injectMessage(4308, 'pertama');
    fake.injectMessage(4308, 'kedua');
    expect((await inbox.next()).text).toBe('kedua');
  });

  it('handles one chat in order while other chats go ahead', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await adapter.start({
      onInbound: async (message) => {
        order.push(`start ${message.address} ${message.text}`);
        if (message.text === 'A1') await gate;
        order.push(`end ${message.address} ${message.text}`);
      },
    });
    fake.injectMessage(1001, 'A1');
    fake.injectMessage(1001, 'A2');
    fake.injectMessage(2002, 'B1');
    await until(() => order.includes('end 2002 B1'), 'chat B handled');
    // Chat A's second message waits for its first, which is still in the handler.
    expect(order).not.toContain('start 1001 A2');
    release();
    await until(() => order.includes('end 1001 A2'), 'chat A handled');
    expect(order.indexOf('end 1001 A1')).toBeLessThan(order.indexOf('start 1001 A2'));
  });

  it('recovers from a Bot API outage while polling', async () => {
    fake.failNext('getUpdates', { status: 502, count: 1 });
    await adapter.start({ onInbound: inbox.handler });
    fake.injectMessage(4309, 'masih bisa?');
    expect((await inbox.next()).text).toBe('masih bisa?');
  });

  it('stop() ends the parked long poll and confirms handled updates to Telegram', async () => {
    await adapter.start({ onInbound: inbox.handler });
    fake.injectMessage(4310, 'satu');
    await inbox.next();
    await adapter.stop();
    expect(fake.pendingUpdates).toBe(0);
    // Nothing more is received after stop.
    fake.injectMessage(4310, 'dua');
    expect(inbox.messages).toHaveLength(1);
    await expect(adapter.send({ address: '4310', text: 'halo' })).resolves.toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});

describe('Telegram adapter in webhook mode (fastify)', () => {
  let fake: FakeTelegram;
  let app: FastifyInstance;
  let adapter: TelegramAdapter;
  let inbox: Inbox;

  async function setUp(overrides: Partial<TelegramConfig> = {}, start = true): Promise<void> {
    adapter = createTelegramAdapter(
      {
        token: fake.token,
        mode: 'webhook',
        webhookSecret: SECRET,
        apiRoot: fake.apiRoot,
        botInfo: fake.botInfo,
        rateLimit: false,
        ...overrides,
      },
      { logger: silent },
    );
    app = Fastify();
    await app.register(adapter.routes);
    await app.ready();
    if (start) await adapter.start({ onInbound: inbox.handler });
  }

  /** POSTs like Telegram does; `secret: null` leaves the header out. */
  function post(body: unknown, secret: string | null = SECRET) {
    return app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: {
        'content-type': 'application/json',
        ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  beforeEach(async () => {
    fake = await startFakeTelegram();
    inbox = new Inbox();
  });

  afterEach(async () => {
    await adapter?.stop();
    await app?.close();
    await fake.close();
  });

  it('passes an update with the right secret on and answers 200 after the handler resolved', async () => {
    await setUp();
    expect(adapter.describe()).toBe('telegram: webhook at POST /webhooks/telegram as @lapor_test_bot');
    const update = fake.updates.makeTextUpdate(4401, 'Air PDAM mati tiga hari');
    const res = await post(update);
    expect(res.statusCode).toBe(200);
    // 200 means stored: the handler already ran.
    expect(inbox.messages).toEqual([
      expect.objectContaining({
        address: '4401',
        text: 'Air PDAM mati tiga hari',
        externalId: `msg:4401:${update.message?.message_id}`,
      }),
    ]);
    expect(fake.calls('getMe')).toHaveLength(0);
  });

  it('answers 401 for a wrong or missing secret and passes nothing on', async () => {
    await setUp();
    const update = fake.updates.makeTextUpdate(4402, 'halo');
    const wrong = await post(update, 'not-the-secret');
    const missing = await post(update, null);
    const wrongAndMalformed = await post('{not json', 'nope');
    expect([wrong.statusCode, missing.statusCode, wrongAndMalformed.statusCode]).toEqual([401, 401, 401]);
    expect(wrong.json()).toEqual({ error: 'invalid or missing secret token' });
    expect(inbox.messages).toEqual([]);
  });

  it('answers 400 for malformed JSON, and 200 for signed bodies that are not updates, recording why', async () => {
    await setUp({}, false);
    const rejected: { channel: string; reason: string }[] = [];
    await adapter.start({
      onInbound: inbox.handler,
      onRejected: async (r) => {
        rejected.push(r);
      },
    });
    const malformed = await post('{"update_id": 5, "message": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toHaveProperty('error');
    // Telegram redelivers anything but a 2xx forever: a signed body of the wrong shape is
    // acknowledged and recorded as rejected, with where it went wrong.
    const bodies = [
      { hello: 'world' },
      [1, 2],
      { update_id: 'x', message: {} },
      { update_id: 8, message: { message_id: 1, date: 0, text: 'x' } },
    ];
    for (const body of bodies) expect((await post(body)).statusCode).toBe(200);
    expect(rejected).toHaveLength(bodies.length);
    expect(rejected.every((r) => r.channel === 'telegram')).toBe(true);
    expect(rejected[0]?.reason).toMatch(/^update_id: expected number/);
    expect(rejected[3]?.reason).toMatch(/^message\.chat: expected object/);
    expect(inbox.messages).toEqual([]);
  });

  it('answers 500 when the handler throws, so Telegram re-delivers the same update with the same externalId', async () => {
    let fail = true;
    const seen: string[] = [];
    await setUp({}, false);
    await adapter.start({
      onInbound: async (message) => {
        seen.push(message.externalId);
        if (fail) throw new Error('store down');
      },
    });
    const update = fake.updates.makePhotoUpdate(4403, 'AgACfoto', 'Pohon tumbang');
    const first = await post(update);
    expect(first.statusCode).toBe(500);
    expect(first.body).not.toContain('store down');
    fail = false;
    const redelivered = await post(update);
    expect(redelivered.statusCode).toBe(200);
    expect(seen).toEqual([
      `msg:4403:${update.message?.message_id}`,
      `msg:4403:${update.message?.message_id}`,
    ]);
  });

  it('answers 503 before start() so Telegram keeps the update', async () => {
    await setUp({}, false);
    const res = await post(fake.updates.makeTextUpdate(4404, 'halo'));
    expect(res.statusCode).toBe(503);
  });

  it('acknowledges a button press through the Bot API', async () => {
    await setUp();
    const press = fake.updates.makeCallbackUpdate(4405, 'cat:water');
    const res = await post(press);
    expect(res.statusCode).toBe(200);
    expect(inbox.messages[0]).toMatchObject({
      choice: 'cat:water',
      externalId: `cbq:${press.callback_query?.id}`,
    });
    // The fake does not know this query id (it was built, not injected): the adapter tolerates the 400.
    expect(fake.calls('answerCallbackQuery')).toHaveLength(1);
  });

  it('ignores update types the intake does not handle with 200', async () => {
    await setUp();
    const edited = fake.updates.makeTextUpdate(4406, 'ralat');
    const res = await post({ update_id: edited.update_id, edited_message: edited.message });
    expect(res.statusCode).toBe(200);
    expect(inbox.messages).toEqual([]);
  });

  it('registers its webhook with the secret when a public URL is configured', async () => {
    await setUp({ webhookUrl: 'https://lapor.example.go.id/webhooks/telegram' });
    expect(fake.webhook).toEqual({
      url: 'https://lapor.example.go.id/webhooks/telegram',
      secretToken: SECRET,
      allowedUpdates: ['message', 'callback_query'],
    });
  });

  it('refuses to be created without a usable secret', () => {
    expect(() => createTelegramAdapter({ token: fake.token, mode: 'webhook' }, { logger: silent })).toThrow(
      /webhookSecret is required/,
    );
    expect(() =>
      createTelegramAdapter(
        { token: fake.token, mode: 'webhook', webhookSecret: 'has spaces' },
        { logger: silent },
      ),
    ).toThrow(/webhookSecret must be/);
  });
});

describe('Telegram adapter send()', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;

  beforeEach(async () => {
    fake = await startFakeTelegram();
    adapter = createTelegramAdapter(
      { token: fake.token, mode: 'polling', apiRoot: fake.apiRoot, botInfo: fake.botInfo, rateLimit: false },
      { logger: silent },
    );
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('renders short choices as one row of inline buttons with the choice ids as callback data', async () => {
    const result = await adapter.send({
      address: '4501',
      text: 'Laporan ini rahasia?',
      choices: [
        { id: 'private:yes', label: 'Ya' },
        { id: 'private:no', label: 'Tidak' },
      ],
    });
    const [message] = fake.sent(4501);
    expect(result).toEqual({ ok: true, providerMessageId: String(message?.messageId) });
    expect(message?.replyMarkup).toEqual({
      inline_keyboard: [
        [
          { text: 'Ya', callback_data: 'private:yes' },
          { text: 'Tidak', callback_data: 'private:no' },
        ],
      ],
    });
  });

  it('puts long labels one per row', async () => {
    await adapter.send({
      address: '4502',
      text: 'Instansi mana yang dituju?',
      choices: [
        { id: 'agency:pupr', label: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
        { id: 'agency:dlh', label: 'Dinas Lingkungan Hidup' },
        { id: 'agency:other', label: 'Lainnya' },
      ],
    });
    const markup = fake.sent(4502)[0]?.replyMarkup as { inline_keyboard: unknown[][] } | undefined;
    expect(markup?.inline_keyboard.map((row) => row.length)).toEqual([1, 1, 1]);
  });

  it('sends plain text without a keyboard when there are no choices', async () => {
    expect(
      await adapter.send({ address: '4503', text: 'Terima kasih, laporan Anda kami terima.' }),
    ).toMatchObject({
      ok: true,
    });
    expect(fake.sent(4503).map((m) => m.text)).toEqual(['Terima kasih, laporan Anda kami terima.']);
    expect(fake.sent(4503)[0]?.replyMarkup).toBeUndefined();
    expect(fake.sent(4503)[0]?.params).not.toHaveProperty('reply_markup');
  });

  it('refuses a choice id over 64 bytes without calling Telegram', async () => {
    const result = await adapter.send({
      address: '4504',
      text: 'Pilih',
      choices: [{ id: `kategori:${'é'.repeat(30)}`, label: 'Terlalu panjang' }],
    });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.error).toMatch(/64/);
    expect(fake.sent()).toEqual([]);
  });

  it('maps a 429 to retryable with retryAfterMs from retry_after', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 7 });
    expect(await adapter.send({ address: '4505', text: 'halo' })).toEqual({
      ok: false,
      error: 'Too Many Requests: retry after 7',
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it('maps 5xx answers and dropped connections to retryable', async () => {
    fake.failNext('sendMessage', { status: 500 });
    fake.failNext('sendMessage', { status: 'disconnect' });
    expect(await adapter.send({ address: '4506', text: 'halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    const network = await adapter.send({ address: '4506', text: 'halo' });
    expect(network).toMatchObject({ ok: false, retryable: true });
    expect(network.ok === false && network.error).not.toContain(fake.token);
  });

  it('maps a blocked bot (403) and an unknown chat (400) to non-retryable with the description', async () => {
    fake.blockChat(4507);
    expect(await adapter.send({ address: '4507', text: 'halo' })).toEqual({
      ok: false,
      error: 'Forbidden: bot was blocked by the user',
      retryable: false,
    });
    expect(await adapter.send({ address: 'no-such-chat', text: 'halo' })).toEqual({
      ok: false,
      error: 'Bad Request: chat not found',
      retryable: false,
    });
  });

  it('splits a 6,000-character text at a paragraph break into 2 messages, keyboard on the last', async () => {
    const paragraph = (n: number) => `${'Kronologi kejadian di lokasi. '.repeat(200).slice(0, n - 1)}.`;
    const text = `${paragraph(3000)}\n\n${paragraph(2998)}`;
    expect(text.length).toBe(6000);
    const result = await adapter.send({
      address: '4508',
      text,
      choices: [{ id: 'ok', label: 'Mengerti' }],
    });
    expect(result.ok).toBe(true);
    const sent = fake.sent(4508);
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => m.text.length <= 4096)).toBe(true);
    expect(sent.map((m) => m.text).join('\n\n')).toBe(text);
    expect(sent[0]?.replyMarkup).toBeUndefined();
    expect(sent[1]?.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'Mengerti', callback_data: 'ok' }]] });
    expect(result.ok && result.providerMessageId).toBe(String(sent[1]?.messageId));
  });

  it('splits 6,000 characters without any break into 4096 + 1904', async () => {
    await adapter.send({ address: '4509', text: 'x'.repeat(6000) });
    expect(fake.sent(4509).map((m) => m.text.length)).toEqual([4096, 1904]);
  });

  it('sends through the rate limiter when limits are configured', async () => {
    const limited = createTelegramAdapter(
      {
        token: fake.token,
        mode: 'polling',
        apiRoot: fake.apiRoot,
        botInfo: fake.botInfo,
        rateLimit: { perChatPerSecond: 500, globalPerSecond: 1000 },
      },
      { logger: silent },
    );
    const results = await Promise.all(
      ['satu', 'dua', 'tiga'].map((text) => limited.send({ address: '4510', text })),
    );
    await limited.stop();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.sent(4510).map((m) => m.text)).toEqual(['satu', 'dua', 'tiga']);
  });
});
