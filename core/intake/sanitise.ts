/**
 * Makes an inbound message safe to store, whatever channel it came from. Adapters validate the
 * provider's payload shape (bots/<channel>/schema.ts); this is the shared last step before the
 * database, so no field can make PostgreSQL (or the dialog) fail:
 *
 * - NUL (U+0000) is removed: PostgreSQL refuses it in `text` and `jsonb`;
 * - lone UTF-16 surrogates become U+FFFD: `jsonb` refuses an unpaired `\ud800` escape;
 * - texts are cut at a maximum length, names and hints shorter still;
 * - a `receivedAt` outside [2000-01-01, now + 1 day] (1e20, -1e20, NaN) becomes the server time;
 * - optional fields of the wrong type (a number as language hint, an object as name) are dropped;
 * - a message without a usable address or provider id is refused with the reason.
 *
 * Written by hand: it is a few lines of policy over our own port type, not a parsing problem.
 *
 * @example
 * ```ts
 * const clean = sanitiseInbound(message, new Date());
 * if (!clean.ok) await recordRejection(ctx, message.channel, clean.reason);
 * ```
 */
import type { InboundMessage, MediaRef } from '../channel/port.ts';

/** Longest text kept from one message (several Telegram or WhatsApp messages' worth). */
export const MAX_TEXT = 8_000;
export const MAX_NAME = 128;
const MAX_ID = 256;
const MAX_MEDIA = 10;
const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must go
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string PostgreSQL stores as given: no NUL, no lone surrogate, at most `max` characters. */
export function cleanText(value: string, max = MAX_TEXT): string {
  let out = value.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
  if (out.length > max) {
    out = out.slice(0, max);
    // Do not end on the first half of a pair.
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}

/** A string field, cleaned, or undefined when it is not a string (or empty after cleaning). */
export function optionalText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const out = cleanText(value, max);
  return out === '' ? undefined : out;
}

/** The given time when it is a plausible receipt time, else `now`. */
export function clampTimestamp(value: unknown, now: Date): Date {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > now.getTime() + DAY_MS) return now;
  return new Date(ms);
}

/** A provider timestamp in seconds (string or number) as a Date, clamped like {@link clampTimestamp}. */
export function dateFromSeconds(value: unknown, now: Date): Date {
  const seconds = typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
  return clampTimestamp(Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined, now);
}

export type SanitisedInbound = { ok: true; message: InboundMessage } | { ok: false; reason: string };

function cleanMedia(value: unknown): MediaRef[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const media: MediaRef[] = [];
  for (const item of value.slice(0, MAX_MEDIA)) {
    const kind = optionalText((item as MediaRef | null)?.kind, 32);
    const ref = optionalText((item as MediaRef | null)?.ref, 1024);
    if (!kind || !ref) continue;
    const mimeType = optionalText((item as MediaRef).mimeType, 128);
    media.push(mimeType ? { kind, ref, mimeType } : { kind, ref });
  }
  return media.length ? media : undefined;
}

function cleanLocation(value: unknown): InboundMessage['location'] {
  const loc = value as { lat?: unknown; lon?: unknown } | null | undefined;
  const lat = loc?.lat;
  const lon = loc?.lon;
  if (typeof lat !== 'number' || typeof lon !== 'number') return undefined;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return undefined;
  return { lat, lon };
}

/** See the module comment. Never throws, whatever the object holds. */
export function sanitiseInbound(message: InboundMessage, now: Date): SanitisedInbound {
  const raw = message as unknown as Record<string, unknown>;
  const address = optionalText(raw.address, MAX_ID);
  if (!address) return { ok: false, reason: 'no usable sender address' };
  const externalId = optionalText(raw.externalId, MAX_ID);
  if (!externalId) return { ok: false, reason: 'no usable provider message id' };
  if (raw.text !== undefined && typeof raw.text !== 'string')
    return { ok: false, reason: `text is ${Array.isArray(raw.text) ? 'an array' : typeof raw.text}` };
  const out: InboundMessage = {
    channel: message.channel,
    address,
    externalId,
    receivedAt: clampTimestamp(raw.receivedAt, now),
  };
  if (typeof raw.text === 'string') out.text = cleanText(raw.text);
  const choice = optionalText(raw.choice, MAX_ID);
  if (choice) out.choice = choice;
  const location = cleanLocation(raw.location);
  if (location) out.location = location;
  const media = cleanMedia(raw.media);
  if (media) out.media = media;
  const displayName = optionalText(raw.displayName, MAX_NAME);
  if (displayName) out.displayName = displayName;
  const localeHint = optionalText(raw.localeHint, 16);
  if (localeHint) out.localeHint = localeHint;
  if (out.text === undefined && !out.choice && !out.location && !out.media)
    return { ok: false, reason: 'no text, choice, location or media' };
  return { ok: true, message: out };
}
