/**
 * Benchmark figures for the complaint classifier: quality on the held-out split, speed of
 * classify(), and training time on the shipped corpus and on 50,000 synthetic rows.
 * Returns numbers only; the `npm run bench` wiring prints them.
 */
import {
  crossValidate,
  decideConfidence,
  evaluate,
  type LabelledText,
  loadCorpus,
  splitHoldout,
  tokenize,
  trainClassifier,
} from '../dialogs/classifier/index.ts';
import { prng } from '../dialogs/classifier/model.ts';

const CLASSIFY_CALLS = 10_000;
const SYNTHETIC_ROWS = 50_000;

/**
 * Synthetic training rows: the first half of one corpus text glued to the second half of
 * another text of the same category. Vocabulary stays realistic while almost every text is
 * new, so the tokenizer and stem cache see a plausible workload.
 */
export function synthesizeRows(corpus: LabelledText[], count: number, seed = 42): LabelledText[] {
  const rand = prng(seed);
  const byCategory = new Map<string, string[][]>();
  for (const r of corpus) {
    const list = byCategory.get(r.category) ?? [];
    list.push(r.text.split(/\s+/));
    byCategory.set(r.category, list);
  }
  const categories = [...byCategory.keys()];
  const out: LabelledText[] = [];
  for (let i = 0; i < count; i++) {
    const category = categories[i % categories.length]!;
    const texts = byCategory.get(category)!;
    const a = texts[Math.floor(rand() * texts.length)]!;
    const b = texts[Math.floor(rand() * texts.length)]!;
    const text = [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(' ');
    out.push({ text, category });
  }
  return out;
}

function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/**
 * Runs the classifier benchmark and returns its figures:
 * held-out accuracy / macro-F1 / ECE (model trained on the 80% split), the majority-class
 * baseline on the same split, the share of held-out texts `decideConfidence` calls
 * 'confident' and the accuracy on those, 5-fold cross-validated accuracy on the training part,
 * mean ms per classify() over 10,000 calls, and training times for 900 corpus rows and for
 * 50,000 synthetic rows (both including calibration). Takes a few seconds.
 */
export async function benchClassifier(): Promise<Record<string, number | string>> {
  const corpus = loadCorpus();
  // Load natural's stemmer once so the first timing is training, not module loading.
  tokenize('warm up');

  const first900 = corpus.slice(0, 900);
  const trainMs900 = timeMs(() => trainClassifier(first900));

  const { train, test } = splitHoldout(corpus);
  const model = trainClassifier(train);
  const heldOut = evaluate(model, test);
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const baseline = test.filter((r) => r.category === majority).length / Math.max(1, test.length);
  const cv = crossValidate(train);
  // How often the dialog may skip asking the citizen, and how right it is when it does.
  let confident = 0;
  let confidentCorrect = 0;
  for (const r of test) {
    const c = model.classify(r.text);
    if (decideConfidence(c) === 'confident') {
      confident++;
      if (c.category === r.category) confidentCorrect++;
    }
  }

  for (let i = 0; i < 200; i++) model.classify(test[i % test.length]!.text);
  const classifyMs =
    timeMs(() => {
      for (let i = 0; i < CLASSIFY_CALLS; i++) model.classify(test[i % test.length]!.text);
    }) / CLASSIFY_CALLS;

  const synthetic = synthesizeRows(corpus, SYNTHETIC_ROWS);
  let progressCalls = 0;
  const trainMs50k = timeMs(() =>
    trainClassifier(synthetic, {
      onProgress: () => {
        progressCalls++;
      },
    }),
  );

  const json = JSON.stringify(model.toJSON());
  return {
    corpus_rows: corpus.length,
    train_rows: train.length,
    heldout_rows: test.length,
    heldout_accuracy: round(heldOut.accuracy),
    heldout_macro_f1: round(heldOut.macroF1),
    heldout_ece: round(heldOut.ece),
    majority_baseline_accuracy: round(baseline),
    heldout_confident_share: round(confident / Math.max(1, test.length)),
    heldout_confident_accuracy: round(confidentCorrect / Math.max(1, confident)),
    cv5_train_accuracy: round(cv.accuracy),
    cv5_train_macro_f1: round(cv.macroF1),
    temperature: round(model.toJSON().temperature),
    model_json_kb: round(json.length / 1024, 1),
    classify_ms: round(classifyMs, 5),
    train_ms_900_rows: round(trainMs900, 1),
    train_ms_50k_rows: round(trainMs50k, 1),
    train_50k_progress_calls: progressCalls,
  };
}
