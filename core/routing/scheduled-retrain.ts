/**
 * The service's routing retrain: from the examples officers left (forwards, resolutions), a
 * candidate model is trained and switched in only when it scores at least as well as the
 * current one on a held-out slice (retrain.ts). Every comparison is logged (figures only, no
 * text) and appended to `<model file>.retrain.jsonl`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClassifierModel } from '../../dialogs/classifier/index.ts';
import type { Taxonomy } from '../../dialogs/taxonomy.ts';
import type { Config } from '../config/index.ts';
import type { AgencyRecord } from '../directory/types.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/database.ts';
import { listRoutingExamples } from '../store/repos/routing-examples.ts';
import { configuredRouter, loadConfiguredRoutingModel } from './configured.ts';
import { type LearnedRouting, LearnedRoutingError, type RouteHints } from './learned.ts';
import { examplesFromStore, type RetrainOutcome, retrainIfBetter } from './retrain.ts';
import type { Router } from './types.ts';

export interface RoutingRetrainer {
  /** The router to use now (rules blended with the current model). */
  readonly router: Router;
  /** Retrains once; null when there are too few examples yet. Never throws for want of data. */
  retrain(): Promise<RetrainOutcome | null>;
}

export function createRoutingRetrainer(deps: {
  config: Config;
  db: Database;
  agencies: AgencyRecord[];
  taxonomy: Taxonomy | null;
  classifier: ClassifierModel;
  logger: Logger;
  clock: () => Date;
}): RoutingRetrainer {
  const { config, db, agencies, taxonomy, classifier, logger, clock } = deps;
  const modelPath = config.routing.modelPath ?? join(config.dataDir, 'routing-model.json');
  let learned: LearnedRouting | null = loadConfiguredRoutingModel(config, agencies);
  let current = configuredRouter(config, agencies, taxonomy, learned);
  const rulesRouter = configuredRouter(config, agencies, taxonomy, null);
  const hints = (text: string): RouteHints => {
    const category = classifier.classify(text).category;
    return { category, decision: rulesRouter.route({ category, regionCode: null, text }) };
  };
  return {
    router: { route: (input) => current.route(input) },
    async retrain() {
      const stored = await db.prisma.$transaction((tx) => listRoutingExamples(tx));
      const examples = examplesFromStore(stored, agencies);
      let outcome: RetrainOutcome;
      try {
        outcome = retrainIfBetter(examples, learned, agencies, { hints, now: clock() });
      } catch (error) {
        if (!(error instanceof LearnedRoutingError)) throw error;
        logger.info({ examples: examples.length }, 'routing retrain skipped: too few examples yet');
        return null;
      }
      const record = {
        at: clock().toISOString(),
        examples: examples.length,
        trainRows: outcome.trainRows,
        heldOutRows: outcome.heldOutRows,
        candidate: outcome.candidate,
        current: outcome.current,
        swapped: outcome.swapped,
      };
      logger.info(record, outcome.swapped ? 'routing model retrained and switched' : 'routing model kept');
      mkdirSync(dirname(modelPath), { recursive: true });
      appendFileSync(`${modelPath}.retrain.jsonl`, `${JSON.stringify(record)}\n`);
      if (outcome.swapped && outcome.model) {
        learned = outcome.model;
        writeFileSync(modelPath, JSON.stringify(learned.toJSON()));
        current = configuredRouter(config, agencies, taxonomy, learned);
      }
      return outcome;
    },
  };
}
