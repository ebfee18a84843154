/**
 * Figures for the operator dashboard and the CSV export: counts per day, category, region and
 * agency; SLA compliance and the overdue list; time to the agency's first response. Every
 * figure honours one filter (date range of filing, region, agency). Days are Jakarta (WIB) days.
 *
 * Aggregates are SQL (group by, percentile_cont) rather than rows summed in Node: the same
 * statements run on PGlite and PostgreSQL, and the work stays in the database at any volume.
 */
import type { Tx } from '../tx.ts';

export interface DashboardFilter {
  /** Filed at or after (inclusive). */
  from: Date;
  /** Filed before (exclusive). */
  to: Date;
  /** Kemendagri code: a province ('33') or kabupaten/kota ('33.03') and everything in it. */
  regionCode?: string;
  /** An agency code, with its units ('PEMDA-33.03' includes 'PEMDA-33.03-DPUPR'). */
  agencyCode?: string;
}

/** Officer actions that count as the agency's first response. */
export const FIRST_RESPONSE_ACTIONS = [
  'accept',
  'follow_up',
  'request_info',
  'resolve',
  'postpone',
  'forward',
];

/** WHERE clause over `reports r` and its parameters. */
function where(filter: DashboardFilter, first = 1): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.from, filter.to];
  const parts = [`r.created_at >= $${first}`, `r.created_at < $${first + 1}`];
  if (filter.regionCode) {
    params.push(filter.regionCode);
    const n = first + params.length - 1;
    parts.push(`(r.region_code = $${n} or r.region_code like $${n} || '.%')`);
  }
  if (filter.agencyCode) {
    params.push(filter.agencyCode);
    const n = first + params.length - 1;
    parts.push(`(r.agency_code = $${n} or r.agency_code like $${n} || '-%')`);
  }
  return { sql: parts.join(' and '), params };
}

export interface Count {
  key: string;
  label: string;
  n: number;
}

export interface DashboardFigures {
  total: number;
  perDay: { day: string; n: number }[];
  byCategory: Count[];
  byRegion: Count[];
  byAgency: Count[];
  byStatus: Count[];
  /** Reports that missed a deadline (escalated at least once). */
  escalated: number;
  /** Reports archived by the national desk (spam, duplicates, out of scope). */
  archived: number;
  firstResponse: { responded: number; medianSeconds: number | null };
  /** Citizens' ratings per resolving agency, most rated first. */
  ratings: RatingRow[];
}

export interface RatingRow {
  agencyCode: string;
  agencyName: string;
  rated: number;
  satisfied: number;
  neutral: number;
  unsatisfied: number;
  average: number | null;
  reopened: number;
}

/** Every aggregate of the dashboard for one filter. */
export async function dashboardFigures(tx: Tx, filter: DashboardFilter): Promise<DashboardFigures> {
  const w = where(filter);
  const q = <T>(sql: string, extra: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...w.params, ...extra);
  const perDay = await q<{ day: string; n: number }>(
    `select to_char(r.created_at + interval '7 hours', 'YYYY-MM-DD') as day, count(*)::int as n
       from reports r where ${w.sql} group by 1 order by 1`,
  );
  const byCategory = await q<{ key: string; n: number }>(
    `select r.category as key, count(*)::int as n from reports r where ${w.sql} group by 1 order by 2 desc, 1`,
  );
  const byRegion = await q<{ key: string | null; label: string | null; n: number }>(
    `select g.key, a.name as label, g.n from (
       select substring(r.region_code from 1 for 5) as key, count(*)::int as n
         from reports r where ${w.sql} group by 1) g
       left join agencies a on a.code = 'PEMDA-' || g.key
     order by g.n desc, g.key nulls last limit 20`,
  );
  const byAgency = await q<{ key: string; label: string; n: number }>(
    `select r.agency_code as key, a.name as label, count(*)::int as n
       from reports r join agencies a on a.code = r.agency_code
      where ${w.sql} group by 1, 2 order by 3 desc, 1 limit 20`,
  );
  const byStatus = await q<{ key: string; n: number }>(
    `select r.status::text as key, count(*)::int as n from reports r where ${w.sql} group by 1 order by 2 desc`,
  );
  const [totals] = await q<{ total: number; escalated: number; archived: number }>(
    `select count(*)::int as total,
            count(*) filter (where exists (
              select 1 from report_events e where e.report_id = r.id and e.action = 'escalate'))::int as escalated,
            count(*) filter (where r.status = 'diarsipkan')::int as archived
       from reports r where ${w.sql}`,
  );
  const actions = FIRST_RESPONSE_ACTIONS.map((a) => `'${a}'`).join(', ');
  const [first] = await q<{ responded: number; median: number | null }>(
    `select count(*)::int as responded,
            percentile_cont(0.5) within group (order by extract(epoch from f.first_at - f.created_at))::float8 as median
       from (select r.created_at, min(e.at) as first_at
               from reports r join report_events e on e.report_id = r.id
              where ${w.sql} and e.actor_role = 'officer' and e.action in (${actions})
              group by r.id, r.created_at) f`,
  );
  const ratings = await q<RatingRow>(
    `select g.agency_code as "agencyCode", a.name as "agencyName", g.rated, g.satisfied, g.neutral,
            g.unsatisfied, g.average, g.reopened
       from (select x.agency_code, count(*)::int as rated,
                    count(*) filter (where x.score >= 4)::int as satisfied,
                    count(*) filter (where x.score = 3)::int as neutral,
                    count(*) filter (where x.score <= 2)::int as unsatisfied,
                    avg(x.score)::float8 as average,
                    count(*) filter (where x.reopened)::int as reopened
               from report_ratings x join reports r on r.id = x.report_id
              where ${w.sql} group by x.agency_code) g
       join agencies a on a.code = g.agency_code
      order by g.rated desc, g.agency_code limit 50`,
  );
  return {
    total: totals?.total ?? 0,
    perDay,
    byCategory: byCategory.map((c) => ({ key: c.key, label: c.key, n: c.n })),
    byRegion: byRegion.map((c) => ({
      key: c.key ?? '',
      label: c.key ? (c.label ?? c.key) : '',
      n: c.n,
    })),
    byAgency,
    byStatus: byStatus.map((c) => ({ key: c.key, label: c.key, n: c.n })),
    escalated: totals?.escalated ?? 0,
    archived: totals?.archived ?? 0,
    firstResponse: { responded: first?.responded ?? 0, medianSeconds: first?.median ?? null },
    ratings,
  };
}

export interface OverdueRow {
  trackingId: string;
  agencyCode: string;
  agencyName: string;
  dueKind: string | null;
  dueAt: Date;
  escalatedAt: Date | null;
}

/** Open reports past their current deadline now, the longest overdue first. */
export async function overdueNow(
  tx: Tx,
  filter: Omit<DashboardFilter, 'from' | 'to'>,
  now: Date,
  limit = 50,
): Promise<{ rows: OverdueRow[]; total: number }> {
  const where = {
    dueAt: { lt: now },
    status: { notIn: ['selesai', 'diarsipkan'] as ('selesai' | 'diarsipkan')[] },
    ...(filter.regionCode
      ? {
          OR: [{ regionCode: filter.regionCode }, { regionCode: { startsWith: `${filter.regionCode}.` } }],
        }
      : {}),
    ...(filter.agencyCode
      ? {
          AND: [
            {
              OR: [
                { agencyCode: filter.agencyCode },
                { agencyCode: { startsWith: `${filter.agencyCode}-` } },
              ],
            },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    tx.report.findMany({
      where,
      select: {
        trackingId: true,
        agencyCode: true,
        dueKind: true,
        dueAt: true,
        escalatedAt: true,
        agency: { select: { name: true } },
      },
      orderBy: { dueAt: 'asc' },
      take: limit,
    }),
    tx.report.count({ where }),
  ]);
  return {
    rows: rows.map((r) => ({
      trackingId: r.trackingId,
      agencyCode: r.agencyCode,
      agencyName: r.agency.name,
      dueKind: r.dueKind,
      dueAt: r.dueAt as Date,
      escalatedAt: r.escalatedAt,
    })),
    total,
  };
}

/** Open reports past their deadline, across the whole service (the metrics gauge). */
export async function countOverdue(tx: Tx, now: Date): Promise<number> {
  return tx.report.count({ where: { dueAt: { lt: now }, status: { notIn: ['selesai', 'diarsipkan'] } } });
}

export interface ExportRow {
  tracking_id: string;
  created_at: Date;
  category: string;
  type: string;
  region_code: string | null;
  agency_code: string;
  agency_name: string;
  status: string;
  due_kind: string | null;
  due_at: Date | null;
  closed_at: Date | null;
  first_response_at: Date | null;
  escalations: number;
}

/**
 * One row per report for the CSV export: structured fields only. No description, no reporter,
 * no free-text place names (a region without a code is what the citizen typed).
 */
export async function exportRows(tx: Tx, filter: DashboardFilter, limit = 100_000): Promise<ExportRow[]> {
  const w = where(filter);
  const actions = FIRST_RESPONSE_ACTIONS.map((a) => `'${a}'`).join(', ');
  return tx.$queryRawUnsafe<ExportRow[]>(
    `select r.tracking_id, r.created_at, r.category, r.type::text as type, r.region_code,
            r.agency_code, a.name as agency_name, r.status::text as status, r.due_kind, r.due_at, r.closed_at,
            (select min(e.at) from report_events e
              where e.report_id = r.id and e.actor_role = 'officer' and e.action in (${actions})) as first_response_at,
            (select count(*) from report_events e where e.report_id = r.id and e.action = 'escalate')::int as escalations
       from reports r join agencies a on a.code = r.agency_code
      where ${w.sql}
      order by r.created_at, r.tracking_id
      limit ${Math.max(1, Math.floor(limit))}`,
    ...w.params,
  );
}

/** Provinces, for the region filter. */
export async function listProvinces(tx: Tx): Promise<{ code: string; name: string }[]> {
  const rows = await tx.agency.findMany({
    where: { kind: 'pemda', level: 'province', unit: null },
    select: { regionCode: true, name: true },
    orderBy: { regionCode: 'asc' },
  });
  return rows.flatMap((r) => (r.regionCode ? [{ code: r.regionCode, name: r.name }] : []));
}

/**
 * Intake figures for the dashboard: reports linked as "laporan serupa", and reports held for the
 * verifier because the junk filter doubted them or their sender filed too many in a day.
 */
export async function intakeCounts(
  tx: Tx,
  filter: DashboardFilter,
): Promise<{ similar: number; suspect: number; flood: number }> {
  const w = where(filter);
  const [row] = await tx.$queryRawUnsafe<{ similar: number; suspect: number; flood: number }[]>(
    `select count(*) filter (where r.similar_to is not null)::int as similar,
            count(*) filter (where exists (select 1 from report_events e
              where e.report_id = r.id and e.action = 'hold' and e.data->>'why' = 'suspect'))::int as suspect,
            count(*) filter (where exists (select 1 from report_events e
              where e.report_id = r.id and e.action = 'hold' and e.data->>'why' = 'flood'))::int as flood
       from reports r where ${w.sql}`,
    ...w.params,
  );
  return { similar: row?.similar ?? 0, suspect: row?.suspect ?? 0, flood: row?.flood ?? 0 };
}
