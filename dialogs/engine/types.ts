/**
 * Shapes of the intake dialog: its JSON state, what goes in, what comes out. The engine is pure:
 * `step(state, input, deps) -> { state, replies, effects }`. It has no channel and no database;
 * core/ carries out the effects (filing a report, answering a status query).
 */
import type { Choice, Locale, MediaRef, Privacy, ReportType } from '../types.ts';

export type { Privacy, ReportType };
export type SlotName = 'description' | 'category' | 'location' | 'type';

/**
 * Ids of the choices the intake dialog offers. Adapters carry them opaquely (a button's data, or
 * "2" mapped back by the dialog); the engine builds and reads them only through this type.
 */
export type ChoiceId =
  | 'cancel'
  | 'edit'
  | 'confirm'
  | `confirm:${Exclude<Privacy, 'biasa'>}`
  | `edit:${SlotName}`
  | 'cat:more'
  | `cat:${string}`
  | `type:${ReportType}`
  | 'region:retype'
  | `region:${string}`;

/** A choice of the intake dialog, with its id typed. */
export interface DialogChoice extends Choice {
  id: ChoiceId;
}
/** What the last question was about; `confirm` and `edit` are the closing steps. */
export type PendingKind = SlotName | 'confirm' | 'edit';

export interface RegionRef {
  code: string;
  name: string;
}

export interface ReportDraft {
  description?: string;
  category?: string;
  categoryConfidence?: number;
  /** null: the citizen could not name a known region; routing falls back to the admin desk. */
  region?: RegionRef | null;
  /** What the citizen typed as location when no region matched. */
  locationText?: string;
  location?: { lat: number; lon: number };
  type?: ReportType;
  privacy?: Privacy;
  media: MediaRef[];
  /** We already asked for more detail because the description said too little to classify. */
  detailAsked?: boolean;
  /**
   * The junk filter called the first message "not a report" (the kind it saw) and the citizen
   * insisted: core files it with the admin desk as "diduga bukan laporan", never with an agency.
   */
  suspect?: string;
}

export interface DialogState {
  v: 1;
  locale: Locale;
  phase: 'idle' | 'collecting';
  draft?: ReportDraft;
  /** The question we asked last, with the choices we offered (so "2" maps back to a choice id). */
  pending?: { kind: PendingKind; choices?: Choice[]; tries?: number; key?: string };
  /** Questions asked for the current draft (not counting the final confirmation). */
  questions: number;
  /** Set by core when an officer asked this citizen a question: the next free text answers it. */
  awaitingReply?: { trackingId: string };
  /**
   * Set by core when a report was resolved: the next message may rate it (see rating.ts).
   * `score` is set once a "tidak puas" came without a reason: the next text is the reason.
   */
  awaitingRating?: { trackingId: string; score?: number };
  /** Whether we greeted this conversation already. */
  greeted?: boolean;
  /** The citizen picked the language explicitly ("english"): stop guessing it from their words. */
  localeChosen?: boolean;
  /**
   * The last message, which the junk filter called not a report, and the kind it saw: kept for
   * one turn so that "ini laporan" can file it after all.
   */
  screened?: { text: string; kind: string };
}

export interface DialogInput {
  text?: string;
  choice?: string;
  location?: { lat: number; lon: number };
  media?: MediaRef[];
  localeHint?: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
}

export type DialogEffect =
  | {
      type: 'file_report';
      draft: Required<Pick<ReportDraft, 'description' | 'category' | 'type' | 'privacy'>> & ReportDraft;
      questions: number;
    }
  | { type: 'status_query'; trackingId: string }
  | { type: 'citizen_reply'; trackingId: string; text: string; media: MediaRef[] }
  /** The citizen rated a resolved report 1-5; a reason comes with a "tidak puas" (1-2). */
  | { type: 'rate'; trackingId: string; score: number; reason?: string };

export interface StepResult {
  state: DialogState;
  replies: Reply[];
  effects: DialogEffect[];
}

/** What the engine needs to understand text; all pure functions of their input. */
export interface DialogDeps {
  classify(text: string): { category: string; confidence: number; top: { category: string; p: number }[] };
  decide(c: {
    category: string;
    confidence: number;
    top: { category: string; p: number }[];
  }): 'confident' | 'uncertain';
  /**
   * The place a text names (see Gazetteer.find). `context`: the complaint, when `text` answers
   * "where?"; it only refines what the answer names. `confidence` 0..1: below PLACE_CONFIDENT
   * the dialog asks rather than files with the reading.
   */
  findPlace(
    text: string,
    context?: string,
  ): {
    best: { code: string; label: string; level?: string } | null;
    candidates: { code: string; label: string; level?: string }[];
    ambiguous: boolean;
    confidence: number;
  };
  searchPlace(query: string): { code: string; label: string }[];
  /** Canonical tracking ID or null. */
  parseTrackingId(text: string): string | null;
  /** True for texts shaped like a tracking ID attempt (LPR-…), valid or not. */
  looksLikeTrackingId(text: string): boolean;
  /**
   * The operator's own topics (dialogs/taxonomy.ts), when the classifier was trained on them:
   * the dialog names and lists these instead of the built-in categories ("lainnya" stays).
   */
  categories?: readonly { id: string; name: { id: string; en: string } }[];
  /**
   * The junk filter (dialogs/intent): whether a first message is a report at all. Without it,
   * every message is taken as a report.
   */
  screen?(text: string): { verdict: 'report' | 'not_report'; kind?: string };
}

export interface StepOptions {
  /** Compact wording and fewer choices for SMS. */
  compact?: boolean;
}

export function initialState(locale: Locale = 'id'): DialogState {
  return { v: 1, locale, phase: 'idle', questions: 0 };
}
