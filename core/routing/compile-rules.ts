/**
 * The rule compiler: turns validated competence rules (data) into matchers, and checks that
 * every target exists in the directory, once, when the router is created.
 */
import { normaliseText } from '../directory/normalise.ts';
import type { AgencyKind, AgencyLevel } from '../directory/types.ts';
import type { RoutingIndex } from './routing-index.ts';
import { RoutingRuleError } from './rules.ts';
import type { RoutingRule } from './types.ts';

export interface CompiledRule {
  rule: RoutingRule;
  categories: ReadonlySet<string> | null;
  keywords: RegExp | null;
  alsoKeywords: RegExp | null;
  /** The kind and level of body the rule names as competent. */
  competent: { kind: AgencyKind; level: AgencyLevel };
}

/** One alternation of whole-word phrases over normalised text; longest phrases first. */
export function compileKeywords(keywords: readonly string[] | undefined): RegExp | null {
  if (!keywords) return null;
  const alts = [...new Set(keywords.map(normaliseText).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?:^| )(?:${alts.join('|')})(?= |$)`);
}

/**
 * Compiles rules in order. Throws {@link RoutingRuleError} naming the rule when a target is
 * not in the directory.
 */
export function compileRules(rules: readonly RoutingRule[], index: RoutingIndex): CompiledRule[] {
  return rules.map((rule, i) => {
    const t = rule.target;
    const bad = (m: string) => new RoutingRuleError(`routing rule #${i + 1} "${rule.id}": ${m}`, rule.id);
    let competent: CompiledRule['competent'];
    if ('agency' in t) {
      const rec = index.byCode.get(t.agency);
      if (!rec) throw bad(`target agency '${t.agency}' is not in the agency directory`);
      competent = { kind: rec.kind, level: rec.level };
    } else if ('unit' in t) {
      if (!index.unitLevels.get(t.unit)?.has(t.level)) {
        throw bad(`target unit '${t.unit}' has no ${t.level}-level offices in the agency directory`);
      }
      competent = { kind: 'pemda', level: t.level };
    } else {
      if (!index.bumdKeys.has(t.bumd)) throw bad(`target BUMD '${t.bumd}' is not in the agency directory`);
      competent = { kind: 'bumd', level: 'regency' };
    }
    if (!('agency' in t) && t.national !== undefined && !index.byCode.has(t.national)) {
      throw bad(`target.national '${t.national}' is not in the agency directory`);
    }
    return {
      rule,
      categories: rule.when.categories ? new Set(rule.when.categories) : null,
      keywords: compileKeywords(rule.when.keywords),
      alsoKeywords: compileKeywords(rule.when.alsoKeywords),
      competent,
    };
  });
}
