/**
 * The SMS gateways' webhooks: Twilio's signed form and a JSON gateway's HMAC-signed body. A
 * wrong signature is refused (403/401); a signed body of the wrong shape is acknowledged (a
 * gateway retries anything else) and recorded as rejected; a message core could not store
 * answers 500 so the gateway retries.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AdapterLogger, ChannelHandlers, InboundMessage } from '../../core/channel/port.ts';
import { deliverInbound, rawBody, rawBodyParsers, sendError } from '../shared/webhook.ts';
import type { SmsConfig } from './adapter.ts';
import { jsonGatewayInbound, twilioInbound } from './inbound.ts';
import { verifyHexHmacSha256, verifyTwilioSignature } from './signature.ts';

/** Webhook paths to enter at the gateway. */
export const SMS_WEBHOOK_PATHS = { twilio: '/webhooks/sms/twilio', json: '/webhooks/sms/json' } as const;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface SmsWebhookDeps {
  config: SmsConfig;
  logger: AdapterLogger;
  /** The handlers of the started adapter; undefined before `start` and after `stop`. */
  handlers: () => ChannelHandlers | undefined;
}

export function smsWebhookRoutes(deps: SmsWebhookDeps): FastifyPluginAsync {
  const { config, logger } = deps;
  const publicBase = config.publicUrl.replace(/\/+$/, '');

  /**
   * A signed request of the wrong shape: acknowledged like a good one (a gateway retries
   * anything else) and recorded as rejected with the reason.
   */
  async function rejectSigned(reason: string, ok: () => FastifyReply) {
    logger.warn({ reason }, 'sms: webhook rejected');
    await deps.handlers()?.onRejected?.({ channel: 'sms', reason });
    return ok();
  }

  const deliver = (inbound: InboundMessage, reply: FastifyReply, ok: () => FastifyReply) =>
    deliverInbound(deps.handlers()?.onInbound, inbound, reply, ok, { logger, channel: 'sms' });

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
    const read = twilioInbound(params);
    if (!read.ok) return rejectSigned(read.reason, twiml);
    return deliver(read.inbound, reply, twiml);
  }

  async function jsonWebhook(request: FastifyRequest, reply: FastifyReply) {
    const json = config.json;
    if (!json) return sendError(reply, 404, 'json gateway is not configured');
    const raw = rawBody(request.body);
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
    const read = jsonGatewayInbound(body);
    if (!read.ok) return rejectSigned(read.reason, ok);
    return deliver(read.inbound, reply, ok);
  }

  return async (app) => {
    // This scope only: the JSON signature covers the raw bytes, and Fastify has no form parser.
    rawBodyParsers(app, { form: true });
    if (config.twilio) app.post(SMS_WEBHOOK_PATHS.twilio, twilioWebhook);
    if (config.json) app.post(SMS_WEBHOOK_PATHS.json, jsonWebhook);
  };
}
