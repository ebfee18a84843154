/**
 * Naive Bayes over natural's Indonesian stems, with temperature calibration.
 *
 * Why hand-written rather than natural's BayesClassifier: measured on Indonesian complaint
 * text, natural's classifier scored below the majority-class baseline (see
 * /work/shared/ENVIRONMENT.md), its scores are not probabilities, it cannot use log-scaled
 * counts, tuned smoothing or the complement variant, and its JSON embeds the ~300 KB stemmer
 * dictionary. Our own NB is a few dozen lines, trains 50,000 rows in seconds, and keeps a
 * dense precomputed log-probability table so classify() costs one Map lookup per feature.
 */
import { extractFeatures, FEATURE_VERSION, type FeatureOptions } from './tokenize.ts';
import {
  type CategoryScore,
  type Classification,
  ClassifierInputError,
  type ClassifierModel,
  type LabelledText,
  type NaiveBayesVariant,
  type SerializedNaiveBayesModel,
} from './types.ts';

export type { NaiveBayesVariant } from './types.ts';

/**
 * Defaults picked by 5-fold cross-validation (`crossValidate`) on the training part (80%)
 * of the shipped corpus; the held-out 20% played no part. Accuracy / mean NLL measured:
 *   multinomial, alpha 0.1-0.5, unigrams: 0.71 / 0.95   (+ bigrams: 0.71 / 0.98)
 *   complement, raw weights, alpha 1:     0.77 / 0.80   (+ bigrams: 0.76 / 0.84)
 *   complement, unit-length, alpha 0.5:   0.76 / 0.79   (+ bigrams: 0.77 / 0.82)
 * Complement with unit-length documents ties on accuracy and is best on NLL; it also stays
 * better calibrated on messages cut to their first 5 / 3 words (cross-validated ECE 0.08 /
 * 0.10 vs 0.12 / 0.16 for raw weights), and short messages are common in chat. Stem
 * bigrams did not help and make the model ~4x larger, so they are off.
 */
export const DEFAULT_ALPHA = 0.5;
export const DEFAULT_FEATURES: FeatureOptions = { bigrams: false };
export const DEFAULT_VARIANT: NaiveBayesVariant = 'complement';
export const DEFAULT_NORMALIZE = true;

/** Options for `trainClassifier`; everything is optional. */
export interface TrainOptions {
  /** Called as training advances; the last call has `done === total`. */
  onProgress?: (done: number, total: number) => void;
  /** Fit a softmax temperature on cross-validated predictions (default true). */
  calibrate?: boolean;
  /** Lidstone smoothing added to every feature weight; overrides the tuned default. */
  alpha?: number;
  /** Feature families; overrides the tuned default. */
  features?: Partial<FeatureOptions>;
  /** Naive Bayes flavour; overrides the tuned default. */
  variant?: NaiveBayesVariant;
  /** Scale each document's weight vector to unit length; overrides the tuned default. */
  normalize?: boolean;
}

interface Settings {
  alpha: number;
  feats: FeatureOptions;
  variant: NaiveBayesVariant;
  normalize: boolean;
}

/** A featurized training document: feature indices and their weights. */
interface Doc {
  cls: number;
  idx: Int32Array;
  w: Float64Array;
}

/** Feature-major weight table: `w[f * C + c]` is the summed weight of feature f in class c. */
interface CountTable {
  C: number;
  vocab: Map<string, number>;
  names: string[];
  w: Float64Array;
  classDocs: Float64Array;
}

/** Per-feature, per-class score contributions; see `scoreTable`. */
interface ScoreTable {
  logp: Float64Array;
  active: Uint8Array;
  bias: Float64Array;
}

/** Hard ceiling on calibration scoring so that 50,000-row training stays at a few seconds. */
const MAX_CALIBRATION_ROWS = 4000;
const ROUND = 1e4;

/**
 * Document weights: log(1 + tf) damps a word repeated in one angry message; the optional
 * unit-length scaling stops long messages from dominating the class totals.
 */
function docWeights(tfs: number[], normalize: boolean): number[] {
  const w = tfs.map((tf) => Math.log1p(tf));
  if (normalize) {
    const norm = Math.sqrt(w.reduce((a, x) => a + x * x, 0));
    if (norm > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / norm;
  }
  return w;
}

function featurize(
  rows: LabelledText[],
  catIndex: Map<string, number>,
  s: Settings,
  table: CountTable,
  tick: () => void,
): Doc[] {
  const docs: Doc[] = [];
  // Each class weighs the same in total, however many rows it has: the corpus grows unevenly
  // (one category may get a thousand new rows, another none yet), and a class's share of the
  // training rows says nothing about how often citizens write about it.
  const perClass = new Array<number>(table.C).fill(0);
  for (const row of rows) perClass[catIndex.get(row.category)!]! += 1;
  const present = perClass.filter((n) => n > 0).length;
  const scale = perClass.map((n) => (n > 0 ? rows.length / (present * n) : 0));
  for (const row of rows) {
    const cls = catIndex.get(row.category)!;
    const counts = extractFeatures(row.text, s.feats);
    const idx = new Int32Array(counts.size);
    const w = new Float64Array(docWeights([...counts.values()], s.normalize).map((x) => x * scale[cls]!));
    let k = 0;
    for (const name of counts.keys()) {
      let f = table.vocab.get(name);
      if (f === undefined) {
        f = table.names.length;
        table.vocab.set(name, f);
        table.names.push(name);
        if ((f + 1) * table.C > table.w.length) {
          const grown = new Float64Array(Math.max(table.w.length * 2, (f + 1) * table.C));
          grown.set(table.w);
          table.w = grown;
        }
      }
      idx[k] = f;
      table.w[f * table.C + cls]! += w[k]!;
      k++;
    }
    table.classDocs[cls]! += 1;
    docs.push({ cls, idx, w });
    tick();
  }
  return docs;
}

/**
 * Precomputes what each feature adds to each class score, so scoring a text is a sum:
 *   multinomial: bias = log prior, logp[f,c] = log P(f | c)
 *   complement:  bias = 0,         logp[f,c] = -log P(f | all classes but c)
 * with Lidstone smoothing `alpha`. Features with zero weight everywhere (possible inside a
 * cross-validation fold) are out of vocabulary: not `active`, skipped when scoring.
 */
function scoreTable(
  w: Float64Array,
  V: number,
  C: number,
  classDocs: ArrayLike<number>,
  s: Settings,
): ScoreTable {
  const { alpha } = s;
  const active = new Uint8Array(V);
  const featureTotal = new Float64Array(V);
  const classTotal = new Float64Array(C);
  let grand = 0;
  let vActive = 0;
  for (let f = 0; f < V; f++) {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      // Clamp: subtracting a fold can leave -1e-17 instead of 0.
      const x = Math.max(0, w[f * C + c]!);
      sum += x;
      classTotal[c]! += x;
    }
    featureTotal[f] = sum;
    grand += sum;
    if (sum > 1e-9) {
      active[f] = 1;
      vActive++;
    }
  }
  const logp = new Float64Array(V * C);
  const bias = new Float64Array(C);
  if (s.variant === 'complement') {
    const logDenom = Array.from({ length: C }, (_, c) => Math.log(grand - classTotal[c]! + alpha * vActive));
    for (let f = 0; f < V; f++) {
      if (!active[f]) continue;
      for (let c = 0; c < C; c++) {
        const other = Math.max(0, featureTotal[f]! - Math.max(0, w[f * C + c]!));
        logp[f * C + c] = logDenom[c]! - Math.log(other + alpha);
      }
    }
  } else {
    const logDenom = Array.from({ length: C }, (_, c) => Math.log(classTotal[c]! + alpha * vActive));
    for (let f = 0; f < V; f++) {
      if (!active[f]) continue;
      for (let c = 0; c < C; c++)
        logp[f * C + c] = Math.log(Math.max(0, w[f * C + c]!) + alpha) - logDenom[c]!;
    }
    // Add-one smoothed priors: a class with few examples is not ruled out.
    let docs = 0;
    for (let c = 0; c < C; c++) docs += classDocs[c]!;
    for (let c = 0; c < C; c++) bias[c] = Math.log((classDocs[c]! + 1) / (docs + C));
  }
  return { logp, active, bias };
}

function scoreDoc(
  idx: ArrayLike<number>,
  w: ArrayLike<number>,
  n: number,
  table: ScoreTable,
  C: number,
  out: Float64Array,
): void {
  out.set(table.bias);
  for (let k = 0; k < n; k++) {
    const f = idx[k]!;
    if (!table.active[f]) continue;
    const wk = w[k]!;
    const base = f * C;
    for (let c = 0; c < C; c++) out[c]! += wk * table.logp[base + c]!;
  }
}

/** Softmax of `scores * beta` into `out`, max-shifted so large scores cannot overflow. */
function softmax(scores: ArrayLike<number>, beta: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) max = Math.max(max, scores[c]!);
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    const e = Math.exp((scores[c]! - max) * beta);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < out.length; c++) out[c]! /= sum;
}

/** Mean negative log-likelihood of the gold labels under softmax(beta * scores). */
export function meanNll(scores: Float64Array[], gold: number[], beta: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    let max = -Infinity;
    for (const x of s) max = Math.max(max, x);
    let sum = 0;
    for (const x of s) sum += Math.exp((x - max) * beta);
    total += Math.log(sum) - (s[gold[i]!]! - max) * beta;
  }
  return total / Math.max(1, scores.length);
}

/**
 * Inverse temperature minimising NLL. NLL is convex in beta (log-sum-exp minus a linear
 * term), so a golden-section search over log(beta) in [min, max] finds the global minimum.
 * Shared by every calibrated model here (Naive Bayes, the linear model, learned routing).
 */
export function fitInverseTemperature(
  scores: Float64Array[],
  gold: number[],
  range: { min: number; max: number; iterations: number } = { min: 1e-3, max: 1e3, iterations: 60 },
): number {
  if (scores.length === 0) return 1;
  let lo = Math.log(range.min);
  let hi = Math.log(range.max);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = meanNll(scores, gold, Math.exp(a));
  let fb = meanNll(scores, gold, Math.exp(b));
  for (let i = 0; i < range.iterations; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = meanNll(scores, gold, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = meanNll(scores, gold, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Deterministic PRNG (mulberry32) so fold assignment does not depend on Math.random. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Out-of-fold scores for (a sample of) the training documents. */
interface OutOfFold {
  scores: Float64Array[];
  gold: number[];
}

/**
 * k-fold cross-validated scores computed by subtraction: each fold's model is the full
 * weight table minus that fold's documents, so nothing is featurized twice.
 */
function outOfFoldScores(
  docs: Doc[],
  table: CountTable,
  s: Settings,
  k: number,
  maxScored: number,
  tick: () => void,
): OutOfFold {
  const { C } = table;
  const V = table.names.length;
  const n = docs.length;
  const rand = prng(0x1a9042);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const perFoldScored = Math.ceil(maxScored / k);
  const scores: Float64Array[] = [];
  const gold: number[] = [];
  const foldW = new Float64Array(V * C);
  const foldDocs = new Float64Array(C);
  for (let fold = 0; fold < k; fold++) {
    foldW.set(table.w.subarray(0, V * C));
    foldDocs.set(table.classDocs);
    const members: Doc[] = [];
    for (let p = fold; p < n; p += k) {
      const d = docs[order[p]!]!;
      members.push(d);
      for (let j = 0; j < d.idx.length; j++) foldW[d.idx[j]! * C + d.cls]! -= d.w[j]!;
      foldDocs[d.cls]! -= 1;
      tick();
    }
    const st = scoreTable(foldW, V, C, foldDocs, s);
    for (const d of members.slice(0, perFoldScored)) {
      const out = new Float64Array(C);
      scoreDoc(d.idx, d.w, d.idx.length, st, C, out);
      scores.push(out);
      gold.push(d.cls);
      tick();
    }
  }
  return { scores, gold };
}

function resolveSettings(options: TrainOptions): Settings {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0)) throw new ClassifierInputError(`alpha must be > 0 (got ${alpha})`);
  const variant = options.variant ?? DEFAULT_VARIANT;
  if (variant !== 'multinomial' && variant !== 'complement') {
    throw new ClassifierInputError(`variant must be 'multinomial' or 'complement' (got ${String(variant)})`);
  }
  return {
    alpha,
    feats: { ...DEFAULT_FEATURES, ...options.features },
    variant,
    normalize: options.normalize ?? DEFAULT_NORMALIZE,
  };
}

function prepare(rows: LabelledText[], s: Settings, tick: () => void) {
  if (!Array.isArray(rows) || rows.length === 0) throw new ClassifierInputError('cannot train on zero rows');
  rows.forEach((r, i) => {
    if (typeof r?.text !== 'string' || typeof r.category !== 'string' || r.category === '') {
      throw new ClassifierInputError(`row ${i}: expected { text: string, category: non-empty string }`);
    }
  });
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const catIndex = new Map(categories.map((c, i) => [c, i]));
  const C = categories.length;
  const table: CountTable = {
    C,
    vocab: new Map(),
    names: [],
    w: new Float64Array(1024 * C),
    classDocs: new Float64Array(C),
  };
  const docs = featurize(rows, catIndex, s, table, tick);
  return { categories, table, docs };
}

/**
 * Trains a calibrated Naive Bayes text classifier.
 *
 * @param rows labelled texts; every distinct `category` becomes a class.
 * @param options `onProgress(done, total)` for progress bars (the last call has
 *   done === total); `calibrate: false` skips the cross-validated temperature fit
 *   (probabilities are then raw NB posteriors, typically far too sure of themselves).
 *   `alpha`, `features`, `variant`, `normalize` override the tuned defaults.
 * @throws ClassifierInputError on empty input or malformed rows.
 */
export function trainClassifier(rows: LabelledText[], options: TrainOptions = {}): ClassifierModel {
  const s = resolveSettings(options);
  const calibrate = options.calibrate ?? true;
  const n = Array.isArray(rows) ? rows.length : 0;
  // Small sets can afford 5 folds; big ones get 3 folds and a scored sample.
  const k = n < 10 ? 0 : n <= 5000 ? 5 : 3;
  const scored = Math.min(n, MAX_CALIBRATION_ROWS);
  const total = n + (calibrate && k > 0 ? n + scored : 0) + 1;
  let done = 0;
  const step = Math.max(1, Math.floor(total / 100));
  const tick = () => {
    done++;
    if (options.onProgress && done % step === 0 && done < total) options.onProgress(done, total);
  };

  const { categories, table, docs } = prepare(rows, s, tick);
  const { C } = table;
  const V = table.names.length;
  // Round first so that a model rebuilt from its (rounded) JSON is bit-identical.
  for (let i = 0; i < V * C; i++) table.w[i] = Math.round(table.w[i]! * ROUND) / ROUND;

  let temperature = 1;
  if (calibrate && k > 0) {
    const oof = outOfFoldScores(docs, table, s, k, scored, tick);
    temperature = 1 / fitInverseTemperature(oof.scores, oof.gold);
  }

  const counts: number[][] = [];
  for (let f = 0; f < V; f++) {
    const entry: number[] = [];
    for (let c = 0; c < C; c++) {
      const x = table.w[f * C + c]!;
      if (x !== 0) entry.push(c, x);
    }
    counts.push(entry);
  }
  const model = new NaiveBayesModel({
    format: 'lapor-naive-bayes',
    version: 1,
    featureVersion: FEATURE_VERSION,
    categories,
    variant: s.variant,
    normalize: s.normalize,
    features: { ...s.feats },
    alpha: s.alpha,
    temperature,
    classDocs: Array.from(table.classDocs),
    vocabulary: table.names,
    counts,
  });
  options.onProgress?.(total, total);
  return model;
}

/** Cross-validation figures for one setting, computed on training data only. */
export interface CrossValidation {
  accuracy: number;
  macroF1: number;
  /** Mean negative log-likelihood after temperature scaling (fitted on the same folds). */
  nll: number;
  temperature: number;
}

/**
 * k-fold cross-validation of one setting (smoothing, features, variant) on `rows`, for
 * tuning without touching held-out data. Shares the training code path.
 */
export function crossValidate(
  rows: LabelledText[],
  options: Omit<TrainOptions, 'onProgress' | 'calibrate'> = {},
  k = 5,
): CrossValidation {
  const s = resolveSettings(options);
  const { categories, table, docs } = prepare(rows, s, () => {});
  const C = categories.length;
  const oof = outOfFoldScores(docs, table, s, k, docs.length, () => {});
  const beta = fitInverseTemperature(oof.scores, oof.gold);
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let correct = 0;
  oof.scores.forEach((sc, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (sc[c]! > sc[best]!) best = c;
    confusion[oof.gold[i]!]![best]! += 1;
    if (best === oof.gold[i]) correct++;
  });
  let f1sum = 0;
  for (let c = 0; c < C; c++) {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    f1sum += support + predicted === 0 ? 0 : (2 * tp) / (support + predicted);
  }
  return {
    accuracy: correct / oof.scores.length,
    macroF1: f1sum / C,
    nll: meanNll(oof.scores, oof.gold, beta),
    temperature: 1 / beta,
  };
}

/** The trained model: precomputed score table, so classify() is lookups and adds. */
class NaiveBayesModel implements ClassifierModel {
  readonly categories: readonly string[];
  readonly #json: SerializedNaiveBayesModel;
  readonly #vocab: Map<string, number>;
  readonly #table: ScoreTable;
  readonly #beta: number;
  readonly #settings: Settings;

  constructor(json: SerializedNaiveBayesModel) {
    this.#json = json;
    this.categories = Object.freeze([...json.categories]);
    const C = json.categories.length;
    const V = json.vocabulary.length;
    this.#vocab = new Map(json.vocabulary.map((name, i) => [name, i]));
    const w = new Float64Array(V * C);
    json.counts.forEach((entry, f) => {
      for (let j = 0; j + 1 < entry.length; j += 2) w[f * C + entry[j]!] = entry[j + 1]!;
    });
    this.#settings = {
      alpha: json.alpha,
      feats: { bigrams: json.features.bigrams },
      variant: json.variant,
      normalize: json.normalize,
    };
    this.#table = scoreTable(w, V, C, json.classDocs, this.#settings);
    this.#beta = 1 / json.temperature;
  }

  classify(text: string): Classification {
    const C = this.categories.length;
    const feats = extractFeatures(typeof text === 'string' ? text : String(text ?? ''), this.#settings.feats);
    // Weights are computed over all the text's features, known or not, exactly as in
    // training, so normalisation treats a sentence the same whether or not it was seen.
    const w = docWeights([...feats.values()], this.#settings.normalize);
    const idx: number[] = [];
    const known: number[] = [];
    let k = 0;
    for (const name of feats.keys()) {
      const f = this.#vocab.get(name);
      if (f !== undefined) {
        idx.push(f);
        known.push(w[k]!);
      }
      k++;
    }
    const scores = new Float64Array(C);
    scoreDoc(idx, known, idx.length, this.#table, C, scores);
    const p = new Float64Array(C);
    softmax(scores, this.#beta, p);
    const top: CategoryScore[] = this.categories.map((category, c) => ({ category, p: p[c]! }));
    // Tie-break on the id so equal probabilities (e.g. empty text) still sort deterministically.
    top.sort((a, b) => b.p - a.p || (a.category < b.category ? -1 : 1));
    const best = top[0]!;
    return { category: best.category, confidence: best.p, top };
  }

  toJSON(): SerializedNaiveBayesModel {
    return structuredClone(this.#json);
  }
}

/**
 * Rebuilds a model from `model.toJSON()` output (e.g. after JSON.parse of a saved file).
 * @throws ClassifierInputError when the JSON is not a model of this format/version, or was
 *   built by a different tokenizer revision (its vocabulary would silently stop matching).
 */
export function loadNaiveBayes(json: SerializedNaiveBayesModel): ClassifierModel {
  const fail = (what: string): never => {
    throw new ClassifierInputError(`loadClassifier: ${what}`);
  };
  if (json === null || typeof json !== 'object') fail('expected an object from model.toJSON()');
  if (json.format !== 'lapor-naive-bayes' || json.version !== 1) {
    fail(`unsupported format ${String(json.format)} v${String(json.version)}`);
  }
  if (json.featureVersion !== FEATURE_VERSION) {
    fail(
      `model built with feature version ${json.featureVersion}, this code uses ${FEATURE_VERSION}: retrain it`,
    );
  }
  const C = Array.isArray(json.categories) ? json.categories.length : 0;
  if (C === 0) fail('"categories" must be a non-empty array');
  if (json.variant !== 'multinomial' && json.variant !== 'complement')
    fail('"variant" must be multinomial or complement');
  if (typeof json.normalize !== 'boolean' || typeof json.features?.bigrams !== 'boolean') {
    fail('"normalize" and "features.bigrams" must be booleans');
  }
  if (!Array.isArray(json.classDocs) || json.classDocs.length !== C)
    fail('"classDocs" must have one entry per category');
  if (
    !Array.isArray(json.vocabulary) ||
    !Array.isArray(json.counts) ||
    json.vocabulary.length !== json.counts.length
  ) {
    fail('"vocabulary" and "counts" must be arrays of equal length');
  }
  if (!(json.alpha > 0) || !(json.temperature > 0))
    fail('"alpha" and "temperature" must be positive numbers');
  json.counts.forEach((entry, f) => {
    if (!Array.isArray(entry) || entry.length % 2 !== 0)
      fail(`"counts[${f}]" must be [category, weight, ...] pairs`);
    for (let j = 0; j < entry.length; j += 2) {
      const c = entry[j]!;
      if (!Number.isInteger(c) || c < 0 || c >= C || !Number.isFinite(entry[j + 1]))
        fail(`"counts[${f}]" is malformed`);
    }
  });
  return new NaiveBayesModel(structuredClone(json));
}
