/**
 * Routing ("no wrong door"): decides which agency of the directory handles a report, with a
 * human-readable reason. Rules are data (`rules.json`), compiled once by `createRouter`:
 * routing-index.ts (lookups built from the directory), compile-rules.ts (rules -> matchers),
 * route.ts (the decision for one report).
 */
export { type CompiledRule, compileKeywords, compileRules } from './compile-rules.ts';
export { route } from './route.ts';
export { createRouter } from './router.ts';
export { buildRoutingIndex, type RoutingIndex } from './routing-index.ts';
export { DEFAULT_RULES_PATH, loadRoutingRules, RoutingRuleError, validateRoutingRules } from './rules.ts';
export type { RouteDecision, RouteInput, Router, RoutingRule, RuleTarget } from './types.ts';
