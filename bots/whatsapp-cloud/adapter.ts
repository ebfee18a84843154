import type { FastifyPluginAsync } from 'fastify';
import type {
  AdapterLogger,
  ChannelAdapter,
  ChannelHandlers,
  OutboundMessage,
  SendResult,
} from '../../core/channel/port.ts';
import { maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';
import { parseRetryAfter, postForResult } from '../shared/http-send.ts';
import { splitAtLimit } from '../shared/split.ts';
import { SILENT_LOGGER } from '../shared/webhook.ts';
import { describeCloudError } from './inbound.ts';
import { CLOUD_LIMITS, renderCloudMessage } from './outbound.ts';
import { cloudWebhookRoutes, WHATSAPP_CLOUD_WEBHOOK_PATH } from './webhook.ts';

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
  /** Timeout of one Graph API call; default 15 s. */
  requestTimeoutMs?: number;
}

export { WHATSAPP_CLOUD_WEBHOOK_PATH };

/**
 * Graph error codes that mean "later" even when the HTTP status is 400: app and WABA rate
 * limits (4, 80007), throughput (130429), spam and pair rate limits (131048, 131056), and
 * Meta-side trouble (1, 2, 131000, 131016, 133004).
 */
type GraphError = { code?: number; message?: string; error_data?: { details?: string } };

const RETRYABLE_GRAPH_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

const DEFAULT_GRAPH_BASE = 'https://graph.facebook.com';
const DEFAULT_GRAPH_VERSION = 'v21.0';

export { parseRetryAfter };

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
 * const cloud = createWhatsAppCloudAdapter(config.whatsappCloud, { logger });
 * await app.register(cloud.routes);
 * await cloud.start({ onInbound: (inbound) => core.receive(inbound), onStatus: (u) => messages.updateStatus(u) });
 * ```
 */
export function createWhatsAppCloudAdapter(
  config: WhatsAppCloudConfig,
  options: WhatsAppCloudAdapterOptions = {},
): ChannelAdapter & { readonly kind: 'whatsapp_cloud'; routes: FastifyPluginAsync } {
  const logger = options.logger ?? SILENT_LOGGER;
  const base = (config.graphApiBase ?? DEFAULT_GRAPH_BASE).replace(/\/+$/, '');
  const version = config.graphApiVersion ?? DEFAULT_GRAPH_VERSION;
  const messagesUrl = `${base}/${version}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  let started: ChannelHandlers | undefined;

  const routes = cloudWebhookRoutes({
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    logger,
    handlers: () => started,
  });

  async function post(phone: string, payload: Record<string, unknown>): Promise<SendResult> {
    const result = await postForResult(
      messagesUrl,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      },
      {
        timeoutMs,
        service: 'Graph API',
        describeError: (json, status) =>
          describeCloudError((json as { error?: GraphError } | undefined)?.error) ?? `HTTP ${status}`,
        // Meta sends some "later" answers with HTTP 400: rate limits and its own trouble, by code.
        retryable: (_status, json) => {
          const code = (json as { error?: GraphError } | undefined)?.error?.code;
          return code !== undefined && RETRYABLE_GRAPH_CODES.has(code);
        },
      },
    );
    if (result.ok) {
      const id = (result.json as { messages?: { id?: string }[] } | undefined)?.messages?.[0]?.id;
      return id ? { ok: true, providerMessageId: id } : { ok: true };
    }
    logger.warn(
      { to: maskPhone(phone), error: maskPhonesInText(result.error), retryable: result.retryable },
      'whatsapp_cloud: send failed',
    );
    return result;
  }
  /**
   * Sends one message; a text longer than the Cloud API takes (4,096 characters) goes as several,
   * in order. A later part that fails reports how many went before, like the SMS adapter.
   */
  async function send(message: OutboundMessage): Promise<SendResult> {
    const phone = normalizeIdPhone(message.address);
    if (!phone) return { ok: false, error: 'not a phone number', retryable: false };
    const payload = renderCloudMessage(phone.slice(1), message);
    const text = payload.type === 'text' ? (payload.text as { body: string }).body : undefined;
    const parts =
      text === undefined
        ? [payload]
        : splitAtLimit(text, CLOUD_LIMITS.textBody).map((body) => ({
            ...payload,
            text: { body, preview_url: false },
          }));
    let first: string | undefined;
    for (const [index, part] of parts.entries()) {
      const result = await post(phone, part);
      if (!result.ok) {
        return index === 0
          ? result
          : {
              ...result,
              error: `part ${index + 1}/${parts.length} failed after ${index} sent: ${result.error}`,
            };
      }
      first ??= result.providerMessageId;
    }
    return first ? { ok: true, providerMessageId: first } : { ok: true };
  }

  return {
    kind: 'whatsapp_cloud',
    routes,
    async start(handlers: ChannelHandlers): Promise<void> {
      started = handlers;
    },
    send,
    async stop(): Promise<void> {
      started = undefined;
    },
    describe(): string {
      return `whatsapp_cloud: webhook ${WHATSAPP_CLOUD_WEBHOOK_PATH}, Graph API ${version} for phone number id ${config.phoneNumberId}`;
    },
  };
}
