/**
 * The shape of an SMS gateway's inbound webhook, checked once its signature is: Twilio-style
 * forms (`MessageSid`, `From`, `Body`, `NumMedia`, `MediaUrl<n>`) and the JSON gateways' body
 * `{ id, from, text, receivedAt? }`. A signed request of the wrong shape is refused with a
 * reason naming the field (never its value).
 *
 * GSM 03.38 encodes `@` as 0x00, and some gateways pass that byte through as U+0000; PostgreSQL
 * refuses NUL, so in an SMS it is read back as the `@` the sender typed.
 */
import { z } from 'zod';
import { schemaReason } from '../../core/channel/schema-reason.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: GSM-7 '@' arrives as NUL
const GSM_AT = /\u0000/g;

/** SMS text: NUL as the GSM-7 `@` it stands for. */
const smsText = z
  .string()
  .max(100_000)
  .transform((text) => text.replace(GSM_AT, '@'));

export const jsonSmsSchema = z.looseObject({
  id: z.union([z.string().min(1).max(256), z.number().int().safe()]).transform(String),
  from: z.string().min(1).max(64),
  text: smsText,
  receivedAt: z.union([z.string().max(64), z.number(), z.null()]).optional(),
});

export type JsonSms = z.infer<typeof jsonSmsSchema>;

const twilioSchema = z.object({
  MessageSid: z.string().min(1).max(256),
  From: z.string().min(1).max(64),
  Body: smsText,
  NumMedia: z.coerce.number().int().min(0).max(10).catch(0),
});

export type TwilioSms = z.infer<typeof twilioSchema>;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseJsonSms(body: unknown): Checked<JsonSms> {
  const result = jsonSmsSchema.safeParse(body);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: schemaReason(result.error) };
}

export function parseTwilioForm(params: URLSearchParams): Checked<TwilioSms> {
  const result = twilioSchema.safeParse({
    MessageSid: params.get('MessageSid') ?? params.get('SmsMessageSid') ?? undefined,
    From: params.get('From') ?? undefined,
    Body: params.get('Body') ?? '',
    NumMedia: params.get('NumMedia') ?? 0,
  });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: schemaReason(result.error) };
}
