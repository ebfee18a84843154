import { describe, expect, it } from 'vitest';
import { explainRefusal, fill, OFFICER_LABELS, officerLabel } from '../../core/desk/index.ts';
import { LaporError } from '../../core/errors.ts';
import { IllegalTransitionError, LIFECYCLE_ACTIONS, nextStatus } from '../../core/lifecycle/index.ts';

describe('officer label catalogue', () => {
  it.each(Object.entries(OFFICER_LABELS))(
    'words every %s label in Bahasa Indonesia and English',
    (_group, labels) => {
      for (const [key, pair] of Object.entries(labels)) {
        expect(pair.id.trim(), `${key} (id)`).not.toBe('');
        expect(pair.en.trim(), `${key} (en)`).not.toBe('');
      }
    },
  );

  it('names every lifecycle action in the history', () => {
    const unnamed = LIFECYCLE_ACTIONS.filter((action) => !(action in OFFICER_LABELS.events));
    expect(unnamed).toEqual([]);
  });

  it('shows an unknown key as it is rather than failing', () => {
    expect(officerLabel('events', 'some_future_event')).toBe('some_future_event');
    expect(officerLabel('dueKinds', 'response', 'en')).toBe('agency response');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(
      fill(OFFICER_LABELS.refusals.moved.id, { trackingId: 'LPR-7KQ-9M4-XTW', agency: 'DPUPR' }),
    ).toContain('LPR-7KQ-9M4-XTW sudah diteruskan ke DPUPR');
    expect(fill('{a} {b}', { a: 'x' })).toBe('x {b}');
  });

  it('explains a refused transition with the actions still possible, in the officer labels', () => {
    let refusal: unknown;
    try {
      nextStatus('ditindaklanjuti', 'accept', 'officer');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(IllegalTransitionError);
    const text = explainRefusal(refusal as IllegalTransitionError);
    expect(text).toMatch(/^⛔ Tindakan ini tidak bisa dilakukan pada status "/);
    const allowed = (refusal as IllegalTransitionError).allowed;
    expect(allowed).toContain('resolve');
    for (const action of allowed) {
      const label = (OFFICER_LABELS.actions as Record<string, { id: string }>)[action]?.id;
      if (label) expect(text).toContain(label);
    }
    expect(explainRefusal(new LaporError('LAPOR_ERR_INTERNAL', 'boom'), 'en')).toBe(
      '⛔ Something went wrong. Please try again.',
    );
  });
});
