/**
 * The router as configured for this deployment: the competence rules (ROUTING_RULES), the
 * operator's taxonomy (CATEGORY_TAXONOMY) and the routing model learned from their history
 * (ROUTING_MODEL). One place, so `lapor route` and the service decide alike.
 */
import { readFileSync } from 'node:fs';
import { loadTaxonomy, type Taxonomy, TaxonomyError } from '../../dialogs/taxonomy.ts';
import type { Config } from '../config/index.ts';
import type { AgencyRecord } from '../directory/types.ts';
import { LaporError } from '../errors.ts';
import { taxonomyRouting } from './labels.ts';
import { type LearnedRouting, loadLearnedRouting } from './learned.ts';
import { createRouter } from './router.ts';
import { loadRoutingRules, RoutingRuleError } from './rules.ts';
import type { Router } from './types.ts';

/** The operator taxonomy named by CATEGORY_TAXONOMY, or null. Throws LAPOR_ERR_CONFIG naming the file. */
export function loadConfiguredTaxonomy(config: Config): Taxonomy | null {
  const path = config.dialog.taxonomyPath;
  return path ? readTaxonomy(path, 'CATEGORY_TAXONOMY') : null;
}

/** Reads a taxonomy file; `origin` (the variable or option naming it) prefixes the error. */
export function readTaxonomy(path: string, origin: string): Taxonomy {
  try {
    return loadTaxonomy(path);
  } catch (error) {
    if (error instanceof TaxonomyError)
      throw new LaporError('LAPOR_ERR_CONFIG', `${origin}: ${error.message}`);
    throw error;
  }
}

/** The routing model named by ROUTING_MODEL, or null. Throws LAPOR_ERR_CONFIG naming the file. */
export function loadConfiguredRoutingModel(
  config: Config,
  agencies: readonly AgencyRecord[],
): LearnedRouting | null {
  const path = config.routing.modelPath;
  if (!path) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new LaporError('LAPOR_ERR_CONFIG', `ROUTING_MODEL: cannot read ${path} (${e.code ?? e.message})`);
  }
  try {
    return loadLearnedRouting(json, agencies);
  } catch (error) {
    throw new LaporError('LAPOR_ERR_CONFIG', `ROUTING_MODEL: ${path}: ${(error as Error).message}`);
  }
}

/** Builds the router from ROUTING_RULES, the taxonomy and ROUTING_MODEL. Throws LAPOR_ERR_CONFIG on a bad rule. */
export function configuredRouter(
  config: Config,
  agencies: AgencyRecord[],
  taxonomy: Taxonomy | null,
  learned: LearnedRouting | null = loadConfiguredRoutingModel(config, agencies),
): Router {
  const labels = taxonomyRouting(taxonomy);
  try {
    const rules = [
      ...labels.rules,
      ...loadRoutingRules(config.routing.rulesPath ?? undefined, labels.categories),
    ];
    return createRouter({ agencies, rules, categories: labels.categories, aliases: labels.aliases, learned });
  } catch (error) {
    if (error instanceof RoutingRuleError)
      throw new LaporError('LAPOR_ERR_CONFIG', `routing: ${error.message}`);
    throw error;
  }
}
