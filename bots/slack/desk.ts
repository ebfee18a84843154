/**
 * The officers' desk: a Bolt `App` in HTTP mode behind {@link FastifyReceiver}. Buttons on a
 * report's root message open modals (or act at once for Terima / Lanjutkan); a thread message
 * starting with `!balas` goes to the citizen, every other thread message is an internal note;
 * `/lapor <tracking id>` shows status and history. Who may act: members of the channel that
 * serves the report's agency (officer role) or of the national admin channel (admin role).
 * An action drawn for an agency that no longer has the report is refused with an ephemeral
 * message. Everything that changes a report goes through core's `actOnReport`, in one
 * transaction with the desk's own confirmation line.
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
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../core/config/index.ts';
import { isLaporError, type LaporError } from '../../core/errors.ts';
import { recordRejection } from '../../core/intake/rejections.ts';
import { IllegalTransitionError, type LifecycleAction, STATUS_LABELS } from '../../core/lifecycle/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { Sender } from '../../core/outbox/dispatcher.ts';
import type { CoreContext } from '../../core/reports/context.ts';
import { deskChannelFor } from '../../core/reports/notify.ts';
import { type Actor, actOnReport, type OfficerAction } from '../../core/reports/service.ts';
import * as outbox from '../../core/store/repos/outbox.ts';
import type { ReportRow } from '../../core/store/repos/reports.ts';
import * as reports from '../../core/store/repos/reports.ts';
import { findTrackingIdIn, normalizeTrackingId } from '../../core/tracking-id/index.ts';
import { loadCard, loadReportWithDesk, roleOfChannel } from './data.ts';
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
  type SentKind,
  slackToPlain,
  statusAndHistoryBlocks,
} from './render.ts';
import { createDeskSender, type DeskSentInstruction } from './sender.ts';

export interface SlackDeskOptions {
  /** `config.slack`: signing secret, bot token, Web API URL (tests), admin channel. */
  slack: NonNullable<Config['slack']>;
  ctx: CoreContext;
  logger: Logger;
  /** Route for events, interactivity, options and commands (default `/slack/events`). */
  path?: string;
  /** See {@link FastifyReceiver}: answer Slack after listeners finished (default) or at ack. */
  processBeforeResponse?: boolean;
}

/** The desk as the service wires it: HTTP routes, the outbox sender for 'slack', shutdown. */
export interface SlackDesk {
  /** Fastify plugin with the Slack request route. */
  readonly routes: FastifyPluginAsync;
  /** Outbox sender for rows of channel 'slack'. */
  readonly send: Sender;
  /** The Bolt app (for tests and extensions). */
  readonly app: App;
  /** One line for the start-up banner. */
  describe(): string;
  /** Waits for Slack requests still being processed. */
  stop(): Promise<void>;
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

const ACTION_LABELS: Partial<Record<LifecycleAction, string>> = {
  accept: 'Terima',
  request_info: 'Minta info',
  follow_up: 'Balas ke pelapor',
  forward: 'Teruskan',
  resolve: 'Selesai',
  postpone: 'Tunda',
  resume: 'Lanjutkan',
};

/** What an officer reads when core refuses an action. */
export function explainRefusal(error: LaporError): string {
  if (error instanceof IllegalTransitionError) {
    const possible = error.allowed.map((a) => ACTION_LABELS[a]).filter(Boolean);
    return `⛔ Tindakan ini tidak bisa dilakukan pada status "${STATUS_LABELS[error.from].id}".${
      possible.length ? ` Yang bisa dilakukan: ${possible.join(', ')}.` : ''
    }`;
  }
  switch (error.code) {
    case 'LAPOR_ERR_REPORT_MOVED':
      return `⛔ ${error.message} Tindakan Anda tidak dijalankan; laporan ditangani di kanal instansi tersebut.`;
    case 'LAPOR_ERR_UNKNOWN_AGENCY':
    case 'LAPOR_ERR_BAD_REQUEST':
      return `⛔ ${error.message}`;
    default:
      return '⛔ Terjadi kesalahan. Silakan coba lagi.';
  }
}

type Gate =
  | { ok: true; actor: Actor; report: ReportRow; deskChannel: string }
  | { ok: false; message: string };

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
  const { slack, ctx, logger } = options;
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
    onRejected: (reason) => recordRejection(ctx, 'slack', reason),
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

  async function isMember(channel: string, user: string): Promise<boolean> {
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 100; page++) {
        const result = await client.conversations.members({
          channel,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        if (result.members?.includes(user)) return true;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return false;
      }
    } catch (error) {
      logger.warn({ err: error, channel }, 'conversations.members failed; treating as not a member');
    }
    return false;
  }

  async function ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    try {
      await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (error) {
      logger.warn({ err: error, channel }, 'chat.postEphemeral failed');
    }
  }

  /**
   * Who may act on a report from `channel`: a member of the admin channel acting there is an
   * admin; a member of the channel serving the report's agency is its officer. `expectedAgency`
   * is the agency the message was drawn for: if the report has moved on, the action is refused.
   * `member` skips the membership lookup (Slack only lets members post in a channel).
   */
  async function gate(
    reportId: string,
    expectedAgency: string,
    channel: string,
    user: string,
    member = false,
  ): Promise<Gate> {
    const found = await loadReportWithDesk(ctx, reportId);
    if (!found) return { ok: false, message: '⛔ Laporan tidak ditemukan.' };
    const { report, deskChannel, agencyName } = found;
    if (report.agencyCode !== expectedAgency) {
      return {
        ok: false,
        message: `⛔ Laporan ${report.trackingId} sudah diteruskan ke ${agencyName}. Tombol dan utas ini tidak berlaku lagi; tindak lanjut dilakukan di kanal instansi tersebut.`,
      };
    }
    if (channel === adminChannel && (member || (await isMember(adminChannel, user))))
      return { ok: true, actor: { role: 'admin', id: user }, report, deskChannel };
    if (channel === deskChannel && (member || (await isMember(deskChannel, user)))) {
      return {
        ok: true,
        actor: { role: 'officer', id: user, agencyCode: report.agencyCode },
        report,
        deskChannel,
      };
    }
    return {
      ok: false,
      message: `⛔ Hanya anggota kanal <#${deskChannel}> yang dapat menindaklanjuti laporan ${report.trackingId}.`,
    };
  }

  /**
   * Runs one action through core in a transaction, with the desk's confirmation of what went to
   * the citizen queued in the same transaction (and, for thread messages, the once-only record).
   */
  async function perform(
    g: Extract<Gate, { ok: true }>,
    action: OfficerAction,
    extra: { sent?: SentKind; text?: string; record?: { externalId: string; text: string } } = {},
  ): Promise<{ ok: true; duplicate: boolean } | { ok: false; error: LaporError }> {
    try {
      const duplicate = await ctx.db.prisma.$transaction(async (tx) => {
        if (extra.record) {
          const fresh = await reports.recordDeskMessage(tx, {
            reportId: g.report.id,
            externalId: extra.record.externalId,
            text: extra.record.text,
            at: ctx.clock(),
            data: { kind: extra.sent ? 'citizen_reply' : 'note', user: g.actor.id },
          });
          if (!fresh) return true;
        }
        const after = await actOnReport(tx, ctx, g.report.id, g.actor, action);
        if (extra.sent && extra.text) {
          const confirmation: DeskSentInstruction = {
            kind: 'desk_sent',
            reportId: after.id,
            sent: extra.sent,
            actorId: g.actor.id,
            text: extra.text,
          };
          await outbox.enqueue(tx, {
            channel: 'slack',
            address: after.slackChannel ?? g.deskChannel,
            payload: { ...confirmation },
            reportId: after.id,
          });
        }
        return false;
      });
      ctx.onOutbox();
      return { ok: true, duplicate };
    } catch (error) {
      if (isLaporError(error)) return { ok: false, error };
      throw error;
    }
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
      const done = await perform(g, { type: kind });
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
    const done = await perform(g, action, kind === 'forward' ? {} : { sent: kind, text });
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
      ? await ctx.db.prisma.$transaction((tx) =>
          reports.searchAgenciesByWords(tx, query, 30, meta?.a ? [meta.a, 'ADMIN'] : ['ADMIN']),
        )
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
    const report = await ctx.db.prisma.$transaction((tx) =>
      reports.findReportBySlackThread(tx, message.channel, message.thread_ts as string),
    );
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
        ? await perform(g, { type: 'note', text }, { record })
        : await perform(g, { type: 'reply', text: reply }, { sent: 'reply', text: reply, record });
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
    const found = await ctx.db.prisma.$transaction(async (tx) => {
      const report = await reports.findReportByTrackingId(tx, trackingId);
      if (!report) return null;
      return { report, deskChannel: (await deskChannelFor(tx, ctx, report.agencyCode)) ?? adminChannel };
    });
    if (!found) return { text: `Laporan ${trackingId} tidak ditemukan.` };
    const { report, deskChannel } = found;
    const allowed =
      (await isMember(deskChannel, command.user_id)) ||
      (deskChannel !== adminChannel && (await isMember(adminChannel, command.user_id)));
    if (!allowed)
      return {
        text: `⛔ Hanya anggota kanal instansi yang menangani laporan ${trackingId} atau kanal admin yang dapat melihatnya.`,
      };
    const { card, events, names } = await ctx.db.prisma.$transaction(async (tx) => {
      const card = await loadCard(tx, ctx, report, deskChannel);
      const events = await reports.listEvents(tx, report.id);
      const names = new Map<string, string>();
      for (const code of new Set(events.map((e) => e.agencyCode).filter((c): c is string => !!c))) {
        names.set(code, (await reports.findAgency(tx, code))?.name ?? code);
      }
      return { card, events, names };
    });
    return {
      text: `Laporan ${report.trackingId}: ${STATUS_LABELS[report.status].id}`,
      blocks: statusAndHistoryBlocks({ ...card, role: roleOfChannel(ctx, deskChannel) }, events, names),
    };
  }

  const send = createDeskSender({ client, ctx, logger });

  return {
    routes: receiver.routes,
    send,
    app,
    describe: () =>
      `slack: desk at POST ${options.path ?? SLACK_EVENTS_PATH} (events, interactivity, /lapor); admin channel ${adminChannel}`,
    stop: () => receiver.stop(),
  };
}
