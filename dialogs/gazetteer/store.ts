/**
 * Compact in-memory store of all administrative areas. Places are numbered with dense integer ids
 * (provinces first, then regencies, districts, villages) and kept in parallel typed arrays; `Place`
 * objects are only built for the few ids a caller actually receives, which keeps ~84k villages cheap.
 */
import type { GazetteerData, Place, PlaceLevel } from './types.ts';

export const PROVINCE = 0;
export const REGENCY = 1;
export const DISTRICT = 2;
export const VILLAGE = 3;

const LEVEL_NAMES: readonly PlaceLevel[] = ['province', 'regency', 'district', 'village'];

/** Kind of a regency, which the "Kab."/"Kota" prefixes select between. */
export const KABUPATEN = 1;
export const KOTA = 2;

interface Row {
  code: string;
  name: string;
}

/** Parallel arrays describing every place; see the module comment. */
export class AreaStore {
  readonly codes: string[] = [];
  readonly names: string[] = [];
  readonly levels: Uint8Array;
  /** Id of the parent place, -1 for provinces. */
  readonly parents: Int32Array;
  /** 1 = kabupaten, 2 = kota, 0 for non-regencies. */
  readonly regencyKind: Uint8Array;
  /**
   * Children of a place occupy the id range [childStart, childEnd): rows are sorted by code, and
   * Kemendagri codes are hierarchical, so siblings are contiguous. -1/-1 when there are none.
   */
  readonly childStart: Int32Array;
  readonly childEnd: Int32Array;
  readonly size: number;
  private readonly codeToId = new Map<string, number>();
  private readonly placeCache: (Place | undefined)[];

  constructor(data: GazetteerData) {
    const levels: Row[][] = [
      sortByCode(data.provinces),
      sortByCode(data.regencies),
      sortByCode(data.districts),
      sortByCode(data.villages),
    ];
    const total = levels.reduce((sum, rows) => sum + rows.length, 0);
    this.levels = new Uint8Array(total);
    this.parents = new Int32Array(total).fill(-1);
    this.regencyKind = new Uint8Array(total);
    this.childStart = new Int32Array(total).fill(-1);
    this.childEnd = new Int32Array(total).fill(-1);

    let id = 0;
    for (let level = PROVINCE; level <= VILLAGE; level++) {
      for (const row of levels[level]!) {
        let parent = -1;
        if (level > PROVINCE) {
          const dot = row.code.lastIndexOf('.');
          parent = dot > 0 ? (this.codeToId.get(row.code.slice(0, dot)) ?? -1) : -1;
          // An orphan row (parent missing from the data) cannot be labelled or placed; skip it.
          if (parent < 0 || this.levels[parent] !== level - 1) continue;
        }
        if (this.codeToId.has(row.code)) continue;
        this.codes.push(row.code);
        this.names.push(row.name.trim());
        this.levels[id] = level;
        this.parents[id] = parent;
        if (level === REGENCY) this.regencyKind[id] = /^kota\b/i.test(row.name.trim()) ? KOTA : KABUPATEN;
        if (parent >= 0) {
          if (this.childStart[parent] === -1) this.childStart[parent] = id;
          this.childEnd[parent] = id + 1;
        }
        this.codeToId.set(row.code, id);
        id++;
      }
    }
    this.size = id;
    this.placeCache = new Array<Place | undefined>(id);
  }

  /** Id for a Kemendagri code; also accepts the undotted form ("3303012001"). */
  idOf(code: string): number | undefined {
    const trimmed = code.trim();
    const direct = this.codeToId.get(trimmed);
    if (direct !== undefined || !/^\d{2,10}$/.test(trimmed)) return direct;
    const parts = [trimmed.slice(0, 2), trimmed.slice(2, 4), trimmed.slice(4, 6), trimmed.slice(6)];
    return this.codeToId.get(parts.filter((p) => p.length > 0).join('.'));
  }

  /** The ancestor of `id` at `level`, or `id` itself when it is at that level; -1 if none. */
  ancestorAt(id: number, level: number): number {
    let cur = id;
    while (cur >= 0 && this.levels[cur]! > level) cur = this.parents[cur]!;
    return cur >= 0 && this.levels[cur] === level ? cur : -1;
  }

  /** True when `ancestor` is `id` or one of its parents. */
  contains(ancestor: number, id: number): boolean {
    let cur = id;
    while (cur >= 0) {
      if (cur === ancestor) return true;
      cur = this.parents[cur]!;
    }
    return false;
  }

  /** The public `Place` for an id, built on first use. */
  place(id: number): Place {
    const cached = this.placeCache[id];
    if (cached) return cached;
    const level = this.levels[id]!;
    const province = this.ancestorAt(id, PROVINCE);
    const place: Place = {
      code: this.codes[id]!,
      name: this.names[id]!,
      level: LEVEL_NAMES[level]!,
      label: this.label(id),
      provinceCode: this.codes[province]!,
    };
    if (level >= REGENCY) place.regencyCode = this.codes[this.ancestorAt(id, REGENCY)]!;
    if (level >= DISTRICT) place.districtCode = this.codes[this.ancestorAt(id, DISTRICT)]!;
    this.placeCache[id] = place;
    return place;
  }

  /** "Desa X, Kec. Y, Kab. Z, Province": the way Indonesian forms write an address. */
  private label(id: number): string {
    const parts: string[] = [];
    for (let cur = id; cur >= 0; cur = this.parents[cur]!) parts.push(this.shortName(cur));
    return parts.join(', ');
  }

  private shortName(id: number): string {
    const name = this.names[id]!;
    switch (this.levels[id]) {
      case PROVINCE:
        return name.replace(/^Daerah Khusus Ibukota /i, 'DKI ').replace(/^Daerah Istimewa /i, 'DI ');
      case REGENCY:
        return name
          .replace(/^Kabupaten Administrasi /i, 'Kab. Adm. ')
          .replace(/^Kabupaten /i, 'Kab. ')
          .replace(/^Kota Administrasi /i, 'Kota Adm. ');
      case DISTRICT:
        // Papuan provinces (codes 9x) call their kecamatan "distrik".
        return `${this.codes[id]!.startsWith('9') ? 'Distrik' : 'Kec.'} ${name}`;
      default: {
        // The first digit of the last code segment tells kelurahan (1) from desa (2).
        const segment = this.codes[id]!.slice(this.codes[id]!.lastIndexOf('.') + 1);
        return `${segment.startsWith('1') ? 'Kel.' : 'Desa'} ${name}`;
      }
    }
  }
}

function sortByCode(rows: readonly Row[]): Row[] {
  const valid = rows.filter((r) => typeof r.code === 'string' && typeof r.name === 'string' && r.code !== '');
  // The published CSVs are already in code order; skip the sort then, it is the slowest step of loading.
  for (let i = 1; i < valid.length; i++) {
    if (valid[i - 1]!.code > valid[i]!.code) {
      return valid.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    }
  }
  return valid;
}
