/**
 * The Telegram channel adapter: grammY underneath, {@link ChannelAdapter} on top.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Bot, BotError, type Context } from 'grammy';
import type { CallbackQuery, UserFromGetMe } from 'grammy/types';
import pino, { type Logger } from 'pino';
import type {
  ChannelAdapter,
  InboundHandler,
  OutboundMessage,
  RejectionHandler,
  SendResult,
} from '../../core/channel/port.ts';
import { ChatQueue } from './chat-queue.ts';
import { AdapterStoppedError, describeError, toFailedSend, tokenRedactor } from './errors.ts';
import { chatKeyOf, TELEGRAM_ALLOWED_UPDATES, toInbound } from './inbound.ts';
import { buildInlineKeyboard, checkChoices, splitText } from './outbound.ts';
import { LongPoller } from './polling.ts';
import { DEFAULT_RATE_LIMIT, OutgoingRateLimiter, type RateLimitConfig } from './rate-limit.ts';
import { parseUpdate } from './schema.ts';
import { createWebhookRoutes, TELEGRAM_WEBHOOK_PATH } from './webhook.ts';

/** How to reach Telegram. */
export interface TelegramConfig {
  /** Bot token from @BotFather. Never logged. */
  token: string;
  /** `polling`: the adapter fetches updates itself. `webhook`: Telegram POSTs to {@link TELEGRAM_WEBHOOK_PATH}. */
  mode: 'polling' | 'webhook';
  /** Required in webhook mode: compared with the `X-Telegram-Bot-Api-Secret-Token` header (1-256 of `A-Za-z0-9_-`). */
  webhookSecret?: string;
  /**
   * Webhook mode: the public HTTPS URL of {@link TELEGRAM_WEBHOOK_PATH}. When set, `start()`
   * registers it with setWebhook (with the secret); otherwise register it yourself.
   */
  webhookUrl?: string;
  /** Bot API root, default https://api.telegram.org; tests point it at the fake. */
  apiRoot?: string;
  /** Skips getMe at start (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Outgoing limits; default 1 message/s per chat and 30/s overall. `false` switches limiting off. */
  rateLimit?: RateLimitConfig | false;
  /** Polling mode: seconds one getUpdates waits for news (default 30). */
  pollingTimeoutSeconds?: number;
}

/** A {@link ChannelAdapter} for Telegram, plus the webhook route for the HTTP app. */
export interface TelegramAdapter extends ChannelAdapter {
  readonly kind: 'telegram';
  /**
   * Fastify plugin mounting `POST /webhooks/telegram` in webhook mode (nothing in polling
   * mode). The app registers it (`app.register(adapter.routes)`); it never listens itself.
   */
  routes: FastifyPluginAsync;
}

/**
 * Creates a Telegram adapter. Nothing touches the network until `start()`.
 *
 * - Inbound: each message or button press becomes one {@link InboundMessage} (see
 *   `toInbound`), handled sequentially per chat and concurrently across chats. Its
 *   `externalId` is `msg:<chat>:<message_id>` or `cbq:<callback id>`, stable across
 *   re-deliveries. Button presses are acknowledged at once and their keyboard removed.
 * - Outbound: `send()` renders choices as an inline keyboard and splits texts over 4096
 *   characters; provider errors come back as a failed {@link SendResult}, never thrown.
 *
 * @example
 * ```ts
 * const telegram = createTelegramAdapter(
 *   { token: env.TELEGRAM_TOKEN, mode: 'webhook', webhookSecret: env.TELEGRAM_SECRET },
 *   { logger },
 * );
 * await app.register(telegram.routes);
 * await telegram.start({ onInbound: (inbound) => core.receive(inbound) });
 * await telegram.send({ address: '12345', text: 'Apakah laporan ini sudah benar?',
 *   choices: [{ id: 'yes', label: 'Ya' }, { id: 'no', label: 'Tidak' }] });
 * ```
 */
export function createTelegramAdapter(
  config: TelegramConfig,
  options: { logger?: Logger } = {},
): TelegramAdapter {
  validateConfig(config);
  const redact = tokenRedactor(config.token);
  const describe = (error: unknown) => describeError(error instanceof BotError ? error.error : error, redact);
  // The composition root passes a logger already tagged with the channel; none given: silent.
  const logger = options.logger ?? pino({ level: 'silent' });

  const bot = new Bot(config.token, {
    ...(config.botInfo ? { botInfo: config.botInfo } : {}),
    client: { ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}) },
  });
  const limiter =
    config.rateLimit === false ? undefined : new OutgoingRateLimiter(config.rateLimit ?? DEFAULT_RATE_LIMIT);
  if (limiter) bot.api.config.use(limiter.transformer());

  const queue = new ChatQueue();
  let onInbound: InboundHandler | undefined;
  let onRejected: RejectionHandler | undefined;
  let started = false;
  let stopped = false;
  let poller: LongPoller | undefined;

  bot.use(async (ctx) => {
    const handler = onInbound;
    if (!handler) throw new Error('telegram adapter received an update before start()');
    const inbound = toInbound(ctx.update, { botUsername: ctx.me.username });
    if (!inbound) return;
    const acknowledged = ctx.callbackQuery ? acknowledgePress(ctx, ctx.callbackQuery) : undefined;
    try {
      await handler(inbound);
    } finally {
      await acknowledged;
    }
  });

  /** Answers the press (stops the spinner) and removes the keyboard so it can't be pressed twice. */
  async function acknowledgePress(ctx: Context, query: CallbackQuery): Promise<void> {
    const message = query.message;
    await Promise.all([
      ctx.api.answerCallbackQuery(query.id).catch((error: unknown) => {
        logger.warn({ err: describe(error) }, 'answerCallbackQuery failed');
      }),
      message
        ? ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id).catch((error: unknown) => {
            // "message is not modified" (already removed) or too old: harmless.
            logger.debug({ err: describe(error) }, 'could not remove inline keyboard');
          })
        : undefined,
    ]);
  }

  /**
   * Handles one update in its chat's queue; rejects when the handler failed. An update of the
   * wrong shape is recorded as rejected and resolves: it is acknowledged, never redelivered.
   */
  async function handleUpdate(raw: unknown): Promise<void> {
    const parsed = parseUpdate(raw);
    if (!parsed.ok) {
      logger.warn({ reason: parsed.reason }, 'telegram update rejected');
      await onRejected?.({ channel: 'telegram', reason: parsed.reason });
      return;
    }
    const update = parsed.update;
    return queue.run(chatKeyOf(update), () => bot.handleUpdate(update));
  }

  const routes: FastifyPluginAsync =
    config.mode === 'webhook'
      ? createWebhookRoutes({
          secretToken: config.webhookSecret!,
          logger,
          describeError: describe,
          handleUpdate: async (update) => {
            if (!onInbound || stopped) return false;
            await handleUpdate(update);
            return true;
          },
        })
      : async () => {};

  async function sendMessage(message: OutboundMessage): Promise<SendResult> {
    const choices = message.choices ?? [];
    const invalid = checkChoices(choices);
    if (invalid) return { ok: false, error: invalid, retryable: false };
    if (message.text.trim() === '') return { ok: false, error: 'message text is empty', retryable: false };
    const parts = splitText(message.text);
    const keyboard = choices.length > 0 ? buildInlineKeyboard(choices) : undefined;
    let lastId: number | undefined;
    for (const [index, part] of parts.entries()) {
      const isLast = index === parts.length - 1;
      try {
        const sent = await bot.api.sendMessage(
          message.address,
          part,
          isLast && keyboard ? { reply_markup: keyboard } : undefined,
        );
        lastId = sent.message_id;
      } catch (error) {
        const failed = toFailedSend(error, redact);
        if (index > 0) failed.error = `${failed.error} (after ${index} of ${parts.length} parts were sent)`;
        logger.warn({ err: describe(error), retryable: failed.retryable }, 'telegram send failed');
        return failed;
      }
    }
    return { ok: true, ...(lastId !== undefined ? { providerMessageId: String(lastId) } : {}) };
  }

  return {
    kind: 'telegram',
    routes,

    async start({ onInbound: handler, onRejected: rejected }) {
      if (started) throw new Error('telegram adapter already started');
      if (stopped) throw new Error('telegram adapter was stopped; create a new one');
      started = true;
      try {
        if (!bot.isInited()) await bot.init();
        if (config.mode === 'webhook') {
          if (config.webhookUrl) {
            await bot.api.setWebhook(config.webhookUrl, {
              secret_token: config.webhookSecret!,
              allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
            });
          }
        } else {
          // getUpdates answers 409 while a webhook is set: switch Telegram to polling first.
          await bot.api.deleteWebhook();
        }
      } catch (error) {
        started = false;
        // A fresh error: grammY's HttpError keeps the raw fetch error, whose message holds the URL with the token.
        const { method, code, message } = describe(error);
        throw new Error(`telegram: could not start: ${[method, code, message].filter(Boolean).join(' ')}`);
      }
      if (stopped) return; // stop() was called while we were starting
      onInbound = handler;
      onRejected = rejected;
      if (config.mode === 'webhook') {
        logger.info({ username: bot.botInfo.username }, 'telegram webhook ready');
        return;
      }
      poller = new LongPoller(bot.api, {
        timeoutSeconds: config.pollingTimeoutSeconds ?? 30,
        allowedUpdates: TELEGRAM_ALLOWED_UPDATES,
        logger,
        redact,
        handleBatch: async (updates) => {
          await Promise.all(
            updates.map((update) =>
              handleUpdate(update).catch((error: unknown) => {
                // Like bot.catch: log and carry on; the loop must survive a failing handler.
                logger.error(
                  { updateId: update.update_id, err: describe(error) },
                  'telegram update could not be handled; skipped',
                );
              }),
            ),
          );
        },
      });
      poller.start();
      logger.info({ username: bot.botInfo.username }, 'telegram long polling started');
    },

    async send(message) {
      if (stopped) return toFailedSend(new AdapterStoppedError(), redact);
      return sendMessage(message);
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      limiter?.close();
      await poller?.stop();
      await queue.idle();
    },

    describe() {
      const who = bot.isInited() ? `@${bot.botInfo.username}` : '(bot not initialised yet)';
      return config.mode === 'webhook'
        ? `telegram: webhook at POST ${TELEGRAM_WEBHOOK_PATH} as ${who}`
        : `telegram: long polling as ${who}`;
    },
  };
}

function validateConfig(config: TelegramConfig): void {
  if (!config.token) throw new Error('telegram: token is required');
  if (config.mode !== 'polling' && config.mode !== 'webhook') {
    throw new Error(`telegram: mode must be 'polling' or 'webhook'`);
  }
  if (config.mode === 'webhook') {
    if (!config.webhookSecret) throw new Error('telegram: webhookSecret is required in webhook mode');
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(config.webhookSecret)) {
      throw new Error('telegram: webhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    }
  }
}
