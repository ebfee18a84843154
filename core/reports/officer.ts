import { formatDate } from '../../dialogs/texts.ts';
import { LaporError } from '../errors.ts';
import { STATUS_LABELS } from '../lifecycle/index.ts';
import { asLocale, notifyCitizen, notifyDesk } from '../messaging/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import { type RoutingExampleSource, recordRoutingExample } from '../store/repos/routing-examples.ts';
import type { Tx } from '../store/tx.ts';
import { ADMIN_AGENCY, type CoreContext } from './context.ts';
import { dispatchTo } from './file.ts';
import { askForRating } from './rating.ts';
import { agencyName, clearAwaitingReply, dueFor, setAwaitingReply, transition } from './transition.ts';

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
