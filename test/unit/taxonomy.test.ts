/**
 * An operator's own taxonomy: labels learned from their history, shown by name in the dialog,
 * and routed by the labels' targets or the built-in topic they map to. Every sentence here is
 * written for this test.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import { dialogDeps } from '../../core/index.ts';
import { createRouter, loadRoutingRules, RoutingRuleError } from '../../core/routing/index.ts';
import { taxonomyRouting } from '../../core/routing/labels.ts';
import { trainClassifier } from '../../dialogs/classifier/index.ts';
import { type DialogDeps, type DialogInput, initialState, step } from '../../dialogs/engine/index.ts';
import { loadGazetteer } from '../../dialogs/gazetteer/index.ts';
import { loadTaxonomy, parseTaxonomy, type Taxonomy, TaxonomyError } from '../../dialogs/taxonomy.ts';

const HISTORY: [string, string][] = [
  ['jalan di depan rumah kami berlubang besar dan belum ditambal', 'jalan_rusak'],
  ['aspal jalan kampung mengelupas dan banyak lubang', 'jalan_rusak'],
  ['jalan desa rusak parah sejak musim hujan', 'jalan_rusak'],
  ['lubang di jalan raya membuat motor sering jatuh', 'jalan_rusak'],
  ['jalan lingkungan amblas di dekat jembatan', 'jalan_rusak'],
  ['tumpukan sampah di pinggir sungai tidak pernah diangkut', 'sampah_liar'],
  ['warga membuang sampah sembarangan di lahan kosong', 'sampah_liar'],
  ['bau sampah menyengat dari tempat pembuangan liar dekat sekolah', 'sampah_liar'],
  ['sampah rumah tangga menumpuk di tepi jalan sudah seminggu', 'sampah_liar'],
  ['truk sampah tidak datang dan sampah berserakan', 'sampah_liar'],
  ['pengurusan paspor saya lambat sudah dua bulan belum jadi', 'paspor'],
  ['antrean wawancara paspor penuh terus di aplikasi', 'paspor'],
  ['paspor anak saya salah cetak nama', 'paspor'],
  ['biaya percepatan paspor diminta oleh calo', 'paspor'],
  ['jadwal foto paspor dibatalkan tanpa kabar', 'paspor'],
];

const TAXONOMY = {
  labels: [
    { id: 'jalan_rusak', name: { id: 'Jalan Rusak', en: 'Damaged Road' }, category: 'pekerjaan_umum' },
    { id: 'sampah_liar', name: { id: 'Sampah Liar', en: 'Illegal Dumping' } },
    {
      id: 'paspor',
      name: { id: 'Layanan Paspor', en: 'Passport Service' },
      target: { agency: 'KL-IMIGRASI' },
    },
  ],
};

let agencies: AgencyRecord[];
let taxonomy: Taxonomy;
let deps: DialogDeps;

beforeAll(async () => {
  agencies = await buildAgencyDirectory();
  taxonomy = parseTaxonomy(TAXONOMY);
  const model = trainClassifier(HISTORY.map(([text, category]) => ({ text, category })));
  deps = dialogDeps(model, await loadGazetteer(), taxonomy);
});

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'taxonomy-')), name);
  writeFileSync(path, content);
  return path;
}

describe('taxonomy file', () => {
  it('reads labels with names in both languages, in file order', () => {
    const t = loadTaxonomy(tempFile('t.json', JSON.stringify(TAXONOMY)));
    expect(t.labels.map((l) => l.id)).toEqual(['jalan_rusak', 'sampah_liar', 'paspor']);
    expect(t.labels[2]).toEqual({
      id: 'paspor',
      name: { id: 'Layanan Paspor', en: 'Passport Service' },
      target: { agency: 'KL-IMIGRASI' },
    });
  });

  it.each([
    [{ labels: [] }, /at least one label/],
    [{ labels: [{ id: 'a', name: { id: 'A' } }] }, /label #1 "a": "name" must be/],
    [{ labels: [{ id: 'lainnya', name: { id: 'L', en: 'L' } }] }, /reserved/],
    [
      { labels: [{ id: 'a', name: { id: 'A', en: 'A' }, category: 'jalan' }] },
      /unknown built-in category 'jalan'/,
    ],
    [
      {
        labels: [
          { id: 'a', name: { id: 'A', en: 'A' } },
          { id: 'a', name: { id: 'B', en: 'B' } },
        ],
      },
      /label #2 "a": duplicate id/,
    ],
  ])('refuses a bad file with a message naming the entry (%#)', (data, message) => {
    expect(() => parseTaxonomy(data, 'mine.json')).toThrow(TaxonomyError);
    expect(() => parseTaxonomy(data, 'mine.json')).toThrow(message);
  });

  it('names the file when it is not JSON', () => {
    const path = tempFile('broken.json', '{ labels: ');
    expect(() => loadTaxonomy(path)).toThrow(/broken\.json: invalid JSON/);
  });
});

describe('the dialog with an operator taxonomy', () => {
  const run = (inputs: DialogInput[]) => {
    let state = initialState('id');
    const results = inputs.map((input) => {
      const r = step(state, input, deps);
      state = JSON.parse(JSON.stringify(r.state));
      return r;
    });
    return results;
  };

  it('lists the operator topics by name when the citizen asks for every topic', () => {
    const [, all] = run([
      { text: 'sampah menumpuk di pinggir jalan dekat pasar Kec. Kemangkon, Purbalingga' },
      { choice: 'cat:more' },
    ]);
    expect(all?.replies.at(-1)?.choices?.map((c) => [c.id, c.label])).toEqual([
      ['cat:jalan_rusak', 'Jalan Rusak'],
      ['cat:sampah_liar', 'Sampah Liar'],
      ['cat:paspor', 'Layanan Paspor'],
      ['cat:lainnya', 'Lainnya'],
    ]);
  });

  it('names the learned label in the summary and files the report with it', () => {
    const results = run([
      { text: 'sampah menumpuk di pinggir jalan dekat pasar Kec. Kemangkon, Purbalingga' },
      { choice: 'type:pengaduan' },
      { choice: 'confirm' },
    ]);
    const summary = results[1]?.replies.map((r) => r.text).join('\n') ?? '';
    expect(summary).toContain('Sampah Liar');
    const filed = results[2]?.effects.find((e) => e.type === 'file_report');
    expect(filed?.type === 'file_report' && filed.draft.category).toBe('sampah_liar');
  });

  it('accepts an operator topic picked from the list', () => {
    const results = run([
      { text: 'sampah menumpuk di pinggir jalan dekat pasar Kec. Kemangkon, Purbalingga' },
      { choice: 'cat:jalan_rusak' },
      { choice: 'type:pengaduan' },
    ]);
    expect(
      results
        .at(-1)
        ?.replies.map((r) => r.text)
        .join('\n'),
    ).toContain('Jalan Rusak');
  });
});

describe('routing operator labels', () => {
  const router = () => {
    const labels = taxonomyRouting(taxonomy);
    return createRouter({
      agencies,
      rules: [...labels.rules, ...loadRoutingRules(undefined, labels.categories)],
      categories: labels.categories,
      aliases: labels.aliases,
    });
  };

  it('sends a label with a target to that body', () => {
    const d = router().route({ category: 'paspor', regionCode: '33.03', text: 'sudah lama menunggu' });
    expect(d.agencyCode).toBe('KL-IMIGRASI');
    expect(d.ruleId).toBe('label-paspor');
    expect(d.reason.id).toContain('Direktorat Jenderal Imigrasi');
  });

  it('routes a label mapped to a built-in topic like that topic', () => {
    const d = router().route({ category: 'jalan_rusak', regionCode: '33.03', text: 'jalan berlubang' });
    expect(d.agencyCode).toBe('PEMDA-33.03-DPUPR');
    expect(d.competent).toEqual({ kind: 'pemda', level: 'regency' });
  });

  it('lets a rules file name an operator label (label -> kind, level, body)', () => {
    const rules: unknown = [
      {
        id: 'sampah-ke-dlh',
        when: { categories: ['sampah_liar'] },
        target: { unit: 'DLH', level: 'regency' },
        reason: { id: 'Sampah liar ditangani {agency}.', en: 'Illegal dumping goes to {agency}.' },
      },
    ];
    const path = tempFile('rules.json', JSON.stringify(rules));
    expect(() => loadRoutingRules(path)).toThrow(RoutingRuleError);
    expect(() => loadRoutingRules(path)).toThrow(/unknown category 'sampah_liar'/);
    const r = createRouter({
      agencies,
      rules: loadRoutingRules(path, ['sampah_liar']),
      categories: ['sampah_liar'],
    });
    const d = r.route({ category: 'sampah_liar', regionCode: '33.03', text: 'sampah di sungai' });
    expect(d.agencyCode).toBe('PEMDA-33.03-DLH');
    expect(d.reason.id).toBe('Sampah liar ditangani Dinas Lingkungan Hidup Kabupaten Purbalingga.');
  });

  it('refuses a taxonomy target that is not in the directory, naming the label', () => {
    const bad = parseTaxonomy({
      labels: [{ id: 'x', name: { id: 'X', en: 'X' }, target: { agency: 'KL-NOPE' } }],
    });
    const labels = taxonomyRouting(bad);
    expect(() => createRouter({ agencies, rules: labels.rules, categories: labels.categories })).toThrow(
      /label-x.*KL-NOPE/,
    );
  });
});
