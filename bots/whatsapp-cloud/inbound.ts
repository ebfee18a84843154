import type { DeliveryStatus, InboundMessage, MediaRef } from '../../core/channel/port.ts';
import { normalizeIdPhone } from '../../core/phone/index.ts';

/** A Cloud API delivery receipt. `error` is Meta's for `failed` ("(#131047) Re-engagement message: …"). */
export interface WhatsAppCloudStatusUpdate extends DeliveryStatus {
  at: Date;
}

/** Shapes of the `messages` webhook (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks). */
interface CloudMedia {
  id?: string;
  mime_type?: string;
  caption?: string;
  voice?: boolean;
}

interface CloudMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string };
  };
  button?: { payload?: string; text?: string };
  location?: { latitude?: number; longitude?: number };
  image?: CloudMedia;
  video?: CloudMedia;
  audio?: CloudMedia;
  document?: CloudMedia;
  sticker?: CloudMedia;
}

interface CloudError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

interface CloudStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  errors?: CloudError[];
}

interface CloudValue {
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: CloudMessage[];
  statuses?: CloudStatus[];
  errors?: CloudError[];
}

/** One thing the webhook carried, in order: a citizen's message, a delivery status, or something skipped. */
export type CloudEvent =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'status'; update: WhatsAppCloudStatusUpdate }
  | { kind: 'skipped'; reason: string; id?: string };

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

function timestampToDate(timestamp: string | undefined): Date {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
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
  if (!isRecord(body)) return { ok: false, ignored: false, reason: 'body is not a JSON object' };
  if (body.object !== 'whatsapp_business_account') {
    return { ok: false, ignored: true, reason: `object ${JSON.stringify(body.object ?? null)}` };
  }
  if (!Array.isArray(body.entry)) return { ok: false, ignored: false, reason: 'entry is not an array' };
  const events: CloudEvent[] = [];
  for (const entry of body.entry) {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isRecord(change) || !isRecord(change.value)) continue;
      if (change.field !== undefined && change.field !== 'messages') {
        events.push({ kind: 'skipped', reason: `field ${String(change.field)}` });
        continue;
      }
      const value = change.value as CloudValue;
      const displayNames = new Map<string, string>();
      for (const contact of Array.isArray(value.contacts) ? value.contacts : []) {
        if (contact?.wa_id && contact.profile?.name) displayNames.set(contact.wa_id, contact.profile.name);
      }
      for (const message of Array.isArray(value.messages) ? value.messages : []) {
        events.push(
          isRecord(message) ? toInbound(message, displayNames) : { kind: 'skipped', reason: 'bad message' },
        );
      }
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
        events.push(isRecord(status) ? toStatus(status) : { kind: 'skipped', reason: 'bad status' });
      }
      for (const error of Array.isArray(value.errors) ? value.errors : []) {
        events.push({ kind: 'skipped', reason: `webhook error ${describeCloudError(error) ?? ''}` });
      }
    }
  }
  return { ok: true, events };
}
