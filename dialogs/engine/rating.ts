/**
 * Rating a resolved report, the part of the dialog after core asked "how did we do?". Pure, like
 * the rest of the engine: (state, message) -> (state, replies, effects).
 *
 * The scale is 1-5 and the choices are listed in that order (1 Sangat tidak puas … 5 Sangat
 * puas), so a number typed on SMS means the same whether it is read as a list position or a
 * score. Words work too: "puas", "cukup", "tidak puas" (and "kurang puas", "kecewa", English
 * "satisfied"…). A button carries its report's tracking ID, so it still works when pressed late
 * or after other messages; typed answers count while core's `awaitingRating` is set and no
 * report is being written. A "tidak puas" (1-2) needs a reason: given in the same message
 * ("tidak puas, lubangnya masih ada") or asked for once. Anything that is not a rating drops
 * the question and is handled as a normal message. Core decides what the rating does (reopen
 * within the window, close, or only thank) and answers.
 *
 * @example
 * ```ts
 * const r = ratingTurn(state, { text: 'tidak puas, jalannya masih berlubang' }, false);
 * r?.effects; // [{ type: 'rate', trackingId, score: 2, reason: 'tidak puas, jalannya masih berlubang' }]
 * ```
 */

import { type LabelKey, type Locale, label, t } from '../texts.ts';
import type { Choice } from '../types.ts';
import type { DialogState, StepResult } from './types.ts';
import { detectCommand } from './understand.ts';

const RATE_CHOICE = /^rate:([1-5]):([A-Z0-9-]{6,40})$/;
const LABEL_KEYS: readonly LabelKey[] = ['rate1', 'rate2', 'rate3', 'rate4', 'rate5'];
/** Fewer words than this after "tidak puas" are not a reason ("tidak puas sih"). */
const MIN_REASON_WORDS = 3;

/** The choice id of a score for a report. */
export function rateChoiceId(score: number, trackingId: string): string {
  return `rate:${score}:${trackingId}`;
}

/** The five rating choices, 1 first, so that list positions and scores agree. */
export function ratingChoices(locale: Locale, trackingId: string): Choice[] {
  return LABEL_KEYS.map((key, i) => ({ id: rateChoiceId(i + 1, trackingId), label: label(locale, key) }));
}

/** Rating words at the start of a message, longest first, with their score. */
const RATING_WORDS: readonly [RegExp, number][] = [
  [/^(sangat|sgt|amat)\s+(tidak|tdk|gak|ga|nggak|ngga)\s+puas\b/, 1],
  [/^very\s+(dissatisfied|unsatisfied)\b/, 1],
  [/^(sangat|sgt|amat)\s+puas\b/, 5],
  [/^very\s+satisfied\b/, 5],
  [/^(tidak|tdk|gak|ga|nggak|ngga|kurang|krg|belum|blm)\s+puas\b/, 2],
  [/^(kecewa|belum\s+selesai|blm\s+selesai|masih\s+belum)\b/, 2],
  [/^(not\s+satisfied|dissatisfied|unsatisfied|not\s+solved|not\s+fixed)\b/, 2],
  [/^(cukup|lumayan|biasa\s+saja|fair)\b/, 3],
  [/^(puas|satisfied)\b/, 4],
];

function words(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * A score read from the start of a message: a digit 1-5 ("2", "4/5", "nilai 3") or rating words.
 * Returns the score and what followed it, or undefined.
 *
 * @example
 * ```ts
 * parseRating('tidak puas, masih bocor'); // { score: 2, rest: 'masih bocor' }
 * parseRating('5');                       // { score: 5, rest: '' }
 * ```
 */
export function parseRating(text: string): { score: number; rest: string } | undefined {
  const s = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const digit = /^(?:nilai\s+|skor\s+|score\s+)?([1-5])(?:\s*\/\s*5)?(?:\s+(.*))?$/.exec(s);
  if (digit?.[1]) return { score: Number(digit[1]), rest: digit[2] ?? '' };
  for (const [pattern, score] of RATING_WORDS) {
    const match = pattern.exec(s);
    if (match) return { score, rest: s.slice(match[0].length).trim() };
  }
  return undefined;
}

/**
 * Handles a message as a rating when it is one. Returns null when the message is not about a
 * rating; the returned `state` may still differ (a dropped rating question) and must be kept.
 */
export function ratingTurn(
  state: DialogState,
  input: { text?: string; choice?: string },
  compact = false,
): { state: DialogState; result: Pick<StepResult, 'replies' | 'effects'> | null } {
  const text = (input.text ?? '').trim();
  const locale = state.locale;
  const pressed = input.choice ? RATE_CHOICE.exec(input.choice) : null;
  const awaiting = state.awaitingRating;

  /** `answered`: the reason we asked for, taken as it is however short. */
  const rate = (score: number, trackingId: string, reason: string | undefined, answered = false) => {
    const next: DialogState = { ...state };
    delete next.awaitingRating;
    if (score <= 2 && !answered && (!reason || words(reason) < MIN_REASON_WORDS)) {
      next.awaitingRating = { trackingId, score };
      return {
        state: next,
        result: { replies: [{ text: t(locale, 'rateAskReason', { trackingId }, compact) }], effects: [] },
      };
    }
    return {
      state: next,
      result: {
        replies: [],
        effects: [{ type: 'rate' as const, trackingId, score, ...(score <= 2 && reason ? { reason } : {}) }],
      },
    };
  };

  if (pressed?.[1] && pressed[2]) return rate(Number(pressed[1]), pressed[2], undefined);
  if (!awaiting || input.choice || !text || state.phase !== 'idle') return { state, result: null };
  // "bantuan", "status …", "batal": commands keep their meaning and the question stays open.
  if (detectCommand(text)) return { state, result: null };
  if (awaiting.score !== undefined) {
    // The reason we asked for (or a score that overrides it: "ternyata sudah beres, puas").
    const again = parseRating(text);
    if (again && again.score >= 3) return rate(again.score, awaiting.trackingId, undefined);
    return rate(awaiting.score, awaiting.trackingId, text.slice(0, 2000), true);
  }
  const parsed = parseRating(text);
  if (!parsed) {
    const next: DialogState = { ...state };
    delete next.awaitingRating;
    return { state: next, result: null };
  }
  return rate(
    parsed.score,
    awaiting.trackingId,
    words(parsed.rest) >= MIN_REASON_WORDS ? text.slice(0, 2000) : undefined,
  );
}
