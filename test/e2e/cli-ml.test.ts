/**
 * `lapor classify | route | eval | train` over CSV files, the real command in a child process
 * with a temp DATA_DIR. Fixtures in test/fixtures/cli/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CLASSIFIABLE_CATEGORIES } from '../../dialogs/categories.ts';
import { fixture, lines, runLapor, tempDataDir } from '../support/cli.ts';

const TIMEOUT = 240_000;
const LABELLED = fixture('cli', 'labelled.csv');
const labelled = parse(readFileSync(LABELLED, 'utf8'), { columns: true }) as {
  text: string;
  category: string;
  agency_kind: string;
}[];

interface Classified {
  category: string;
  confidence: number;
  top3: { category: string; p: number }[];
  region: { code: string; name: string } | null;
}

interface Routed {
  category: string;
  confidence: number;
  agency: { code: string; name: string; kind: string; level: string } | null;
  region: { code: string; name: string } | null;
  reason: string;
}

function jsonLines<T>(stdout: string): T[] {
  return lines(stdout).map((line) => JSON.parse(line) as T);
}

describe('lapor classify --in', () => {
  it(
    'writes one JSON line per row: category, confidence, top 3, region',
    async () => {
      const run = await runLapor(['classify', '--in', LABELLED], { dataDir: tempDataDir() });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const rows = jsonLines<Classified>(run.stdout);
      expect(rows).toHaveLength(labelled.length);
      for (const row of rows) {
        expect(Object.keys(row).sort()).toEqual(['category', 'confidence', 'region', 'top3']);
        expect(CLASSIFIABLE_CATEGORIES).toContain(row.category);
        expect(row.confidence).toBeGreaterThan(0);
        expect(row.confidence).toBeLessThanOrEqual(1);
        expect(row.top3).toHaveLength(3);
        expect(row.top3[0]).toEqual({ category: row.category, p: row.confidence });
        const ps = row.top3.map((s) => s.p);
        expect([...ps].sort((a, b) => b - a)).toEqual(ps);
      }
      // Rows keep their order; the shipped model gets these plain cases right.
      expect(rows.map((r) => r.category)).toEqual(labelled.map((r) => r.category));
      expect(rows[0]?.region?.code).toBe('33.03.01');
      expect(rows[0]?.region?.name).toContain('Kemangkon');
      expect(rows[1]?.region).toEqual({ code: '32.71', name: 'Kota Bogor, Jawa Barat' });
      expect(rows[3]?.region).toBeNull(); // BPJS card: no place named
    },
    TIMEOUT,
  );
});

describe('lapor route --in', () => {
  it(
    'names the agency {code,name,kind,level} and the reason for each row',
    async () => {
      const run = await runLapor(['route', '--in', LABELLED], { dataDir: tempDataDir() });
      expect(run.code).toBe(0);
      const rows = jsonLines<Routed>(run.stdout);
      expect(rows).toHaveLength(labelled.length);
      for (const row of rows) {
        expect(row.agency).not.toBeNull();
        expect(Object.keys(row.agency ?? {}).sort()).toEqual(['code', 'kind', 'level', 'name']);
        expect(typeof row.reason).toBe('string');
        expect(row.reason.length).toBeGreaterThan(10);
      }
      expect(rows[0]?.agency).toMatchObject({
        kind: 'pemda',
        level: 'regency',
        name: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga',
      });
      expect(rows[0]?.reason).toContain('Purbalingga');
      expect(rows[1]?.agency?.name).toBe('Dinas Kependudukan dan Pencatatan Sipil Kota Bogor');
      expect(rows[2]?.agency?.kind).toBe('bumn');
      expect(rows[3]?.agency?.kind).toBe('bpjs');
      expect(rows[5]?.agency?.name).toBe('Perumda Air Minum Kabupaten Purbalingga');
      // Agency kinds agree with the labelled column.
      expect(rows.map((r) => r.agency?.kind)).toEqual(labelled.map((r) => r.agency_kind));
    },
    TIMEOUT,
  );
});

describe('lapor route --in: competence', () => {
  it(
    'names the competent kind and level even when the place is unknown, and keeps national matters national',
    async () => {
      const run = await runLapor(['route', '--in', fixture('cli', 'competence.csv')], {
        dataDir: tempDataDir(),
      });
      expect(run.code).toBe(0);
      const rows = jsonLines<Routed & { kind: string; level: string; queue?: string }>(run.stdout);
      // A local road without a place: the Pemda is competent, the admin queue waits for the place.
      expect(rows[0]).toMatchObject({
        kind: 'pemda',
        level: 'regency',
        queue: 'ADMIN',
        agency: { code: null, kind: 'pemda', level: 'regency' },
        region: null,
      });
      expect(rows[0]?.reason).toMatch(/lokasinya belum diketahui/);
      // BPJS stays with BPJS even with a place; a passport goes to Imigrasi.
      expect(rows[1]).toMatchObject({ kind: 'bpjs', agency: { code: 'BPJS-KES' } });
      expect(rows[1]?.region?.code).toBe('33.03.01');
      expect(rows[2]).toMatchObject({ kind: 'kementerian_lembaga', agency: { code: 'KL-IMIGRASI' } });
      for (const row of rows) expect(row.kind).toBe(row.agency?.kind);
    },
    TIMEOUT,
  );
});

describe('lapor eval --in', () => {
  it(
    'prints accuracy, macro-F1, the confusion matrix and agency-kind accuracy',
    async () => {
      const run = await runLapor(['eval', '--in', LABELLED], { dataDir: tempDataDir() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^accuracy\s+100\.0%\s+\(6 rows\)$/m);
      expect(run.stdout).toMatch(/^macro-F1\s+[01]\.\d{3}$/m);
      expect(run.stdout).toContain('confusion (rows = gold, columns = predicted)');
      // One matrix row per category, the diagonal holding the hits.
      const matrix = lines(run.stdout).filter((l) => /^\s*\d+\. \w+/.test(l));
      expect(matrix).toHaveLength(CLASSIFIABLE_CATEGORIES.length);
      const total = matrix
        .flatMap((l) => l.trim().split(/\s+/).slice(2).map(Number))
        .reduce((a, b) => a + b, 0);
      expect(total).toBe(labelled.length);
      expect(run.stdout).toMatch(/^agency kind accuracy\s+100\.0%\s+\(6 rows\)$/m);
    },
    TIMEOUT,
  );

  it(
    'leaves agency-kind accuracy out when the CSV has no agency_kind column',
    async () => {
      const run = await runLapor(['eval', '--in', fixture('cli', 'no-agency-kind.csv')], {
        dataDir: tempDataDir(),
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^accuracy\s+100\.0%\s+\(2 rows\)$/m);
      expect(run.stdout).not.toContain('agency kind accuracy');
    },
    TIMEOUT,
  );

  // Categories absent from the file and never predicted must not count as F1 = 0.
  it(
    'macro-F1 is 1.000 when every row is right',
    async () => {
      const run = await runLapor(['eval', '--in', LABELLED], { dataDir: tempDataDir() });
      expect(run.stdout).toMatch(/^macro-F1\s+1\.000$/m);
    },
    TIMEOUT,
  );
});

describe('lapor train --in', () => {
  it(
    'writes a model that a later classify on the same DATA_DIR uses',
    async () => {
      const dataDir = tempDataDir();
      const trainCsv = fixture('cli', 'train-three.csv');
      const trained = parse(readFileSync(trainCsv, 'utf8'), { columns: true }) as { category: string }[];
      const categories = [...new Set(trained.map((r) => r.category))].sort();
      expect(trained.length).toBeGreaterThanOrEqual(20);
      expect(categories).toEqual(['air_bersih', 'energi_listrik', 'pendidikan']);

      const train = await runLapor(['train', '--in', trainCsv], { dataDir });
      expect(train.code).toBe(0);
      expect(train.stderr).toContain(`trained on ${trained.length} rows, 3 categories`);
      expect(existsSync(join(dataDir, 'classifier.json'))).toBe(true);

      const probe = fixture('cli', 'probe.csv');
      const after = jsonLines<Classified>((await runLapor(['classify', '--in', probe], { dataDir })).stdout);
      expect(after).toHaveLength(6);
      for (const row of after) {
        expect(categories).toContain(row.category);
        for (const s of row.top3) expect(categories).toContain(s.category);
      }
      expect(after[3]?.category).toBe('air_bersih');
      expect(after[4]?.category).toBe('energi_listrik');
      expect(after[5]?.category).toBe('pendidikan');

      // Without the trained model (fresh DATA_DIR) the shipped one answers with its own topics.
      const before = jsonLines<Classified>(
        (await runLapor(['classify', '--in', probe], { dataDir: tempDataDir() })).stdout,
      );
      expect(before[0]?.category).toBe('pekerjaan_umum');
      expect(before[1]?.category).toBe('kependudukan');
    },
    TIMEOUT,
  );

  it(
    '--out writes the model elsewhere and leaves DATA_DIR alone',
    async () => {
      const dataDir = tempDataDir();
      const out = join(tempDataDir(), 'models', 'mine.json');
      const run = await runLapor(['train', '--in', fixture('cli', 'train-three.csv'), '--out', out], {
        dataDir,
      });
      expect(run.code).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(existsSync(join(dataDir, 'classifier.json'))).toBe(false);
    },
    TIMEOUT,
  );
});

describe('bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['classify', ['classify', '--in', fixture('cli', 'missing-text-column.csv')], /CSV has no "text" column/],
    ['route', ['route', '--in', fixture('cli', 'missing-text-column.csv')], /CSV has no "text" column/],
    ['eval', ['eval', '--in', fixture('cli', 'missing-category-column.csv')], /CSV has no "category" column/],
    [
      'train',
      ['train', '--in', fixture('cli', 'missing-category-column.csv')],
      /CSV has no "category" column/,
    ],
    ['train (too few rows)', ['train', '--in', fixture('cli', 'labelled.csv')], /need at least 20/],
    ['a missing file', ['classify', '--in', fixture('cli', 'does-not-exist.csv')], /cannot read .*ENOENT/],
    ['no --in', ['classify'], /--in FILE\.csv is required/],
  ];

  for (const [name, args, message] of cases) {
    it(
      `${name}: exit 1 with one clear line`,
      async () => {
        const run = await runLapor(args, { dataDir: tempDataDir() });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        const errors = lines(run.stderr);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^lapor: /);
        expect(errors[0]).toMatch(message);
        expect(errors[0]).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
      },
      TIMEOUT,
    );
  }
});
