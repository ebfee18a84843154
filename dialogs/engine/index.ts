/** The intake dialog: a pure engine over JSON state. See engine.ts for an example. */
export { INTAKE_SLOTS, MAX_TEXT_LENGTH, matchChoice, step } from './engine.ts';
export { parseRating, rateChoiceId, ratingChoices } from './rating.ts';
export type {
  ChoiceId,
  DialogChoice,
  DialogDeps,
  DialogEffect,
  DialogInput,
  DialogState,
  Privacy,
  RegionRef,
  Reply,
  ReportDraft,
  ReportType,
  StepResult,
} from './types.ts';
export { initialState } from './types.ts';
export { detectCommand, detectLanguage, detectPrivacy, detectReportType } from './understand.ts';
