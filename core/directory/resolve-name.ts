/**
 * Agency names as history writes them, resolved against the directory: "Dinas Pekerjaan Umum
 * Kota Semarang", "Dinas PU Kota Semarang" -> PEMDA-33.74-DPUPR; "BPJS Kesehatan KC Sampit"
 * (a branch office) -> BPJS-KES; "Kementerian ESDM", "Kementerian Pendidikan dan Kebudayaan"
 * (a former name) -> their body. Directory codes are accepted as they are.
 *
 * How: the name is normalised and scanned left to right for the first (longest) phrase that
 * names a body: a national body's aliases and name, a former name (agency-names.json), a Pemda
 * unit's words ("dinas pu", "satpol pp") or a BUMD ("pdam"). The head of a name says what the body
 * is ("Dinas ESDM Provinsi X" is a provincial dinas, not the ministry). A national body keeps
 * every office of its own: a branch, regional office or directorate resolves to the body. A unit
 * or BUMD takes the region named in the name (or given separately); a Pemda office the
 * directory does not list (a kecamatan, a dinas it has no unit for) resolves to its Pemda.
 * A name that resolves to nothing still gets the kind of body its words suggest, for scoring
 * and for learning the kind.
 */
import { readFileSync } from 'node:fs';
import { ADMIN_CODE, bumdCode, bumdKeyOf, pemdaCode } from './build.ts';
import { normaliseText } from './normalise.ts';
import type { AgencyKind, AgencyLevel, AgencyRecord } from './types.ts';
import { PEMDA_UNITS } from './units.ts';

/** How a name was resolved. */
export type NameResolutionVia =
  /** The value was a directory code. */
  | 'code'
  /** A name or alias of the body. */
  | 'name'
  /** A branch, regional office or directorate of a national body, or a former name. */
  | 'parent'
  /** A Pemda unit or BUMD with the region its name (or the region column) gives. */
  | 'unit-region'
  /** A Pemda office the directory does not list, resolved to its Pemda. */
  | 'region'
  /** A Pemda unit without a region: kind, level and unit known, not the office. */
  | 'unit-only'
  /** Nothing resolved; `kind` is what the words suggest (or null). */
  | 'none';

export interface NameResolution {
  /** Directory code, or null when the name does not pin one body. */
  code: string | null;
  kind: AgencyKind | null;
  level: AgencyLevel | null;
  /** Pemda unit key ('DPUPR') or BUMD key ('PDAM') when the name names one. */
  unit: string | null;
  regionCode: string | null;
  via: NameResolutionVia;
}

export interface AgencyNameResolver {
  /**
   * Resolves one name. `region`: a region code or name from a separate column, used when the
   * name itself names none. Never throws.
   */
  resolve(name: string, region?: string | null): NameResolution;
}

type Head = { type: 'agency'; code: string } | { type: 'unit'; key: string } | { type: 'bumd'; key: string };

interface Phrases<T> {
  map: Map<string, T>;
  maxLen: number;
}

function addPhrase<T>(p: Phrases<T>, phrase: string, value: T, keep = true): void {
  if (!phrase) return;
  if (keep && p.map.has(phrase)) return;
  p.map.set(phrase, value);
  p.maxLen = Math.max(p.maxLen, phrase.split(' ').length);
}

function longestAt<T>(p: Phrases<T>, tokens: readonly string[], i: number): { value: T; len: number } | null {
  let best: { value: T; len: number } | null = null;
  let phrase = '';
  for (let len = 1; len <= Math.min(p.maxLen, tokens.length - i); len++) {
    phrase = len === 1 ? (tokens[i] ?? '') : `${phrase} ${tokens[i + len - 1]}`;
    const v = p.map.get(phrase);
    if (v !== undefined) best = { value: v, len };
  }
  return best;
}

const NAMES_FILE = new URL('./agency-names.json', import.meta.url);

/** The shipped former names and long forms (agency-names.json): code -> normalised names. */
export function shippedAgencyNames(): Record<string, string[]> {
  const raw = JSON.parse(readFileSync(NAMES_FILE, 'utf8')) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [code, names] of Object.entries(raw)) {
    if (code.startsWith('$') || !Array.isArray(names)) continue;
    out[code] = names.filter((n): n is string => typeof n === 'string');
  }
  return out;
}

/** Words that make an unresolved name a Pemda office, a national body, and so on (checked in order). */
const KIND_WORDS: [AgencyKind, RegExp][] = [
  ['bpjs', /\b(bpjs|badan penyelenggara jaminan sosial)\b/],
  ['bumd', /\b(pdam|perumda|perumdam|bumd|perusahaan daerah)\b/],
  ['bumn', /\b(pt|persero|perum|bumn)\b/],
  [
    'pemda',
    /\b(dinas|kecamatan|kelurahan|desa|pemkot|pemkab|pemprov|pemda|kabupaten|kota|provinsi|daerah|rsud|puskesmas|satpol|bappeda|sekretariat daerah|setda|inspektorat|camat|lurah|walikota|bupati|gubernur)\b/,
  ],
  [
    'kementerian_lembaga',
    /\b(kementerian|kemen\w*|direktorat|ditjen|dirjen|badan|komisi|lembaga|kanwil|kantor wilayah|biro|sekretariat jenderal|inspektorat jenderal|balai|otoritas|mahkamah|kejaksaan)\b/,
  ],
];

/** The head word of a national body's name: it decides whatever region words follow. */
const NATIONAL_HEAD =
  /^(kementerian|kemen\w*|direktorat|ditjen|dirjen|komisi|lembaga|sekretariat jenderal|inspektorat jenderal)\b/;

/** The kind of body an unresolved name's words suggest, or null. */
export function guessKind(normalised: string): AgencyKind | null {
  if (NATIONAL_HEAD.test(normalised) && !/\b(pdam|bpjs)\b/.test(normalised)) return 'kementerian_lembaga';
  for (const [kind, re] of KIND_WORDS) if (re.test(normalised)) return kind;
  return null;
}

/**
 * Builds a resolver over the directory. `extraNames`: more names per code (the operator's own
 * `--agency-names` file), added to the shipped former names.
 *
 * @example
 * const r = createAgencyNameResolver(await buildAgencyDirectory());
 * r.resolve('Dinas PU Kota Semarang').code; // 'PEMDA-33.74-DPUPR'
 * r.resolve('BPJS Kesehatan KC Sampit');    // { code: 'BPJS-KES', via: 'parent', ... }
 */
export function createAgencyNameResolver(
  agencies: readonly AgencyRecord[],
  extraNames: Record<string, readonly string[]> = {},
): AgencyNameResolver {
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const heads: Phrases<Head> = { map: new Map(), maxLen: 0 };
  const regions: Phrases<string[]> = { map: new Map(), maxLen: 0 };
  const formerNames = new Set<string>();

  // Operator names first, then shipped former names, then the directory's own: the first claim wins.
  const names = shippedAgencyNames();
  for (const [code, list] of [...Object.entries(extraNames), ...Object.entries(names)]) {
    if (!byCode.has(code)) continue;
    for (const n of list) {
      const phrase = normaliseText(n);
      addPhrase(heads, phrase, { type: 'agency', code });
      formerNames.add(phrase);
    }
  }
  const regionSets = new Map<string, Set<string>>();
  for (const a of agencies) {
    if (a.kind === 'pemda' && a.unit === null && a.regionCode) {
      for (const w of a.aliases) {
        const set = regionSets.get(w) ?? new Set<string>();
        set.add(a.regionCode);
        regionSets.set(w, set);
      }
      continue;
    }
    if (a.kind === 'admin' || a.regionCode !== null) continue;
    for (const w of [...a.aliases, normaliseText(a.name)])
      addPhrase(heads, w, { type: 'agency', code: a.code });
  }
  for (const u of PEMDA_UNITS) {
    for (const w of [...u.aliases, ...(u.provinceAliases ?? []), normaliseText(u.name)]) {
      addPhrase(heads, w, { type: 'unit', key: u.unit });
    }
  }
  for (const a of agencies) {
    if (a.kind !== 'bumd') continue;
    const key = bumdKeyOf(a.code);
    if (key) for (const w of a.aliases) addPhrase(heads, w, { type: 'bumd', key });
  }
  for (const [w, set] of regionSets) addPhrase(regions, w, [...set].sort());

  /** Picks one region among the codes a phrase may mean: a lone kota among same-province codes. */
  function pick(codes: readonly string[]): string | null {
    if (codes.length === 1) return codes[0] ?? null;
    const province = codes[0]?.split('.')[0];
    if (!codes.every((c) => c.split('.')[0] === province)) return null;
    const kota = codes.filter((c) => Number(c.split('.')[1] ?? 0) >= 71);
    return kota.length === 1 ? (kota[0] ?? null) : null;
  }

  /** The last region the tokens name (agency names end with their region), or null. */
  function regionIn(tokens: readonly string[], from: number): string | null {
    let found: string | null = null;
    let i = from;
    while (i < tokens.length) {
      const m = longestAt(regions, tokens, i);
      if (m) {
        found = pick(m.value) ?? found;
        i += m.len;
      } else i++;
    }
    return found;
  }

  function regionOf(raw: string | null | undefined): string | null {
    const v = (raw ?? '').trim();
    if (!v) return null;
    if (/^\d{2}(\.\d{2})?$/.test(v)) return byCode.has(pemdaCode(v)) ? v : null;
    if (/^\d{4}$/.test(v)) return regionOf(`${v.slice(0, 2)}.${v.slice(2)}`);
    const n = normaliseText(v);
    return n ? regionIn(n.split(' '), 0) : null;
  }

  const record = (code: string, via: NameResolutionVia, unit: string | null = null): NameResolution => {
    const a = byCode.get(code)!;
    return { code, kind: a.kind, level: a.level, unit: unit ?? a.unit, regionCode: a.regionCode, via };
  };

  function resolve(name: string, regionHint?: string | null): NameResolution {
    const none = (kind: AgencyKind | null): NameResolution => ({
      code: null,
      kind,
      level: null,
      unit: null,
      regionCode: null,
      via: 'none',
    });
    const raw = typeof name === 'string' ? name.trim() : '';
    if (!raw) return none(null);
    const upper = raw.toUpperCase();
    if (byCode.has(upper) && upper !== ADMIN_CODE) return record(upper, 'code');
    const n = normaliseText(raw);
    if (!n) return none(null);
    const tokens = n.split(' ');

    let head: { value: Head; len: number; at: number } | null = null;
    for (let i = 0; i < tokens.length && !head; i++) {
      const m = longestAt(heads, tokens, i);
      if (m) head = { ...m, at: i };
    }
    const region = regionIn(tokens, head ? head.at + head.len : 0) ?? regionOf(regionHint);

    if (head?.value.type === 'agency') {
      const phrase = tokens.slice(head.at, head.at + head.len).join(' ');
      const exact = head.len === tokens.length && !formerNames.has(phrase);
      return record(head.value.code, exact ? 'name' : 'parent');
    }
    if (head?.value.type === 'bumd') {
      const key = head.value.key;
      const code = region ? bumdCode(key, region) : null;
      if (code && byCode.has(code)) return record(code, 'unit-region', key);
      return { code: null, kind: 'bumd', level: 'regency', unit: key, regionCode: null, via: 'unit-only' };
    }
    if (head?.value.type === 'unit') {
      const key = head.value.key;
      if (region) {
        const own = pemdaCode(region, key);
        if (byCode.has(own)) return record(own, 'unit-region', key);
        if (byCode.has(pemdaCode(region))) return record(pemdaCode(region), 'region', key);
      }
      const levels = new Set(
        agencies.filter((a) => a.kind === 'pemda' && a.unit === key).map((a) => a.level),
      );
      return {
        code: null,
        kind: 'pemda',
        level: levels.has('regency') ? 'regency' : 'province',
        unit: key,
        regionCode: null,
        via: 'unit-only',
      };
    }
    const kind = guessKind(n);
    // A Pemda office the directory does not list ("Kecamatan X Kota Y", "Pemerintah Kota Y"):
    // its Pemda. A name that is only a region is its Pemda too.
    if (region && (kind === 'pemda' || kind === null) && byCode.has(pemdaCode(region)))
      return record(pemdaCode(region), 'region');
    return none(kind);
  }

  return { resolve };
}

/** Share of names resolved to a directory code, and the distinct names that were not. */
export function resolutionReport(
  resolver: AgencyNameResolver,
  names: readonly { name: string; region?: string | null }[],
): { total: number; resolved: number; rate: number; unresolved: Map<string, number> } {
  let resolved = 0;
  const unresolved = new Map<string, number>();
  for (const { name, region } of names) {
    if (resolver.resolve(name, region).code) resolved++;
    else unresolved.set(name, (unresolved.get(name) ?? 0) + 1);
  }
  return { total: names.length, resolved, rate: names.length ? resolved / names.length : 0, unresolved };
}
