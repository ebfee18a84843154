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
  /**
   * The worker that claimed this row (set by `claim`). The mark* functions only touch a row its
   * claimer still owns, so a worker that stalled past its lease cannot undo the new owner's work.
   */
  claimedBy?: string;
  /** Set by `claim`/`claimNext`: whether later rows of the same address were waiting then. */
  more?: boolean;
}

/**
 * `available_at` of a row that may go out at once. Not the database's now(): the dispatcher
 * compares `available_at` with its own clock, which need not agree with the database server's
 * (clock skew between hosts; tests that move the service clock back in time).
 */
const IMMEDIATELY = new Date(0);

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
      availableAt: item.availableAt ?? IMMEDIATELY,
    },
  });
}

/** A claimed row as the claiming statements return it. */
interface ClaimedRaw {
  id: bigint;
  channel: string;
  address: string;
  payload: OutboxPayload;
  attempts: number;
  message_id: string | null;
  report_id: string | null;
  more: boolean;
}

function claimedRow(r: ClaimedRaw, worker: string): OutboxRow {
  return {
    id: BigInt(r.id),
    channel: r.channel,
    address: r.address,
    payload: r.payload,
    attempts: r.attempts,
    messageId: r.message_id,
    reportId: r.report_id,
    claimedBy: worker,
    more: !!r.more,
  };
}

/** Claims up to `limit` sendable rows for `worker`. Each row's attempts counter goes up by one. */
export async function claim(tx: Tx, worker: string, limit: number, now: Date): Promise<OutboxRow[]> {
  const rows = await tx.$queryRawUnsafe<ClaimedRaw[]>(
    // A row is claimable when no earlier row of its address is still open. The index on
    // (status, channel, address, id) answers that per row in one probe, however many rows of
    // the address were sent before (without it a 1,000-row backlog crawled).
    `with picked as (
       select o.id from outbox o
        where o.status = 'pending' and o.available_at <= $1
          and not exists (
            select 1 from outbox e
             where e.status in ('pending', 'sending') and e.channel = o.channel
               and e.address = o.address and e.id < o.id)
        order by o.id
        limit $2
        for update skip locked)
     update outbox set status = 'sending', claimed_at = $1, claimed_by = $3, attempts = outbox.attempts + 1
       from picked where outbox.id = picked.id
     returning outbox.id, outbox.channel, outbox.address, outbox.payload, outbox.attempts, outbox.message_id, outbox.report_id,
       (exists (select 1 from outbox n where n.status = 'pending' and n.channel = outbox.channel and n.address = outbox.address and n.id > outbox.id)) as more`,
    now,
    limit,
    worker,
  );
  return rows.map((r) => claimedRow(r, worker)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Claims the next row of one address right after `after` went out, when it is due: the fast
 * way through one chat's backlog (an index range scan, no pass over every open row). One
 * statement: no transaction needed. Null when the address has nothing more that may go now.
 */
export async function claimNext(
  tx: Pick<Tx, '$queryRawUnsafe'>,
  worker: string,
  after: { channel: string; address: string; id: bigint },
  now: Date,
): Promise<OutboxRow | null> {
  const rows = await tx.$queryRawUnsafe<ClaimedRaw[]>(
    `with head as (
       select id, status, available_at from outbox
        where channel = $1 and address = $2 and id > $3 and status in ('pending', 'sending')
        order by id
        limit 1),
     picked as (
       select o.id from outbox o join head h on h.id = o.id
        where h.status = 'pending' and h.available_at <= $4
          and not exists (
            select 1 from outbox e
             where e.channel = $1 and e.address = $2 and e.id <= $3 and e.status in ('pending', 'sending'))
        for update of o skip locked)
     update outbox set status = 'sending', claimed_at = $4, claimed_by = $5, attempts = outbox.attempts + 1
       from picked where outbox.id = picked.id
     returning outbox.id, outbox.channel, outbox.address, outbox.payload, outbox.attempts, outbox.message_id, outbox.report_id,
       (exists (select 1 from outbox n where n.status = 'pending' and n.channel = outbox.channel and n.address = outbox.address and n.id > outbox.id)) as more`,
    after.channel,
    after.address,
    after.id,
    now,
    worker,
  );
  const r = rows[0];
  if (!r) return null;
  return claimedRow(r, worker);
}

/**
 * Records a successful send. Applies while this worker still owns the row, and also when its
 * lease expired but nobody has taken the row over yet (it went out: sending it again would be
 * a duplicate). Returns false when another worker owns the row now.
 *
 * One statement (the outbox row and its message together), so the dispatcher need not open a
 * transaction per sent row: that round trip was most of the cost of sending.
 */
export async function markSent(
  tx: Tx,
  row: OutboxRow,
  providerMessageId: string | undefined,
  now: Date,
): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(
    `with sent as (
       update outbox set status = 'sent', sent_at = $2, provider_message_id = $3, last_error = null
        where id = $1
          and ($4::text is null
               or (status = 'sending' and claimed_by = $4)
               or (status = 'pending' and claimed_by is null))
       returning message_id),
     logged as (
       update messages set delivery_status = 'sent', payload = jsonb_build_object('providerMessageId', $3::text)
         from sent where messages.id = sent.message_id
       returning messages.id)
     select (select count(*) from sent)::int as n`,
    row.id,
    now,
    providerMessageId ?? null,
    row.claimedBy ?? null,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** The row as claimed by this worker, still in its hands (see `OutboxRow.claimedBy`). */
function owned(row: OutboxRow) {
  return { id: row.id, ...(row.claimedBy ? { status: 'sending' as const, claimedBy: row.claimedBy } : {}) };
}

/** Puts the row back in the queue until `availableAt`. False when this worker lost the row. */
export async function markRetry(tx: Tx, row: OutboxRow, error: string, availableAt: Date): Promise<boolean> {
  const r = await tx.outboxItem.updateMany({
    where: owned(row),
    data: { status: 'pending', availableAt, lastError: error.slice(0, 1000) },
  });
  return r.count === 1;
}

/** Gives up on the row and stores the provider's error on it and its message. False when this worker lost the row. */
export async function markFailed(tx: Tx, row: OutboxRow, error: string): Promise<boolean> {
  const r = await tx.outboxItem.updateMany({
    where: owned(row),
    data: { status: 'failed', lastError: error.slice(0, 1000) },
  });
  if (r.count === 0) return false;
  if (row.messageId) {
    await tx.message.update({
      where: { id: row.messageId },
      data: { deliveryStatus: 'failed', providerError: error.slice(0, 1000) },
    });
  }
  return true;
}

/** Puts rows claimed by a worker that died (lease expired) back in the queue. */
/** Gives a claimed row back untouched (the dispatcher stopped before sending it). */
export async function releaseClaim(tx: Tx, row: OutboxRow): Promise<boolean> {
  const r = await tx.outboxItem.updateMany({
    where: owned(row),
    data: { status: 'pending', claimedBy: null, attempts: { decrement: 1 } },
  });
  return r.count === 1;
}

export async function releaseExpired(tx: Tx, olderThan: Date, stillSending: bigint[] = []): Promise<number> {
  const r = await tx.outboxItem.updateMany({
    where: {
      status: 'sending',
      claimedAt: { lt: olderThan },
      // Rows the sweeping worker is itself still sending are not orphans, however slow.
      ...(stillSending.length ? { id: { notIn: stillSending } } : {}),
    },
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
