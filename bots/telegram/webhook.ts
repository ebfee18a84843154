/**
 * The Telegram webhook route: `POST /webhooks/telegram`, as an encapsulated Fastify plugin.
 *
 * Order of checks: secret token header (401, body never read), JSON parsing (400), then the
 * update is handled and Telegram gets 200 once core has stored it, or once an update of the
 * wrong shape was recorded as rejected (bots/telegram/schema.ts). Only a failure to store
 * (database down) answers 500, so Telegram re-delivers it later (core deduplicates).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';

/** Where the adapter mounts its webhook; register it with Telegram as `https://<host>/webhooks/telegram`. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Header Telegram sends with the `secret_token` given to setWebhook. */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What the route needs from the adapter. */
export interface WebhookDeps {
  secretToken: string;
  /**
   * Handles one update; resolves once it was stored (or deliberately ignored), rejects when
   * it could not be. Returns false when the adapter has not been started yet.
   */
  handleUpdate: (update: unknown) => Promise<boolean>;
  logger: Logger;
  describeError: (error: unknown) => Record<string, unknown>;
}

/** Builds the plugin; see the module comment for the status codes. */
export function createWebhookRoutes(deps: WebhookDeps): FastifyPluginAsync {
  const expected = digest(deps.secretToken);
  return async (app) => {
    // Encapsulated: these hooks and handlers apply to this route only.
    app.addHook('onRequest', async (request, reply) => {
      const given = request.headers[SECRET_HEADER];
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        return reply.code(401).send({ error: 'invalid or missing secret token' });
      }
    });

    app.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.validation) {
        return reply.code(400).send({ error: `not a Telegram update: ${error.message}` });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own parsing errors (invalid/empty JSON, wrong content type, too large).
        return reply.code(status).send({ error: error.message });
      }
      deps.logger.error({ err: deps.describeError(error) }, 'telegram webhook failed');
      return reply.code(500).send({ error: 'internal error' });
    });

    // The body's shape is checked by the adapter (schema.ts): a signed update of the wrong
    // shape is answered 200 and recorded, because Telegram redelivers anything else forever.
    app.post<{ Body: unknown }>(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
      const update = request.body;
      let started: boolean;
      try {
        started = await deps.handleUpdate(update);
      } catch (error) {
        deps.logger.error(
          { err: deps.describeError(error) },
          'telegram update not stored; telegram will re-deliver it',
        );
        return reply.code(500).send({ error: 'update not processed' });
      }
      if (!started) return reply.code(503).send({ error: 'telegram adapter not started' });
      return reply.code(200).send();
    });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
