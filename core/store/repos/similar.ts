/** "Laporan serupa": the LSH band keys of each report, and the look-ups that find look-alikes. */
import type { ReportStatus } from '../../lifecycle/index.ts';
import type { Tx } from '../tx.ts';
import type { ReportRow } from './reports.ts';

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
  /**
   * Store `keys` as the bands of report `excludeId` in the same statement (one round trip less
   * at filing; the look-up does not see them, and it excludes that report anyway).
   */
  store?: boolean;
}

export interface Candidate {
  id: string;
  trackingId: string;
  description: string;
  regionCode: string | null;
  agencyCode: string;
  similarTo: string | null;
  textStems: string | null;
}

/**
 * Open reports that share at least one band key with the new one, most shared keys first (then
 * oldest first: the cluster's first report is the one to link to). One indexed query: the band
 * keys lead to the reports, whatever the number of open reports.
 */
export async function findCandidates(tx: Tx, q: CandidateQuery): Promise<Candidate[]> {
  if (!q.keys.length) return [];
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    // Shared keys are counted on the band index alone (index-only scan), then only the best
    // few hundred reports are joined and filtered.
    `with stored as (
       insert into report_bands (band, report_id)
       select k, $2 from unnest($8::text[]) as k
       on conflict do nothing),
     hits as (
       select report_id, count(*)::int as shared
         from report_bands
        where band = any($1::text[]) and report_id <> $2
        group by report_id
        order by shared desc
        limit 500)
     select r.id, r.tracking_id, r.description, r.region_code, r.agency_code, r.similar_to, r.text_stems,
            h.shared
       from hits h
       join reports r on r.id = h.report_id
      where r.created_at > $3
        and r.status::text <> all($4::text[])
        and (r.agency_code = $5 or ($6::text is not null and r.region_code like $6::text || '%'))
      order by h.shared desc, r.created_at asc
      limit $7`,
    q.keys,
    q.excludeId,
    q.since,
    [...q.closed],
    q.agencyCode,
    q.regencyCode,
    q.limit,
    q.store ? q.keys : [],
  );
  return rows.map((r) => ({
    id: String(r.id),
    trackingId: String(r.tracking_id),
    description: String(r.description),
    regionCode: r.region_code == null ? null : String(r.region_code),
    agencyCode: String(r.agency_code),
    similarTo: r.similar_to == null ? null : String(r.similar_to),
    textStems: r.text_stems == null ? null : String(r.text_stems),
  }));
}

/** One report's fields as `findCandidates` returns them. */
export async function findCandidate(tx: Tx, id: string): Promise<Candidate | null> {
  return tx.report.findUnique({
    where: { id },
    select: {
      id: true,
      trackingId: true,
      description: true,
      regionCode: true,
      agencyCode: true,
      similarTo: true,
      textStems: true,
    },
  });
}

/** Reports in a cluster: its first report and every report linked to it. */
export async function clusterSize(tx: Tx, mainId: string): Promise<number> {
  return tx.report.count({ where: { OR: [{ id: mainId }, { similarTo: mainId }] } });
}

/** The first report of a cluster and every report linked to it, oldest first. */
export async function listCluster(tx: Tx, mainId: string): Promise<ReportRow[]> {
  return (await tx.report.findMany({
    where: { OR: [{ id: mainId }, { similarTo: mainId }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  })) as ReportRow[];
}
