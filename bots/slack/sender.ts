/**
 * The outbox sender for channel 'slack': turns desk instructions (core/reports/notify.ts, plus
 * the desk's own {@link DeskSentInstruction}) into Web API calls. A report's root message is
 * posted once per dispatch and its `ts` stored on the report; later instructions post into that
 * thread and refresh the root. Provider failures become a {@link SendResult}: rate limits
 * (429 + Retry-After) and outages are retryable, configuration errors are not.
 */
import { webApi } from '@slack/bolt';
import type { SendResult } from '../../core/channel/port.ts';
import type { Logger } from '../../core/logger.ts';
import type { OutboxRow, Sender } from '../../core/outbox/dispatcher.ts';
import type { CoreContext } from '../../core/reports/context.ts';
import type { DeskInstruction } from '../../core/reports/notify.ts';
import { deskChannelFor } from '../../core/reports/notify.ts';
import type { ReportRow } from '../../core/store/repos/reports.ts';
import * as reports from '../../core/store/repos/reports.ts';
import { loadCard } from './data.ts';
import {
  adminAlertText,
  citizenLine,
  forwardedFromLine,
  movedLine,
  movedRootBlocks,
  noteLine,
  rootFallbackText,
  rootMessageBlocks,
  type SentKind,
  sentToCitizenLine,
  statusLine,
} from './render.ts';

/**
 * Queued by the desk in the same transaction as an officer's action: confirms in the report's
 * thread what went to the citizen, and who sent it.
 */
export interface DeskSentInstruction {
  kind: 'desk_sent';
  reportId: string;
  sent: SentKind;
  actorId: string;
  text: string;
}

/** Everything the Slack sender understands. */
export type SlackInstruction = DeskInstruction | DeskSentInstruction;

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
  ctx: CoreContext;
  logger: Logger;
}

/** Builds the outbox sender for 'slack' rows. */
export function createDeskSender({ client, ctx, logger }: DeskSenderDeps): Sender {
  const db = ctx.db;

  async function findReport(reportId: string): Promise<ReportRow | null> {
    return db.prisma.$transaction((tx) => reports.findReport(tx, reportId));
  }

  async function rootPayload(report: ReportRow, holder: string) {
    const card = await db.prisma.$transaction((tx) => loadCard(tx, ctx, report, holder));
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
    const channel =
      (await db.prisma.$transaction((tx) => deskChannelFor(tx, ctx, report.agencyCode))) ??
      ctx.desk?.adminChannel;
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
    await db.prisma.$transaction((tx) =>
      reports.updateReport(tx, report.id, { slackChannel: where, slackTs: ts }),
    );
    await announceForwarding(report, where, ts);
    return { channel: where, ts, posted: true };
  }

  /** A forwarded report's new thread starts with where it came from and why. */
  async function announceForwarding(report: ReportRow, channel: string, ts: string): Promise<void> {
    const { previous, reason } = await db.prisma.$transaction(async (tx) => {
      const dispatches = (await reports.listEvents(tx, report.id)).filter((e) => e.action === 'dispatch');
      const before = dispatches.at(-2)?.agencyCode;
      const name = before ? ((await reports.findAgency(tx, before))?.name ?? before) : null;
      return { previous: name, reason: dispatches.at(-1)?.note ?? null };
    });
    if (!previous) return;
    await thread(channel, ts, forwardedFromLine(report.privacy, previous, reason));
  }

  /**
   * True when the latest status-bearing event kept the status (a second reply to the citizen):
   * the thread already has that status line, and the desk's own confirmation says what happened.
   * Cosmetic only (two actions in quick succession may show one line more or less); the root
   * message always shows the current status.
   */
  async function statusUnchanged(report: ReportRow): Promise<boolean> {
    const events = await db.prisma.$transaction((tx) => reports.listEvents(tx, report.id));
    const last = events.filter((e) => e.toStatus !== null && e.action !== 'citizen_reply').at(-1);
    return !!last && last.fromStatus === last.toStatus && last.toStatus === report.status;
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

  async function handle(instruction: SlackInstruction, row: OutboxRow): Promise<string | undefined> {
    const report = await findReport(instruction.reportId);
    if (!report) {
      logger.warn(
        { outboxId: String(row.id), kind: instruction.kind },
        'desk instruction for a missing report',
      );
      return undefined;
    }
    switch (instruction.kind) {
      case 'report_new':
        return (await ensureRoot(report)).ts;
      case 'report_update': {
        const root = await ensureRoot(report);
        if (await statusUnchanged(report)) return root.ts;
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
        const card = await db.prisma.$transaction((tx) => loadCard(tx, ctx, report, instruction.channel));
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
          channel: row.address,
          text: adminAlertText(report.trackingId, instruction.note),
          unfurl_links: false,
        });
        return posted.ts;
      }
      default:
        throw new UnknownInstructionError(String((instruction as { kind?: unknown }).kind));
    }
  }

  return async (row) => {
    const instruction = row.payload as unknown as SlackInstruction;
    try {
      const ts = await handle(instruction, row);
      return ts ? { ok: true, providerMessageId: ts } : { ok: true };
    } catch (error) {
      if (error instanceof UnknownInstructionError) {
        logger.error({ outboxId: String(row.id), kind: error.kind }, 'unknown desk instruction');
        return { ok: false, error: error.message, retryable: false };
      }
      const result = toSendResult(error);
      if (!result.ok && !('code' in (error as object)))
        logger.warn({ err: error, outboxId: String(row.id) }, 'desk instruction failed');
      return result;
    }
  };
}
