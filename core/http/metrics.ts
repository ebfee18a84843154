/**
 * `/metrics` for Prometheus, one of two ways (config): on the main app behind
 * `Authorization: Bearer <METRICS_TOKEN>` (an encapsulated plugin whose onRequest hook guards
 * the matched route), or on a listener of its own (`METRICS_PORT`, bound to `METRICS_HOST`,
 * 127.0.0.1 by default) that only the scraper can reach.
 *
 * @example
 * ```ts
 * plugins.push(createMetricsRoute({ metrics, token: config.metrics.token }));
 * // or: const server = await startMetricsServer({ metrics, host: '127.0.0.1', port: 9464, logger });
 * ```
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { LaporError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/index.ts';
import { bearerMatches } from './admin-api.ts';

async function exposition(metrics: Metrics) {
  return { type: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** `GET /metrics` on the main app, for scrapers holding the token. */
export function createMetricsRoute(options: { metrics: Metrics; token: string }): FastifyPluginAsync {
  const { metrics, token } = options;
  if (!token)
    throw new LaporError('LAPOR_ERR_CONFIG', 'METRICS_TOKEN: required to serve /metrics on the main port');
  return async (fastify) => {
    fastify.addHook('onRequest', async (request) => {
      if (!bearerMatches(request.headers.authorization, token))
        throw new LaporError('LAPOR_ERR_UNAUTHORIZED', 'Missing or invalid bearer token');
    });
    fastify.get('/metrics', async (_request, reply) => {
      const { type, body } = await exposition(metrics);
      return reply.header('content-type', type).header('cache-control', 'no-store').send(body);
    });
  };
}

/** A listener with only `GET /metrics`, for a private port. Returns the started server. */
export async function startMetricsServer(options: {
  metrics: Metrics;
  host: string;
  port: number;
  logger: Logger;
}): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, disableRequestLogging: true });
  app.get('/metrics', async (_request, reply) => {
    const { type, body } = await exposition(options.metrics);
    return reply.header('content-type', type).send(body);
  });
  await app.listen({ host: options.host, port: options.port });
  return app as unknown as FastifyInstance;
}
