/**
 * Citizens, their channel identities and conversations, and the message log. Inbound messages
 * are the idempotency record: (channel, external id) is unique, so a webhook delivered twice
 * stores one row.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../tx.ts';

export interface ConversationRow {
  id: string;
  channel: string;
  address: string;
  citizenId: string;
  locale: string;
  state: unknown;
  version: number;
}

export interface InboundRow {
  id: string;
  text: string | null;
  payload: unknown;
  createdAt: Date;
}

/** Finds or creates the conversation for (channel, address), creating the citizen on first contact. */
export async function ensureConversation(
  tx: Tx,
  input: { channel: string; address: string; displayName?: string; locale: string; initialState: unknown },
): Promise<ConversationRow> {
  const found = await tx.conversation.findUnique({
    where: { channel_address: { channel: input.channel, address: input.address } },
  });
  if (found) return found;
  const identity = await tx.channelIdentity.findUnique({
    where: { channel_address: { channel: input.channel, address: input.address } },
  });
  const citizenId =
    identity?.citizenId ??
    (
      await tx.citizen.create({
        data: {
          displayName: input.displayName ?? null,
          identities: { create: { channel: input.channel, address: input.address } },
        },
      })
    ).id;
  // Two first messages racing from one new chat: the unique key lets one insert win.
  const rows = await tx.conversation.createManyAndReturn({
    data: [
      {
        channel: input.channel,
        address: input.address,
        citizenId,
        locale: input.locale,
        state: input.initialState as object,
      },
    ],
    skipDuplicates: true,
  });
  return (
    rows[0] ??
    (await tx.conversation.findUniqueOrThrow({
      where: { channel_address: { channel: input.channel, address: input.address } },
    }))
  );
}

/** Stores an inbound message. Returns its id, or null when (channel, externalId) was stored before. */
export async function insertInbound(
  tx: Tx,
  conversationId: string,
  message: { channel: string; externalId: string; text: string | null; payload: object; receivedAt: Date },
): Promise<string | null> {
  const rows = await tx.message.createManyAndReturn({
    data: [
      {
        conversationId,
        direction: 'incoming',
        channel: message.channel,
        externalId: message.externalId,
        text: message.text,
        payload: message.payload,
        createdAt: message.receivedAt,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (rows[0]) {
    await tx.conversation.update({
      where: { id: conversationId },
      data: { lastInboundAt: message.receivedAt },
    });
  }
  return rows[0]?.id ?? null;
}

/**
 * Stores an inbound message of an existing conversation in one statement (no transaction
 * round trips): the hot path of every webhook. Returns null when (channel, address) has no
 * conversation yet (first contact: use {@link ensureConversation} + {@link insertInbound} in a
 * transaction); `id` is null when (channel, externalId) was stored before.
 */
export async function storeInboundFast(
  client: Pick<Tx, '$queryRawUnsafe'>,
  message: {
    channel: string;
    address: string;
    externalId: string;
    text: string | null;
    payload: object;
    receivedAt: Date;
  },
): Promise<{ conversationId: string; id: string | null } | null> {
  const rows = await client.$queryRawUnsafe<{ conversation_id: string; message_id: string | null }[]>(
    `with conv as (select id from conversations where channel = $1 and address = $2),
     ins as (
       insert into messages (id, conversation_id, direction, channel, external_id, text, payload, created_at)
       select $3, conv.id, 'incoming'::"MessageDirection", $1, $4, $5, $6::jsonb, ($7::timestamptz at time zone 'UTC') from conv
       on conflict (channel, external_id) do nothing
       returning id, conversation_id),
     upd as (
       update conversations
          set last_inbound_at = ($7::timestamptz at time zone 'UTC'), updated_at = ($8::timestamptz at time zone 'UTC')
        where id in (select conversation_id from ins))
     select conv.id as conversation_id, (select id from ins) as message_id from conv`,
    message.channel,
    message.address,
    randomUUID(),
    message.externalId,
    message.text,
    JSON.stringify(message.payload),
    message.receivedAt.toISOString(),
    new Date().toISOString(),
  );
  const row = rows[0];
  return row ? { conversationId: row.conversation_id, id: row.message_id } : null;
}

/** Locks the conversation row for this transaction: one worker processes one chat at a time. */
export async function lockConversation(tx: Tx, id: string): Promise<ConversationRow> {
  // One statement (lock and read): this runs for every inbound message.
  const rows = await tx.$queryRawUnsafe<
    {
      id: string;
      channel: string;
      address: string;
      citizen_id: string;
      locale: string;
      state: unknown;
      version: number;
    }[]
  >(
    'select id, channel, address, citizen_id, locale, state, version from conversations where id = $1 for update',
    id,
  );
  const row = rows[0];
  if (!row) throw new Error(`conversation ${id} not found`);
  return {
    id: row.id,
    channel: row.channel,
    address: row.address,
    citizenId: row.citizen_id,
    locale: row.locale,
    state: row.state,
    version: Number(row.version),
  };
}

export async function findConversation(tx: Tx, id: string): Promise<ConversationRow | null> {
  return tx.conversation.findUnique({ where: { id } });
}

/** Inbound messages the dialog has not consumed yet (quarantined ones aside), oldest first. */
export async function unprocessedInbound(
  tx: Tx,
  conversationId: string,
  limit?: number,
): Promise<InboundRow[]> {
  const rows = await tx.$queryRawUnsafe<
    { id: string; text: string | null; payload: unknown; created_at: Date }[]
  >(
    `select id, text, payload, created_at from messages
      where conversation_id = $1 and direction = 'incoming' and processed_at is null and failed_at is null
      order by created_at, id${limit ? ` limit ${Math.floor(limit)}` : ''}`,
    conversationId,
  );
  return rows.map((r) => ({ id: r.id, text: r.text, payload: r.payload, createdAt: r.created_at }));
}

/** Conversations with inbound messages left unprocessed (a crash between store and process). */
export async function conversationsWithBacklog(tx: Tx, limit: number): Promise<string[]> {
  const rows = await tx.message.findMany({
    where: { direction: 'incoming', processedAt: null, failedAt: null, conversationId: { not: null } },
    distinct: ['conversationId'],
    select: { conversationId: true },
    take: limit,
  });
  return rows.map((r) => r.conversationId).filter((id): id is string => id !== null);
}

export async function markProcessed(
  tx: Tx,
  ids: string[],
  at: Date,
  reportId?: string | null,
): Promise<void> {
  if (ids.length === 0) return;
  await tx.message.updateMany({
    where: { id: { in: ids } },
    data: { processedAt: at, ...(reportId ? { reportId } : {}) },
  });
}

/**
 * Ends a dialog turn in one statement: saves the state (version + 1) and marks the consumed
 * inbound messages processed. Same effect as {@link saveState} + {@link markProcessed}.
 */
export async function finishTurn(
  tx: Tx,
  conversationId: string,
  state: unknown,
  locale: string,
  processedIds: string[],
  at: Date,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `with s as (
       update conversations
          set state = $2::jsonb, locale = $3, version = version + 1, updated_at = ($5::timestamptz at time zone 'UTC')
        where id = $1)
     update messages set processed_at = ($4::timestamptz at time zone 'UTC') where id = any($6::text[])`,
    conversationId,
    JSON.stringify(state),
    locale,
    at.toISOString(),
    new Date().toISOString(),
    processedIds,
  );
}

export async function saveState(tx: Tx, id: string, state: unknown, locale: string): Promise<void> {
  await tx.conversation.update({
    where: { id },
    data: { state: state as object, locale, version: { increment: 1 } },
  });
}

/** Logs an outgoing (or activity) message; the outbox row that sends it is written beside it. */
export async function insertOutgoing(
  tx: Tx,
  message: {
    conversationId: string | null;
    reportId?: string | null;
    channel: string;
    text: string;
    payload?: object;
    direction?: 'outgoing' | 'activity';
  },
): Promise<string> {
  // Raw SQL: one of the statements every reply costs, and the ORM's share of it was measurable.
  const id = randomUUID();
  await tx.$executeRawUnsafe(
    `insert into messages (id, conversation_id, report_id, direction, channel, text, payload, delivery_status, created_at)
     values ($1, $2, $3, $4::"MessageDirection", $5, $6, $7::jsonb, $8::"DeliveryStatus", ($9::timestamptz at time zone 'UTC'))`,
    id,
    message.conversationId,
    message.reportId ?? null,
    message.direction ?? 'outgoing',
    message.channel,
    message.text,
    JSON.stringify(message.payload ?? {}),
    message.direction === 'activity' ? null : 'pending',
    new Date().toISOString(),
  );
  return id;
}

export async function addAttachments(
  tx: Tx,
  items: {
    reportId?: string | null;
    messageId?: string | null;
    channel: string;
    kind: string;
    ref: string;
    mimeType?: string;
  }[],
): Promise<void> {
  if (items.length === 0) return;
  await tx.attachment.createMany({
    data: items.map((i) => ({
      reportId: i.reportId ?? null,
      messageId: i.messageId ?? null,
      channel: i.channel,
      kind: i.kind,
      ref: i.ref,
      mimeType: i.mimeType ?? null,
    })),
  });
}
