import type { DeliveryStatus, InboundMessage, MediaRef } from '../../core/channel/port.ts';
import { dateFromSeconds } from '../../core/intake/sanitise.ts';
import { normalizeIdPhone } from '../../core/phone/index.ts';
import {
  type CloudError,
  type CloudMessage,
  type CloudStatus,
  check,
  cloudContactSchema,
  cloudEnvelopeSchema,
  cloudErrorSchema,
  cloudMessageSchema,
  cloudStatusSchema,
} from './schema.ts';

/** A Cloud API delivery receipt. `error` is Meta's for `failed` ("(#131047) Re-engagement message: …"). */
export interface WhatsAppCloudStatusUpdate extends DeliveryStatus {
  at: Date;
}

/** Shapes of the `messages` webhook: see schema.ts, which checks every item before it is read here. */
interface CloudValue {
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
  errors?: unknown[];
}

/** One thing the webhook carried, in order: a citizen's message, a delivery status, or something skipped. */
export type CloudEvent =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'status'; update: WhatsAppCloudStatusUpdate }
  | { kind: 'skipped'; reason: string; id?: string }
  /** An item of the wrong shape: acknowledged with the rest, recorded as rejected. */
  | { kind: 'rejected'; reason: string };

/** Outcome of reading a webhook body that passed the signature check. */
export type ParsedCloudWebhook =
  | { ok: true; events: CloudEvent[] }
  | { ok: false; ignored: true; reason: string }
  | { ok: false; ignored: false; reason: string };

const MEDIA_KIND: Readonly<Record<string, string>> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
};

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function timestampToDate(timestamp: string | number | undefined): Date {
  return dateFromSeconds(timestamp, new Date());
}

/** Meta's error as one line: "(#131047) Re-engagement message: More than 24 hours have passed…". */
export function describeCloudError(error: CloudError | undefined): string | undefined {
  if (!error) return undefined;
  const head = error.message ?? error.title ?? 'unknown error';
  const code = error.code !== undefined && !head.includes(`#${error.code}`) ? `(#${error.code}) ` : '';
  const details = error.error_data?.details;
  return details && details !== head ? `${code}${head}: ${details}` : `${code}${head}`;
}

function toInbound(message: CloudMessage, displayNames: Map<string, string>): CloudEvent {
  const { id, from, type } = message;
  if (typeof id !== 'string' || typeof from !== 'string' || typeof type !== 'string') {
    return { kind: 'skipped', reason: 'message without id, from or type', ...(id ? { id } : {}) };
  }
  const address = /^\d+$/.test(from) ? (normalizeIdPhone(`+${from}`) ?? `+${from}`) : null;
  if (!address) return { kind: 'skipped', reason: 'sender is not a phone number', id };
  const inbound: InboundMessage = {
    channel: 'whatsapp_cloud',
    address,
    externalId: id,
    receivedAt: timestampToDate(message.timestamp),
  };
  const displayName = displayNames.get(from);
  if (displayName) inbound.displayName = displayName;

  switch (type) {
    case 'text':
      inbound.text = message.text?.body ?? '';
      return { kind: 'message', message: inbound };
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (!reply?.id) break;
      inbound.choice = reply.id;
      if (reply.title) inbound.text = reply.title;
      return { kind: 'message', message: inbound };
    }
    case 'button': // quick-reply button of a template message
      if (!message.button?.payload) break;
      inbound.choice = message.button.payload;
      if (message.button.text) inbound.text = message.button.text;
      return { kind: 'message', message: inbound };
    case 'location': {
      const lat = Number(message.location?.latitude);
      const lon = Number(message.location?.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) break;
      inbound.location = { lat, lon };
      return { kind: 'message', message: inbound };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const media = message[type];
      if (!media?.id) break;
      const ref: MediaRef = {
        kind: type === 'audio' && media.voice ? 'voice' : (MEDIA_KIND[type] ?? type),
        ref: media.id,
      };
      if (media.mime_type) ref.mimeType = media.mime_type;
      inbound.media = [ref];
      if (media.caption) inbound.text = media.caption;
      return { kind: 'message', message: inbound };
    }
    case 'contacts':
      inbound.media = [{ kind: 'contact', ref: id }];
      return { kind: 'message', message: inbound };
    case 'reaction':
      // An emoji on one of our messages is not something to answer.
      return { kind: 'skipped', reason: 'reaction', id };
    case 'system':
      return { kind: 'skipped', reason: 'system message (number change)', id };
    default:
      break;
  }
  inbound.media = [{ kind: 'unsupported', ref: id }];
  return { kind: 'message', message: inbound };
}

function toStatus(status: CloudStatus): CloudEvent {
  if (typeof status.id !== 'string' || typeof status.status !== 'string') {
    return { kind: 'skipped', reason: 'status without id' };
  }
  if (!STATUSES.has(status.status))
    return { kind: 'skipped', reason: `status ${status.status}`, id: status.id };
  const update: WhatsAppCloudStatusUpdate = {
    providerMessageId: status.id,
    status: status.status as WhatsAppCloudStatusUpdate['status'],
    at: timestampToDate(status.timestamp),
  };
  const error = describeCloudError(status.errors?.[0]);
  if (error) update.error = error;
  return { kind: 'status', update };
}

/**
 * Reads a (signature-checked) webhook body into events, in the order Meta listed them.
 * Payloads of other Graph products (`object` other than `whatsapp_business_account`) are
 * reported as ignored; structurally broken WhatsApp payloads as not ok.
 */
export function parseCloudWebhook(body: unknown): ParsedCloudWebhook {
  if (!isRecord(body)) return { ok: false, ignored: false, reason: 'body: expected object' };
  if (body.object !== 'whatsapp_business_account') {
    const object = typeof body.object === 'string' ? body.object.slice(0, 64) : typeof body.object;
    return { ok: false, ignored: true, reason: `object ${JSON.stringify(object)}` };
  }
  const envelope = check(cloudEnvelopeSchema, body, 'webhook');
  if (!envelope.ok) return { ok: false, ignored: false, reason: envelope.reason };
  const events: CloudEvent[] = [];
  for (const entry of envelope.value.entry) {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isRecord(change) || !isRecord(change.value)) continue;
      if (change.field !== undefined && change.field !== 'messages') {
        const field = typeof change.field === 'string' ? change.field.slice(0, 64) : typeof change.field;
        events.push({ kind: 'skipped', reason: `field ${field}` });
        continue;
      }
      const value = change.value as CloudValue;
      const displayNames = new Map<string, string>();
      for (const raw of Array.isArray(value.contacts) ? value.contacts : []) {
        const contact = check(cloudContactSchema, raw, 'contact');
        if (contact.ok && contact.value.profile?.name)
          displayNames.set(contact.value.wa_id, contact.value.profile.name);
      }
      // Item by item: one bad entry is rejected with its reason, the rest of the batch goes on.
      for (const raw of Array.isArray(value.messages) ? value.messages : []) {
        const message = check(cloudMessageSchema, raw, 'message');
        events.push(
          message.ok ? toInbound(message.value, displayNames) : { kind: 'rejected', reason: message.reason },
        );
      }
      for (const raw of Array.isArray(value.statuses) ? value.statuses : []) {
        const status = check(cloudStatusSchema, raw, 'status');
        events.push(status.ok ? toStatus(status.value) : { kind: 'rejected', reason: status.reason });
      }
      for (const raw of Array.isArray(value.errors) ? value.errors : []) {
        const error = check(cloudErrorSchema, raw, 'error');
        events.push({
          kind: 'skipped',
          reason: `webhook error ${error.ok ? (describeCloudError(error.value) ?? '') : error.reason}`,
        });
      }
    }
  }
  return { ok: true, events };
}
