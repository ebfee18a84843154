/**
 * Compact in-memory store of all administrative areas. Places are numbered with dense integer ids
 * (provinces first, then regencies, districts, villages) and kept in parallel typed arrays: names
 * in one string table, Kemendagri codes as numbers (formatted back on demand), the code -> id
 * lookup as a binary search over a sorted Float64Array. `Place` objects are only built for the few
 * ids a caller actually receives. ~92k areas cost about 2 MB this way instead of ~6 MB of
 * separate strings and Map entries.
 */
import type { AreaColumns, GazetteerData, Place, PlaceLevel } from './types.ts';

export const PROVINCE = 0;
export const REGENCY = 1;
export const DISTRICT = 2;
export const VILLAGE = 3;

const LEVEL_NAMES: readonly PlaceLevel[] = ['province', 'regency', 'district', 'village'];

/** Kind of a regency, which the "Kab."/"Kota" prefixes select between. */
export const KABUPATEN = 1;
export const KOTA = 2;

/** Codes in the Kemendagri format of each level ('33', '33.03', '33.03.05', '33.03.05.2001'). */
const REGULAR_CODE: readonly RegExp[] = [
  /^\d{2}$/,
  /^\d{2}\.\d{2}$/,
  /^\d{2}\.\d{2}\.\d{2}$/,
  /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
];
/** Digits of a regular code per level, and where its dots go back. */
const DIGITS = [2, 4, 6, 10];
/** Lookup keys put the level above every code: level * LEVEL_SPAN + code digits. */
const LEVEL_SPAN = 1e10;

/** Parallel arrays describing every place; see the module comment. */
export class AreaStore {
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
  /** Every name, trimmed, concatenated in id order; name i ends at nameEnd[i]. */
  private readonly nameTable: string;
  private readonly nameEnd: Uint32Array;
  /** Code digits of a regular code as a number; NaN for an irregular one (see irregularCodes). */
  private readonly codeDigits: Float64Array;
  /** Sorted lookup keys of the regular codes and their ids. */
  private readonly lookupKeys: Float64Array;
  private readonly lookupIds: Int32Array;
  private lookupSize = 0;
  /** Codes outside the Kemendagri format (inline test data may have them): kept as strings. */
  private readonly irregularCodes = new Map<number, string>();
  private readonly irregularIds = new Map<string, number>();
  /** Places built so far; only ids callers received. */
  private readonly placeCache = new Map<number, Place>();

  constructor(data: GazetteerData) {
    const levels: AreaColumns[] = [
      sortByCode(data.provinces),
      sortByCode(data.regencies),
      sortByCode(data.districts),
      sortByCode(data.villages),
    ];
    const total = levels.reduce((sum, rows) => sum + rows.code.length, 0);
    this.levels = new Uint8Array(total);
    this.parents = new Int32Array(total).fill(-1);
    this.regencyKind = new Uint8Array(total);
    this.childStart = new Int32Array(total).fill(-1);
    this.childEnd = new Int32Array(total).fill(-1);
    this.codeDigits = new Float64Array(total);
    this.lookupKeys = new Float64Array(total);
    this.lookupIds = new Int32Array(total);
    const nameEnd = new Uint32Array(total);
    const names: string[] = [];
    let chars = 0;

    let id = 0;
    for (let level = PROVINCE; level <= VILLAGE; level++) {
      const rows = levels[level]!;
      for (let r = 0; r < rows.code.length; r++) {
        const code = rows.code[r]!;
        let parent = -1;
        if (level > PROVINCE) {
          const dot = code.lastIndexOf('.');
          parent = dot > 0 ? (this.lookup(code.slice(0, dot)) ?? -1) : -1;
          // An orphan row (parent missing from the data) cannot be labelled or placed; skip it.
          if (parent < 0 || this.levels[parent] !== level - 1) continue;
        }
        if (this.lookup(code) !== undefined) continue;
        const name = rows.name[r]!.trim();
        names.push(name);
        chars += name.length;
        nameEnd[id] = chars;
        this.levels[id] = level;
        this.parents[id] = parent;
        if (level === REGENCY) this.regencyKind[id] = /^kota\b/i.test(name) ? KOTA : KABUPATEN;
        if (parent >= 0) {
          if (this.childStart[parent] === -1) this.childStart[parent] = id;
          this.childEnd[parent] = id + 1;
        }
        if (REGULAR_CODE[level]!.test(code)) {
          const digits = Number(code.replaceAll('.', ''));
          this.codeDigits[id] = digits;
          this.insertKey(level * LEVEL_SPAN + digits, id);
        } else {
          this.codeDigits[id] = Number.NaN;
          this.irregularCodes.set(id, code);
          this.irregularIds.set(code, id);
        }
        id++;
      }
    }
    this.size = id;
    // One flat string: no per-name string objects stay alive.
    this.nameTable = names.join('');
    this.nameEnd = nameEnd.slice(0, id);
  }

  /** The name of a place as in the data ('Kabupaten Purbalingga'), trimmed. */
  name(id: number): string {
    return this.nameTable.slice(id === 0 ? 0 : this.nameEnd[id - 1]!, this.nameEnd[id]!);
  }

  /** The Kemendagri code of a place ('33.03.05.2001'). */
  code(id: number): string {
    const digits = this.codeDigits[id]!;
    if (Number.isNaN(digits)) return this.irregularCodes.get(id)!;
    const text = String(digits).padStart(DIGITS[this.levels[id]!]!, '0');
    switch (this.levels[id]) {
      case PROVINCE:
        return text;
      case REGENCY:
        return `${text.slice(0, 2)}.${text.slice(2)}`;
      case DISTRICT:
        return `${text.slice(0, 2)}.${text.slice(2, 4)}.${text.slice(4)}`;
      default:
        return `${text.slice(0, 2)}.${text.slice(2, 4)}.${text.slice(4, 6)}.${text.slice(6)}`;
    }
  }

  /** Id for a Kemendagri code; also accepts the undotted form ("3303012001"). */
  idOf(code: string): number | undefined {
    const trimmed = code.trim();
    const direct = this.lookup(trimmed);
    if (direct !== undefined || !/^\d{2,10}$/.test(trimmed)) return direct;
    const parts = [trimmed.slice(0, 2), trimmed.slice(2, 4), trimmed.slice(4, 6), trimmed.slice(6)];
    return this.lookup(parts.filter((p) => p.length > 0).join('.'));
  }

  /** Id for exactly this code string. */
  private lookup(code: string): number | undefined {
    const level = code.split('.').length - 1;
    if (level > VILLAGE || !REGULAR_CODE[level]!.test(code)) return this.irregularIds.get(code);
    const key = level * LEVEL_SPAN + Number(code.replaceAll('.', ''));
    let lo = 0;
    let hi = this.lookupSize - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.lookupKeys[mid]!;
      if (k === key) return this.lookupIds[mid]!;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Adds a lookup key, keeping the keys sorted (the data arrives sorted, so this is an append). */
  private insertKey(key: number, id: number): void {
    let at = this.lookupSize;
    while (at > 0 && this.lookupKeys[at - 1]! > key) at--;
    if (at < this.lookupSize) {
      this.lookupKeys.copyWithin(at + 1, at, this.lookupSize);
      this.lookupIds.copyWithin(at + 1, at, this.lookupSize);
    }
    this.lookupKeys[at] = key;
    this.lookupIds[at] = id;
    this.lookupSize++;
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
    const cached = this.placeCache.get(id);
    if (cached) return cached;
    const level = this.levels[id]!;
    const province = this.ancestorAt(id, PROVINCE);
    const place: Place = {
      code: this.code(id),
      name: this.name(id),
      level: LEVEL_NAMES[level]!,
      label: this.label(id),
      provinceCode: this.code(province),
    };
    if (level >= REGENCY) place.regencyCode = this.code(this.ancestorAt(id, REGENCY));
    if (level >= DISTRICT) place.districtCode = this.code(this.ancestorAt(id, DISTRICT));
    this.placeCache.set(id, place);
    return place;
  }

  /** "Desa X, Kec. Y, Kab. Z, Province": the way Indonesian forms write an address. */
  private label(id: number): string {
    const parts: string[] = [];
    for (let cur = id; cur >= 0; cur = this.parents[cur]!) parts.push(this.shortName(cur));
    return parts.join(', ');
  }

  private shortName(id: number): string {
    const name = this.name(id);
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
        return `${this.code(id).startsWith('9') ? 'Distrik' : 'Kec.'} ${name}`;
      default: {
        // The first digit of the last code segment tells kelurahan (1) from desa (2).
        const code = this.code(id);
        const segment = code.slice(code.lastIndexOf('.') + 1);
        return `${segment.startsWith('1') ? 'Kel.' : 'Desa'} ${name}`;
      }
    }
  }
}

/**
 * A level's valid rows (string code and name, non-empty code) as columns in code order. The
 * published CSVs are already in code order; the sort is skipped then, it is the slowest step of
 * loading.
 */
function sortByCode(rows: readonly { code: string; name: string }[] | AreaColumns): AreaColumns {
  const columns: AreaColumns = Array.isArray(rows)
    ? { code: rows.map((r) => r.code), name: rows.map((r) => r.name) }
    : (rows as AreaColumns);
  const keep: number[] = [];
  for (let i = 0; i < columns.code.length; i++) {
    const code = columns.code[i];
    if (typeof code === 'string' && typeof columns.name[i] === 'string' && code !== '') keep.push(i);
  }
  let sorted = true;
  for (let i = 1; i < keep.length && sorted; i++) {
    if (columns.code[keep[i - 1]!]! > columns.code[keep[i]!]!) sorted = false;
  }
  if (keep.length === columns.code.length && sorted) return columns;
  if (!sorted) {
    keep.sort((a, b) => {
      const x = columns.code[a]!;
      const y = columns.code[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return { code: keep.map((i) => columns.code[i]!), name: keep.map((i) => columns.name[i]!) };
}
