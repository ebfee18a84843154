import type {
  AdapterLogger,
  ChannelAdapter,
  ChannelHandlers,
  InboundHandler,
  OutboundMessage,
  SendResult,
} from '../../core/channel/port.ts';
import { maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';
import { renderNumberedChoices } from '../shared/choices.ts';
import { splitAtLimit } from '../shared/split.ts';
import { SILENT_LOGGER } from '../shared/webhook.ts';
import {
  createWhatsAppWebClient,
  type WhatsAppClientLike,
  type WhatsAppMessageLike,
  type WhatsAppWebConfig,
} from './client.ts';
import { toInboundMessage } from './inbound.ts';

/** The logger methods adapters call (see core/channel/port.ts). */
export type WhatsAppWebLogger = AdapterLogger;

/** Options of {@link createWhatsAppWebAdapter}; tests replace the client and the QR printer. */
export interface WhatsAppWebAdapterOptions {
  logger?: WhatsAppWebLogger;
  /** Builds the client; defaults to the real whatsapp-web.js Client ({@link createWhatsAppWebClient}). */
  clientFactory?: (config: WhatsAppWebConfig) => WhatsAppClientLike | Promise<WhatsAppClientLike>;
  /** Shows the pairing QR code; defaults to a small QR drawn in the terminal by qrcode-terminal. */
  printQr?: (qr: string) => void;
  /** Reconnect backoff after 'disconnected': doubles from `initialDelayMs` up to `maxDelayMs`. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

/** Media kinds in the port's vocabulary, keyed by whatsapp-web.js message type. */

/** WhatsApp's longest message; longer texts go as several, in order. */
export const WHATSAPP_TEXT_LIMIT = 65_536;

/** Errors from WhatsApp Web that no retry fixes: the number has no WhatsApp account. */
const PERMANENT_SEND_ERROR = /invalid wid|no lid for user|not registered|wid error/i;

async function printQrInTerminal(qr: string): Promise<void> {
  const { default: qrcode } = await import('qrcode-terminal');
  qrcode.generate(qr, { small: true });
}

/**
 * The WhatsApp Web adapter: drives a linked WhatsApp account through whatsapp-web.js (a
 * headless Chrome running web.whatsapp.com). Good for a pilot on one phone number; the
 * WhatsApp Cloud API adapter is the path for scale.
 *
 * - Pairing: the QR code is printed on 'qr'; the session is kept under `<dataDir>/whatsapp`.
 * - Inbound: own messages, status updates, broadcasts and group chats are ignored (a report
 *   is a private conversation, and group members never asked to talk to us); media are
 *   referenced by message id, not downloaded.
 * - Outbound: choices become a numbered list ("Balas dengan angka 1–3."); the dialog maps
 *   the number back.
 * - On 'disconnected' the session is destroyed and re-initialised with exponential backoff
 *   until `stop()`.
 *
 * @example
 * ```ts
 * const whatsapp = createWhatsAppWebAdapter({ dataDir: './data', chromePath: '/usr/bin/chromium' });
 * await whatsapp.start({ onInbound: (inbound) => core.receive(inbound) });
 * await whatsapp.send({ address: '+6281234567890', text: 'Laporan diterima.' });
 * ```
 */
export function createWhatsAppWebAdapter(
  config: WhatsAppWebConfig,
  options: WhatsAppWebAdapterOptions = {},
): ChannelAdapter & { readonly kind: 'whatsapp' } {
  const logger = options.logger ?? SILENT_LOGGER;
  const clientFactory = options.clientFactory ?? createWhatsAppWebClient;
  const printQr =
    options.printQr ??
    ((qr: string) => {
      printQrInTerminal(qr).catch((err: unknown) => logger.error({ err }, 'whatsapp: cannot print QR code'));
    });
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 2_000;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 5 * 60_000;

  let client: WhatsAppClientLike | undefined;
  let onInbound: InboundHandler | undefined;
  let ready = false;
  let stopped = true;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let nextDelayMs = initialDelayMs;
  let reconnecting = false;
  /** Inbound messages are handled one after another so a citizen's messages keep their order. */
  let inboundQueue: Promise<void> = Promise.resolve();

  async function resolveAddress(msg: WhatsAppMessageLike): Promise<string | null> {
    const direct = normalizeIdPhone(msg.from);
    if (direct) return direct;
    // Newer WhatsApp versions hide the sender behind a privacy id (…@lid); the contact knows the number.
    if (msg.from.endsWith('@lid') && msg.getContact) {
      const contact = await msg.getContact();
      if (contact.number) return normalizeIdPhone(`+${contact.number.replace(/^\+/, '')}`);
    }
    return null;
  }

  function whyIgnored(msg: WhatsAppMessageLike): string | undefined {
    if (msg.fromMe) return 'sent by this account';
    if (msg.isStatus || msg.from === 'status@broadcast') return 'status update';
    if (msg.from.endsWith('@g.us')) return 'group chat (reports are taken in private chats only)';
    if (msg.broadcast || msg.from.endsWith('@broadcast')) return 'broadcast list';
    if (msg.from.endsWith('@newsletter')) return 'channel post';
    return undefined;
  }

  async function handleMessage(msg: WhatsAppMessageLike): Promise<void> {
    const skip = whyIgnored(msg);
    if (skip) {
      logger.debug(
        { messageId: maskPhonesInText(msg.id._serialized), reason: skip },
        'whatsapp: message ignored',
      );
      return;
    }
    const address = await resolveAddress(msg);
    if (!address) {
      logger.warn(
        { messageId: maskPhonesInText(msg.id._serialized) },
        'whatsapp: sender has no usable phone number, ignored',
      );
      return;
    }
    const converted = toInboundMessage(msg, address);
    if ('ignored' in converted) {
      logger.debug(
        { messageId: maskPhonesInText(msg.id._serialized), reason: converted.ignored },
        'whatsapp: message ignored',
      );
      return;
    }
    if (!onInbound) return;
    try {
      await onInbound(converted.inbound);
    } catch (err) {
      // whatsapp-web.js does not redeliver: the message is lost for the core, so say so loudly.
      logger.error(
        { err, messageId: maskPhonesInText(msg.id._serialized), from: maskPhone(address) },
        'whatsapp: inbound handler failed; the message was not stored',
      );
    }
  }

  function scheduleReconnect(reason: string): void {
    if (stopped || reconnectTimer || reconnecting) return;
    const delay = nextDelayMs;
    nextDelayMs = Math.min(nextDelayMs * 2, maxDelayMs);
    logger.warn({ reason, delayMs: delay }, 'whatsapp: disconnected, reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void reconnect();
    }, delay);
  }

  async function reconnect(): Promise<void> {
    const current = client;
    if (stopped || !current) return;
    reconnecting = true;
    try {
      // Disconnects other than a logout leave Chrome running; destroy it before launching a new one.
      await current.destroy().catch((err: unknown) => logger.debug({ err }, 'whatsapp: destroy failed'));
      if (stopped) return;
      await current.initialize();
    } catch (err) {
      reconnecting = false;
      logger.error({ err }, 'whatsapp: re-initialising failed');
      scheduleReconnect('re-initialising failed');
      return;
    }
    reconnecting = false;
  }

  function attach(target: WhatsAppClientLike): void {
    target.on('qr', (qr: string) => {
      logger.info({}, 'whatsapp: scan the QR code with the WhatsApp app (Linked devices)');
      printQr(qr);
    });
    target.on('ready', () => {
      ready = true;
      nextDelayMs = initialDelayMs;
      logger.info({}, 'whatsapp: session ready');
    });
    target.on('auth_failure', (message: unknown) => {
      ready = false;
      logger.error({ reason: String(message) }, 'whatsapp: authentication failed; pair again by QR');
    });
    target.on('disconnected', (reason: unknown) => {
      ready = false;
      scheduleReconnect(String(reason));
    });
    target.on('message', (msg: WhatsAppMessageLike) => {
      inboundQueue = inboundQueue
        .then(() => handleMessage(msg))
        .catch((err: unknown) => logger.error({ err }, 'whatsapp: cannot handle inbound message'));
    });
  }

  return {
    kind: 'whatsapp',

    async start({ onInbound: handler }: ChannelHandlers): Promise<void> {
      if (client) throw new Error('whatsapp: adapter already started');
      onInbound = handler;
      stopped = false;
      nextDelayMs = initialDelayMs;
      const created = await clientFactory(config);
      client = created;
      attach(created);
      try {
        await created.initialize();
      } catch (err) {
        // A first start that fails (no Chrome, unreadable session) is a configuration problem: surface it.
        stopped = true;
        client = undefined;
        await created.destroy().catch(() => undefined);
        throw new Error(`whatsapp: cannot start WhatsApp Web: ${errorText(err)}`, { cause: err });
      }
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const phone = normalizeIdPhone(message.address);
      if (!phone) return { ok: false, error: 'not a phone number', retryable: false };
      if (!client || !ready) return { ok: false, error: 'WhatsApp Web session not ready', retryable: true };
      const text = renderNumberedChoices(message.text, message.choices, message.locale);
      const parts = splitAtLimit(text, WHATSAPP_TEXT_LIMIT);
      let first: string | undefined;
      try {
        for (const part of parts) {
          const sent = await client.sendMessage(`${phone.slice(1)}@c.us`, part);
          first ??= sent.id._serialized;
        }
        return first ? { ok: true, providerMessageId: first } : { ok: true };
      } catch (err) {
        const error = errorText(err);
        const retryable = !PERMANENT_SEND_ERROR.test(error);
        logger.warn(
          { to: maskPhone(phone), error: maskPhonesInText(error), retryable },
          'whatsapp: send failed',
        );
        return { ok: false, error, retryable };
      }
    },

    async stop(): Promise<void> {
      stopped = true;
      ready = false;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      const current = client;
      client = undefined;
      await inboundQueue;
      if (current)
        await current.destroy().catch((err: unknown) => logger.debug({ err }, 'whatsapp: destroy failed'));
    },

    describe(): string {
      const session = config.clientId ? ` (session ${config.clientId})` : '';
      return `whatsapp: WhatsApp Web via whatsapp-web.js${session}, ${ready ? 'linked' : 'waiting for QR pairing or session restore'}`;
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
