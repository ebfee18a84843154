import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCategoryId } from '../../dialogs/categories.ts';
import { normaliseText } from '../directory/normalise.ts';
import type { RoutingRule, RuleTarget } from './types.ts';

/** Path of the default rules shipped with the code (`core/routing/rules.json`). */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL('./rules.json', import.meta.url));

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;
const KNOWN_PLACEHOLDERS = new Set(['agency', 'region', 'category']);

/** Error thrown for an invalid rules file; `ruleId` names the rule when one is at fault. */
export class RoutingRuleError extends Error {
  constructor(
    message: string,
    readonly ruleId: string | null = null,
  ) {
    super(message);
    this.name = 'RoutingRuleError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');
}

function checkText(text: unknown, field: string, fail: (m: string) => never): string {
  if (typeof text !== 'string' || !text.trim()) fail(`${field} must be a non-empty string`);
  for (const m of (text as string).matchAll(PLACEHOLDER)) {
    if (!KNOWN_PLACEHOLDERS.has(m[1] ?? '')) fail(`${field} uses unknown placeholder {${m[1]}}`);
  }
  return text as string;
}

function checkTarget(t: unknown, fail: (m: string) => never): RuleTarget {
  if (!isObject(t)) fail('target must be an object');
  const o = t as Record<string, unknown>;
  const keys = ['agency', 'unit', 'bumd'].filter((k) => k in o);
  if (keys.length !== 1) fail('target must have exactly one of "agency", "unit" or "bumd"');
  if ('agency' in o) {
    if (typeof o.agency !== 'string' || !o.agency) fail('target.agency must be an agency code');
    if ('national' in o) fail('target.national only applies to regional targets (unit, bumd)');
    return { agency: o.agency as string };
  }
  if ('national' in o && (typeof o.national !== 'string' || !o.national)) {
    fail('target.national must be an agency code');
  }
  const national = typeof o.national === 'string' ? { national: o.national } : {};
  if ('unit' in o) {
    if (typeof o.unit !== 'string' || !/^[A-Z0-9_]+$/.test(o.unit)) fail('target.unit must be a unit key');
    if (o.level !== 'regency' && o.level !== 'province') fail("target.level must be 'regency' or 'province'");
    return { unit: o.unit as string, level: o.level as 'regency' | 'province', ...national };
  }
  if (o.bumd !== 'PDAM') fail("target.bumd must be 'PDAM'");
  return { bumd: 'PDAM', ...national };
}

/**
 * Validates parsed rules data. Throws {@link RoutingRuleError} whose message names the
 * source, the rule's position and its id.
 */
export function validateRoutingRules(
  data: unknown,
  source = 'routing rules',
  /** Operator labels (dialogs/taxonomy.ts) a rule may name besides the built-in categories. */
  extraCategories: Iterable<string> = [],
): RoutingRule[] {
  const extra = new Set(extraCategories);
  if (!Array.isArray(data)) throw new RoutingRuleError(`${source}: expected a JSON array of rules`);
  const ids = new Set<string>();
  return data.map((raw: unknown, i): RoutingRule => {
    const rawId = isObject(raw) && typeof raw.id === 'string' ? raw.id : null;
    const fail = (m: string): never => {
      throw new RoutingRuleError(`${source}: rule #${i + 1}${rawId ? ` "${rawId}"` : ''}: ${m}`, rawId);
    };
    if (!isObject(raw)) fail('expected an object');
    const r = raw as Record<string, unknown>;
    if (!rawId || !/^[a-z0-9][a-z0-9_-]*$/.test(rawId)) fail('id must be a lowercase slug');
    const id = rawId as string;
    if (id === 'named-agency') fail('id "named-agency" is reserved');
    if (ids.has(id)) fail('duplicate id');
    ids.add(id);

    if (!isObject(r.when)) fail('when must be an object');
    const when = r.when as Record<string, unknown>;
    const out: RoutingRule['when'] = {};
    for (const k of Object.keys(when)) {
      if (k !== 'categories' && k !== 'keywords' && k !== 'alsoKeywords') {
        fail(`when.${k} is not a known condition`);
      }
    }
    if (when.categories !== undefined) {
      if (!nonEmptyStrings(when.categories)) fail('when.categories must be a non-empty array of strings');
      for (const c of when.categories as string[])
        if (!isCategoryId(c) && !extra.has(c)) fail(`unknown category '${c}'`);
      out.categories = [...(when.categories as string[])];
    }
    if (when.keywords !== undefined) {
      if (!nonEmptyStrings(when.keywords)) fail('when.keywords must be a non-empty array of strings');
      for (const k of when.keywords as string[]) {
        if (!normaliseText(k)) fail(`keyword '${k}' has no letters or digits`);
      }
      out.keywords = [...(when.keywords as string[])];
    }
    if (when.alsoKeywords !== undefined) {
      if (!nonEmptyStrings(when.alsoKeywords)) fail('when.alsoKeywords must be a non-empty array of strings');
      for (const k of when.alsoKeywords as string[]) {
        if (!normaliseText(k)) fail(`keyword '${k}' has no letters or digits`);
      }
      out.alsoKeywords = [...(when.alsoKeywords as string[])];
    }
    if (!out.categories && !out.keywords) {
      fail('when needs categories and/or keywords (a catch-all rule would hide the admin fallback)');
    }

    const target = checkTarget(r.target, fail);
    if (!isObject(r.reason)) fail('reason must be an object with "id" and "en"');
    const reason = r.reason as Record<string, unknown>;
    return {
      id,
      when: out,
      target,
      reason: { id: checkText(reason.id, 'reason.id', fail), en: checkText(reason.en, 'reason.en', fail) },
    };
  });
}

/**
 * Reads and validates a rules file (default {@link DEFAULT_RULES_PATH}). Throws a
 * {@link RoutingRuleError} naming the file and the bad rule.
 */
export function loadRoutingRules(
  path: string = DEFAULT_RULES_PATH,
  extraCategories: Iterable<string> = [],
): RoutingRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RoutingRuleError(`${path}: cannot read rules file (${(e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RoutingRuleError(`${path}: invalid JSON (${(e as Error).message})`);
  }
  return validateRoutingRules(data, path, extraCategories);
}
