/**
 * The Telegram webhook route: `POST /webhooks/telegram`, as an encapsulated Fastify plugin.
 *
 * Order of checks: secret token header (401, body never read), JSON parsing (400), update
 * shape (400), then the update is handled and Telegram gets 200 only once core has stored it.
 * A failure while handling answers 500, so Telegram re-delivers it later (core deduplicates).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';

/** Where the adapter mounts its webhook; register it with Telegram as `https://<host>/webhooks/telegram`. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Header Telegram sends with the `secret_token` given to setWebhook. */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The fields of an update the adapter relies on; anything else is passed through untouched. */
const updateSchema = {
  type: 'object',
  required: ['update_id'],
  minProperties: 2,
  properties: {
    update_id: { type: 'integer', minimum: 0 },
    message: {
      type: 'object',
      required: ['message_id', 'chat'],
      properties: {
        message_id: { type: 'integer' },
        chat: {
          type: 'object',
          required: ['id', 'type'],
          properties: { id: { type: 'integer' }, type: { type: 'string' } },
        },
      },
    },
    callback_query: {
      type: 'object',
      required: ['id', 'from'],
      properties: {
        id: { type: 'string' },
        from: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        data: { type: 'string' },
      },
    },
  },
} as const;

/** What the route needs from the adapter. */
export interface WebhookDeps {
  secretToken: string;
  /**
   * Handles one update; resolves once it was stored (or deliberately ignored), rejects when
   * it could not be. Returns false when the adapter has not been started yet.
   */
  handleUpdate: (update: Update) => Promise<boolean>;
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

    app.post<{ Body: Update }>(
      TELEGRAM_WEBHOOK_PATH,
      { schema: { body: updateSchema } },
      async (request, reply) => {
        const update = request.body;
        let started: boolean;
        try {
          started = await deps.handleUpdate(update);
        } catch (error) {
          deps.logger.error(
            { updateId: update.update_id, err: deps.describeError(error) },
            'telegram update not stored; telegram will re-deliver it',
          );
          return reply.code(500).send({ error: 'update not processed' });
        }
        if (!started) return reply.code(503).send({ error: 'telegram adapter not started' });
        return reply.code(200).send();
      },
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
