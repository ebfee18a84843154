/**
 * Multinomial logistic regression over word stems, stem pairs and character n-grams of the
 * words, trained with stochastic gradient descent, with probabilities calibrated by a softmax
 * temperature fitted on a held-out part of the training rows.
 *
 * Why hand-written: natural's LogisticRegressionClassifier is binary one-vs-rest over its own
 * features, takes ~19 s on 5,000 short texts (see /work/shared/ENVIRONMENT.md), gives no
 * probabilities and serialises the stemmer dictionary; the few well-kept npm ML libraries work
 * on dense matrices, which at ~50,000 sparse features and 20 classes would not fit a chat
 * server's memory. The model here is a few dozen lines of arithmetic over typed arrays: it
 * trains 5,000 rows in a few seconds and 100,000 in well under 30, classifies in a small
 * fraction of a millisecond, and works for any label set (categories, agency kinds, an
 * operator's own dispositions), so issue 11's routing head can reuse it.
 *
 * Character n-grams ("<rusa", "usak", "sak>") let a typo or an unfamiliar affix still hit
 * known features, which matters on real complaints far more than on our corpus.
 */
import { fitInverseTemperature, prng } from './model.ts';
import { analyseText } from './tokenize.ts';
import {
  type CategoryScore,
  type Classification,
  ClassifierInputError,
  type ClassifierModel,
  type LabelledText,
  type LinearFeatureOptions,
  type SerializedLinearModel,
} from './types.ts';

export type { LinearFeatureOptions, SerializedLinearModel } from './types.ts';

/**
 * Bumped whenever feature extraction for this model changes; a saved model built with another
 * revision would silently stop matching its vocabulary.
 */
export const LINEAR_FEATURE_VERSION = 2;

/** Settings of `trainLinear`; every one has a default chosen by cross-validation on our corpus. */
export interface LinearTrainOptions {
  features?: Partial<LinearFeatureOptions>;
  /** Passes over the training rows. */
  epochs?: number;
  /** Initial SGD step; it decays linearly to a tenth over the epochs. */
  learningRate?: number;
  /** L2 penalty per step on the weights a row touches. */
  l2?: number;
  /** A feature must occur in at least this many training rows to be kept. */
  minDocFreq?: number;
  /** Fit a softmax temperature on a held-out tenth (default true). */
  calibrate?: boolean;
  /** Called as training advances; the last call has `done === total`. */
  onProgress?: (done: number, total: number) => void;
  seed?: number;
}

export const DEFAULT_LINEAR_FEATURES: LinearFeatureOptions = {
  bigrams: true,
  charNgrams: [4],
  minCharWordLength: 4,
};

const DEFAULTS = {
  epochs: 10,
  learningRate: 0.8,
  l2: 1e-5,
  minDocFreq: 2,
  seed: 0x51a7,
};

/** Counts the features of one text, then scales them: log(1 + count), unit length overall. */
export function linearFeatures(text: string, options: LinearFeatureOptions): Map<string, number> {
  const { stems, words } = analyseText(typeof text === 'string' ? text : String(text ?? ''));
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  for (let i = 0; i < stems.length; i++) {
    add(`w ${stems[i]}`);
    if (options.bigrams && i + 1 < stems.length) add(`b ${stems[i]} ${stems[i + 1]}`);
  }
  for (const word of words) {
    if (word.length < options.minCharWordLength) continue;
    const padded = `<${word}>`;
    for (const n of options.charNgrams) {
      for (let i = 0; i + n <= padded.length; i++) add(`c ${padded.slice(i, i + n)}`);
    }
  }
  let norm = 0;
  for (const [f, c] of counts) {
    const v = Math.log1p(c);
    counts.set(f, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [f, v] of counts) counts.set(f, v / norm);
  return counts;
}

/** A featurized row: known feature indices and values, and its class. */
interface Row {
  idx: Int32Array;
  val: Float64Array;
  cls: number;
}

function softmaxInPlace(s: Float64Array, beta = 1): void {
  let max = -Infinity;
  for (let c = 0; c < s.length; c++) max = Math.max(max, s[c]!);
  let sum = 0;
  for (let c = 0; c < s.length; c++) {
    const e = Math.exp((s[c]! - max) * beta);
    s[c] = e;
    sum += e;
  }
  for (let c = 0; c < s.length; c++) s[c]! /= sum;
}

interface Fitted {
  w: Float64Array;
  bias: Float64Array;
}

/** SGD on softmax cross-entropy. `tick` is called once per row visited. */
function sgd(
  rows: readonly Row[],
  V: number,
  C: number,
  s: Required<Omit<LinearTrainOptions, 'onProgress' | 'features' | 'calibrate'>>,
  tick: () => void,
): Fitted {
  const w = new Float64Array(V * C);
  const bias = new Float64Array(C);
  const p = new Float64Array(C);
  const order = Array.from({ length: rows.length }, (_, i) => i);
  const rand = prng(s.seed);
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = s.learningRate * (1 - (0.9 * epoch) / Math.max(1, s.epochs));
    const decay = 1 - lr * s.l2;
    for (const r of order) {
      const row = rows[r]!;
      p.set(bias);
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * C;
        const v = row.val[k]!;
        for (let c = 0; c < C; c++) p[c]! += v * w[base + c]!;
      }
      softmaxInPlace(p);
      p[row.cls]! -= 1;
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * C;
        const step = lr * row.val[k]!;
        for (let c = 0; c < C; c++) w[base + c] = w[base + c]! * decay - step * p[c]!;
      }
      for (let c = 0; c < C; c++) bias[c]! -= lr * p[c]!;
      tick();
    }
  }
  return { w, bias };
}

/** 32-bit FNV-1a over a text, for a fixed calibration split. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ROUND = 1e4;

/**
 * Trains a calibrated linear classifier on labelled texts; every distinct `category` becomes a
 * class. With calibration on, a tenth of the rows (chosen by a hash of the text) is held out
 * to fit the temperature, then the model is trained again on every row.
 *
 * @throws ClassifierInputError on empty input or malformed rows.
 */
export function trainLinear(rows: LabelledText[], options: LinearTrainOptions = {}): ClassifierModel {
  if (!Array.isArray(rows) || rows.length === 0) throw new ClassifierInputError('cannot train on zero rows');
  rows.forEach((r, i) => {
    if (typeof r?.text !== 'string' || typeof r.category !== 'string' || r.category === '') {
      throw new ClassifierInputError(`row ${i}: expected { text: string, category: non-empty string }`);
    }
  });
  const feats: LinearFeatureOptions = { ...DEFAULT_LINEAR_FEATURES, ...options.features };
  const s = {
    epochs: options.epochs ?? DEFAULTS.epochs,
    learningRate: options.learningRate ?? DEFAULTS.learningRate,
    l2: options.l2 ?? DEFAULTS.l2,
    minDocFreq: options.minDocFreq ?? DEFAULTS.minDocFreq,
    seed: options.seed ?? DEFAULTS.seed,
  };
  if (!(s.epochs >= 1) || !(s.learningRate > 0) || !(s.l2 >= 0)) {
    throw new ClassifierInputError('epochs must be >= 1, learningRate > 0 and l2 >= 0');
  }
  const calibrate = (options.calibrate ?? true) && rows.length >= 20;
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const catIndex = new Map(categories.map((c, i) => [c, i]));
  const C = categories.length;

  const n = rows.length;
  const heldOut = calibrate ? rows.map((r) => hash(r.text.trim().toLowerCase()) % 10 === 0) : [];
  const heldCount = heldOut.filter(Boolean).length;
  const total = n + (calibrate ? (n - heldCount) * s.epochs : 0) + n * s.epochs;
  let done = 0;
  const every = Math.max(1, Math.floor(total / 100));
  const tick = () => {
    done++;
    if (options.onProgress && done % every === 0 && done < total) options.onProgress(done, total);
  };

  // Features of every row; the vocabulary keeps features seen in minDocFreq rows.
  const featured = rows.map((r) => {
    const f = linearFeatures(r.text, feats);
    tick();
    return f;
  });
  const df = new Map<string, number>();
  for (const f of featured) for (const name of f.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  const vocabulary: string[] = [];
  const vocab = new Map<string, number>();
  for (const [name, count] of df) {
    if (count >= s.minDocFreq) {
      vocab.set(name, vocabulary.length);
      vocabulary.push(name);
    }
  }
  const V = vocabulary.length;
  const featurized: Row[] = featured.map((f, i) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [name, v] of f) {
      const k = vocab.get(name);
      if (k !== undefined) {
        idx.push(k);
        val.push(v);
      }
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val), cls: catIndex.get(rows[i]!.category)! };
  });

  let beta = 1;
  if (calibrate && heldCount > 0 && heldCount < n) {
    const part = sgd(
      featurized.filter((_, i) => !heldOut[i]),
      V,
      C,
      s,
      tick,
    );
    const scores: Float64Array[] = [];
    const gold: number[] = [];
    featurized.forEach((r, i) => {
      if (!heldOut[i]) return;
      const out = new Float64Array(C);
      out.set(part.bias);
      for (let k = 0; k < r.idx.length; k++) {
        const base = r.idx[k]! * C;
        for (let c = 0; c < C; c++) out[c]! += r.val[k]! * part.w[base + c]!;
      }
      scores.push(out);
      gold.push(r.cls);
    });
    beta = fitInverseTemperature(scores, gold, { min: 1e-2, max: 1e2, iterations: 50 });
  }
  const fitted = sgd(featurized, V, C, s, tick);
  const weights: number[][] = [];
  for (let f = 0; f < V; f++) {
    const entry: number[] = [];
    for (let c = 0; c < C; c++) {
      const x = Math.round(fitted.w[f * C + c]! * ROUND) / ROUND;
      if (x !== 0) entry.push(c, x);
    }
    weights.push(entry);
  }
  const model = new LinearModel({
    format: 'lapor-linear',
    version: 1,
    featureVersion: LINEAR_FEATURE_VERSION,
    categories,
    features: feats,
    temperature: 1 / beta,
    bias: Array.from(fitted.bias, (x) => Math.round(x * ROUND) / ROUND),
    vocabulary,
    weights,
  });
  options.onProgress?.(total, total);
  return model;
}

/** The trained model: a dense weight table, so classify() is one lookup per feature. */
export class LinearModel implements ClassifierModel {
  readonly categories: readonly string[];
  readonly #json: SerializedLinearModel;
  readonly #vocab: Map<string, number>;
  readonly #w: Float64Array;
  readonly #bias: Float64Array;
  readonly #beta: number;

  constructor(json: SerializedLinearModel) {
    this.#json = json;
    this.categories = Object.freeze([...json.categories]);
    const C = json.categories.length;
    this.#vocab = new Map(json.vocabulary.map((name, i) => [name, i]));
    this.#w = new Float64Array(json.vocabulary.length * C);
    json.weights.forEach((entry, f) => {
      for (let j = 0; j + 1 < entry.length; j += 2) this.#w[f * C + entry[j]!] = entry[j + 1]!;
    });
    this.#bias = Float64Array.from(json.bias);
    this.#beta = 1 / json.temperature;
  }

  classify(text: string): Classification {
    const C = this.categories.length;
    const scores = new Float64Array(C);
    scores.set(this.#bias);
    for (const [name, v] of linearFeatures(text, this.#json.features)) {
      const f = this.#vocab.get(name);
      if (f === undefined) continue;
      const base = f * C;
      for (let c = 0; c < C; c++) scores[c]! += v * this.#w[base + c]!;
    }
    softmaxInPlace(scores, this.#beta);
    const top: CategoryScore[] = this.categories.map((category, c) => ({ category, p: scores[c]! }));
    top.sort((a, b) => b.p - a.p || (a.category < b.category ? -1 : 1));
    const best = top[0]!;
    return { category: best.category, confidence: best.p, top };
  }

  toJSON(): SerializedLinearModel {
    return structuredClone(this.#json);
  }
}

/**
 * Rebuilds a linear model from its JSON.
 * @throws ClassifierInputError when the JSON is malformed or from another feature revision.
 */
export function loadLinear(json: SerializedLinearModel): ClassifierModel {
  const fail = (what: string): never => {
    throw new ClassifierInputError(`loadClassifier: ${what}`);
  };
  if (json.version !== 1) fail(`unsupported lapor-linear version ${String(json.version)}`);
  if (json.featureVersion !== LINEAR_FEATURE_VERSION) {
    fail(
      `model built with feature version ${json.featureVersion}, this code uses ${LINEAR_FEATURE_VERSION}: retrain it`,
    );
  }
  const C = Array.isArray(json.categories) ? json.categories.length : 0;
  if (C === 0) fail('"categories" must be a non-empty array');
  if (!Array.isArray(json.bias) || json.bias.length !== C || !json.bias.every(Number.isFinite))
    fail('"bias" must have one number per category');
  if (!(json.temperature > 0)) fail('"temperature" must be a positive number');
  const f = json.features;
  if (
    typeof f !== 'object' ||
    f === null ||
    typeof f.bigrams !== 'boolean' ||
    !Array.isArray(f.charNgrams) ||
    !f.charNgrams.every((x) => Number.isInteger(x) && x > 0 && x < 10) ||
    !Number.isInteger(f.minCharWordLength)
  )
    fail('"features" is malformed');
  if (
    !Array.isArray(json.vocabulary) ||
    !Array.isArray(json.weights) ||
    json.vocabulary.length !== json.weights.length
  )
    fail('"vocabulary" and "weights" must be arrays of equal length');
  json.weights.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length % 2 !== 0)
      fail(`"weights[${i}]" must be [category, weight, ...] pairs`);
    for (let j = 0; j < entry.length; j += 2) {
      const c = entry[j]!;
      if (!Number.isInteger(c) || c < 0 || c >= C || !Number.isFinite(entry[j + 1]))
        fail(`"weights[${i}]" is malformed`);
    }
  });
  return new LinearModel(structuredClone(json));
}
