/**
 * Reading an operator's disposition history (CSV) for `lapor agency resolve`, `lapor train
 * --routing` and `lapor eval --routing`: text, agency as history writes it, optional region,
 * each agency name resolved against the directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { AgencyRecord } from '../../core/directory/index.ts';
import {
  type AgencyNameResolver,
  createAgencyNameResolver,
  type NameResolution,
} from '../../core/directory/resolve-name.ts';
import { LaporError } from '../../core/errors.ts';

export interface HistoryRow {
  text: string;
  /** The agency as history wrote it. */
  name: string;
  region: string | null;
  resolution: NameResolution;
}

export interface HistoryColumns {
  textColumn: string;
  agencyColumn: string;
  regionColumn?: string | undefined;
}

const bad = (message: string) => new LaporError('LAPOR_ERR_BAD_INPUT_FILE', message);

function readCsv(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw bad(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parse(text, {
      bom: true,
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw bad(`invalid CSV in ${path}: ${(error as Error).message}`);
  }
}

/**
 * An operator's own names for directory bodies: a CSV with `name` and `code` columns (the
 * unresolved-names file with a code filled in). Unknown codes are refused, naming the line.
 */
export function readAgencyNames(path: string, agencies: readonly AgencyRecord[]): Record<string, string[]> {
  const rows = readCsv(path);
  if (rows.length > 0 && !('name' in rows[0]! && 'code' in rows[0]!))
    throw bad(`${path}: expected "name" and "code" columns`);
  const known = new Set(agencies.map((a) => a.code));
  const out: Record<string, string[]> = {};
  rows.forEach((r, i) => {
    const code = (r.code ?? '').trim();
    if (!code) return; // not filled in yet
    if (!known.has(code)) throw bad(`${path}: row ${i + 2}: unknown agency code "${code}"`);
    out[code] = [...(out[code] ?? []), r.name ?? ''];
  });
  return out;
}

export function historyResolver(agencies: readonly AgencyRecord[], namesFile?: string): AgencyNameResolver {
  return createAgencyNameResolver(agencies, namesFile ? readAgencyNames(namesFile, agencies) : {});
}

/** Reads a history CSV; rows without text or agency are skipped (counted in `skipped`). */
export function readHistory(
  path: string,
  columns: HistoryColumns,
  resolver: AgencyNameResolver,
): { rows: HistoryRow[]; skipped: number } {
  const records = readCsv(path);
  const first = records[0] ?? {};
  for (const c of [columns.textColumn, columns.agencyColumn, columns.regionColumn]) {
    if (c && records.length > 0 && !(c in first))
      throw bad(`CSV has no "${c}" column (columns: ${Object.keys(first).join(', ')})`);
  }
  const rows: HistoryRow[] = [];
  let skipped = 0;
  for (const r of records) {
    const text = r[columns.textColumn] ?? '';
    const name = r[columns.agencyColumn] ?? '';
    if (!text || !name) {
      skipped++;
      continue;
    }
    const region = columns.regionColumn ? r[columns.regionColumn] || null : null;
    rows.push({ text, name, region, resolution: resolver.resolve(name, region) });
  }
  return { rows, skipped };
}

/** Resolution figures: rate to one body, plus those whose kind (and unit) alone is known. */
export function resolutionSummary(rows: readonly HistoryRow[]): {
  total: number;
  resolved: number;
  kindOnly: number;
  unresolved: { name: string; count: number; kind: string }[];
} {
  const unresolved = new Map<string, { count: number; kind: string }>();
  let resolved = 0;
  let kindOnly = 0;
  for (const r of rows) {
    if (r.resolution.code) {
      resolved++;
      continue;
    }
    if (r.resolution.kind) kindOnly++;
    const u = unresolved.get(r.name) ?? { count: 0, kind: r.resolution.unit ?? r.resolution.kind ?? '' };
    u.count++;
    unresolved.set(r.name, u);
  }
  return {
    total: rows.length,
    resolved,
    kindOnly,
    unresolved: [...unresolved.entries()]
      .map(([name, u]) => ({ name, ...u }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)),
  };
}

/** Prints the resolution rate (stderr) and writes the unresolved names, most frequent first. */
export function reportResolution(rows: readonly HistoryRow[], unresolvedOut: string): number {
  const s = resolutionSummary(rows);
  const pct = (n: number) => `${((100 * n) / Math.max(1, s.total)).toFixed(1)}%`;
  console.error(
    `agency names resolved: ${s.resolved}/${s.total} rows (${pct(s.resolved)}); kind known for ${s.kindOnly} more (${pct(s.kindOnly)}); ${s.unresolved.length} distinct names unresolved`,
  );
  writeFileSync(
    unresolvedOut,
    stringify(
      s.unresolved.map((u) => ({ name: u.name, rows: u.count, guess: u.kind, code: '' })),
      { header: true, columns: ['name', 'rows', 'guess', 'code'] },
    ),
  );
  console.error(
    `unresolved names written to ${unresolvedOut} (fill in "code" and pass it back with --agency-names)`,
  );
  return s.total ? s.resolved / s.total : 0;
}
