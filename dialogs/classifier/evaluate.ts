import type { Classification, ClassifierModel, LabelledText } from './types.ts';

/** 32-bit FNV-1a: a tiny, stable string hash (no crypto needed for a train/test split). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Splits rows into train and test sets by a hash of each text, so the same corpus always
 * gives the same split (across runs and machines) and exact duplicate texts never land on
 * both sides. The test share is approximately `fraction` (default 0.2), not exact.
 */
export function splitHoldout<T extends { text: string }>(
  rows: T[],
  fraction = 0.2,
): { train: T[]; test: T[] } {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be in [0, 1] (got ${fraction})`);
  const train: T[] = [];
  const test: T[] = [];
  const cut = fraction * 2 ** 32;
  for (const row of rows) (fnv1a(row.text.trim().toLowerCase()) < cut ? test : train).push(row);
  return { train, test };
}

/** Per-category precision/recall/F1 on an evaluation set. */
export interface ClassMetrics {
  category: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of rows whose gold label is this category. */
  support: number;
}

/** Result of `evaluate`. */
export interface EvaluationResult {
  accuracy: number;
  /** Unweighted mean of per-class F1 over every label in `labels`. */
  macroF1: number;
  /** Expected calibration error of the top-1 probability (10 equal-width bins). */
  ece: number;
  /** Model categories, then any gold labels the model does not know. */
  labels: string[];
  /** `confusion[gold][predicted]`, indexed like `labels`. */
  confusion: number[][];
  perClass: ClassMetrics[];
}

/**
 * Expected calibration error: bins predictions by confidence and averages |accuracy -
 * mean confidence| over bins, weighted by bin size. 0 means perfectly calibrated.
 */
export function expectedCalibrationError(
  predictions: { confidence: number; correct: boolean }[],
  bins = 10,
): number {
  if (predictions.length === 0) return 0;
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const size = new Array<number>(bins).fill(0);
  for (const { confidence, correct } of predictions) {
    const b = Math.min(bins - 1, Math.floor(confidence * bins));
    conf[b]! += confidence;
    hits[b]! += correct ? 1 : 0;
    size[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (size[b]! > 0) ece += Math.abs(hits[b]! - conf[b]!) / predictions.length;
  }
  return ece;
}

/**
 * Classifies every row and compares with its gold category: accuracy, macro-F1, calibration
 * error, a confusion matrix and per-class precision/recall/F1.
 */
export function evaluate(model: ClassifierModel, rows: LabelledText[]): EvaluationResult {
  const labels = [...model.categories];
  for (const r of rows) if (!labels.includes(r.category)) labels.push(r.category);
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => new Array<number>(labels.length).fill(0));
  const predictions: { confidence: number; correct: boolean }[] = [];
  let correct = 0;
  for (const r of rows) {
    const c = model.classify(r.text);
    confusion[at.get(r.category)!]![at.get(c.category)!]! += 1;
    const ok = c.category === r.category;
    if (ok) correct++;
    predictions.push({ confidence: c.confidence, correct: ok });
  }
  const perClass = labels.map((category, i) => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { category, precision, recall, f1, support };
  });
  return {
    accuracy: rows.length === 0 ? 0 : correct / rows.length,
    // Classes that neither occur in the rows nor are ever predicted say nothing about this
    // data set; counting them as F1 = 0 would deflate the figure on small or partial sets.
    macroF1: macroF1(perClass.filter((m, i) => m.support > 0 || confusion.some((row) => (row[i] ?? 0) > 0))),
    ece: expectedCalibrationError(predictions),
    labels,
    confusion,
    perClass,
  };
}

function macroF1(classes: { f1: number }[]): number {
  return classes.length === 0 ? 0 : classes.reduce((a, m) => a + m.f1, 0) / classes.length;
}

/**
 * Renders an `evaluate` result for a terminal: headline figures, a per-class table and the
 * confusion matrix (rows = gold, columns = predicted, columns numbered like the rows).
 */
export function formatEvaluation(result: {
  accuracy: number;
  macroF1: number;
  ece?: number;
  labels: string[];
  confusion: number[][];
  perClass: ClassMetrics[];
}): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const total = result.perClass.reduce((a, m) => a + m.support, 0);
  const lines = [
    `accuracy  ${pct(result.accuracy)}  (${total} rows)`,
    `macro-F1  ${result.macroF1.toFixed(3)}`,
  ];
  if (result.ece !== undefined) lines.push(`ECE       ${result.ece.toFixed(3)}`);
  const width = Math.max(8, ...result.labels.map((l) => l.length));
  lines.push('', `${'category'.padEnd(width)}  precision  recall     f1  support`);
  for (const m of result.perClass) {
    lines.push(
      `${m.category.padEnd(width)}  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1
        .toFixed(3)
        .padStart(5)}  ${String(m.support).padStart(7)}`,
    );
  }
  lines.push('', 'confusion (rows = gold, columns = predicted)');
  const cell = Math.max(3, ...result.confusion.flat().map((n) => String(n).length)) + 1;
  lines.push(`${''.padEnd(width + 4)}${result.labels.map((_, i) => String(i + 1).padStart(cell)).join('')}`);
  result.labels.forEach((label, i) => {
    const row = result.confusion[i] ?? [];
    lines.push(
      `${String(i + 1).padStart(2)}. ${label.padEnd(width)}${row.map((n) => String(n).padStart(cell)).join('')}`,
    );
  });
  return lines.join('\n');
}

/** Thresholds for `decideConfidence`. */
export interface ConfidenceThresholds {
  /** Minimum probability of the best category (default 0.55). */
  minConfidence?: number;
  /** Minimum gap between the best and second-best probability (default 0.2). */
  minMargin?: number;
}

/**
 * Whether the dialog may take the classification as given ('confident') or should ask the
 * citizen to pick a category ('uncertain'). Uncertain when the top probability is below
 * `minConfidence` or the runner-up is within `minMargin` of it.
 */
export function decideConfidence(
  c: Classification,
  thresholds: ConfidenceThresholds = {},
): 'confident' | 'uncertain' {
  const minConfidence = thresholds.minConfidence ?? 0.55;
  const minMargin = thresholds.minMargin ?? 0.2;
  const first = c.top[0]?.p ?? c.confidence;
  const second = c.top[1]?.p ?? 0;
  return first < minConfidence || first - second < minMargin ? 'uncertain' : 'confident';
}
