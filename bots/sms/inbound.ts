/**
 * SMS gateway webhooks -> the port's InboundMessage. Pure: the signature is checked before
 * (signature.ts), the shape by the schemas (schema.ts); this reads what passed. A result that
 * is not `ok` names what was wrong, for the rejection record (never the payload).
 */
import type { InboundMessage, MediaRef } from '../../core/channel/port.ts';
import { normalizeIdPhone } from '../../core/phone/index.ts';
import { parseJsonSms, parseTwilioForm } from './schema.ts';

export type ReadResult = { ok: true; inbound: InboundMessage } | { ok: false; reason: string };

function parseReceivedAt(value: unknown): Date | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Gateways send Unix seconds or milliseconds; 1e12 ms is 2001, 1e12 s is far future.
    return new Date(value < 1e12 ? value * 1000 : value);
  }
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

function kindOfMime(mime: string): string {
  if (mime.startsWith('image/')) return 'photo';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime === 'text/vcard' || mime === 'text/x-vcard') return 'contact';
  return 'document';
}

/** A Twilio inbound SMS/MMS form (MMS media kept as URLs, at most 10). */
export function twilioInbound(params: URLSearchParams, now = new Date()): ReadResult {
  const form = parseTwilioForm(params);
  if (!form.ok) return { ok: false, reason: form.reason };
  const address = normalizeIdPhone(form.value.From);
  if (!address) return { ok: false, reason: 'From: not a phone number' };
  const inbound: InboundMessage = {
    channel: 'sms',
    address,
    externalId: form.value.MessageSid,
    text: form.value.Body,
    receivedAt: now,
  };
  const media: MediaRef[] = [];
  for (let i = 0; i < form.value.NumMedia && i < 10; i++) {
    const ref = params.get(`MediaUrl${i}`);
    const mime = params.get(`MediaContentType${i}`) ?? '';
    if (ref) media.push({ kind: kindOfMime(mime), ref, ...(mime ? { mimeType: mime } : {}) });
  }
  if (media.length > 0) inbound.media = media;
  return { ok: true, inbound };
}

/** A JSON gateway's `{ id, from, text, receivedAt? }`. */
export function jsonGatewayInbound(body: unknown, now = new Date()): ReadResult {
  const checked = parseJsonSms(body);
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const { id, from, text, receivedAt } = checked.value;
  const address = normalizeIdPhone(from);
  if (!address) return { ok: false, reason: 'from: not a phone number' };
  const at = parseReceivedAt(receivedAt);
  if (at === null) return { ok: false, reason: 'receivedAt: not a date' };
  return { ok: true, inbound: { channel: 'sms', address, externalId: id, text, receivedAt: at ?? now } };
}
