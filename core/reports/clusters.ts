/**
 * "Laporan serupa" at filing: links a new report to the open report it repeats (see similar.ts
 * for what counts as repeating), records the link on both, tells the officers in the first
 * report's thread and gives the citizen the first report's tracking ID. Nothing is dropped: the
 * new report is filed and routed like any other.
 */
import { LaporError } from '../errors.ts';
import { IllegalTransitionError, TERMINAL_STATUSES } from '../lifecycle/index.ts';
import { notifyDesk } from '../messaging/index.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import * as similarRepo from '../store/repos/similar.ts';
import type { Tx } from '../store/tx.ts';
import type { CoreContext } from './context.ts';
import { type Actor, actOnReport } from './officer.ts';
import { bandKeys, DEFAULT_SIMILAR_WINDOW_DAYS, shinglesOfStems, similarity, stemsOf } from './similar.ts';

/** Candidates whose similarity is computed exactly, at most. */
const MAX_CANDIDATES = 20;

export interface SimilarLink {
  /** The cluster's first report. */
  main: similarRepo.Candidate;
  /** Reports in the cluster now, this one included. */
  size: number;
  score: number;
}

/**
 * Stores the new report's band keys and, when an open look-alike exists, links the report to its
 * cluster. Returns the link, or null.
 */
export async function linkToSimilar(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  agencyCode: string,
): Promise<SimilarLink | null> {
  let stems: string[];
  if (typeof report.textStems === 'string') stems = report.textStems ? report.textStems.split(' ') : [];
  else {
    stems = stemsOf(report.description);
    await reports.updateReport(tx, report.id, { textStems: stems.join(' ') });
  }
  const set = shinglesOfStems(stems);
  const keys = bandKeys(set);
  const now = ctx.clock();
  const windowDays = ctx.similarWindowDays ?? DEFAULT_SIMILAR_WINDOW_DAYS;
  const candidates = await similarRepo.findCandidates(tx, {
    keys,
    since: new Date(now.getTime() - windowDays * 86_400_000),
    closed: [...TERMINAL_STATUSES],
    agencyCode,
    regencyCode: report.regionCode && report.regionCode.length >= 5 ? report.regionCode.slice(0, 5) : null,
    excludeId: report.id,
    limit: MAX_CANDIDATES,
    store: true,
  });
  let best: { row: similarRepo.Candidate; score: number } | null = null;
  const mine = { text: report.description, shingles: set, regionCode: report.regionCode };
  for (const row of candidates) {
    const s = similarity(mine, row);
    if (s.similar && (!best || s.score > best.score)) best = { row, score: s.score };
  }
  if (!best) return null;
  const mainId = best.row.similarTo ?? best.row.id;
  const main = mainId === best.row.id ? best.row : await similarRepo.findCandidate(tx, mainId);
  if (!main) return null;
  await reports.updateReport(tx, report.id, { similarTo: main.id });
  const size = await similarRepo.clusterSize(tx, main.id);
  const score = Math.round(best.score * 100) / 100;
  await reports.addEvent(tx, {
    reportId: report.id,
    at: now,
    actorRole: 'system',
    action: 'link_similar',
    agencyCode: report.agencyCode,
    note: main.trackingId,
    visibility: 'internal',
    data: { main: main.trackingId, score },
  });
  await reports.addEvent(tx, {
    reportId: main.id,
    at: now,
    actorRole: 'system',
    action: 'similar_added',
    agencyCode: main.agencyCode,
    note: report.trackingId,
    visibility: 'internal',
    data: { linked: report.trackingId, size, score },
  });
  // Only tracking IDs go to the thread: no reporter, no text.
  await notifyDesk(tx, ctx, main.agencyCode, {
    kind: 'report_note',
    reportId: main.id,
    note: `Laporan serupa masuk: ${report.trackingId} (${size} laporan dalam kelompok ini).`,
  });
  return { main, size, score };
}

/** What an officer can do to a whole cluster at once from its first report. */
export type ClusterAction = { type: 'reply'; text: string } | { type: 'resolve'; text: string };

export interface ClusterResult {
  /** Tracking IDs of the linked reports the action was applied to. */
  done: string[];
  /** Linked reports left as they were, and why (another agency holds it, or it is closed). */
  skipped: { trackingId: string; reason: string }[];
}

/**
 * Applies an officer's reply or resolution to every open report linked to `mainId` (the first
 * report itself is acted on through `actOnReport` as usual): one update reaches every reporter
 * of the cluster, each in their own conversation with their own tracking ID. A linked report the
 * officer may not act on (held by another agency, or closed) is skipped and named.
 */
export async function actOnCluster(
  tx: Tx,
  ctx: CoreContext,
  mainId: string,
  actor: Actor,
  action: ClusterAction,
): Promise<ClusterResult> {
  const result: ClusterResult = { done: [], skipped: [] };
  for (const linked of await similarRepo.listCluster(tx, mainId)) {
    if (linked.id === mainId) continue;
    if (TERMINAL_STATUSES.has(linked.status)) {
      result.skipped.push({ trackingId: linked.trackingId, reason: 'closed' });
      continue;
    }
    if (actor.role === 'officer' && actor.agencyCode && actor.agencyCode !== linked.agencyCode) {
      result.skipped.push({ trackingId: linked.trackingId, reason: `held by ${linked.agencyCode}` });
      continue;
    }
    try {
      await actOnReport(tx, ctx, linked.id, actor, action);
      result.done.push(linked.trackingId);
    } catch (error) {
      if (!(error instanceof LaporError) && !(error instanceof IllegalTransitionError)) throw error;
      result.skipped.push({ trackingId: linked.trackingId, reason: error.message });
    }
  }
  return result;
}
