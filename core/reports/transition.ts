import { type ActorRole, type LifecycleAction, nextStatus, TERMINAL_STATUSES } from '../lifecycle/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import type { CoreContext } from './context.ts';

export async function agencyName(tx: Tx, code: string): Promise<string> {
  return (await reports.findAgency(tx, code))?.name ?? code;
}

export function dueFor(
  ctx: CoreContext,
  kind: 'verification' | 'response' | 'citizen_reply',
  from: Date,
): Date {
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

/** The citizen may answer an officer's question or follow-up in the chat: that answer joins the report. */
export async function setAwaitingReply(tx: Tx, report: ReportRow): Promise<void> {
  const conversation = await convos.lockConversation(tx, report.conversationId);
  const state = { ...(conversation.state as object), awaitingReply: { trackingId: report.trackingId } };
  await convos.saveState(tx, conversation.id, state, conversation.locale);
}

/** A closed report expects no answer: the citizen's next message starts afresh. */
export async function clearAwaitingReply(tx: Tx, report: ReportRow): Promise<void> {
  const conversation = await convos.lockConversation(tx, report.conversationId);
  const state = conversation.state as { awaitingReply?: { trackingId: string } } | null;
  if (state?.awaitingReply?.trackingId !== report.trackingId) return;
  const { awaitingReply: _, ...rest } = state;
  await convos.saveState(tx, conversation.id, rest, conversation.locale);
}
