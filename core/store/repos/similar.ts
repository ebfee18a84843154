/** "Laporan serupa": the LSH band keys of each report, and the look-ups that find look-alikes. */
import type { ReportStatus } from '../../lifecycle/index.ts';
import type { Tx } from '../tx.ts';
import type { ReportRow } from './reports.ts';

/** Band rows read per look-up at most: a key shared by thousands of reports says little. */
const MAX_BAND_HITS = 5000;

export async function addBands(tx: Tx, reportId: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await tx.reportBand.createMany({ data: keys.map((band) => ({ band, reportId })), skipDuplicates: true });
}

export interface CandidateQuery {
  keys: string[];
  /** Only reports filed after this. */
  since: Date;
  /** Statuses a report may not have (closed ones). */
  closed: readonly ReportStatus[];
  /** The same agency, or (when given) the same kabupaten/kota code prefix ("33.03"). */
  agencyCode: string;
  regencyCode: string | null;
  excludeId: string;
  limit: number;
}

/**
 * Open reports that share at least one band key with the new one, most shared keys first (then
 * oldest first: the cluster's first report is the one to link to).
 */
export async function findCandidates(tx: Tx, q: CandidateQuery): Promise<ReportRow[]> {
  if (!q.keys.length) return [];
  const hits = await tx.reportBand.findMany({
    where: {
      band: { in: q.keys },
      reportId: { not: q.excludeId },
      report: {
        createdAt: { gt: q.since },
        status: { notIn: [...q.closed] },
        OR: [
          { agencyCode: q.agencyCode },
          ...(q.regencyCode ? [{ regionCode: { startsWith: q.regencyCode } }] : []),
        ],
      },
    },
    select: { reportId: true },
    take: MAX_BAND_HITS,
  });
  const shared = new Map<string, number>();
  for (const h of hits) shared.set(h.reportId, (shared.get(h.reportId) ?? 0) + 1);
  const ids = [...shared]
    .sort((a, b) => b[1] - a[1])
    .slice(0, q.limit)
    .map(([id]) => id);
  if (!ids.length) return [];
  const rows = (await tx.report.findMany({ where: { id: { in: ids } } })) as ReportRow[];
  return rows.sort(
    (a, b) =>
      (shared.get(b.id) ?? 0) - (shared.get(a.id) ?? 0) || a.createdAt.getTime() - b.createdAt.getTime(),
  );
}

/** The first report of a cluster and every report linked to it, oldest first. */
export async function listCluster(tx: Tx, mainId: string): Promise<ReportRow[]> {
  return (await tx.report.findMany({
    where: { OR: [{ id: mainId }, { similarTo: mainId }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  })) as ReportRow[];
}
