/**
 * Complaint category classifier: guesses which CLASSIFIABLE_CATEGORIES id a citizen's
 * message belongs to, with calibrated probabilities the dialog uses to decide whether to
 * ask the citizen to confirm.
 *
 * Typical use:
 *   const c = defaultClassifier().classify('jln depan rumah rusak parah');
 *   if (decideConfidence(c) === 'uncertain') { ...offer c.top.slice(0, 3) as choices... }
 */
import { loadCorpus } from './csv.ts';
import { trainClassifier } from './model.ts';
import type { ClassifierModel } from './types.ts';

export { CORPUS_URL, loadCorpus, type ReadCsvOptions, readLabelledCsv } from './csv.ts';
export {
  type ClassMetrics,
  type ConfidenceThresholds,
  decideConfidence,
  type EvaluationResult,
  evaluate,
  expectedCalibrationError,
  formatEvaluation,
  splitHoldout,
} from './evaluate.ts';
export {
  type CrossValidation,
  crossValidate,
  DEFAULT_ALPHA,
  DEFAULT_FEATURES,
  DEFAULT_NORMALIZE,
  DEFAULT_VARIANT,
  loadClassifier,
  type NaiveBayesVariant,
  type TrainOptions,
  trainClassifier,
} from './model.ts';
export { tokenize } from './tokenize.ts';
export {
  type CategoryScore,
  type Classification,
  ClassifierInputError,
  type ClassifierModel,
  type LabelledText,
  type SerializedModel,
} from './types.ts';

let cached: ClassifierModel | undefined;

/**
 * The model trained on the shipped corpus (dialogs/corpus/reports.csv). Trained on first
 * call (a fraction of a second) and reused for the rest of the process.
 */
export function defaultClassifier(): ClassifierModel {
  cached ??= trainClassifier(loadCorpus());
  return cached;
}
