/** Reports, their audit trail (report events) and the agency directory reads they need. */

import { randomBytes } from 'node:crypto';
import type { Privacy } from '../../../dialogs/types.ts';
import type { ReportStatus } from '../../lifecycle/index.ts';
import type { Tx } from '../tx.ts';
import { isUniqueViolation } from '../tx.ts';

export type { ReportStatus };

export interface ReportRow {
  id: string;
  trackingId: string;
  type: 'pengaduan' | 'aspirasi' | 'permintaan_informasi';
  category: string;
  description: string;
  regionCode: string | null;
  regionName: string | null;
  latitude: number | null;
  longitude: number | null;
  privacy: Privacy;
  status: ReportStatus;
  agencyCode: string;
  citizenId: string;
  conversationId: string;
  channel: string;
  locale: string;
  classifierConfidence: number | null;
  routeReason: string | null;
  dueAt: Date | null;
  dueKind: string | null;
  escalatedAt: Date | null;
  forwardCount: number;
  slackChannel: string | null;
  slackTs: string | null;
  /** "Laporan serupa": the first report of the cluster this one is linked to. */
  similarTo?: string | null;
  /** The description's stems, space-separated (for "laporan serupa"). */
  textStems?: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface AgencyRow {
  code: string;
  name: string;
  kind: string;
  level: string;
  regionCode: string | null;
  parentCode: string | null;
  officerChannel: string | null;
}

export type NewReport = Omit<
  ReportRow,
  'id' | 'status' | 'escalatedAt' | 'forwardCount' | 'slackChannel' | 'slackTs' | 'createdAt' | 'closedAt'
> & {
  status: ReportStatus;
  createdAt: Date;
};

export async function insertReport(tx: Tx, data: NewReport): Promise<ReportRow | null> {
  try {
    return (await tx.report.create({ data })) as ReportRow;
  } catch (error) {
    // A tracking ID collision (about 1 in a million at scale): the caller draws another.
    if (isUniqueViolation(error, 'tracking_id') || isUniqueViolation(error, 'trackingId')) return null;
    throw error;
  }
}

export async function trackingIdTaken(tx: Tx, trackingId: string): Promise<boolean> {
  return (await tx.report.count({ where: { trackingId } })) > 0;
}

export async function findReportByTrackingId(tx: Tx, trackingId: string): Promise<ReportRow | null> {
  return (await tx.report.findUnique({ where: { trackingId } })) as ReportRow | null;
}

export async function findReport(tx: Tx, id: string): Promise<ReportRow | null> {
  return (await tx.report.findUnique({ where: { id } })) as ReportRow | null;
}

export async function findReportBySlackThread(
  tx: Tx,
  channel: string,
  ts: string,
): Promise<ReportRow | null> {
  return (await tx.report.findFirst({ where: { slackChannel: channel, slackTs: ts } })) as ReportRow | null;
}

/** Locks the report row for a status change (officer actions, scheduler) in this transaction. */
export async function lockReport(tx: Tx, id: string): Promise<ReportRow> {
  await tx.$executeRawUnsafe('select 1 from reports where id = $1 for update', id);
  return (await tx.report.findUniqueOrThrow({ where: { id } })) as ReportRow;
}

export async function updateReport(tx: Tx, id: string, data: Partial<Omit<ReportRow, 'id'>>): Promise<void> {
  await tx.report.update({ where: { id }, data });
}

export interface NewEvent {
  reportId: string;
  at: Date;
  actorRole: string;
  actorId?: string | null;
  action: string;
  fromStatus?: ReportStatus | null;
  toStatus?: ReportStatus | null;
  agencyCode?: string | null;
  note?: string | null;
  visibility: 'public' | 'internal';
  data?: object;
}

let lastEventMs = 0;
let eventSeq = 0;

/**
 * A time-ordered UUID (version 7) for report events, strictly increasing within this process.
 * Events of one transaction share their `at` (the domain clock), so `at` alone cannot order
 * them; a random v4 id as tie-breaker put "file", "verify" and "dispatch" in random order, and
 * with them the citizen's "latest update" in a status reply.
 */
export function nextEventId(): string {
  const now = Date.now();
  if (now > lastEventMs) {
    lastEventMs = now;
    eventSeq = 0;
  } else if (++eventSeq > 0xfff) {
    lastEventMs++;
    eventSeq = 0;
  }
  const rand = randomBytes(8);
  const hex =
    lastEventMs.toString(16).padStart(12, '0') +
    (0x7000 | eventSeq).toString(16) +
    ((rand[0]! & 0x3f) | 0x80).toString(16).padStart(2, '0') +
    rand.subarray(1).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function addEvent(tx: Tx, event: NewEvent): Promise<void> {
  await tx.reportEvent.create({
    data: {
      id: nextEventId(),
      reportId: event.reportId,
      at: event.at,
      actorRole: event.actorRole,
      actorId: event.actorId ?? null,
      action: event.action,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      agencyCode: event.agencyCode ?? null,
      note: event.note ?? null,
      visibility: event.visibility,
      data: event.data ?? {},
    },
  });
}

export async function listEvents(tx: Tx, reportId: string, visibility?: 'public') {
  return tx.reportEvent.findMany({
    where: { reportId, ...(visibility ? { visibility } : {}) },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
}

export async function findAgency(tx: Tx, code: string): Promise<AgencyRow | null> {
  return tx.agency.findUnique({
    where: { code },
    select: {
      code: true,
      name: true,
      kind: true,
      level: true,
      regionCode: true,
      parentCode: true,
      officerChannel: true,
    },
  });
}

export async function setOfficerChannel(tx: Tx, code: string, channel: string | null): Promise<boolean> {
  const r = await tx.agency.updateMany({ where: { code }, data: { officerChannel: channel } });
  return r.count === 1;
}

export async function listAgenciesWithChannel(tx: Tx) {
  return tx.agency.findMany({
    where: { officerChannel: { not: null } },
    select: { code: true, name: true, officerChannel: true },
  });
}

export async function searchAgencies(tx: Tx, query: string, limit: number) {
  const q = query.trim();
  return tx.agency.findMany({
    where: q
      ? {
          OR: [
            { name: { contains: q, mode: 'insensitive' } },
            { code: { contains: q, mode: 'insensitive' } },
          ],
        }
      : {},
    select: { code: true, name: true },
    orderBy: [{ level: 'asc' }, { name: 'asc' }],
    take: limit,
  });
}

/** Reports whose current deadline has passed and that were not escalated for it yet. */
export async function overdueReports(tx: Tx, now: Date, limit: number): Promise<ReportRow[]> {
  return (await tx.report.findMany({
    where: { dueAt: { lt: now }, escalatedAt: null, status: { notIn: ['selesai', 'diarsipkan'] } },
    orderBy: { dueAt: 'asc' },
    take: limit,
  })) as ReportRow[];
}

/** Marks the current deadline escalated; false if another worker did it first (escalate once). */
export async function claimEscalation(tx: Tx, id: string, dueAt: Date, now: Date): Promise<boolean> {
  const r = await tx.report.updateMany({
    where: { id, escalatedAt: null, dueAt },
    data: { escalatedAt: now },
  });
  return r.count === 1;
}

/** Reports one citizen filed after `since` (the per-sender flood limit). */
export async function countReportsByCitizenSince(tx: Tx, citizenId: string, since: Date): Promise<number> {
  return tx.report.count({ where: { citizenId, createdAt: { gt: since } } });
}

/** The directory facts of an agency (what the seed writes and routing reads), without operator edits. */
export const AGENCY_FACTS = {
  code: true,
  name: true,
  kind: true,
  level: true,
  regionCode: true,
  parentCode: true,
  unit: true,
  categories: true,
  aliases: true,
} as const;

export async function loadAgencyDirectory(tx: Tx) {
  return tx.agency.findMany({ where: { active: true }, select: AGENCY_FACTS, orderBy: { code: 'asc' } });
}

// ---- Slack desk (bots/slack) -------------------------------------------------------------

/**
 * The reporter behind a report's conversation: display name and channel address. Only the desk
 * renderer of `biasa` reports may show it (masked); confidential reports never ask for it.
 */
export async function findReporterIdentity(
  tx: Tx,
  conversationId: string,
): Promise<{ displayName: string | null; channel: string; address: string } | null> {
  const row = await tx.conversation.findUnique({
    where: { id: conversationId },
    select: { channel: true, address: true, citizen: { select: { displayName: true } } },
  });
  return row ? { displayName: row.citizen.displayName, channel: row.channel, address: row.address } : null;
}

/**
 * Records a message an officer wrote in a report's Slack thread, once: (channel 'slack',
 * externalId) is unique, so an Events API retry of the same message returns false and the
 * caller does nothing twice (a `!balas` must never reach the citizen twice). Stored as an
 * `activity` row of the report, outside any citizen conversation.
 */
export async function recordDeskMessage(
  tx: Tx,
  message: { reportId: string; externalId: string; text: string; at: Date; data?: object },
): Promise<boolean> {
  const rows = await tx.message.createManyAndReturn({
    data: [
      {
        reportId: message.reportId,
        direction: 'activity',
        channel: 'slack',
        externalId: message.externalId,
        text: message.text,
        payload: message.data ?? {},
        processedAt: message.at,
        createdAt: message.at,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  return rows.length === 1;
}

/** Agency code, name and own Slack channel (not the inherited one), for the admin API. */
export async function findAgencyChannel(
  tx: Tx,
  code: string,
): Promise<{ code: string; name: string; officerChannel: string | null } | null> {
  return tx.agency.findUnique({ where: { code }, select: { code: true, name: true, officerChannel: true } });
}

/**
 * Active agencies whose name or code contains every word of the query (case-insensitive), for
 * the desk's "forward to" menu: "dishub purbalingga" finds Dinas Perhubungan Kabupaten Purbalingga.
 */
export async function searchAgenciesByWords(
  tx: Tx,
  query: string,
  limit: number,
  exclude: string[] = [],
): Promise<{ code: string; name: string }[]> {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 6);
  return tx.agency.findMany({
    where: {
      active: true,
      ...(exclude.length ? { code: { notIn: exclude } } : {}),
      AND: words.map((w) => ({
        OR: [
          { name: { contains: w, mode: 'insensitive' as const } },
          { code: { contains: w, mode: 'insensitive' as const } },
        ],
      })),
    },
    select: { code: true, name: true },
    orderBy: [{ level: 'asc' }, { name: 'asc' }],
    take: limit,
  });
}
