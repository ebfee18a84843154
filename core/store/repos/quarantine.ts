/**
 * Poison-message quarantine and rejected payloads. An inbound message whose processing keeps
 * failing is marked failed (with an error code, never its text) and skipped, so the rest of the
 * conversation goes on; an operator lists, retries or drops it (`lapor messages ...`). Signed
 * webhook payloads that could not be used at all are kept as rejections: channel and reason.
 */
import type { Tx } from '../tx.ts';

export interface FailedMessage {
  id: string;
  channel: string;
  conversationId: string | null;
  attempts: number;
  failure: string | null;
  failedAt: Date;
  receivedAt: Date;
}

/**
 * Counts one more failed attempt: the new count (0 when the message is gone or done), and
 * whether it was quarantined before (then retried by an operator: the citizen was told once).
 */
export async function countFailedAttempt(
  tx: Tx,
  messageId: string,
): Promise<{ attempts: number; quarantinedBefore: boolean }> {
  const rows = await tx.$queryRawUnsafe<{ attempts: number; failure: string | null }[]>(
    `update messages set attempts = attempts + 1
      where id = $1 and processed_at is null and failed_at is null
      returning attempts, failure`,
    messageId,
  );
  const row = rows[0];
  return { attempts: row ? Number(row.attempts) : 0, quarantinedBefore: !!row?.failure };
}

/** Quarantines a message: skipped by processing until retried. */
export async function markFailed(tx: Tx, messageId: string, failure: string, at: Date): Promise<boolean> {
  const result = await tx.message.updateMany({
    where: { id: messageId, processedAt: null, failedAt: null },
    data: { failedAt: at, failure: failure.slice(0, 500) },
  });
  return result.count > 0;
}

/** Messages in quarantine (failed, neither retried nor dropped), newest first. */
export async function listFailed(tx: Tx, limit = 100): Promise<FailedMessage[]> {
  const rows = await tx.message.findMany({
    where: { direction: 'incoming', failedAt: { not: null }, processedAt: null },
    orderBy: { failedAt: 'desc' },
    take: limit,
    select: {
      id: true,
      channel: true,
      conversationId: true,
      attempts: true,
      failure: true,
      failedAt: true,
      createdAt: true,
    },
  });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    conversationId: r.conversationId,
    attempts: r.attempts,
    failure: r.failure,
    failedAt: r.failedAt as Date,
    receivedAt: r.createdAt,
  }));
}

export async function countFailed(tx: Tx): Promise<number> {
  return tx.message.count({ where: { direction: 'incoming', failedAt: { not: null }, processedAt: null } });
}

/**
 * Takes a message out of quarantine so it is processed again, with a fresh attempt count.
 * Returns its conversation id, or null when no quarantined message has that id.
 */
export async function releaseFailed(tx: Tx, messageId: string): Promise<string | null> {
  const found = await tx.message.findFirst({
    where: { id: messageId, direction: 'incoming', failedAt: { not: null }, processedAt: null },
    select: { conversationId: true },
  });
  if (!found) return null;
  await tx.message.update({ where: { id: messageId }, data: { failedAt: null, attempts: 0 } });
  return found.conversationId;
}

/** Drops a quarantined message for good: it stays as a record, marked processed, never replayed. */
export async function dropFailed(tx: Tx, messageId: string, at: Date): Promise<boolean> {
  const result = await tx.message.updateMany({
    where: { id: messageId, direction: 'incoming', failedAt: { not: null }, processedAt: null },
    data: { processedAt: at },
  });
  return result.count > 0;
}

export async function recordRejection(tx: Tx, channel: string, reason: string, at: Date): Promise<void> {
  await tx.inboundRejection.create({
    data: { channel: channel.slice(0, 32), reason: reason.slice(0, 500), createdAt: at },
  });
}

export async function listRejections(
  tx: Tx,
  limit = 100,
): Promise<{ channel: string; reason: string; at: Date }[]> {
  const rows = await tx.inboundRejection.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return rows.map((r) => ({ channel: r.channel, reason: r.reason, at: r.createdAt }));
}

export async function countRejections(tx: Tx): Promise<number> {
  return tx.inboundRejection.count();
}

/** Where one inbound message stands: processed, quarantined (with why), or still pending. */
export async function messageState(
  tx: Tx,
  messageId: string,
): Promise<{ processedAt: Date | null; failedAt: Date | null; failure: string | null } | null> {
  return tx.message.findUnique({
    where: { id: messageId },
    select: { processedAt: true, failedAt: true, failure: true },
  });
}
