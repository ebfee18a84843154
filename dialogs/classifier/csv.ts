import { parse } from 'csv-parse/sync';
import { CLASSIFIABLE_CATEGORIES } from '../categories.ts';
import { readCorpus } from '../corpus/index.ts';
import { ClassifierInputError, type LabelledText } from './types.ts';

/** Options for `readLabelledCsv`. */
export interface ReadCsvOptions {
  /** Header of the text column (default "text"). */
  textColumn?: string;
  /** Header of the category column (default "category"). */
  categoryColumn?: string;
  /**
   * Accept category ids outside CLASSIFIABLE_CATEGORIES (default false), e.g. to train on a
   * different taxonomy. "lainnya" is rejected otherwise: it is a citizen's choice, not a guess.
   */
  allowUnknownCategories?: boolean;
}

/**
 * Parses a CSV with a header row into labelled texts. Extra columns (e.g. agency_kind) are
 * ignored; surrounding whitespace is trimmed.
 *
 * @throws ClassifierInputError naming the line and column at fault: malformed CSV, missing
 *   text/category column, empty text or category, or an unknown category id.
 */
export function readLabelledCsv(csvText: string, options: ReadCsvOptions = {}): LabelledText[] {
  const textColumn = options.textColumn ?? 'text';
  const categoryColumn = options.categoryColumn ?? 'category';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csvText, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw new ClassifierInputError(`invalid CSV: ${(err as Error).message}`);
  }
  const header = records[0]?.record;
  if (!header) throw new ClassifierInputError('CSV is empty: expected a header row');
  const textAt = header.indexOf(textColumn);
  const catAt = header.indexOf(categoryColumn);
  for (const [name, at] of [
    [textColumn, textAt],
    [categoryColumn, catAt],
  ] as const) {
    if (at < 0) {
      throw new ClassifierInputError(
        `CSV has no "${name}" column (header: ${header.map((h) => `"${h}"`).join(', ')})`,
      );
    }
  }
  const known = new Set<string>(CLASSIFIABLE_CATEGORIES);
  const rows: LabelledText[] = [];
  for (const { record, info } of records.slice(1)) {
    // info.lines is the line the record ends on; quoted fields may span lines.
    const where = `line ${info.lines}`;
    const text = record[textAt] ?? '';
    const category = record[catAt] ?? '';
    if (text === '') throw new ClassifierInputError(`${where}: empty "${textColumn}"`);
    if (category === '') throw new ClassifierInputError(`${where}: empty "${categoryColumn}"`);
    if (!options.allowUnknownCategories && !known.has(category)) {
      throw new ClassifierInputError(
        `${where}: unknown ${categoryColumn} "${category}" (expected one of: ${CLASSIFIABLE_CATEGORIES.join(', ')})`,
      );
    }
    rows.push({ text, category });
  }
  return rows;
}

/** Where the first batch of the shipped training corpus lives, relative to this module. */
export const CORPUS_URL = new URL('../corpus/reports.csv', import.meta.url);

/**
 * Reads the shipped corpus (dialogs/corpus/reports.csv and dialogs/corpus/written/*.csv) as
 * labelled texts: rows of classifiable categories only, each text once (the first copy wins).
 */
export function loadCorpus(): LabelledText[] {
  const known = new Set<string>(CLASSIFIABLE_CATEGORIES);
  const seen = new Set<string>();
  const out: LabelledText[] = [];
  for (const r of readCorpus()) {
    const key = r.text.trim().toLowerCase();
    if (!known.has(r.category) || seen.has(key)) continue;
    seen.add(key);
    out.push({ text: r.text, category: r.category });
  }
  return out;
}
