/**
 * Signed payloads that could not be used, kept with channel and reason (never the body): the
 * provider got its 2xx, so this record is what an operator sees of them.
 */
import type { CoreContext } from '../reports/context.ts';
import * as quarantine from '../store/repos/quarantine.ts';

export async function recordRejection(ctx: CoreContext, channel: string, reason: string): Promise<void> {
  ctx.logger.warn({ code: 'LAPOR_ERR_REJECTED_PAYLOAD', channel, reason }, 'inbound payload rejected');
  await ctx.db.prisma.$transaction((tx) => quarantine.recordRejection(tx, channel, reason, ctx.clock()));
}
