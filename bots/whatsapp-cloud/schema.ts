/**
 * The shape of a WhatsApp Cloud API webhook as the adapter uses it
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks), checked item by item: one
 * bad message, status or error entry is refused with its reason and the others in the same
 * batch go on. Fields that only colour a message (the profile name) are dropped when they have
 * the wrong type; Meta's error details are kept only when they are strings. Unknown fields pass.
 */
import { z } from 'zod';
import { schemaReason } from '../../core/channel/schema-reason.ts';

/** Optional, and dropped rather than refused when it has the wrong type. */
const cosmetic = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const text = z.string().max(65_536);
const media = z.looseObject({
  id: z.string().min(1).max(1024),
  mime_type: cosmetic(z.string()),
  caption: text.optional(),
  voice: cosmetic(z.boolean()),
});

export const cloudMessageSchema = z.looseObject({
  from: z.string().min(1).max(32),
  id: z.string().min(1).max(256),
  timestamp: cosmetic(z.union([z.string(), z.number()])),
  type: z.string().max(64),
  text: z.looseObject({ body: text.optional() }).optional(),
  interactive: z
    .looseObject({
      type: cosmetic(z.string()),
      button_reply: z.looseObject({ id: z.string().max(256), title: cosmetic(z.string()) }).optional(),
      list_reply: z.looseObject({ id: z.string().max(256), title: cosmetic(z.string()) }).optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().max(256).optional(), text: cosmetic(z.string()) }).optional(),
  location: z
    .looseObject({
      latitude: z.coerce.number().min(-90).max(90),
      longitude: z.coerce.number().min(-180).max(180),
    })
    .optional(),
  image: media.optional(),
  video: media.optional(),
  audio: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
});

export const cloudErrorSchema = z.looseObject({
  code: cosmetic(z.number()),
  title: cosmetic(z.string().max(1000)),
  message: cosmetic(z.string().max(1000)),
  error_data: cosmetic(z.looseObject({ details: cosmetic(z.string().max(1000)) })),
});

export const cloudStatusSchema = z.looseObject({
  id: z.string().min(1).max(256),
  status: z.string().max(64),
  timestamp: cosmetic(z.union([z.string(), z.number()])),
  errors: cosmetic(z.array(cloudErrorSchema.catch({}))),
});

export const cloudContactSchema = z.looseObject({
  wa_id: z.string().max(32),
  profile: cosmetic(z.looseObject({ name: cosmetic(z.string()) })),
});

export const cloudEnvelopeSchema = z.looseObject({
  object: z.unknown(),
  entry: z.array(z.unknown()),
});

export type CloudMessage = z.infer<typeof cloudMessageSchema>;
export type CloudStatus = z.infer<typeof cloudStatusSchema>;
export type CloudError = z.infer<typeof cloudErrorSchema>;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Checks one item of a batch; the reason names the field, never its value. */
export function check<T>(schema: z.ZodType<T>, value: unknown, what: string): Checked<T> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: `${what}: ${schemaReason(result.error)}` };
}
