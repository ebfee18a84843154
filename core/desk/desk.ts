/**
 * The officers' desk as core use cases, for any officer surface (the Slack adapter today):
 * who may act on a report from where (authorisation and the moved-report rule), acting on it in
 * one transaction with the desk's confirmation, the card and history an officer sees (privacy
 * masking applied here, so no surface can forget it), finding a report by its thread, attaching
 * a thread, and searching agencies to forward to. A surface brings only what it alone knows:
 * whether a user is a member of a channel.
 *
 * @example
 * ```ts
 * const desk = createDesk(ctx);
 * const auth = await desk.authorise({ reportId, expectedAgency, channel, user, isMember: (c) => member(c, user) });
 * if (auth.ok) await desk.act(auth, { type: 'resolve', text: 'Jalan sudah diperbaiki.' }, { sent: 'resolve' });
 * ```
 */
import { isLaporError, type LaporError } from '../errors.ts';
import { recordRejection } from '../intake/rejections.ts';
import { deskChannelFor } from '../messaging/index.ts';
import type { CoreContext } from '../reports/context.ts';
import { type Actor, actOnReport, type OfficerAction } from '../reports/officer.ts';
import * as outbox from '../store/repos/outbox.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import type { ReporterIdentity } from './privacy.ts';
import { textForDesk } from './privacy.ts';

export type { Actor, OfficerAction, ReportRow };

/** What went to the citizen with an officer's action, for the desk's confirmation line. */
export type SentKind = 'request_info' | 'reply' | 'resolve' | 'postpone';

/** Everything a report's card shows. `reporter` is only loaded for `biasa` reports. */
export interface ReportCard {
  /** The report; for confidential reports its description is already masked. */
  report: ReportRow;
  agencyName: string;
  reporter: ReporterIdentity | null;
  /** Role of the channel that holds the card: decides which actions are offered. */
  role: 'officer' | 'admin';
}

/** One event of a report's history (notes masked for confidential reports). */
export interface HistoryEvent {
  at: Date;
  actorRole: string;
  actorId: string | null;
  action: string;
  toStatus: string | null;
  agencyCode: string | null;
  note: string | null;
  visibility: string;
}

/** Why the desk refused; surfaces word it with the `refusals` labels (core/desk/labels.ts). */
export type Refusal =
  | { reason: 'notFound' }
  | { reason: 'moved'; trackingId: string; agencyName: string }
  | { reason: 'notMember'; trackingId: string; deskChannel: string };

export type Authorisation =
  | { ok: true; actor: Actor; report: ReportRow; deskChannel: string }
  | ({ ok: false } & Refusal);

export interface AuthoriseRequest {
  reportId: string;
  /** The agency the button or thread was drawn for; the report may have moved on since. */
  expectedAgency: string;
  /** The desk channel the request came from. */
  channel: string;
  /** The surface's id of the officer (Slack user id); recorded on every event. */
  user: string;
  /** Whether the requesting user is a member of a channel (the surface knows; may be cached). */
  isMember: (channel: string) => Promise<boolean>;
}

export type ActResult =
  | { ok: true; duplicate: boolean; report: ReportRow | null }
  | { ok: false; error: LaporError };

export interface ActExtra {
  /** The action sent something to the citizen: the desk confirms it in the report's thread. */
  sent?: SentKind;
  /** The text that went to the citizen. */
  text?: string;
  /** A thread message, recorded once by its id (a redelivered event does nothing). */
  record?: { externalId: string; text: string };
}

export interface Desk {
  readonly adminChannel: string;
  /** The national admin channel acts as admin; every other channel as its agency's officers. */
  roleOf(channel: string): 'officer' | 'admin';
  /** Who may act on a report from a channel; refuses a report that moved to another agency. */
  authorise(request: AuthoriseRequest): Promise<Authorisation>;
  /** Who may see a report (by tracking id): members of its desk channel or of the admin channel. */
  authoriseView(
    trackingId: string,
    isMember: (channel: string) => Promise<boolean>,
  ): Promise<{ ok: true; report: ReportRow; deskChannel: string } | ({ ok: false } & Refusal)>;
  /** Runs one officer action through core, with the desk's confirmation, in one transaction. */
  act(
    auth: Extract<Authorisation, { ok: true }>,
    action: OfficerAction,
    extra?: ActExtra,
  ): Promise<ActResult>;
  report(reportId: string): Promise<ReportRow | null>;
  /** The report whose current thread this is, if any. */
  findByThread(channel: string, threadTs: string): Promise<ReportRow | null>;
  /** Remembers the thread where a report's root message now lives. */
  attachThread(reportId: string, channel: string, threadTs: string): Promise<void>;
  /** The channel where the officers of the report's agency work now. */
  deskChannelOf(report: ReportRow): Promise<string>;
  /** The card as the channel `holder` shows it, masked for confidential reports. */
  card(report: ReportRow, holder: string): Promise<ReportCard>;
  /** The report's whole history, masked, with the names of the agencies it names. */
  history(report: ReportRow): Promise<{ events: HistoryEvent[]; agencyNames: Map<string, string> }>;
  /** Where a forwarded report came from and why (null when it was never forwarded). */
  forwardedFrom(report: ReportRow): Promise<{ agencyName: string; reason: string | null } | null>;
  /** True when the latest status-bearing event kept the status (a second reply to the citizen). */
  statusUnchanged(report: ReportRow): Promise<boolean>;
  /** Agencies whose name has all the words of `query`, for forwarding. */
  searchAgencies(query: string, exclude: string[]): Promise<{ code: string; name: string }[]>;
  /** Records a signed desk request of the wrong shape (channel and reason, never the body). */
  rejected(channel: string, reason: string): Promise<void>;
}

/** Builds the desk use cases. `ctx.desk` must be set (it names the admin channel). */
export function createDesk(ctx: CoreContext): Desk {
  const adminChannel = ctx.desk?.adminChannel ?? '';
  const db = ctx.db;
  const roleOf = (channel: string) => (channel === adminChannel ? ('admin' as const) : ('officer' as const));
  const agencyName = async (tx: Tx, code: string) => (await reports.findAgency(tx, code))?.name ?? code;
  const deskChannelIn = async (tx: Tx, report: ReportRow) =>
    (await deskChannelFor(tx, ctx, report.agencyCode)) ?? adminChannel;

  const masked = (report: ReportRow): ReportRow =>
    report.privacy === 'biasa'
      ? report
      : { ...report, description: textForDesk(report.privacy, report.description) };

  return {
    adminChannel,
    roleOf,

    async authorise({ reportId, expectedAgency, channel, user, isMember }) {
      const found = await db.prisma.$transaction(async (tx) => {
        const report = await reports.findReport(tx, reportId);
        if (!report) return null;
        return {
          report,
          deskChannel: await deskChannelIn(tx, report),
          agencyName: await agencyName(tx, report.agencyCode),
        };
      });
      if (!found) return { ok: false, reason: 'notFound' };
      const { report, deskChannel } = found;
      // The moved-report rule: a button or thread drawn for an agency that no longer has the report.
      if (report.agencyCode !== expectedAgency)
        return { ok: false, reason: 'moved', trackingId: report.trackingId, agencyName: found.agencyName };
      if (channel === adminChannel && (await isMember(adminChannel)))
        return { ok: true, actor: { role: 'admin', id: user }, report, deskChannel };
      if (channel === deskChannel && (await isMember(deskChannel)))
        return {
          ok: true,
          actor: { role: 'officer', id: user, agencyCode: report.agencyCode },
          report,
          deskChannel,
        };
      return { ok: false, reason: 'notMember', trackingId: report.trackingId, deskChannel };
    },

    async authoriseView(trackingId, isMember) {
      const found = await db.prisma.$transaction(async (tx) => {
        const report = await reports.findReportByTrackingId(tx, trackingId);
        if (!report) return null;
        return { report, deskChannel: await deskChannelIn(tx, report) };
      });
      if (!found) return { ok: false, reason: 'notFound' };
      const { report, deskChannel } = found;
      const allowed =
        (await isMember(deskChannel)) || (deskChannel !== adminChannel && (await isMember(adminChannel)));
      if (!allowed) return { ok: false, reason: 'notMember', trackingId: report.trackingId, deskChannel };
      return { ok: true, report, deskChannel };
    },

    async act(auth, action, extra = {}) {
      try {
        const outcome = await db.prisma.$transaction(async (tx) => {
          if (extra.record) {
            const fresh = await reports.recordDeskMessage(tx, {
              reportId: auth.report.id,
              externalId: extra.record.externalId,
              text: extra.record.text,
              at: ctx.clock(),
              data: { kind: extra.sent ? 'citizen_reply' : 'note', user: auth.actor.id },
            });
            if (!fresh) return { duplicate: true, report: null };
          }
          const after = await actOnReport(tx, ctx, auth.report.id, auth.actor, action);
          if (extra.sent && extra.text) {
            await outbox.enqueue(tx, {
              channel: 'slack',
              address: after.slackChannel ?? auth.deskChannel,
              payload: {
                kind: 'desk_sent',
                reportId: after.id,
                sent: extra.sent,
                actorId: auth.actor.id,
                text: extra.text,
              },
              reportId: after.id,
            });
          }
          return { duplicate: false, report: after };
        });
        ctx.onOutbox();
        return { ok: true, ...outcome };
      } catch (error) {
        if (isLaporError(error)) return { ok: false, error };
        throw error;
      }
    },

    report: (reportId) => db.prisma.$transaction((tx) => reports.findReport(tx, reportId)),

    findByThread: (channel, threadTs) =>
      db.prisma.$transaction((tx) => reports.findReportBySlackThread(tx, channel, threadTs)),

    async attachThread(reportId, channel, threadTs) {
      await db.prisma.$transaction((tx) =>
        reports.updateReport(tx, reportId, { slackChannel: channel, slackTs: threadTs }),
      );
    },

    deskChannelOf: (report) => db.prisma.$transaction((tx) => deskChannelIn(tx, report)),

    card: (report, holder) =>
      db.prisma.$transaction(async (tx) => ({
        report: masked(report),
        agencyName: await agencyName(tx, report.agencyCode),
        // A confidential report's identity is never even read, so it cannot reach a surface.
        reporter:
          report.privacy === 'biasa' ? await reports.findReporterIdentity(tx, report.conversationId) : null,
        role: roleOf(holder),
      })),

    history: (report) =>
      db.prisma.$transaction(async (tx) => {
        const events = (await reports.listEvents(tx, report.id)).map((e) => ({
          ...e,
          note: e.note === null ? null : textForDesk(report.privacy, e.note),
        }));
        const agencyNames = new Map<string, string>();
        for (const code of new Set(events.map((e) => e.agencyCode).filter((c): c is string => !!c)))
          agencyNames.set(code, await agencyName(tx, code));
        return { events, agencyNames };
      }),

    forwardedFrom: (report) =>
      db.prisma.$transaction(async (tx) => {
        const dispatches = (await reports.listEvents(tx, report.id)).filter((e) => e.action === 'dispatch');
        const before = dispatches.at(-2)?.agencyCode;
        if (!before) return null;
        const reason = dispatches.at(-1)?.note ?? null;
        return {
          agencyName: await agencyName(tx, before),
          reason: reason === null ? null : textForDesk(report.privacy, reason),
        };
      }),

    async statusUnchanged(report) {
      const events = await db.prisma.$transaction((tx) => reports.listEvents(tx, report.id));
      const last = events.filter((e) => e.toStatus !== null && e.action !== 'citizen_reply').at(-1);
      return !!last && last.fromStatus === last.toStatus && last.toStatus === report.status;
    },

    searchAgencies: (query, exclude) =>
      db.prisma.$transaction((tx) => reports.searchAgenciesByWords(tx, query, 30, exclude)),

    rejected: (channel, reason) => recordRejection(ctx, channel, reason),
  };
}
