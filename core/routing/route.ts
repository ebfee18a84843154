/**
 * `route`: decides, for one report, the body that handles it and why, from the routing index
 * and the compiled rules. Pure; never throws (anything unexpected goes to the admin queue).
 */
import { CATEGORY_LABELS, isCategoryId } from '../../dialogs/categories.ts';
import { bumdCode, pemdaCode } from '../directory/build.ts';
import { normaliseText } from '../directory/normalise.ts';
import type { AgencyRecord } from '../directory/types.ts';
import type { CompiledRule } from './compile-rules.ts';
import { type Hint, longestAt, type RoutingIndex } from './routing-index.ts';
import type { RouteDecision, RouteInput, RoutingRule } from './types.ts';

type Text = { id: string; en: string };
/** Why a regency-level target went to the province, if it did. */
type LevelUp = false | 'no-regency' | 'no-unit';

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
    id: 'Kategori {category} ditangani pemerintah daerah, tetapi wilayah laporan belum diketahui; laporan diteruskan ke instansi yang ditetapkan untuk laporan tanpa wilayah: {agency}.',
    en: 'Category {category} is handled by local government, but the report has no known region; it goes to the body set for reports without a region: {agency}.',
  },
  placeNeeded: {
    id: 'Kategori {category} ditangani pemerintah daerah tempat kejadian, tetapi lokasinya belum diketahui; laporan masuk antrean {agency} sampai wilayahnya dipastikan.',
    en: 'Category {category} is handled by the local government of the place, but the place is not known; the report waits in the {agency} queue until its region is settled.',
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

const ADMIN_COMPETENT = { kind: 'admin', level: 'national' } as const;

/** Accepts '33.03.05', '330305', ' 33.03 '; returns dotted segments or null. */
export function regionSegments(raw: string): string[] | null {
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

const provinceOf = (code: string): string => code.split('.')[0] ?? code;

const append = (a: Text, b: Text): Text => ({ id: a.id + b.id, en: a.en + b.en });

function categoryLabel(category: string): Text {
  return isCategoryId(category) ? CATEGORY_LABELS[category] : { id: category, en: category };
}

/** One routing call: the index, the input's facts and the signals collected on the way. */
class RouteCall {
  readonly signals: string[] = [];
  constructor(
    private readonly index: RoutingIndex,
    readonly category: string,
  ) {}

  fill(tpl: Text, agency: AgencyRecord, regionCode: string | null): Text {
    const region = regionCode ? this.index.regionNames.get(regionCode) : undefined;
    const label = categoryLabel(this.category);
    const one = (s: string, lang: 'id' | 'en') =>
      s
        .replaceAll('{agency}', agency.name)
        .replaceAll('{region}', region ?? TEXTS.unknownRegion[lang])
        .replaceAll('{category}', label[lang]);
    return { id: one(tpl.id, 'id'), en: one(tpl.en, 'en') };
  }

  toAdmin(tpl: Text, extra: string[] = []): RouteDecision {
    const { admin } = this.index;
    return {
      agencyCode: admin.code,
      reason: this.fill(tpl, admin, null),
      ruleId: null,
      signals: [...this.signals, ...extra, 'fallback:admin'],
      competent: { ...ADMIN_COMPETENT },
    };
  }

  resolveRegion(raw: string | null | undefined): Region {
    const { regionNames } = this.index;
    if (raw === null || raw === undefined || String(raw).trim() === '')
      return { province: null, regency: null };
    const segs = regionSegments(String(raw));
    const province = segs?.[0];
    if (!segs || !province || !regionNames.has(province)) {
      this.signals.push(`region-unknown:${String(raw).trim()}`);
      return { province: null, regency: null };
    }
    if (segs.length === 1) return { province, regency: null };
    const regency = `${province}.${segs[1]}`;
    if (!regionNames.has(regency)) {
      this.signals.push(`region-unknown:${String(raw).trim()}`);
      return { province, regency: null };
    }
    if (segs.length > 2) this.signals.push('level-up:regency');
    return { province, regency };
  }

  /** Picks one region among the codes a phrase may mean, using the report's region to break ties. */
  pickRegion(codes: readonly string[], region: Region): string | null {
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
  }

  /**
   * Resolves a generic unit / BUMD hint in a region code (province or regency). `explicit`:
   * the citizen wrote the region next to the unit, so a province there is no level-up.
   */
  resolveHint(
    hint: Exclude<Hint, { type: 'agency' }>,
    regionCode: string,
    explicit: boolean,
  ): { rec: AgencyRecord; levelUp: LevelUp } | null {
    const { byCode } = this.index;
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
  }

  levelUpNote(why: LevelUp): Text {
    return why === 'no-unit'
      ? TEXTS.levelUpNoUnit
      : why === 'no-regency'
        ? TEXTS.levelUpNoRegency
        : { id: '', en: '' };
  }

  /**
   * The first body named in the text that is competent for the category (any body when
   * `anyCompetent`). Pemda units are resolved in the region written right after them, else in
   * the report's region.
   */
  named(tokens: readonly string[], anyCompetent: boolean, region: Region): RouteDecision | null {
    const { hints, regions, byCode } = this.index;
    const competent = (rec: AgencyRecord) => anyCompetent || rec.categories.includes(this.category);
    let i = 0;
    while (i < tokens.length) {
      const m = longestAt(hints, tokens, i);
      if (!m) {
        i++;
        continue;
      }
      const start = i;
      i += m.len;
      const hint = m.value;
      if (hint.type === 'agency') {
        const rec = byCode.get(hint.code);
        if (!rec) continue;
        // "Dinas PSDA dan ESDM Kota X", "Dinas Kominfo": a ministry's short name inside the name
        // of a regional office is that office, not the ministry.
        if (
          rec.kind === 'kementerian_lembaga' &&
          tokens.slice(Math.max(0, start - 3), start).includes('dinas')
        ) {
          this.signals.push(`named-regional:${rec.code}`);
          continue;
        }
        if (!competent(rec)) {
          this.signals.push(`named-ignored:${rec.code}`);
          continue;
        }
        const out = [...this.signals, `named:${rec.code}`];
        if (rec.regionCode) out.push(`region:${rec.regionCode}`);
        return {
          agencyCode: rec.code,
          reason: this.fill(TEXTS.named, rec, rec.regionCode),
          ruleId: 'named-agency',
          signals: out,
          competent: { kind: rec.kind, level: rec.level },
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
        textRegion = this.pickRegion(r.value, region);
      }
      const regionCode = textRegion ?? region.regency ?? region.province;
      const resolved = regionCode ? this.resolveHint(hint, regionCode, textRegion !== null) : null;
      if (!resolved) {
        this.signals.push(`named-unresolved:${hint.key}`);
        continue;
      }
      if (!competent(resolved.rec)) {
        this.signals.push(`named-ignored:${resolved.rec.code}`);
        continue;
      }
      const out = [...this.signals, `named:${resolved.rec.code}`];
      if (textRegion) out.push(`named-region:${textRegion}`);
      out.push(`region:${resolved.rec.regionCode}`);
      let reason = this.fill(TEXTS.named, resolved.rec, resolved.rec.regionCode);
      if (resolved.levelUp) {
        out.push('level-up:province');
        reason = append(reason, this.levelUpNote(resolved.levelUp));
      }
      return {
        agencyCode: resolved.rec.code,
        reason,
        ruleId: 'named-agency',
        signals: out,
        competent: { kind: resolved.rec.kind, level: resolved.rec.level },
      };
    }
    return null;
  }

  /** Applies a matching rule: the category decides kind and level, the region which office. */
  apply(c: CompiledRule, region: Region): RouteDecision {
    const { byCode, admin } = this.index;
    const rule: RoutingRule = c.rule;
    const t = rule.target;
    const decide = (rec: AgencyRecord, regionCode: string | null, levelUp: LevelUp): RouteDecision => {
      const out = [...this.signals];
      if (regionCode) out.push(`region:${regionCode}`);
      let reason = this.fill(rule.reason, rec, regionCode);
      if (levelUp) {
        out.push('level-up:province');
        reason = append(reason, this.levelUpNote(levelUp));
      }
      return { agencyCode: rec.code, reason, ruleId: rule.id, signals: out, competent: { ...c.competent } };
    };
    if ('agency' in t) {
      const rec = byCode.get(t.agency) ?? admin;
      const d = decide(rec, null, false);
      d.reason = this.fill(rule.reason, rec, region.regency ?? region.province);
      return d;
    }
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
    if (region.province && !wantsRegency) {
      const unitRec = 'unit' in t ? byCode.get(pemdaCode(region.province, t.unit)) : undefined;
      const rec = unitRec ?? byCode.get(pemdaCode(region.province));
      if (rec) return decide(rec, region.province, false);
    }
    // No usable region (a regency matter with only its province known counts as none: the
    // provincial office is not the competent one). A body the operator set for this case takes
    // it; otherwise the report waits in the admin queue for its place: a ministry cannot fix a
    // local road.
    const national = t.national !== undefined ? byCode.get(t.national) : undefined;
    if (national && national.code !== admin.code) {
      return {
        agencyCode: national.code,
        reason: this.fill(TEXTS.national, national, null),
        ruleId: rule.id,
        signals: [...this.signals, 'fallback:national'],
        competent: { ...c.competent },
      };
    }
    return {
      agencyCode: admin.code,
      reason: this.fill(TEXTS.placeNeeded, admin, null),
      ruleId: rule.id,
      signals: [
        ...this.signals,
        ...(region.province ? [`region:${region.province}`] : []),
        `rule:${rule.id}`,
        'place-needed',
      ],
      competent: { ...c.competent },
      placeNeeded: true,
    };
  }
}

/**
 * Decides the agency for one report.
 *
 * 1. Named body: the first body named in the text ('Yth. BPJS Kesehatan', 'PLN', 'Dukcapil
 *    Kota Semarang') that is competent for the report's category wins (any named body wins for
 *    'lainnya' or an unknown category). A named body that is not competent for the category is
 *    ignored ('named-ignored:...') and the rules decide.
 * 2. Rules, in order; the first match wins. The category (or keywords) decide kind and level,
 *    the region decides which office: a district/village code resolves to its regency; a
 *    regency-level matter with only a province code, or any regional target without a region,
 *    waits in the admin queue with `placeNeeded` ('place-needed'),
 *    still naming the competent kind and level; or goes to the rule's `target.national` body
 *    when the operator set one.
 * 3. Nothing fits: the admin queue ('fallback:admin').
 */
export function route(index: RoutingIndex, rules: readonly CompiledRule[], input: RouteInput): RouteDecision {
  const category = typeof input?.category === 'string' ? input.category.trim() : '';
  const call = new RouteCall(index, category);
  try {
    const known = isCategoryId(category);
    if (!known) call.signals.push(`category-unknown:${category}`);
    // A complaint about a body's own website or app ('situs imigrasi tidak bisa dibuka') is
    // that body's, whatever it is competent for otherwise.
    const specific = known && category !== 'lainnya' && category !== 'tik';
    const region = call.resolveRegion(input.regionCode);
    const text = normaliseText(typeof input.text === 'string' ? input.text : '');
    const tokens = text ? text.split(' ') : [];

    const named = call.named(tokens, !specific, region);
    if (named) return named;

    for (const c of rules) {
      if (c.categories && !c.categories.has(category)) continue;
      if (c.keywords && !c.keywords.test(text)) continue;
      if (c.alsoKeywords && !c.alsoKeywords.test(text)) continue;
      return call.apply(c, region);
    }
    return call.toAdmin(known ? TEXTS.adminNoRule : TEXTS.adminUnknownCategory);
  } catch {
    return call.toAdmin(TEXTS.adminError, ['error']);
  }
}
