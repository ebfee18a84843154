/**
 * The rating part of the dialog, pure: reading a 1-5 score from buttons, digits and words, asking
 * once for the reason of a "tidak puas", and letting everything else through as a normal message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialogDeps } from '../../core/index.ts';
import { generateTrackingId } from '../../core/tracking-id/index.ts';
import { defaultClassifier } from '../../dialogs/classifier/index.ts';
import {
  type DialogDeps,
  type DialogState,
  initialState,
  parseRating,
  rateChoiceId,
  ratingChoices,
  step,
} from '../../dialogs/engine/index.ts';
import { loadGazetteer } from '../../dialogs/gazetteer/index.ts';

let deps: DialogDeps;
beforeAll(async () => {
  deps = dialogDeps(defaultClassifier(), await loadGazetteer());
});

const ID = generateTrackingId();
const waiting = (): DialogState => ({ ...initialState('id'), awaitingRating: { trackingId: ID } });
const roundTrip = (s: DialogState): DialogState => JSON.parse(JSON.stringify(s));

describe('reading a rating', () => {
  it.each([
    ['5', 5, ''],
    ['4/5', 4, ''],
    ['nilai 3', 3, ''],
    ['Puas!', 4, ''],
    ['sangat puas, terima kasih pak', 5, 'terima kasih pak'],
    ['cukup', 3, ''],
    ['tidak puas', 2, ''],
    ['tdk puas krn masih bocor', 2, 'krn masih bocor'],
    ['kurang puas', 2, ''],
    ['kecewa, belum diperbaiki sama sekali', 2, 'belum diperbaiki sama sekali'],
    ['sangat tidak puas', 1, ''],
    ['Very satisfied', 5, ''],
    ['not satisfied at all', 2, 'at all'],
  ])('reads %j as %i', (text, score, rest) => {
    expect(parseRating(text)).toEqual({ score, rest });
  });

  it.each([
    '6',
    '0',
    'jalan berlubang di depan rumah',
    'terima kasih',
    'puasa ramadan',
    'status LPR-7KQ-9M4-XTW',
  ])('does not read %j as a rating', (text) => {
    expect(parseRating(text)).toBeUndefined();
  });

  it('lists the choices 1 to 5 so that list positions and scores agree', () => {
    expect(ratingChoices('en', ID).map((c) => [c.id, c.label])).toEqual([
      [rateChoiceId(1, ID), 'Very dissatisfied'],
      [rateChoiceId(2, ID), 'Dissatisfied'],
      [rateChoiceId(3, ID), 'Fair'],
      [rateChoiceId(4, ID), 'Satisfied'],
      [rateChoiceId(5, ID), 'Very satisfied'],
    ]);
  });
});

describe('the rating turn', () => {
  it('"puas" rates at once and clears the question', () => {
    const r = step(roundTrip(waiting()), { text: 'puas' }, deps);
    expect(r.effects).toEqual([{ type: 'rate', trackingId: ID, score: 4 }]);
    expect(r.replies).toEqual([]);
    expect(r.state.awaitingRating).toBeUndefined();
  });

  it('"tidak puas" without a reason asks for one once, then takes any answer as the reason', () => {
    const first = step(roundTrip(waiting()), { text: '2' }, deps);
    expect(first.effects).toEqual([]);
    expect(first.replies[0]!.text).toContain('Ceritakan singkat');
    expect(first.state.awaitingRating).toEqual({ trackingId: ID, score: 2 });
    const second = step(roundTrip(first.state), { text: 'masih bocor' }, deps);
    expect(second.effects).toEqual([{ type: 'rate', trackingId: ID, score: 2, reason: 'masih bocor' }]);
    expect(second.state.awaitingRating).toBeUndefined();
  });

  it('"tidak puas" with a reason in the same message rates at once', () => {
    const text = 'tidak puas, lampunya mati lagi sejak kemarin malam';
    const r = step(roundTrip(waiting()), { text }, deps);
    expect(r.effects).toEqual([{ type: 'rate', trackingId: ID, score: 2, reason: text }]);
  });

  it('a button works in any phase, even without the question pending', () => {
    const writing = step(initialState('id'), { text: 'lampu jalan mati di depan pasar' }, deps).state;
    const r = step(roundTrip(writing), { choice: rateChoiceId(5, ID) }, deps);
    expect(r.effects).toEqual([{ type: 'rate', trackingId: ID, score: 5 }]);
    // The report being written is kept.
    expect(r.state.draft?.description).toBe('lampu jalan mati di depan pasar');
  });

  it('a new complaint instead of a rating drops the question and starts a report', () => {
    const r = step(roundTrip(waiting()), { text: 'Jalan berlubang di Kec. Kemangkon, Purbalingga' }, deps);
    expect(r.effects.filter((e) => e.type === 'rate')).toEqual([]);
    expect(r.state.awaitingRating).toBeUndefined();
    expect(r.state.phase).toBe('collecting');
  });

  it('commands keep their meaning while the question is open', () => {
    const r = step(roundTrip(waiting()), { text: 'bantuan' }, deps);
    expect(r.replies[0]!.text).toContain('Petunjuk');
    expect(r.state.awaitingRating).toEqual({ trackingId: ID });
  });

  it('asks the reason in English for an English conversation, compactly on SMS', () => {
    const en: DialogState = { ...waiting(), locale: 'en', localeChosen: true };
    expect(step(roundTrip(en), { text: 'dissatisfied' }, deps).replies[0]!.text).toContain('tell us briefly');
    const sms = step(roundTrip(waiting()), { text: '1' }, deps, { compact: true });
    expect(sms.replies[0]!.text.length).toBeLessThanOrEqual(160);
  });
});
