/**
 * The report domain: filing a confirmed draft, officer and admin actions, citizen replies, and
 * the SLA clock. Every status change goes through the lifecycle table, writes a report event
 * and queues its notifications in the same transaction.
 */

import type { ReportDraft } from '../../dialogs/engine/index.ts';
import { formatDate } from '../../dialogs/texts.ts';
import { LaporError } from '../errors.ts';
import {
  type ActorRole,
  type LifecycleAction,
  nextStatus,
  STATUS_LABELS,
  TERMINAL_STATUSES,
} from '../lifecycle/index.ts';
import type { RouteDecision } from '../routing/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import { type RoutingExampleSource, recordRoutingExample } from '../store/repos/routing-examples.ts';
import type { Tx } from '../store/tx.ts';
import { generateTrackingId } from '../tracking-id/index.ts';
import { linkToSimilar } from './clusters.ts';
import { ADMIN_AGENCY, type CoreContext, DEFAULT_REPORTS_PER_DAY } from './context.ts';
import { asLocale, isAdminAgency, notifyCitizen, notifyDesk } from './notify.ts';
import { askForRating } from './rating.ts';
import { stemsOf } from './similar.ts';

export type { ReportRow };

type Locale = 'id' | 'en';

async function agencyName(tx: Tx, code: string): Promise<string> {
  return (await reports.findAgency(tx, code))?.name ?? code;
}

function dueFor(ctx: CoreContext, kind: 'verification' | 'response' | 'citizen_reply', from: Date): Date {
  const days =
    kind === 'verification'
      ? ctx.sla.verifyDays
      : kind === 'response'
        ? ctx.sla.responseDays
        : ctx.sla.autoCloseDays;
  return ctx.calendar.addWorkingDays(from, days);
}

/** Applies one lifecycle action: checks the table, updates the status, writes the event. */
export async function transition(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  action: LifecycleAction,
  actor: { role: ActorRole; id?: string | null },
  extra: {
    note?: string | null;
    visibility?: 'public' | 'internal';
    agencyCode?: string | null;
    data?: object;
    update?: Partial<ReportRow>;
  } = {},
): Promise<ReportRow> {
  const to = nextStatus(report.status, action, actor.role);
  const now = ctx.clock();
  const update: Partial<ReportRow> = { status: to, ...extra.update };
  if (TERMINAL_STATUSES.has(to)) {
    update.closedAt = now;
    update.dueAt = null;
    update.dueKind = null;
  }
  await reports.updateReport(tx, report.id, update);
  await reports.addEvent(tx, {
    reportId: report.id,
    at: now,
    actorRole: actor.role,
    actorId: actor.id ?? null,
    action,
    fromStatus: report.status,
    toStatus: to,
    agencyCode: extra.agencyCode ?? report.agencyCode,
    note: extra.note ?? null,
    visibility: extra.visibility ?? 'internal',
    ...(extra.data ? { data: extra.data } : {}),
  });
  return { ...report, ...update } as ReportRow;
}

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
    privacy: 'biasa' | 'rahasia' | 'anonim';
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
  if (isAdminAgency(decision.agencyCode)) {
    await notifyCitizen(tx, report, flooded && !draft.suspect ? 'filedFlooded' : 'filedForVerification', {
      trackingId: report.trackingId,
      dueDate: formatDate(locale, report.dueAt ?? now),
    });
    await notifyDesk(tx, ctx, ADMIN_AGENCY, { kind: 'report_new', reportId: report.id });
    if (similar) await notifyCitizen(tx, report, 'similarReported', { mainId: similar.main.trackingId });
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
  if (similar) await notifyCitizen(tx, report, 'similarReported', { mainId: similar.main.trackingId });
  return report;
}

/** Sends the report to an agency: status didisposisikan, the response clock starts, the desk is told. */
async function dispatchTo(
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

export type OfficerAction =
  | { type: 'accept' }
  | { type: 'request_info'; text: string }
  | { type: 'reply'; text: string }
  | { type: 'resolve'; text: string }
  | { type: 'postpone'; text: string }
  | { type: 'resume' }
  | { type: 'forward'; agencyCode: string; reason: string }
  | { type: 'note'; text: string }
  | { type: 'archive'; reason: string };

export interface Actor {
  /** 'officer' of the report's agency, or 'admin' (national desk). */
  role: 'officer' | 'admin';
  id: string;
  /** The agency the officer acts for (from their Slack channel); admins act for any. */
  agencyCode?: string;
}

/**
 * An officer's or admin's action on a report, by id. Refuses actions on a report that has moved
 * to another agency since the officer saw it, and actions the lifecycle does not allow.
 */
export async function actOnReport(
  tx: Tx,
  ctx: CoreContext,
  reportId: string,
  actor: Actor,
  action: OfficerAction,
): Promise<ReportRow> {
  // Lock order: the conversation, then the report. The intake takes them in that order (a
  // citizen's message locks its conversation, then the report it answers); taking the report
  // first here (and the conversation later, for a question) could deadlock with it.
  const target = await reports.findReport(tx, reportId);
  if (!target)
    throw new LaporError('LAPOR_ERR_NOT_FOUND', `Laporan ${reportId} tidak ditemukan.`, { reportId });
  await convos.lockConversation(tx, target.conversationId);
  let report = await reports.lockReport(tx, reportId);
  if (actor.role === 'officer' && actor.agencyCode && actor.agencyCode !== report.agencyCode) {
    throw new LaporError(
      'LAPOR_ERR_REPORT_MOVED',
      `Laporan ${report.trackingId} sudah diteruskan ke ${await agencyName(tx, report.agencyCode)}.`,
      {
        trackingId: report.trackingId,
        agencyCode: report.agencyCode,
      },
    );
  }
  const who = { role: actor.role, id: actor.id } as const;
  const name = await agencyName(tx, report.agencyCode);
  const now = ctx.clock();
  switch (action.type) {
    case 'accept':
      report = await transition(tx, ctx, report, 'accept', who, {
        visibility: 'public',
        note: 'Laporan diterima petugas',
      });
      await notifyCitizen(tx, report, 'accepted', { agency: name, trackingId: report.trackingId });
      break;
    case 'note':
      await reports.addEvent(tx, {
        reportId,
        at: now,
        actorRole: actor.role,
        actorId: actor.id,
        action: 'note',
        note: action.text,
        visibility: 'internal',
        agencyCode: report.agencyCode,
      });
      return report;
    case 'request_info': {
      report = await transition(tx, ctx, report, 'request_info', who, {
        note: action.text,
        visibility: 'public',
        update: { dueKind: 'citizen_reply', dueAt: dueFor(ctx, 'citizen_reply', now), escalatedAt: null },
      });
      await setAwaitingReply(tx, report);
      await notifyCitizen(tx, report, 'officerQuestion', {
        agency: name,
        trackingId: report.trackingId,
        text: action.text,
      });
      break;
    }
    case 'reply':
      report = await transition(tx, ctx, report, 'follow_up', who, {
        note: action.text,
        visibility: 'public',
        update: { dueKind: 'citizen_reply', dueAt: dueFor(ctx, 'citizen_reply', now), escalatedAt: null },
      });
      // The citizen may answer the follow-up in the chat: that answer joins the report and
      // stops the auto-close clock (instead of starting a new report).
      await setAwaitingReply(tx, report);
      await notifyCitizen(tx, report, 'officerReply', {
        agency: name,
        trackingId: report.trackingId,
        text: action.text,
      });
      break;
    case 'resolve':
      report = await transition(tx, ctx, report, 'resolve', who, { note: action.text, visibility: 'public' });
      await clearAwaitingReply(tx, report);
      await notifyCitizen(tx, report, 'resolved', {
        agency: name,
        trackingId: report.trackingId,
        text: action.text,
      });
      await askForRating(tx, ctx, report);
      await learnFrom(tx, ctx, report, report.agencyCode, 'resolved');
      break;
    case 'postpone':
      report = await transition(tx, ctx, report, 'postpone', who, {
        note: action.text,
        visibility: 'public',
        update: { dueAt: null, dueKind: null, escalatedAt: null },
      });
      await notifyCitizen(tx, report, 'postponed', {
        agency: name,
        trackingId: report.trackingId,
        text: action.text,
      });
      break;
    case 'resume':
      report = await transition(tx, ctx, report, 'resume', who, {
        visibility: 'public',
        update: { dueKind: 'response', dueAt: dueFor(ctx, 'response', now), escalatedAt: null },
      });
      await notifyCitizen(tx, report, 'resumed', {
        agency: name,
        trackingId: report.trackingId,
        dueDate: formatDate(asLocale(report.locale), report.dueAt ?? now),
      });
      break;
    case 'archive':
      report = await transition(tx, ctx, report, 'archive', who, { note: action.reason });
      await clearAwaitingReply(tx, report);
      break;
    case 'forward':
      report = await forward(tx, ctx, report, actor, action.agencyCode, action.reason);
      return report;
  }
  await notifyDesk(tx, ctx, report.agencyCode, {
    kind: 'report_update',
    reportId,
    note: `${STATUS_LABELS[report.status].id}${'text' in action && action.text ? `: ${action.text}` : ''}`,
  });
  return report;
}

async function setAwaitingReply(tx: Tx, report: ReportRow): Promise<void> {
  const conversation = await convos.lockConversation(tx, report.conversationId);
  const state = { ...(conversation.state as object), awaitingReply: { trackingId: report.trackingId } };
  await convos.saveState(tx, conversation.id, state, conversation.locale);
}

/** A closed report expects no answer: the citizen's next message starts afresh. */
async function clearAwaitingReply(tx: Tx, report: ReportRow): Promise<void> {
  const conversation = await convos.lockConversation(tx, report.conversationId);
  const state = conversation.state as { awaitingReply?: { trackingId: string } } | null;
  if (state?.awaitingReply?.trackingId !== report.trackingId) return;
  const { awaitingReply: _, ...rest } = state;
  await convos.saveState(tx, conversation.id, rest, conversation.locale);
}

/** Records a routing example (learned routing trains on them; see core/routing/learned.ts). */
async function learnFrom(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  agencyCode: string,
  source: RoutingExampleSource,
): Promise<void> {
  if (agencyCode === ADMIN_AGENCY) return;
  await recordRoutingExample(tx, {
    reportId: report.id,
    text: report.description,
    category: report.category,
    regionCode: report.regionCode,
    agencyCode,
    source,
    createdAt: ctx.clock(),
  });
}

async function forward(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  actor: Actor,
  target: string,
  reason: string,
): Promise<ReportRow> {
  const agency = await reports.findAgency(tx, target);
  if (!agency)
    throw new LaporError('LAPOR_ERR_UNKNOWN_AGENCY', `Instansi ${target} tidak ada di direktori.`, {
      agencyCode: target,
    });
  if (agency.code === report.agencyCode) {
    throw new LaporError(
      'LAPOR_ERR_BAD_REQUEST',
      `Laporan ${report.trackingId} sudah berada di ${agency.name}.`,
    );
  }
  const who = { role: actor.role, id: actor.id } as const;
  const previous = { agency: report.agencyCode, channel: report.slackChannel, ts: report.slackTs };
  const history = await reports.listEvents(tx, report.id);
  const visited = new Set(history.filter((e) => e.action === 'dispatch').map((e) => e.agencyCode));
  let next = report;
  if (next.status === 'diterima') next = await transition(tx, ctx, next, 'verify', who, { note: reason });
  else if (next.status !== 'terverifikasi') {
    next = await transition(tx, ctx, next, 'forward', who, {
      note: reason,
      update: { forwardCount: report.forwardCount + 1 },
    });
  }
  // The lifecycle lets only the system or an admin dispatch: an officer's forward is dispatched
  // by the system to the agency the officer named (the forward event above records who asked).
  const dispatcher = actor.role === 'admin' ? who : ({ role: 'system' } as const);
  next = await dispatchTo(tx, ctx, next, agency.code, dispatcher, reason);
  // The officer knows better than the router: this text belongs to that agency.
  await learnFrom(tx, ctx, next, agency.code, 'forward');
  const locale = asLocale(report.locale);
  await notifyCitizen(tx, next, 'forwarded', {
    trackingId: next.trackingId,
    agency: agency.name,
    dueDate: formatDate(locale, next.dueAt ?? ctx.clock()),
  });
  if (previous.channel && previous.ts) {
    await notifyDesk(tx, ctx, previous.agency, {
      kind: 'report_moved',
      reportId: report.id,
      channel: previous.channel,
      ts: previous.ts,
      note: `Diteruskan ke ${agency.name}: ${reason}`,
    });
  }
  if (visited.has(agency.code)) {
    // A -> B -> A: somebody disagrees about competence; the national desk must decide.
    await reports.addEvent(tx, {
      reportId: report.id,
      at: ctx.clock(),
      actorRole: 'system',
      action: 'forward_loop',
      agencyCode: agency.code,
      visibility: 'internal',
      note: `Forwarding loop back to ${agency.code}`,
    });
    await notifyDesk(tx, ctx, ADMIN_AGENCY, {
      kind: 'admin_alert',
      reportId: report.id,
      note: `Disposisi berputar: laporan kembali ke ${agency.name}. Mohon putuskan instansi yang berwenang.`,
    });
  }
  return next;
}

/** The citizen answered (after an officer's question or follow-up): attach it to the report. */
export async function citizenReply(
  tx: Tx,
  ctx: CoreContext,
  trackingId: string,
  message: { text: string; media: { kind: string; ref: string }[] },
): Promise<{ closed: boolean; report: ReportRow | null }> {
  const found = await reports.findReportByTrackingId(tx, trackingId);
  if (!found) return { closed: false, report: null };
  const report = await reports.lockReport(tx, found.id);
  if (TERMINAL_STATUSES.has(report.status)) return { closed: true, report };
  const now = ctx.clock();
  const next = await transition(
    tx,
    ctx,
    report,
    'citizen_reply',
    { role: 'citizen' },
    {
      note: message.text,
      visibility: 'public',
      update:
        report.dueKind === 'citizen_reply'
          ? // Before verification the national desk owes the next step, afterwards the agency.
            report.status === 'diterima' || report.status === 'terverifikasi'
            ? { dueKind: 'verification', dueAt: dueFor(ctx, 'verification', now), escalatedAt: null }
            : { dueKind: 'response', dueAt: dueFor(ctx, 'response', now), escalatedAt: null }
          : {},
    },
  );
  if (message.media.length) {
    await convos.addAttachments(
      tx,
      message.media.map((m) => ({ reportId: report.id, channel: report.channel, kind: m.kind, ref: m.ref })),
    );
  }
  await notifyDesk(tx, ctx, report.agencyCode, {
    kind: 'citizen_message',
    reportId: report.id,
    text: message.text,
  });
  return { closed: false, report: next };
}

/** The citizen-facing status of a report: status, agency, latest public event. No personal data. */
export async function statusOf(tx: Tx, trackingId: string, locale: Locale) {
  const report = await reports.findReportByTrackingId(tx, trackingId);
  if (!report) return null;
  const events = await reports.listEvents(tx, report.id, 'public');
  const last = events.at(-1);
  return {
    trackingId: report.trackingId,
    status: STATUS_LABELS[report.status][locale],
    agency: await agencyName(tx, report.agencyCode),
    lastEvent: last
      ? `${formatDate(locale, last.at)}${last.note ? ` — ${last.note.slice(0, 160)}` : ''}`
      : '-',
  };
}

const DUE_KIND_LABELS: Record<string, string> = {
  verification: 'verifikasi',
  response: 'tanggapan',
  citizen_reply: 'jawaban pelapor',
};

/**
 * One pass of the SLA clock: every report past its deadline is escalated once (admin desk
 * alert, apology to the citizen), and reports silent for the auto-close period after a
 * follow-up are closed as selesai.
 */
export async function runSlaTick(
  ctx: CoreContext,
  limit = 200,
): Promise<{ escalated: number; closed: number }> {
  const now = ctx.clock();
  const due = await ctx.db.prisma.$transaction((tx) => reports.overdueReports(tx, now, limit));
  let escalated = 0;
  let closed = 0;
  for (const candidate of due) {
    // One report's failure must not hold up the others (they are taken oldest first, so a
    // report that always fails would otherwise block every later one on every tick).
    await ctx.db.prisma
      .$transaction(async (tx) => {
        if (!candidate.dueAt) return;
        // Same lock order as the intake and officer actions: conversation, then report.
        await convos.lockConversation(tx, candidate.conversationId);
        if (!(await reports.claimEscalation(tx, candidate.id, candidate.dueAt, now))) return;
        const report = await reports.lockReport(tx, candidate.id);
        const name = await agencyName(tx, report.agencyCode);
        // Auto-close exists only for ditindaklanjuti (lifecycle table); a report waiting for the
        // citizen in another status (an admin's question before verification) is escalated.
        if (report.dueKind === 'citizen_reply' && report.status === 'ditindaklanjuti') {
          const next = await transition(
            tx,
            ctx,
            report,
            'auto_close',
            { role: 'system' },
            {
              visibility: 'public',
              note: `Tidak ada tanggapan pelapor selama ${ctx.sla.autoCloseDays} hari kerja`,
            },
          );
          await clearAwaitingReply(tx, next);
          await notifyCitizen(tx, next, 'autoClosed', {
            trackingId: report.trackingId,
            days: ctx.sla.autoCloseDays,
          });
          await notifyDesk(tx, ctx, report.agencyCode, {
            kind: 'report_update',
            reportId: report.id,
            note: 'Ditutup otomatis (pelapor tidak menanggapi)',
          });
          closed++;
          return;
        }
        const late = Math.max(1, ctx.calendar.workingDaysBetween(report.dueAt ?? now, now));
        await reports.addEvent(tx, {
          reportId: report.id,
          at: now,
          actorRole: 'system',
          action: 'escalate',
          agencyCode: report.agencyCode,
          visibility: 'internal',
          note: `Melewati batas ${DUE_KIND_LABELS[report.dueKind ?? 'response'] ?? 'tanggapan'} (${late} hari kerja)`,
          data: { dueKind: report.dueKind, dueAt: report.dueAt?.toISOString() },
        });
        await notifyDesk(tx, ctx, ADMIN_AGENCY, {
          kind: 'admin_alert',
          reportId: report.id,
          note: `SLA terlewati: ${report.trackingId} di ${name} (${report.dueKind}, terlambat ${late} hari kerja)`,
        });
        // The apology is for our side's delay, not for a citizen who has not answered yet.
        if (report.dueKind !== 'citizen_reply') {
          await notifyCitizen(tx, report, 'overdue', { trackingId: report.trackingId, agency: name });
        }
        escalated++;
      })
      .catch((error: unknown) => {
        ctx.logger.error({ err: error, reportId: candidate.id }, 'SLA tick failed for a report; continuing');
      });
  }
  if (escalated || closed) ctx.onOutbox();
  return { escalated, closed };
}
