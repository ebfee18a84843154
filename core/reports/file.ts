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
import type { RouteDecision } from '../routing/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import { generateTrackingId } from '../tracking-id/index.ts';
import { linkToSimilar } from './clusters.ts';
import { ADMIN_AGENCY, type CoreContext, DEFAULT_REPORTS_PER_DAY } from './context.ts';
import { stemsOf } from './similar.ts';
import { agencyName, dueFor, transition } from './transition.ts';

/** Why a report that routing could place still waits for the national verifier. */
const HOLD_REASONS = {
  suspect: {
    id: 'Diduga bukan laporan ({kind}); pelapor menyatakan ini laporan, jadi petugas verifikasi memeriksanya dulu.',
    en: 'Suspected not a report ({kind}); the reporter says it is one, so a verifier checks it first.',
  },
  flood: {
    id: 'Pelapor sudah mengirim {count} laporan dalam 24 jam; petugas verifikasi memeriksanya sebelum diteruskan.',
    en: 'The reporter filed {count} reports in 24 hours; a verifier checks this one before it is forwarded.',
  },
};

/**
 * Keeps a report with the admin desk whatever routing found (the competent body stays on the
 * decision for the verifier), with the reason and a signal for the audit trail and dashboard.
 */
function holdForVerifier(
  decision: RouteDecision,
  reason: { id: string; en: string },
  params: Record<string, string | number>,
  signal: string,
): RouteDecision {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  return {
    ...decision,
    agencyCode: ADMIN_AGENCY,
    reason: { id: fill(reason.id), en: fill(reason.en) },
    signals: [...decision.signals, signal, `held-from:${decision.agencyCode}`],
  };
}

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
  const routed = ctx.router.route({
    category: draft.category,
    regionCode: draft.region?.code ?? null,
    text: draft.description,
  });
  const recent = await reports.countReportsByCitizenSince(
    tx,
    conversation.citizenId,
    new Date(now.getTime() - 24 * 3600 * 1000),
  );
  const flooded = recent >= (ctx.reportsPerDay ?? DEFAULT_REPORTS_PER_DAY);
  const decision = draft.suspect
    ? holdForVerifier(routed, HOLD_REASONS.suspect, { kind: draft.suspect }, `suspect:${draft.suspect}`)
    : flooded
      ? holdForVerifier(routed, HOLD_REASONS.flood, { count: recent }, 'flood')
      : routed;
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
      textStems: stemsOf(draft.description).join(' '),
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
  if (draft.suspect || flooded) {
    await reports.addEvent(tx, {
      reportId: report.id,
      at: now,
      actorRole: 'system',
      action: 'hold',
      agencyCode: ADMIN_AGENCY,
      note: decision.reason.id,
      visibility: 'internal',
      data: draft.suspect ? { why: 'suspect', kind: draft.suspect } : { why: 'flood', count: recent },
    });
  }
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
  const similar = await linkToSimilar(tx, ctx, filed, decision.agencyCode);
  // "Laporan serupa" rides in the receipt: one message, as for any other report.
  const alsoSimilar = similar
    ? { key: 'similarReported' as const, params: { mainId: similar.main.trackingId } }
    : undefined;
  if (isAdminAgency(decision.agencyCode)) {
    await notifyCitizen(
      tx,
      report,
      flooded && !draft.suspect ? 'filedFlooded' : 'filedForVerification',
      { trackingId: report.trackingId, dueDate: formatDate(locale, report.dueAt ?? now) },
      alsoSimilar,
    );
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
  await notifyCitizen(
    tx,
    report,
    'filed',
    {
      trackingId: report.trackingId,
      agency: await agencyName(tx, report.agencyCode),
      dueDate: formatDate(locale, report.dueAt ?? now),
    },
    alsoSimilar,
  );
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
