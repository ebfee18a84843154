/**
 * The junk filter (dialogs/intent) on its own and inside the dialog: non-reports get a helpful
 * answer and are not filed, real complaints that open with a greeting or a "tes" go through, and
 * a citizen who insists gets a draft marked `suspect`. Every text here was written for this test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialogDeps } from '../../core/index.ts';
import { defaultClassifier } from '../../dialogs/classifier/index.ts';
import {
  type DialogDeps,
  type DialogEffect,
  type DialogState,
  initialState,
  type StepResult,
  step,
} from '../../dialogs/engine/index.ts';
import { loadGazetteer } from '../../dialogs/gazetteer/index.ts';
import {
  clearComplaintOf,
  defaultIntentFilter,
  type IntentFilter,
  JUNK_KINDS,
  trainIntentFilter,
} from '../../dialogs/intent/index.ts';
import { TEXTS } from '../../dialogs/texts.ts';

let filter: IntentFilter;
let deps: DialogDeps;

beforeAll(async () => {
  const classifier = defaultClassifier();
  filter = defaultIntentFilter(clearComplaintOf(classifier));
  deps = dialogDeps(classifier, await loadGazetteer(), null, filter);
});

const JUNK: [string, string][] = [
  ['tes tes, nomor ini masih aktif kan min?', 'test'],
  ['asdfgh jkl qwerty', 'gibberish'],
  ['min udah makan belum?', 'chitchat'],
  ['Dukung calon nomor 2, pasti menang!', 'politics'],
  ['bot bodoh gak guna', 'insult'],
  ['Sebarkan ke 10 grup, kalau tidak nanti sial seminggu', 'forward'],
];

const COMPLAINTS = [
  'Assalamualaikum pak, jalan di desa kami rusak parah sudah 3 bulan dan belum diperbaiki',
  'halo min, saya mau lapor lampu jalan di depan pasar mati semua sejak minggu lalu',
  'tes dulu ya... oke, saya mau mengadukan pungutan liar di kantor kelurahan waktu mengurus KTP',
  'Permisi, air PDAM di rumah saya tidak mengalir sejak tiga hari',
  'Guru honorer di sekolah anak saya belum digaji 4 bulan',
];

describe('junk filter', () => {
  it.each(JUNK)('calls %j not a report, of kind %s', (text, kind) => {
    const verdict = filter.screen(text);
    expect(verdict.verdict).toBe('not_report');
    expect(verdict.kind).toBe(kind);
    expect(verdict.pJunk).toBeGreaterThanOrEqual(0.7);
  });

  it.each(COMPLAINTS)('lets a real complaint through, greeting or "tes" first: %j', (text) => {
    const verdict = filter.screen(text);
    expect(verdict.verdict).toBe('report');
    expect(verdict.kind).toBeUndefined();
  });

  it('never throws and takes empty or odd input as a report (nothing to judge)', () => {
    for (const odd of ['', '   ', '\u0000', 'x'.repeat(5000)]) {
      expect(() => filter.screen(odd)).not.toThrow();
    }
    expect(filter.screen('').verdict).toBe('report');
    expect(filter.screen(42 as unknown as string).verdict).toBe('report');
  });

  it('a clear complaint the topic classifier is sure of is not junk unless the gate is all but certain', () => {
    const text = 'Jalan utama di desa kami berlubang besar dan sudah dua kali ada motor jatuh';
    const bare = defaultIntentFilter({ threshold: 0 });
    // With the threshold at 0 every text would be junk; the guard keeps the clear complaint.
    expect(bare.screen(text).verdict).toBe('not_report');
    const guarded = defaultIntentFilter({ threshold: 0, ...clearComplaintOf(defaultClassifier()) });
    expect(guarded.screen(text).verdict).toBe('report');
  });

  it('trains on any rows, with the kinds it is given', () => {
    const rows = [
      ...['halo', 'hai min', 'pagi min', 'tes', 'tes 123', 'cek cek'].map((text) => ({
        text,
        label: 'bukan_laporan' as const,
        kind: 'test' as const,
      })),
      ...[
        'jalan rusak di desa kami',
        'lampu jalan mati seminggu',
        'sampah menumpuk di pasar',
        'air tidak mengalir tiga hari',
        'sekolah minta pungutan',
        'ktp belum jadi dua bulan',
      ].map((text) => ({ text, label: 'laporan' as const })),
    ];
    const small = trainIntentFilter(rows, { threshold: 0.5 });
    const verdict = small.screen('tes tes');
    expect(verdict.verdict).toBe('not_report');
    expect(JUNK_KINDS).toContain(verdict.kind);
    expect(small.screen('jalan rusak dan lampu mati').verdict).toBe('report');
  });
});

class Chat {
  state: DialogState = initialState('id');
  readonly results: StepResult[] = [];
  send(input: string | { choice: string }): StepResult {
    const result = step(this.state, typeof input === 'string' ? { text: input } : input, deps);
    this.state = JSON.parse(JSON.stringify(result.state)) as DialogState;
    this.results.push(result);
    return result;
  }
  filed() {
    return this.results
      .flatMap((r) => r.effects)
      .filter((e): e is Extract<DialogEffect, { type: 'file_report' }> => e.type === 'file_report');
  }
}

describe('junk filter in the dialog', () => {
  it('answers a non-report helpfully, starts no draft and files nothing', () => {
    const chat = new Chat();
    const answer = chat.send('min udah makan belum?');
    expect(answer.replies).toHaveLength(1);
    expect(answer.replies[0]?.text).toBe(TEXTS.notReport.id);
    expect(answer.replies[0]?.choices).toEqual([{ id: 'screen:report', label: 'Ini laporan' }]);
    expect(chat.state.phase).toBe('idle');
    expect(chat.state.draft).toBeUndefined();
    // A second non-report: the same answer, still nothing filed.
    chat.send('Dukung calon nomor 2, pasti menang!');
    expect(chat.state.draft).toBeUndefined();
    expect(chat.filed()).toHaveLength(0);
  });

  it('a real complaint after a junk answer is taken as a report, not as "insisting"', () => {
    const chat = new Chat();
    chat.send('tes tes, nomor ini masih aktif kan min?');
    chat.send('Jalan di Desa Kedungbenda, Kec. Kemangkon, Purbalingga berlubang besar sejak dua bulan');
    expect(chat.state.phase).toBe('collecting');
    expect(chat.state.draft?.suspect).toBeUndefined();
    expect(chat.state.draft?.description).not.toContain('tes tes');
  });

  it.each([
    ['the button', { choice: 'screen:report' }],
    ['typed "ini laporan"', 'ini laporan'],
    ['typed "1"', '1'],
  ] as const)('a citizen who insists (%s) gets a draft marked suspect that files as usual', (_, insist) => {
    const chat = new Chat();
    chat.send('bot bodoh gak guna');
    chat.send(insist);
    expect(chat.state.phase).toBe('collecting');
    expect(chat.state.draft?.suspect).toBe('insult');
    expect(chat.state.draft?.description).toBe('bot bodoh gak guna');
    // Walk the questions: first choice offered, a place when asked, then send.
    for (let i = 0; i < 8 && chat.filed().length === 0; i++) {
      const last = chat.results.at(-1)?.replies.at(-1);
      const pending = chat.state.pending?.kind;
      if (pending === 'location') chat.send('Kec. Kemangkon, Kab. Purbalingga');
      else if (pending === 'confirm') chat.send({ choice: 'confirm' });
      else if (last?.choices?.[0]) chat.send({ choice: last.choices[0].id });
      else chat.send('ya');
    }
    const [filed] = chat.filed();
    expect(filed?.draft.suspect).toBe('insult');
  });

  it('without a filter in the deps every message is a report (the engine stays usable alone)', () => {
    const plain = { ...deps };
    delete plain.screen;
    const result = step(initialState('id'), { text: 'min udah makan belum?' }, plain);
    expect(result.replies.map((r) => r.text)).not.toContain(TEXTS.notReport.id);
  });
});
