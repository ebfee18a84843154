/**
 * Junk-filter figures (issue: intake intelligence). What a first message meets in the dialog:
 * the greeting/thanks rules, then the intent model (dialogs/intent).
 * - On the team's intent corpus, by 5-fold cross-validation (each message judged by a model
 *   that never saw it): the share of non-reports caught, and of reports wrongly called junk.
 * - On the real complaints in `../shared/dev/` when present (evaluation only): the share called
 *   junk, which must stay at most 1%.
 * - The cost of screening one message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { defaultClassifier } from '../dialogs/classifier/index.ts';
import { isGreeting, isThanks } from '../dialogs/engine/understand.ts';
import {
  clearComplaintOf,
  defaultIntentFilter,
  type IntentFilter,
  type IntentRow,
  intentCorpus,
  intentFilterOf,
  trainIntentModels,
} from '../dialogs/intent/index.ts';
import { DEV_DIR } from './quality-bench.ts';

const FOLDS = 5;
const DEV_FILES = ['lapor_2017_agency_routing.csv', 'purbalingga_lapormasbup_category.csv'];

/** What the dialog does with a first message: true when it is not treated as a report. */
function turnedAway(filter: IntentFilter, text: string): boolean {
  const t = text.trim();
  return isGreeting(t) || isThanks(t) || filter.screen(t).verdict === 'not_report';
}

export async function benchJunk(): Promise<Record<string, number | string>> {
  const guard = clearComplaintOf(defaultClassifier());
  const rows: IntentRow[] = intentCorpus();
  const byKind = new Map<string, { caught: number; total: number }>();
  let junk = 0;
  let caught = 0;
  let reports = 0;
  let falseJunk = 0;
  for (let k = 0; k < FOLDS; k++) {
    const models = trainIntentModels(rows.filter((_, i) => i % FOLDS !== k));
    const filter = intentFilterOf(models.gate, models.kinds, guard);
    for (const [i, r] of rows.entries()) {
      if (i % FOLDS !== k) continue;
      const away = turnedAway(filter, r.text);
      if (r.label === 'bukan_laporan') {
        junk++;
        if (away) caught++;
        const entry = byKind.get(r.kind ?? '?') ?? { caught: 0, total: 0 };
        entry.total++;
        if (away) entry.caught++;
        byKind.set(r.kind ?? '?', entry);
      } else {
        reports++;
        if (away) falseJunk++;
      }
    }
  }
  const filter = defaultIntentFilter(guard);
  const out: Record<string, number | string> = {
    team_junk_caught: round(caught / junk),
    team_reports_called_junk: round(falseJunk / reports),
    team_rows: `${junk} non-reports, ${reports} reports, ${FOLDS}-fold`,
    caught_by_kind: [...byKind]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([kind, e]) => `${kind} ${round(e.caught / e.total)}`)
      .join(', '),
  };
  const t0 = performance.now();
  const sample = rows.slice(0, 500);
  for (const r of sample) filter.screen(r.text);
  out.screen_ms = round((performance.now() - t0) / sample.length);
  if (DEV_FILES.every((f) => existsSync(join(DEV_DIR, f)))) {
    let total = 0;
    let away = 0;
    for (const f of DEV_FILES) {
      for (const r of parse(readFileSync(join(DEV_DIR, f), 'utf8'), { bom: true, columns: true }) as {
        text?: string;
      }[]) {
        if (!r.text) continue;
        total++;
        if (turnedAway(filter, r.text)) away++;
      }
    }
    out.dev_complaints_called_junk = round(away / total);
    out.dev_rows = total;
  } else out.dev_complaints_called_junk = 'skipped (no ../shared/dev/)';
  return out;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
