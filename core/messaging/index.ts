/**
 * Outbound messages, queued in the caller's transaction: dialog replies and notices to the citizen
 * in their conversation and language, and instructions to the officers' desk (Slack) of the agency
 * that has the report. The outbox dispatcher sends them once the transaction commits.
 */

import { type TextKey, t } from '../../dialogs/texts.ts';
import { asLocale, type Choice } from '../../dialogs/types.ts';
import { ADMIN_AGENCY, type CoreContext } from '../reports/context.ts';
import * as convos from '../store/repos/conversations.ts';
import * as outbox from '../store/repos/outbox.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';

export { asLocale };

/** Queues one message to the citizen of a conversation. SMS gets the compact wording. */
export async function sendToConversation(
  tx: Tx,
  conversation: { id: string; channel: string; address: string; locale: string },
  message: { text: string; choices?: Choice[]; reportId?: string | null },
): Promise<void> {
  const payload = {
    address: conversation.address,
    text: message.text,
    locale: asLocale(conversation.locale),
    ...(message.choices?.length ? { choices: message.choices } : {}),
  };
  const messageId = await convos.insertOutgoing(tx, {
    conversationId: conversation.id,
    reportId: message.reportId ?? null,
    channel: conversation.channel,
    text: message.text,
    payload: message.choices?.length ? { choices: message.choices } : {},
  });
  await outbox.enqueue(tx, {
    channel: conversation.channel,
    address: conversation.address,
    payload,
    messageId,
    reportId: message.reportId ?? null,
  });
}

/** Renders a catalogue text for the report's citizen and queues it in their conversation. */
export async function notifyCitizen(
  tx: Tx,
  report: { id: string; conversationId: string },
  key: TextKey,
  params: Record<string, string | number>,
  /** A second text in the same message (one notice, not two, e.g. the receipt and "laporan serupa"). */
  also?: { key: TextKey; params: Record<string, string | number> },
): Promise<void> {
  const conversation = await convos.findConversation(tx, report.conversationId);
  if (!conversation) return;
  const locale = asLocale(conversation.locale);
  const sms = conversation.channel === 'sms';
  const text = t(locale, key, params, sms);
  await sendToConversation(tx, conversation, {
    text: also ? `${text}${sms ? ' ' : '\n\n'}${t(locale, also.key, also.params, sms)}` : text,
    reportId: report.id,
  });
}

/**
 * The Slack channel where an agency's officers work: its own, else its parent's (a Pemda's
 * channel serves all its units), else the national admin channel.
 */
export async function deskChannelFor(tx: Tx, ctx: CoreContext, agencyCode: string): Promise<string | null> {
  if (!ctx.desk) return null;
  let code: string | null = agencyCode;
  for (let hops = 0; code && hops < 4; hops++) {
    const agency = await reports.findAgency(tx, code);
    if (!agency) break;
    if (agency.officerChannel) return agency.officerChannel;
    code = agency.parentCode;
  }
  return ctx.desk.adminChannel;
}

export type DeskInstruction =
  | { kind: 'report_new'; reportId: string }
  | { kind: 'report_update'; reportId: string; note: string }
  | { kind: 'citizen_message'; reportId: string; text: string }
  | { kind: 'report_moved'; reportId: string; channel: string; ts: string; note: string }
  | { kind: 'admin_alert'; reportId: string; note: string }
  /** A line in the report's thread that changes nothing (e.g. "laporan serupa" joined). */
  | { kind: 'report_note'; reportId: string; note: string }
  /** Queued by the desk with an officer's action: confirms in the thread what went to the citizen. */
  | {
      kind: 'desk_sent';
      reportId: string;
      sent: 'request_info' | 'reply' | 'resolve' | 'postpone';
      actorId: string;
      text: string;
    };

/** Queues an instruction for the officers' desk. No desk configured: nothing is queued. */
export async function notifyDesk(
  tx: Tx,
  ctx: CoreContext,
  agencyCode: string,
  instruction: DeskInstruction,
): Promise<void> {
  if (!ctx.desk) return;
  const channel =
    instruction.kind === 'admin_alert'
      ? ctx.desk.adminChannel
      : instruction.kind === 'report_moved'
        ? instruction.channel
        : ((await deskChannelFor(tx, ctx, agencyCode)) ?? ctx.desk.adminChannel);
  await outbox.enqueue(tx, {
    channel: 'slack',
    address: channel,
    payload: instruction,
    reportId: instruction.reportId,
  });
}

export function isAdminAgency(code: string): boolean {
  return code === ADMIN_AGENCY;
}
