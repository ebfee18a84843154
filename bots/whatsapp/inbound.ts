/**
 * whatsapp-web.js messages -> the port's InboundMessage. Pure: no client, no I/O.
 */
import type { InboundMessage, MediaRef } from '../../core/channel/port.ts';
import type { WhatsAppMessageLike } from './client.ts';

const MEDIA_KIND_BY_TYPE: Readonly<Record<string, string>> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  document: 'document',
  sticker: 'sticker',
  vcard: 'contact',
  multi_vcard: 'contact',
};

/**
 * Message types that are WhatsApp housekeeping, not something a citizen wrote: deleted
 * messages, encryption notices, group events, call logs, "waiting for this message" ciphertext.
 */
const SYSTEM_TYPES = new Set([
  'revoked',
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'protocol',
  'call_log',
  'ciphertext',
  'broadcast_notification',
  'debug',
  'reaction',
]);

/**
 * Converts a whatsapp-web.js message to the port's shape, or explains why it is ignored.
 * Exported for reuse by tools that replay captured messages.
 */
export function toInboundMessage(
  msg: WhatsAppMessageLike,
  address: string,
): { inbound: InboundMessage } | { ignored: string } {
  const receivedAt =
    typeof msg.timestamp === 'number' && msg.timestamp > 0 ? new Date(msg.timestamp * 1000) : new Date();
  const base: InboundMessage = { channel: 'whatsapp', address, externalId: msg.id._serialized, receivedAt };
  const displayName = msg._data?.notifyName;
  if (displayName) base.displayName = displayName;

  if (SYSTEM_TYPES.has(msg.type)) return { ignored: `system message of type ${msg.type}` };

  if (msg.type === 'location') {
    const lat = Number(msg.location?.latitude);
    const lon = Number(msg.location?.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return { ignored: 'location without coordinates' };
    // msg.body of a location is a base64 JPEG thumbnail, not something the citizen typed.
    return { inbound: { ...base, location: { lat, lon } } };
  }

  const mediaKind = MEDIA_KIND_BY_TYPE[msg.type] ?? (msg.hasMedia ? msg.type : undefined);
  if (mediaKind) {
    const media: MediaRef = { kind: mediaKind, ref: msg.id._serialized };
    const mimeType = msg._data?.mimetype;
    if (mimeType) media.mimeType = mimeType;
    const inbound: InboundMessage = { ...base, media: [media] };
    // Captions of photos, videos and documents are text; stickers, voice notes and vCards have none
    // (their body is a thumbnail or the vCard source).
    const captioned = msg.type === 'image' || msg.type === 'video' || msg.type === 'document';
    if (captioned && msg.body.trim() !== '') inbound.text = msg.body;
    return { inbound };
  }

  if (msg.type === 'chat' || msg.body.trim() !== '') return { inbound: { ...base, text: msg.body } };
  // Polls, orders, products, events…: tell the core something came that it cannot read.
  return { inbound: { ...base, media: [{ kind: 'unsupported', ref: msg.id._serialized }] } };
}
