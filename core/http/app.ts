/**
 * The HTTP app as a Fastify plugin tree. It never calls `listen`: `core.start()` (core/index.ts) does, tests use
 * `app.inject` or a loopback port. Every 4xx says what is wrong; 5xx never leaks internals.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  LogController,
} from 'fastify';
import { isLaporError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface AppOptions {
  logger: Logger;
  /** Liveness of the database for /readyz. */
  ping: () => Promise<void>;
  /** Plugins mounted at the root: channel webhooks, Slack, admin API. */
  plugins?: FastifyPluginAsync[];
  /** Largest body accepted, in bytes (webhooks are small; 1 MiB is generous). */
  bodyLimit?: number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines would log chat ids and paths at high volume; errors are logged where handled.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Behind a load balancer the client address comes from X-Forwarded-For.
    trustProxy: true,
  });

  app.setErrorHandler((error, request, reply) => {
    if (isLaporError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(error.status).send({
        error: { code: error.code, message: error.status >= 500 ? 'Internal error' : error.message },
      });
    }
    const fe = error as { validation?: unknown; statusCode?: number; code?: string; message: string };
    if (fe.validation || (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)) {
      const status = fe.statusCode && fe.statusCode < 500 ? fe.statusCode : 400;
      return reply.status(status).send({ error: { code: 'LAPOR_ERR_BAD_REQUEST', message: fe.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'LAPOR_ERR_INTERNAL', message: 'Internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'LAPOR_ERR_NOT_FOUND',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.ping();
      return { status: 'ready', database: 'ok' };
    } catch {
      return reply.status(503).send({
        status: 'unavailable',
        error: { code: 'LAPOR_ERR_DB_UNREACHABLE', message: 'Database unreachable' },
      });
    }
  });

  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app as unknown as FastifyInstance;
}
