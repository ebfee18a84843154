/**
 * A Bolt receiver mounted as a Fastify plugin: Slack's Events API, interactivity (buttons,
 * modals, select-menu options) and slash commands all POST to one path. Every request is
 * verified against the signing secret on its raw body before anything is parsed or processed;
 * unsigned, wrongly signed or stale requests get 401 and reach no listener.
 *
 * By default the HTTP answer goes out once the listeners finished (Bolt's
 * `processBeforeResponse`), so a 200 means the officer's action is committed; listeners ack at
 * the end of short database work, well inside Slack's 3-second budget. With
 * `processBeforeResponse: false` the answer goes out as soon as a listener calls `ack()`.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/logger.ts';
import { checkSlackBody } from './schema.ts';
import { verifySlackSignature } from './signature.ts';

/** Where Slack sends events, interactivity, options and slash commands (one Request URL for all). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface FastifyReceiverOptions {
  signingSecret: string;
  logger: Logger;
  path?: string;
  /** Answer Slack after the listeners finished (default true) or at `ack()` (false). */
  processBeforeResponse?: boolean;
  /** Wall clock for the signature's freshness check (tests leave it alone). */
  nowMs?: () => number;
  /** With `processBeforeResponse: false`: answer 404 when no listener acked within this time. */
  unhandledRequestTimeoutMs?: number;
  /** Told about a signed request of the wrong shape (answered 200, never passed to Bolt). */
  onRejected?: (reason: string) => Promise<void>;
}

/** Parses the verified body: JSON (Events API) or a form (interactivity `payload=`, commands). */
export function parseSlackBody(rawBody: string, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(rawBody);
    const payload = form.get('payload');
    if (payload !== null) return asObject(JSON.parse(payload));
    return Object.fromEntries(form);
  }
  return asObject(JSON.parse(rawBody));
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('body is not an object');
  return value as Record<string, unknown>;
}

/**
 * The receiver Bolt's `App` is built with. Register `receiver.routes` on the Fastify app; Bolt
 * calls `init`; `stop` waits for requests still being processed.
 *
 * @example
 * ```ts
 * const receiver = new FastifyReceiver({ signingSecret, logger });
 * const app = new App({ receiver, authorize });
 * await fastify.register(receiver.routes);
 * ```
 */
export class FastifyReceiver implements Receiver {
  private app: App | undefined;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly options: Required<Omit<FastifyReceiverOptions, 'logger' | 'onRejected'>> &
    Pick<FastifyReceiverOptions, 'onRejected'> & { logger: Logger };

  constructor(options: FastifyReceiverOptions) {
    if (!options.signingSecret) throw new Error('Slack signing secret is required');
    this.options = {
      path: SLACK_EVENTS_PATH,
      processBeforeResponse: true,
      nowMs: () => Date.now(),
      unhandledRequestTimeoutMs: 3001,
      ...options,
    };
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  /** Waits for requests still in Bolt's hands. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /** The Fastify plugin with the Slack route; its raw-body parser stays inside the plugin. */
  readonly routes: FastifyPluginAsync = async (fastify) => {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    fastify.post(this.options.path, (request, reply) => this.handle(request, reply));
  };

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { logger } = this.options;
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const verdict = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody,
      timestamp: header(request, 'x-slack-request-timestamp'),
      signature: header(request, 'x-slack-signature'),
      nowMs: this.options.nowMs(),
    });
    if (!verdict.ok) {
      logger.warn({ reason: verdict.reason }, 'refused a Slack request');
      return reply.code(401).send({
        error: { code: 'LAPOR_ERR_UNAUTHORIZED', message: `Slack request refused: ${verdict.reason}` },
      });
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(rawBody, header(request, 'content-type'));
    } catch {
      return reply
        .code(400)
        .send({ error: { code: 'LAPOR_ERR_BAD_REQUEST', message: 'Slack body is neither JSON nor a form' } });
    }
    if (body.ssl_check) return reply.code(200).send('');
    if (body.type === 'url_verification') return reply.code(200).send({ challenge: body.challenge });
    if (!this.app)
      return reply.code(503).send({ error: { code: 'LAPOR_ERR_INTERNAL', message: 'Not ready' } });
    const checked = checkSlackBody(body);
    if (!checked.ok) {
      logger.warn({ reason: checked.reason }, 'rejected a signed Slack request of the wrong shape');
      await this.options.onRejected?.(checked.reason).catch((error: unknown) => {
        logger.error({ err: error }, 'could not record a rejected Slack request');
      });
      return reply.code(200).send('');
    }
    body = checked.body;

    let acked = false;
    let response: unknown;
    let onAck: () => void = () => {};
    const ackGiven = new Promise<'acked'>((resolve) => {
      onAck = () => resolve('acked');
    });
    const retryNum = Number(header(request, 'x-slack-retry-num'));
    const retryReason = header(request, 'x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ack: async (answer?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        response = answer;
        onAck();
      },
      ...(Number.isInteger(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
      customProperties: {},
    };
    const processing = this.app.processEvent(event).then(
      () => ({ failed: false as const }),
      (error: unknown) => ({ failed: true as const, error }),
    );
    this.inflight.add(processing);
    void processing.finally(() => this.inflight.delete(processing));
    processing.then((outcome) => {
      if (outcome.failed) logger.error({ err: outcome.error }, 'Slack listener failed');
    });

    if (this.options.processBeforeResponse) {
      const outcome = await processing;
      if (outcome.failed && !acked) return internalError(reply);
    } else {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.options.unhandledRequestTimeoutMs);
        timer.unref();
      });
      const first = await Promise.race([ackGiven, processing, timeout]);
      clearTimeout(timer);
      if (typeof first === 'object' && first.failed && !acked) return internalError(reply);
    }
    if (!acked) {
      logger.debug('no Slack listener acknowledged the request');
      return reply.code(404).send({ error: { code: 'LAPOR_ERR_NOT_FOUND', message: 'No handler' } });
    }
    if (response === undefined || response === null || response === '') return reply.code(200).send('');
    if (typeof response === 'string') return reply.code(200).type('text/plain').send(response);
    return reply.code(200).send(response);
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function internalError(reply: FastifyReply): FastifyReply {
  return reply.code(500).send({ error: { code: 'LAPOR_ERR_INTERNAL', message: 'Internal error' } });
}
