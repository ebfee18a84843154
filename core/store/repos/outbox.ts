/**
 * The outbox table: notifications written in the same transaction as the change they report,
 * claimed by dispatchers with `FOR UPDATE SKIP LOCKED` so several processes never send one row
 * twice. Rows of one address leave in order: a row is only claimable when no earlier row of
 * the same address is still pending or being sent.
 */
import type { Tx } from '../tx.ts';

export interface OutboxPayload {
  /** Citizen channels: the message to render. Slack: a desk instruction (see core/desk). */
  [key: string]: unknown;
}

export interface OutboxRow {
  id: bigint;
  channel: string;
  address: string;
  payload: OutboxPayload;
  attempts: number;
  messageId: string | null;
  reportId: string | null;
}

export async function enqueue(
  tx: Tx,
  item: {
    channel: string;
    address: string;
    payload: OutboxPayload;
    messageId?: string | null;
    reportId?: string | null;
    availableAt?: Date;
  },
): Promise<void> {
  await tx.outboxItem.create({
    data: {
      channel: item.channel,
      address: item.address,
      payload: item.payload as object,
      messageId: item.messageId ?? null,
      reportId: item.reportId ?? null,
      ...(item.availableAt ? { availableAt: item.availableAt } : {}),
    },
  });
}

/** Claims up to `limit` sendable rows for `worker`. Each row's attempts counter goes up by one. */
export async function claim(tx: Tx, worker: string, limit: number, now: Date): Promise<OutboxRow[]> {
  const rows = await tx.$queryRawUnsafe<
    {
      id: bigint;
      channel: string;
      address: string;
      payload: OutboxPayload;
      attempts: number;
      message_id: string | null;
      report_id: string | null;
    }[]
  >(
    `with picked as (
       select o.id from outbox o
        where o.status = 'pending' and o.available_at <= $1
          and not exists (
            select 1 from outbox e
             where e.channel = o.channel and e.address = o.address and e.id < o.id
               and e.status in ('pending', 'sending'))
        order by o.id
        limit $2
        for update skip locked)
     update outbox set status = 'sending', claimed_at = $1, claimed_by = $3, attempts = outbox.attempts + 1
       from picked where outbox.id = picked.id
     returning outbox.id, outbox.channel, outbox.address, outbox.payload, outbox.attempts, outbox.message_id, outbox.report_id`,
    now,
    limit,
    worker,
  );
  return rows
    .map((r) => ({
      id: BigInt(r.id),
      channel: r.channel,
      address: r.address,
      payload: r.payload,
      attempts: r.attempts,
      messageId: r.message_id,
      reportId: r.report_id,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export async function markSent(
  tx: Tx,
  row: OutboxRow,
  providerMessageId: string | undefined,
  now: Date,
): Promise<void> {
  await tx.outboxItem.update({
    where: { id: row.id },
    data: { status: 'sent', sentAt: now, providerMessageId: providerMessageId ?? null, lastError: null },
  });
  if (row.messageId) {
    await tx.message.update({
      where: { id: row.messageId },
      data: { deliveryStatus: 'sent', payload: { providerMessageId: providerMessageId ?? null } },
    });
  }
}

export async function markRetry(tx: Tx, row: OutboxRow, error: string, availableAt: Date): Promise<void> {
  await tx.outboxItem.update({
    where: { id: row.id },
    data: { status: 'pending', availableAt, lastError: error.slice(0, 1000) },
  });
}

export async function markFailed(tx: Tx, row: OutboxRow, error: string): Promise<void> {
  await tx.outboxItem.update({
    where: { id: row.id },
    data: { status: 'failed', lastError: error.slice(0, 1000) },
  });
  if (row.messageId) {
    await tx.message.update({
      where: { id: row.messageId },
      data: { deliveryStatus: 'failed', providerError: error.slice(0, 1000) },
    });
  }
}

/** Puts rows claimed by a worker that died (lease expired) back in the queue. */
export async function releaseExpired(tx: Tx, olderThan: Date): Promise<number> {
  const r = await tx.outboxItem.updateMany({
    where: { status: 'sending', claimedAt: { lt: olderThan } },
    data: { status: 'pending', claimedBy: null },
  });
  return r.count;
}

export async function counts(tx: Tx): Promise<Record<string, number>> {
  const groups = await tx.outboxItem.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

/** Records a provider's delivery receipt (WhatsApp Cloud statuses) on the outgoing message. */
export async function recordDelivery(
  tx: Tx,
  providerMessageId: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  error?: string,
): Promise<number> {
  const item = await tx.outboxItem.findFirst({ where: { providerMessageId }, select: { messageId: true } });
  if (!item?.messageId) return 0;
  await tx.message.update({
    where: { id: item.messageId },
    data: { deliveryStatus: status, ...(error ? { providerError: error.slice(0, 1000) } : {}) },
  });
  return 1;
}
