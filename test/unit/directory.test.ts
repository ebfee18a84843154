import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AgencyRecord,
  buildAgencyDirectory,
  normaliseText,
  PEMDA_UNITS,
} from '../../core/directory/index.ts';
import { CATEGORY_IDS, isCategoryId } from '../../dialogs/categories.ts';

let agencies: AgencyRecord[];
let byCode: Map<string, AgencyRecord>;

beforeAll(async () => {
  agencies = await buildAgencyDirectory();
  byCode = new Map(agencies.map((a) => [a.code, a]));
});

const roots = (level: 'province' | 'regency') =>
  agencies.filter((a) => a.kind === 'pemda' && a.unit === null && a.level === level);

describe('buildAgencyDirectory', () => {
  it('has every province (38) and kabupaten/kota (514) as a Pemda', () => {
    expect(roots('province')).toHaveLength(38);
    expect(roots('regency')).toHaveLength(514);
    expect(byCode.get('PEMDA-33')?.name).toBe('Pemerintah Provinsi Jawa Tengah');
    expect(byCode.get('PEMDA-33.03')?.name).toBe('Pemerintah Kabupaten Purbalingga');
    expect(byCode.get('PEMDA-33.74')?.name).toBe('Pemerintah Kota Semarang');
    expect(byCode.get('PEMDA-33.03')?.parentCode).toBe('PEMDA-33');
  });

  it('gives every regency exactly one PDAM owned by its Pemda', () => {
    const pdams = agencies.filter((a) => a.kind === 'bumd');
    expect(pdams).toHaveLength(514);
    for (const r of roots('regency')) {
      const pdam = byCode.get(`BUMD-PDAM-${r.regionCode}`);
      expect(pdam, r.code).toBeDefined();
      expect(pdam?.parentCode).toBe(r.code);
      expect(pdam?.categories).toContain('air_bersih');
    }
    expect(byCode.get('BUMD-PDAM-33.03')?.name).toBe('Perumda Air Minum Kabupaten Purbalingga');
  });

  it('gives every Pemda its standard units, named after the region', () => {
    expect(byCode.get('PEMDA-33.03-DISDUKCAPIL')).toMatchObject({
      name: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
      kind: 'pemda',
      level: 'regency',
      regionCode: '33.03',
      parentCode: 'PEMDA-33.03',
      unit: 'DISDUKCAPIL',
      categories: ['kependudukan'],
    });
    expect(byCode.get('PEMDA-33-DINKES')?.name).toBe('Dinas Kesehatan Provinsi Jawa Tengah');
    for (const level of ['province', 'regency'] as const) {
      for (const root of roots(level)) {
        for (const def of PEMDA_UNITS.filter((u) => u.levels.includes(level))) {
          const unit = byCode.get(`${root.code}-${def.unit}`);
          expect(unit?.level, `${root.code}-${def.unit}`).toBe(level);
          expect(unit?.regionCode).toBe(root.regionCode);
        }
      }
    }
    // Units that only exist at province level are not invented for regencies.
    expect(byCode.has('PEMDA-33.03-ESDM')).toBe(false);
    expect(byCode.has('PEMDA-33-ESDM')).toBe(true);
  });

  it('has the admin queue and the national bodies complaints need', () => {
    expect(byCode.get('ADMIN')).toMatchObject({ kind: 'admin', level: 'national', regionCode: null });
    const required = [
      'KL-KEMENDAGRI',
      'KL-DUKCAPIL',
      'KL-KEMENKES',
      'KL-KEMENDIKDASMEN',
      'KL-KEMENSOS',
      'KL-KEMNAKER',
      'KL-KEMENHUB',
      'KL-KLH',
      'KL-PU',
      'KL-ESDM',
      'KL-KEMENKEU',
      'KL-DJP',
      'KL-KEMENDAG',
      'KL-KOMDIGI',
      'KL-KEMENAG',
      'KL-KEMENTAN',
      'KL-POLRI',
      'KL-IMIGRASI',
      'KL-ATR-BPN',
      'KL-BPOM',
    ];
    for (const code of required) {
      expect(byCode.get(code), code).toMatchObject({
        kind: 'kementerian_lembaga',
        level: 'national',
        regionCode: null,
      });
    }
    expect(byCode.get('KL-DJP')?.parentCode).toBe('KL-KEMENKEU');
    expect(byCode.get('KL-DUKCAPIL')?.parentCode).toBe('KL-KEMENDAGRI');
    expect(byCode.get('BPJS-KES')?.kind).toBe('bpjs');
    expect(byCode.get('BPJS-TK')?.kind).toBe('bpjs');
    for (const code of ['BUMN-PLN', 'BUMN-PERTAMINA', 'BUMN-TELKOM', 'BUMN-POS', 'BUMN-KAI']) {
      expect(byCode.get(code)?.kind, code).toBe('bumn');
    }
    // Ombudsman oversees handlers but is not one; police below national level is out of scope.
    expect(agencies.some((a) => /ombudsman/i.test(a.name))).toBe(false);
    expect(agencies.filter((a) => a.aliases.includes('polres')).map((a) => a.code)).toEqual(['KL-POLRI']);
  });

  it('counts agencies by kind', () => {
    const counts: Record<string, number> = {};
    for (const a of agencies) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    expect(counts).toMatchObject({ admin: 1, bpjs: 2, bumn: 5, bumd: 514 });
    const unitsPerProvince = PEMDA_UNITS.filter((u) => u.levels.includes('province')).length;
    const unitsPerRegency = PEMDA_UNITS.filter((u) => u.levels.includes('regency')).length;
    expect(counts.pemda).toBe(38 * (1 + unitsPerProvince) + 514 * (1 + unitsPerRegency));
  });

  it('has unique codes, existing parents and well-formed fields', () => {
    expect(new Set(agencies.map((a) => a.code)).size).toBe(agencies.length);
    const problems: string[] = [];
    for (const a of agencies) {
      if (a.parentCode && !byCode.has(a.parentCode))
        problems.push(`${a.code}: missing parent ${a.parentCode}`);
      if (!a.name.trim()) problems.push(`${a.code}: empty name`);
      for (const c of a.categories) if (!isCategoryId(c)) problems.push(`${a.code}: category ${c}`);
      for (const alias of a.aliases)
        if (normaliseText(alias) !== alias) problems.push(`${a.code}: alias ${alias}`);
      if ((a.level === 'national') !== (a.regionCode === null))
        problems.push(`${a.code}: level/region mismatch`);
      if (a.kind === 'pemda' && a.unit !== null && a.parentCode !== `PEMDA-${a.regionCode}`) {
        problems.push(`${a.code}: unit parent ${a.parentCode}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('knows how citizens write regions', () => {
    expect(byCode.get('PEMDA-33.03')?.aliases).toEqual(
      expect.arrayContaining([
        'kabupaten purbalingga',
        'kab purbalingga',
        'pemkab purbalingga',
        'purbalingga',
      ]),
    );
    expect(byCode.get('PEMDA-33')?.aliases).toEqual(expect.arrayContaining(['jawa tengah', 'jateng']));
    expect(byCode.get('PEMDA-31.74')?.aliases).toEqual(expect.arrayContaining(['jakarta selatan', 'jaksel']));
  });

  it('has a competent body for every category', () => {
    for (const c of CATEGORY_IDS) {
      expect(
        agencies.some((a) => a.categories.includes(c)),
        c,
      ).toBe(true);
    }
  });

  it('is deterministic', async () => {
    const again = await buildAgencyDirectory();
    expect(again).toEqual(agencies);
  });
});
