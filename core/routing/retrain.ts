/**
 * Retraining learned routing without making it worse: a candidate is trained on most of the
 * examples and compared with the current model on a held-out slice of the same examples; it
 * replaces the current one only when it scores at least as well. Used by the service's scheduled
 * retrain and by `lapor train --routing --if-better`.
 */
import type { AgencyRecord } from '../directory/types.ts';
import type { StoredRoutingExample } from '../store/repos/routing-examples.ts';
import {
  type LearnedRouting,
  type LearnedTrainOptions,
  type RoutingExample,
  trainLearnedRouting,
} from './learned.ts';
import { kindGroup } from './learned-eval.ts';

/** How a model did on the held-out slice. */
export interface HeldOutScore {
  rows: number;
  /** Share of held-out rows with a known office routed to exactly that office. */
  exact: number;
  /** Share of held-out rows with a known kind routed to that kind. */
  kind: number;
}

export interface RetrainOutcome {
  /** The model to use from now on: the candidate when it was not worse, else the current one. */
  model: LearnedRouting | null;
  swapped: boolean;
  candidate: HeldOutScore;
  /** Null when there was no current model (the candidate is then taken). */
  current: HeldOutScore | null;
  trainRows: number;
  heldOutRows: number;
}

/** Stable held-out membership: a hash of the text, so the slice is the same on every run. */
export function isHeldOut(text: string, share: number): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 10_000) / 10_000 < share;
}

/** Scores a model on examples (exact office and kind), predicting from the text alone. */
export function scoreModel(
  model: LearnedRouting,
  rows: readonly RoutingExample[],
  hints?: LearnedTrainOptions['hints'],
): HeldOutScore {
  let exactRows = 0;
  let exactHits = 0;
  let kindRows = 0;
  let kindHits = 0;
  for (const row of rows) {
    // The text alone: the held-out rows' places are what the model must find.
    const p = model.predict(row.text, null, hints ? hints(row.text) : null);
    const gold = row.resolution;
    if (gold.kind) {
      kindRows++;
      if (kindGroup(p.kind) === kindGroup(gold.kind)) kindHits++;
    }
    if (gold.code) {
      exactRows++;
      if (p.code === gold.code) exactHits++;
    }
  }
  return {
    rows: rows.length,
    exact: exactRows ? exactHits / exactRows : 0,
    kind: kindRows ? kindHits / kindRows : 0,
  };
}

/**
 * Trains a candidate on the examples outside the held-out slice and keeps whichever of
 * candidate and current scores better on the slice (exact office first, kind on a tie; the
 * candidate wins a full tie: it has seen newer examples).
 * @throws LearnedRoutingError when the training part names too few bodies.
 */
export function retrainIfBetter(
  examples: readonly RoutingExample[],
  current: LearnedRouting | null,
  agencies: readonly AgencyRecord[],
  options: LearnedTrainOptions & { heldOutShare?: number } = {},
): RetrainOutcome {
  const share = options.heldOutShare ?? 0.2;
  const train: RoutingExample[] = [];
  const heldOut: RoutingExample[] = [];
  for (const e of examples) (isHeldOut(e.text, share) ? heldOut : train).push(e);
  const candidate = trainLearnedRouting(train, agencies, options);
  const candidateScore = scoreModel(candidate, heldOut, options.hints);
  const currentScore = current ? scoreModel(current, heldOut, options.hints) : null;
  const notWorse =
    !currentScore ||
    candidateScore.exact > currentScore.exact ||
    (candidateScore.exact === currentScore.exact && candidateScore.kind >= currentScore.kind);
  return {
    model: notWorse ? candidate : current,
    swapped: notWorse,
    candidate: candidateScore,
    current: currentScore,
    trainRows: train.length,
    heldOutRows: heldOut.length,
  };
}

/**
 * Officers' examples as training rows: the stored agency code is the label (resolved through
 * the directory; codes no longer in it are dropped).
 */
export function examplesFromStore(
  stored: readonly StoredRoutingExample[],
  agencies: readonly AgencyRecord[],
): RoutingExample[] {
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const out: RoutingExample[] = [];
  for (const s of stored) {
    const a = byCode.get(s.agencyCode);
    if (!a || a.kind === 'admin') continue;
    out.push({
      text: s.text,
      name: a.name,
      resolution: {
        code: a.code,
        kind: a.kind,
        level: a.level,
        unit: a.kind === 'bumd' ? (a.code.split('-')[1] ?? null) : a.unit,
        regionCode: a.regionCode,
        via: 'code',
      },
    });
  }
  return out;
}
