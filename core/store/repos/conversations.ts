/**
 * Citizens, their channel identities and conversations, and the message log. Inbound messages
 * are the idempotency record: (channel, external id) is unique, so a webhook delivered twice
 * stores one row.
 */
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

/** Locks the conversation row for this transaction: one worker processes one chat at a time. */
export async function lockConversation(tx: Tx, id: string): Promise<ConversationRow> {
  await tx.$executeRawUnsafe('select 1 from conversations where id = $1 for update', id);
  return tx.conversation.findUniqueOrThrow({ where: { id } });
}

export async function findConversation(tx: Tx, id: string): Promise<ConversationRow | null> {
  return tx.conversation.findUnique({ where: { id } });
}

/** Inbound messages the dialog has not consumed yet, oldest first. */
export async function unprocessedInbound(tx: Tx, conversationId: string): Promise<InboundRow[]> {
  return tx.message.findMany({
    where: { conversationId, direction: 'incoming', processedAt: null },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, text: true, payload: true, createdAt: true },
  });
}

/** Conversations with inbound messages left unprocessed (a crash between store and process). */
export async function conversationsWithBacklog(tx: Tx, limit: number): Promise<string[]> {
  const rows = await tx.message.findMany({
    where: { direction: 'incoming', processedAt: null, conversationId: { not: null } },
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
  const row = await tx.message.create({
    data: {
      conversationId: message.conversationId,
      reportId: message.reportId ?? null,
      direction: message.direction ?? 'outgoing',
      channel: message.channel,
      text: message.text,
      payload: message.payload ?? {},
      deliveryStatus: message.direction === 'activity' ? null : 'pending',
    },
    select: { id: true },
  });
  return row.id;
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

/** Loads a conversation's state for update by someone other than the dialog (officer questions). */
export async function findConversationByReport(tx: Tx, reportId: string): Promise<ConversationRow | null> {
  const report = await tx.report.findUnique({ where: { id: reportId }, select: { conversationId: true } });
  return report ? tx.conversation.findUnique({ where: { id: report.conversationId } }) : null;
}
