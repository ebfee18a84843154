/** `--from-db`: the routing examples officers left (forwards, resolutions), from the configured database. */
import type { Config } from '../../core/config/index.ts';
import type { AgencyRecord } from '../../core/directory/index.ts';
import type { RoutingExample } from '../../core/routing/learned.ts';
import { examplesFromStore } from '../../core/routing/retrain.ts';
import { openDatabase } from '../../core/store/database.ts';
import { listRoutingExamples } from '../../core/store/repos/routing-examples.ts';

export async function loadRoutingExamples(
  config: Config,
  agencies: AgencyRecord[],
): Promise<RoutingExample[]> {
  const db = await openDatabase(config.database);
  try {
    await db.migrate();
    const stored = await db.prisma.$transaction((tx) => listRoutingExamples(tx));
    return examplesFromStore(stored, agencies);
  } finally {
    await db.close();
  }
}
