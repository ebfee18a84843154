/**
 * The routing index: everything the router looks up per report, built once from the agency
 * directory. Pure data plus the phrase-scanning helpers; no rule logic here.
 */
import { ADMIN_CODE, bumdKeyOf, PEMDA_NAME_PREFIX } from '../directory/build.ts';
import { normaliseText } from '../directory/normalise.ts';
import type { AgencyRecord } from '../directory/types.ts';

export type UnitLevel = 'province' | 'regency';

/** A word or phrase in the text that names a body. */
export type Hint =
  | { type: 'agency'; code: string }
  | { type: 'unit'; key: string; levels: ReadonlySet<UnitLevel> }
  | { type: 'bumd'; key: string };

/** Phrases (normalised, space-separated tokens) mapped to values, scanned token by token. */
export interface PhraseIndex<T> {
  map: Map<string, T>;
  /** First tokens of all phrases: lets the scan skip most tokens with one Set lookup. */
  first: Set<string>;
  maxLen: number;
}

export interface RoutingIndex {
  byCode: ReadonlyMap<string, AgencyRecord>;
  /** The national admin queue. */
  admin: AgencyRecord;
  /** Region code -> display name ('Kabupaten Purbalingga'), from the Pemda records. */
  regionNames: ReadonlyMap<string, string>;
  /** Names of bodies citizens write ('bpjs kesehatan', 'dukcapil', 'pdam'). */
  hints: PhraseIndex<Hint>;
  /** Region words ('kota semarang', 'purbalingga') -> region codes they may mean. */
  regions: PhraseIndex<string[]>;
  /** Levels at which each Pemda unit exists. */
  unitLevels: ReadonlyMap<string, ReadonlySet<UnitLevel>>;
  /** BUMD keys present in the directory ('PDAM'). */
  bumdKeys: ReadonlySet<string>;
}

export function emptyIndex<T>(): PhraseIndex<T> {
  return { map: new Map(), first: new Set(), maxLen: 0 };
}

export function addPhrase<T>(idx: PhraseIndex<T>, phrase: string, value: T): void {
  idx.map.set(phrase, value);
  const tokens = phrase.split(' ');
  idx.first.add(tokens[0] ?? '');
  if (tokens.length > idx.maxLen) idx.maxLen = tokens.length;
}

/** Longest phrase of the index starting at token i. */
export function longestAt<T>(
  idx: PhraseIndex<T>,
  tokens: readonly string[],
  i: number,
): { value: T; len: number } | null {
  const t0 = tokens[i];
  if (t0 === undefined || !idx.first.has(t0)) return null;
  let best: { value: T; len: number } | null = null;
  let phrase = t0;
  const max = Math.min(idx.maxLen, tokens.length - i);
  for (let len = 1; len <= max; len++) {
    if (len > 1) phrase += ` ${tokens[i + len - 1]}`;
    const v = idx.map.get(phrase);
    if (v !== undefined) best = { value: v, len };
  }
  return best;
}

/**
 * Builds the index. Throws when the directory has no ADMIN record (the queue every report
 * can fall back to).
 */
export function buildRoutingIndex(agencies: readonly AgencyRecord[]): RoutingIndex {
  const byCode = new Map<string, AgencyRecord>();
  for (const a of agencies) byCode.set(a.code, a);
  const admin = byCode.get(ADMIN_CODE);
  if (!admin) throw new Error(`Agency directory has no '${ADMIN_CODE}' record (national admin queue)`);

  const regionNames = new Map<string, string>();
  const regionWords = new Map<string, Set<string>>();
  const aliasOwners = new Map<string, AgencyRecord[]>();
  const unitLevels = new Map<string, Set<UnitLevel>>();
  const bumdKeys = new Set<string>();

  for (const a of agencies) {
    if (a.kind === 'pemda' && a.unit === null && a.regionCode) {
      regionNames.set(
        a.regionCode,
        a.name.startsWith(PEMDA_NAME_PREFIX) ? a.name.slice(PEMDA_NAME_PREFIX.length) : a.name,
      );
      for (const w of a.aliases) {
        const n = normaliseText(w);
        if (!n) continue;
        const set = regionWords.get(n) ?? new Set<string>();
        set.add(a.regionCode);
        regionWords.set(n, set);
      }
      continue;
    }
    if (a.kind === 'pemda' && a.unit && (a.level === 'province' || a.level === 'regency')) {
      const set = unitLevels.get(a.unit) ?? new Set<UnitLevel>();
      set.add(a.level);
      unitLevels.set(a.unit, set);
    }
    if (a.kind === 'bumd') {
      const key = bumdKeyOf(a.code);
      if (key) bumdKeys.add(key);
    }
    if (a.kind === 'admin') continue;
    for (const w of a.aliases) {
      const n = normaliseText(w);
      if (!n) continue;
      // "Kementrian" is how many citizens spell "kementerian".
      const spellings = n.includes('kementerian') ? [n, n.replaceAll('kementerian', 'kementrian')] : [n];
      for (const s of spellings) {
        const owners = aliasOwners.get(s) ?? [];
        owners.push(a);
        aliasOwners.set(s, owners);
      }
    }
  }

  const hints = emptyIndex<Hint>();
  for (const [alias, owners] of aliasOwners) {
    const first = owners[0];
    if (!first) continue;
    if (owners.length === 1) {
      addPhrase(hints, alias, { type: 'agency', code: first.code });
    } else if (first.kind === 'pemda' && first.unit && owners.every((o) => o.unit === first.unit)) {
      const levels = new Set<UnitLevel>();
      for (const o of owners) if (o.level === 'province' || o.level === 'regency') levels.add(o.level);
      addPhrase(hints, alias, { type: 'unit', key: first.unit, levels });
    } else if (first.kind === 'bumd') {
      const key = bumdKeyOf(first.code);
      if (key && owners.every((o) => o.kind === 'bumd' && bumdKeyOf(o.code) === key)) {
        addPhrase(hints, alias, { type: 'bumd', key });
      }
    }
    // Aliases shared by unrelated bodies are ambiguous and ignored.
  }
  const regions = emptyIndex<string[]>();
  for (const [w, codes] of regionWords) addPhrase(regions, w, [...codes].sort());

  return { byCode, admin, regionNames, hints, regions, unitLevels, bumdKeys };
}
