/**
 * The officers' desk port: the surface officers work reports from (Slack today; a dashboard or an
 * e-mail desk could be another). Core queues desk instructions in the outbox, in the same
 * transaction as the change they report, and the dispatcher hands them to `send`. Requests from
 * officers come in through `routes`, mounted on core's HTTP app.
 *
 * @example
 * ```ts
 * const desk: DeskFactory = ({ desk }) => createSlackDesk({ slack: config.slack, desk, logger });
 * const core = await createCore(config, { adapters, desk });
 * ```
 */
import type { FastifyPluginAsync } from 'fastify';
import type { SendResult } from '../channel/port.ts';
import type { DeskInstruction } from '../messaging/index.ts';
import type { Desk } from './desk.ts';

/** One desk instruction as the outbox hands it over. */
export interface DeskDelivery {
  instruction: DeskInstruction;
  /** The desk channel it is addressed to (Slack channel id). */
  channel: string;
  /** An opaque reference for logs (the outbox row id); never personal data. */
  ref: string;
}

export interface DeskChannel {
  /** Outbox channel name of the desk's rows ('slack'). */
  readonly kind: string;
  /** Fastify plugin with the desk's request routes. */
  readonly routes: FastifyPluginAsync;
  /** Delivers one queued desk instruction; provider failures come back as a SendResult. */
  send(delivery: DeskDelivery): Promise<SendResult>;
  /** One line for the start-up banner. */
  describe(): string;
  /** Waits for desk requests still being processed. */
  stop(): Promise<void>;
}

/** What core gives the desk surface it builds: the desk use cases. */
export interface DeskDeps {
  desk: Desk;
}

/** Builds the desk once core's context exists. */
export type DeskFactory = (deps: DeskDeps) => DeskChannel;
