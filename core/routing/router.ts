import type { AgencyRecord } from '../directory/types.ts';
import { compileRules } from './compile-rules.ts';
import type { LearnedRouting } from './learned.ts';
import { route } from './route.ts';
import { buildRoutingIndex } from './routing-index.ts';
import { loadRoutingRules, validateRoutingRules } from './rules.ts';
import type { RouteInput, Router, RoutingRule } from './types.ts';

/**
 * Compiles a router over an agency directory and competence rules (default: `rules.json`):
 * builds the routing index (routing-index.ts), compiles the rules against it
 * (compile-rules.ts) and returns `route` (route.ts) bound to both. See `route` for the
 * decision order.
 *
 * Options for operators: `categories` are their own labels that rules may name, `aliases` map
 * a label to the built-in category it is routed as (labels.ts), and `learned` is a routing model
 * trained on their disposition history (learned.ts), blended with the rules.
 *
 * Throws {@link RoutingRuleError} at creation when a rule is malformed or targets a body that
 * is not in the directory, and a plain Error when the directory has no ADMIN record.
 *
 * @example
 * const router = createRouter({ agencies: await buildAgencyDirectory() });
 * router.route({ category: 'kependudukan', regionCode: '33.03', text: 'KTP saya belum jadi' }).agencyCode;
 * // 'PEMDA-33.03-DISDUKCAPIL'
 */
export function createRouter(options: {
  agencies: AgencyRecord[];
  rules?: RoutingRule[];
  categories?: readonly string[];
  aliases?: ReadonlyMap<string, string>;
  learned?: LearnedRouting | null;
}): Router {
  const rules = options.rules
    ? validateRoutingRules(options.rules, 'createRouter rules', options.categories ?? [])
    : loadRoutingRules();
  const index = buildRoutingIndex(options.agencies);
  const compiled = compileRules(rules, index);
  const aliases = options.aliases;
  const byRules = (input: RouteInput) =>
    route(
      index,
      compiled,
      aliases?.has(input.category) ? { ...input, category: aliases.get(input.category)! } : input,
    );
  const learned = options.learned;
  return { route: learned ? (input) => learned.blend(input, byRules(input)) : byRules };
}
