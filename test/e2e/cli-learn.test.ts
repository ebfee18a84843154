/**
 * `lapor train` on an operator's own history, the real command in a child process. The CSVs are
 * written by the tests themselves from sentences written for them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { lines, runLapor, tempDataDir } from '../support/cli.ts';
import { WRITTEN_HISTORY } from '../support/history.ts';

const TIMEOUT = 240_000;

/** Operator topics, several sentences each (varied so a model has something to learn). */
const TOPICS: Record<string, string[]> = {
  jalan_rusak: [
    'jalan di depan rumah kami berlubang besar dan belum ditambal',
    'aspal jalan kampung mengelupas dan banyak lubang',
    'jalan desa rusak parah sejak musim hujan',
    'lubang di jalan raya membuat motor sering jatuh',
    'jalan lingkungan amblas di dekat jembatan',
    'jalan menuju sekolah becek dan rusak tidak pernah diperbaiki',
    'tambalan jalan baru sebulan sudah hancur lagi',
    'jalan poros kecamatan banyak lubang dalam',
  ],
  sampah_liar: [
    'tumpukan sampah di pinggir sungai tidak pernah diangkut',
    'warga membuang sampah sembarangan di lahan kosong',
    'bau sampah menyengat dari tempat pembuangan liar dekat sekolah',
    'sampah rumah tangga menumpuk di tepi jalan sudah seminggu',
    'truk sampah tidak datang dan sampah berserakan',
    'ada yang membakar sampah plastik tiap malam asapnya masuk rumah',
    'tempat sampah sementara penuh dan meluber ke jalan',
    'sampah di saluran air menyumbat dan bikin banjir',
  ],
  paspor: [
    'pengurusan paspor saya lambat sudah dua bulan belum jadi',
    'antrean wawancara paspor penuh terus di aplikasi',
    'paspor anak saya salah cetak nama',
    'biaya percepatan paspor diminta oleh calo',
    'jadwal foto paspor dibatalkan tanpa kabar',
    'petugas kantor paspor meminta berkas tambahan yang tidak ada di syarat',
    'permohonan paspor ditolak tanpa alasan jelas',
    'status paspor di aplikasi tidak berubah berminggu minggu',
  ],
};

function writeCsv(dir: string, name: string, rows: Record<string, string>[]): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(rows, { header: true }));
  return path;
}

function history(labelColumn: string): Record<string, string>[] {
  return Object.entries(TOPICS).flatMap(([label, texts]) =>
    texts.map((text) => ({ text, [labelColumn]: label, dicatat: '2023' })),
  );
}

describe('lapor train --label-column (any label set)', () => {
  it(
    "trains on the operator's own labels; classify then answers with them",
    async () => {
      const dir = tempDataDir();
      const csv = writeCsv(dir, 'riwayat.csv', history('topik'));
      const train = await runLapor(['train', '--in', csv, '--label-column', 'topik'], { dataDir: dir });
      expect(train.stderr).toContain('trained on 24 rows, 3 categories');
      expect(train.code).toBe(0);
      const probe = writeCsv(dir, 'probe.csv', [
        { text: 'jalan kampung kami penuh lubang' },
        { text: 'sampah dibuang di kebun kosong' },
        { text: 'paspor saya belum jadi juga' },
      ]);
      const run = await runLapor(['classify', '--in', probe], { dataDir: dir });
      expect(run.code).toBe(0);
      const got = lines(run.stdout).map((l) => (JSON.parse(l) as { category: string }).category);
      expect(got).toEqual(['jalan_rusak', 'sampah_liar', 'paspor']);
    },
    TIMEOUT,
  );

  it(
    '--category-column stays an alias',
    async () => {
      const dir = tempDataDir();
      const out = join(dir, 'm.json');
      const csv = writeCsv(dir, 'riwayat.csv', history('kategori'));
      const run = await runLapor(['train', '--in', csv, '--category-column', 'kategori', '--out', out], {
        dataDir: dir,
      });
      expect(run.code).toBe(0);
      expect(existsSync(out)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'refuses labels missing from the taxonomy file, naming them',
    async () => {
      const dir = tempDataDir();
      const csv = writeCsv(dir, 'riwayat.csv', history('topik'));
      const taxonomy = join(dir, 'taksonomi.json');
      writeFileSync(
        taxonomy,
        JSON.stringify({ labels: [{ id: 'jalan_rusak', name: { id: 'Jalan Rusak', en: 'Damaged Road' } }] }),
      );
      const run = await runLapor(['train', '--in', csv, '--label-column', 'topik', '--taxonomy', taxonomy], {
        dataDir: dir,
      });
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/labels not in the taxonomy file: sampah_liar, paspor/),
      ]);
    },
    TIMEOUT,
  );

  it(
    'refuses a built-in category mixed with a misspelt one',
    async () => {
      const dir = tempDataDir();
      const rows = history('category').map((r, i) => ({
        ...r,
        category: i % 2 ? 'pekerjaan_umum' : 'pekerjan_umum',
      }));
      const run = await runLapor(['train', '--in', writeCsv(dir, 'x.csv', rows)], { dataDir: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/unknown category "pekerjan_umum"/);
    },
    TIMEOUT,
  );
});

describe('lapor agency resolve --in', () => {
  it(
    'resolves names in several spellings, prints the rate and writes the unresolved names',
    async () => {
      const dir = tempDataDir();
      const csv = writeCsv(dir, 'disposisi.csv', [
        { unit: 'Dinas Pekerjaan Umum Kota Semarang', wilayah: '' },
        { unit: 'Dinas PU Kota Semarang', wilayah: '' },
        { unit: 'BPJS Kesehatan KC Sampit', wilayah: '' },
        { unit: 'Dinas Perhubungan', wilayah: 'Kabupaten Purbalingga' },
        { unit: 'Badan Urusan Khayalan', wilayah: '' },
      ]);
      const out = join(dir, 'sisa.csv');
      const run = await runLapor(
        [
          'agency',
          'resolve',
          '--in',
          csv,
          '--agency-column',
          'unit',
          '--region-column',
          'wilayah',
          '--unresolved-out',
          out,
        ],
        { dataDir: dir },
      );
      expect(run.code).toBe(0);
      const rows = lines(run.stdout).map((l) => JSON.parse(l) as { name: string; code: string | null });
      expect(rows.map((r) => r.code)).toEqual([
        'PEMDA-33.74-DPUPR',
        'PEMDA-33.74-DPUPR',
        'BPJS-KES',
        'PEMDA-33.03-DISHUB',
        null,
      ]);
      expect(run.stderr).toContain('agency names resolved: 4/5 rows (80.0%)');
      expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
        'name,rows,guess,code',
        'Badan Urusan Khayalan,1,kementerian_lembaga,',
      ]);
    },
    TIMEOUT,
  );
});

describe('lapor train --routing, then ROUTING_MODEL=… lapor route', () => {
  it(
    'learns text -> agency from a history with names in several spellings and routes with it',
    async () => {
      const dir = tempDataDir();
      const train = writeCsv(
        dir,
        'train.csv',
        WRITTEN_HISTORY.map((h) => ({ text: h.text, target_unit: h.unit })),
      );
      const model = join(dir, 'model.json');
      const run = await runLapor(
        [
          'train',
          '--routing',
          '--in',
          train,
          '--text-column',
          'text',
          '--agency-column',
          'target_unit',
          '--out',
          model,
        ],
        { dataDir: dir },
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `agency names resolved: ${WRITTEN_HISTORY.length}/${WRITTEN_HISTORY.length} rows (100.0%)`,
      );
      expect(run.stderr).toMatch(/trained routing on 30 rows \(5 bodies/);
      expect(existsSync(join(dir, 'model.unresolved.csv'))).toBe(true);

      const test = writeCsv(dir, 'test.csv', [
        { text: 'lampu lalu lintas dekat sekolah mati total' },
        { text: 'paspor saya belum jadi juga padahal sudah bayar' },
        { text: 'air tidak mengalir dari pagi di Kecamatan Kemangkon Kabupaten Purbalingga' },
      ]);
      const routed = await runLapor(['route', '--in', test, '--text-column', 'text'], {
        dataDir: dir,
        env: { ROUTING_MODEL: model },
      });
      expect(routed.code).toBe(0);
      const rows = lines(routed.stdout).map(
        (l) =>
          JSON.parse(l) as {
            agency: { code: string };
            decidedBy: string;
            reason: string;
            kind: string;
            region: { code: string; name: string } | null;
          },
      );
      expect(rows.map((r) => r.agency.code)).toEqual([
        'PEMDA-33.74-DISHUB',
        'KL-IMIGRASI',
        'BUMD-PDAM-33.03',
      ]);
      expect(rows.map((r) => r.decidedBy)).toEqual(['learned', 'learned', 'learned']);
      expect(rows[0]?.reason).toMatch(/dipelajari dari riwayat disposisi/);
      // The first names no place: filed where the history is, said so, in the history's own spelling.
      expect(rows[0]).toMatchObject({
        region: { code: '33.74', name: 'Kota Semarang' },
        regionSource: 'learned',
        historyName: 'Dinas Perhubungan Kota Semarang',
      });
      expect(rows[2]).toMatchObject({ region: { code: expect.stringMatching(/^33\.03/) } });
      expect(rows[2]).not.toHaveProperty('regionSource');

      // Without the model the rules decide, and say nothing about a model.
      const plain = await runLapor(['route', '--in', test, '--text-column', 'text'], { dataDir: dir });
      const first = JSON.parse(lines(plain.stdout)[0] ?? '{}') as Record<string, unknown>;
      expect(first.decidedBy).toBeUndefined();
      expect(first.reason).not.toMatch(/dipelajari/);
    },
    TIMEOUT,
  );

  it(
    'lapor eval --routing prints k-fold figures for rules only and learned + rules',
    async () => {
      const dir = tempDataDir();
      const csv = writeCsv(
        dir,
        'riwayat.csv',
        WRITTEN_HISTORY.map((h) => ({ teks: h.text, unit: h.unit })),
      );
      const run = await runLapor(
        [
          'eval',
          '--routing',
          '--in',
          csv,
          '--text-column',
          'teks',
          '--agency-column',
          'unit',
          '--folds',
          '3',
        ],
        { dataDir: dir },
      );
      expect(run.code).toBe(0);
      const out = lines(run.stdout);
      expect(out[0]).toBe('3-fold cross-validation on 30 rows (gold agency after name resolution)');
      expect(out[1]).toMatch(
        /^rules only +kind \d+\.\d% \(30 rows\) +exact \d+\.\d% +top-3 \d+\.\d% +macro-F1 0\.\d{3} \(30 rows\)$/,
      );
      expect(out[2]).toMatch(/^learned \+ rules +kind \d+\.\d%/);
    },
    TIMEOUT,
  );

  it(
    'a model file that is not a routing model stops route with one clear line',
    async () => {
      const dir = tempDataDir();
      const bogus = join(dir, 'bogus.json');
      writeFileSync(bogus, JSON.stringify({ format: 'lapor-naive-bayes' }));
      const test = writeCsv(dir, 'test.csv', [{ text: 'jalan rusak' }]);
      const run = await runLapor(['route', '--in', test], { dataDir: dir, env: { ROUTING_MODEL: bogus } });
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/ROUTING_MODEL: .*bogus\.json: not a routing model/),
      ]);
    },
    TIMEOUT,
  );
});

describe('lapor train --routing --from-db', () => {
  it(
    "trains on officers' examples in the database, with a history file too, and --if-better compares before replacing",
    async () => {
      const dir = tempDataDir();
      const { loadConfig } = await import('../../core/config/index.ts');
      const { openDatabase } = await import('../../core/store/database.ts');
      const { recordRoutingExample } = await import('../../core/store/repos/routing-examples.ts');
      const { buildAgencyDirectory } = await import('../../core/directory/index.ts');
      const { createAgencyNameResolver } = await import('../../core/directory/resolve-name.ts');
      const resolver = createAgencyNameResolver(await buildAgencyDirectory());
      const db = await openDatabase(loadConfig({ DATA_DIR: dir }).database);
      try {
        await db.migrate();
        await db.prisma.$transaction(async (tx) => {
          for (const [i, h] of WRITTEN_HISTORY.entries()) {
            await recordRoutingExample(tx, {
              reportId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              text: h.text,
              category: 'lainnya',
              regionCode: null,
              agencyCode: resolver.resolve(h.unit).code!,
              source: i % 2 ? 'forward' : 'resolved',
              createdAt: new Date('2026-11-01T00:00:00Z'),
            });
          }
        });
      } finally {
        await db.close();
      }
      const model = join(dir, 'model.json');
      const first = await runLapor(['train', '--routing', '--from-db', '--out', model], { dataDir: dir });
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(
        `${WRITTEN_HISTORY.length} examples from officers' forwards and resolutions`,
      );
      expect(first.stderr).toMatch(/trained routing on 30 rows/);

      const extra = writeCsv(dir, 'extra.csv', [
        {
          text: 'lampu jalan di tikungan mati dan rawan kecelakaan',
          unit: 'Dinas Perhubungan Kota Semarang',
        },
      ]);
      const again = await runLapor(
        [
          'train',
          '--routing',
          '--from-db',
          '--in',
          extra,
          '--agency-column',
          'unit',
          '--out',
          model,
          '--if-better',
        ],
        { dataDir: dir },
      );
      expect(again.code).toBe(0);
      const out = lines(again.stdout);
      expect(out[0]).toMatch(/^held-out \d+ rows \(trained on \d+\)$/);
      expect(out[1]).toMatch(/^candidate +exact \d+\.\d% {2}kind \d+\.\d%$/);
      expect(out[2]).toMatch(/^current +exact \d+\.\d% {2}kind \d+\.\d%$/);
      expect(out[3]).toMatch(/switched to it|current model kept/);
    },
    TIMEOUT,
  );
});
