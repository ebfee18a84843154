import { readFile } from 'node:fs/promises';
import { getProvinces, getRegencies } from 'idn-area-data';
import { isCategoryId } from '../../dialogs/categories.ts';
import { normaliseText } from './normalise.ts';
import { provinceAliases, provinceDisplayName, regencyAliases } from './regions.ts';
import type { AgencyKind, AgencyRecord } from './types.ts';
import { PEMDA_UNITS, type PemdaUnitDef } from './units.ts';

/** Code of the national admin queue (verifikator): the destination when nothing else fits. */
export const ADMIN_CODE = 'ADMIN';

/** Prefix of every Pemda (and Pemda unit) name: 'Pemerintah Kabupaten Purbalingga'. */
export const PEMDA_NAME_PREFIX = 'Pemerintah ';

/** BUMD key for drinking-water companies, as in 'BUMD-PDAM-33.03'. */
export const BUMD_PDAM = 'PDAM';

/** Code of a Pemda ('PEMDA-33.03') or one of its units ('PEMDA-33.03-DISDUKCAPIL'). */
export function pemdaCode(regionCode: string, unit?: string | null): string {
  return unit ? `PEMDA-${regionCode}-${unit}` : `PEMDA-${regionCode}`;
}

/** Code of a regional company of the given key in a regency: 'BUMD-PDAM-33.03'. */
export function bumdCode(key: string, regionCode: string): string {
  return `BUMD-${key}-${regionCode}`;
}

/** The BUMD key of a BUMD code ('BUMD-PDAM-33.03' -> 'PDAM'), or null. */
export function bumdKeyOf(code: string): string | null {
  const m = /^BUMD-([A-Z0-9_]+)-/.exec(code);
  return m?.[1] ?? null;
}

const NATIONAL_KINDS: readonly AgencyKind[] = ['kementerian_lembaga', 'bpjs', 'bumn'];
const NATIONAL_FILE = new URL('./national-agencies.json', import.meta.url);

interface NationalEntry {
  code: string;
  name: string;
  kind: AgencyKind;
  parentCode: string | null;
  categories: string[];
  aliases: string[];
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Validates the hand-written list of national bodies; throws naming the bad entry. */
function parseNationalAgencies(raw: unknown): NationalEntry[] {
  if (!Array.isArray(raw)) throw new Error('national-agencies.json: expected an array of agencies');
  const seen = new Set<string>();
  const out: NationalEntry[] = [];
  raw.forEach((e: unknown, i) => {
    const where = `national-agencies.json entry #${i + 1}`;
    if (typeof e !== 'object' || e === null) throw new Error(`${where}: expected an object`);
    const o = e as Record<string, unknown>;
    const code = o.code;
    if (typeof code !== 'string' || !/^[A-Z0-9-]+$/.test(code)) throw new Error(`${where}: bad code`);
    const at = `${where} (${code})`;
    if (seen.has(code)) throw new Error(`${at}: duplicate code`);
    seen.add(code);
    if (typeof o.name !== 'string' || !o.name.trim()) throw new Error(`${at}: name is required`);
    if (typeof o.kind !== 'string' || !NATIONAL_KINDS.includes(o.kind as AgencyKind)) {
      throw new Error(`${at}: kind must be one of ${NATIONAL_KINDS.join(', ')}`);
    }
    if (o.parentCode !== null && typeof o.parentCode !== 'string') throw new Error(`${at}: bad parentCode`);
    if (!isStringArray(o.categories)) throw new Error(`${at}: categories must be a string array`);
    for (const c of o.categories) if (!isCategoryId(c)) throw new Error(`${at}: unknown category '${c}'`);
    if (!isStringArray(o.aliases)) throw new Error(`${at}: aliases must be a string array`);
    for (const a of o.aliases) {
      if (normaliseText(a) !== a || !a) throw new Error(`${at}: alias '${a}' is not in normalised form`);
    }
    out.push({
      code,
      name: o.name,
      kind: o.kind as AgencyKind,
      parentCode: (o.parentCode as string | null) ?? null,
      categories: [...o.categories],
      aliases: [...o.aliases],
    });
  });
  for (const e of out) {
    if (e.parentCode && !seen.has(e.parentCode)) {
      throw new Error(`national-agencies.json (${e.code}): parentCode '${e.parentCode}' is not in the list`);
    }
  }
  return out;
}

function unitRecord(
  def: PemdaUnitDef,
  level: 'province' | 'regency',
  regionCode: string,
  regionName: string,
): AgencyRecord {
  const aliases = [...def.aliases, normaliseText(def.name)];
  if (level === 'province') aliases.push(...(def.provinceAliases ?? []));
  return {
    code: pemdaCode(regionCode, def.unit),
    name: `${def.name} ${regionName}`,
    kind: 'pemda',
    level,
    regionCode,
    parentCode: pemdaCode(regionCode),
    unit: def.unit,
    categories: [...def.categories],
    aliases: [...new Set(aliases)],
  };
}

function pemdaRecords(
  level: 'province' | 'regency',
  regionCode: string,
  regionName: string,
  parentCode: string | null,
  aliases: string[],
): AgencyRecord[] {
  const units = PEMDA_UNITS.filter((u) => u.levels.includes(level));
  const categories = [...new Set(units.flatMap((u) => u.categories))];
  const root: AgencyRecord = {
    code: pemdaCode(regionCode),
    name: `${PEMDA_NAME_PREFIX}${regionName}`,
    kind: 'pemda',
    level,
    regionCode,
    parentCode,
    unit: null,
    categories,
    aliases,
  };
  return [root, ...units.map((u) => unitRecord(u, level, regionCode, regionName))];
}

/**
 * Builds the full agency directory: the national admin queue, the national bodies from
 * `national-agencies.json` (K/L, BPJS, BUMN), then for every province (38) its Pemda and
 * units followed by each of its kabupaten/kota (514) with their Pemda, units and PDAM.
 *
 * Pure and deterministic: the same package data gives the same records in the same order.
 * Police below the national level (Polda/Polres/Polsek) are deliberately out of scope: the
 * single 'KL-POLRI' record receives police reports and disposes them internally.
 *
 * @example
 * const agencies = await buildAgencyDirectory();
 * agencies.find((a) => a.code === 'PEMDA-33.03-DISDUKCAPIL')?.name
 * // 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga'
 */
export async function buildAgencyDirectory(): Promise<AgencyRecord[]> {
  const national = parseNationalAgencies(JSON.parse(await readFile(NATIONAL_FILE, 'utf8')));
  const [provinces, regencies] = await Promise.all([getProvinces(), getRegencies()]);
  const byCode = (a: { code: string }, b: { code: string }) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  provinces.sort(byCode);
  regencies.sort(byCode);

  const records: AgencyRecord[] = [
    {
      code: ADMIN_CODE,
      name: 'Admin Nasional LAPOR! (Verifikator)',
      kind: 'admin',
      level: 'national',
      regionCode: null,
      parentCode: null,
      unit: null,
      categories: ['lainnya'],
      aliases: [],
    },
  ];
  for (const n of national) {
    records.push({ ...n, level: 'national', regionCode: null, unit: null });
  }

  const regenciesByProvince = new Map<string, typeof regencies>();
  for (const r of regencies) {
    const list = regenciesByProvince.get(r.province_code) ?? [];
    list.push(r);
    regenciesByProvince.set(r.province_code, list);
  }

  for (const p of provinces) {
    records.push(
      ...pemdaRecords('province', p.code, provinceDisplayName(p.name), null, provinceAliases(p.code, p.name)),
    );
    for (const r of regenciesByProvince.get(p.code) ?? []) {
      records.push(
        ...pemdaRecords('regency', r.code, r.name, pemdaCode(p.code), regencyAliases(r.code, r.name)),
      );
      records.push({
        code: bumdCode(BUMD_PDAM, r.code),
        name: `Perumda Air Minum ${r.name}`,
        kind: 'bumd',
        level: 'regency',
        regionCode: r.code,
        parentCode: pemdaCode(r.code),
        unit: null,
        categories: ['air_bersih'],
        aliases: ['pdam', 'perumda air minum', 'perumdam', 'perusahaan daerah air minum'],
      });
    }
  }
  return records;
}
