/**
 * Routing learned from history (`npm run bench -- --only=routing`):
 *
 * - A synthetic disposition history, reproducible without any real data: every row of our own
 *   written corpus (dialogs/corpus/written/*.csv) is routed by the shipped rules in the region
 *   its text names or, when it names none, in one of a few regions of a made-up operator (most
 *   reports from one city, as in a real Pemda's history); the office is then written the way
 *   history writes names: official name, abbreviations, upper case, branch offices of national
 *   bodies, former ministry names. A few offices are "re-dispositioned" by the operator's own
 *   habit (street lighting to public works), which the rules cannot know and a model can learn.
 *   Figures: name resolution rate; 5-fold cross-validation of the whole pipeline (classifier,
 *   gazetteer, rules, with and without the learned model): kind, exact office, top-3, macro-F1.
 * - Speed: training on 100,000 history rows (target < 30 s) and routing one report with the
 *   model (target < 1 ms), both as `lapor train --routing` / `lapor route` do them.
 * - When ../shared/dev/ exists: the same 5-fold on lapor_2017_agency_routing.csv with
 *   `target_unit` as the agency column (kind scored against the roll-up, as the dev README
 *   says). Measuring only: nothing trained here is kept.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { crossValidatePipeline } from '../bin/commands/routing.ts';
import { loadConfig } from '../core/config/index.ts';
import { type AgencyRecord, buildAgencyDirectory, PEMDA_UNITS } from '../core/directory/index.ts';
import { createAgencyNameResolver, shippedAgencyNames } from '../core/directory/resolve-name.ts';
import { loadConfiguredClassifier } from '../core/index.ts';
import { configuredRouter } from '../core/routing/configured.ts';
import { type RoutingExample, trainLearnedRouting } from '../core/routing/learned.ts';
import type { RoutingFigures } from '../core/routing/learned-eval.ts';
import { triage } from '../core/routing/triage.ts';
import { prng } from '../dialogs/classifier/model.ts';
import { loadGazetteer, PLACE_CONFIDENT } from '../dialogs/gazetteer/index.ts';
import { DEV_DIR } from './quality-bench.ts';

const WRITTEN_DIR = new URL('../dialogs/corpus/written/', import.meta.url);
const DEV_FILE = 'lapor_2017_agency_routing.csv';

export const ROUTING_TARGETS = { kind: 0.9, exact: 0.75, trainSeconds100k: 30, routeMs: 1 };

/** The made-up operator's regions and how often each appears (one big city, a few neighbours). */
const OPERATOR_REGIONS: [string, number][] = [
  ['33.74', 0.55], // Kota Semarang
  ['33.24', 0.15], // Kabupaten Kendal
  ['33.22', 0.12], // Kabupaten Semarang
  ['33.21', 0.1], // Kabupaten Demak
  ['33', 0.08], // Provinsi Jawa Tengah
];
/** Branch office towns for national bodies ("BPJS Kesehatan KC <town>"). */
const BRANCH_TOWNS = ['Semarang', 'Kendal', 'Ungaran', 'Demak', 'Salatiga', 'Pekalongan'];
/** The operator's own habits the rules do not know: unit -> unit it actually dispositions to. */
const OPERATOR_HABITS: Record<string, string> = { DISHUB: 'DPUPR', DINSOS: 'SETDA' };

function readWritten(): { text: string; category: string }[] {
  const rows: { text: string; category: string }[] = [];
  for (const file of readdirSync(WRITTEN_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const csv = readFileSync(new URL(file, WRITTEN_DIR), 'utf8');
    for (const r of parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[]) {
      if (r.text && r.category) rows.push({ text: r.text, category: r.category });
    }
  }
  return rows;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Writes an office's name the way a history might: several spellings per office. */
function historyName(a: AgencyRecord, byCode: Map<string, AgencyRecord>, rand: () => number): string {
  const regionName = (code: string | null) => {
    const root = code ? byCode.get(`PEMDA-${code}`) : undefined;
    return root ? root.name.replace(/^Pemerintah /, '') : '';
  };
  const shortRegion = (name: string) => name.replace(/^Kabupaten /, 'Kab. ').replace(/^Provinsi /, 'Prov. ');
  if (a.kind === 'pemda' && a.unit) {
    const def = PEMDA_UNITS.find((u) => u.unit === a.unit);
    const region = regionName(a.regionCode);
    const alias = def?.aliases[Math.floor(rand() * Math.min(3, def.aliases.length))] ?? a.unit.toLowerCase();
    const short = alias.length <= 5 ? alias.toUpperCase() : alias.replace(/\b\w/g, (c) => c.toUpperCase());
    return pick(rand, [
      a.name,
      a.name,
      `${short} ${region}`,
      `${short} ${shortRegion(region)}`,
      a.name.toUpperCase(),
    ]);
  }
  if (a.kind === 'pemda') return pick(rand, [a.name, a.name.replace(/^Pemerintah /, 'Pemkot ')]);
  if (a.kind === 'bumd') return pick(rand, [a.name, `PDAM ${regionName(a.regionCode)}`]);
  const former = shippedAgencyNames()[a.code] ?? [];
  const options = [a.name, a.name, ...(a.aliases[0] ? [a.aliases[0].toUpperCase()] : [])];
  if (a.kind === 'bpjs' || a.code === 'KL-IMIGRASI' || a.code === 'KL-ATR-BPN')
    options.push(
      `${a.name} KC ${pick(rand, BRANCH_TOWNS)}`,
      `${a.name} Kantor Cabang ${pick(rand, BRANCH_TOWNS)}`,
    );
  if (former[0]) options.push(former[0].replace(/\b\w/g, (c) => c.toUpperCase()));
  return pick(rand, options);
}

/** The synthetic history: text, agency name as written, and (for scoring) the gold office. */
export async function synthesizeHistory(
  agencies: AgencyRecord[],
  seed = 7,
): Promise<{ text: string; name: string; gold: string }[]> {
  const config = loadConfig({});
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const rules = configuredRouter(config, agencies, null, null);
  const gazetteer = await loadGazetteer();
  const rand = prng(seed);
  const region = () => {
    let x = rand();
    for (const [code, w] of OPERATOR_REGIONS) {
      x -= w;
      if (x <= 0) return code;
    }
    return OPERATOR_REGIONS[0]![0];
  };
  const out: { text: string; name: string; gold: string }[] = [];
  for (const row of readWritten()) {
    const place = gazetteer.find(row.text);
    const named =
      place.best && !place.ambiguous && place.confidence >= PLACE_CONFIDENT ? place.best.code : null;
    let d = rules.route({ category: row.category, regionCode: named ?? region(), text: row.text });
    if (d.placeNeeded) d = rules.route({ category: row.category, regionCode: '33.74', text: row.text });
    let rec = byCode.get(d.agencyCode);
    if (!rec || rec.kind === 'admin') continue;
    const habit = rec.unit ? OPERATOR_HABITS[rec.unit] : undefined;
    if (habit && rec.regionCode) rec = byCode.get(`PEMDA-${rec.regionCode}-${habit}`) ?? rec;
    out.push({ text: row.text, name: historyName(rec, byCode, rand), gold: rec.code });
  }
  return out;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function figures(prefix: string, f: RoutingFigures): Record<string, number> {
  return {
    [`${prefix}_kind`]: round(f.kindAccuracy),
    [`${prefix}_exact`]: round(f.exactAccuracy),
    [`${prefix}_top3`]: round(f.top3Accuracy),
    [`${prefix}_macro_f1`]: round(f.macroF1),
  };
}

/** Runs the routing bench; figures only. */
export async function benchRouting(
  options: { quick?: boolean } = {},
): Promise<Record<string, number | string>> {
  const config = loadConfig({});
  const agencies = await buildAgencyDirectory();
  const resolver = createAgencyNameResolver(agencies);
  const out: Record<string, number | string> = {};

  // Synthetic history from our own corpus.
  const history = await synthesizeHistory(agencies);
  const examples: RoutingExample[] = history.map((h) => ({
    text: h.text,
    name: h.name,
    resolution: resolver.resolve(h.name),
  }));
  const resolved = examples.filter((e, i) => e.resolution.code === history[i]!.gold).length;
  out.synthetic_rows = examples.length;
  out.synthetic_resolution_rate = round(examples.filter((e) => e.resolution.code).length / examples.length);
  out.synthetic_resolution_correct = round(resolved / examples.length);
  const sample = options.quick ? examples.filter((_, i) => i % 3 === 0) : examples;
  const cv = await crossValidatePipeline(sample, agencies, config, 5);
  Object.assign(out, figures('synthetic_rules', cv.rules), figures('synthetic_learned', cv.learned));

  // Speed: 100,000 rows, trained the way `lapor train --routing` does (hints included).
  const classifier = loadConfiguredClassifier(config).model;
  const rulesRouter = configuredRouter(config, agencies, null, null);
  const hints = (text: string) => {
    const category = classifier.classify(text).category;
    return { category, decision: rulesRouter.route({ category, regionCode: null, text }) };
  };
  const rand = prng(99);
  const big: RoutingExample[] = [];
  const n = options.quick ? 20_000 : 100_000;
  for (let i = 0; i < n; i++) {
    const a = examples[Math.floor(rand() * examples.length)]!;
    const b = examples[Math.floor(rand() * examples.length)]!;
    const wa = a.text.split(/\s+/);
    const wb = b.text.split(/\s+/);
    // New text, mostly a's words: the label stays a's.
    big.push({ ...a, text: [...wa, ...wb.slice(Math.floor((wb.length * 2) / 3))].join(' ') });
  }
  let started = performance.now();
  const model = trainLearnedRouting(big, agencies, { hints });
  out.train_rows = n;
  out.train_seconds = round((performance.now() - started) / 1000, 2);
  if (n !== 100_000) out.train_seconds_note = 'quick run: 20,000 rows';

  const gazetteer = await loadGazetteer();
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const router = configuredRouter(config, agencies, null, model);
  const deps = {
    classify: (t: string) => classifier.classify(t),
    findPlace: (t: string) => gazetteer.find(t),
    router,
    agencies: byCode,
  };
  const probe = examples.slice(0, 2000).map((e) => e.text);
  const rulesDeps = { ...deps, router: rulesRouter };
  for (const t of probe.slice(0, 200)) triage(deps, t); // warm caches
  // Interleaved, so a busy machine weighs on both alike.
  let withModel = 0;
  let rulesOnly = 0;
  for (const t of probe) {
    let t0 = performance.now();
    triage(deps, t);
    withModel += performance.now() - t0;
    t0 = performance.now();
    triage(rulesDeps, t);
    rulesOnly += performance.now() - t0;
  }
  out.route_ms_with_model = round(withModel / probe.length, 3);
  out.route_ms_rules_only = round(rulesOnly / probe.length, 3);
  started = performance.now();
  for (const t of probe) model.predict(t, null, hints(t));
  out.model_predict_ms = round((performance.now() - started) / probe.length, 3);

  // The dev set, when present: measuring only.
  const devPath = join(DEV_DIR, DEV_FILE);
  if (existsSync(devPath)) {
    const rows = parse(readFileSync(devPath, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    const group: Record<string, string> = {
      PEMDA: 'pemda',
      PUSAT_KL: 'kementerian_lembaga',
      BPJS: 'bpjs',
      BUMN_BUMD: 'bumn',
    };
    const dev: RoutingExample[] = rows
      .filter((r) => r.text && r.target_unit)
      .map((r) => ({
        text: r.text!,
        resolution: resolver.resolve(r.target_unit!),
        goldKind: group[r.target_group_heuristic ?? ''] ?? null,
      }));
    out.dev_rows = dev.length;
    out.dev_resolution_rate = round(dev.filter((e) => e.resolution.code).length / dev.length);
    const devCv = await crossValidatePipeline(dev, agencies, config, 5);
    Object.assign(out, figures('dev_rules', devCv.rules), figures('dev_learned', devCv.learned));
  } else {
    out.dev_skipped = `no ${DEV_FILE} at ${DEV_DIR}`;
  }
  return out;
}
