/**
 * Reports that arrive already structured, from an API client (Open311 GeoReport v2) rather than
 * a chat. They take the chat's own filing path: a citizen and conversation on the `open311`
 * channel, then `fileReport` — the routing, tracking ID, audit events, SLA clock and desk
 * notice a confirmed dialog draft gets. Nothing is inserted beside it.
 *
 * The conversation's address is `<key id>:<reporter key>`: the API key's short hash and, when
 * the client names its user (email, device or account id), a hash of that, so one user's
 * reports share a citizen without their e-mail address being stored. Messages queued for the
 * citizen are kept in the conversation; the `open311` sender marks them delivered, because an
 * API client reads updates by polling.
 *
 * @example
 * ```ts
 * const report = await fileApiReport(ctx, {
 *   apiKeyId: 'a1b2c3d4', reporterKey: null, displayName: null, locale: 'id',
 *   draft: { description: 'Lampu jalan mati…', category: 'pekerjaan_umum', type: 'pengaduan',
 *            privacy: 'biasa', region: { code: '33.03', name: 'Kab. Purbalingga, Jawa Tengah' }, media: [] },
 * });
 * ```
 */

import { createHash, randomUUID } from 'node:crypto';
import { initialState, type ReportDraft } from '../../dialogs/engine/index.ts';
import type { Privacy } from '../../dialogs/types.ts';
import type { Sender } from '../outbox/dispatcher.ts';
import type { CoreContext } from '../reports/context.ts';
import { fileReport, type ReportRow } from '../reports/index.ts';
import * as convos from '../store/repos/conversations.ts';

/** The outbox and conversation channel of API clients. */
export const API_CHANNEL = 'open311';

/** A short, stable, non-reversible id for a secret or an identifier (API key, e-mail). */
export function shortHash(value: string, length = 16): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

export interface ApiReportInput {
  /** Which API key filed it (a short hash, never the key). */
  apiKeyId: string;
  /** The client's own id for its user (e-mail, device, account), or null for a one-off. */
  reporterKey: string | null;
  /** Shown to officers for `biasa` reports only, like a chat's display name. */
  displayName: string | null;
  locale: 'id' | 'en';
  draft: ReportDraft & {
    description: string;
    category: string;
    type: NonNullable<ReportDraft['type']>;
    privacy: Privacy;
  };
}

/** Files a structured report through the chat's filing path, in one transaction. */
export async function fileApiReport(ctx: CoreContext, input: ApiReportInput): Promise<ReportRow> {
  const who = input.reporterKey ? shortHash(`${input.apiKeyId}:${input.reporterKey}`, 24) : randomUUID();
  const address = `${input.apiKeyId}:${who}`;
  const report = await ctx.db.prisma.$transaction(async (tx) => {
    const conversation = await convos.ensureConversation(tx, {
      channel: API_CHANNEL,
      address,
      ...(input.displayName && input.draft.privacy === 'biasa' ? { displayName: input.displayName } : {}),
      locale: input.locale,
      initialState: initialState(input.locale),
    });
    // Same lock order as the intake: the conversation first, then reports.
    await convos.lockConversation(tx, conversation.id);
    return fileReport(tx, ctx, {
      conversation: { ...conversation, locale: input.locale },
      draft: input.draft,
      questions: 0,
    });
  });
  ctx.onOutbox();
  return report;
}

/** The outbox sender of the API channel: the client polls, so a queued update is delivered as is. */
export const apiChannelSender: Sender = async (row) => ({ ok: true, providerMessageId: `api-${row.id}` });
