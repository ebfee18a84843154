/**
 * `lapor train --routing` and `lapor eval --routing`: routing learned from the operator's
 * disposition history (and, with --from-db, from officers' forwards), evaluated by k-fold
 * cross-validation of the whole pipeline.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { type Config, loadConfig } from '../../core/config/index.ts';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import { LaporError } from '../../core/errors.ts';
import { loadConfiguredClassifier } from '../../core/index.ts';
import { configuredRouter, loadConfiguredTaxonomy } from '../../core/routing/configured.ts';
import {
  type LearnedRouting,
  LearnedRoutingError,
  loadLearnedRouting,
  type RouteHints,
  type RoutingExample,
  trainLearnedRouting,
} from '../../core/routing/learned.ts';
import { crossValidateRouting, type RoutingFigures } from '../../core/routing/learned-eval.ts';
import { type RetrainOutcome, retrainIfBetter } from '../../core/routing/retrain.ts';
import { type TriageDeps, triage } from '../../core/routing/triage.ts';
import { loadGazetteer } from '../../dialogs/gazetteer/index.ts';
import { historyResolver, readHistory, reportResolution } from './history.ts';

const OPTIONS = {
  routing: { type: 'boolean' },
  in: { type: 'string' },
  out: { type: 'string' },
  'text-column': { type: 'string' },
  'agency-column': { type: 'string' },
  'region-column': { type: 'string' },
  'agency-names': { type: 'string' },
  'unresolved-out': { type: 'string' },
  'from-db': { type: 'boolean' },
  'if-better': { type: 'boolean' },
  folds: { type: 'string' },
} as const;

const bad = (message: string) => new LaporError('LAPOR_ERR_BAD_INPUT_FILE', message);

function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  return {
    update(done: number, total: number) {
      if (!begun) {
        bar.start(total, 0);
        begun = true;
      }
      bar.update(done);
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}

/** The pipeline pieces training and evaluation share: classifier, gazetteer, rules router. */
async function pieces(config: Config, agencies: AgencyRecord[]) {
  const classifier = loadConfiguredClassifier(config).model;
  const taxonomy = loadConfiguredTaxonomy(config);
  const rulesRouter = configuredRouter(config, agencies, taxonomy, null);
  const hints = (text: string): RouteHints => {
    const category = classifier.classify(text).category;
    return { category, decision: rulesRouter.route({ category, regionCode: null, text }) };
  };
  return { classifier, taxonomy, hints };
}

/** Reads the history file and/or the stored examples; prints the resolution rate. */
async function examples(
  values: Record<string, string | boolean | undefined>,
  agencies: AgencyRecord[],
  config: Config,
): Promise<RoutingExample[]> {
  const out: RoutingExample[] = [];
  const input = values.in as string | undefined;
  if (!input && !values['from-db']) throw bad('--in FILE.csv (or --from-db) is required');
  if (input) {
    const resolver = historyResolver(agencies, values['agency-names'] as string | undefined);
    const { rows, skipped } = readHistory(
      input,
      {
        textColumn: (values['text-column'] as string | undefined) ?? 'text',
        agencyColumn: (values['agency-column'] as string | undefined) ?? 'agency',
        regionColumn: values['region-column'] as string | undefined,
      },
      resolver,
    );
    if (skipped) console.error(`${skipped} rows without text or agency skipped`);
    const unresolvedOut =
      (values['unresolved-out'] as string | undefined) ??
      `${((values.out as string | undefined) ?? input).replace(/\.(json|csv)$/i, '')}.unresolved.csv`;
    reportResolution(rows, unresolvedOut);
    for (const r of rows) out.push({ text: r.text, name: r.name, resolution: r.resolution });
  }
  if (values['from-db']) {
    const { loadRoutingExamples } = await import('./routing-db.ts');
    const stored = await loadRoutingExamples(config, agencies);
    console.error(`${stored.length} examples from officers' forwards and resolutions in the database`);
    out.push(...stored);
  }
  return out;
}

export async function runRoutingTrain(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS });
  const config = loadConfig();
  const agencies = await buildAgencyDirectory();
  const rows = await examples(values, agencies, config);
  const { hints } = await pieces(config, agencies);
  const out = values.out ?? config.routing.modelPath ?? `${config.dataDir}/routing-model.json`;
  if (values['if-better']) return retrainCommand(rows, agencies, out, hints);
  const bar = progressBar('training');
  const started = performance.now();
  let model: LearnedRouting;
  try {
    model = trainLearnedRouting(rows, agencies, { hints, onProgress: (d, t) => bar.update(d, t) });
  } catch (error) {
    bar.stop();
    if (error instanceof LearnedRoutingError) throw bad(error.message);
    throw error;
  }
  bar.stop();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(model.toJSON()));
  const json = model.toJSON();
  console.error(
    `trained routing on ${json.rows.body} rows (${model.bodies.length} bodies; kind ${json.rows.kind} rows, region ${json.rows.region} rows) in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${out}`,
  );
  console.error(`use it with ROUTING_MODEL=${out} (lapor route, lapor start)`);
  return 0;
}

/** `--if-better`: train on most rows, compare with the model at `out` on the rest, replace only if not worse. */
function retrainCommand(
  rows: RoutingExample[],
  agencies: AgencyRecord[],
  out: string,
  hints: (text: string) => RouteHints,
): number {
  let current: LearnedRouting | null = null;
  if (existsSync(out)) {
    try {
      current = loadLearnedRouting(JSON.parse(readFileSync(out, 'utf8')), agencies);
    } catch (error) {
      throw bad(`${out}: ${(error as Error).message}`);
    }
  }
  let outcome: RetrainOutcome;
  try {
    outcome = retrainIfBetter(rows, current, agencies, { hints });
  } catch (error) {
    if (error instanceof LearnedRoutingError) throw bad(error.message);
    throw error;
  }
  console.log(formatRetrain(outcome));
  if (outcome.swapped && outcome.model) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(outcome.model.toJSON()));
    console.log(`wrote ${out}`);
  } else {
    console.log(`kept ${out}`);
  }
  return 0;
}

/** One line per model and the verdict, as the CLI and the service log print them. */
export function formatRetrain(o: RetrainOutcome): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const line = (name: string, s: { exact: number; kind: number }) =>
    `${name.padEnd(10)} exact ${pct(s.exact)}  kind ${pct(s.kind)}`;
  return [
    `held-out ${o.heldOutRows} rows (trained on ${o.trainRows})`,
    line('candidate', o.candidate),
    o.current ? line('current', o.current) : 'current    none',
    o.swapped ? 'candidate is not worse: switched to it' : 'candidate is worse: current model kept',
  ].join('\n');
}

/** k-fold figures of the whole pipeline (classifier, gazetteer, rules + model) on examples. */
export async function crossValidatePipeline(
  rows: RoutingExample[],
  agencies: AgencyRecord[],
  config: Config,
  k: number,
  onFold?: (done: number, k: number) => void,
): Promise<{ learned: RoutingFigures; rules: RoutingFigures }> {
  const { classifier, taxonomy, hints } = await pieces(config, agencies);
  const gazetteer = await loadGazetteer();
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const deps = (router: TriageDeps['router']): TriageDeps => ({
    classify: (t) => classifier.classify(t),
    findPlace: (t) => gazetteer.find(t),
    router,
    agencies: byCode,
  });
  const rulesOnly = deps(configuredRouter(config, agencies, taxonomy, null));
  const rules = crossValidateRouting(
    rows,
    k,
    () => rulesOnly,
    (d, row) => {
      const t = triage(d, row.text);
      return { code: t.decision.agencyCode, kind: t.decision.competent.kind, top3: [t.decision.agencyCode] };
    },
  );
  const learned = crossValidateRouting(
    rows,
    k,
    (train) => {
      const model = trainLearnedRouting(train, agencies, { hints });
      return { model, deps: deps(configuredRouter(config, agencies, taxonomy, model)) };
    },
    (m, row) => {
      const t = triage(m.deps, row.text);
      const p = m.model.predict(row.text, t.region?.code ?? null, {
        category: t.classification.category,
        decision: t.decision,
      });
      const top = p.top.map((b) => m.model.place(b.body, p.region));
      return {
        code: t.decision.agencyCode,
        kind: t.decision.competent.kind,
        top3: [...new Set([t.decision.agencyCode, ...top])].slice(0, 3),
      };
    },
    onFold,
  );
  return { learned, rules };
}

export function formatFigures(name: string, f: RoutingFigures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `${name.padEnd(16)} kind ${pct(f.kindAccuracy)} (${f.kindRows} rows)  exact ${pct(f.exactAccuracy)}  top-3 ${pct(f.top3Accuracy)}  macro-F1 ${f.macroF1.toFixed(3)} (${f.exactRows} rows)`;
}

export async function runRoutingEval(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS });
  const k = Number(values.folds ?? 5);
  if (!Number.isInteger(k) || k < 2 || k > 20)
    throw bad(`--folds must be an integer from 2 to 20 (got "${values.folds}")`);
  const config = loadConfig();
  const agencies = await buildAgencyDirectory();
  const rows = await examples(values, agencies, config);
  if (rows.length < k * 5) throw bad(`only ${rows.length} rows; need at least ${k * 5} for ${k} folds`);
  const bar = progressBar(`${k}-fold`);
  let figures: { learned: RoutingFigures; rules: RoutingFigures };
  try {
    figures = await crossValidatePipeline(rows, agencies, config, k, (d, t) => bar.update(d, t));
  } catch (error) {
    bar.stop();
    if (error instanceof LearnedRoutingError) throw bad(error.message);
    throw error;
  }
  bar.stop();
  console.log(`${k}-fold cross-validation on ${rows.length} rows (gold agency after name resolution)`);
  console.log(formatFigures('rules only', figures.rules));
  console.log(formatFigures('learned + rules', figures.learned));
  return 0;
}
