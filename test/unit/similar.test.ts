/**
 * "Laporan serupa" text matching (core/reports/similar.ts): shingles, MinHash bands and the
 * place rule. Every text here was written for this test.
 */
import { describe, expect, it } from 'vitest';
import {
  BANDS,
  bandKeys,
  jaccard,
  SIMILAR_AT,
  sameText,
  shingles,
  similarity,
} from '../../core/reports/similar.ts';

const POTHOLE =
  'Jalan di depan SD Negeri 2 Kedungbenda berlubang besar dan tergenang air, sudah dua motor jatuh.';
const POTHOLE_RETOLD =
  'Lubang besar di jalan depan SD Negeri 2 Kedungbenda, tergenang air, dua motor sudah jatuh.';
const LAMP = 'Lampu penerangan jalan di depan pasar mati semua sejak seminggu';

const KEMANGKON = '33.03.01';
const KEMANGKON_VILLAGE = '33.03.01.2001';
const BOJONGSARI = '33.03.14';

describe('shingles and bands', () => {
  it('a retold complaint is similar, an unrelated one is not', () => {
    expect(jaccard(shingles(POTHOLE), shingles(POTHOLE_RETOLD))).toBeGreaterThanOrEqual(SIMILAR_AT);
    expect(jaccard(shingles(POTHOLE), shingles(LAMP))).toBeLessThan(0.2);
  });

  it('identical texts have identical bands; similar texts share some; unrelated ones none', () => {
    const a = bandKeys(shingles(POTHOLE));
    expect(a).toHaveLength(BANDS);
    expect(bandKeys(shingles(POTHOLE.toUpperCase()))).toEqual(a);
    const retold = bandKeys(shingles(POTHOLE_RETOLD));
    expect(retold.filter((k) => a.includes(k)).length).toBeGreaterThan(0);
    expect(bandKeys(shingles(LAMP)).filter((k) => a.includes(k))).toEqual([]);
  });

  it('no text, no bands, no similarity', () => {
    expect(bandKeys(shingles(''))).toEqual([]);
    expect(jaccard(shingles(''), shingles(''))).toBe(0);
  });

  it('"identical" ignores case, spacing and punctuation only', () => {
    expect(sameText('Jalan RUSAK, parah!!', 'jalan rusak parah')).toBe(true);
    expect(sameText('jalan rusak parah', 'jalan rusak')).toBe(false);
  });
});

describe('the place rule', () => {
  const mine = (regionCode: string | null, text = POTHOLE) => ({
    text,
    shingles: shingles(text),
    regionCode,
  });
  const other = (regionCode: string | null, description = POTHOLE_RETOLD) => ({
    description,
    regionCode,
    agencyCode: 'PEMDA-33.03-DPUPR',
  });

  it('the same kecamatan (a desa in it counts) and similar text: linked', () => {
    expect(similarity(mine(KEMANGKON), other(KEMANGKON_VILLAGE)).similar).toBe(true);
  });

  it('another kecamatan of the same regency: not linked, however alike', () => {
    const result = similarity(mine(BOJONGSARI), other(KEMANGKON));
    expect(result.score).toBeGreaterThanOrEqual(SIMILAR_AT);
    expect(result.similar).toBe(false);
  });

  it('placed only at the regency: needs a much closer text', () => {
    expect(similarity(mine('33.03'), other(KEMANGKON)).similar).toBe(false);
    expect(similarity(mine('33.03'), other(KEMANGKON, `${POTHOLE} `)).similar).toBe(true);
  });

  it('another regency: never, unless the very same text (a mass submission)', () => {
    expect(similarity(mine('33.02'), other(KEMANGKON)).similar).toBe(false);
    expect(similarity(mine('33.02'), other(KEMANGKON, POTHOLE)).similar).toBe(true);
  });
});
