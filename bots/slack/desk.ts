/**
 * The officers' desk: a Bolt `App` in HTTP mode behind {@link FastifyReceiver}. Buttons on a
 * report's root message open modals (or act at once for Terima / Lanjutkan); a thread message
 * starting with `!balas` goes to the citizen, every other thread message is an internal note;
 * `/lapor <tracking id>` shows status and history. Who may act: members of the channel that
 * serves the report's agency (officer role) or of the national admin channel (admin role).
 * An action drawn for an agency that no longer has the report is refused with an ephemeral
 * message. Who may act, what an officer sees and what an action does are core's desk use cases
 * (core/desk/); this adapter keeps Bolt, Slack membership look-ups (cached) and Block Kit.
 */

import {
  App,
  type BlockAction,
  type Logger as BoltLogger,
  type ButtonAction,
  LogLevel,
  type SlashCommand,
  type ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { Config } from '../../core/config/index.ts';
import {
  type Authorisation,
  type Desk,
  type DeskChannel,
  explainRefusal,
  fill,
  OFFICER_LABELS,
  type OfficerAction,
  type Refusal,
} from '../../core/desk/index.ts';
import { STATUS_LABELS } from '../../core/lifecycle/index.ts';
import type { Logger } from '../../core/logger.ts';
import { findTrackingIdIn, normalizeTrackingId } from '../../core/tracking-id/index.ts';
import { FastifyReceiver, SLACK_EVENTS_PATH } from './receiver.ts';
import {
  ACTION_IDS,
  actionModal,
  agencyOption,
  type ButtonValue,
  CITIZEN_REPLY_PREFIX,
  citizenReplyText,
  MODAL_CALLBACK_IDS,
  MODAL_FIELDS,
  type ModalKind,
  type ModalMetadata,
  slackToPlain,
  statusAndHistoryBlocks,
} from './render.ts';
import { createDeskSender } from './sender.ts';

export interface SlackDeskOptions {
  /** `config.slack`: signing secret, bot token, Web API URL (tests), admin channel. */
  slack: NonNullable<Config['slack']>;
  /** Core's desk use cases. */
  desk: Desk;
  logger: Logger;
  /** How long a channel's member list is trusted (default 60 s). */
  membershipTtlMs?: number;
  /** Route for events, interactivity, options and commands (default `/slack/events`). */
  path?: string;
  /** See {@link FastifyReceiver}: answer Slack after listeners finished (default) or at ack. */
  processBeforeResponse?: boolean;
}

/** The desk as core wires it (the DeskChannel port), plus the Bolt app for tests and extensions. */
export interface SlackDesk extends DeskChannel {
  readonly kind: 'slack';
  /** The Bolt app (for tests and extensions). */
  readonly app: App;
}

/** Bolt's logger interface over pino. Debug output (request bodies) is dropped: it may hold personal data. */
function boltLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]) =>
    parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : '[object]')).join(' ');
  return {
    debug: () => {},
    info: (...parts) => logger.info(line(parts)),
    warn: (...parts) => logger.warn(line(parts)),
    error: (...parts) => logger.error(line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export { explainRefusal };

/** A refusal in the desk's words, with Slack's channel mention. */
function refusalText(refusal: Refusal): string {
  const labels = OFFICER_LABELS.refusals;
  switch (refusal.reason) {
    case 'notFound':
      return labels.notFound.id;
    case 'moved':
      return fill(labels.moved.id, { trackingId: refusal.trackingId, agency: refusal.agencyName });
    case 'notMember':
      return fill(labels.notMember.id, {
        trackingId: refusal.trackingId,
        channel: `<#${refusal.deskChannel}>`,
      });
  }
}

type Granted = Extract<Authorisation, { ok: true }>;

function parseJson<T>(raw: string | undefined): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

const BUTTON_KINDS: Record<string, ModalKind | 'accept' | 'resume'> = {
  [ACTION_IDS.accept]: 'accept',
  [ACTION_IDS.resume]: 'resume',
  [ACTION_IDS.requestInfo]: 'request_info',
  [ACTION_IDS.reply]: 'reply',
  [ACTION_IDS.forward]: 'forward',
  [ACTION_IDS.resolve]: 'resolve',
  [ACTION_IDS.postpone]: 'postpone',
};

/**
 * Builds the desk. Nothing listens until the service registers `routes` on its Fastify app and
 * the outbox sends through `send`.
 *
 * @example
 * ```ts
 * const desk = createSlackDesk({ slack: config.slack, ctx, logger });
 * plugins.push(desk.routes);
 * senders.set('slack', desk.send);
 * ```
 */
export function createSlackDesk(options: SlackDeskOptions): SlackDesk {
  const { slack, desk, logger } = options;
  const adminChannel = slack.adminChannel;
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: `${slack.apiUrl}/` } : {}),
    // The outbox retries with backoff and honours Retry-After; the client itself does not wait.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(logger),
  };
  const client = new webApi.WebClient(slack.botToken, clientOptions);
  const receiver = new FastifyReceiver({
    signingSecret: slack.signingSecret,
    logger,
    path: options.path ?? SLACK_EVENTS_PATH,
    onRejected: (reason) => desk.rejected('slack', reason),
    ...(options.processBeforeResponse !== undefined
      ? { processBeforeResponse: options.processBeforeResponse }
      : {}),
  });

  // auth.test once (lazily, retried after a failure) instead of at construction or per request.
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  const authorize = async () => {
    identity ??= client.auth.test().then((r) => ({
      ...(r.bot_id ? { botId: r.bot_id } : {}),
      ...(r.user_id ? { botUserId: r.user_id } : {}),
    }));
    try {
      return { botToken: slack.botToken, ...(await identity) };
    } catch (error) {
      identity = undefined;
      throw error;
    }
  };

  const app = new App({
    receiver,
    authorize,
    logger: boltLogger(logger),
    clientOptions,
  });

  // Member lists, cached for a short while: an officer pressing three buttons costs one look-up.
  const membershipTtlMs = options.membershipTtlMs ?? 60_000;
  const memberCache = new Map<string, { at: number; members: Promise<Set<string> | null> }>();

  async function fetchMembers(channel: string): Promise<Set<string> | null> {
    const members = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 100; page++) {
        const result = await client.conversations.members({
          channel,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        for (const member of result.members ?? []) members.add(member);
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return members;
    } catch (error) {
      logger.warn({ err: error, channel }, 'conversations.members failed; treating as not a member');
      return null;
    }
  }

  async function isMember(channel: string, user: string): Promise<boolean> {
    const now = Date.now();
    let entry = memberCache.get(channel);
    if (!entry || now - entry.at > membershipTtlMs) {
      entry = { at: now, members: fetchMembers(channel) };
      memberCache.set(channel, entry);
    }
    const members = await entry.members;
    if (!members) memberCache.delete(channel); // a failed look-up is not remembered
    return members?.has(user) ?? false;
  }

  async function ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    try {
      await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (error) {
      logger.warn({ err: error, channel }, 'chat.postEphemeral failed');
    }
  }

  /**
   * Who may act: core decides (core/desk), Slack tells whether the user is in a channel.
   * `member` skips the look-up (Slack only lets members post in a channel).
   */
  async function gate(
    reportId: string,
    expectedAgency: string,
    channel: string,
    user: string,
    member = false,
  ): Promise<Granted | { ok: false; message: string }> {
    const auth = await desk.authorise({
      reportId,
      expectedAgency,
      channel,
      user,
      isMember: async (c) => member || (await isMember(c, user)),
    });
    return auth.ok ? auth : { ok: false, message: refusalText(auth) };
  }

  // ---- buttons -------------------------------------------------------------------------

  app.action<BlockAction<ButtonAction>>(/^lapor_[a-z_]+$/, async ({ ack, body, action }) => {
    await ack();
    const kind = BUTTON_KINDS[action.action_id];
    const value = parseJson<ButtonValue>(action.value);
    const channel = body.channel?.id;
    const user = body.user.id;
    if (!kind || !value?.r || !value.a || !channel) return;
    const g = await gate(value.r, value.a, channel, user);
    if (!g.ok) return ephemeral(channel, user, g.message);
    if (kind === 'accept' || kind === 'resume') {
      const done = await desk.act(g, { type: kind });
      if (!done.ok) await ephemeral(channel, user, explainRefusal(done.error));
      return;
    }
    const metadata: ModalMetadata = { r: value.r, a: value.a, c: channel, k: kind };
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: actionModal(kind, g.report, metadata) });
    } catch (error) {
      // An expired trigger (over 3 s) or a Slack hiccup: the officer can simply press again.
      logger.warn({ err: error }, 'views.open failed');
      await ephemeral(channel, user, '⚠️ Formulir tidak dapat dibuka. Silakan tekan tombolnya sekali lagi.');
    }
  });

  // ---- modals --------------------------------------------------------------------------

  const MODAL_KIND_BY_CALLBACK = new Map(
    Object.entries(MODAL_CALLBACK_IDS).map(([kind, id]) => [id, kind as ModalKind]),
  );

  app.view<ViewSubmitAction>(/^lapor_modal_[a-z_]+$/, async ({ ack, body, view }) => {
    const kind = MODAL_KIND_BY_CALLBACK.get(view.callback_id);
    const meta = parseJson<ModalMetadata>(view.private_metadata);
    const user = body.user.id;
    if (!kind || !meta?.r || !meta.a || !meta.c) {
      await ack();
      return;
    }
    const values = view.state.values;
    const text = values[MODAL_FIELDS.text.block]?.[MODAL_FIELDS.text.action]?.value?.trim() ?? '';
    const agency =
      values[MODAL_FIELDS.agency.block]?.[MODAL_FIELDS.agency.action]?.selected_option?.value ?? '';
    const errors: Record<string, string> = {};
    if (!text) errors[MODAL_FIELDS.text.block] = 'Wajib diisi.';
    if (kind === 'forward' && !agency) errors[MODAL_FIELDS.agency.block] = 'Pilih instansi tujuan.';
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const g = await gate(meta.r, meta.a, meta.c, user);
    if (!g.ok) {
      await ack();
      await ephemeral(meta.c, user, g.message);
      return;
    }
    const action: OfficerAction =
      kind === 'forward' ? { type: 'forward', agencyCode: agency, reason: text } : { type: kind, text };
    const done = await desk.act(g, action, kind === 'forward' ? {} : { sent: kind, text });
    if (!done.ok) {
      const code = done.error.code;
      if (kind === 'forward' && (code === 'LAPOR_ERR_UNKNOWN_AGENCY' || code === 'LAPOR_ERR_BAD_REQUEST')) {
        await ack({
          response_action: 'errors',
          errors: { [MODAL_FIELDS.agency.block]: explainRefusal(done.error).replace(/^⛔ /, '') },
        });
        return;
      }
      await ack();
      await ephemeral(meta.c, user, explainRefusal(done.error));
      return;
    }
    await ack();
  });

  // ---- the agency menu of the forward modal --------------------------------------------

  app.options<'block_suggestion'>(MODAL_FIELDS.agency.action, async ({ ack, body }) => {
    const query = body.value.slice(0, 100);
    const meta = parseJson<ModalMetadata>(body.view?.private_metadata);
    const found = query.trim().length
      ? await desk.searchAgencies(query, meta?.a ? [meta.a, 'ADMIN'] : ['ADMIN'])
      : [];
    await ack({ options: found.map(agencyOption) });
  });

  // ---- thread messages: internal notes, `!balas` to the citizen --------------------------

  app.event('message', async ({ event, context }) => {
    const message = event as {
      subtype?: string;
      bot_id?: string;
      user?: string;
      channel: string;
      ts: string;
      thread_ts?: string;
      text?: string;
    };
    if (message.subtype && message.subtype !== 'file_share' && message.subtype !== 'thread_broadcast') return;
    if (message.bot_id || !message.user || message.user === context.botUserId) return;
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const text = slackToPlain(message.text ?? '').trim();
    const reply = citizenReplyText(text);
    const report = await desk.findByThread(message.channel, message.thread_ts);
    if (!report) {
      if (reply !== null)
        await ephemeral(
          message.channel,
          message.user,
          '⛔ Pesan tidak dikirim ke pelapor: utas ini bukan utas laporan yang aktif (laporan mungkin sudah diteruskan).',
          message.thread_ts,
        );
      return;
    }
    if (!text) return;
    if (reply === '') {
      await ephemeral(
        message.channel,
        message.user,
        `Tulis pesannya setelah \`${CITIZEN_REPLY_PREFIX}\`, misalnya: \`${CITIZEN_REPLY_PREFIX} Petugas kami akan memeriksa lokasi besok.\``,
        message.thread_ts,
      );
      return;
    }
    const g = await gate(report.id, report.agencyCode, message.channel, message.user, true);
    if (!g.ok) {
      await ephemeral(message.channel, message.user, g.message, message.thread_ts);
      return;
    }
    const record = { externalId: `${message.channel}:${message.ts}`, text };
    const done =
      reply === null
        ? await desk.act(g, { type: 'note', text }, { record })
        : await desk.act(g, { type: 'reply', text: reply }, { sent: 'reply', text: reply, record });
    if (!done.ok) {
      await ephemeral(
        message.channel,
        message.user,
        `${explainRefusal(done.error)}${reply !== null ? ' Pesan tidak dikirim ke pelapor.' : ''}`,
        message.thread_ts,
      );
    }
  });

  // ---- /lapor <tracking id> --------------------------------------------------------------

  app.command('/lapor', async ({ ack, command }) => {
    const answer = await statusAnswer(command);
    await ack({ response_type: 'ephemeral', ...answer });
  });

  async function statusAnswer(command: SlashCommand): Promise<{ text: string; blocks?: object[] }> {
    const input = command.text.trim();
    const trackingId = normalizeTrackingId(input) ?? findTrackingIdIn(input);
    if (!trackingId) return { text: 'Gunakan: `/lapor <nomor laporan>`, misalnya `/lapor LPR-7KQ-9M4-XTW`.' };
    const view = await desk.authoriseView(trackingId, (channel) => isMember(channel, command.user_id));
    if (!view.ok) {
      if (view.reason === 'notFound') return { text: `Laporan ${trackingId} tidak ditemukan.` };
      return { text: fill(OFFICER_LABELS.refusals.notMemberView.id, { trackingId }) };
    }
    const { report, deskChannel } = view;
    const card = await desk.card(report, deskChannel);
    const { events, agencyNames } = await desk.history(report);
    return {
      text: `Laporan ${report.trackingId}: ${STATUS_LABELS[report.status].id}`,
      blocks: statusAndHistoryBlocks(card, events, agencyNames),
    };
  }

  const send = createDeskSender({ client, desk, logger });

  return {
    kind: 'slack',
    routes: receiver.routes,
    send,
    app,
    describe: () =>
      `slack: officer desk at POST ${options.path ?? SLACK_EVENTS_PATH} (HTTP mode), admin channel ${adminChannel}`,
    stop: () => receiver.stop(),
  };
}
