/**
 * The intake dialog engine. Steps are data (INTAKE_SLOTS); `step` is a pure function of the
 * JSON state, one inbound message and pure dependencies (classifier, gazetteer). It fills every
 * slot the message already answers and asks only what is missing.
 *
 * @example
 * ```ts
 * let state = initialState('id');
 * const r = step(state, { text: 'jalan berlubang di Kec. Kemangkon, Purbalingga' }, deps);
 * state = r.state; // r.replies: the summary to confirm; r.effects: [] until the citizen confirms
 * ```
 */

import { CATEGORY_IDS, CATEGORY_LABELS, isCategoryId } from '../categories.ts';
import { PLACE_CONFIDENT } from '../gazetteer/index.ts';
import { type LabelKey, type Locale, label, SHORT_CATEGORY_LABELS, type TextKey, t } from '../texts.ts';
import type { Choice, MediaRef } from '../types.ts';
import { ratingTurn } from './rating.ts';
import type {
  ChoiceId,
  DialogChoice,
  DialogDeps,
  DialogEffect,
  DialogInput,
  DialogState,
  PendingKind,
  Privacy,
  Reply,
  ReportDraft,
  ReportType,
  SlotName,
  StepOptions,
  StepResult,
} from './types.ts';
import {
  detectCommand,
  detectEdit,
  detectLanguage,
  detectPrivacy,
  detectReportType,
  hasWords,
  isAffirmative,
  isDontKnow,
  isGreeting,
  isNegative,
  isThanks,
  STATUS_WORDS,
  trackingIdAttempt,
} from './understand.ts';

/** The slots of a report, in the order they are asked. Data, not code: reorder here. */
export const INTAKE_SLOTS = [
  'description',
  'category',
  'location',
  'type',
] as const satisfies readonly SlotName[];

/** Longest text accepted as one message; longer ones are asked to be shortened (and stay stored). */
export const MAX_TEXT_LENGTH = 4000;
/** Shortest description worth filing (in words). */
const MIN_DESCRIPTION_WORDS = 3;
/** After this many unmatched answers to "where?", we keep the text as is and move on. */
const MAX_LOCATION_TRIES = 2;
/**
 * Below this top-1 probability the classifier has no real signal (uniform over 18 categories is
 * 0.056): its "top 3" would be noise, so we ask for more detail, then show every topic.
 */
const NO_SIGNAL_CONFIDENCE = 0.15;
/** Region alternatives offered at once (SMS gets fewer: each costs characters). */
const MAX_REGION_CHOICES = 5;
const MAX_REGION_CHOICES_COMPACT = 3;

/** Choice id of "Ini laporan" after the junk filter's answer. */
const SCREEN_INSIST = 'screen:report';
/** Typed ways of saying "it was a report after all". */
const INSIST =
  /^(ini (memang |beneran |benar )?(laporan|pengaduan|keluhan)|(tetap|tolong) (kirim|lapor|proses|diproses|diteruskan)|kirim saja|proses saja|lanjut(kan)?|saya serius|serius|beneran|this is a (report|complaint)|it is a (report|complaint)|send it anyway)\b/i;

const TYPE_LABELS: Record<ReportType, LabelKey> = {
  pengaduan: 'typePengaduan',
  aspirasi: 'typeAspirasi',
  permintaan_informasi: 'typeInformasi',
};
const PRIVACY_LABELS: Record<Privacy, LabelKey> = {
  biasa: 'privacyBiasa',
  rahasia: 'privacyRahasia',
  anonim: 'privacyAnonim',
};
/** What the engine needs to know of a slot; a new slot is one entry here (plus its texts). */
interface SlotSpec {
  /** How the slot is named in "what do you want to change?". */
  label: LabelKey;
  /** True while the draft still lacks it. */
  missing(draft: ReportDraft): boolean;
  /** Forgets it, when the citizen wants to change it. */
  clear(draft: ReportDraft): void;
  /** The question that asks for it, and its choices. */
  question(turn: Turn, draft: ReportDraft): { key: TextKey; choices?: DialogChoice[] };
  /** The question when the citizen asked to change it (default: the normal question). */
  changeQuestion?(turn: Turn): { key: TextKey; choices?: DialogChoice[] };
}

/** The slots in the order they are asked. */
const SLOTS: Record<SlotName, SlotSpec> = {
  description: {
    label: 'slotDescription',
    missing: (draft) => !draft.description,
    clear: (draft) => {
      delete draft.description;
    },
    question: () => ({ key: 'askDescription' }),
  },
  category: {
    label: 'slotCategory',
    missing: (draft) => !draft.category,
    clear: (draft) => {
      delete draft.category;
    },
    question: (turn, draft) => ({ key: 'askCategory', choices: categoryChoices(turn, draft) }),
    changeQuestion: (turn) => ({
      key: 'askCategoryAll',
      choices: allCategoryChoices(turn.locale, turn.compact, turn.deps),
    }),
  },
  location: {
    label: 'slotLocation',
    missing: (draft) => draft.region === undefined,
    clear: (draft) => {
      delete draft.region;
      delete draft.locationText;
    },
    question: (_turn, draft) => ({ key: draft.location ? 'askLocationAfterPin' : 'askLocation' }),
  },
  type: {
    label: 'slotType',
    missing: (draft) => !draft.type,
    clear: (draft) => {
      delete draft.type;
    },
    question: (turn) => ({
      key: 'askType',
      choices: (Object.keys(TYPE_LABELS) as ReportType[]).map((type) => ({
        id: `type:${type}` as const,
        label: turn.label(TYPE_LABELS[type]),
      })),
    }),
  },
};

class Turn {
  readonly replies: Reply[] = [];
  readonly effects: DialogEffect[] = [];
  constructor(
    public state: DialogState,
    readonly deps: DialogDeps,
    readonly compact: boolean,
  ) {}

  get locale(): Locale {
    return this.state.locale;
  }

  say(key: Parameters<typeof t>[1], params: Record<string, string | number> = {}, choices?: Choice[]): void {
    this.replies.push(
      choices
        ? { text: t(this.locale, key, params, this.compact), choices }
        : { text: t(this.locale, key, params, this.compact) },
    );
  }

  label(key: LabelKey): string {
    return label(this.locale, key, this.compact);
  }

  result(): StepResult {
    return { state: this.state, replies: this.replies, effects: this.effects };
  }
}

function emptyDraft(): ReportDraft {
  return { media: [] };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** The topics the citizen may pick: the operator's taxonomy when one is loaded, else the built-in list. */
function categoryIds(deps?: DialogDeps): readonly string[] {
  return deps?.categories ? [...deps.categories.map((c) => c.id), 'lainnya'] : CATEGORY_IDS;
}

function categoryLabel(locale: Locale, id: string, compact = false, deps?: DialogDeps): string {
  const own = deps?.categories?.find((c) => c.id === id);
  if (own) return own.name[locale];
  if (compact) {
    const short = SHORT_CATEGORY_LABELS[id];
    if (short) return short[locale];
  }
  return isCategoryId(id) ? CATEGORY_LABELS[id][locale] : id;
}

/** "Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah" without the province, for SMS. */
function shortRegion(name: string): string {
  const parts = name.split(', ');
  return parts.length > 2 ? parts.slice(0, -1).join(', ') : name;
}

/** Maps a typed reply to the choice we offered: "2", "2.", "pilih 2", or the label itself. */
export function matchChoice(text: string, choices: Choice[] | undefined): string | undefined {
  if (!choices?.length) return undefined;
  const s = text.trim().toLowerCase();
  const num = /^(?:pilih(?:an)?\s*|no\.?\s*|nomor\s*|option\s*)?(\d{1,2})[.)]?$/.exec(s);
  if (num) {
    const chosen = choices[Number(num[1]) - 1];
    if (chosen) return chosen.id;
  }
  const byLabel = choices.find((c) => c.label.toLowerCase() === s);
  return byLabel?.id;
}

const LOOSE_STOPWORDS = new Set(
  'yang yg di ke the in at a an saja aja dong ya yah pilih pilihan nomor no itu ini kak pak bu min mas mbak aku saya sy mau option choose pick'.split(
    ' ',
  ),
);
const LOOSE_SYNONYMS: Record<string, string> = { kabupaten: 'kab', kecamatan: 'kec', kelurahan: 'kel' };

function looseWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => LOOSE_SYNONYMS[w] ?? w);
}

/**
 * Maps a short typed answer to the one choice whose label contains all its words: "kota" picks
 * "Kota Bogor, Jawa Barat", "keluhan" picks "Pengaduan (keluhan)", "info" picks "Permintaan
 * informasi". Undefined when no choice or several match, or the text is longer than an answer.
 */
function matchChoiceLoosely(text: string, choices: Choice[] | undefined): string | undefined {
  if (!choices?.length) return undefined;
  const ws = looseWords(text).filter((w) => !LOOSE_STOPWORDS.has(w));
  if (ws.length === 0 || ws.length > 4) return undefined;
  const fits = (w: string, l: string) =>
    w.length >= 3 ? l.startsWith(w) || (l.length >= 4 && w.startsWith(l)) : l === w;
  const hits = choices.filter((c) => {
    const ls = looseWords(c.label);
    return ws.every((w) => ls.some((l) => fits(w, l)));
  });
  return hits.length === 1 ? hits[0]?.id : undefined;
}

/** Fills every slot the text answers. Never overwrites a slot the citizen already settled. */
function fillFromText(turn: Turn, draft: ReportDraft, text: string, isDescription: boolean): void {
  const { deps } = turn;
  if (isDescription) {
    draft.description = draft.description ? `${draft.description}\n${text}` : text;
  }
  const basis = draft.description ?? text;
  if (isDescription || !draft.category) {
    const c = deps.classify(basis);
    if (deps.decide(c) === 'confident') {
      draft.category = c.category;
      draft.categoryConfidence = c.confidence;
    } else if (draft.category === undefined) {
      draft.categoryConfidence = c.confidence;
    }
  }
  if (draft.region === undefined) {
    // Only a sure reading below the province fills the place silently; anything weaker, or a
    // province alone, is asked about (one more question is cheaper than a wrong door).
    const place = deps.findPlace(text);
    if (
      place.best &&
      !place.ambiguous &&
      place.confidence >= PLACE_CONFIDENT &&
      place.best.level !== 'province'
    )
      draft.region = { code: place.best.code, name: place.best.label };
  }
  draft.type ??= detectReportType(text);
  draft.privacy ??= detectPrivacy(text);
}

function nextMissing(draft: ReportDraft): SlotName | undefined {
  return INTAKE_SLOTS.find((slot) => SLOTS[slot].missing(draft));
}

/** True when the classifier found nothing to go on in the description (its top 3 would be noise). */
function noSignal(turn: Turn, draft: ReportDraft): boolean {
  const c = turn.deps.classify(draft.description ?? '');
  return (c.top[0]?.p ?? c.confidence) < NO_SIGNAL_CONFIDENCE;
}

function categoryChoices(turn: Turn, draft: ReportDraft): DialogChoice[] {
  const c = turn.deps.classify(draft.description ?? '');
  const top = c.top.filter((s) => s.category !== 'lainnya').slice(0, 3);
  return [
    ...top.map((s) => ({
      id: `cat:${s.category}` as const,
      label: categoryLabel(turn.locale, s.category, turn.compact, turn.deps),
    })),
    { id: 'cat:more' as const, label: turn.label('other') },
  ];
}

function allCategoryChoices(locale: Locale, compact = false, deps?: DialogDeps): DialogChoice[] {
  return categoryIds(deps).map((id) => ({
    id: `cat:${id}` as const,
    label: categoryLabel(locale, id, compact, deps),
  }));
}

/** Region choices for places a text names ambiguously ("di bogor": Kota or Kabupaten Bogor?). */
function regionChoices(turn: Turn, places: { code: string; label: string }[]): DialogChoice[] {
  const max = turn.compact ? MAX_REGION_CHOICES_COMPACT : MAX_REGION_CHOICES;
  return [
    ...places.slice(0, max).map((p) => ({ id: `region:${p.code}` as const, label: p.label })),
    { id: 'region:retype' as const, label: turn.label('retypeLocation') },
  ];
}

/** Question wordings worth repeating as they were (no parameters) when the question is re-asked. */
const REPEATABLE_KEYS = new Set<string>([
  'askCategoryAll',
  'askRegionChoice',
  'askMoreDetail',
  'askLocationAfterPin',
]);

/**
 * Asks for one slot, remembering the question and its choices. Counts a question when it asks
 * about another slot than the one pending; repeating the pending question after an unusable
 * answer is not a new question, unless `newQuestion` says it is (a disambiguation, more detail).
 */
function ask(
  turn: Turn,
  slot: PendingKind,
  extra: {
    choices?: Choice[];
    key?: Parameters<typeof t>[1];
    params?: Record<string, string>;
    tries?: number;
    newQuestion?: boolean;
  } = {},
): void {
  const { state } = turn;
  const draft = state.draft ?? emptyDraft();
  let choices = extra.choices;
  let key = extra.key;
  if (slot === 'confirm') {
    confirmDraft(turn);
    return;
  }
  if (slot === 'edit') {
    key ??= 'askEditWhich';
    choices ??= INTAKE_SLOTS.map((s) => ({ id: `edit:${s}` as const, label: turn.label(SLOTS[s].label) }));
  } else if (!key || !choices) {
    // The slot's own question, unless the caller brought its wording or its choices.
    const question = SLOTS[slot].question(turn, draft);
    key ??= question.key;
    choices ??= question.choices;
  }
  if (slot !== 'edit' && (state.pending?.kind !== slot || extra.newQuestion)) state.questions += 1;
  state.pending = {
    kind: slot,
    ...(choices ? { choices } : {}),
    ...(extra.tries ? { tries: extra.tries } : {}),
    ...(key && REPEATABLE_KEYS.has(key) ? { key } : {}),
  };
  turn.say(key, extra.params ?? {}, choices);
}

function confirmDraft(turn: Turn): void {
  const { state, locale } = turn;
  const draft = state.draft ?? emptyDraft();
  const privacy = draft.privacy ?? 'biasa';
  const description = draft.description ?? '';
  const shown = description.length > 280 ? `${description.slice(0, 277)}…` : description;
  const location = draft.region
    ? turn.compact
      ? shortRegion(draft.region.name)
      : draft.region.name
    : draft.locationText
      ? `${draft.locationText.slice(0, turn.compact ? 30 : 200)} ${t(locale, 'locationUnknown')}`
      : t(locale, 'locationUnknown');
  const choices: DialogChoice[] = [
    { id: 'confirm', label: turn.label('confirm') },
    ...(privacy === 'biasa'
      ? ([
          { id: 'confirm:rahasia', label: turn.label('confirmRahasia') },
          { id: 'confirm:anonim', label: turn.label('confirmAnonim') },
        ] satisfies DialogChoice[])
      : []),
    { id: 'edit', label: turn.label('edit') },
    { id: 'cancel', label: turn.label('cancel') },
  ];
  state.pending = { kind: 'confirm', choices };
  turn.say(
    'summary',
    {
      description: shown,
      category: categoryLabel(locale, draft.category ?? 'lainnya', turn.compact, turn.deps),
      location,
      type: turn.label(TYPE_LABELS[draft.type ?? 'pengaduan']),
      privacy: label(locale, PRIVACY_LABELS[privacy]),
    },
    choices,
  );
}

/**
 * Moves the draft on: asks the next missing slot, or shows the summary to confirm. A description
 * that says too little to classify gets one request for detail before any topic list; a place the
 * description named ambiguously is offered as choices right away ("di bogor": which Bogor?).
 */
function advance(turn: Turn): void {
  const draft = turn.state.draft ?? emptyDraft();
  const missing = nextMissing(draft);
  if (!missing) {
    ask(turn, 'confirm');
    return;
  }
  if (missing === 'category') {
    if (noSignal(turn, draft)) {
      if (!draft.detailAsked) {
        draft.detailAsked = true;
        ask(turn, 'description', { key: 'askMoreDetail', newQuestion: true });
        return;
      }
      ask(turn, 'category', {
        choices: allCategoryChoices(turn.locale, turn.compact, turn.deps),
        key: 'askCategoryAll',
      });
      return;
    }
    ask(turn, 'category');
    return;
  }
  // A place the description names weakly or ambiguously ("di bogor", a kecamatan name shared
  // by several regencies) gets the open question, not a list to tap: the answer is read
  // together with the complaint, and only an ambiguous answer is offered as choices.
  ask(turn, missing);
}

function startDraft(turn: Turn): ReportDraft {
  const draft = emptyDraft();
  turn.state = { ...turn.state, phase: 'collecting', draft, questions: 0 };
  delete turn.state.pending;
  return draft;
}

/**
 * The junk filter on a message that would start a report. "tes", an advert or a chain message
 * gets a helpful answer and is not filed; the citizen can still say it was a report ("Ini
 * laporan", typed or tapped, right after), and then it goes on as a draft marked `suspect`,
 * which core files with the admin desk only. True when the turn is done.
 */
function screenFirstMessage(turn: Turn, text: string, choice: string | undefined): boolean {
  const { state } = turn;
  const screened = state.screened;
  delete state.screened;
  if (screened && (choice === SCREEN_INSIST || (!choice && (INSIST.test(text) || text === '1')))) {
    const draft = startDraft(turn);
    draft.suspect = screened.kind;
    fillFromText(turn, draft, screened.text, true);
    advance(turn);
    return true;
  }
  if (choice || !text || !turn.deps.screen) return false;
  const verdict = turn.deps.screen(text);
  if (verdict.verdict !== 'not_report') return false;
  state.screened = { text, kind: verdict.kind ?? 'unknown' };
  turn.say('notReport', {}, [{ id: SCREEN_INSIST, label: turn.label('thisIsReport') }]);
  return true;
}

function reset(state: DialogState): DialogState {
  const next: DialogState = { ...state, phase: 'idle', questions: 0 };
  delete next.draft;
  delete next.pending;
  return next;
}

function handleCommand(turn: Turn, command: NonNullable<ReturnType<typeof detectCommand>>): boolean {
  const { state } = turn;
  switch (command.cmd) {
    case 'cancel':
      if (state.phase === 'idle') turn.say('nothingToCancel');
      else {
        turn.state = reset(state);
        turn.say('cancelled');
      }
      return true;
    case 'help':
      turn.say('help');
      if (state.pending) reAsk(turn);
      return true;
    case 'start':
      turn.state = { ...reset(state), greeted: true };
      turn.say('welcome');
      return true;
    case 'language':
      turn.state = { ...state, locale: command.locale, localeChosen: true };
      turn.say('languageSwitched');
      if (turn.state.pending) reAsk(turn);
      return true;
    case 'status': {
      const id = turn.deps.parseTrackingId(command.arg);
      if (id) turn.effects.push({ type: 'status_query', trackingId: id });
      else if (!command.arg || (!/[0-9]/.test(command.arg) && !turn.deps.looksLikeTrackingId(command.arg)))
        turn.say('askTrackingId');
      else turn.say('badTrackingId', { input: (trackingIdAttempt(command.arg) ?? command.arg).slice(0, 40) });
      return true;
    }
    case 'edit':
      if (state.phase !== 'collecting' || !state.draft) {
        turn.say('nothingToCancel');
        return true;
      }
      if (command.slot) editSlot(turn, command.slot);
      else ask(turn, 'edit');
      return true;
    case 'unknown':
      turn.say('unknownCommand', { command: command.command.slice(0, 32) });
      if (state.pending) reAsk(turn);
      return true;
  }
}

/** Repeats the pending question without counting it again. */
function reAsk(turn: Turn): void {
  const pending = turn.state.pending;
  if (!pending) return;
  if (pending.kind === 'confirm') {
    confirmDraft(turn);
    return;
  }
  const before = turn.state.questions;
  const key = pending.key as TextKey | undefined;
  ask(turn, pending.kind, {
    ...(pending.choices ? { choices: pending.choices } : {}),
    ...(pending.tries ? { tries: pending.tries } : {}),
    ...(key && REPEATABLE_KEYS.has(key) ? { key } : {}),
  });
  turn.state.questions = before;
}

function editSlot(turn: Turn, slot: SlotName): void {
  const draft = turn.state.draft ?? emptyDraft();
  SLOTS[slot].clear(draft);
  turn.state.draft = draft;
  const change = SLOTS[slot].changeQuestion?.(turn);
  ask(turn, slot, change ? { key: change.key, ...(change.choices ? { choices: change.choices } : {}) } : {});
}

/**
 * Carries out a chosen {@link ChoiceId}. The id arrives from outside (a button pressed long ago,
 * a number mapped back, JSON state), so it is read as a string and checked by its prefix here.
 */
function answerChoice(turn: Turn, choice: string): void {
  const { state } = turn;
  const draft = state.draft ?? emptyDraft();
  if (choice === 'cancel') {
    turn.state = reset(state);
    turn.say('cancelled');
    return;
  }
  if (choice === 'edit') {
    ask(turn, 'edit');
    return;
  }
  if (choice.startsWith('edit:')) {
    editSlot(turn, choice.slice(5) as SlotName);
    return;
  }
  if (choice === 'confirm' || choice.startsWith('confirm:')) {
    if (nextMissing(draft)) {
      advance(turn);
      return;
    }
    const privacy = (choice.split(':')[1] as Privacy | undefined) ?? draft.privacy ?? 'biasa';
    turn.effects.push({
      type: 'file_report',
      draft: {
        ...draft,
        description: draft.description ?? '',
        category: draft.category ?? 'lainnya',
        type: draft.type ?? 'pengaduan',
        privacy,
      },
      questions: state.questions,
    });
    turn.state = reset(state);
    return;
  }
  if (choice === 'cat:more') {
    ask(turn, 'category', {
      choices: allCategoryChoices(turn.locale, turn.compact, turn.deps),
      key: 'askCategoryAll',
    });
    return;
  }
  if (choice.startsWith('cat:')) {
    const id = choice.slice(4);
    draft.category = categoryIds(turn.deps).includes(id) ? id : 'lainnya';
    draft.categoryConfidence = 1;
  } else if (choice.startsWith('region:')) {
    const code = choice.slice(7);
    if (code === 'retype') {
      ask(turn, 'location');
      return;
    }
    const label = state.pending?.choices?.find((c) => c.id === choice)?.label ?? code;
    draft.region = { code, name: label };
  } else if (choice.startsWith('type:')) {
    draft.type = choice.slice(5) as ReportType;
  } else {
    // A stale button from an earlier question: repeat what we need now.
    if (state.pending) reAsk(turn);
    else advance(turn);
    return;
  }
  state.draft = draft;
  advance(turn);
}

/** Answers "where?" with gazetteer look-ups; ambiguous names become choices. */
function answerLocation(turn: Turn, text: string): void {
  const { deps, state } = turn;
  const draft = state.draft ?? emptyDraft();
  // "yang kota", "kabupaten": a word of one of the regions we offered.
  const offered = state.pending?.choices;
  const picked = matchChoiceLoosely(text, offered);
  if (picked) {
    answerChoice(turn, picked);
    return;
  }
  // "kota", "yang kabupaten" after a complaint that said "di bogor": the citizen picks among the
  // places the complaint named ambiguously, even though they were not shown as buttons.
  if (!offered?.length && draft.description) {
    const earlier = deps.findPlace(draft.description);
    if (earlier.ambiguous) {
      const hidden = regionChoices(turn, earlier.candidates);
      const id = matchChoiceLoosely(text, hidden);
      const chosen = id && id !== 'region:retype' ? hidden.find((c) => c.id === id) : undefined;
      if (chosen) {
        draft.region = { code: chosen.id.slice('region:'.length), name: chosen.label };
        advance(turn);
        return;
      }
    }
  }
  if (isDontKnow(text)) {
    draft.region = null;
    turn.say('locationGiveUp');
    advance(turn);
    return;
  }
  // The answer is read with the complaint: "Kabupaten Purbalingga" after a complaint about
  // "Bojongsari" is Kec. Bojongsari, Purbalingga.
  const found = deps.findPlace(text, draft.description);
  if (found.best && !found.ambiguous && found.best.level === 'province' && !state.pending?.tries) {
    ask(turn, 'location', { key: 'askRegencyInProvince', params: { province: found.best.label }, tries: 1 });
    return;
  }
  let candidates = found.ambiguous ? found.candidates : found.best ? [found.best] : [];
  if (candidates.length === 0) candidates = deps.searchPlace(text).slice(0, MAX_REGION_CHOICES);
  if (candidates.length === 1 && candidates[0]) {
    draft.region = { code: candidates[0].code, name: candidates[0].label };
    advance(turn);
    return;
  }
  if (candidates.length > 1) {
    ask(turn, 'location', {
      choices: regionChoices(turn, candidates),
      key: 'askRegionChoice',
      newQuestion: !offered?.length,
    });
    return;
  }
  const tries = (state.pending?.tries ?? 0) + 1;
  if (tries >= MAX_LOCATION_TRIES) {
    // Never a dead end: keep what they wrote; the admin desk places the region.
    draft.region = null;
    draft.locationText = text.slice(0, 200);
    turn.say('locationGiveUp');
    advance(turn);
    return;
  }
  ask(turn, 'location', { key: 'locationNotFound', params: { place: text.slice(0, 60) }, tries });
}

/**
 * Free text where a choice was expected. A short answer that names a choice picks it ("keluhan",
 * "kota", "ya", "lokasi"); anything else is more detail for the description and is re-evaluated.
 * Returns false when the text was not an answer to the pending choice.
 */
function answerPendingChoice(turn: Turn, draft: ReportDraft, text: string): boolean {
  const pending = turn.state.pending;
  if (!pending) return false;
  const picked = matchChoiceLoosely(text, pending.choices);
  if (picked) {
    answerChoice(turn, picked);
    return true;
  }
  const short = wordCount(text) <= 4;
  switch (pending.kind) {
    case 'confirm': {
      if (isAffirmative(text)) {
        answerChoice(turn, 'confirm');
        return true;
      }
      if (isNegative(text)) {
        ask(turn, 'edit');
        return true;
      }
      const privacy = short ? detectPrivacy(text) : undefined;
      if (privacy) {
        draft.privacy = privacy;
        confirmDraft(turn);
        return true;
      }
      return false;
    }
    case 'edit': {
      const slot = detectEdit(`ubah ${text}`);
      if (slot) {
        editSlot(turn, slot);
        return true;
      }
      return false;
    }
    case 'category': {
      const named = short
        ? matchChoiceLoosely(text, allCategoryChoices(turn.locale, false, turn.deps))
        : undefined;
      if (named) {
        answerChoice(turn, named);
        return true;
      }
      if (isDontKnow(text)) {
        // Never a dead end: the national admin desk places reports without a topic.
        answerChoice(turn, 'cat:lainnya');
        return true;
      }
      return false;
    }
    case 'type': {
      const type = short ? detectReportType(text) : undefined;
      if (type) {
        answerChoice(turn, `type:${type}`);
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

function answerText(turn: Turn, text: string): void {
  const { state } = turn;
  const draft = state.draft ?? startDraft(turn);
  const pending = state.pending?.kind;
  if (pending && pending !== 'description' && pending !== 'location') {
    const slot = detectEdit(text);
    if (slot) {
      editSlot(turn, slot);
      return;
    }
  }
  switch (pending) {
    case 'location':
      answerLocation(turn, text);
      return;
    case 'category':
    case 'type':
    case 'edit':
    case 'confirm': {
      if (answerPendingChoice(turn, draft, text)) return;
      // Free text where a choice was expected: treat it as more detail, and re-evaluate.
      const fullList = state.pending?.choices?.length === categoryIds(turn.deps).length;
      fillFromText(turn, draft, text, true);
      if (pending === 'confirm' || pending === 'edit') {
        ask(turn, 'confirm');
        return;
      }
      // The citizen was looking at every topic: keep that list rather than narrowing it again.
      if (pending === 'category' && fullList && !draft.category) {
        reAsk(turn);
        return;
      }
      advance(turn);
      return;
    }
    default: {
      // "jalan rusak", "lampu mati": two words are enough when they say clearly what is wrong.
      const words = wordCount(text);
      const clearEnough = words >= 2 && turn.deps.decide(turn.deps.classify(text)) === 'confident';
      if (!draft.description && words < MIN_DESCRIPTION_WORDS && !clearEnough) {
        ask(turn, 'description', { key: 'descriptionTooShort' });
        return;
      }
      fillFromText(turn, draft, text, true);
      advance(turn);
      return;
    }
  }
}

/**
 * A status question in the citizen's own words: "mau cek laporan saya LPR-7KQ-9M4-XTW dong",
 * or just the ID. Needs a valid ID plus a status word, or a short message with the LPR prefix;
 * while a report is being written only the status word counts (the description may cite an
 * earlier report). An LPR-shaped but invalid ID in a status question gets the bad-ID help.
 */
function statusInText(turn: Turn, text: string): boolean {
  const { deps } = turn;
  const words = wordCount(text);
  const asks = STATUS_WORDS.test(text);
  const prefixed = deps.looksLikeTrackingId(text);
  const collecting = turn.state.phase === 'collecting';
  const id = deps.parseTrackingId(text);
  if (id) {
    if (asks || (!collecting && ((prefixed && words <= 8) || words <= 3))) {
      turn.effects.push({ type: 'status_query', trackingId: id });
      return true;
    }
    return false;
  }
  if (prefixed && (asks || (!collecting && words <= 3))) {
    turn.say('badTrackingId', { input: (trackingIdAttempt(text) ?? text).slice(0, 40) });
    return true;
  }
  return false;
}

const MEDIA_NAMES: Record<string, { id: string; en: string }> = {
  sticker: { id: 'stiker', en: 'stickers' },
  voice: { id: 'pesan suara', en: 'voice messages' },
  ptt: { id: 'pesan suara', en: 'voice messages' },
  audio: { id: 'rekaman suara', en: 'audio' },
  contact: { id: 'kontak', en: 'contacts' },
  vcard: { id: 'kontak', en: 'contacts' },
  video: { id: 'video', en: 'videos' },
  unsupported: { id: 'jenis pesan ini', en: 'this kind of message' },
};

/** Media a report can carry as evidence. */
const EVIDENCE_KINDS = new Set(['photo', 'image', 'document', 'video']);

/**
 * One turn of the dialog.
 *
 * @param state the conversation's dialog state (JSON; survives restarts)
 * @param input what the citizen sent
 * @param deps classifier and gazetteer (pure)
 */
export function step(
  state: DialogState,
  input: DialogInput,
  deps: DialogDeps,
  options: StepOptions = {},
): StepResult {
  const turn = new Turn(structuredClone(state), deps, options.compact ?? false);
  const text = (input.text ?? '').trim();
  const media: MediaRef[] = input.media ?? [];

  // Each new report may come in another language ("hello" first, then an English complaint);
  // once the citizen chose one explicitly, we keep it.
  if (turn.state.phase === 'idle' && !turn.state.localeChosen) {
    const lang = text ? detectLanguage(text) : undefined;
    const hinted = input.localeHint?.toLowerCase().startsWith('en') ? 'en' : undefined;
    if (lang) turn.state.locale = lang;
    else if (hinted && !turn.state.greeted) turn.state.locale = 'en';
  }

  if (text.length > MAX_TEXT_LENGTH) {
    turn.say('tooLong', { length: text.length, max: MAX_TEXT_LENGTH });
    return turn.result();
  }

  // A choice pressed, or typed as its number/label.
  const choice = input.choice ?? (text ? matchChoice(text, turn.state.pending?.choices) : undefined);

  // A resolved report's rating (rating.ts): a rating button, or the answer to core's question.
  const rating = ratingTurn(turn.state, { text, ...(choice ? { choice } : {}) }, turn.compact);
  turn.state = rating.state;
  if (rating.result) {
    turn.replies.push(...rating.result.replies);
    turn.effects.push(...rating.result.effects);
    return turn.result();
  }

  if (!choice && text) {
    const command = detectCommand(text);
    if (command && handleCommand(turn, command)) return turn.result();
    if (statusInText(turn, text)) return turn.result();
  }

  // An officer asked this citizen a question: their next words answer it.
  if (turn.state.awaitingReply && turn.state.phase === 'idle' && !choice && (text || media.length)) {
    const { trackingId } = turn.state.awaitingReply;
    turn.effects.push({ type: 'citizen_reply', trackingId, text, media });
    delete turn.state.awaitingReply;
    turn.say('citizenReplyForwarded', { trackingId });
    return turn.result();
  }

  if (input.location) {
    const draft = turn.state.draft ?? startDraft(turn);
    draft.location = input.location;
    if (!text && !choice) {
      if (!draft.description) ask(turn, 'description');
      else advance(turn);
      return turn.result();
    }
  }

  const evidence = media.filter((m) => EVIDENCE_KINDS.has(m.kind));
  const unreadable = media.filter((m) => !EVIDENCE_KINDS.has(m.kind));
  if (evidence.length) {
    const draft = turn.state.draft ?? startDraft(turn);
    draft.media.push(...evidence);
    if (!text && !choice) {
      turn.say('photoReceived');
      if (!draft.description) ask(turn, 'description');
      else reAsk(turn);
      return turn.result();
    }
  }
  if (unreadable.length && !text && !choice) {
    const kind = unreadable[0]?.kind ?? 'unsupported';
    turn.say('stickerNotText', { kind: (MEDIA_NAMES[kind] ?? MEDIA_NAMES.unsupported)![turn.locale] });
    if (turn.state.pending) reAsk(turn);
    return turn.result();
  }

  if (turn.state.phase === 'idle' && !turn.state.draft && turn.state.screened) {
    if (screenFirstMessage(turn, text, choice)) return turn.result();
  }

  if (choice) {
    if (!turn.state.draft) {
      // A button from a finished conversation: start afresh rather than guess.
      turn.say('welcome');
      turn.state.greeted = true;
      return turn.result();
    }
    answerChoice(turn, choice);
    return turn.result();
  }

  if (!text) {
    if (!input.location && !evidence.length) {
      turn.say('emptyMessage');
      if (turn.state.pending) reAsk(turn);
    }
    return turn.result();
  }
  if (!hasWords(text)) {
    turn.say('emojiOnly');
    if (turn.state.pending) reAsk(turn);
    return turn.result();
  }
  if (turn.state.phase === 'idle' && isGreeting(text)) {
    turn.state.greeted = true;
    turn.say('welcome');
    return turn.result();
  }
  if (turn.state.phase === 'idle' && turn.state.greeted && isThanks(text)) {
    turn.say('thanks');
    return turn.result();
  }
  turn.state.greeted = true;
  if (turn.state.phase === 'idle' && !turn.state.draft && screenFirstMessage(turn, text, undefined)) {
    return turn.result();
  }
  answerText(turn, text);
  return turn.result();
}
