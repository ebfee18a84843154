/**
 * Routing examples: what officers taught the router. A forward says "this text belongs to that
 * agency"; a resolution says the agency that finally handled it. Read by learned routing.
 */
import type { Tx } from '../tx.ts';

export type RoutingExampleSource = 'forward' | 'resolved';

export interface NewRoutingExample {
  reportId: string;
  text: string;
  category: string;
  regionCode: string | null;
  agencyCode: string;
  source: RoutingExampleSource;
  createdAt: Date;
}

/** Stores an example; the same (report, source, agency) is kept once. */
export async function recordRoutingExample(tx: Tx, example: NewRoutingExample): Promise<void> {
  await tx.routingExample.createMany({ data: [example], skipDuplicates: true });
}

/** One labelled text per report: its resolving agency, else the agency of its last forward. */
export interface StoredRoutingExample {
  reportId: string;
  text: string;
  category: string;
  regionCode: string | null;
  agencyCode: string;
  source: RoutingExampleSource;
  createdAt: Date;
}

/** The label of each report (resolution wins over forwards, the latest of each wins), oldest first. */
export async function listRoutingExamples(
  tx: Tx,
  options: { since?: Date } = {},
): Promise<StoredRoutingExample[]> {
  const rows = await tx.routingExample.findMany({
    where: options.since ? { createdAt: { gte: options.since } } : {},
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const byReport = new Map<string, StoredRoutingExample>();
  for (const r of rows) {
    const source = r.source === 'resolved' ? 'resolved' : 'forward';
    const held = byReport.get(r.reportId);
    if (held?.source === 'resolved' && source === 'forward') continue;
    byReport.set(r.reportId, {
      reportId: r.reportId,
      text: r.text,
      category: r.category,
      regionCode: r.regionCode,
      agencyCode: r.agencyCode,
      source,
      createdAt: r.createdAt,
    });
  }
  return [...byReport.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
