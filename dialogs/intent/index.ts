/**
 * The junk filter: decides, before anything is routed, whether a citizen's first message is a
 * report at all ("tes", "p", gibberish, adverts, chain messages, insults with no concrete
 * problem, pranks and small talk are not), and if not, what it is instead.
 *
 * Two small calibrated linear models trained on the team's intent corpus
 * (dialogs/corpus/intent/, see its README) and on the report corpus:
 * - `gate`: laporan / bukan_laporan;
 * - `kind`: which kind of non-report (test, greeting, advert, ...), for the reason shown to the
 *   admin when a citizen insists, and for the dashboard.
 *
 * The cost of the two errors is very different: junk that gets through only costs a verifier a
 * click, while a real complaint answered with "this is not a report" is a citizen turned away.
 * So the gate only calls a message junk when the model is very sure (JUNK_THRESHOLD, chosen by
 * cross-validation for at most 1% false junk on team-written reports), and a message the topic
 * classifier reads as a clear complaint with enough words is junk only when the gate is all but
 * certain (GUARD_YIELDS_AT). The citizen can always
 * answer "ini laporan" and go on.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ClassifierModel, LabelledText } from '../classifier/index.ts';
import { decideConfidence, trainLinear } from '../classifier/index.ts';
import { readCorpus } from '../corpus/index.ts';

export const JUNK_KINDS = [
  'test',
  'greeting',
  'thanks',
  'gibberish',
  'insult',
  'advert',
  'prank',
  'politics',
  'chitchat',
  'forward',
] as const;
export type JunkKind = (typeof JUNK_KINDS)[number];

export interface IntentRow {
  text: string;
  /** 'bukan_laporan' or 'laporan'. */
  label: 'bukan_laporan' | 'laporan';
  /** For non-reports: what the message is instead. */
  kind?: JunkKind;
}

export interface Screening {
  verdict: 'report' | 'not_report';
  /** Calibrated probability that the message is not a report. */
  pJunk: number;
  /** For `not_report`: the most likely kind of non-report. */
  kind?: JunkKind;
}

export interface IntentFilter {
  screen(text: string): Screening;
}

/** P(bukan_laporan) at or above which a message is called junk (see the module comment). */
export const JUNK_THRESHOLD = 0.7;
/** P(bukan_laporan) at or above which even a clear-looking complaint is called junk. */
const GUARD_YIELDS_AT = 0.95;

const INTENT_DIR = new URL('../corpus/intent/', import.meta.url);

function readIntentFile(name: string): { text: string; label: string; kind: string }[] {
  return parse(readFileSync(new URL(name, INTENT_DIR), 'utf8'), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as { text: string; label: string; kind: string }[];
}

/** FNV-1a: a stable, seedless pick of corpus rows (the same rows on every machine). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The intent corpus plus a stable third of the report corpus as examples of reports (the report
 * corpus is seven times the junk set; all of it would drown the junk class).
 */
export function intentCorpus(): IntentRow[] {
  const rows: IntentRow[] = [];
  for (const r of readIntentFile('not_report.csv')) {
    if (!r.text) continue;
    const kind = (JUNK_KINDS as readonly string[]).includes(r.kind) ? (r.kind as JunkKind) : undefined;
    rows.push({ text: r.text, label: 'bukan_laporan', ...(kind ? { kind } : {}) });
  }
  for (const file of ['hard_reports.csv', 'aspirasi.csv', 'informasi.csv']) {
    for (const r of readIntentFile(file)) if (r.text) rows.push({ text: r.text, label: 'laporan' });
  }
  for (const r of readCorpus()) if (hash(r.text) % 3 === 0) rows.push({ text: r.text, label: 'laporan' });
  return rows;
}

export interface IntentFilterOptions {
  threshold?: number;
  /**
   * The topic classifier's verdict on the same text: a clear complaint (confident, at least
   * `minClearWords` words) is never junk.
   */
  clearComplaint?: (text: string) => boolean;
}

/** Trains the two models: laporan / bukan_laporan, and the kind of non-report. */
export function trainIntentModels(rows: IntentRow[]): { gate: ClassifierModel; kinds: ClassifierModel } {
  const gate = trainLinear(
    rows.map((r): LabelledText => ({ text: r.text, category: r.label })),
    { seed: 0x1a7e },
  );
  const junk = rows.filter((r) => r.label === 'bukan_laporan' && r.kind);
  const kinds = trainLinear(
    junk.map((r): LabelledText => ({ text: r.text, category: r.kind as string })),
    { seed: 0x1a7f },
  );
  return { gate, kinds };
}

/** Trains the filter on the given rows (default: the shipped intent corpus). */
export function trainIntentFilter(
  rows: IntentRow[] = intentCorpus(),
  options: IntentFilterOptions = {},
): IntentFilter {
  const { gate, kinds } = trainIntentModels(rows);
  return intentFilterOf(gate, kinds, options);
}

/** Builds the filter from trained models (exported for the bench, which cross-validates). */
export function intentFilterOf(
  gate: ClassifierModel,
  kinds: ClassifierModel,
  options: IntentFilterOptions = {},
): IntentFilter {
  const threshold = options.threshold ?? JUNK_THRESHOLD;
  return {
    screen(text: string): Screening {
      const t = typeof text === 'string' ? text.trim() : '';
      if (!t) return { verdict: 'report', pJunk: 0 };
      const pJunk = gate.classify(t).top.find((s) => s.category === 'bukan_laporan')?.p ?? 0;
      if (pJunk < threshold) return { verdict: 'report', pJunk };
      // The guard yields only to a model that is all but certain: chain messages and adverts can
      // read like a clear topic to the topic classifier.
      if (pJunk < GUARD_YIELDS_AT && options.clearComplaint?.(t)) return { verdict: 'report', pJunk };
      return { verdict: 'not_report', pJunk, kind: kinds.classify(t).category as JunkKind };
    },
  };
}

/** Words a clear complaint has at least (see `clearComplaintOf`). */
const CLEAR_COMPLAINT_WORDS = 6;

/**
 * The guard against turning real complaints away: a text of some length that the topic
 * classifier reads with confidence is a complaint, whatever the junk model thinks.
 */
export function clearComplaintOf(classifier: ClassifierModel): IntentFilterOptions {
  return {
    clearComplaint: (text) =>
      text.split(/\s+/).filter(Boolean).length >= CLEAR_COMPLAINT_WORDS &&
      decideConfidence(classifier.classify(text)) === 'confident',
  };
}

let cached: { gate: ClassifierModel; kinds: ClassifierModel } | undefined;

/** The filter trained on the shipped corpus; the models are trained on first use and kept. */
export function defaultIntentFilter(options: IntentFilterOptions = {}): IntentFilter {
  cached ??= trainIntentModels(intentCorpus());
  return intentFilterOf(cached.gate, cached.kinds, options);
}
