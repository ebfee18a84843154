/**
 * Seeds the agency directory. Idempotent: inserts missing agencies, updates those whose
 * directory facts changed, and never touches what operators edit (the officer channel).
 */
import type { AgencyRecord } from '../directory/index.ts';
import type { Database } from './database.ts';
import { AGENCY_FACTS } from './repos/reports.ts';

export interface SeedResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

function sameFacts(a: AgencyRecord, b: AgencyRecord): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.level === b.level &&
    a.regionCode === b.regionCode &&
    a.parentCode === b.parentCode &&
    a.unit === b.unit &&
    a.categories.join('|') === b.categories.join('|') &&
    a.aliases.join('|') === b.aliases.join('|')
  );
}

export async function seedAgencies(db: Database, records: AgencyRecord[]): Promise<SeedResult> {
  const existing = await db.prisma.agency.findMany({ select: AGENCY_FACTS });
  const byCode = new Map(existing.map((a) => [a.code, a as AgencyRecord]));
  const missing = records.filter((r) => !byCode.has(r.code));
  const changed = records.filter((r) => {
    const old = byCode.get(r.code);
    return old !== undefined && !sameFacts(old, r);
  });
  // Batches keep each statement small enough for PGlite's single connection.
  for (let i = 0; i < missing.length; i += 1000) {
    await db.prisma.agency.createMany({ data: missing.slice(i, i + 1000), skipDuplicates: true });
  }
  for (const r of changed) {
    const { code, ...facts } = r;
    await db.prisma.agency.update({ where: { code }, data: facts });
  }
  return {
    inserted: missing.length,
    updated: changed.length,
    unchanged: records.length - missing.length - changed.length,
  };
}
