/**
 * The Cloud API webhook: the GET handshake (`hub.challenge`) and the signed POST of messages and
 * delivery statuses. The signature covers the raw bytes; a signed body of the wrong shape is
 * acknowledged (Meta redelivers anything else) and recorded as rejected; a batch whose item could
 * not be stored answers 500 so Meta redelivers it (what was stored is deduplicated).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AdapterLogger, ChannelHandlers } from '../../core/channel/port.ts';
import { rawBody, rawBodyParsers, sendError } from '../shared/webhook.ts';
import { parseCloudWebhook } from './inbound.ts';
import { safeEqualText, verifyMetaSignature } from './signature.ts';

/** Webhook path to enter in the Meta app dashboard (WhatsApp → Configuration → Callback URL). */
export const WHATSAPP_CLOUD_WEBHOOK_PATH = '/webhooks/whatsapp';

export interface CloudWebhookDeps {
  appSecret: string;
  verifyToken: string;
  logger: AdapterLogger;
  /** The handlers of the started adapter; undefined before `start` and after `stop`. */
  handlers: () => ChannelHandlers | undefined;
}

export function cloudWebhookRoutes(deps: CloudWebhookDeps): FastifyPluginAsync {
  const { logger } = deps;

  async function handshake(
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
  ) {
    const mode = request.query['hub.mode'];
    const token = request.query['hub.verify_token'];
    const challenge = request.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || !safeEqualText(token, deps.verifyToken)) {
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
    const raw = rawBody(request.body);
    if (!verifyMetaSignature(raw, request.headers['x-hub-signature-256'], deps.appSecret)) {
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
      await deps.handlers()?.onRejected?.({ channel: 'whatsapp_cloud', reason: parsed.reason });
      return reply.code(200).send({ ok: true, rejected: 1 });
    }
    const handlers = deps.handlers();
    if (!handlers) return sendError(reply, 503, 'not accepting messages yet');
    const { onInbound: handler, onStatus, onRejected } = handlers;

    // Every item is handled, even after one failed: a failure (the database down) answers 500 at
    // the end so Meta redelivers the batch, and what was stored already is deduplicated.
    let failed = 0;
    let rejected = 0;
    for (const event of parsed.events) {
      try {
        if (event.kind === 'message') {
          await handler(event.message);
        } else if (event.kind === 'status') {
          if (onStatus) await onStatus(event.update);
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

  return async (app) => {
    // This scope only: keep the raw bytes, because the signature covers them and not the parsed JSON.
    rawBodyParsers(app);
    app.get(WHATSAPP_CLOUD_WEBHOOK_PATH, handshake);
    app.post(WHATSAPP_CLOUD_WEBHOOK_PATH, receive);
  };
}
