/**
 * Telegram update -> {@link InboundMessage}. Pure functions, no I/O.
 */
import type { Message, Update } from 'grammy/types';
import type { InboundMessage, MediaRef } from '../../core/channel/port.ts';

/** Update types the adapter asks Telegram for (polling `allowed_updates`, webhook registration). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * The idempotency key of an update, stable when Telegram re-delivers it:
 * `msg:<chat_id>:<message_id>` for messages (message ids are unique and never reused in a
 * chat) and `cbq:<callback_query.id>` for button presses (globally unique).
 *
 * `update_id` is deliberately not used: Telegram re-seeds it randomly after a week without
 * updates, so a quiet bot could see an old id again and core would drop a new message as a
 * duplicate.
 */
export function externalIdOf(update: Update): string | undefined {
  if (update.message) return `msg:${update.message.chat.id}:${update.message.message_id}`;
  if (update.callback_query) return `cbq:${update.callback_query.id}`;
  return undefined;
}

/**
 * The key that serialises handling per conversation: the chat id for messages and button
 * presses, or the update id for anything else (handled independently).
 */
export function chatKeyOf(update: Update): string {
  const chatId =
    update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  return chatId === undefined ? `update:${update.update_id}` : String(chatId);
}

/**
 * Converts an update to an inbound message, or returns undefined for updates the intake
 * does not handle (edits, service messages, commands addressed to another bot, ...).
 *
 * - text and commands: `text` as typed, with a `@<botUsername>` suffix removed from the command;
 * - photo: `media: [{ kind: 'photo', ref: <file_id of the largest size> }]`, caption as `text`;
 * - location (and venue): `location`;
 * - sticker, voice, audio, video, video_note, animation, document, contact: `media` of that
 *   kind (the contact's ref is its phone number), caption as `text` where there is one;
 * - button press: `choice` = callback data.
 */
export function toInbound(
  update: Update,
  options: { botUsername: string; receivedAt?: Date },
): InboundMessage | undefined {
  const receivedAt = options.receivedAt ?? new Date();
  const externalId = externalIdOf(update);
  if (externalId === undefined) return undefined;

  const query = update.callback_query;
  if (query) {
    if (query.data === undefined) return undefined; // game buttons carry no data
    const chat = query.message?.chat;
    return withPerson(
      {
        channel: 'telegram',
        address: String(chat?.id ?? query.from.id),
        externalId,
        choice: query.data,
        receivedAt,
      },
      query.from,
      chat === undefined || chat.type === 'private',
    );
  }

  const message = update.message;
  if (!message) return undefined;
  const content = contentOf(message, options.botUsername);
  if (content === undefined) return undefined;
  return withPerson(
    {
      channel: 'telegram',
      address: String(message.chat.id),
      externalId,
      ...content,
      receivedAt,
    },
    message.from,
    message.chat.type === 'private',
  );
}

type Content = Pick<InboundMessage, 'text' | 'location' | 'media'>;

function contentOf(message: Message, botUsername: string): Content | undefined {
  if (message.text !== undefined) {
    const text = normaliseCommand(message.text, botUsername);
    return text === undefined ? undefined : { text };
  }
  const caption = message.caption !== undefined && message.caption !== '' ? { text: message.caption } : {};
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo.reduce((best, size) =>
      size.width * size.height > best.width * best.height ? size : best,
    );
    return { ...caption, media: [{ kind: 'photo', ref: largest.file_id }] };
  }
  if (message.location) {
    return { location: { lat: message.location.latitude, lon: message.location.longitude } };
  }
  const media = mediaOf(message);
  return media ? { ...caption, media: [media] } : undefined;
}

function mediaOf(message: Message): MediaRef | undefined {
  const file = (kind: string, ref: string, mimeType?: string): MediaRef =>
    mimeType === undefined ? { kind, ref } : { kind, ref, mimeType };
  if (message.sticker) return file('sticker', message.sticker.file_id);
  if (message.voice) return file('voice', message.voice.file_id, message.voice.mime_type);
  if (message.audio) return file('audio', message.audio.file_id, message.audio.mime_type);
  if (message.video_note) return file('video_note', message.video_note.file_id);
  if (message.video) return file('video', message.video.file_id, message.video.mime_type);
  // An animation (GIF) also carries a `document` field; check it first.
  if (message.animation) return file('animation', message.animation.file_id, message.animation.mime_type);
  if (message.document) return file('document', message.document.file_id, message.document.mime_type);
  if (message.contact) return file('contact', message.contact.phone_number);
  return undefined;
}

/**
 * `/status@lapor_bot ABC` -> `/status ABC`. A command addressed to another bot (in a group)
 * yields undefined. Plain text passes through untouched.
 */
export function normaliseCommand(text: string, botUsername: string): string | undefined {
  const match = /^(\/[A-Za-z0-9_]+)@([A-Za-z0-9_]+)(?=\s|$)/.exec(text);
  if (!match) return text;
  if (match[2]!.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return match[1]! + text.slice(match[0].length);
}

function withPerson(
  message: InboundMessage,
  from: { first_name: string; language_code?: string } | undefined,
  isPrivateChat: boolean,
): InboundMessage {
  if (!from) return message;
  // In groups the sender is not the conversation: keep the name out of it.
  if (isPrivateChat && from.first_name) message.displayName = from.first_name;
  if (from.language_code) message.localeHint = from.language_code;
  return message;
}
