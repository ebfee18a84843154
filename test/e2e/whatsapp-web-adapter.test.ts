import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWhatsAppWebAdapter,
  createWhatsAppWebClient,
  type WhatsAppClientLike,
} from '../../bots/whatsapp/index.ts';
import type { ChannelAdapter, InboundMessage } from '../../core/channel/port.ts';
import { FakeWWebClient } from '../../fakes/wweb-client.ts';

// Type-level contract: tsc fails here if whatsapp-web.js's real Client stops matching the
// interface the adapter is written against (no Chrome is needed to check a type).
type RealClientIsCompatible = import('whatsapp-web.js').Client extends WhatsAppClientLike ? true : never;
const realClientIsCompatible: RealClientIsCompatible = true;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Harness {
  fake: FakeWWebClient;
  adapter: ChannelAdapter;
  received: InboundMessage[];
  qrs: string[];
}

let running: ChannelAdapter[] = [];

afterEach(async () => {
  await Promise.all(running.map((adapter) => adapter.stop()));
  running = [];
});

async function startHarness(reconnect = { initialDelayMs: 1, maxDelayMs: 4 }): Promise<Harness> {
  const fake = new FakeWWebClient();
  const received: InboundMessage[] = [];
  const qrs: string[] = [];
  const adapter = createWhatsAppWebAdapter(
    { dataDir: '/nonexistent' },
    { logger: silent, clientFactory: () => fake, printQr: (qr) => qrs.push(qr), reconnect },
  );
  running.push(adapter);
  await adapter.start({
    onInbound: async (message) => {
      received.push(message);
    },
  });
  fake.emit('ready');
  return { fake, adapter, received, qrs };
}

/** Emits a marker text after `act` and waits for it: messages are handled in order, so anything `act` produced is in by then. */
async function settle(h: Harness, act: () => void): Promise<InboundMessage[]> {
  const before = h.received.length;
  act();
  const marker = h.fake.emitMessage({ body: 'marker' });
  await vi.waitFor(() => expect(h.received.at(-1)?.externalId).toBe(marker.id._serialized));
  return h.received.slice(before, -1);
}

describe('WhatsApp Web adapter (whatsapp-web.js)', () => {
  it('matches the real whatsapp-web.js Client at type level', () => {
    expect(realClientIsCompatible).toBe(true);
  });

  it('prints the pairing QR code when WhatsApp Web asks for one', async () => {
    const h = await startHarness();
    h.fake.emit('qr', '2@abcdefQRDATA');
    expect(h.qrs).toEqual(['2@abcdefQRDATA']);
    expect(h.fake.initializeCalls).toBe(1);
  });

  it('passes a private text message on with the sender as +62 number', async () => {
    const h = await startHarness();
    const [inbound, ...rest] = await settle(h, () => {
      h.fake.emitMessage({ body: 'Jalan di Desa Karangreja berlubang', from: '6281234567890@c.us' });
    });
    expect(rest).toEqual([]);
    expect(inbound).toMatchObject({
      channel: 'whatsapp',
      address: '+6281234567890',
      text: 'Jalan di Desa Karangreja berlubang',
      displayName: 'Budi',
    });
    expect(inbound?.externalId).toMatch(/^false_6281234567890@c\.us_/);
    expect(inbound?.receivedAt).toEqual(new Date(1_750_000_000 * 1000));
    expect(inbound?.media).toBeUndefined();
  });

  it('turns a shared location into coordinates and drops the thumbnail body', async () => {
    const h = await startHarness();
    const [inbound] = await settle(h, () => {
      h.fake.emitMessage({
        type: 'location',
        body: '/9j/4AAQSkZJRgABAQAAAQABAAD',
        location: { latitude: '-7.3879', longitude: '109.3636' },
      });
    });
    expect(inbound?.location).toEqual({ lat: -7.3879, lon: 109.3636 });
    expect(inbound?.text).toBeUndefined();
  });

  it('references a photo by message id, keeps its caption and does not download it', async () => {
    const h = await startHarness();
    let [inbound] = await settle(h, () => {
      h.fake.emitMessage({
        type: 'image',
        hasMedia: true,
        body: 'Sampah menumpuk',
        _data: { mimetype: 'image/jpeg' },
      });
    });
    expect(inbound?.media).toEqual([{ kind: 'photo', ref: inbound?.externalId, mimeType: 'image/jpeg' }]);
    expect(inbound?.text).toBe('Sampah menumpuk');

    [inbound] = await settle(h, () => {
      h.fake.emitMessage({ type: 'document', hasMedia: true, body: '' });
    });
    expect(inbound?.media).toEqual([{ kind: 'document', ref: inbound?.externalId }]);
    expect(inbound?.text).toBeUndefined();
  });

  it('passes stickers, voice notes and contact cards on as media without text', async () => {
    const h = await startHarness();
    const inbound = await settle(h, () => {
      h.fake.emitMessage({ type: 'sticker', hasMedia: true, body: '' });
      h.fake.emitMessage({ type: 'ptt', hasMedia: true, body: '' });
      h.fake.emitMessage({
        type: 'vcard',
        hasMedia: false,
        body: 'BEGIN:VCARD\nVERSION:3.0\nFN:Pak RT\nEND:VCARD',
      });
    });
    expect(inbound.map((m) => m.media?.[0]?.kind)).toEqual(['sticker', 'voice', 'contact']);
    expect(inbound.map((m) => m.text)).toEqual([undefined, undefined, undefined]);
    expect(inbound.map((m) => m.media?.[0]?.ref)).toEqual(inbound.map((m) => m.externalId));
  });

  it('ignores own messages, status updates, group chats, broadcasts and system notices', async () => {
    const h = await startHarness();
    const inbound = await settle(h, () => {
      h.fake.emitMessage({ fromMe: true });
      h.fake.emitMessage({ from: 'status@broadcast', isStatus: true });
      h.fake.emitMessage({ from: '120363025246125486@g.us' });
      h.fake.emitMessage({ from: '6281234567890@c.us', broadcast: true });
      h.fake.emitMessage({ type: 'e2e_notification', body: '' });
      h.fake.emitMessage({ type: 'revoked', body: '' });
    });
    expect(inbound).toEqual([]);
  });

  it('resolves a privacy id (@lid) sender through the contact, and ignores it when no number is known', async () => {
    const h = await startHarness();
    const inbound = await settle(h, () => {
      h.fake.emitMessage({
        from: '201234567890123@lid',
        getContact: async () => ({ number: '6285712345678' }),
      });
      h.fake.emitMessage({ from: '201234567890124@lid', getContact: async () => ({ number: null }) });
    });
    expect(inbound.map((m) => m.address)).toEqual(['+6285712345678']);
  });

  it('sends text to <digits>@c.us and renders choices as a numbered list', async () => {
    const h = await startHarness();
    const result = await h.adapter.send({
      address: '+6281234567890',
      text: 'Laporan Anda sudah lengkap. Kirim sekarang?',
      choices: [
        { id: 'submit', label: 'Ya, kirim' },
        { id: 'edit', label: 'Ubah' },
        { id: 'cancel', label: 'Batal' },
      ],
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.providerMessageId).toBe('true_6281234567890@c.us_OUT1');
    expect(h.fake.sent).toEqual([
      {
        chatId: '6281234567890@c.us',
        content:
          'Laporan Anda sudah lengkap. Kirim sekarang?\n\n1. Ya, kirim\n2. Ubah\n3. Batal\nBalas dengan angka 1–3.',
      },
    ]);

    await h.adapter.send({
      address: '081234567890',
      text: 'Submit?',
      locale: 'en',
      choices: [
        { id: 'y', label: 'Yes' },
        { id: 'n', label: 'No' },
      ],
    });
    expect(h.fake.sent[1]).toEqual({
      chatId: '6281234567890@c.us',
      content: 'Submit?\n\n1. Yes\n2. No\nReply with a number 1–2.',
    });
  });

  it('reports send failures as results instead of throwing', async () => {
    const h = await startHarness();
    h.fake.failNextSend('Protocol error (Runtime.callFunctionOn): Session closed.');
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toEqual({
      ok: false,
      error: 'Protocol error (Runtime.callFunctionOn): Session closed.',
      retryable: true,
    });
    h.fake.failNextSend('Evaluation failed: Error: wid error: invalid wid');
    expect(await h.adapter.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(await h.adapter.send({ address: 'bukan nomor', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it('never logs a full phone number', async () => {
    const lines: string[] = [];
    const capture = (obj: object, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    const fake = new FakeWWebClient();
    const adapter = createWhatsAppWebAdapter(
      { dataDir: '/nonexistent' },
      { logger: { debug: capture, info: capture, warn: capture, error: capture }, clientFactory: () => fake },
    );
    running.push(adapter);
    await adapter.start({
      onInbound: async () => {
        throw new Error('database unavailable');
      },
    });
    fake.emit('ready');
    fake.failNextSend('Evaluation failed: invalid wid 6281234567890@c.us');
    await adapter.send({ address: '+6281234567890', text: 'Halo' });
    fake.emitMessage({ from: '120363025246125486@g.us' });
    fake.emitMessage({ body: 'halo' });
    await vi.waitFor(() => expect(lines.some((l) => l.includes('inbound handler failed'))).toBe(true));
    expect(lines.join('\n')).toContain('+62812****7890');
    expect(lines.join('\n')).not.toContain('81234567890');
  });

  it('does not try to send before the session is ready', async () => {
    const fake = new FakeWWebClient();
    const adapter = createWhatsAppWebAdapter(
      { dataDir: '/nonexistent' },
      { logger: silent, clientFactory: () => fake },
    );
    running.push(adapter);
    await adapter.start({ onInbound: async () => {} });
    expect(await adapter.send({ address: '+6281234567890', text: 'Halo' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(fake.sent).toEqual([]);
  });

  it('re-initialises after a disconnect with backoff, backing off further when that fails', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const h = await startHarness({ initialDelayMs: 1_000, maxDelayMs: 8_000 });
      h.fake.failNextInitialize('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
      h.fake.emit('disconnected', 'NAVIGATION');
      await vi.advanceTimersByTimeAsync(999);
      expect(h.fake.initializeCalls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.fake.initializeCalls).toBe(2);
      expect(h.fake.destroyCalls).toBe(1);
      // The failed attempt doubles the wait.
      await vi.advanceTimersByTimeAsync(1_999);
      expect(h.fake.initializeCalls).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.fake.initializeCalls).toBe(3);
      h.fake.emit('ready');
      expect(h.adapter.describe()).toContain('linked');
      // A successful session resets the backoff.
      h.fake.emit('disconnected', 'CONFLICT');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(h.fake.initializeCalls).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops reconnecting once stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const h = await startHarness({ initialDelayMs: 1_000, maxDelayMs: 1_000 });
      h.fake.emit('disconnected', 'LOGOUT');
      await h.adapter.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(h.fake.initializeCalls).toBe(1);
      expect(h.fake.destroyCalls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to start when WhatsApp Web cannot be launched', async () => {
    const fake = new FakeWWebClient();
    fake.failNextInitialize('Failed to launch the browser process');
    const adapter = createWhatsAppWebAdapter(
      { dataDir: '/nonexistent' },
      { logger: silent, clientFactory: () => fake },
    );
    await expect(adapter.start({ onInbound: async () => {} })).rejects.toThrow(
      /Failed to launch the browser process/,
    );
    expect(fake.destroyCalls).toBe(1);
  });

  describe('default client', () => {
    let dataDir: string | undefined;
    afterEach(async () => {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('builds the real whatsapp-web.js Client with LocalAuth under <dataDir>/whatsapp and headless Chrome', async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'lapor-wa-'));
      // Constructing the Client launches nothing; only initialize() would start Chrome.
      const client = (await createWhatsAppWebClient({
        dataDir,
        chromePath: '/usr/bin/chromium',
        clientId: 'pilot',
      })) as unknown as {
        options: { puppeteer: { headless: boolean; executablePath: string; args: string[] } };
        authStrategy: { constructor: { name: string }; dataPath: string; clientId: string };
      };
      expect(client.authStrategy.constructor.name).toBe('LocalAuth');
      expect(client.authStrategy.dataPath).toBe(join(dataDir, 'whatsapp'));
      expect(client.authStrategy.clientId).toBe('pilot');
      expect(client.options.puppeteer.headless).toBe(true);
      expect(client.options.puppeteer.executablePath).toBe('/usr/bin/chromium');
      expect(client.options.puppeteer.args).toContain('--no-sandbox');
    });
  });
});
