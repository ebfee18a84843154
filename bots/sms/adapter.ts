import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type {
  AdapterLogger,
  ChannelAdapter,
  InboundHandler,
  InboundMessage,
  MediaRef,
  OutboundMessage,
  RejectionHandler,
  SendResult,
} from '../../core/channel/port.ts';
import { sendError } from '../../core/http/reply-error.ts';
import { maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';
import { renderSmsText } from './render.ts';
import { parseJsonSms, parseTwilioForm } from './schema.ts';
import { splitSms } from './segments.ts';
import { verifyHexHmacSha256, verifyTwilioSignature } from './signature.ts';

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

/** Webhook paths to enter at the gateway. */
export const SMS_WEBHOOK_PATHS = { twilio: '/webhooks/sms/twilio', json: '/webhooks/sms/json' } as const;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

type GatewayResult = { ok: true; id?: string } | Extract<SendResult, { ok: false }>;

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseReceivedAt(value: unknown): Date | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Gateways send Unix seconds or milliseconds; 1e12 ms is 2001, 1e12 s is far future.
    return new Date(value < 1e12 ? value * 1000 : value);
  }
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

function kindOfMime(mime: string): string {
  if (mime.startsWith('image/')) return 'photo';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime === 'text/vcard' || mime === 'text/x-vcard') return 'contact';
  return 'document';
}

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
 * await sms.start(async (inbound) => core.receive(inbound));
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
  const logger = options.logger ?? pino({ name: 'sms', level: process.env.LOG_LEVEL ?? 'info' });
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const publicBase = config.publicUrl.replace(/\/+$/, '');
  let onInbound: InboundHandler | undefined;
  let onRejected: RejectionHandler | undefined;

  /**
   * A signed request of the wrong shape: acknowledged like a good one (a gateway retries
   * anything else) and recorded as rejected with the reason.
   */
  async function rejectSigned(reason: string, ok: () => FastifyReply) {
    logger.warn({ reason }, 'sms: webhook rejected');
    await onRejected?.({ channel: 'sms', reason });
    return ok();
  }

  async function deliver(inbound: InboundMessage, reply: FastifyReply, ok: () => FastifyReply) {
    const handler = onInbound;
    if (!handler) return sendError(reply, 503, 'not accepting messages yet');
    try {
      await handler(inbound);
    } catch (err) {
      logger.error(
        { err, from: maskPhone(inbound.address) },
        'sms: inbound handler failed; asking the gateway to retry',
      );
      return sendError(reply, 500, 'could not store the message, retry later');
    }
    return ok();
  }

  async function twilioWebhook(request: FastifyRequest, reply: FastifyReply) {
    const twilio = config.twilio;
    if (!twilio) return sendError(reply, 404, 'twilio is not configured');
    const params = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const url = publicBase + request.url;
    if (!verifyTwilioSignature(twilio.authToken, url, params, request.headers['x-twilio-signature'])) {
      logger.warn({ path: request.url.split('?')[0] }, 'sms: Twilio webhook with wrong signature refused');
      return sendError(reply, 403, 'invalid signature');
    }
    const twiml = () => reply.code(200).type('text/xml').send(EMPTY_TWIML);
    const form = parseTwilioForm(params);
    if (!form.ok) return rejectSigned(form.reason, twiml);
    const address = normalizeIdPhone(form.value.From);
    if (!address) return rejectSigned('From: not a phone number', twiml);

    const inbound: InboundMessage = {
      channel: 'sms',
      address,
      externalId: form.value.MessageSid,
      text: form.value.Body,
      receivedAt: new Date(),
    };
    const media: MediaRef[] = [];
    const numMedia = form.value.NumMedia;
    for (let i = 0; i < numMedia && i < 10; i++) {
      const ref = params.get(`MediaUrl${i}`);
      const mime = params.get(`MediaContentType${i}`) ?? '';
      if (ref) media.push({ kind: kindOfMime(mime), ref, ...(mime ? { mimeType: mime } : {}) });
    }
    if (media.length > 0) inbound.media = media;
    return deliver(inbound, reply, twiml);
  }

  async function jsonWebhook(request: FastifyRequest, reply: FastifyReply) {
    const json = config.json;
    if (!json) return sendError(reply, 404, 'json gateway is not configured');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verifyHexHmacSha256(json.sharedSecret, raw, request.headers['x-signature'])) {
      logger.warn({ bytes: raw.length }, 'sms: JSON gateway webhook with missing or wrong signature refused');
      return sendError(reply, 401, 'invalid signature');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendError(reply, 400, 'body is not valid JSON');
    }
    const ok = () => reply.code(200).send({ ok: true });
    const checked = parseJsonSms(body);
    if (!checked.ok) return rejectSigned(checked.reason, ok);
    const { id, from, text, receivedAt } = checked.value;
    const address = normalizeIdPhone(from);
    if (!address) return rejectSigned('from: not a phone number', ok);
    const at = parseReceivedAt(receivedAt);
    if (at === null) return rejectSigned('receivedAt: not a date', ok);
    const inbound: InboundMessage = {
      channel: 'sms',
      address,
      externalId: id,
      text,
      receivedAt: at ?? new Date(),
    };
    return deliver(inbound, reply, ok);
  }

  const routes: FastifyPluginAsync = async (app) => {
    // This scope only: the JSON signature covers the raw bytes, and Fastify has no form parser.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    );
    if (config.twilio) app.post(SMS_WEBHOOK_PATHS.twilio, twilioWebhook);
    if (config.json) app.post(SMS_WEBHOOK_PATHS.json, jsonWebhook);
  };

  async function call(
    url: string,
    init: RequestInit,
    describeError: (json: unknown, status: number) => string,
  ) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return { ok: false as const, error: `SMS gateway unreachable: ${reason}`, retryable: true };
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return { ok: true as const, json };
    const retryable = response.status === 429 || response.status >= 500;
    const error = describeError(json, response.status) || text.slice(0, 200) || `HTTP ${response.status}`;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return retryable && retryAfterMs !== undefined
      ? { ok: false as const, error, retryable, retryAfterMs }
      : { ok: false as const, error, retryable };
  }

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
    async start(handler: InboundHandler, rejected?: RejectionHandler): Promise<void> {
      onInbound = handler;
      onRejected = rejected;
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
      onInbound = undefined;
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
