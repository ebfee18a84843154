/**
 * Telegram channel: the public surface of `bots/telegram/`. Everything else in this folder
 * is internal.
 *
 * - For the app: {@link createTelegramAdapter}, its config and {@link TELEGRAM_WEBHOOK_PATH}.
 * - For tests and tools: the pure payload mappers ({@link toInbound}, {@link splitText},
 *   {@link buildInlineKeyboard}).
 *
 * @example
 * ```ts
 * import { createTelegramAdapter } from '../bots/telegram/index.ts';
 * const telegram = createTelegramAdapter({ token, mode: 'polling' }, { logger });
 * await telegram.start((inbound) => core.receive(inbound));
 * console.log(telegram.describe()); // telegram: long polling as @lapor_bot
 * ```
 */
export { createTelegramAdapter, type TelegramAdapter, type TelegramConfig } from './adapter.ts';
export { externalIdOf, normaliseCommand, TELEGRAM_ALLOWED_UPDATES, toInbound } from './inbound.ts';
export {
  buildInlineKeyboard,
  checkChoices,
  splitText,
  TELEGRAM_CALLBACK_DATA_LIMIT,
  TELEGRAM_TEXT_LIMIT,
} from './outbound.ts';
export { DEFAULT_RATE_LIMIT, type RateLimitConfig } from './rate-limit.ts';
export { TELEGRAM_WEBHOOK_PATH } from './webhook.ts';
