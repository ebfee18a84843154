/**
 * Reads for the public surfaces (status page, Open311): one report with its public history, and
 * filtered pages of reports. They return raw rows; what of them may be shown is decided in
 * core/public/report-view.ts (privacy), never here.
 */
import type { Privacy } from '../../../dialogs/types.ts';
import type { ReportStatus } from '../../lifecycle/index.ts';
import type { Tx } from '../tx.ts';

/** The columns a public view may draw from (never the citizen, conversation or Slack ids). */
export interface PublicReportRow {
  id: string;
  trackingId: string;
  type: 'pengaduan' | 'aspirasi' | 'permintaan_informasi';
  category: string;
  regionCode: string | null;
  regionName: string | null;
  latitude: number | null;
  longitude: number | null;
  privacy: Privacy;
  status: ReportStatus;
  agencyCode: string;
  agencyName: string;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  dueKind: string | null;
  closedAt: Date | null;
}

export interface PublicEventRow {
  at: Date;
  action: string;
  toStatus: ReportStatus | null;
  agencyCode: string | null;
  agencyName: string | null;
}

const PUBLIC_SELECT = {
  id: true,
  trackingId: true,
  type: true,
  category: true,
  regionCode: true,
  regionName: true,
  latitude: true,
  longitude: true,
  privacy: true,
  status: true,
  agencyCode: true,
  createdAt: true,
  updatedAt: true,
  dueAt: true,
  dueKind: true,
  closedAt: true,
  agency: { select: { name: true } },
} as const;

type Selected = Omit<PublicReportRow, 'agencyName'> & { agency: { name: string } };

function toRow(r: Selected): PublicReportRow {
  const { agency, ...rest } = r;
  return { ...rest, agencyName: agency.name };
}

/** One report by its canonical tracking ID, or null. */
export async function findPublicReport(tx: Tx, trackingId: string): Promise<PublicReportRow | null> {
  const r = await tx.report.findUnique({ where: { trackingId }, select: PUBLIC_SELECT });
  return r ? toRow(r as Selected) : null;
}

/** One report by its internal id (the Open311 token), or null. */
export async function findPublicReportById(tx: Tx, id: string): Promise<PublicReportRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await tx.report.findUnique({ where: { id }, select: PUBLIC_SELECT });
  return r ? toRow(r as Selected) : null;
}

/**
 * The public events of a report in order, with the name of the agency each concerns. Notes are
 * not read at all: they are free text (officers' and citizens' words) and may name people.
 */
export async function listPublicEvents(tx: Tx, reportId: string): Promise<PublicEventRow[]> {
  const events = await tx.reportEvent.findMany({
    where: { reportId, visibility: 'public' },
    select: { at: true, action: true, toStatus: true, agencyCode: true },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  const codes = [...new Set(events.map((e) => e.agencyCode).filter((c): c is string => !!c))];
  const agencies = codes.length
    ? await tx.agency.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } })
    : [];
  const names = new Map(agencies.map((a) => [a.code, a.name]));
  return events.map((e) => ({
    ...e,
    toStatus: e.toStatus as ReportStatus | null,
    agencyName: e.agencyCode ? (names.get(e.agencyCode) ?? e.agencyCode) : null,
  }));
}

export interface PublicReportFilter {
  trackingIds?: string[];
  categories?: string[];
  statuses?: ReportStatus[];
  from?: Date;
  to?: Date;
}

/** A page of reports, newest first, and whether another page follows. */
export async function listPublicReports(
  tx: Tx,
  filter: PublicReportFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: PublicReportRow[]; more: boolean }> {
  const rows = await tx.report.findMany({
    where: {
      ...(filter.trackingIds ? { trackingId: { in: filter.trackingIds } } : {}),
      ...(filter.categories ? { category: { in: filter.categories } } : {}),
      ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
      ...(filter.from || filter.to
        ? {
            createdAt: {
              ...(filter.from ? { gte: filter.from } : {}),
              ...(filter.to ? { lte: filter.to } : {}),
            },
          }
        : {}),
    },
    select: PUBLIC_SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    skip: page.offset,
    take: page.limit + 1,
  });
  return { rows: rows.slice(0, page.limit).map((r) => toRow(r as Selected)), more: rows.length > page.limit };
}

/** Which of these tracking IDs belong to a report (for "did you mean …?"). */
export async function existingTrackingIds(tx: Tx, trackingIds: string[]): Promise<string[]> {
  if (trackingIds.length === 0) return [];
  const rows = await tx.report.findMany({
    where: { trackingId: { in: trackingIds } },
    select: { trackingId: true },
  });
  return rows.map((r) => r.trackingId);
}
