/**
 * The text model under learned routing: multinomial Naive Bayes over the classifier's
 * Indonesian stems (dialogs/classifier/tokenize.ts), with the class priors of the history.
 *
 * Why not the topic classifier's model: that one deliberately weighs every topic the same (a
 * topic's share of our corpus says nothing about citizens). A disposition history is the
 * opposite: how often an operator sent reports to a body is exactly what it should learn, and
 * with hundreds of bodies, most seen a handful of times, the prior carries much of the signal.
 * Measured on real dispositions (5-fold, bench): priors + raw log counts beat the balanced
 * complement model by a wide margin. Probabilities are calibrated with one softmax temperature
 * fitted on out-of-fold scores (computed by subtracting each fold's counts, no re-featurizing).
 */
import { analyseText } from '../../dialogs/classifier/index.ts';
import { normaliseText } from '../directory/normalise.ts';

/**
 * 'stems': the classifier's stems (place names left out: they say where, not what).
 * 'words': every normalised word, place names included, for learning *where* from the text.
 */
export type NbTokens = 'stems' | 'words';

/** Plain-JSON form. */
export interface SerializedRoutingNb {
  format: 'lapor-routing-nb';
  version: 1;
  tokens: NbTokens;
  classes: string[];
  alpha: number;
  temperature: number;
  classDocs: number[];
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

/** Features of one text: its stems and adjacent stem pairs, plus any extra tokens. */
export function nbFeatures(
  text: string,
  extra: readonly string[] = [],
  tokens: NbTokens = 'stems',
): Map<string, number> {
  const raw = typeof text === 'string' ? text : '';
  const stems =
    tokens === 'words'
      ? normaliseText(raw)
          .split(' ')
          .filter((w) => w.length > 2)
      : analyseText(raw).stems;
  const out = new Map<string, number>();
  for (let i = 0; i < stems.length; i++) {
    const s = stems[i]!;
    out.set(s, (out.get(s) ?? 0) + 1);
    if (i + 1 < stems.length) {
      const pair = `${s} ${stems[i + 1]}`;
      out.set(pair, (out.get(pair) ?? 0) + 1);
    }
  }
  for (const t of extra) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

const ROUND = 1e4;
const MAX_CALIBRATION_ROWS = 4000;

export class RoutingNb {
  readonly classes: readonly string[];
  readonly #json: SerializedRoutingNb;
  readonly #vocab: Map<string, number>;
  /** logp[f * C + c] = log P(f | c); feature-major. */
  readonly #logp: Float64Array;
  readonly #prior: Float64Array;
  readonly #beta: number;
  readonly #tokens: NbTokens;

  constructor(json: SerializedRoutingNb) {
    this.#json = json;
    this.classes = json.classes;
    const C = json.classes.length;
    const V = json.vocabulary.length;
    this.#vocab = new Map(json.vocabulary.map((w, i) => [w, i]));
    const w = new Float64Array(V * C);
    json.counts.forEach((entry, f) => {
      for (let j = 0; j + 1 < entry.length; j += 2) w[f * C + entry[j]!] = entry[j + 1]!;
    });
    const t = scoreTables(w, V, C, json.classDocs, json.alpha);
    this.#logp = t.logp;
    this.#prior = t.prior;
    this.#beta = 1 / json.temperature;
    this.#tokens = json.tokens === 'words' ? 'words' : 'stems';
  }

  /** Class probabilities, most probable first. */
  classify(text: string, extra: readonly string[] = []): { label: string; p: number }[] {
    const C = this.classes.length;
    const scores = new Float64Array(this.#prior);
    for (const [name, tf] of nbFeatures(text, extra, this.#tokens)) {
      const f = this.#vocab.get(name);
      if (f === undefined) continue;
      const wk = Math.log1p(tf);
      for (let c = 0; c < C; c++) scores[c]! += wk * this.#logp[f * C + c]!;
    }
    const p = softmax(scores, this.#beta);
    return this.classes
      .map((label, c) => ({ label, p: p[c]! }))
      .sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  }

  toJSON(): SerializedRoutingNb {
    return structuredClone(this.#json);
  }
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

function scoreTables(w: Float64Array, V: number, C: number, classDocs: ArrayLike<number>, alpha: number) {
  const classTotal = new Float64Array(C);
  const active = new Uint8Array(V);
  let vActive = 0;
  for (let f = 0; f < V; f++) {
    for (let c = 0; c < C; c++) {
      const x = Math.max(0, w[f * C + c]!);
      classTotal[c]! += x;
      if (x > 1e-9) active[f] = 1;
    }
    if (active[f]) vActive++;
  }
  const logDenom = Array.from({ length: C }, (_, c) =>
    Math.log(classTotal[c]! + alpha * Math.max(1, vActive)),
  );
  const logp = new Float64Array(V * C);
  for (let f = 0; f < V; f++)
    for (let c = 0; c < C; c++) logp[f * C + c] = Math.log(Math.max(0, w[f * C + c]!) + alpha) - logDenom[c]!;
  let docs = 0;
  for (let c = 0; c < C; c++) docs += classDocs[c]!;
  const prior = new Float64Array(C);
  for (let c = 0; c < C; c++) prior[c] = Math.log((classDocs[c]! + 0.5) / (docs + 0.5 * C));
  return { logp, prior, active };
}

/**
 * Trains the model on labelled rows (`extra[i]`: extra feature tokens of row i).
 * @throws Error when there are no rows.
 */
export function trainRoutingNb(
  rows: readonly { text: string; label: string; extra?: readonly string[] }[],
  options: RoutingNbOptions = {},
): RoutingNb {
  if (rows.length === 0) throw new Error('cannot train on zero rows');
  const alpha = options.alpha ?? 0.1;
  const tokens = options.tokens ?? 'stems';
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const C = classes.length;
  const vocab = new Map<string, number>();
  const names: string[] = [];
  let w = new Float64Array(1024 * C);
  const classDocs = new Float64Array(C);
  const docs: { cls: number; idx: Int32Array; w: Float64Array }[] = [];
  const total = rows.length * 2;
  const step = Math.max(1, Math.floor(rows.length / 50));
  rows.forEach((row, i) => {
    const cls = classIndex.get(row.label)!;
    const feats = nbFeatures(row.text, row.extra, tokens);
    const idx = new Int32Array(feats.size);
    const dw = new Float64Array(feats.size);
    let k = 0;
    for (const [name, tf] of feats) {
      let f = vocab.get(name);
      if (f === undefined) {
        f = names.length;
        vocab.set(name, f);
        names.push(name);
        if ((f + 1) * C > w.length) {
          const grown = new Float64Array(Math.max(w.length * 2, (f + 1) * C));
          grown.set(w);
          w = grown;
        }
      }
      idx[k] = f;
      dw[k] = Math.log1p(tf);
      w[f * C + cls]! += dw[k]!;
      k++;
    }
    classDocs[cls]! += 1;
    docs.push({ cls, idx, w: dw });
    if (i % step === 0) options.onProgress?.(i, total);
  });
  const V = names.length;
  for (let i = 0; i < V * C; i++) w[i] = Math.round(w[i]! * ROUND) / ROUND;

  // Temperature from out-of-fold scores on a sample (3 folds by subtraction).
  const k = 3;
  const sample = Math.min(docs.length, MAX_CALIBRATION_ROWS);
  const perFold = Math.ceil(sample / k);
  const scores: Float64Array[] = [];
  const gold: number[] = [];
  if (docs.length >= 10 && C >= 2) {
    const foldW = new Float64Array(V * C);
    const foldDocs = new Float64Array(C);
    for (let fold = 0; fold < k; fold++) {
      foldW.set(w.subarray(0, V * C));
      foldDocs.set(classDocs);
      const members = docs.filter((_, i) => i % k === fold);
      for (const d of members)
        for (let j = 0; j < d.idx.length; j++) foldW[d.idx[j]! * C + d.cls]! -= d.w[j]!;
      for (const d of members) foldDocs[d.cls]! -= 1;
      const t = scoreTables(foldW, V, C, foldDocs, alpha);
      for (const d of members.slice(0, perFold)) {
        const s = new Float64Array(t.prior);
        for (let j = 0; j < d.idx.length; j++) {
          // A feature only this fold had is out of vocabulary for the fold's model, as unseen
          // words are for the final one: skip it.
          if (!t.active[d.idx[j]!]) continue;
          const base = d.idx[j]! * C;
          for (let c = 0; c < C; c++) s[c]! += d.w[j]! * t.logp[base + c]!;
        }
        scores.push(s);
        gold.push(d.cls);
      }
      options.onProgress?.(rows.length + ((fold + 1) * rows.length) / k, total);
    }
  }
  const beta = scores.length ? fitBeta(scores, gold) : 1;
  const counts: number[][] = [];
  for (let f = 0; f < V; f++) {
    const entry: number[] = [];
    for (let c = 0; c < C; c++) if (w[f * C + c] !== 0) entry.push(c, w[f * C + c]!);
    counts.push(entry);
  }
  options.onProgress?.(total, total);
  return new RoutingNb({
    format: 'lapor-routing-nb',
    version: 1,
    tokens,
    classes,
    alpha,
    temperature: 1 / beta,
    classDocs: Array.from(classDocs),
    vocabulary: names,
    counts,
  });
}

function meanNll(scores: Float64Array[], gold: number[], beta: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    let max = -Infinity;
    for (const x of s) max = Math.max(max, x);
    let sum = 0;
    for (const x of s) sum += Math.exp((x - max) * beta);
    total += Math.log(sum) - (s[gold[i]!]! - max) * beta;
  }
  return total / scores.length;
}

/** Golden-section search of the inverse temperature over log(beta); NLL is convex in beta. */
function fitBeta(scores: Float64Array[], gold: number[]): number {
  let lo = Math.log(1e-3);
  let hi = Math.log(1e2);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (meanNll(scores, gold, Math.exp(a)) < meanNll(scores, gold, Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** Rebuilds a model from its JSON. Throws on a malformed one. */
export function loadRoutingNb(json: SerializedRoutingNb): RoutingNb {
  if (
    json?.format !== 'lapor-routing-nb' ||
    !Array.isArray(json.classes) ||
    !Array.isArray(json.vocabulary) ||
    !Array.isArray(json.counts) ||
    json.vocabulary.length !== json.counts.length ||
    json.classDocs?.length !== json.classes.length ||
    !(json.alpha > 0) ||
    !(json.temperature > 0)
  ) {
    throw new Error('malformed text model');
  }
  return new RoutingNb(json);
}
