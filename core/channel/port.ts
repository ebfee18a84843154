/**
 * The channel port: the only shapes that cross between a channel adapter (bots/<channel>/)
 * and the core. Adapters convert provider payloads to {@link InboundMessage} and render
 * {@link OutboundMessage} natively; they know nothing of dialogs, reports or the database.
 *
 * @example
 * ```ts
 * const adapter: ChannelAdapter = createTelegramAdapter(config.telegram, { logger });
 * if (adapter.routes) await app.register(adapter.routes);
 * await adapter.start({ onInbound: async (inbound) => { await core.receive(inbound); } });
 * const result = await adapter.send({ address: '12345', text: 'Laporan diterima', choices: [] });
 * ```
 */

import type { FastifyPluginAsync } from 'fastify';
import type { Choice, Locale, MediaRef } from '../../dialogs/types.ts';

export type { Choice, MediaRef };

/** Channels a citizen (or an officer, for `slack`) can reach us on. */
export type ChannelKind = 'telegram' | 'whatsapp' | 'whatsapp_cloud' | 'sms' | 'console' | 'slack';

export const CHANNEL_KINDS: readonly ChannelKind[] = [
  'telegram',
  'whatsapp',
  'whatsapp_cloud',
  'sms',
  'console',
  'slack',
];

/** What every adapter produces for one message a citizen sent. */
export interface InboundMessage {
  channel: ChannelKind;
  /** Chat id (Telegram) or phone number in E.164 (+62...) for WhatsApp and SMS. */
  address: string;
  /** Provider message id. Unique per channel: the idempotency key of the inbound message. */
  externalId: string;
  /** Free text typed by the citizen (may be empty when only media or a location came). */
  text?: string;
  /** Id of a quick-reply choice the citizen picked (button press or "2" mapped back). */
  choice?: string;
  location?: { lat: number; lon: number };
  media?: MediaRef[];
  /** Display name the provider gave us, if any (never shown to officers of confidential reports). */
  displayName?: string;
  /** Locale hint from the provider (Telegram language_code), e.g. 'id' or 'en'. */
  localeHint?: string;
  receivedAt: Date;
}

/** One message to send to a citizen. Adapters render `choices` natively. */
export interface OutboundMessage {
  address: string;
  text: string;
  choices?: Choice[];
  /** Locale of the text, so adapters can word their own hints ("Balas 1, 2 atau 3"). */
  locale?: Locale;
}

export type SendResult =
  | { ok: true; providerMessageId?: string }
  | {
      ok: false;
      /** Provider's error text, stored on the message (Chatwoot style), never thrown at a webhook. */
      error: string;
      /** True when trying again later may succeed (timeouts, 429, 5xx). */
      retryable: boolean;
      /** Provider's own wait hint (Telegram retry_after, HTTP Retry-After) in milliseconds. */
      retryAfterMs?: number;
    };

/** Called by an adapter for every inbound message; resolves once the message is durably stored. */
export type InboundHandler = (message: InboundMessage) => Promise<void>;

/** A provider's delivery receipt for a message we sent (Chatwoot's delivery status vocabulary). */
export interface DeliveryStatus {
  /** The id `send` returned as `providerMessageId`. */
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Provider's error for `failed`, stored on the message. */
  error?: string;
  at?: Date;
}

/** Called by adapters whose provider reports delivery (WhatsApp Cloud). */
export type StatusHandler = (update: DeliveryStatus) => Promise<void>;

/** What core hands an adapter when it starts it. */
export interface ChannelHandlers {
  onInbound: InboundHandler;
  /** Delivery receipts; adapters whose provider sends none never call it. */
  onStatus?: StatusHandler;
  /** Signed payloads (or batch items) the adapter could not use; it still answers 2xx. */
  onRejected?: RejectionHandler;
}

/**
 * Told about a signed payload (or one item of a batch) an adapter could not use: wrong shape,
 * wrong types. The adapter still acknowledges it (2xx: a provider redelivers anything else
 * forever); core records the channel and the reason, never the payload.
 */
export type RejectionHandler = (rejection: { channel: ChannelKind; reason: string }) => Promise<void>;

/**
 * A channel adapter. `start` begins receiving (long polling, a websocket session, or nothing
 * for webhook-only adapters, whose routes are mounted with `routes`). `send` delivers one
 * message and reports the outcome instead of throwing for provider errors.
 */
export interface ChannelAdapter {
  readonly kind: ChannelKind;
  /**
   * Fastify plugin with the adapter's webhook routes, registered on the app before `start`.
   * Absent for adapters that only poll or hold a session (whatsapp-web.js, console).
   */
  readonly routes?: FastifyPluginAsync;
  start(handlers: ChannelHandlers): Promise<void>;
  send(message: OutboundMessage): Promise<SendResult>;
  stop(): Promise<void>;
  /** One line for the start-up banner: what is on and how ("telegram: long polling as @lapor_bot"). */
  describe(): string;
}

/** The logger methods adapters call; a pino or Fastify logger fits. */
export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
