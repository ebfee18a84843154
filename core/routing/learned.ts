/**
 * Routing learned from an operator's disposition history: text -> the body that handled it.
 *
 * A history names offices ("Dinas Perhubungan Kota Semarang"), and most of the signal in a
 * complaint's words is *what kind of office* (a transport dinas of some regency), while *which
 * regency* comes from the place. So an office is split into a body key, learned from the text,
 * and a region, read by the gazetteer (or, when the text names none, learned from the history:
 * an operator's history is mostly their own area):
 *   national body        'KL-IMIGRASI', 'BPJS-KES'   (branch offices were resolved to it)
 *   Pemda unit           'unit:DISHUB:regency'       + region
 *   Pemda itself         'pemda:regency'             + region
 *   regional company     'bumd:PDAM'                 + region
 * A third model learns the kind of body from every row whose name says at least that much.
 * The three are calibrated Naive Bayes models over the classifier's Indonesian stems
 * (dialogs/classifier), trained in seconds.
 *
 * Blending (`blend`, hooked into the router): the learned body decides when its probability is
 * at least `minConfidence` and it is competent for the report's category (or the model is very
 * sure, `overrideConfidence`); otherwise the rules decide. The decision's reason and signals say
 * which did.
 */
import { bumdCode, bumdKeyOf, pemdaCode } from '../directory/build.ts';
import type { NameResolution } from '../directory/resolve-name.ts';
import type { AgencyKind, AgencyLevel, AgencyRecord } from '../directory/types.ts';
import { PEMDA_UNITS } from '../directory/units.ts';
import {
  loadRoutingNb,
  type NbDoc,
  nbFeatures,
  type RoutingNb,
  type SerializedRoutingNb,
  trainRoutingNb,
} from './learned-nb.ts';
import type { RouteDecision, RouteInput } from './types.ts';

/**
 * What the rest of the pipeline already says about a text: the classifier's topic and the
 * rules' decision. The model learns how the operator's history relates to them (a history may
 * send every "perhubungan" report to one office), on top of the words.
 */
export interface RouteHints {
  category: string;
  decision: Pick<RouteDecision, 'ruleId' | 'competent' | 'signals'> | null;
}

/** Above this many rows training leaves the hints out (see trainLearnedRouting). */
export const HINT_MAX_ROWS = 20_000;

function withExtra(features: Map<string, number>, extra: readonly string[]): Map<string, number> {
  if (extra.length === 0) return features;
  const out = new Map(features);
  for (const t of extra) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

/** Feature tokens of the hints ('@' never starts a stem). */
export function hintTokens(h: RouteHints | null | undefined): string[] {
  if (!h) return [];
  const out = [`@cat:${h.category}`];
  if (h.decision) {
    out.push(
      `@rule:${h.decision.ruleId ?? 'none'}`,
      `@kind:${h.decision.competent.kind}:${h.decision.competent.level}`,
    );
    const named = h.decision.signals.find((s) => s.startsWith('named:'));
    if (named) out.push(`@${named}`);
  }
  return out;
}

/** One labelled example: a complaint and the office its history (or an officer) gave it. */
export interface RoutingExample {
  text: string;
  resolution: NameResolution;
  /** The name as history wrote it (kept to show the operator's own spelling). */
  name?: string;
  /** For scoring only: the gold kind when another source gives it (a roll-up of the history). */
  goldKind?: string | null;
}

/** Tunable thresholds, stored with the model. */
export interface LearnedThresholds {
  /** The learned body decides from this probability on, when competent for the category. */
  minConfidence: number;
  /** From this probability on the learned body decides even against the category. */
  overrideConfidence: number;
  /** A learned region (the text names none) is used from this probability on. */
  regionConfidence: number;
}

/**
 * Chosen by 5-fold cross-validation of the whole pipeline on disposition history (bench): on a
 * real history the learned body is right more often than the rules even when it is unsure, so
 * the rules decide only when the model is unsure *and* names a body not competent for the topic.
 */
export const DEFAULT_THRESHOLDS: LearnedThresholds = {
  minConfidence: 0,
  overrideConfidence: 0.3,
  regionConfidence: 0.3,
};

/** Plain-JSON form of a learned routing model (what `lapor train --routing` writes). */
export interface SerializedLearnedRouting {
  format: 'lapor-routing';
  version: 1;
  trainedAt: string;
  /** Rows used for each part: bodies, kinds, regions. */
  rows: { body: number; kind: number; region: number };
  thresholds: LearnedThresholds;
  /** Whether the models were trained with hint tokens (topic, rules' decision). */
  hints: boolean;
  body: SerializedRoutingNb;
  kind: SerializedRoutingNb | null;
  region: SerializedRoutingNb | null;
  /** The one region of a history that has only one (a single Pemda's history), instead of a model. */
  soleRegion: string | null;
  /** Directory code -> the spelling history used most for it. */
  names: Record<string, string>;
}

/** What the model says about one text. */
export interface LearnedPrediction {
  /** Body key, e.g. 'unit:DISHUB:regency' or 'KL-IMIGRASI'. */
  body: string;
  p: number;
  kind: AgencyKind;
  level: AgencyLevel;
  /** The office in the directory, or null when a regional body has no region. */
  code: string | null;
  region: string | null;
  regionSource: 'input' | 'learned' | null;
  /** Best bodies, most probable first. */
  top: { body: string; p: number }[];
}

export class LearnedRoutingError extends Error {
  override name = 'LearnedRoutingError';
}

/** The body key and region of a resolved office; null when the name says too little. */
export function bodyOf(r: NameResolution): { body: string; region: string | null } | null {
  if (r.kind === 'pemda' && r.unit && r.level && r.level !== 'national') {
    return { body: `unit:${r.unit}:${r.level}`, region: r.regionCode };
  }
  if (r.kind === 'bumd' && r.unit) return { body: `bumd:${r.unit}`, region: r.regionCode };
  if (!r.code) return null;
  if (r.kind === 'pemda' && r.level && r.level !== 'national')
    return { body: `pemda:${r.level}`, region: r.regionCode };
  if (r.kind === 'bumd') {
    const key = bumdKeyOf(r.code);
    return key ? { body: `bumd:${key}`, region: r.regionCode } : null;
  }
  return { body: r.code, region: null };
}

const UNIT_CATEGORIES = new Map(PEMDA_UNITS.map((u) => [u.unit, u.categories as readonly string[]]));

/** BUMN and BUMD count as one group of kinds, as most history rollups keep them. */
function kindGroupOf(kind: string | null | undefined): string | null {
  if (!kind) return null;
  return kind === 'bumd' ? 'bumn' : kind;
}

function provinceOf(code: string): string {
  return code.split('.')[0] ?? code;
}

function regencyOf(code: string): string | null {
  const segs = code.split('.');
  return segs.length >= 2 ? `${segs[0]}.${segs[1]}` : null;
}

const TEXTS = {
  learned: {
    id: 'Model rute yang dipelajari dari riwayat disposisi memilih {agency} (keyakinan {p}).',
    en: 'The routing model learned from disposition history chose {agency} (confidence {p}).',
  },
  learnedPlaceNeeded: {
    id: 'Model rute yang dipelajari dari riwayat disposisi memilih {body} (keyakinan {p}), tetapi wilayahnya belum diketahui; laporan masuk antrean admin sampai wilayahnya dipastikan.',
    en: 'The routing model learned from disposition history chose {body} (confidence {p}), but the place is not known; the report waits in the admin queue until its region is settled.',
  },
};

/** A trained (or loaded) learned routing model bound to the agency directory. */
export class LearnedRouting {
  readonly #json: SerializedLearnedRouting;
  readonly #body: RoutingNb;
  readonly #kind: RoutingNb | null;
  readonly #region: RoutingNb | null;
  readonly #soleRegion: string | null;
  readonly #byCode: ReadonlyMap<string, AgencyRecord>;
  readonly thresholds: LearnedThresholds;
  /** Whether the kind model may reorder bodies (measured in the bench; on by default). */
  useKindModel = true;

  constructor(json: SerializedLearnedRouting, agencies: readonly AgencyRecord[]) {
    this.#json = json;
    this.#body = loadRoutingNb(json.body);
    this.#kind = json.kind ? loadRoutingNb(json.kind) : null;
    this.#region = json.region ? loadRoutingNb(json.region) : null;
    this.#soleRegion = typeof json.soleRegion === 'string' ? json.soleRegion : null;
    this.#byCode = new Map(agencies.map((a) => [a.code, a]));
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...json.thresholds };
  }

  /** Body keys the model can answer with. */
  get bodies(): readonly string[] {
    return this.#body.classes;
  }

  /** The spelling history used most for a directory code, if any. */
  historyName(code: string): string | undefined {
    return this.#json.names[code];
  }

  /** Kind and level of a body key (null for a key the directory no longer has). */
  describe(body: string): { kind: AgencyKind; level: AgencyLevel } | null {
    if (body.startsWith('unit:')) {
      const level = body.split(':')[2] === 'province' ? 'province' : 'regency';
      return { kind: 'pemda', level };
    }
    if (body.startsWith('pemda:'))
      return { kind: 'pemda', level: body === 'pemda:province' ? 'province' : 'regency' };
    if (body.startsWith('bumd:')) return { kind: 'bumd', level: 'regency' };
    const rec = this.#byCode.get(body);
    return rec ? { kind: rec.kind, level: rec.level } : null;
  }

  /** The office of a body key in a region (a code of any depth), or null. */
  place(body: string, region: string | null): string | null {
    if (!body.includes(':')) return this.#byCode.has(body) ? body : null;
    if (!region) return null;
    const [type, key, level] = body.split(':');
    const regency = regencyOf(region);
    const province = provinceOf(region);
    const has = (c: string) => (this.#byCode.has(c) ? c : null);
    if (type === 'bumd') return regency ? has(bumdCode(key ?? '', regency)) : null;
    if (type === 'pemda')
      return level === 'province' ? has(pemdaCode(province)) : regency ? has(pemdaCode(regency)) : null;
    if (level === 'province') return has(pemdaCode(province, key));
    return regency ? (has(pemdaCode(regency, key)) ?? has(pemdaCode(regency))) : null;
  }

  /** Whether a body handles a category (unknown categories and 'lainnya' count as yes). */
  competent(body: string, category: string): boolean {
    if (!category || category === 'lainnya') return true;
    if (body.startsWith('pemda:')) return true;
    if (body.startsWith('unit:'))
      return UNIT_CATEGORIES.get(body.split(':')[1] ?? '')?.includes(category) ?? true;
    if (body.startsWith('bumd:')) return category === 'air_bersih';
    const rec = this.#byCode.get(body);
    return rec ? rec.categories.includes(category) : false;
  }

  /**
   * Predicts the body for a text; `regionCode` is the place read from the text (or given), which
   * wins over the learned region. Never throws.
   */
  predict(
    text: string,
    regionCode: string | null = null,
    hints: RouteHints | null = null,
  ): LearnedPrediction {
    const words = typeof text === 'string' ? text : '';
    const extra = this.#json.hints ? hintTokens(hints) : [];
    // One tokenization for the three models: the region model reads the words alone.
    const plain = nbFeatures(words);
    const withHints = withExtra(plain, extra);
    let scores = this.#body.classifyFeatures(withHints).map((s) => ({ body: s.label, p: s.p }));
    if (this.#kind && this.useKindModel) {
      // The kind model saw more rows (names that pin a kind but no office): take the best body of
      // the kind it is most sure of, so body and kind never disagree.
      const kinds = this.#kind.classifyFeatures(withHints)[0];
      const ofKind = scores.filter((s) => kindGroupOf(this.describe(s.body)?.kind) === kinds?.label);
      if (kinds && ofKind.length && kinds.p >= 0.5)
        scores = [...ofKind, ...scores.filter((s) => !ofKind.includes(s))];
    }
    const best = scores.find((s) => this.describe(s.body)) ?? { body: 'ADMIN', p: 0 };
    const desc = this.describe(best.body) ?? {
      kind: 'admin' as AgencyKind,
      level: 'national' as AgencyLevel,
    };
    let region: string | null = null;
    let regionSource: LearnedPrediction['regionSource'] = null;
    const regional = best.body.includes(':');
    if (regional) {
      const usable = regionCode && (desc.level === 'province' || regencyOf(regionCode));
      if (usable) {
        region = regionCode;
        regionSource = 'input';
      } else if (
        this.#soleRegion &&
        (!regionCode || provinceOf(regionCode) === provinceOf(this.#soleRegion))
      ) {
        region = this.#soleRegion;
        regionSource = 'learned';
      } else if (this.#region) {
        const r = this.#region.classifyFeatures(plain);
        // A province from the text narrows the learned region to that province.
        const inProvince = regionCode ? r.filter((s) => provinceOf(s.label) === provinceOf(regionCode)) : r;
        const pick = inProvince[0];
        if (pick && pick.p >= this.thresholds.regionConfidence) {
          region = pick.label;
          regionSource = 'learned';
        } else if (regionCode) {
          region = regionCode;
          regionSource = 'input';
        }
      } else if (regionCode) {
        region = regionCode;
        regionSource = 'input';
      }
    }
    return {
      body: best.body,
      p: best.p,
      kind: desc.kind,
      level: desc.level,
      code: this.place(best.body, region),
      region,
      regionSource,
      top: scores.slice(0, 3),
    };
  }

  /**
   * Blends the learned body with the rules' decision for one report: the learned body when it
   * is confident and competent, the rules otherwise. A regional body without a place waits in the
   * admin queue (`placeNeeded`), naming the learned kind and level.
   */
  blend(input: RouteInput, byRules: RouteDecision): RouteDecision {
    let pred: LearnedPrediction;
    try {
      pred = this.predict(
        input.text,
        typeof input.regionCode === 'string' ? input.regionCode.trim() || null : null,
        { category: input.category, decision: byRules },
      );
    } catch {
      return byRules;
    }
    const t = this.thresholds;
    const p = pred.p.toFixed(2);
    const category = typeof input.category === 'string' ? input.category : '';
    const confident =
      pred.p >= t.overrideConfidence || (pred.p >= t.minConfidence && this.competent(pred.body, category));
    if (!confident || pred.kind === 'admin') {
      return { ...byRules, signals: [...byRules.signals, `learned-declined:${pred.body}:${p}`] };
    }
    const fill = (tpl: { id: string; en: string }, agency: string) => ({
      id: tpl.id.replaceAll('{agency}', agency).replaceAll('{body}', agency).replaceAll('{p}', p),
      en: tpl.en.replaceAll('{agency}', agency).replaceAll('{body}', agency).replaceAll('{p}', p),
    });
    const signals = [`learned:${pred.body}:${p}`];
    if (pred.region) signals.push(`region:${pred.region}`, `region-source:${pred.regionSource}`);
    const rec = pred.code ? this.#byCode.get(pred.code) : undefined;
    if (rec) {
      return {
        agencyCode: rec.code,
        reason: fill(TEXTS.learned, rec.name),
        ruleId: 'learned-model',
        signals,
        competent: { kind: rec.kind, level: rec.level },
      };
    }
    const admin = [...this.#byCode.values()].find((a) => a.kind === 'admin');
    if (!admin) return byRules;
    return {
      agencyCode: admin.code,
      reason: fill(TEXTS.learnedPlaceNeeded, bodyLabel(pred.body)),
      ruleId: 'learned-model',
      signals: [...signals, 'place-needed'],
      competent: { kind: pred.kind, level: pred.level },
      placeNeeded: true,
    };
  }

  toJSON(): SerializedLearnedRouting {
    return structuredClone(this.#json);
  }
}

/** 'unit:DISHUB:regency' -> 'DISHUB (kabupaten/kota)' for reasons. */
function bodyLabel(body: string): string {
  if (!body.includes(':')) return body;
  const [type, key, level] = body.split(':');
  const where = (level ?? 'regency') === 'province' ? 'provinsi' : 'kabupaten/kota';
  return type === 'pemda' ? `Pemda (${where})` : type === 'bumd' ? `${key} (${where})` : `${key} (${where})`;
}

/** Options for {@link trainLearnedRouting}. */
export interface LearnedTrainOptions {
  onProgress?: (done: number, total: number) => void;
  thresholds?: Partial<LearnedThresholds>;
  /** Fixed timestamp (tests, reproducible files). */
  now?: Date;
  /**
   * The topic and rules' decision for a text (see {@link RouteHints}); the model then learns
   * from them too. The router passes the same at routing time.
   */
  hints?: (text: string) => RouteHints;
}

/**
 * Trains a routing model from resolved examples. Rows whose name pins a body train the body
 * model, rows whose name pins only a kind train the kind model, rows with a region train the
 * region model. Throws {@link LearnedRoutingError} when fewer than 2 bodies or 10 rows remain.
 */
export function trainLearnedRouting(
  examples: readonly RoutingExample[],
  agencies: readonly AgencyRecord[],
  options: LearnedTrainOptions = {},
): LearnedRouting {
  type Row = NbDoc;
  const bodyRows: Row[] = [];
  const kindRows: Row[] = [];
  const regionRows: Row[] = [];
  const spellings = new Map<string, Map<string, number>>();
  // Hints cost a classification and a rules pass per row (~0.2 ms): worth it on a small history,
  // where they carry much of the signal; a large one teaches the same from its words alone.
  const useHints = Boolean(options.hints) && examples.length <= HINT_MAX_ROWS;
  for (const ex of examples) {
    const r = ex.resolution;
    const b = bodyOf(r);
    const kind = kindGroupOf(r.kind);
    if (!b && !kind) continue;
    const plain = nbFeatures(ex.text);
    const features = useHints ? withExtra(plain, hintTokens(options.hints!(ex.text))) : plain;
    if (kind && kind !== 'admin') kindRows.push({ label: kind, features });
    if (!b) continue;
    bodyRows.push({ label: b.body, features });
    if (b.region) regionRows.push({ label: b.region, features: plain });
    if (r.code && ex.name) {
      const m = spellings.get(r.code) ?? new Map<string, number>();
      m.set(ex.name, (m.get(ex.name) ?? 0) + 1);
      spellings.set(r.code, m);
    }
  }
  const bodies = new Set(bodyRows.map((r) => r.label));
  if (bodyRows.length < 10 || bodies.size < 2) {
    throw new LearnedRoutingError(
      `only ${bodyRows.length} rows name a known body (${bodies.size} distinct); need at least 10 rows and 2 bodies`,
    );
  }
  const total = bodyRows.length + kindRows.length + regionRows.length;
  let base = 0;
  const train = (rows: Row[]) => {
    const model = trainRoutingNb(rows, {
      onProgress: (done, of) => options.onProgress?.(base + Math.round((done / of) * rows.length), total),
    });
    base += rows.length;
    return model;
  };
  const body = train(bodyRows);
  const kind = new Set(kindRows.map((r) => r.label)).size >= 2 ? train(kindRows) : null;
  const regions = new Set(regionRows.map((r) => r.label));
  const soleRegion = regions.size === 1 ? ([...regions][0] ?? null) : null;
  const region = regions.size >= 2 ? train(regionRows) : null;
  options.onProgress?.(total, total);
  const names: Record<string, string> = {};
  for (const [code, m] of spellings) {
    names[code] = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  }
  const json: SerializedLearnedRouting = {
    format: 'lapor-routing',
    version: 1,
    trainedAt: (options.now ?? new Date()).toISOString(),
    rows: { body: bodyRows.length, kind: kind ? kindRows.length : 0, region: regionRows.length },
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    hints: useHints,
    body: body.toJSON(),
    kind: kind?.toJSON() ?? null,
    region: region?.toJSON() ?? null,
    soleRegion,
    names,
  };
  return new LearnedRouting(json, agencies);
}

/**
 * Rebuilds a model from its JSON (a `lapor train --routing` file).
 * @throws LearnedRoutingError when the JSON is not a routing model of a known version.
 */
export function loadLearnedRouting(json: unknown, agencies: readonly AgencyRecord[]): LearnedRouting {
  const o = json as Partial<SerializedLearnedRouting> | null;
  if (!o || typeof o !== 'object' || o.format !== 'lapor-routing' || o.version !== 1 || !o.body) {
    throw new LearnedRoutingError('not a routing model (expected format "lapor-routing", version 1)');
  }
  try {
    return new LearnedRouting(o as SerializedLearnedRouting, agencies);
  } catch (error) {
    throw new LearnedRoutingError(`routing model is damaged: ${(error as Error).message}`);
  }
}
