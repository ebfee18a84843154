/**
 * The channel port's contract, run against every citizen adapter (describe.each), each driven
 * through its real library or HTTP client against the fake of its provider on loopback:
 * - the same provider message delivered twice carries the same external id (core deduplicates
 *   on it), two messages carry two;
 * - a 429 is retryable with the provider's delay; another 4xx is final;
 * - the second choice offered comes back as the second choice (a button press, or "2" typed
 *   under a numbered list, which the dialog's `matchChoice` reads);
 * - a text longer than the channel takes is split into parts within its limit, nothing lost;
 * - a malformed (but correctly signed) webhook payload never gets a 5xx.
 * Adding a channel means adding one subject here.
 */
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmsAdapter, smsLength } from '../../bots/sms/index.ts';
import { createTelegramAdapter } from '../../bots/telegram/index.ts';
import { createWhatsAppWebAdapter } from '../../bots/whatsapp/index.ts';
import { createWhatsAppCloudAdapter } from '../../bots/whatsapp-cloud/index.ts';
import type { ChannelAdapter, Choice, InboundMessage, SendResult } from '../../core/channel/port.ts';
import { matchChoice } from '../../dialogs/engine/index.ts';
import { FakeSmsGateway, signedJsonGatewayPost } from '../../fakes/sms-gateway.ts';
import { startFakeTelegram } from '../../fakes/telegram.ts';
import { cloudWebhook, FakeWhatsAppCloud, signedWebhookPost } from '../../fakes/whatsapp-cloud.ts';
import { FakeWWebClient } from '../../fakes/wweb-client.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const CHOICES: Choice[] = [
  { id: 'cat:jalan', label: 'Jalan' },
  { id: 'cat:air', label: 'Air bersih' },
  { id: 'cat:lainnya', label: 'Lainnya' },
];

/** One adapter wired to its fake provider, as the contract drives it. */
interface Rig {
  adapter: ChannelAdapter;
  /** Address of the citizen the rig talks to. */
  address: string;
  inbound: InboundMessage[];
  /** The provider delivers one citizen text with the given provider id; resolves once handled. */
  deliverText(providerId: string, text: string): Promise<void>;
  /** The citizen picks the second choice of the last message we sent, the way the channel offers it. */
  pickSecond(): Promise<void>;
  /** The texts of what the provider received from us, in order. */
  sentTexts(): string[];
  /** The provider's next send answers `status` (with Retry-After seconds when given). */
  failNextSend(status: number, retryAfterSeconds?: number): void;
  /** Status codes of correctly signed but malformed webhook posts (empty: no webhook). */
  postMalformed(): Promise<number[]>;
  close(): Promise<void>;
}

interface Subject {
  name: string;
  /** Most characters one provider message may carry. */
  limit: number;
  /** Length as the channel counts it. */
  length: (text: string) => number;
  /** Whether the provider gives a delay with its rate limit (HTTP 429 + Retry-After). */
  retryAfter: boolean;
  rig(): Promise<Rig>;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!condition()) throw new Error(`${what} never happened`);
}

/** A long complaint-like text built from numbered words, so every word can be found again. */
function longText(words: number): string {
  return Array.from({ length: words }, (_, i) => `kata${i}`).join(' ');
}

const SUBJECTS: Subject[] = [
  {
    name: 'telegram (webhook, grammY)',
    limit: 4096,
    length: (t) => t.length,
    retryAfter: true,
    async rig() {
      const fake = await startFakeTelegram();
      const secret = 'contract-secret_01';
      const adapter = createTelegramAdapter(
        {
          token: fake.token,
          mode: 'webhook',
          webhookSecret: secret,
          apiRoot: fake.apiRoot,
          botInfo: fake.botInfo,
          rateLimit: false,
        },
        { logger: pino({ level: 'silent' }) },
      );
      const app = Fastify();
      await app.register(adapter.routes);
      await app.ready();
      const inbound: InboundMessage[] = [];
      await adapter.start({ onInbound: async (m) => void inbound.push(m) });
      const chatId = 4301;
      const post = (payload: string) =>
        app.inject({
          method: 'POST',
          url: '/webhooks/telegram',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          payload,
        });
      const updates = new Map<string, object>();
      return {
        adapter,
        address: String(chatId),
        inbound,
        async deliverText(providerId, text) {
          // A redelivery is the same update, byte for byte.
          const update = updates.get(providerId) ?? fake.updates.makeTextUpdate(chatId, text);
          updates.set(providerId, update);
          const before = inbound.length;
          expect((await post(JSON.stringify(update))).statusCode).toBe(200);
          await until(() => inbound.length > before, 'telegram inbound');
        },
        async pickSecond() {
          const last = fake.sent(chatId).at(-1);
          if (!last) throw new Error('nothing was sent to press');
          const keyboard = (last.replyMarkup as { inline_keyboard: { callback_data: string }[][] })
            .inline_keyboard;
          const second = keyboard.flat()[1]!.callback_data;
          const before = inbound.length;
          await post(JSON.stringify(fake.updates.makeCallbackUpdate(chatId, second, last.messageId)));
          await until(() => inbound.length > before, 'telegram button press');
        },
        sentTexts: () => fake.sent(chatId).map((m) => m.text),
        failNextSend(status, retryAfter) {
          fake.failNext('sendMessage', { status, ...(retryAfter ? { retryAfter } : {}) });
        },
        async postMalformed() {
          return Promise.all(
            ['not json', '{}', '[]', '{"update_id":"x","message":{"text":5}}', 'null'].map(
              async (p) => (await post(p)).statusCode,
            ),
          );
        },
        async close() {
          await adapter.stop();
          await app.close();
          await fake.close();
        },
      };
    },
  },
  {
    name: 'sms (JSON gateway, separate parts)',
    limit: 153,
    length: (t) => smsLength(t),
    retryAfter: true,
    async rig() {
      const gateway = await FakeSmsGateway.start();
      const secret = 'contract-gateway-secret';
      const adapter = createSmsAdapter(
        {
          provider: 'json',
          publicUrl: 'https://lapor.example.go.id',
          json: { sharedSecret: secret, sendUrl: gateway.jsonSendUrl, apiKey: 'k', from: 'LAPOR' },
        },
        { logger: silent },
      );
      const app = Fastify();
      await app.register(adapter.routes);
      await app.ready();
      const inbound: InboundMessage[] = [];
      await adapter.start({ onInbound: async (m) => void inbound.push(m) });
      const address = '+6281234567890';
      const post = (body: unknown) => app.inject(signedJsonGatewayPost(body, secret));
      return {
        adapter,
        address,
        inbound,
        async deliverText(providerId, text) {
          expect((await post({ id: providerId, from: '081234567890', text })).statusCode).toBe(200);
        },
        async pickSecond() {
          await post({ id: `reply-${Date.now()}`, from: '081234567890', text: '2' });
        },
        sentTexts: () => gateway.requests.map((r) => r.text),
        failNextSend(status, retryAfter) {
          gateway.failNext(status, 1, retryAfter ? String(retryAfter) : undefined);
        },
        async postMalformed() {
          return Promise.all(
            [
              'not json',
              '[]',
              '{}',
              '{"id":1,"from":"not a phone","text":"x"}',
              '{"id":1,"from":"0812","text":5}',
            ].map(async (p) => (await post(p)).statusCode),
          );
        },
        async close() {
          await adapter.stop();
          await app.close();
          await gateway.close();
        },
      };
    },
  },
  {
    name: 'whatsapp_cloud (Graph API)',
    limit: 4096,
    length: (t) => [...t].length,
    retryAfter: true,
    async rig() {
      const graph = await FakeWhatsAppCloud.start();
      const appSecret = 'contract-app-secret';
      const adapter = createWhatsAppCloudAdapter(
        {
          appSecret,
          verifyToken: 'verify-me',
          accessToken: 'EAAG-token',
          phoneNumberId: '106540352242922',
          graphApiBase: graph.baseUrl,
        },
        { logger: silent },
      );
      const app = Fastify();
      await app.register(adapter.routes);
      await app.ready();
      const inbound: InboundMessage[] = [];
      await adapter.start({ onInbound: async (m) => void inbound.push(m) });
      const post = (body: unknown) => app.inject(signedWebhookPost(body, appSecret));
      const deliver = async (message: Record<string, unknown>) =>
        (
          await post(
            cloudWebhook.envelope({ messages: [message], contacts: [cloudWebhook.contact('6281234567890')] }),
          )
        ).statusCode;
      return {
        adapter,
        address: '+6281234567890',
        inbound,
        async deliverText(providerId, text) {
          expect(
            await deliver(cloudWebhook.message('text', { text: { body: text } }, { id: providerId })),
          ).toBe(200);
        },
        async pickSecond() {
          const body = graph.bodies.at(-1) as {
            interactive: { action: { buttons: { reply: { id: string; title: string } }[] } };
          };
          const second = body.interactive.action.buttons[1]!.reply;
          await deliver(
            cloudWebhook.message(
              'interactive',
              { interactive: { type: 'button_reply', button_reply: second } },
              { id: `wamid.reply${Date.now()}` },
            ),
          );
        },
        sentTexts: () =>
          graph.bodies.map((b) => {
            const body = b as { text?: { body: string }; interactive?: { body: { text: string } } };
            return body.text?.body ?? body.interactive?.body.text ?? '';
          }),
        failNextSend(status, retryAfter) {
          graph.failNext(status, 1, retryAfter ? String(retryAfter) : undefined);
        },
        async postMalformed() {
          return Promise.all(
            [
              'not json',
              '[]',
              '{}',
              JSON.stringify({ object: 'whatsapp_business_account', entry: 'x' }),
              JSON.stringify(cloudWebhook.envelope({ messages: [{ id: 5, type: null }] })),
            ].map(async (p) => (await post(p)).statusCode),
          );
        },
        async close() {
          await adapter.stop();
          await app.close();
          await graph.close();
        },
      };
    },
  },
  {
    name: 'whatsapp (whatsapp-web.js session)',
    // WhatsApp's own message limit; the session sends one message for anything below it.
    limit: 65_536,
    length: (t) => [...t].length,
    retryAfter: false,
    async rig() {
      const fake = new FakeWWebClient();
      const adapter = createWhatsAppWebAdapter(
        { dataDir: '/nonexistent' },
        {
          logger: silent,
          clientFactory: () => fake,
          printQr: () => {},
          reconnect: { initialDelayMs: 1, maxDelayMs: 4 },
        },
      );
      const inbound: InboundMessage[] = [];
      await adapter.start({ onInbound: async (m) => void inbound.push(m) });
      fake.emit('ready');
      const from = '6281234567890@c.us';
      return {
        adapter,
        address: '+6281234567890',
        inbound,
        async deliverText(providerId, text) {
          const before = inbound.length;
          fake.emitMessage({ id: { _serialized: providerId }, from, body: text });
          await until(() => inbound.length > before, 'whatsapp inbound');
        },
        async pickSecond() {
          const before = inbound.length;
          fake.emitMessage({ from, body: '2' });
          await until(() => inbound.length > before, 'whatsapp reply');
        },
        sentTexts: () => fake.sent.map((s) => s.content),
        failNextSend(status) {
          // A WhatsApp Web session has no HTTP status: its rate limit and its "no such number".
          fake.failNextSend(status === 429 ? 'rate-overlimit' : 'Evaluation failed: invalid wid');
        },
        postMalformed: async () => [],
        async close() {
          await adapter.stop();
        },
      };
    },
  },
];

describe.each(SUBJECTS)('channel adapter contract: $name', (subject) => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await subject.rig();
  });
  afterEach(async () => {
    await rig.close();
  });

  it('gives a redelivered message the same external id, and another message another', async () => {
    await rig.deliverText('prov-msg-1', 'Lampu jalan mati sejak kemarin');
    await rig.deliverText('prov-msg-1', 'Lampu jalan mati sejak kemarin');
    await rig.deliverText('prov-msg-2', 'Sampah menumpuk di pasar');
    await until(() => rig.inbound.length === 3, 'three inbound messages');
    const [first, again, other] = rig.inbound.map((m) => m.externalId);
    expect(first).toBeTruthy();
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(rig.inbound[0]).toMatchObject({ text: 'Lampu jalan mati sejak kemarin' });
  });

  it('reports a rate limit as retryable, with the provider delay where it gives one', async () => {
    rig.failNextSend(429, 7);
    const result = await rig.adapter.send({ address: rig.address, text: 'Laporan diterima' });
    expect(result.ok).toBe(false);
    const failure = result as Extract<SendResult, { ok: false }>;
    expect(failure.retryable).toBe(true);
    if (subject.retryAfter) expect(failure.retryAfterMs).toBe(7000);
    expect(await rig.adapter.send({ address: rig.address, text: 'Laporan diterima' })).toMatchObject({
      ok: true,
    });
  });

  it('reports another client error as final', async () => {
    rig.failNextSend(400);
    const result = await rig.adapter.send({ address: rig.address, text: 'Laporan diterima' });
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it('brings the second choice back as the second choice', async () => {
    expect(
      await rig.adapter.send({ address: rig.address, text: 'Topik laporan Anda?', choices: CHOICES }),
    ).toMatchObject({ ok: true });
    await rig.pickSecond();
    const reply = rig.inbound.at(-1);
    expect(reply).toBeDefined();
    expect(reply!.choice ?? matchChoice(reply!.text ?? '', CHOICES)).toBe(CHOICES[1]!.id);
  });

  it('splits a text longer than the channel takes into parts within its limit, losing nothing', async () => {
    const words = Math.ceil((subject.limit * 2.5) / 7);
    const text = longText(words);
    expect(await rig.adapter.send({ address: rig.address, text })).toMatchObject({ ok: true });
    const parts = rig.sentTexts();
    expect(parts.length).toBeGreaterThanOrEqual(subject.limit < text.length ? 3 : 1);
    for (const part of parts) expect(subject.length(part)).toBeLessThanOrEqual(subject.limit);
    const received = new Set(parts.join(' ').split(/\s+/));
    const missing = text.split(' ').filter((w) => !received.has(w));
    expect(missing).toEqual([]);
  });

  it('never answers a malformed, correctly signed webhook with a 5xx', async () => {
    const statuses = await rig.postMalformed();
    for (const status of statuses) expect(status).toBeLessThan(500);
    expect(rig.inbound.filter((m) => !m.address)).toEqual([]);
  });
});
