/**
 * The text model under learned routing: multinomial Naive Bayes over the classifier's
 * Indonesian stems (dialogs/classifier/tokenize.ts), with the class priors of the history.
 *
 * Why not the topic classifier's model: that one deliberately weighs every topic the same (a
 * topic's share of our corpus says nothing about citizens). A disposition history is the
 * opposite: how often an operator sent reports to a body is exactly what it should learn, and
 * with hundreds of bodies, most seen a handful of times, the prior carries much of the signal.
 * Measured on real dispositions (5-fold, bench): priors + raw log counts beat the balanced
 * complement model by a wide margin.
 *
 * Sparse throughout: a history has hundreds of offices and a large vocabulary, and each word is
 * seen with few of them, so scores are computed as a per-class base (every word "unseen") plus
 * corrections for the classes a word was seen with. Training and scoring cost the number of
 * (word, class) pairs, not words x classes. Probabilities are calibrated with one softmax
 * temperature fitted on leave-one-out scores of a sample.
 */
import { analyseText, fitInverseTemperature } from '../../dialogs/classifier/index.ts';
import { normaliseText } from '../directory/normalise.ts';

/**
 * 'stems': the classifier's stems (place names left out: they say where, not what).
 * 'words': every normalised word, place names included.
 */
export type NbTokens = 'stems' | 'words';

/** Plain-JSON form. */
export interface SerializedRoutingNb {
  format: 'lapor-routing-nb';
  version: 2;
  tokens: NbTokens;
  classes: string[];
  alpha: number;
  temperature: number;
  classDocs: number[];
  /** Summed feature weight per class (the denominators). */
  classTotals: number[];
  /** Distinct features seen in training. */
  vocabularySize: number;
  vocabulary: string[];
  /** Per feature: [classIndex, weight, ...]. */
  counts: number[][];
}

export interface RoutingNbOptions {
  /** Lidstone smoothing. */
  alpha?: number;
  tokens?: NbTokens;
  onProgress?: (done: number, total: number) => void;
}

/** Features of one text: its stems (or words), plus any extra tokens. */
export function nbFeatures(
  text: string,
  extra: readonly string[] = [],
  tokens: NbTokens = 'stems',
): Map<string, number> {
  const raw = typeof text === 'string' ? text : '';
  const units =
    tokens === 'words'
      ? normaliseText(raw)
          .split(' ')
          .filter((w) => w.length > 2)
      : analyseText(raw).stems;
  const out = new Map<string, number>();
  for (const s of units) out.set(s, (out.get(s) ?? 0) + 1);
  for (const t of extra) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

const ROUND = 1e4;
const MAX_CALIBRATION_ROWS = 4000;

/** Per-class score parts: prior, the "unseen word" base, and the sparse per-word corrections. */
interface Tables {
  prior: Float64Array;
  base: Float64Array;
  /** Per feature: [class, log(n + alpha) - log(alpha), ...]. */
  delta: Float64Array[];
  cls: Int32Array[];
}

function buildTables(
  counts: readonly (readonly number[])[],
  classTotals: ArrayLike<number>,
  classDocs: ArrayLike<number>,
  vocabularySize: number,
  alpha: number,
): Tables {
  const C = classDocs.length;
  const logAlpha = Math.log(alpha);
  const base = new Float64Array(C);
  for (let c = 0; c < C; c++)
    base[c] = logAlpha - Math.log(classTotals[c]! + alpha * Math.max(1, vocabularySize));
  let docs = 0;
  for (let c = 0; c < C; c++) docs += classDocs[c]!;
  const prior = new Float64Array(C);
  for (let c = 0; c < C; c++) prior[c] = Math.log((classDocs[c]! + 0.5) / (docs + 0.5 * C));
  const delta: Float64Array[] = [];
  const cls: Int32Array[] = [];
  for (const entry of counts) {
    const k = entry.length >> 1;
    const d = new Float64Array(k);
    const c = new Int32Array(k);
    for (let j = 0; j < k; j++) {
      c[j] = entry[2 * j]!;
      d[j] = Math.log(entry[2 * j + 1]! + alpha) - logAlpha;
    }
    delta.push(d);
    cls.push(c);
  }
  return { prior, base, delta, cls };
}

function softmax(scores: Float64Array, beta: number): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    out[c] = Math.exp((scores[c]! - max) * beta);
    sum += out[c]!;
  }
  for (let c = 0; c < out.length; c++) out[c]! /= sum;
  return out;
}

export class RoutingNb {
  readonly classes: readonly string[];
  readonly tokens: NbTokens;
  readonly #json: SerializedRoutingNb;
  readonly #vocab: Map<string, number>;
  readonly #t: Tables;
  readonly #beta: number;

  constructor(json: SerializedRoutingNb) {
    this.#json = json;
    this.classes = json.classes;
    this.tokens = json.tokens === 'words' ? 'words' : 'stems';
    this.#vocab = new Map(json.vocabulary.map((w, i) => [w, i]));
    this.#t = buildTables(json.counts, json.classTotals, json.classDocs, json.vocabularySize, json.alpha);
    this.#beta = 1 / json.temperature;
  }

  /** Class probabilities for a text, most probable first. */
  classify(text: string, extra: readonly string[] = []): { label: string; p: number }[] {
    return this.classifyFeatures(nbFeatures(text, extra, this.tokens));
  }

  /** Class probabilities for features made with {@link nbFeatures} (same `tokens`). */
  classifyFeatures(features: ReadonlyMap<string, number>): { label: string; p: number }[] {
    const { prior, base, delta, cls } = this.#t;
    const C = this.classes.length;
    const scores = new Float64Array(prior);
    let total = 0;
    for (const [name, tf] of features) {
      const f = this.#vocab.get(name);
      if (f === undefined) continue;
      const w = Math.log1p(tf);
      total += w;
      const d = delta[f]!;
      const c = cls[f]!;
      for (let j = 0; j < d.length; j++) scores[c[j]!]! += w * d[j]!;
    }
    for (let c = 0; c < C; c++) scores[c]! += total * base[c]!;
    const p = softmax(scores, this.#beta);
    return this.classes
      .map((label, c) => ({ label, p: p[c]! }))
      .sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  }

  toJSON(): SerializedRoutingNb {
    return structuredClone(this.#json);
  }
}

/** A training document: its label and features (see {@link nbFeatures}). */
export interface NbDoc {
  label: string;
  features: ReadonlyMap<string, number>;
}

/**
 * Trains the model on featurized documents.
 * @throws Error when there are no documents.
 */
export function trainRoutingNb(docs: readonly NbDoc[], options: RoutingNbOptions = {}): RoutingNb {
  if (docs.length === 0) throw new Error('cannot train on zero rows');
  const alpha = options.alpha ?? 0.1;
  const classes = [...new Set(docs.map((d) => d.label))].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const C = classes.length;
  const vocab = new Map<string, number>();
  const names: string[] = [];
  const sparse: Map<number, number>[] = [];
  const classDocs = new Float64Array(C);
  const classTotals = new Float64Array(C);
  const step = Math.max(1, Math.floor(docs.length / 50));
  docs.forEach((doc, i) => {
    const c = classIndex.get(doc.label)!;
    for (const [name, tf] of doc.features) {
      let f = vocab.get(name);
      if (f === undefined) {
        f = names.length;
        vocab.set(name, f);
        names.push(name);
        sparse.push(new Map());
      }
      const w = Math.log1p(tf);
      const m = sparse[f]!;
      m.set(c, (m.get(c) ?? 0) + w);
      classTotals[c]! += w;
    }
    classDocs[c]! += 1;
    if (i % step === 0) options.onProgress?.(i, docs.length * 2);
  });
  const counts = sparse.map((m) => {
    const entry: number[] = [];
    for (const [c, w] of [...m.entries()].sort((a, b) => a[0] - b[0]))
      entry.push(c, Math.round(w * ROUND) / ROUND);
    return entry;
  });
  for (let c = 0; c < C; c++) classTotals[c] = Math.round(classTotals[c]! * ROUND) / ROUND;

  const json: SerializedRoutingNb = {
    format: 'lapor-routing-nb',
    version: 2,
    tokens: options.tokens ?? 'stems',
    classes,
    alpha,
    temperature: 1,
    classDocs: Array.from(classDocs),
    classTotals: Array.from(classTotals),
    vocabularySize: names.length,
    vocabulary: names,
    counts,
  };
  json.temperature =
    1 /
    calibrate(json, docs, vocab, classIndex, (d) => options.onProgress?.(docs.length + d, docs.length * 2));
  options.onProgress?.(docs.length * 2, docs.length * 2);
  return new RoutingNb(json);
}

/**
 * Inverse temperature from leave-one-out scores of a sample: each sampled document is scored
 * with its own counts taken out, as if it were new (exact for Naive Bayes, no retraining).
 */
function calibrate(
  json: SerializedRoutingNb,
  docs: readonly NbDoc[],
  vocab: ReadonlyMap<string, number>,
  classIndex: ReadonlyMap<string, number>,
  tick: (done: number) => void,
): number {
  const C = json.classes.length;
  if (docs.length < 10 || C < 2) return 1;
  const stride = Math.max(1, Math.floor(docs.length / MAX_CALIBRATION_ROWS));
  const t = buildTables(json.counts, json.classTotals, json.classDocs, json.vocabularySize, json.alpha);
  const logAlpha = Math.log(json.alpha);
  const scores: Float64Array[] = [];
  const gold: number[] = [];
  for (let i = 0; i < docs.length; i += stride) {
    const doc = docs[i]!;
    const own = classIndex.get(doc.label)!;
    if (json.classDocs[own]! <= 1) continue; // its class would vanish: nothing to learn from it
    let ownWeight = 0;
    for (const tf of doc.features.values()) ownWeight += Math.log1p(tf);
    const s = new Float64Array(t.prior);
    // Own class without this document: fewer docs, smaller total.
    const docsLeft = json.classDocs.reduce((a, b) => a + b, 0) - 1;
    s[own] = Math.log((json.classDocs[own]! - 1 + 0.5) / (docsLeft + 0.5 * C));
    const ownBase =
      logAlpha - Math.log(json.classTotals[own]! - ownWeight + json.alpha * Math.max(1, json.vocabularySize));
    let total = 0;
    for (const [name, tf] of doc.features) {
      const f = vocab.get(name)!;
      const w = Math.log1p(tf);
      const entry = json.counts[f]!;
      // A word only this document had is unseen once it is left out.
      let seenElsewhere = false;
      for (let j = 0; j < entry.length; j += 2) {
        const c = entry[j]!;
        const n = c === own ? entry[j + 1]! - w : entry[j + 1]!;
        if (n > 1e-6) {
          seenElsewhere = true;
          s[c]! += w * (Math.log(n + json.alpha) - logAlpha);
        }
      }
      if (seenElsewhere) total += w;
    }
    for (let c = 0; c < C; c++) s[c]! += total * (c === own ? ownBase : t.base[c]!);
    scores.push(s);
    gold.push(own);
    if (scores.length % 200 === 0) tick(i);
  }
  return scores.length ? fitInverseTemperature(scores, gold, { min: 1e-3, max: 1e2, iterations: 40 }) : 1;
}

/** Rebuilds a model from its JSON. Throws on a malformed one. */
export function loadRoutingNb(json: SerializedRoutingNb): RoutingNb {
  if (
    json?.format !== 'lapor-routing-nb' ||
    json.version !== 2 ||
    !Array.isArray(json.classes) ||
    !Array.isArray(json.vocabulary) ||
    !Array.isArray(json.counts) ||
    json.vocabulary.length !== json.counts.length ||
    json.classDocs?.length !== json.classes.length ||
    json.classTotals?.length !== json.classes.length ||
    !(json.alpha > 0) ||
    !(json.temperature > 0)
  ) {
    throw new Error('malformed text model');
  }
  return new RoutingNb(json);
}
