/**
 * Slack officer desk: the public surface of `bots/slack/`. Everything else in this folder is
 * internal.
 *
 * - For the service: {@link createSlackDesk} (Bolt app, Fastify routes, outbox sender).
 * - For officers' documentation: {@link CITIZEN_REPLY_PREFIX} (`!balas`) and
 *   {@link SLACK_EVENTS_PATH} (the Request URL for events, interactivity, options and `/lapor`).
 * - For tests and tools: {@link verifySlackSignature}, {@link maskPersonalData},
 *   {@link toSendResult}.
 *
 * Slack app setup: Request URL `https://<host>/slack/events` for Event Subscriptions
 * (`message.channels`, `message.groups`), Interactivity and Select Menus (options load URL), and
 * the `/lapor` slash command; bot scopes `chat:write`, `channels:read`, `groups:read`,
 * `channels:history`, `groups:history`, `commands`. Invite the bot to every agency channel.
 *
 * @example
 * ```ts
 * import { createSlackDesk } from '../bots/slack/index.ts';
 * const desk = createSlackDesk({ slack: config.slack, ctx, logger });
 * plugins.push(desk.routes);          // POST /slack/events
 * senders.set('slack', desk.send);    // desk instructions from the outbox
 * ```
 */

export {
  isConfidential,
  MASKS,
  maskPersonalData,
  type Privacy,
  reporterLabel,
  textForDesk,
} from '../../core/desk/privacy.ts';
export { createSlackDesk, explainRefusal, type SlackDesk, type SlackDeskOptions } from './desk.ts';
export {
  FastifyReceiver,
  type FastifyReceiverOptions,
  parseSlackBody,
  SLACK_EVENTS_PATH,
} from './receiver.ts';
export {
  ACTION_IDS,
  CITIZEN_REPLY_PREFIX,
  citizenReplyText,
  MODAL_CALLBACK_IDS,
  MODAL_FIELDS,
  slackToPlain,
} from './render.ts';
export { type DeskSentInstruction, type SlackInstruction, toSendResult } from './sender.ts';
export { SLACK_SIGNATURE_MAX_AGE_SECONDS, verifySlackSignature } from './signature.ts';
