/**
 * What every webhook route of an adapter does the same way: keep the raw body (signatures cover
 * the bytes, not a re-serialised JSON), answer in the app's error shape, and hand an inbound
 * message to core, answering 503 before `start` and 500 (the provider retries) when core could
 * not store it. Nothing a citizen sends can make these routes answer 5xx otherwise.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AdapterLogger, InboundHandler, InboundMessage } from '../../core/channel/port.ts';
import { sendError } from '../../core/http/reply-error.ts';
import { maskPhone } from '../../core/phone/index.ts';

export { sendError };

/**
 * In the calling plugin's scope only: JSON bodies as raw Buffers (for the HMAC), and optionally
 * form bodies as URLSearchParams (Twilio).
 */
export function rawBodyParsers(app: FastifyInstance, options: { form?: boolean } = {}): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  if (options.form) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    );
  }
}

/** The raw request body as bytes (empty when a parser gave something else). */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Parses a JSON body that passed its signature check; null when it is not JSON. */
export function parseJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * Hands one inbound message to core and answers the provider: `ok()` once it is stored, 503
 * before the adapter started, 500 when storing failed (the provider will deliver it again).
 */
export async function deliverInbound(
  handler: InboundHandler | undefined,
  inbound: InboundMessage,
  reply: FastifyReply,
  ok: () => FastifyReply,
  context: { logger: AdapterLogger; channel: string },
): Promise<FastifyReply> {
  if (!handler) return sendError(reply, 503, 'not accepting messages yet');
  try {
    await handler(inbound);
  } catch (err) {
    context.logger.error(
      // No message id: some carry the phone number (whatsapp-web.js ids do).
      { err, from: maskPhone(inbound.address) },
      `${context.channel}: inbound handler failed; asking the provider to retry`,
    );
    return sendError(reply, 500, 'could not store the message, retry later');
  }
  return ok();
}

/** The logger an adapter uses when none is given: silent (adapters never read process.env). */
export const SILENT_LOGGER: AdapterLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
