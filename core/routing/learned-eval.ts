/**
 * k-fold cross-validation of routing learned from history: what `lapor eval --routing` prints
 * and the bench reports. Each fold trains on the other folds and routes its own rows through the
 * caller's pipeline (classifier, gazetteer, rules blended with the model), so the figures are
 * those of `lapor route`, not of the model alone.
 */
import type { AgencyKind } from '../directory/types.ts';
import type { RoutingExample } from './learned.ts';

/** What the pipeline answered for one held-out row. */
export interface RoutedRow {
  /** Directory code filed with (the admin queue counts as a code). */
  code: string | null;
  kind: AgencyKind | string;
  /** Up to three candidate codes, best first. */
  top3: (string | null)[];
}

export interface RoutingFigures {
  rows: number;
  /** Rows whose gold kind is known / whose gold office is a directory code. */
  kindRows: number;
  exactRows: number;
  kindAccuracy: number;
  exactAccuracy: number;
  top3Accuracy: number;
  /** Macro-F1 over gold offices (directory codes). */
  macroF1: number;
}

/** BUMN and BUMD are one group in most rollups of history (and in our dev scoring). */
export function kindGroup(kind: string | null | undefined): string | null {
  if (!kind) return null;
  return kind === 'bumd' ? 'bumn' : kind;
}

/** Deterministic fold of each row (mulberry32 shuffle), so runs compare. */
export function foldsOf(n: number, k: number, seed = 0x5eed): number[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n);
  order.forEach((row, pos) => {
    fold[row] = pos % k;
  });
  return fold;
}

/** Scores routed rows against their gold resolution. */
export function scoreRouting(gold: readonly RoutingExample[], got: readonly RoutedRow[]): RoutingFigures {
  let kindRows = 0;
  let kindHits = 0;
  let exactRows = 0;
  let exactHits = 0;
  let top3Hits = 0;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  gold.forEach((g, i) => {
    const r = got[i];
    if (!r) return;
    const gk = kindGroup(g.goldKind !== undefined ? g.goldKind : g.resolution.kind);
    if (gk) {
      kindRows++;
      if (kindGroup(r.kind) === gk) kindHits++;
    }
    const code = g.resolution.code;
    if (!code) return;
    exactRows++;
    if (r.code === code) {
      exactHits++;
      inc(tp, code);
    } else {
      inc(fn, code);
      if (r.code) inc(fp, r.code);
    }
    if (r.top3.slice(0, 3).includes(code)) top3Hits++;
  });
  const classes = new Set([...tp.keys(), ...fn.keys()]);
  let f1 = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const denom = 2 * t + (fp.get(c) ?? 0) + (fn.get(c) ?? 0);
    f1 += denom ? (2 * t) / denom : 0;
  }
  return {
    rows: gold.length,
    kindRows,
    exactRows,
    kindAccuracy: kindRows ? kindHits / kindRows : 0,
    exactAccuracy: exactRows ? exactHits / exactRows : 0,
    top3Accuracy: exactRows ? top3Hits / exactRows : 0,
    macroF1: classes.size ? f1 / classes.size : 0,
  };
}

/**
 * k-fold cross-validation. `train(rows)` builds whatever the pipeline needs from the training
 * folds; `route(trained, row)` answers for one held-out row. `onFold(done, k)` for a progress bar.
 */
export function crossValidateRouting<T>(
  examples: readonly RoutingExample[],
  k: number,
  train: (rows: RoutingExample[]) => T,
  route: (trained: T, row: RoutingExample) => RoutedRow,
  onFold?: (done: number, k: number) => void,
): RoutingFigures {
  const fold = foldsOf(examples.length, k);
  const got: RoutedRow[] = new Array(examples.length);
  for (let f = 0; f < k; f++) {
    const trained = train(examples.filter((_, i) => fold[i] !== f));
    examples.forEach((row, i) => {
      if (fold[i] === f) got[i] = route(trained, row);
    });
    onFold?.(f + 1, k);
  }
  return scoreRouting(examples, got);
}
