/**
 * An operator's own taxonomy: the labels their staff used in years of history ("jalan_rusak",
 * "sampah_liar", ...) with the names citizens see, in Bahasa Indonesia and English. A
 * classifier trained with `lapor train --label-column COL` answers with these labels; the dialog
 * shows their names instead of the built-in topics, and the routing rules may name them.
 *
 * The file is JSON:
 * ```json
 * { "labels": [
 *   { "id": "jalan_rusak", "name": { "id": "Jalan rusak", "en": "Damaged road" }, "category": "pekerjaan_umum" },
 *   { "id": "paspor", "name": { "id": "Paspor", "en": "Passport" }, "target": { "agency": "KL-IMIGRASI" } }
 * ] }
 * ```
 * `category` (a built-in topic id) routes the label like that topic; `target` (a routing rule
 * target: `{agency}`, `{unit, level}` or `{bumd}`) sends it to that kind, level or body. Both
 * are optional: a label with neither is routed by the rules and the words of the text.
 */
import { readFileSync } from 'node:fs';
import { isCategoryId } from './categories.ts';

/** One label of an operator taxonomy. */
export interface TaxonomyLabel {
  /** The label as the history writes it (the classifier's class). */
  id: string;
  /** Shown to citizens. */
  name: { id: string; en: string };
  /** A built-in topic (dialogs/categories.ts) the label is routed as. */
  category?: string;
  /** A routing rule target, checked against the directory when the router is built. */
  target?: Record<string, unknown>;
}

/** An operator taxonomy: labels in the order the dialog lists them. */
export interface Taxonomy {
  labels: TaxonomyLabel[];
}

/** A taxonomy file that cannot be used; the message names the file and the entry at fault. */
export class TaxonomyError extends Error {
  override name = 'TaxonomyError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/**
 * Checks parsed taxonomy data. Accepts `{ labels: [...] }` or a bare array of labels.
 * @throws TaxonomyError naming `source` and the entry at fault.
 */
export function parseTaxonomy(data: unknown, source = 'taxonomy'): Taxonomy {
  const list = Array.isArray(data) ? data : isObject(data) ? data.labels : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TaxonomyError(`${source}: expected {"labels": [...]} with at least one label`);
  }
  const seen = new Set<string>();
  const labels = list.map((raw: unknown, i): TaxonomyLabel => {
    const at = `${source}: label #${i + 1}`;
    if (!isObject(raw)) throw new TaxonomyError(`${at}: expected an object`);
    const id = typeof raw.id === 'string' ? raw.id.trim() : '';
    if (!id) throw new TaxonomyError(`${at}: "id" must be a non-empty string`);
    if (id === 'lainnya') throw new TaxonomyError(`${at}: "lainnya" is reserved (the citizen's "other")`);
    if (seen.has(id)) throw new TaxonomyError(`${at} "${id}": duplicate id`);
    seen.add(id);
    const name = raw.name;
    if (!isObject(name) || !nonEmpty(name.id) || !nonEmpty(name.en)) {
      throw new TaxonomyError(`${at} "${id}": "name" must be {"id": "...", "en": "..."}`);
    }
    const label: TaxonomyLabel = { id, name: { id: name.id.trim(), en: name.en.trim() } };
    if (raw.category !== undefined) {
      if (typeof raw.category !== 'string' || !isCategoryId(raw.category) || raw.category === 'lainnya') {
        throw new TaxonomyError(`${at} "${id}": unknown built-in category '${String(raw.category)}'`);
      }
      label.category = raw.category;
    }
    if (raw.target !== undefined) {
      if (!isObject(raw.target)) throw new TaxonomyError(`${at} "${id}": "target" must be an object`);
      if (label.category) throw new TaxonomyError(`${at} "${id}": give "category" or "target", not both`);
      label.target = { ...raw.target };
    }
    return label;
  });
  return { labels };
}

/**
 * Reads and checks a taxonomy file.
 * @throws TaxonomyError naming the file: unreadable, not JSON, or a bad entry.
 */
export function loadTaxonomy(path: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaxonomyError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TaxonomyError(`${path}: invalid JSON (${(error as Error).message})`);
  }
  return parseTaxonomy(data, path);
}

/** The labels of a taxonomy as the dialog lists them: `{ id, name }` in file order. */
export function taxonomyCategories(taxonomy: Taxonomy): { id: string; name: { id: string; en: string } }[] {
  return taxonomy.labels.map((l) => ({ id: l.id, name: { ...l.name } }));
}
