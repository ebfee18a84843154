/**
 * Routing ("no wrong door"): decides which agency of the directory handles a report, with a
 * human-readable reason. Rules are data (`rules.json`), compiled once by `createRouter`.
 */
export { createRouter } from './router.ts';
export { DEFAULT_RULES_PATH, loadRoutingRules, RoutingRuleError, validateRoutingRules } from './rules.ts';
export type { RouteDecision, RouteInput, Router, RoutingRule, RuleTarget } from './types.ts';
