/**
 * Closing the loop with the citizen: when an officer resolves a report, the citizen gets the
 * closing text and is asked to rate it 1-5 (dialogs/engine/rating.ts reads the answer). What a
 * rating does, decided here:
 *
 * - "tidak puas" (1-2) within RATING_REOPEN_DAYS working days of the resolution: the report is
 *   reopened to the same agency (selesai -> ditindaklanjuti, the citizen's reason on the event),
 *   the response clock starts again, and the officers see it in the report's Slack thread;
 * - 3-5 within the window: stored, the report stays closed for the citizen for good;
 * - after the window: the citizen is only thanked (nothing stored, nothing reopened);
 * - a second rating of the same resolution, or of a report that is not resolved: only thanked.
 *
 * Ratings are stored per report and per resolving agency (report_ratings); the dashboard shows
 * them per agency. Runs in the intake's transaction, which holds the conversation lock; the
 * report is locked after it (the same order as everywhere else).
 */

import { ratingChoices } from '../../dialogs/engine/index.ts';
import { formatDate, t } from '../../dialogs/texts.ts';
import { asLocale, notifyDesk, sendToConversation } from '../messaging/index.ts';
import * as convos from '../store/repos/conversations.ts';
import * as ratings from '../store/repos/ratings.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import type { CoreContext } from './context.ts';
import { transition } from './transition.ts';

/** Default reopen window, in working days after the resolution. */
export const DEFAULT_REOPEN_WINDOW_DAYS = 10;

const SCORE_WORDS: Record<number, string> = {
  1: 'sangat tidak puas',
  2: 'tidak puas',
  3: 'cukup',
  4: 'puas',
  5: 'sangat puas',
};

function windowDays(ctx: CoreContext): number {
  return ctx.sla.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS;
}

/**
 * After a resolution: asks the citizen for a rating in their conversation (choices 1-5) and
 * marks the conversation so that a typed answer counts. Called in the resolving transaction.
 */
export async function askForRating(tx: Tx, ctx: CoreContext, report: ReportRow): Promise<void> {
  const conversation = await convos.lockConversation(tx, report.conversationId);
  const locale = asLocale(conversation.locale);
  await sendToConversation(tx, conversation, {
    text: t(
      locale,
      'rateQuestion',
      { trackingId: report.trackingId, days: windowDays(ctx) },
      conversation.channel === 'sms',
    ),
    choices: ratingChoices(locale, report.trackingId),
    reportId: report.id,
  });
  const state = conversation.state as Record<string, unknown> | null;
  await convos.saveState(
    tx,
    conversation.id,
    { ...(state ?? {}), awaitingRating: { trackingId: report.trackingId } },
    conversation.locale,
  );
}

export interface RatingInput {
  trackingId: string;
  score: number;
  reason?: string;
}

/**
 * Applies a citizen's rating and returns the answer to send them. `citizenId` is the rater:
 * only the reporter may rate (a forged button for someone else's report reads "not found").
 */
export async function rateReport(
  tx: Tx,
  ctx: CoreContext,
  rater: { citizenId: string; locale: 'id' | 'en'; compact: boolean },
  input: RatingInput,
): Promise<string> {
  const { locale, compact } = rater;
  const say = (key: Parameters<typeof t>[1], params: Record<string, string | number>) =>
    t(locale, key, params, compact);
  const found = await reports.findReportByTrackingId(tx, input.trackingId);
  if (!found || found.citizenId !== rater.citizenId)
    return say('reportNotFound', { trackingId: input.trackingId });
  let report = await reports.lockReport(tx, found.id);
  const { trackingId } = report;
  if (report.status !== 'selesai' || !report.closedAt) {
    return report.status === 'diarsipkan'
      ? say('rateAlready', { trackingId })
      : say('rateNotResolved', { trackingId });
  }
  const resolvedAt = report.closedAt;
  if (await ratings.ratingExists(tx, report.id, resolvedAt)) return say('rateAlready', { trackingId });
  const now = ctx.clock();
  const days = windowDays(ctx);
  if (now > ctx.calendar.addWorkingDays(resolvedAt, days)) return say('rateTooLate', { trackingId, days });

  const score = Math.min(5, Math.max(1, Math.round(input.score)));
  const reopen = score <= 2;
  await ratings.insertRating(tx, {
    reportId: report.id,
    agencyCode: report.agencyCode,
    score,
    reopened: reopen,
    resolvedAt,
    createdAt: now,
  });
  await reports.addEvent(tx, {
    reportId: report.id,
    at: now,
    actorRole: 'citizen',
    action: 'rate',
    agencyCode: report.agencyCode,
    visibility: 'public',
    data: { score, resolvedAt: resolvedAt.toISOString() },
  });
  const agency = (await reports.findAgency(tx, report.agencyCode))?.name ?? report.agencyCode;
  if (!reopen) {
    await notifyDesk(tx, ctx, report.agencyCode, {
      kind: 'report_update',
      reportId: report.id,
      note: `Penilaian pelapor: ${score}/5 (${SCORE_WORDS[score]})`,
    });
    return say('rateThanks', { trackingId, score });
  }
  // Back to the same agency, with a fresh response deadline (the SLA clock restarts).
  const dueAt = ctx.calendar.addWorkingDays(now, ctx.sla.responseDays);
  report = await transition(
    tx,
    ctx,
    report,
    'reopen',
    { role: 'citizen' },
    {
      note: input.reason ?? null,
      visibility: 'public',
      data: { score },
      update: { closedAt: null, dueKind: 'response', dueAt, escalatedAt: null },
    },
  );
  await notifyDesk(tx, ctx, report.agencyCode, {
    kind: 'report_update',
    reportId: report.id,
    note: `Dibuka kembali oleh pelapor: penilaian ${score}/5 (${SCORE_WORDS[score]}). Batas tanggapan baru ${formatDate('id', dueAt)}.`,
  });
  if (input.reason) {
    await notifyDesk(tx, ctx, report.agencyCode, {
      kind: 'citizen_message',
      reportId: report.id,
      text: input.reason,
    });
  }
  return say('rateReopened', { trackingId, agency, dueDate: formatDate(locale, dueAt) });
}
