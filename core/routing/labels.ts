/**
 * Routing for an operator's own labels (dialogs/taxonomy.ts): a label with a `target` becomes a
 * competence rule tried before the shipped ones; a label with a `category` is routed as that
 * built-in topic. Labels with neither are routed by the text (named bodies, keyword rules) and
 * otherwise wait in the admin queue, like an unknown category.
 */
import type { Taxonomy } from '../../dialogs/taxonomy.ts';
import type { RoutingRule, RuleTarget } from './types.ts';

/** What `createRouter` needs to route an operator taxonomy. */
export interface TaxonomyRouting {
  /** Rules built from the labels' targets, in taxonomy order (checked when the router is built). */
  rules: RoutingRule[];
  /** Every label id: rules (also in ROUTING_RULES) may name them. */
  categories: string[];
  /** Label -> built-in category it is routed as. */
  aliases: Map<string, string>;
}

const REASON = {
  id: 'Laporan dengan topik {category} ditangani {agency} menurut taksonomi operator.',
  en: "Reports on {category} are handled by {agency} according to the operator's taxonomy.",
};

/** Turns a taxonomy into routing rules, extra category names and aliases. */
export function taxonomyRouting(taxonomy: Taxonomy | null | undefined): TaxonomyRouting {
  const out: TaxonomyRouting = { rules: [], categories: [], aliases: new Map() };
  if (!taxonomy) return out;
  const ids = new Set<string>();
  for (const label of taxonomy.labels) {
    out.categories.push(label.id);
    if (label.category) out.aliases.set(label.id, label.category);
    if (!label.target) continue;
    const base = `label-${
      label.id
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'x'
    }`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    out.rules.push({
      id,
      when: { categories: [label.id] },
      // Checked by validateRoutingRules when the router is built; a bad target names this rule.
      target: label.target as unknown as RuleTarget,
      reason: REASON,
    });
  }
  return out;
}
