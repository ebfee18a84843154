import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type {
  AdapterLogger,
  ChannelAdapter,
  InboundHandler,
  OutboundMessage,
  RejectionHandler,
  SendResult,
} from '../../core/channel/port.ts';
import { sendError } from '../../core/http/reply-error.ts';
import { maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';
import { describeCloudError, parseCloudWebhook, type WhatsAppCloudStatusUpdate } from './payload.ts';
import { renderCloudMessage } from './render.ts';
import { safeEqualText, verifyMetaSignature } from './signature.ts';

/** Credentials and endpoint of one WhatsApp Business phone number on the Cloud API. */
export interface WhatsAppCloudConfig {
  /** App secret (Meta app dashboard → Settings → Basic): keys the webhook signatures. */
  appSecret: string;
  /** Any string we choose and enter in the webhook settings; Meta echoes it in the handshake. */
  verifyToken: string;
  /** System-user access token with whatsapp_business_messaging. */
  accessToken: string;
  phoneNumberId: string;
  /** Default https://graph.facebook.com; tests point it at a loopback fake. */
  graphApiBase?: string;
  /** Default 'v21.0'. */
  graphApiVersion?: string;
}

/** The logger methods adapters call (see core/channel/port.ts). */
export type WhatsAppCloudLogger = AdapterLogger;

/** Options of {@link createWhatsAppCloudAdapter}. */
export interface WhatsAppCloudAdapterOptions {
  logger?: WhatsAppCloudLogger;
  /** Receives delivery statuses of messages we sent (match them by `providerMessageId`). */
  onStatus?: (update: WhatsAppCloudStatusUpdate) => Promise<void>;
  /** Timeout of one Graph API call; default 15 s. */
  requestTimeoutMs?: number;
}

/** Webhook path to enter in the Meta app dashboard (WhatsApp → Configuration → Callback URL). */
export const WHATSAPP_CLOUD_WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * Graph error codes that mean "later" even when the HTTP status is 400: app and WABA rate
 * limits (4, 80007), throughput (130429), spam and pair rate limits (131048, 131056), and
 * Meta-side trouble (1, 2, 131000, 131016, 133004).
 */
const RETRYABLE_GRAPH_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

const DEFAULT_GRAPH_BASE = 'https://graph.facebook.com';
const DEFAULT_GRAPH_VERSION = 'v21.0';

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The WhatsApp Cloud API adapter: webhook in, Graph API out. The scale path for WhatsApp.
 *
 * Routes (mount `adapter.routes` on the app; they live in their own encapsulated scope):
 * - `GET /webhooks/whatsapp`: the subscription handshake; answers `hub.challenge` when
 *   `hub.verify_token` matches, 403 otherwise.
 * - `POST /webhooks/whatsapp`: checks `X-Hub-Signature-256` over the raw bytes (401 when
 *   missing or wrong; nothing is passed on), 400 for invalid JSON or a broken WhatsApp
 *   payload, 200 for payloads of other Graph products (`object` is not
 *   `whatsapp_business_account`: acknowledged and ignored, so Meta does not redeliver them
 *   forever). Messages go to the inbound handler and statuses to `onStatus`, one after
 *   another; the answer is 200 only when all resolved, 500 if one threw (Meta redelivers the
 *   batch and the core dedupes by `externalId`), 503 before `start` or after `stop`.
 *
 * Sending: text; reply buttons for ≤3 choices of ≤20 characters; a list for ≤10 choices of
 * ≤24 characters; numbered text otherwise. 429, 5xx, rate-limit error codes and network
 * errors are retryable (with Retry-After); other 4xx are not, with Graph's error message.
 * Free-form messages only reach citizens within 24 hours of their last message (#131047).
 *
 * @example
 * ```ts
 * const cloud = createWhatsAppCloudAdapter(config.whatsappCloud, { onStatus: (u) => messages.updateStatus(u) });
 * await app.register(cloud.routes);
 * await cloud.start(async (inbound) => core.receive(inbound));
 * ```
 */
export function createWhatsAppCloudAdapter(
  config: WhatsAppCloudConfig,
  options: WhatsAppCloudAdapterOptions = {},
): ChannelAdapter & { readonly kind: 'whatsapp_cloud'; routes: FastifyPluginAsync } {
  const logger = options.logger ?? pino({ name: 'whatsapp_cloud', level: process.env.LOG_LEVEL ?? 'info' });
  const base = (config.graphApiBase ?? DEFAULT_GRAPH_BASE).replace(/\/+$/, '');
  const version = config.graphApiVersion ?? DEFAULT_GRAPH_VERSION;
  const messagesUrl = `${base}/${version}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  let onInbound: InboundHandler | undefined;
  let onRejected: RejectionHandler | undefined;

  async function handshake(
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
  ) {
    const mode = request.query['hub.mode'];
    const token = request.query['hub.verify_token'];
    const challenge = request.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || !safeEqualText(token, config.verifyToken)) {
      logger.warn({ mode }, 'whatsapp_cloud: webhook handshake refused');
      return reply.code(403).type('text/plain').send('Forbidden');
    }
    if (typeof challenge !== 'string' || challenge === '') {
      return reply.code(400).type('text/plain').send('hub.challenge missing');
    }
    logger.info({}, 'whatsapp_cloud: webhook handshake accepted');
    return reply.code(200).type('text/plain').send(challenge);
  }

  async function receive(request: FastifyRequest, reply: FastifyReply) {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verifyMetaSignature(raw, request.headers['x-hub-signature-256'], config.appSecret)) {
      logger.warn({ bytes: raw.length }, 'whatsapp_cloud: webhook with missing or wrong signature refused');
      return sendError(reply, 401, 'invalid signature');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendError(reply, 400, 'body is not valid JSON');
    }
    const parsed = parseCloudWebhook(body);
    if (!parsed.ok) {
      if (parsed.ignored) {
        logger.warn({ reason: parsed.reason }, 'whatsapp_cloud: webhook for another product ignored');
        return reply.code(200).send({ ignored: true });
      }
      // Signed by Meta but unusable: acknowledged (Meta redelivers anything else) and recorded.
      logger.warn({ reason: parsed.reason }, 'whatsapp_cloud: webhook rejected');
      await onRejected?.({ channel: 'whatsapp_cloud', reason: parsed.reason });
      return reply.code(200).send({ ok: true, rejected: 1 });
    }
    const handler = onInbound;
    if (!handler) return sendError(reply, 503, 'not accepting messages yet');

    // Every item is handled, even after one failed: a failure (the database down) answers 500 at
    // the end so Meta redelivers the batch, and what was stored already is deduplicated.
    let failed = 0;
    let rejected = 0;
    for (const event of parsed.events) {
      try {
        if (event.kind === 'message') {
          await handler(event.message);
        } else if (event.kind === 'status') {
          if (options.onStatus) await options.onStatus(event.update);
        } else if (event.kind === 'rejected') {
          rejected++;
          logger.warn({ reason: event.reason }, 'whatsapp_cloud: webhook item rejected');
          await onRejected?.({ channel: 'whatsapp_cloud', reason: event.reason });
        } else {
          logger.debug({ reason: event.reason }, 'whatsapp_cloud: webhook item skipped');
        }
      } catch (err) {
        failed++;
        logger.error({ err }, 'whatsapp_cloud: handling a webhook item failed; Meta will redeliver');
      }
    }
    if (failed) return sendError(reply, 500, 'could not store the update, retry later');
    return reply.code(200).send(rejected ? { ok: true, rejected } : { ok: true });
  }

  const routes: FastifyPluginAsync = async (app) => {
    // This scope only: keep the raw bytes, because the signature covers them and not the parsed JSON.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.get(WHATSAPP_CLOUD_WEBHOOK_PATH, handshake);
    app.post(WHATSAPP_CLOUD_WEBHOOK_PATH, receive);
  };

  async function send(message: OutboundMessage): Promise<SendResult> {
    const phone = normalizeIdPhone(message.address);
    if (!phone) return { ok: false, error: 'not a phone number', retryable: false };
    const payload = renderCloudMessage(phone.slice(1), message);
    let response: Response;
    try {
      response = await fetch(messagesUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const error = `Graph API unreachable: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`;
      logger.warn({ to: maskPhone(phone), error }, 'whatsapp_cloud: send failed');
      return { ok: false, error, retryable: true };
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      const id = (json as { messages?: { id?: string }[] } | undefined)?.messages?.[0]?.id;
      return id ? { ok: true, providerMessageId: id } : { ok: true };
    }
    const graphError = (
      json as { error?: { code?: number; message?: string; error_data?: { details?: string } } }
    )?.error;
    const error = describeCloudError(graphError) ?? `HTTP ${response.status}`;
    const retryable =
      response.status === 429 ||
      response.status >= 500 ||
      (graphError?.code !== undefined && RETRYABLE_GRAPH_CODES.has(graphError.code));
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    logger.warn(
      { to: maskPhone(phone), status: response.status, error: maskPhonesInText(error), retryable },
      'whatsapp_cloud: send failed',
    );
    return retryable && retryAfterMs !== undefined
      ? { ok: false, error, retryable, retryAfterMs }
      : { ok: false, error, retryable };
  }

  return {
    kind: 'whatsapp_cloud',
    routes,
    async start(handler: InboundHandler, rejected?: RejectionHandler): Promise<void> {
      onInbound = handler;
      onRejected = rejected;
    },
    send,
    async stop(): Promise<void> {
      onInbound = undefined;
    },
    describe(): string {
      return `whatsapp_cloud: webhook ${WHATSAPP_CLOUD_WEBHOOK_PATH}, Graph API ${version} for phone number id ${config.phoneNumberId}`;
    },
  };
}
