/**
 * Complaint category classifier: guesses which CLASSIFIABLE_CATEGORIES id a citizen's
 * message belongs to, with calibrated probabilities the dialog uses to decide whether to
 * ask the citizen to confirm.
 *
 * Typical use:
 *   const c = defaultClassifier().classify('jln depan rumah rusak parah');
 *   if (decideConfidence(c) === 'uncertain') { ...offer c.top.slice(0, 3) as choices... }
 */
import { cachedModel } from './cache.ts';
import { loadCorpus } from './csv.ts';
import { loadLinear } from './linear.ts';
import { loadNaiveBayes, trainClassifier } from './model.ts';
import type { ClassifierModel, SerializedModel, SerializedNaiveBayesModel } from './types.ts';

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
  DEFAULT_LINEAR_FEATURES,
  LINEAR_FEATURE_VERSION,
  LinearModel,
  type LinearTrainOptions,
  linearFeatures,
  loadLinear,
  trainLinear,
} from './linear.ts';
export {
  type CrossValidation,
  crossValidate,
  DEFAULT_ALPHA,
  DEFAULT_FEATURES,
  DEFAULT_NORMALIZE,
  DEFAULT_VARIANT,
  fitInverseTemperature,
  loadNaiveBayes,
  type NaiveBayesVariant,
  type TrainOptions,
  trainClassifier,
} from './model.ts';
export { analyseText, tokenize } from './tokenize.ts';
export {
  type CategoryScore,
  type Classification,
  ClassifierInputError,
  type ClassifierModel,
  type LabelledText,
  type LinearFeatureOptions,
  type SerializedLinearModel,
  type SerializedModel,
  type SerializedNaiveBayesModel,
} from './types.ts';

/**
 * Rebuilds a model from `model.toJSON()` output (e.g. after JSON.parse of a saved file), of
 * either kind: 'lapor-linear' or 'lapor-naive-bayes'.
 * @throws ClassifierInputError when the JSON is not a model of a known format and version.
 */
export function loadClassifier(json: SerializedModel): ClassifierModel {
  if (json !== null && typeof json === 'object' && json.format === 'lapor-linear') return loadLinear(json);
  return loadNaiveBayes(json as SerializedNaiveBayesModel);
}

let cached: ClassifierModel | undefined;

/**
 * The model trained on the shipped corpus (dialogs/corpus/reports.csv and written/*.csv).
 * Loaded from the on-disk cache when a process already trained it on the same corpus and code
 * (see cache.ts), else trained (a few seconds) and cached; reused for the rest of the process.
 */
export function defaultClassifier(): ClassifierModel {
  cached ??= cachedModel(() => trainClassifier(loadCorpus()), loadClassifier);
  return cached;
}
