/**
 * `lapor messages …`: the poison-message quarantine. An inbound message whose processing kept
 * failing is set aside (its conversation goes on); an operator lists, retries or drops it.
 * Retrying runs the message through the dialog again (in a running service the backlog
 * recovery at start would too); dropping keeps the row as a record, never replayed.
 */

import { createService } from '../../app/compose.ts';
import { loadConfig } from '../../core/config/index.ts';
import { openDatabase } from '../../core/store/database.ts';
import * as quarantine from '../../core/store/repos/quarantine.ts';

const USAGE = 'lapor: usage: lapor messages failed | retry ID | drop ID | rejected';

export async function runMessages(args: string[]): Promise<number> {
  const [sub, id] = args;
  if (sub === 'retry') {
    if (!id) {
      console.error(USAGE);
      return 2;
    }
    // The whole service (dialog, routing, outbox) without listening or starting channels; the
    // replies it queues go out from the outbox of the running service.
    const service = await createService(loadConfig(), { skipConfiguredChannels: true, noScheduler: true });
    try {
      if (!(await service.intake.retryFailed(id))) {
        console.error(`lapor: no quarantined message ${id} [LAPOR_ERR_NOT_FOUND]`);
        return 1;
      }
      const row = await service.db.prisma.$transaction((tx) => quarantine.messageState(tx, id));
      if (row?.processedAt) console.log(`${id}: processed`);
      else if (row?.failedAt)
        console.log(`${id}: failed again (${row.failure ?? 'unknown'}); back in quarantine`);
      else console.log(`${id}: waiting to be processed again`);
      return 0;
    } finally {
      await service.stop();
    }
  }
  const db = await openDatabase(loadConfig().database);
  try {
    await db.migrate();
    switch (sub) {
      case 'failed': {
        const rows = await db.prisma.$transaction((tx) => quarantine.listFailed(tx, 200));
        if (rows.length === 0) console.log('no quarantined messages');
        for (const r of rows)
          console.log(
            `${r.id}\t${r.channel}\t${r.failedAt.toISOString()}\t${r.attempts} attempts\t${r.failure ?? ''}`,
          );
        return 0;
      }
      case 'drop': {
        if (!id) {
          console.error(USAGE);
          return 2;
        }
        const ok = await db.prisma.$transaction((tx) => quarantine.dropFailed(tx, id, new Date()));
        if (!ok) {
          console.error(`lapor: no quarantined message ${id} [LAPOR_ERR_NOT_FOUND]`);
          return 1;
        }
        console.log(`${id}: dropped`);
        return 0;
      }
      case 'rejected': {
        const rows = await db.prisma.$transaction((tx) => quarantine.listRejections(tx, 200));
        if (rows.length === 0) console.log('no rejected payloads');
        for (const r of rows) console.log(`${r.at.toISOString()}\t${r.channel}\t${r.reason}`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await db.close();
  }
}
