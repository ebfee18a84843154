import { EventEmitter } from 'node:events';
import type { WhatsAppClientLike, WhatsAppMessageLike } from '../bots/whatsapp/index.ts';

/** One call the adapter made to {@link FakeWWebClient.sendMessage}. */
export interface FakeWWebSend {
  chatId: string;
  content: string;
}

/**
 * An in-memory stand-in for whatsapp-web.js's `Client`: an EventEmitter that records
 * `initialize`, `destroy` and `sendMessage` calls, and builders for the messages WhatsApp Web
 * emits. Tests drive it with `emit('qr' | 'ready' | 'message' | 'disconnected', …)`.
 *
 * @example
 * ```ts
 * const fake = new FakeWWebClient();
 * const adapter = createWhatsAppWebAdapter({ dataDir }, { clientFactory: () => fake });
 * await adapter.start(handler);
 * fake.emit('ready');
 * fake.emitMessage({ body: 'Jalan rusak' });
 * ```
 */
export class FakeWWebClient extends EventEmitter implements WhatsAppClientLike {
  initializeCalls = 0;
  destroyCalls = 0;
  readonly sent: FakeWWebSend[] = [];
  private sendFailures: Error[] = [];
  private initializeFailures: Error[] = [];
  private counter = 0;

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    const failure = this.initializeFailures.shift();
    if (failure) throw failure;
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  async sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    this.sent.push({ chatId, content });
    return { id: { _serialized: `true_${chatId}_OUT${this.sent.length}` } };
  }

  /** The next `sendMessage` call rejects with this error. */
  failNextSend(message: string): void {
    this.sendFailures.push(new Error(message));
  }

  /** The next `initialize` call rejects with this error. */
  failNextInitialize(message: string): void {
    this.initializeFailures.push(new Error(message));
  }

  /** Builds a message as whatsapp-web.js delivers it: a private text from an Indonesian number by default. */
  message(overrides: Partial<WhatsAppMessageLike> = {}): WhatsAppMessageLike {
    this.counter += 1;
    const from = overrides.from ?? '6281234567890@c.us';
    return {
      id: { _serialized: `false_${from}_3EB0${String(this.counter).padStart(16, '0')}` },
      from,
      fromMe: false,
      body: 'Lampu jalan mati',
      type: 'chat',
      hasMedia: false,
      timestamp: 1_750_000_000,
      isStatus: false,
      broadcast: false,
      _data: { notifyName: 'Budi' },
      ...overrides,
    };
  }

  /** Emits a 'message' event and returns the message emitted. */
  emitMessage(overrides: Partial<WhatsAppMessageLike> = {}): WhatsAppMessageLike {
    const msg = this.message(overrides);
    this.emit('message', msg);
    return msg;
  }
}
