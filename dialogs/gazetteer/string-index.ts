/**
 * A compact, read-only map from strings to small lists of integers (or a set of strings), for the
 * gazetteer's name indexes: ~100k keys that a `Map<string, number | number[]>` holds as ~100k
 * string objects, hash-table entries and arrays (tens of MB of heap). Frozen, all keys live in
 * one string, their ends in a Uint32Array, the values in one Int32Array, and lookups go through
 * an open-addressing hash table of Int32Array slots.
 *
 * Built in two phases: `add` while indexing (a plain Map underneath), then `freeze()` once. Reads
 * give the same answers in both phases, in the same order: keys in insertion order, each key's
 * values in the order first added.
 *
 * Why hand-written: the packages that offer compact string maps (tries, succinct dictionaries)
 * either keep an object per node or answer prefix queries we do not need, and none keeps
 * insertion order, which the gazetteer's tie-breaking relies on.
 */

/** One id, or several in the order they were added. */
export type IdList = number | Int32Array;

const EMPTY = -1;

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function asIdList(list: number | number[] | null): IdList {
  if (list === null) return new Int32Array(0);
  if (typeof list === 'number') return list;
  return list.length === 1 ? list[0]! : Int32Array.from(list);
}

export class StringIndex {
  /** While building: key -> its one value, its values, or null for a bare key (no array for those). */
  private building: Map<string, number | number[] | null> | undefined = new Map();
  /** All keys, concatenated in insertion order. */
  private keys = '';
  /** Key i is keys[keyEnd[i-1], keyEnd[i]). */
  private keyEnd = new Uint32Array(0);
  /** Values of key i are values[valueEnd[i-1], valueEnd[i]). */
  private valueEnd = new Uint32Array(0);
  private values = new Int32Array(0);
  /** Open addressing, linear probing; each slot holds a key number or EMPTY. */
  private slots = new Int32Array(0);
  private count = 0;

  /** Adds `value` to `key`'s list (once: a repeat of a value already there is ignored). */
  add(key: string, value?: number): void {
    const map = this.writable();
    const list = map.get(key);
    if (list === undefined || list === null) map.set(key, value ?? null);
    else if (value === undefined) return;
    else if (typeof list === 'number') {
      if (list !== value) map.set(key, [list, value]);
    } else if (list[list.length - 1] !== value && !list.includes(value)) list.push(value);
  }

  has(key: string): boolean {
    return this.building ? this.building.has(key) : this.find(key) !== EMPTY;
  }

  /** The values of `key`: a number when there is one, else all of them; undefined for no key. */
  get(key: string): IdList | undefined {
    if (this.building) {
      const list = this.building.get(key);
      if (list === undefined) return undefined;
      return asIdList(list);
    }
    const k = this.find(key);
    return k === EMPTY ? undefined : this.valuesOf(k);
  }

  /** Number of the key (its insertion rank), or -1. Stable once frozen. */
  indexOf(key: string): number {
    if (this.building) {
      let i = 0;
      for (const k of this.building.keys()) {
        if (k === key) return i;
        i++;
      }
      return EMPTY;
    }
    return this.find(key);
  }

  /** The key numbered `index` (see indexOf). */
  keyAt(index: number): string {
    if (this.building) return [...this.building.keys()][index]!;
    return this.keys.slice(index === 0 ? 0 : this.keyEnd[index - 1]!, this.keyEnd[index]!);
  }

  /** Length of the key numbered `index`, without building the key string. */
  keyLength(index: number): number {
    if (this.building) return this.keyAt(index).length;
    return this.keyEnd[index]! - (index === 0 ? 0 : this.keyEnd[index - 1]!);
  }

  /** Whether the key numbered `index` starts with `prefix`, compared in place. */
  keyStartsWith(index: number, prefix: string): boolean {
    if (this.building) return this.keyAt(index).startsWith(prefix);
    const start = index === 0 ? 0 : this.keyEnd[index - 1]!;
    if (this.keyEnd[index]! - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) {
      if (this.keys.charCodeAt(start + i) !== prefix.charCodeAt(i)) return false;
    }
    return true;
  }

  /** The values of the key numbered `index` (see get). */
  valuesAt(index: number): IdList {
    if (this.building) return this.get(this.keyAt(index))!;
    return this.valuesOf(index);
  }

  get size(): number {
    return this.building ? this.building.size : this.count;
  }

  /** Every key with its values, in insertion order. */
  *entries(): Generator<[string, IdList]> {
    if (this.building) {
      for (const [key, list] of this.building) yield [key, asIdList(list)];
      return;
    }
    let start = 0;
    for (let k = 0; k < this.count; k++) {
      const end = this.keyEnd[k]!;
      yield [this.keys.slice(start, end), this.valuesOf(k)];
      start = end;
    }
  }

  /** Packs the index into its compact form; `add` is no longer allowed. */
  freeze(): this {
    const map = this.building;
    if (!map) return this;
    const count = map.size;
    const keyEnd = new Uint32Array(count);
    const valueEnd = new Uint32Array(count);
    let totalValues = 0;
    for (const list of map.values())
      totalValues += list === null ? 0 : typeof list === 'number' ? 1 : list.length;
    const values = new Int32Array(totalValues);
    const parts: string[] = [];
    let chars = 0;
    let v = 0;
    let k = 0;
    for (const [key, list] of map) {
      parts.push(key);
      chars += key.length;
      keyEnd[k] = chars;
      if (typeof list === 'number') values[v++] = list;
      else if (list !== null) for (const value of list) values[v++] = value;
      valueEnd[k] = v;
      k++;
    }
    // join builds one flat string: no rope or slice keeps the separate key strings alive.
    this.keys = parts.join('');
    this.keyEnd = keyEnd;
    this.valueEnd = valueEnd;
    this.values = values;
    this.count = count;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    const slots = new Int32Array(capacity).fill(EMPTY);
    const mask = capacity - 1;
    let start = 0;
    for (let i = 0; i < count; i++) {
      const end = keyEnd[i]!;
      let slot = hashRange(this.keys, start, end) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = i;
      start = end;
    }
    this.slots = slots;
    this.building = undefined;
    return this;
  }

  private writable(): Map<string, number | number[] | null> {
    if (!this.building) throw new Error('StringIndex: add after freeze');
    return this.building;
  }

  private find(key: string): number {
    if (this.count === 0) return EMPTY;
    const mask = this.slots.length - 1;
    let slot = hashRange(key, 0, key.length) & mask;
    for (;;) {
      const k = this.slots[slot]!;
      if (k === EMPTY) return EMPTY;
      if (this.keyEquals(k, key)) return k;
      slot = (slot + 1) & mask;
    }
  }

  private keyEquals(k: number, key: string): boolean {
    const start = k === 0 ? 0 : this.keyEnd[k - 1]!;
    const end = this.keyEnd[k]!;
    if (end - start !== key.length) return false;
    const keys = this.keys;
    for (let i = 0; i < key.length; i++) if (keys.charCodeAt(start + i) !== key.charCodeAt(i)) return false;
    return true;
  }

  private valuesOf(k: number): IdList {
    const start = k === 0 ? 0 : this.valueEnd[k - 1]!;
    const end = this.valueEnd[k]!;
    return end - start === 1 ? this.values[start]! : this.values.subarray(start, end);
  }
}
