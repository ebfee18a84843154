/**
 * {@link OutboundMessage} -> Telegram payloads. Pure functions, no I/O.
 */

import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Choice } from '../../core/channel/port.ts';
import { splitAtLimit } from '../shared/split.ts';

/** Telegram's maximum message length (UTF-16 code units, i.e. JavaScript string length). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's maximum `callback_data` size in bytes (UTF-8). */
export const TELEGRAM_CALLBACK_DATA_LIMIT = 64;
/** Labels longer than this get a row of their own; shorter ones share rows of up to three. */
const SHORT_LABEL = 20;
const MAX_PER_ROW = 3;

/** Splits text into Telegram-sized parts (see bots/shared/split.ts). */
export const splitText = (text: string, limit = TELEGRAM_TEXT_LIMIT): string[] => splitAtLimit(text, limit);

/**
 * Why these choices cannot become Telegram buttons, or undefined when they can: every id
 * must be 1..64 bytes of UTF-8 (`callback_data`) and every label non-empty.
 */
export function checkChoices(choices: readonly Choice[]): string | undefined {
  for (const choice of choices) {
    const bytes = Buffer.byteLength(choice.id, 'utf8');
    if (bytes === 0) return 'choice id is empty (Telegram callback_data needs 1-64 bytes)';
    if (bytes > TELEGRAM_CALLBACK_DATA_LIMIT) {
      return `choice id "${choice.id.slice(0, 20)}…" is ${bytes} bytes; Telegram callback_data allows at most ${TELEGRAM_CALLBACK_DATA_LIMIT}`;
    }
    if (choice.label.trim() === '') return `choice "${choice.id}" has an empty label`;
  }
  return undefined;
}

/**
 * An inline keyboard with one button per choice (`callback_data` = choice id). If any label
 * is long, every button gets its own row (easier to read on a phone); otherwise buttons share
 * evenly filled rows of up to three ("Ya | Tidak").
 */
export function buildInlineKeyboard(choices: readonly Choice[]): InlineKeyboardMarkup {
  const buttons = choices.map((c) => ({ text: c.label, callback_data: c.id }));
  const anyLong = choices.some((c) => c.label.length > SHORT_LABEL);
  if (anyLong) return { inline_keyboard: buttons.map((b) => [b]) };
  const rowCount = Math.ceil(buttons.length / MAX_PER_ROW);
  const perRow = Math.ceil(buttons.length / rowCount);
  const rows: (typeof buttons)[] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return { inline_keyboard: rows };
}
