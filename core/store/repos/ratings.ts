/** Citizens' ratings of resolved reports: one per resolution round (unique report + resolved_at). */
import type { Tx } from '../tx.ts';

export interface NewRating {
  reportId: string;
  agencyCode: string;
  score: number;
  reopened: boolean;
  resolvedAt: Date;
  createdAt: Date;
}

/** Stores a rating; false when this resolution of the report was rated already. */
export async function insertRating(tx: Tx, rating: NewRating): Promise<boolean> {
  const rows = await tx.reportRating.createManyAndReturn({
    data: [rating],
    skipDuplicates: true,
    select: { id: true },
  });
  return rows.length === 1;
}

/** Whether this resolution of the report was rated already. */
export async function ratingExists(tx: Tx, reportId: string, resolvedAt: Date): Promise<boolean> {
  return (await tx.reportRating.count({ where: { reportId, resolvedAt } })) > 0;
}
