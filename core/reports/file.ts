/**
 * Filing: a confirmed draft (from the chat or the API) becomes a report, routed, with a tracking
 * ID, dispatched to the agency the router chose (or left with the national verification desk).
 */
import type { ReportDraft } from '../../dialogs/engine/index.ts';
import { formatDate } from '../../dialogs/texts.ts';
import type { Locale, Privacy } from '../../dialogs/types.ts';
import { LaporError } from '../errors.ts';
import type { ActorRole } from '../lifecycle/index.ts';
import { asLocale, isAdminAgency, notifyCitizen, notifyDesk } from '../messaging/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import { generateTrackingId } from '../tracking-id/index.ts';
import { ADMIN_AGENCY, type CoreContext } from './context.ts';
import { agencyName, dueFor, transition } from './transition.ts';

export interface FileInput {
  conversation: { id: string; citizenId: string; channel: string; address: string; locale: string };
  draft: ReportDraft & {
    description: string;
    category: string;
    type: ReportDraft['type'] & string;
    privacy: Privacy;
  };
  questions: number;
}

/**
 * Files a confirmed draft: routes it, gives it a tracking ID, dispatches it to the agency (or
 * leaves it with the national verification desk), and queues the citizen's receipt and the
 * officers' notice.
 */
export async function fileReport(tx: Tx, ctx: CoreContext, input: FileInput): Promise<ReportRow> {
  const { draft, conversation } = input;
  const now = ctx.clock();
  const decision = ctx.router.route({
    category: draft.category,
    regionCode: draft.region?.code ?? null,
    text: draft.description,
  });
  const locale: Locale = asLocale(conversation.locale);
  let report: ReportRow | null = null;
  for (let attempt = 0; attempt < 5 && !report; attempt++) {
    const trackingId = generateTrackingId();
    if (await reports.trackingIdTaken(tx, trackingId)) continue;
    report = await reports.insertReport(tx, {
      trackingId,
      type: draft.type,
      category: draft.category,
      description: draft.description,
      regionCode: draft.region?.code ?? null,
      regionName: draft.region?.name ?? draft.locationText ?? null,
      latitude: draft.location?.lat ?? null,
      longitude: draft.location?.lon ?? null,
      privacy: draft.privacy,
      status: 'diterima',
      agencyCode: ADMIN_AGENCY,
      citizenId: conversation.citizenId,
      conversationId: conversation.id,
      channel: conversation.channel,
      locale,
      classifierConfidence: draft.categoryConfidence ?? null,
      routeReason: decision.reason[locale],
      dueAt: dueFor(ctx, 'verification', now),
      dueKind: 'verification',
      createdAt: now,
    });
  }
  if (!report) throw new LaporError('LAPOR_ERR_INTERNAL', 'could not allocate a tracking ID');
  await reports.addEvent(tx, {
    reportId: report.id,
    at: now,
    actorRole: 'citizen',
    action: 'file',
    toStatus: 'diterima',
    agencyCode: ADMIN_AGENCY,
    visibility: 'public',
    data: {
      questions: input.questions,
      route: { agency: decision.agencyCode, ruleId: decision.ruleId, signals: decision.signals },
    },
  });
  const filed = report;
  if (draft.media.length) {
    await convos.addAttachments(
      tx,
      draft.media.map((m) => ({
        reportId: filed.id,
        channel: conversation.channel,
        kind: m.kind,
        ref: m.ref,
        ...(m.mimeType ? { mimeType: m.mimeType } : {}),
      })),
    );
  }
  if (isAdminAgency(decision.agencyCode)) {
    await notifyCitizen(tx, report, 'filedForVerification', {
      trackingId: report.trackingId,
      dueDate: formatDate(locale, report.dueAt ?? now),
    });
    await notifyDesk(tx, ctx, ADMIN_AGENCY, { kind: 'report_new', reportId: report.id });
    return report;
  }
  // The machine placed it with confidence: verify and dispatch at once (the SLA moves to the agency).
  report = await transition(tx, ctx, report, 'verify', { role: 'system' }, { note: decision.reason.id });
  // The dispatch event is public (the citizen's "latest update"): its note in the citizen's language.
  report = await dispatchTo(
    tx,
    ctx,
    report,
    decision.agencyCode,
    { role: 'system' },
    decision.reason[locale],
  );
  await notifyCitizen(tx, report, 'filed', {
    trackingId: report.trackingId,
    agency: await agencyName(tx, report.agencyCode),
    dueDate: formatDate(locale, report.dueAt ?? now),
  });
  return report;
}

/** Sends the report to an agency: status didisposisikan, the response clock starts, the desk is told. */
export async function dispatchTo(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  agencyCode: string,
  actor: { role: ActorRole; id?: string | null },
  note: string,
): Promise<ReportRow> {
  const now = ctx.clock();
  const next = await transition(tx, ctx, report, 'dispatch', actor, {
    agencyCode,
    note,
    visibility: 'public',
    update: {
      agencyCode,
      dueKind: 'response',
      dueAt: dueFor(ctx, 'response', now),
      escalatedAt: null,
      slackChannel: null,
      slackTs: null,
    },
  });
  await notifyDesk(tx, ctx, agencyCode, { kind: 'report_new', reportId: report.id });
  return next;
}
