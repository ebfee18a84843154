import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, readAreaColumns } from '../../dialogs/gazetteer/csv.ts';
import { AreaStore } from '../../dialogs/gazetteer/store.ts';
import { StringIndex } from '../../dialogs/gazetteer/string-index.ts';

// The gazetteer's compact structures must answer exactly as the plain Maps and row objects they
// replaced: same values in the same order, every code and name as in the published data.

const values = (v: number | Int32Array | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? [v] : [...v];

describe('StringIndex', () => {
  const build = () => {
    const index = new StringIndex();
    index.add('purbalingga', 7);
    index.add('kemangkon', 3);
    index.add('purbalingga', 9);
    index.add('purbalingga', 7); // a repeat is ignored
    index.add('bare');
    index.add('séléman', 1); // not ASCII
    index.add('', 4);
    index.add('bare', 2);
    return index;
  };

  it('answers the same before and after freeze, in insertion order', () => {
    const open = build();
    const frozen = build().freeze();
    for (const key of ['purbalingga', 'kemangkon', 'bare', 'séléman', '', 'missing', 'purbalingg']) {
      expect(values(frozen.get(key)), key).toEqual(values(open.get(key)));
      expect(frozen.has(key), key).toBe(open.has(key));
      expect(frozen.indexOf(key), key).toBe(open.indexOf(key));
    }
    expect([...frozen.entries()].map(([k, v]) => [k, values(v)])).toEqual(
      [...open.entries()].map(([k, v]) => [k, values(v)]),
    );
    for (let k = 0; k < open.size; k++) {
      expect(frozen.keyLength(k)).toBe(open.keyLength(k));
      expect(values(frozen.valuesAt(k))).toEqual(values(open.valuesAt(k)));
      for (const prefix of ['', 'p', 'purb', 'purbalingga', 'purbalinggax', 'sé', 'k'])
        expect(frozen.keyStartsWith(k, prefix), `${k} ${prefix}`).toBe(open.keyStartsWith(k, prefix));
    }
    expect(frozen.size).toBe(5);
    expect(frozen.keyAt(frozen.indexOf('séléman'))).toBe('séléman');
    expect(values(frozen.get('purbalingga'))).toEqual([7, 9]);
    expect(frozen.get('kemangkon')).toBe(3);
  });

  it('refuses additions once frozen', () => {
    expect(() => build().freeze().add('x', 1)).toThrow(/after freeze/);
  });

  it('holds many keys (hash table growth and collisions)', () => {
    const index = new StringIndex();
    for (let i = 0; i < 20_000; i++) index.add(`k${i}`, i);
    index.freeze();
    for (let i = 0; i < 20_000; i += 997) expect(index.get(`k${i}`)).toBe(i);
    expect(index.get('k20000')).toBeUndefined();
  });
});

describe('AreaStore', () => {
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('idn-area-data/package.json')), 'data');
  const file = (name: string) => readFileSync(join(dataDir, name), 'utf8');

  it('keeps every published code and name and finds each id by its code', () => {
    const levels = ['provinces.csv', 'regencies.csv', 'districts.csv', 'villages.csv'];
    const store = new AreaStore({
      provinces: readAreaColumns(file(levels[0]!)),
      regencies: readAreaColumns(file(levels[1]!)),
      districts: readAreaColumns(file(levels[2]!)),
      villages: readAreaColumns(file(levels[3]!)),
    });
    const rows = levels.flatMap((name) => parseCsv(file(name)));
    expect(store.size).toBe(rows.length);
    const byCode = new Map(rows.map((r) => [r.code!, r.name!.trim()]));
    for (let id = 0; id < store.size; id++) {
      const code = store.code(id);
      expect(byCode.get(code)).toBe(store.name(id));
      expect(store.idOf(code)).toBe(id);
    }
    expect(store.idOf('3303012001')).toBe(store.idOf('33.03.01.2001'));
  });

  it('keeps codes outside the Kemendagri format as they are', () => {
    const store = new AreaStore({
      provinces: [
        { code: '33', name: 'Jawa Tengah' },
        { code: 'X1', name: 'Test' },
      ],
      regencies: [
        { code: '33.03', name: 'Kabupaten Purbalingga' },
        { code: '33.3a', name: 'Odd' },
      ],
      districts: [
        { code: '33.03.01', name: 'Kemangkon' },
        { code: '33.3a.1', name: 'Odder' },
      ],
      villages: [],
    });
    for (const code of ['33', 'X1', '33.03', '33.3a', '33.03.01', '33.3a.1']) {
      const id = store.idOf(code);
      expect(id, code).toBeDefined();
      expect(store.code(id!)).toBe(code);
    }
    expect(store.place(store.idOf('33.3a.1')!).label).toBe('Kec. Odder, Odd, Jawa Tengah');
  });
});
