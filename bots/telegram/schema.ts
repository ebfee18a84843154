/**
 * The shape of a Telegram update as the adapter uses it, checked before anything else sees it
 * (https://core.telegram.org/bots/api#update). Fields the adapter relies on must have the right
 * type, or the update is refused with a reason (the webhook still answers 200: Telegram would
 * otherwise redeliver it forever). Fields that only colour the message (the sender's first
 * name, language code) are dropped when they have the wrong type. Unknown fields pass through.
 */
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { schemaReason } from '../../core/channel/schema-reason.ts';

const id = z.number().int().safe();
const fileId = z.string().min(1).max(1024);

/** Optional, and dropped rather than refused when it has the wrong type. */
const cosmetic = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const user = z.looseObject({
  id,
  is_bot: cosmetic(z.boolean()),
  first_name: cosmetic(z.string()),
  language_code: cosmetic(z.string().max(35)),
});

const chat = z.looseObject({ id, type: z.string() });

const file = z.looseObject({ file_id: fileId, mime_type: cosmetic(z.string()) });

const message = z.looseObject({
  message_id: id,
  chat,
  from: cosmetic(user),
  date: cosmetic(z.number()),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z
    .array(z.looseObject({ file_id: fileId, width: z.number(), height: z.number() }))
    .max(50)
    .optional(),
  location: z
    .looseObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional(),
  sticker: file.optional(),
  voice: file.optional(),
  audio: file.optional(),
  video: file.optional(),
  video_note: file.optional(),
  animation: file.optional(),
  document: file.optional(),
  contact: z.looseObject({ phone_number: z.string().min(1).max(64) }).optional(),
});

const callbackQuery = z.looseObject({
  id: z.string().min(1).max(256),
  from: user,
  data: z.string().max(256).optional(),
  message: z.looseObject({ message_id: id, chat }).optional(),
});

export const updateSchema = z.looseObject({
  update_id: z.number().int().min(0).safe(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

export type ParsedUpdate = { ok: true; update: Update } | { ok: false; reason: string };

/** Checks an update; see the module comment. */
export function parseUpdate(body: unknown): ParsedUpdate {
  const result = updateSchema.safeParse(body);
  if (!result.success) return { ok: false, reason: schemaReason(result.error) };
  return { ok: true, update: result.data as unknown as Update };
}
