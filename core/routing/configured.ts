/**
 * The router as configured for this deployment: the competence rules (ROUTING_RULES), the
 * operator's taxonomy (CATEGORY_TAXONOMY). One place, so `lapor route` and the service decide
 * alike.
 */
import { loadTaxonomy, type Taxonomy, TaxonomyError } from '../../dialogs/taxonomy.ts';
import type { Config } from '../config/index.ts';
import type { AgencyRecord } from '../directory/types.ts';
import { LaporError } from '../errors.ts';
import { taxonomyRouting } from './labels.ts';
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

/** Builds the router from ROUTING_RULES and the taxonomy. Throws LAPOR_ERR_CONFIG on a bad rule. */
export function configuredRouter(
  config: Config,
  agencies: AgencyRecord[],
  taxonomy: Taxonomy | null,
): Router {
  const labels = taxonomyRouting(taxonomy);
  try {
    const rules = [
      ...labels.rules,
      ...loadRoutingRules(config.routing.rulesPath ?? undefined, labels.categories),
    ];
    return createRouter({ agencies, rules, categories: labels.categories, aliases: labels.aliases });
  } catch (error) {
    if (error instanceof RoutingRuleError)
      throw new LaporError('LAPOR_ERR_CONFIG', `routing: ${error.message}`);
    throw error;
  }
}
