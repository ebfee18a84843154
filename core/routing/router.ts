import { CATEGORY_LABELS, isCategoryId } from '../../dialogs/categories.ts';
import { ADMIN_CODE, bumdCode, bumdKeyOf, PEMDA_NAME_PREFIX, pemdaCode } from '../directory/build.ts';
import { normaliseText } from '../directory/normalise.ts';
import type { AgencyRecord } from '../directory/types.ts';
import { loadRoutingRules, RoutingRuleError, validateRoutingRules } from './rules.ts';
import type { RouteDecision, RouteInput, Router, RoutingRule } from './types.ts';

type Text = { id: string; en: string };
type UnitLevel = 'province' | 'regency';
/** Why a regency-level target went to the province, if it did. */
type LevelUp = false | 'no-regency' | 'no-unit';

/** A word or phrase in the text that names a body. */
type Hint =
  | { type: 'agency'; code: string }
  | { type: 'unit'; key: string; levels: ReadonlySet<UnitLevel> }
  | { type: 'bumd'; key: string };

interface PhraseIndex<T> {
  map: Map<string, T>;
  /** First tokens of all phrases: lets the scan skip most tokens with one Set lookup. */
  first: Set<string>;
  maxLen: number;
}

interface CompiledRule {
  rule: RoutingRule;
  categories: ReadonlySet<string> | null;
  keywords: RegExp | null;
}

interface Region {
  province: string | null;
  regency: string | null;
}

/** Words that may sit between a unit name and its region: 'dukcapil di kota semarang'. */
const REGION_FILLERS = new Set(['di', 'wilayah', 'daerah', 'dari', 'se', 'untuk', 'kantor']);

const TEXTS = {
  named: {
    id: 'Laporan menyebut {agency} secara langsung, sehingga diteruskan ke instansi tersebut.',
    en: 'The report names {agency} directly, so it goes to that body.',
  },
  levelUpNoRegency: {
    id: ' Kabupaten/kota laporan belum diketahui, sehingga diteruskan ke tingkat provinsi.',
    en: ' The regency/city of the report is not known, so it goes to the provincial level.',
  },
  levelUpNoUnit: {
    id: ' Unit ini tidak tersedia di tingkat kabupaten/kota, sehingga diteruskan ke tingkat provinsi.',
    en: ' This unit does not exist at regency/city level, so it goes to the provincial level.',
  },
  national: {
    id: 'Kategori {category} ditangani pemerintah daerah, tetapi wilayah laporan belum diketahui; laporan diteruskan ke instansi pusat yang berwenang: {agency}.',
    en: 'Category {category} is handled by local government, but the report has no known region; it goes to the competent national body: {agency}.',
  },
  adminNoRegion: {
    id: 'Instansi yang berwenang bergantung pada wilayah, tetapi wilayah laporan belum diketahui; laporan masuk antrean {agency} untuk ditentukan tujuannya.',
    en: 'The competent body depends on the region, but the report has no known region; it goes to the {agency} queue to be placed.',
  },
  adminNoRule: {
    id: 'Belum ada aturan kewenangan yang cocok untuk kategori {category}; laporan masuk antrean {agency} untuk diverifikasi dan didisposisikan.',
    en: 'No competence rule fits category {category}; the report goes to the {agency} queue for verification and forwarding.',
  },
  adminUnknownCategory: {
    id: 'Kategori "{category}" tidak dikenal; laporan masuk antrean {agency} untuk diverifikasi dan didisposisikan.',
    en: 'Category "{category}" is not known; the report goes to the {agency} queue for verification and forwarding.',
  },
  adminError: {
    id: 'Tujuan laporan belum dapat ditentukan otomatis; laporan masuk antrean {agency}.',
    en: 'The destination could not be determined automatically; the report goes to the {agency} queue.',
  },
  unknownRegion: { id: 'wilayah belum diketahui', en: 'unknown region' },
} satisfies Record<string, Text>;

function emptyIndex<T>(): PhraseIndex<T> {
  return { map: new Map(), first: new Set(), maxLen: 0 };
}

function addPhrase<T>(idx: PhraseIndex<T>, phrase: string, value: T): void {
  idx.map.set(phrase, value);
  const tokens = phrase.split(' ');
  idx.first.add(tokens[0] ?? '');
  if (tokens.length > idx.maxLen) idx.maxLen = tokens.length;
}

/** Longest phrase of the index starting at token i. */
function longestAt<T>(
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

function compileKeywords(keywords: readonly string[] | undefined): RegExp | null {
  if (!keywords) return null;
  const alts = [...new Set(keywords.map(normaliseText).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?:^| )(?:${alts.join('|')})(?= |$)`);
}

/** Accepts '33.03.05', '330305', ' 33.03 '; returns dotted segments or null. */
function regionSegments(raw: string): string[] | null {
  const code = raw.trim();
  if (/^\d+$/.test(code)) {
    const cuts = [2, 4, 6, 10];
    if (!cuts.includes(code.length)) return null;
    const segs: string[] = [];
    let from = 0;
    for (const to of cuts) {
      if (to > code.length) break;
      segs.push(code.slice(from, to));
      from = to;
    }
    return segs;
  }
  return /^\d+(?:\.\d+)*$/.test(code) ? code.split('.') : null;
}

/**
 * Compiles a router over an agency directory and competence rules (default: `rules.json`).
 *
 * Decision order for each report:
 * 1. Named body: the first body named in the text ('Yth. BPJS Kesehatan', 'PLN', 'Dukcapil
 *    Kota Semarang') that is competent for the report's category wins (any named body wins
 *    for 'lainnya' or an unknown category). A named body that is not competent for the
 *    category (e.g. 'polsek' in a KTP report) is ignored ('named-ignored:...') and the rules
 *    decide. Pemda units are resolved in the region written right after them, else in the
 *    report's region.
 * 2. Rules, in order; first match wins. The category decides kind and level, the region
 *    decides which office: a regency target with only a province code goes to the province
 *    ('level-up:province'); a district/village code resolves to its regency; without any
 *    region the rule's `target.national` body takes it, or else the national K/L whose
 *    primary competence is the category ('fallback:national').
 * 3. Nothing fits: the national admin queue ('fallback:admin'). `route` never throws.
 *
 * Throws {@link RoutingRuleError} at creation when a rule is malformed or targets a body that
 * is not in the directory, and a plain Error when the directory has no ADMIN record.
 *
 * @example
 * const router = createRouter({ agencies: await buildAgencyDirectory() });
 * router.route({ category: 'kependudukan', regionCode: '33.03', text: 'KTP saya belum jadi' }).agencyCode;
 * // 'PEMDA-33.03-DISDUKCAPIL'
 */
export function createRouter(options: { agencies: AgencyRecord[]; rules?: RoutingRule[] }): Router {
  const agencies = options.agencies;
  const rules = options.rules
    ? validateRoutingRules(options.rules, 'createRouter rules')
    : loadRoutingRules();

  const byCode = new Map<string, AgencyRecord>();
  for (const a of agencies) byCode.set(a.code, a);
  const admin = byCode.get(ADMIN_CODE);
  if (!admin) throw new Error(`Agency directory has no '${ADMIN_CODE}' record (national admin queue)`);

  // Region names and region words (from the Pemda records themselves).
  const regionNames = new Map<string, string>();
  const regionWords = new Map<string, Set<string>>();
  // Alias owners of every nameable body.
  const aliasOwners = new Map<string, AgencyRecord[]>();
  // Primary category of each unit / BUMD key, for the national fallback of keyword-only rules.
  const unitCategory = new Map<string, string>();
  const unitLevels = new Map<string, Set<UnitLevel>>();
  const bumdKeys = new Map<string, string | undefined>();
  // National K/L competent for each category: primary competence first, then smaller code.
  const nationalBest = new Map<string, { rec: AgencyRecord; rank: number }>();

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
    if (a.kind === 'pemda' && a.unit) {
      if (!unitCategory.has(a.unit)) unitCategory.set(a.unit, a.categories[0] ?? '');
      if (a.level === 'province' || a.level === 'regency') {
        const set = unitLevels.get(a.unit) ?? new Set<UnitLevel>();
        set.add(a.level);
        unitLevels.set(a.unit, set);
      }
    }
    if (a.kind === 'bumd') {
      const key = bumdKeyOf(a.code);
      if (key && !bumdKeys.has(key)) bumdKeys.set(key, a.categories[0]);
    }
    if (a.kind === 'kementerian_lembaga' && a.level === 'national') {
      // Primary competence (lower rank) wins, then the smaller code: independent of input order.
      a.categories.forEach((c, rank) => {
        const cur = nationalBest.get(c);
        if (!cur || rank < cur.rank || (rank === cur.rank && a.code < cur.rec.code)) {
          nationalBest.set(c, { rec: a, rank });
        }
      });
    }
    if (a.kind === 'admin') continue;
    for (const w of a.aliases) {
      const n = normaliseText(w);
      if (!n) continue;
      const owners = aliasOwners.get(n) ?? [];
      owners.push(a);
      aliasOwners.set(n, owners);
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

  const compiled: CompiledRule[] = rules.map((rule, i) => {
    const t = rule.target;
    const bad = (m: string) => new RoutingRuleError(`routing rule #${i + 1} "${rule.id}": ${m}`, rule.id);
    if ('agency' in t && !byCode.has(t.agency)) {
      throw bad(`target agency '${t.agency}' is not in the agency directory`);
    }
    if ('unit' in t && !unitLevels.get(t.unit)?.has(t.level)) {
      throw bad(`target unit '${t.unit}' has no ${t.level}-level offices in the agency directory`);
    }
    if ('bumd' in t && !bumdKeys.has(t.bumd)) {
      throw bad(`target BUMD '${t.bumd}' is not in the agency directory`);
    }
    if (!('agency' in t) && t.national !== undefined && !byCode.has(t.national)) {
      throw bad(`target.national '${t.national}' is not in the agency directory`);
    }
    return {
      rule,
      categories: rule.when.categories ? new Set(rule.when.categories) : null,
      keywords: compileKeywords(rule.when.keywords),
    };
  });

  // ---- helpers used per call -------------------------------------------------------------

  const categoryLabel = (category: string): Text => {
    if (isCategoryId(category)) return CATEGORY_LABELS[category];
    return { id: category, en: category };
  };

  const fill = (tpl: Text, agency: AgencyRecord, regionCode: string | null, category: string): Text => {
    const region = regionCode ? regionNames.get(regionCode) : undefined;
    const label = categoryLabel(category);
    const one = (s: string, lang: 'id' | 'en') =>
      s
        .replaceAll('{agency}', agency.name)
        .replaceAll('{region}', region ?? TEXTS.unknownRegion[lang])
        .replaceAll('{category}', label[lang]);
    return { id: one(tpl.id, 'id'), en: one(tpl.en, 'en') };
  };

  const append = (a: Text, b: Text): Text => ({ id: a.id + b.id, en: a.en + b.en });

  const toAdmin = (tpl: Text, category: string, signals: string[]): RouteDecision => {
    signals.push('fallback:admin');
    return { agencyCode: admin.code, reason: fill(tpl, admin, null, category), ruleId: null, signals };
  };

  const resolveRegion = (raw: string | null | undefined, signals: string[]): Region => {
    if (raw === null || raw === undefined || String(raw).trim() === '')
      return { province: null, regency: null };
    const segs = regionSegments(String(raw));
    const province = segs?.[0];
    if (!segs || !province || !regionNames.has(province)) {
      signals.push(`region-unknown:${String(raw).trim()}`);
      return { province: null, regency: null };
    }
    if (segs.length === 1) return { province, regency: null };
    const regency = `${province}.${segs[1]}`;
    if (!regionNames.has(regency)) {
      signals.push(`region-unknown:${String(raw).trim()}`);
      return { province, regency: null };
    }
    if (segs.length > 2) signals.push('level-up:regency');
    return { province, regency };
  };

  /** Picks one region among the codes a phrase may mean, using the report's region to break ties. */
  const pickRegion = (codes: readonly string[], region: Region): string | null => {
    if (codes.length === 1) return codes[0] ?? null;
    if (region.regency && codes.includes(region.regency)) return region.regency;
    if (region.province && codes.includes(region.province)) return region.province;
    let pool: readonly string[] = codes;
    if (region.province) {
      const prefix = `${region.province}.`;
      const inProvince = codes.filter((c) => c === region.province || c.startsWith(prefix));
      if (inProvince.length === 1) return inProvince[0] ?? null;
      if (inProvince.length > 1) pool = inProvince;
    }
    // 'Semarang', 'Bandung', 'Malang': a bare name shared within one province most often
    // means the kota (Kemendagri kota codes are 71 and above).
    const province = provinceOf(pool[0] ?? '');
    if (pool.every((c) => provinceOf(c) === province)) {
      const kota = pool.filter((c) => Number(c.split('.')[1] ?? 0) >= 71);
      if (kota.length === 1) return kota[0] ?? null;
    }
    return null;
  };

  const provinceOf = (code: string): string => code.split('.')[0] ?? code;

  /**
   * Resolves a generic unit / BUMD hint in a region code (province or regency). `explicit`:
   * the citizen wrote the region next to the unit, so a province there is no level-up.
   */
  const resolveHint = (
    hint: Exclude<Hint, { type: 'agency' }>,
    regionCode: string,
    explicit: boolean,
  ): { rec: AgencyRecord; levelUp: LevelUp } | null => {
    const isRegency = regionCode.includes('.');
    if (hint.type === 'bumd') {
      const rec = isRegency ? byCode.get(bumdCode(hint.key, regionCode)) : undefined;
      return rec ? { rec, levelUp: false } : null;
    }
    const hasRegency = hint.levels.has('regency');
    if (isRegency && hasRegency) {
      const rec = byCode.get(pemdaCode(regionCode, hint.key));
      if (rec) return { rec, levelUp: false };
    }
    if (hint.levels.has('province')) {
      const rec = byCode.get(pemdaCode(provinceOf(regionCode), hint.key));
      if (!rec) return null;
      const levelUp: LevelUp = !hasRegency ? false : isRegency ? 'no-unit' : explicit ? false : 'no-regency';
      return { rec, levelUp };
    }
    return null;
  };

  const levelUpNote = (why: LevelUp): Text =>
    why === 'no-unit'
      ? TEXTS.levelUpNoUnit
      : why === 'no-regency'
        ? TEXTS.levelUpNoRegency
        : { id: '', en: '' };

  const namedDecision = (
    tokens: readonly string[],
    category: string,
    anyCompetent: boolean,
    region: Region,
    signals: string[],
  ): RouteDecision | null => {
    const competent = (rec: AgencyRecord) => anyCompetent || rec.categories.includes(category);
    let i = 0;
    while (i < tokens.length) {
      const m = longestAt(hints, tokens, i);
      if (!m) {
        i++;
        continue;
      }
      i += m.len;
      const hint = m.value;
      if (hint.type === 'agency') {
        const rec = byCode.get(hint.code);
        if (!rec) continue;
        if (!competent(rec)) {
          signals.push(`named-ignored:${rec.code}`);
          continue;
        }
        const out = [...signals, `named:${rec.code}`];
        if (rec.regionCode) out.push(`region:${rec.regionCode}`);
        return {
          agencyCode: rec.code,
          reason: fill(TEXTS.named, rec, rec.regionCode, category),
          ruleId: 'named-agency',
          signals: out,
        };
      }
      // Region written next to the unit name.
      let r = longestAt(regions, tokens, i);
      if (!r && REGION_FILLERS.has(tokens[i] ?? '')) {
        r = longestAt(regions, tokens, i + 1);
        if (r) i++;
      }
      let textRegion: string | null = null;
      if (r) {
        i += r.len;
        textRegion = pickRegion(r.value, region);
      }
      const regionCode = textRegion ?? region.regency ?? region.province;
      const resolved = regionCode ? resolveHint(hint, regionCode, textRegion !== null) : null;
      if (!resolved) {
        signals.push(`named-unresolved:${hint.key}`);
        continue;
      }
      if (!competent(resolved.rec)) {
        signals.push(`named-ignored:${resolved.rec.code}`);
        continue;
      }
      const out = [...signals, `named:${resolved.rec.code}`];
      if (textRegion) out.push(`named-region:${textRegion}`);
      out.push(`region:${resolved.rec.regionCode}`);
      let reason = fill(TEXTS.named, resolved.rec, resolved.rec.regionCode, category);
      if (resolved.levelUp) {
        out.push('level-up:province');
        reason = append(reason, levelUpNote(resolved.levelUp));
      }
      return { agencyCode: resolved.rec.code, reason, ruleId: 'named-agency', signals: out };
    }
    return null;
  };

  const applyRule = (
    rule: RoutingRule,
    category: string,
    specific: boolean,
    region: Region,
    signals: string[],
  ): RouteDecision => {
    const t = rule.target;
    const decide = (rec: AgencyRecord, regionCode: string | null, levelUp: LevelUp): RouteDecision => {
      const out = [...signals];
      if (regionCode) out.push(`region:${regionCode}`);
      let reason = fill(rule.reason, rec, regionCode, category);
      if (levelUp) {
        out.push('level-up:province');
        reason = append(reason, levelUpNote(levelUp));
      }
      return { agencyCode: rec.code, reason, ruleId: rule.id, signals: out };
    };
    if ('agency' in t) {
      const rec = byCode.get(t.agency) ?? admin;
      const d = decide(rec, null, false);
      d.reason = fill(rule.reason, rec, region.regency ?? region.province, category);
      return d;
    }
    const key = 'unit' in t ? t.unit : t.bumd;
    const wantsRegency = 'bumd' in t || t.level === 'regency';
    if (wantsRegency && region.regency) {
      const own =
        'unit' in t
          ? byCode.get(pemdaCode(region.regency, t.unit))
          : byCode.get(bumdCode(t.bumd, region.regency));
      if (own) return decide(own, region.regency, false);
      const up = 'unit' in t ? byCode.get(pemdaCode(provinceOf(region.regency), t.unit)) : undefined;
      if (up) return decide(up, provinceOf(region.regency), 'no-unit');
      const root = byCode.get(pemdaCode(region.regency));
      if (root) return decide(root, region.regency, false);
    }
    if (region.province) {
      const unitRec = 'unit' in t ? byCode.get(pemdaCode(region.province, t.unit)) : undefined;
      const rec = unitRec ?? byCode.get(pemdaCode(region.province));
      if (rec) return decide(rec, region.province, wantsRegency ? 'no-regency' : false);
    }
    // No usable region: the rule's national body, else the national K/L whose primary
    // competence is the category, else the admin queue.
    const cat = specific ? category : 'unit' in t ? unitCategory.get(key) : bumdKeys.get(key);
    const national =
      t.national !== undefined ? byCode.get(t.national) : cat ? nationalBest.get(cat)?.rec : undefined;
    if (national && national.code !== admin.code) {
      return {
        agencyCode: national.code,
        reason: fill(TEXTS.national, national, null, cat ?? category),
        ruleId: rule.id,
        signals: [...signals, 'fallback:national'],
      };
    }
    return toAdmin(TEXTS.adminNoRegion, category, [...signals, `rule:${rule.id}`]);
  };

  return {
    route(input: RouteInput): RouteDecision {
      const signals: string[] = [];
      const category = typeof input?.category === 'string' ? input.category.trim() : '';
      try {
        const known = isCategoryId(category);
        if (!known) signals.push(`category-unknown:${category}`);
        const specific = known && category !== 'lainnya';
        const region = resolveRegion(input.regionCode, signals);
        const text = normaliseText(typeof input.text === 'string' ? input.text : '');
        const tokens = text ? text.split(' ') : [];

        const named = namedDecision(tokens, category, !specific, region, signals);
        if (named) return named;

        for (const c of compiled) {
          if (c.categories && !c.categories.has(category)) continue;
          if (c.keywords && !c.keywords.test(text)) continue;
          return applyRule(c.rule, category, specific, region, signals);
        }
        return toAdmin(known ? TEXTS.adminNoRule : TEXTS.adminUnknownCategory, category, signals);
      } catch {
        return toAdmin(TEXTS.adminError, category, [...signals, 'error']);
      }
    },
  };
}
