import type { FastifyPluginAsync } from 'fastify';
import type {
  AdapterLogger,
  ChannelAdapter,
  ChannelHandlers,
  OutboundMessage,
  SendResult,
} from '../../core/channel/port.ts';
import { maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';
import { postForResult } from '../shared/http-send.ts';
import { SILENT_LOGGER } from '../shared/webhook.ts';
import { renderSmsText } from './outbound.ts';
import { splitSms } from './segments.ts';
import { SMS_WEBHOOK_PATHS, smsWebhookRoutes } from './webhook.ts';

/** Which SMS gateway we use, and its credentials. */
export interface SmsConfig {
  /** Gateway for outbound messages. Inbound routes exist for every gateway configured below. */
  provider: 'twilio' | 'json';
  /**
   * Public base URL of this service as the gateway calls it (e.g. https://lapor.example.go.id).
   * Twilio signs the full URL it called: publicUrl + the request path and query as Fastify
   * sees them must equal the webhook URL entered at Twilio (include any prefix a proxy strips).
   */
  publicUrl: string;
  twilio?: {
    accountSid: string;
    authToken: string;
    /** Our number in E.164, or a Messaging Service SID (MG…). */
    from: string;
    /** Default https://api.twilio.com. */
    apiBase?: string;
  };
  /** A generic JSON gateway, as most Indonesian SMS gateways offer. */
  json?: {
    /** Keys the X-Signature HMAC of inbound webhooks. */
    sharedSecret: string;
    /** Where outbound messages are POSTed as JSON `{ to, text, from? }`. */
    sendUrl: string;
    /** Sent as `Authorization: Bearer <apiKey>`. */
    apiKey?: string;
    /** Sender id or number, if the gateway wants one. */
    from?: string;
    /**
     * True when the gateway sends long bodies as one concatenated SMS. Default false: long
     * texts are split into labelled parts "(1/3) …" of at most 153 (GSM-7) / 67 (UCS-2) characters.
     */
    concatenated?: boolean;
  };
}

/** The logger methods adapters call (see core/channel/port.ts). */
export type SmsLogger = AdapterLogger;

/** Options of {@link createSmsAdapter}. */
export interface SmsAdapterOptions {
  logger?: SmsLogger;
  /** Timeout of one gateway API call; default 15 s. */
  requestTimeoutMs?: number;
}

export { SMS_WEBHOOK_PATHS };

type GatewayResult = { ok: true; id?: string } | Extract<SendResult, { ok: false }>;

/**
 * The SMS adapter: Twilio or a JSON gateway (typical of Indonesian providers) out, signed
 * webhooks in.
 *
 * Routes (mount `adapter.routes`; parsers live in the plugin's own scope):
 * - `POST /webhooks/sms/twilio` (form): X-Twilio-Signature checked against
 *   publicUrl + path (403 on mismatch); answers empty TwiML, since replies go out through the
 *   REST API. A signed form without From/MessageSid, or with a From that is not a phone number,
 *   is answered the same way and recorded as rejected (bots/sms/schema.ts).
 * - `POST /webhooks/sms/json`: body `{ id, from, text, receivedAt? }` (receivedAt: ISO
 *   string or Unix seconds/milliseconds), header X-Signature = hex HMAC-SHA256(sharedSecret,
 *   raw body) (401 on mismatch), 400 for a body that is not JSON; signed bodies with missing or
 *   invalid fields are answered 200 and recorded as rejected.
 * Both answer 200 only after the inbound handler resolved, 500 when it threw (the gateway
 * may retry; the core dedupes by `externalId`), 503 before `start`.
 *
 * Sending: choices are appended compactly ("Balas: 1 Ya, 2 Ubah"). Twilio gets the text as
 * one message (it sends concatenated SMS that phones reassemble in order; only texts over
 * 1,600 characters are cut). JSON gateways get labelled standalone parts ("(1/2) …") unless
 * `json.concatenated` is set. A failed part stops the rest; retrying resends every part.
 * 429, 5xx and network errors are retryable (with Retry-After), other 4xx are not.
 *
 * @example
 * ```ts
 * const sms = createSmsAdapter({ provider: 'json', publicUrl, json: { sharedSecret, sendUrl, apiKey } });
 * await app.register(sms.routes);
 * await sms.start({ onInbound: (inbound) => core.receive(inbound) });
 * ```
 */
export function createSmsAdapter(
  config: SmsConfig,
  options: SmsAdapterOptions = {},
): ChannelAdapter & { readonly kind: 'sms'; routes: FastifyPluginAsync } {
  if (config.provider === 'twilio' && !config.twilio)
    throw new Error('sms: provider twilio needs the twilio settings');
  if (config.provider === 'json' && !config.json)
    throw new Error('sms: provider json needs the json settings');
  const logger = options.logger ?? SILENT_LOGGER;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  let started: ChannelHandlers | undefined;

  const routes = smsWebhookRoutes({ config, logger, handlers: () => started });

  const call = (url: string, init: RequestInit, describeError: (json: unknown, status: number) => string) =>
    postForResult(url, init, { timeoutMs, service: 'SMS gateway', describeError });

  async function sendTwilio(to: string, body: string): Promise<GatewayResult> {
    const twilio = config.twilio!;
    const apiBase = (twilio.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const form = new URLSearchParams({ To: to, Body: body });
    // A Messaging Service picks the sender itself.
    form.set(/^MG[0-9a-f]{32}$/i.test(twilio.from) ? 'MessagingServiceSid' : 'From', twilio.from);
    const result = await call(
      `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(twilio.accountSid)}/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
      },
      (json) => {
        const e = json as { code?: number; message?: string } | undefined;
        return e?.message ? `Twilio ${e.code ?? ''}: ${e.message}`.replace(' :', ':') : '';
      },
    );
    if (!result.ok) return result;
    const sid = (result.json as { sid?: string } | undefined)?.sid;
    return sid ? { ok: true, id: sid } : { ok: true };
  }

  async function sendJson(to: string, text: string): Promise<GatewayResult> {
    const json = config.json!;
    const result = await call(
      json.sendUrl,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(json.apiKey ? { authorization: `Bearer ${json.apiKey}` } : {}),
        },
        body: JSON.stringify({ to, text, ...(json.from ? { from: json.from } : {}) }),
      },
      (body) => {
        const e = body as { error?: string | { message?: string }; message?: string } | undefined;
        if (typeof e?.error === 'string') return e.error;
        return e?.error?.message ?? e?.message ?? '';
      },
    );
    if (!result.ok) return result;
    const body = result.json as
      | { id?: unknown; messageId?: unknown; message_id?: unknown; data?: { id?: unknown } }
      | undefined;
    const id = body?.id ?? body?.messageId ?? body?.message_id ?? body?.data?.id;
    return typeof id === 'string' || typeof id === 'number' ? { ok: true, id: String(id) } : { ok: true };
  }

  return {
    kind: 'sms',
    routes,
    async start(handlers: ChannelHandlers): Promise<void> {
      started = handlers;
    },
    async send(message: OutboundMessage): Promise<SendResult> {
      const to = normalizeIdPhone(message.address);
      if (!to) return { ok: false, error: 'not a phone number', retryable: false };
      const text = renderSmsText(message);
      const twilio = config.provider === 'twilio';
      const parts = splitSms(text, twilio || config.json?.concatenated ? 'concatenated' : 'standalone');
      const ids: string[] = [];
      for (const [index, part] of parts.entries()) {
        const result = twilio ? await sendTwilio(to, part) : await sendJson(to, part);
        if (!result.ok) {
          logger.warn(
            {
              to: maskPhone(to),
              part: index + 1,
              parts: parts.length,
              error: maskPhonesInText(result.error),
              retryable: result.retryable,
            },
            'sms: send failed',
          );
          return index === 0
            ? result
            : {
                ...result,
                error: `part ${index + 1}/${parts.length} failed after ${index} sent: ${result.error}`,
              };
        }
        if (result.id) ids.push(result.id);
      }
      return ids[0] ? { ok: true, providerMessageId: ids[0] } : { ok: true };
    },
    async stop(): Promise<void> {
      started = undefined;
    },
    describe(): string {
      const inbound = [
        config.twilio ? SMS_WEBHOOK_PATHS.twilio : '',
        config.json ? SMS_WEBHOOK_PATHS.json : '',
      ]
        .filter(Boolean)
        .join(', ');
      const from = config.provider === 'twilio' ? config.twilio?.from : config.json?.from;
      return `sms: sending via ${config.provider}${from ? ` as ${config.provider === 'twilio' ? maskPhone(from) : from}` : ''}, webhooks ${inbound}`;
    },
  };
}
