/** One training or evaluation example: a complaint text and its category id. */
export interface LabelledText {
  text: string;
  category: string;
}

/** A category with its calibrated probability for one text. */
export interface CategoryScore {
  category: string;
  /** Calibrated probability; the `p` of all categories in one classification sum to 1. */
  p: number;
}

/** The classifier's answer for one text. */
export interface Classification {
  /** The most probable category (same as `top[0].category`). */
  category: string;
  /** Probability of `category` (same as `top[0].p`). */
  confidence: number;
  /** Every category the model knows, most probable first. */
  top: CategoryScore[];
}

/**
 * 'multinomial': classic multinomial NB, scores log P(c) + sum w_f log P(f | c).
 * 'complement': Complement NB (Rennie et al. 2003), scores -sum w_f log P(f | not c). Each
 * class is estimated from all the *other* classes' text, which is far more data per estimate
 * when there are 18 classes of ~50 examples each.
 */
export type NaiveBayesVariant = 'multinomial' | 'complement';

/** Plain-JSON form of a trained model, as returned by `toJSON()` and read by `loadClassifier`. */
export type SerializedModel = SerializedNaiveBayesModel | SerializedLinearModel;

/** Plain-JSON form of a Naive Bayes model. */
export interface SerializedNaiveBayesModel {
  format: 'lapor-naive-bayes';
  version: 1;
  /** Tokenizer/feature revision the vocabulary was built with (see FEATURE_VERSION). */
  featureVersion: number;
  categories: string[];
  variant: NaiveBayesVariant;
  /** Whether each document's weight vector was scaled to unit length. */
  normalize: boolean;
  features: { bigrams: boolean };
  /** Lidstone smoothing added to every feature count. */
  alpha: number;
  /** Softmax temperature fitted on cross-validated predictions; 1 when not calibrated. */
  temperature: number;
  /** Training documents per category, index-aligned with `categories` (gives the priors). */
  classDocs: number[];
  vocabulary: string[];
  /**
   * Sparse per-feature weights, index-aligned with `vocabulary`: a flat list of
   * `[categoryIndex, weight, categoryIndex, weight, ...]` where weight is the sum over that
   * category's documents of log(1 + term count) (unit-normalised per document when
   * `normalize`), rounded to 4 decimals.
   */
  counts: number[][];
}

/** A trained text classifier. */
export interface ClassifierModel {
  /** Category ids the model can return, in a fixed order. */
  readonly categories: readonly string[];
  /** Classifies one text. Deterministic; never throws for any string (empty text gives the priors). */
  classify(text: string): Classification;
  /** Plain JSON (no stemmer dictionary) that `loadClassifier` turns back into the same model. */
  toJSON(): SerializedModel;
}

/** Bad training/model input: a message names the row, column or field at fault. */
export class ClassifierInputError extends Error {
  override name = 'ClassifierInputError';
}

/** Which feature families the linear model extracts; stored in the model. */
export interface LinearFeatureOptions {
  /** Adjacent stem pairs ("jalan rusak"). */
  bigrams: boolean;
  /** Character n-gram lengths taken from each word (padded with < and >); [] for none. */
  charNgrams: number[];
  /** Words shorter than this give no character n-grams. */
  minCharWordLength: number;
}

/** Plain-JSON form of a trained linear model (no stemmer dictionary inside). */
export interface SerializedLinearModel {
  format: 'lapor-linear';
  version: 1;
  featureVersion: number;
  categories: string[];
  features: LinearFeatureOptions;
  /** Softmax temperature fitted on held-out rows; 1 when not calibrated. */
  temperature: number;
  bias: number[];
  vocabulary: string[];
  /** Per feature (index-aligned with `vocabulary`): `[categoryIndex, weight, ...]`, weights rounded. */
  weights: number[][];
}
