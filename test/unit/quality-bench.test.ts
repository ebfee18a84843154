import { describe, expect, it } from 'vitest';
import { rankTopics, regionMatches, TOPIC_SIX } from '../../bench/quality-bench.ts';
import { CLASSIFIABLE_CATEGORIES } from '../../dialogs/categories.ts';

describe('the quality bench scoring helpers (no evaluation data needed)', () => {
  it('maps every classifiable category to one of the six topics', () => {
    const six = new Set([
      'Infrastruktur',
      'Pelayanan Publik',
      'Sosial dan Ekonomi',
      'Ketertiban',
      'Pendidikan',
      'Lingkungan',
    ]);
    for (const c of CLASSIFIABLE_CATEGORIES) expect(six.has(TOPIC_SIX[c] ?? ''), c).toBe(true);
  });

  it('ranks distinct topics by the summed probability of their categories', () => {
    // Two infrastructure categories together outweigh the single most probable category.
    const ranked = rankTopics([
      { category: 'kesehatan', p: 0.4 },
      { category: 'pekerjaan_umum', p: 0.3 },
      { category: 'perhubungan', p: 0.2 },
      { category: 'pendidikan', p: 0.1 },
    ]);
    expect(ranked).toEqual(['Infrastruktur', 'Pelayanan Publik', 'Pendidikan']);
  });

  it('matches a region at any level of a place label', () => {
    expect(regionMatches('Kota Semarang', 'Kec. Tembalang, Kota Semarang, Jawa Tengah')).toBe(true);
    expect(regionMatches('Kabupaten Semarang', 'Kota Semarang, Jawa Tengah')).toBe(false);
    expect(regionMatches('Provinsi Jawa Tengah', 'Kab. Purbalingga, Jawa Tengah')).toBe(true);
    expect(regionMatches('Kota Semarang', undefined)).toBe(false);
  });
});
