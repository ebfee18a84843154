/**
 * The outbox sender for channel 'slack': turns desk instructions (core/messaging/index.ts)
 * into Web API calls. A report's root message is
 * posted once per dispatch and its `ts` stored on the report; later instructions post into that
 * thread and refresh the root. Provider failures become a {@link SendResult}: rate limits
 * (429 + Retry-After) and outages are retryable, configuration errors are not.
 */
import { webApi } from '@slack/bolt';
import type { SendResult } from '../../core/channel/port.ts';
import type { Desk, ReportRow } from '../../core/desk/index.ts';
import type { DeskDelivery } from '../../core/desk/port.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeskInstruction } from '../../core/messaging/index.ts';
import {
  adminAlertText,
  citizenLine,
  forwardedFromLine,
  movedLine,
  movedRootBlocks,
  noteLine,
  rootFallbackText,
  rootMessageBlocks,
  sentToCitizenLine,
  statusLine,
} from './render.ts';

/** Queued by the desk with an officer's action: confirms in the thread what went to the citizen. */
export type DeskSentInstruction = Extract<DeskInstruction, { kind: 'desk_sent' }>;

/** Everything the Slack sender understands. */
export type SlackInstruction = DeskInstruction;

/** Platform errors worth trying again later; everything else needs a person (scopes, channel ids). */
const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/**
 * Maps a Web API failure to a SendResult, without tokens or message texts in the error.
 *
 * @example
 * ```ts
 * toSendResult(new webApi.WebAPIRateLimitedError(30)); // { ok: false, retryable: true, retryAfterMs: 30000, ... }
 * ```
 */
export function toSendResult(error: unknown): SendResult {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return {
        ok: false,
        error: `slack: rate limited, retry after ${e.retryAfter ?? 1}s`,
        retryable: true,
        retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000,
      };
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return { ok: false, error: `slack: ${code}`, retryable: RETRYABLE_PLATFORM_ERRORS.has(code) };
    }
    case webApi.ErrorCode.HTTPError:
      return { ok: false, error: `slack: HTTP ${e.statusCode ?? '?'}`, retryable: true };
    case webApi.ErrorCode.RequestError:
      return { ok: false, error: 'slack: request failed (network)', retryable: true };
    default:
      return { ok: false, error: `slack: ${(error as Error)?.message ?? 'send failed'}`, retryable: true };
  }
}

class UnknownInstructionError extends Error {
  constructor(readonly kind: string) {
    super(`unknown desk instruction ${kind}`);
  }
}

export interface DeskSenderDeps {
  client: webApi.WebClient;
  desk: Desk;
  logger: Logger;
}

/** Builds the outbox sender for 'slack' rows. */
export function createDeskSender({
  client,
  desk,
  logger,
}: DeskSenderDeps): (delivery: DeskDelivery) => Promise<SendResult> {
  async function rootPayload(report: ReportRow, holder: string) {
    const card = await desk.card(report, holder);
    return { text: rootFallbackText(report), blocks: rootMessageBlocks(card) };
  }

  /**
   * The report's current thread: refreshes its root, or posts a new root in the channel of the
   * report's agency now (after a dispatch, or when the first post never happened).
   */
  async function ensureRoot(
    report: ReportRow,
    refresh = true,
  ): Promise<{ channel: string; ts: string; posted: boolean }> {
    if (report.slackChannel && report.slackTs) {
      if (refresh) {
        await client.chat.update({
          channel: report.slackChannel,
          ts: report.slackTs,
          ...(await rootPayload(report, report.slackChannel)),
        });
      }
      return { channel: report.slackChannel, ts: report.slackTs, posted: false };
    }
    const channel = await desk.deskChannelOf(report);
    if (!channel) throw new Error('no desk channel');
    const posted = await client.chat.postMessage({
      channel,
      ...(await rootPayload(report, channel)),
      unfurl_links: false,
      unfurl_media: false,
    });
    const ts = posted.ts;
    if (!ts) throw new Error('chat.postMessage returned no ts');
    const where = posted.channel ?? channel;
    await desk.attachThread(report.id, where, ts);
    await announceForwarding(report, where, ts);
    return { channel: where, ts, posted: true };
  }

  /** A forwarded report's new thread starts with where it came from and why. */
  async function announceForwarding(report: ReportRow, channel: string, ts: string): Promise<void> {
    const origin = await desk.forwardedFrom(report);
    if (!origin) return;
    await thread(channel, ts, forwardedFromLine(report.privacy, origin.agencyName, origin.reason));
  }

  async function thread(channel: string, ts: string, text: string): Promise<string | undefined> {
    const posted = await client.chat.postMessage({
      channel,
      thread_ts: ts,
      text,
      unfurl_links: false,
      unfurl_media: false,
    });
    return posted.ts;
  }

  async function handle(instruction: SlackInstruction, delivery: DeskDelivery): Promise<string | undefined> {
    const report = await desk.report(instruction.reportId);
    if (!report) {
      logger.warn(
        { outboxId: delivery.ref, kind: instruction.kind },
        'desk instruction for a missing report',
      );
      return undefined;
    }
    switch (instruction.kind) {
      case 'report_new':
        return (await ensureRoot(report)).ts;
      case 'report_update': {
        const root = await ensureRoot(report);
        if (await desk.statusUnchanged(report)) return root.ts;
        return thread(root.channel, root.ts, statusLine(report.privacy, instruction.note));
      }
      case 'citizen_message': {
        const root = await ensureRoot(report);
        return thread(root.channel, root.ts, citizenLine(report.privacy, instruction.text));
      }
      case 'desk_sent': {
        const root = await ensureRoot(report, false);
        return thread(
          root.channel,
          root.ts,
          sentToCitizenLine(report.privacy, instruction.sent, instruction.actorId, instruction.text),
        );
      }
      case 'report_moved': {
        const ts = await thread(
          instruction.channel,
          instruction.ts,
          movedLine(report.privacy, instruction.note),
        );
        const card = await desk.card(report, instruction.channel);
        await client.chat.update({
          channel: instruction.channel,
          ts: instruction.ts,
          text: rootFallbackText(report),
          blocks: movedRootBlocks(card),
        });
        return ts;
      }
      case 'report_note': {
        const root = await ensureRoot(report);
        return thread(root.channel, root.ts, noteLine(instruction.note));
      }
      case 'admin_alert': {
        const posted = await client.chat.postMessage({
          channel: delivery.channel,
          text: adminAlertText(report.trackingId, instruction.note),
          unfurl_links: false,
        });
        return posted.ts;
      }
      default:
        throw new UnknownInstructionError(String((instruction as { kind?: unknown }).kind));
    }
  }

  return async (delivery) => {
    const { instruction } = delivery;
    try {
      const ts = await handle(instruction, delivery);
      return ts ? { ok: true, providerMessageId: ts } : { ok: true };
    } catch (error) {
      if (error instanceof UnknownInstructionError) {
        logger.error({ outboxId: delivery.ref, kind: error.kind }, 'unknown desk instruction');
        return { ok: false, error: error.message, retryable: false };
      }
      const result = toSendResult(error);
      if (!result.ok && !('code' in (error as object)))
        logger.warn({ err: error, outboxId: delivery.ref }, 'desk instruction failed');
      return result;
    }
  };
}
