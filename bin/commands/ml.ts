/**
 * `lapor train | classify | route | eval`: the classifier and router over CSV files, for
 * operators retraining on their own labelled history and for measuring quality.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../core/config/index.ts';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import { LaporError } from '../../core/errors.ts';
import { loadConfiguredClassifier } from '../../core/index.ts';
import {
  configuredRouter,
  loadConfiguredRoutingModel,
  loadConfiguredTaxonomy,
  readTaxonomy,
} from '../../core/routing/configured.ts';
import type { Router } from '../../core/routing/index.ts';
import type { LearnedRouting } from '../../core/routing/learned.ts';
import { triage } from '../../core/routing/triage.ts';
import { isCategoryId } from '../../dialogs/categories.ts';
import {
  ClassifierInputError,
  type ClassifierModel,
  evaluate,
  formatEvaluation,
  readLabelledCsv,
  trainClassifier,
  trainLinear,
} from '../../dialogs/classifier/index.ts';
import { type Gazetteer, loadGazetteer } from '../../dialogs/gazetteer/index.ts';
import type { Taxonomy } from '../../dialogs/taxonomy.ts';

const OPTIONS = {
  in: { type: 'string' },
  out: { type: 'string' },
  'text-column': { type: 'string' },
  'category-column': { type: 'string' },
  'label-column': { type: 'string' },
  taxonomy: { type: 'string' },
  model: { type: 'string' },
} as const;

function readInput(path: string | undefined): string {
  if (!path) throw new LaporError('LAPOR_ERR_BAD_INPUT_FILE', '--in FILE.csv is required');
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new LaporError(
      'LAPOR_ERR_BAD_INPUT_FILE',
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function readRows(csv: string, textColumn: string): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      bom: true,
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new LaporError('LAPOR_ERR_BAD_INPUT_FILE', `invalid CSV: ${(error as Error).message}`);
  }
  if (rows.length > 0 && !(textColumn in (rows[0] ?? {}))) {
    throw new LaporError(
      'LAPOR_ERR_BAD_INPUT_FILE',
      `CSV has no "${textColumn}" column (columns: ${Object.keys(rows[0] ?? {}).join(', ')})`,
    );
  }
  return rows;
}

/**
 * Without a taxonomy the labels must be built-in categories or all the operator's own (a mix
 * is almost always a typo); with one, every label must be in it. "lainnya" is never learned:
 * it is the citizen's "other".
 */
function checkLabels(rows: { category: string }[], taxonomy: Taxonomy | null, column: string): void {
  const labels = [...new Set(rows.map((r) => r.category))];
  if (labels.includes('lainnya'))
    throw new LaporError(
      'LAPOR_ERR_BAD_INPUT_FILE',
      `"${column}" has "lainnya": it is the citizen's "other", not a label to learn; drop those rows`,
    );
  if (taxonomy) {
    const known = new Set(taxonomy.labels.map((l) => l.id));
    const missing = labels.filter((l) => !known.has(l));
    if (missing.length)
      throw new LaporError(
        'LAPOR_ERR_BAD_INPUT_FILE',
        `labels not in the taxonomy file: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      );
    return;
  }
  const builtIn = labels.filter((l) => isCategoryId(l));
  if (builtIn.length > 0 && builtIn.length < labels.length) {
    const other = labels.filter((l) => !isCategoryId(l));
    throw new LaporError(
      'LAPOR_ERR_BAD_INPUT_FILE',
      `unknown category ${other
        .slice(0, 5)
        .map((l) => `"${l}"`)
        .join(
          ', ',
        )} among built-in ones; for your own labels give all of them (and a taxonomy file with --taxonomy to name them)`,
    );
  }
}

function asBadInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ClassifierInputError)
      throw new LaporError('LAPOR_ERR_BAD_INPUT_FILE', error.message);
    throw error;
  }
}

interface Pipeline {
  classifier: ClassifierModel;
  gazetteer: Gazetteer;
  router: Router;
  agencies: Map<string, AgencyRecord>;
  /** The routing model blended in (ROUTING_MODEL), if any. */
  learned: LearnedRouting | null;
}

async function pipeline(): Promise<Pipeline> {
  const config = loadConfig();
  const directory = await buildAgencyDirectory();
  const learned = loadConfiguredRoutingModel(config, directory);
  return {
    classifier: loadConfiguredClassifier(config).model,
    gazetteer: await loadGazetteer(),
    router: configuredRouter(config, directory, loadConfiguredTaxonomy(config), learned),
    learned,
    agencies: new Map(directory.map((a) => [a.code, a])),
  };
}

/**
 * One row through classifier, gazetteer and router: the same decisions the dialog makes.
 * `kind`/`level` name the competent body even when the report cannot be placed with one yet:
 * a local matter without a place goes to the admin queue (`queue: "ADMIN"`, reason "place
 * needed") and its `agency` says the competent kind and level with `code: null`.
 */
export function analyse(p: Pipeline, text: string) {
  const r = triage(
    { ...p, classify: (t) => p.classifier.classify(t), findPlace: (t) => p.gazetteer.find(t) },
    text,
  );
  const c = r.classification;
  const { competent, placeNeeded } = r.decision;
  const agency = placeNeeded
    ? { code: null, name: null, kind: competent.kind, level: competent.level }
    : r.agency
      ? { code: r.agency.code, name: r.agency.name, kind: r.agency.kind, level: r.agency.level }
      : null;
  const byModel = r.decision.ruleId === 'learned-model';
  // The model placed a regional body where the history mostly is (the text named no place): the
  // report is filed in that region, so say which, and that it was learned.
  const learnedRegion =
    byModel && !r.region && r.agency?.regionCode && r.decision.signals.includes('region-source:learned')
      ? {
          code: r.agency.regionCode,
          name: (p.agencies.get(`PEMDA-${r.agency.regionCode}`)?.name ?? r.agency.regionCode).replace(
            /^Pemerintah /,
            '',
          ),
        }
      : null;
  const historyName = byModel && r.agency ? p.learned?.historyName(r.agency.code) : undefined;
  return {
    category: c.category,
    confidence: Number(c.confidence.toFixed(4)),
    top3: c.top.slice(0, 3).map((s) => ({ category: s.category, p: Number(s.p.toFixed(4)) })),
    kind: competent.kind,
    level: competent.level,
    agency,
    ...(r.agency?.kind === 'admin' ? { queue: 'ADMIN' } : {}),
    region: r.region ?? learnedRegion,
    ...(learnedRegion ? { regionSource: 'learned' } : {}),
    reason: r.decision.reason.id,
    decidedBy: byModel ? 'learned' : 'rules',
    ...(historyName ? { historyName } : {}),
    ...(placeNeeded ? { placeNeeded: true } : {}),
  };
}

export async function runMl(
  command: 'train' | 'classify' | 'route' | 'eval',
  args: string[],
): Promise<number> {
  if (args.includes('--routing')) {
    if (command === 'train') return (await import('./routing.ts')).runRoutingTrain(args);
    if (command === 'eval') return (await import('./routing.ts')).runRoutingEval(args);
    throw new LaporError('LAPOR_ERR_BAD_INPUT_FILE', `--routing applies to train and eval, not ${command}`);
  }
  const { values } = parseArgs({ args, options: OPTIONS });
  const textColumn = values['text-column'] ?? 'text';
  // --label-column names the operator's own labels; --category-column is the older spelling.
  const categoryColumn = values['label-column'] ?? values['category-column'] ?? 'category';
  const csv = readInput(values.in);

  if (command === 'train') {
    // Any label set: the operator's taxonomy is whatever their history says. With a taxonomy
    // file (--taxonomy or CATEGORY_TAXONOMY) every label must be in it, so the dialog can name it.
    const rows = asBadInput(() =>
      readLabelledCsv(csv, { textColumn, categoryColumn, allowUnknownCategories: true }),
    );
    const taxonomy = values.taxonomy
      ? readTaxonomy(values.taxonomy, '--taxonomy')
      : loadConfiguredTaxonomy(loadConfig());
    checkLabels(rows, taxonomy, categoryColumn);
    if (rows.length < 20)
      throw new LaporError(
        'LAPOR_ERR_BAD_INPUT_FILE',
        `only ${rows.length} labelled rows; need at least 20 to train`,
      );
    const bar = new cliProgress.SingleBar(
      {
        format: 'training [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = performance.now();
    let begun = false;
    const onProgress = (done: number, total: number) => {
      if (!begun) {
        bar.start(total, 0);
        begun = true;
      }
      bar.update(done);
    };
    const kind = values.model ?? 'naive-bayes';
    if (kind !== 'naive-bayes' && kind !== 'linear')
      throw new LaporError(
        'LAPOR_ERR_BAD_INPUT_FILE',
        `--model must be naive-bayes or linear (got "${kind}")`,
      );
    const model =
      kind === 'linear' ? trainLinear(rows, { onProgress }) : trainClassifier(rows, { onProgress });
    if (begun) bar.stop();
    const out = values.out ?? join(loadConfig().dataDir, 'classifier.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(model.toJSON()));
    console.error(
      `trained on ${rows.length} rows, ${model.categories.length} categories in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${out}`,
    );
    console.error('the service loads it at next start (CLASSIFIER_MODEL, or DATA_DIR/classifier.json)');
    return 0;
  }

  const p = await pipeline();
  const rows = readRows(csv, textColumn);

  if (command === 'classify' || command === 'route') {
    for (const row of rows) {
      const r = analyse(p, row[textColumn] ?? '');
      const line =
        command === 'classify'
          ? { category: r.category, confidence: r.confidence, top3: r.top3, region: r.region }
          : {
              category: r.category,
              confidence: r.confidence,
              kind: r.kind,
              level: r.level,
              agency: r.agency,
              ...(r.queue ? { queue: r.queue } : {}),
              region: r.region,
              ...(r.regionSource ? { regionSource: r.regionSource } : {}),
              reason: r.reason,
              ...(p.learned ? { decidedBy: r.decidedBy } : {}),
              ...(r.historyName ? { historyName: r.historyName } : {}),
              ...(r.placeNeeded ? { placeNeeded: true } : {}),
            };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return 0;
  }

  // eval: category figures always; agency kind and region when the CSV has those columns.
  const labelled = asBadInput(() =>
    readLabelledCsv(csv, { textColumn, categoryColumn, allowUnknownCategories: true }),
  );
  console.log(formatEvaluation(evaluate(p.classifier, labelled)));
  const hasKind = rows.length > 0 && 'agency_kind' in (rows[0] ?? {});
  const regionColumn = ['region_code', 'region'].find((c) => rows.length > 0 && c in (rows[0] ?? {}));
  if (hasKind || regionColumn) {
    let kindHits = 0;
    let kindTotal = 0;
    let regionHits = 0;
    let regionTotal = 0;
    for (const row of rows) {
      const r = analyse(p, row[textColumn] ?? '');
      if (hasKind && row.agency_kind) {
        kindTotal++;
        if (r.kind === row.agency_kind) kindHits++;
      }
      const gold = regionColumn ? row[regionColumn] : undefined;
      if (gold) {
        regionTotal++;
        const got = r.region;
        if (
          got &&
          (got.code === gold ||
            got.code.startsWith(`${gold}.`) ||
            got.name.toLowerCase().includes(gold.toLowerCase()))
        )
          regionHits++;
      }
    }
    console.log('');
    if (kindTotal)
      console.log(`agency kind accuracy  ${((kindHits / kindTotal) * 100).toFixed(1)}%  (${kindTotal} rows)`);
    if (regionTotal)
      console.log(
        `region accuracy       ${((regionHits / regionTotal) * 100).toFixed(1)}%  (${regionTotal} rows with a region)`,
      );
  }
  return 0;
}
