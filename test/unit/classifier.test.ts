import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIABLE_CATEGORIES } from '../../dialogs/categories.ts';
import {
  type Classification,
  ClassifierInputError,
  type ClassifierModel,
  CORPUS_URL,
  decideConfidence,
  defaultClassifier,
  evaluate,
  formatEvaluation,
  type LabelledText,
  loadClassifier,
  loadCorpus,
  readLabelledCsv,
  type SerializedLinearModel,
  type SerializedModel,
  type SerializedNaiveBayesModel,
  splitHoldout,
  tokenize,
  trainClassifier,
  trainLinear,
} from '../../dialogs/classifier/index.ts';
import { readCorpus } from '../../dialogs/corpus/index.ts';

let corpus: LabelledText[];
let train: LabelledText[];
let test: LabelledText[];
let model: ClassifierModel;

beforeAll(() => {
  corpus = loadCorpus();
  ({ train, test } = splitHoldout(corpus));
  model = trainClassifier(train);
});

function classification(ps: [string, number][]): Classification {
  const top = ps.map(([category, p]) => ({ category, p }));
  return { category: top[0]!.category, confidence: top[0]!.p, top };
}

describe('shipped corpus', () => {
  it('has at least 50 rows for every classifiable category and nothing else', () => {
    const counts = new Map<string, number>();
    for (const r of corpus) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
    for (const c of CLASSIFIABLE_CATEGORIES) expect(counts.get(c) ?? 0, c).toBeGreaterThanOrEqual(50);
    expect([...counts.keys()].sort()).toEqual([...CLASSIFIABLE_CATEGORIES].sort());
  });

  it('has a valid agency_kind on every row and no duplicate texts', () => {
    const raw = parse(readFileSync(CORPUS_URL, 'utf8'), { columns: true }) as Record<string, string>[];
    const kinds = new Set(['pemda', 'kementerian_lembaga', 'bpjs', 'bumn', 'bumd', 'admin']);
    const bad = raw.filter((r) => !kinds.has(r.agency_kind ?? ''));
    expect(bad).toEqual([]);
    const texts = raw.map((r) => r.text!.trim().toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('the written corpus', () => {
  it('is read with the first batch: every file of written/, known categories and agency kinds', () => {
    const rows = readCorpus();
    const sources = new Set(rows.map((r) => r.source));
    expect(sources.has('reports.csv')).toBe(true);
    const kinds = new Set(['pemda', 'kementerian_lembaga', 'bpjs', 'bumn', 'bumd', 'admin']);
    const known = new Set<string>(CLASSIFIABLE_CATEGORIES);
    expect(rows.filter((r) => !known.has(r.category)).map((r) => `${r.source}: ${r.category}`)).toEqual([]);
    expect(rows.filter((r) => !kinds.has(r.agencyKind)).map((r) => `${r.source}: ${r.agencyKind}`)).toEqual(
      [],
    );
    // loadCorpus keeps each text once.
    expect(corpus.length).toBeLessThanOrEqual(rows.length);
  });
});

describe('linear model', () => {
  it('learns any label set, calibrates, and round-trips through JSON without the stemmer', () => {
    // Agency kinds instead of categories: the model does not care what the labels are.
    const rows = readCorpus()
      .filter((r) => r.agencyKind && r.agencyKind !== 'admin')
      .map((r) => ({ text: r.text, category: r.agencyKind }));
    const { train: kTrain, test: kTest } = splitHoldout(rows);
    const kinds = trainLinear(kTrain, { epochs: 4 });
    expect([...kinds.categories].sort()).toEqual([...new Set(rows.map((r) => r.category))].sort());
    const result = evaluate(kinds, kTest);
    const majority = Math.max(
      ...kinds.categories.map((k) => kTest.filter((r) => r.category === k).length / kTest.length),
    );
    expect(result.accuracy).toBeGreaterThan(majority);
    const c = kinds.classify('kartu BPJS saya nonaktif padahal iuran lancar');
    expect(c.top.reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 6);
    const json = JSON.stringify(kinds.toJSON());
    expect(json).not.toContain('kata-dasar');
    const restored = loadClassifier(JSON.parse(json) as SerializedModel);
    for (const r of kTest.slice(0, 50)) expect(restored.classify(r.text)).toEqual(kinds.classify(r.text));
    expect(() =>
      loadClassifier({ ...(kinds.toJSON() as SerializedLinearModel), featureVersion: 99 }),
    ).toThrow(/feature version/);
  });
});

describe('tokenize', () => {
  it('expands chat abbreviations, collapses stretched letters and the "2" reduplication, and stems', () => {
    expect(tokenize('Jln rusak parahhh gk diperbaiki2')).toEqual(['jalan', 'rusak', 'parah', 'baik']);
  });

  it('drops stopwords and abbreviations of stopwords entirely', () => {
    expect(tokenize('yg dgn tdk gk udh blm sy tlg mhn krn dr utk')).toEqual([]);
  });

  it('drops the courtesies of a letter to an official, keeping what the letter is about', () => {
    const letter =
      "Assalamu'alaikum Wr. Wb. Yth. Bapak Bupati beserta jajaran dinas terkait, semoga Bapak senantiasa " +
      'diberikan kesehatan. Mohon izin menyampaikan: lampu jalan di gang kami mati. Terima kasih atas perhatiannya.';
    expect(tokenize(letter)).toEqual(['lampu', 'jalan', 'gang', 'mati']);
    // A wish of good health is no health complaint; a clinic that is closed is.
    expect(tokenize('semoga ibu selalu dalam keadaan sehat')).toEqual([]);
    expect(tokenize('klinik kesehatan desa tutup')).toContain('sehat');
  });

  it('drops the landmark a complaint is placed next to, not the complaint', () => {
    expect(tokenize('lampu jalan depan SMP 3 mati')).toEqual(['lampu', 'jalan', 'mati']);
    expect(tokenize('got mampet dekat masjid')).toEqual(['got', 'mampet']);
    // Without a position word the same noun is the subject.
    expect(tokenize('SMP 3 pungut biaya seragam')).toContain('smp');
  });

  it('keeps "izin" when it is a permit rather than a courtesy', () => {
    expect(tokenize('mohon izin usaha warung saya diproses')).toContain('izin');
    expect(tokenize('mohon izin bertanya soal antrean')).not.toContain('izin');
  });

  it('does not trip over words that are Object.prototype keys', () => {
    expect(() => tokenize('constructor toString __proto__ hasOwnProperty')).not.toThrow();
  });
});

describe('held-out quality', () => {
  it('splits deterministically into disjoint parts of roughly the requested size', () => {
    const again = splitHoldout(corpus);
    expect(again.test.map((r) => r.text)).toEqual(test.map((r) => r.text));
    expect(train.length + test.length).toBe(corpus.length);
    const testTexts = new Set(test.map((r) => r.text));
    expect(train.some((r) => testTexts.has(r.text))).toBe(false);
    expect(test.length / corpus.length).toBeGreaterThan(0.12);
    expect(test.length / corpus.length).toBeLessThan(0.28);
  });

  it('beats a meaningful bar and the majority-class baseline by a wide margin', () => {
    const result = evaluate(model, test);
    const counts = new Map<string, number>();
    for (const r of train) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const baseline = test.filter((r) => r.category === majority).length / test.length;

    // 18 classes: chance is ~6%. The model measured ~0.83 when written.
    expect(result.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(result.macroF1).toBeGreaterThanOrEqual(0.7);
    expect(result.accuracy).toBeGreaterThan(baseline + 0.5);
  });

  it('is better calibrated with the fitted temperature than without', () => {
    const raw = trainClassifier(train, { calibrate: false });
    expect(raw.toJSON().temperature).toBe(1);
    expect(model.toJSON().temperature).not.toBe(1);
    const calibrated = evaluate(model, test);
    const uncalibrated = evaluate(raw, test);
    expect(calibrated.accuracy).toBe(uncalibrated.accuracy);
    expect(calibrated.ece).toBeLessThan(uncalibrated.ece);
    expect(calibrated.ece).toBeLessThan(0.12);
  });
});

describe('classify', () => {
  it('returns every category once, sorted by probability, summing to 1', () => {
    for (const r of test.slice(0, 40)) {
      const c = model.classify(r.text);
      expect(c.top.map((s) => s.category).sort()).toEqual([...model.categories].sort());
      expect(c.top.reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 9);
      for (let i = 1; i < c.top.length; i++) expect(c.top[i - 1]!.p).toBeGreaterThanOrEqual(c.top[i]!.p);
      expect(c.category).toBe(c.top[0]!.category);
      expect(c.confidence).toBe(c.top[0]!.p);
      for (const s of c.top) expect(s.p).toBeGreaterThanOrEqual(0);
    }
  });

  it('is deterministic, across calls and across separately trained models', () => {
    const text = 'lampu jalan di kampung kami mati sebulan';
    expect(model.classify(text)).toEqual(model.classify(text));
    expect(trainClassifier(train).classify(text)).toEqual(model.classify(text));
  });

  it.each([
    ['jln rusak parah gk diperbaiki2', 'pekerjaan_umum'],
    ['listrik mati trs dr kmrn, PLN gk dtg2', 'energi_listrik'],
    ['ktp sy blm jadi2 udh 4 bln', 'kependudukan'],
    ['air pdam gk ngalir udh 3 hr', 'air_bersih'],
    ['gaji blm dibayar 3 bln sm pabrik', 'ketenagakerjaan'],
    ['The water from the tap is brown and smells bad', 'air_bersih'],
  ])('reads chat shorthand and typos: %s', (text, category) => {
    expect(model.classify(text).category).toBe(category);
  });

  it('gives flat probabilities, not an error, when no word is known', () => {
    const c = model.classify('');
    expect(c.top[0]!.p).toBeCloseTo(c.top.at(-1)!.p, 6);
    expect(() => model.classify('constructor __proto__')).not.toThrow();
  });
});

describe('serialization', () => {
  it('round-trips through JSON text to identical classifications', () => {
    const restored = loadClassifier(JSON.parse(JSON.stringify(model.toJSON())) as SerializedModel);
    expect(restored.categories).toEqual(model.categories);
    for (const r of test) expect(restored.classify(r.text)).toEqual(model.classify(r.text));
  });

  it('is small and holds only features seen in training (no stemmer dictionary)', () => {
    const json = model.toJSON();
    expect(JSON.stringify(json).length).toBeLessThan(2 * 1024 * 1024);
    expect(Object.keys(json).sort()).toEqual(
      [
        'alpha',
        'categories',
        'classDocs',
        'counts',
        'featureVersion',
        'features',
        'format',
        'normalize',
        'temperature',
        'variant',
        'version',
        'vocabulary',
      ].sort(),
    );
    const seen = new Set(train.flatMap((r) => tokenize(r.text)));
    const unseen = json.vocabulary.filter((f) => !f.split(' ').every((s) => seen.has(s)));
    expect(unseen).toEqual([]);
  });

  it('toJSON returns a copy the caller cannot use to corrupt the model', () => {
    const text = 'pupuk subsidi langka di kios';
    const before = model.classify(text);
    const json = model.toJSON() as SerializedNaiveBayesModel;
    for (const entry of json.counts) entry.fill(0);
    json.temperature = 99;
    expect(model.classify(text)).toEqual(before);
  });

  it('rejects JSON of another format or tokenizer version, naming the problem', () => {
    const json = model.toJSON() as SerializedNaiveBayesModel;
    expect(() => loadClassifier({ ...json, featureVersion: json.featureVersion + 1 })).toThrow(
      /feature version/,
    );
    expect(() => loadClassifier({ ...json, format: 'other' } as unknown as SerializedModel)).toThrow(
      ClassifierInputError,
    );
    expect(() => loadClassifier({ ...json, counts: json.counts.slice(1) })).toThrow(/vocabulary.*counts/);
  });
});

describe('readLabelledCsv', () => {
  it('parses quoted fields and ignores extra columns', () => {
    const rows = readLabelledCsv(
      'text,category,agency_kind\n"air mati, sudah 3 hari",air_bersih,bumd\n"ada ""calo"" di\nkantor",kependudukan,pemda\n',
    );
    expect(rows).toEqual([
      { text: 'air mati, sudah 3 hari', category: 'air_bersih' },
      { text: 'ada "calo" di\nkantor', category: 'kependudukan' },
    ]);
  });

  it('rejects a CSV without the category column, naming it', () => {
    expect(() => readLabelledCsv('text,agency_kind\njalan rusak,pemda\n')).toThrow(ClassifierInputError);
    expect(() => readLabelledCsv('text,agency_kind\njalan rusak,pemda\n')).toThrow(/no "category" column/);
  });

  it('rejects an unknown category, naming the value and the line', () => {
    const csv = 'text,category\njalan rusak,pekerjaan_umum\nlampu mati,listrik\n';
    expect(() => readLabelledCsv(csv)).toThrow(/line 3: unknown category "listrik"/);
    expect(() => readLabelledCsv('text,category\nbingung,lainnya\n')).toThrow(/unknown category "lainnya"/);
    expect(readLabelledCsv(csv, { allowUnknownCategories: true })[1]).toEqual({
      text: 'lampu mati',
      category: 'listrik',
    });
  });

  it('rejects empty text, naming the line and column', () => {
    expect(() => readLabelledCsv('text,category\n"",kesehatan\n')).toThrow(/line 2: empty "text"/);
  });

  it('honours custom column names', () => {
    const rows = readLabelledCsv('pesan,label\nsinyal hilang,tik\n', {
      textColumn: 'pesan',
      categoryColumn: 'label',
    });
    expect(rows).toEqual([{ text: 'sinyal hilang', category: 'tik' }]);
  });
});

describe('decideConfidence', () => {
  it('is uncertain for a vague plea and confident for a clear complaint', () => {
    expect(decideConfidence(model.classify('tolong pak'))).toBe('uncertain');
    expect(decideConfidence(model.classify('sy mau lapor'))).toBe('uncertain');
    expect(decideConfidence(model.classify('Listrik PLN di rumah saya padam terus sejak semalam'))).toBe(
      'confident',
    );
  });

  it('applies the default thresholds 0.55 and margin 0.2', () => {
    expect(
      decideConfidence(
        classification([
          ['a', 0.6],
          ['b', 0.3],
          ['c', 0.1],
        ]),
      ),
    ).toBe('confident');
    expect(
      decideConfidence(
        classification([
          ['a', 0.54],
          ['b', 0.2],
          ['c', 0.26],
        ]),
      ),
    ).toBe('uncertain');
    expect(
      decideConfidence(
        classification([
          ['a', 0.56],
          ['b', 0.4],
          ['c', 0.04],
        ]),
      ),
    ).toBe('uncertain');
  });

  it('accepts custom thresholds', () => {
    const c = classification([
      ['a', 0.5],
      ['b', 0.35],
      ['c', 0.15],
    ]);
    expect(decideConfidence(c, { minConfidence: 0.4, minMargin: 0.1 })).toBe('confident');
    expect(decideConfidence(c, { minConfidence: 0.4, minMargin: 0.2 })).toBe('uncertain');
  });
});

describe('training', () => {
  it('reports progress up to the total', () => {
    const calls: [number, number][] = [];
    trainClassifier(train.slice(0, 300), { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThan(1);
    const total = calls[0]![1];
    expect(calls.every(([, t]) => t === total)).toBe(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    expect(calls.at(-1)).toEqual([total, total]);
  });

  it('rejects empty or malformed training rows', () => {
    expect(() => trainClassifier([])).toThrow(ClassifierInputError);
    expect(() => trainClassifier([{ text: 'x', category: '' }])).toThrow(/row 0/);
  });

  it('trains on any label set, e.g. a two-class toy problem', () => {
    const toy = trainClassifier([
      { text: 'listrik padam', category: 'x' },
      { text: 'token listrik', category: 'x' },
      { text: 'air keruh', category: 'y' },
      { text: 'pipa air bocor', category: 'y' },
    ]);
    expect(toy.categories).toEqual(['x', 'y']);
    expect(toy.classify('listrik').category).toBe('x');
    expect(toy.classify('air').category).toBe('y');
  });
});

describe('evaluate / formatEvaluation', () => {
  it('builds a confusion matrix that accounts for every row and renders a readable report', () => {
    const result = evaluate(model, test);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.length);
    const diagonal = result.labels.reduce((a, _, i) => a + result.confusion[i]![i]!, 0);
    expect(diagonal / test.length).toBeCloseTo(result.accuracy, 12);
    expect(result.perClass.reduce((a, m) => a + m.support, 0)).toBe(test.length);
    const text = formatEvaluation(result);
    expect(text).toMatch(/accuracy\s+\d+\.\d%/);
    expect(text).toMatch(/macro-F1\s+0\.\d{3}/);
    expect(text).toContain('confusion');
    for (const c of CLASSIFIABLE_CATEGORIES) expect(text).toContain(c);
  });

  it('adds gold labels the model does not know to the labels', () => {
    const result = evaluate(model, [{ text: 'jalan rusak', category: 'mystery' }]);
    expect(result.labels.at(-1)).toBe('mystery');
    expect(result.accuracy).toBe(0);
  });
});

describe('the default model cache', () => {
  const small: LabelledText[] = [
    { text: 'jalan berlubang di depan sekolah', category: 'pekerjaan_umum' },
    { text: 'jembatan desa ambrol kena banjir', category: 'pekerjaan_umum' },
    { text: 'sampah menumpuk di pinggir sungai', category: 'lingkungan_hidup' },
    { text: 'bau sampah dari tempat pembuangan', category: 'lingkungan_hidup' },
  ];

  it('trains once, then loads the same model from disk; a corrupt file is trained over', async () => {
    const { cachedModel, defaultModelKey } = await import('../../dialogs/classifier/cache.ts');
    const dir = mkdtempSync(join(tmpdir(), 'lapor-model-cache-'));
    const saved = process.env.LAPOR_MODEL_CACHE_DIR;
    process.env.LAPOR_MODEL_CACHE_DIR = dir;
    try {
      let trained = 0;
      const trainSmall = () => {
        trained++;
        return trainClassifier(small, { calibrate: false });
      };
      const first = cachedModel(trainSmall, loadClassifier);
      const second = cachedModel(trainSmall, loadClassifier);
      expect(trained).toBe(1);
      const text = 'jalan rusak dekat sungai';
      expect(second.classify(text)).toEqual(first.classify(text));
      const file = join(dir, `default-classifier-${defaultModelKey()}.json`);
      expect(existsSync(file)).toBe(true);
      writeFileSync(file, '{ not json');
      cachedModel(trainSmall, loadClassifier);
      expect(trained).toBe(2);
      expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('lapor-naive-bayes');
    } finally {
      if (saved === undefined) delete process.env.LAPOR_MODEL_CACHE_DIR;
      else process.env.LAPOR_MODEL_CACHE_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('defaultClassifier', () => {
  it('trains once per process and knows all classifiable categories', () => {
    const a = defaultClassifier();
    expect(defaultClassifier()).toBe(a);
    expect([...a.categories].sort()).toEqual([...CLASSIFIABLE_CATEGORIES].sort());
  });
});
