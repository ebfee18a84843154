/**
 * The team-written training corpus: `reports.csv` (the first batch) and every
 * `written/<category>.csv` (the second batch, in the register citizens use; see
 * written/README.md). Every row was written by the team; nothing comes from real complaints.
 *
 * Columns: `text,category,agency_kind` and, in written/, `subtopic`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Directory of the corpus files. */
export const CORPUS_DIR = fileURLToPath(new URL('./', import.meta.url));

export interface CorpusRow {
  text: string;
  category: string;
  /** Kind of body competent for the complaint ('pemda', 'bpjs', ...), when the row says. */
  agencyKind: string;
  /** Short snake_case tag of what the row is about ('paspor', 'dana_desa'), when the row says. */
  subtopic: string;
  /** File the row came from, relative to CORPUS_DIR. */
  source: string;
}

/** The corpus files, in a fixed order: reports.csv, then written/*.csv by name. */
export function corpusFiles(dir: string = CORPUS_DIR): string[] {
  let written: string[] = [];
  try {
    written = readdirSync(join(dir, 'written'))
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => join('written', f));
  } catch {
    // No second batch: only reports.csv.
  }
  return ['reports.csv', ...written];
}

/**
 * Reads every corpus file. Rows without text or category are skipped (the classifier's own
 * reader checks labels); quoted fields may span lines.
 */
export function readCorpus(dir: string = CORPUS_DIR): CorpusRow[] {
  const rows: CorpusRow[] = [];
  for (const source of corpusFiles(dir)) {
    const records = parse(readFileSync(join(dir, source), 'utf8'), {
      bom: true,
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as Record<string, string | undefined>[];
    for (const r of records) {
      const text = r.text ?? '';
      const category = r.category ?? '';
      if (!text || !category) continue;
      rows.push({ text, category, agencyKind: r.agency_kind ?? '', subtopic: r.subtopic ?? '', source });
    }
  }
  return rows;
}
