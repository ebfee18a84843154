/**
 * WhatsApp Cloud API channel (Meta Graph API + signed webhooks): what the rest of the app may use.
 *
 * @example
 * ```ts
 * import { createWhatsAppCloudAdapter } from './bots/whatsapp-cloud/index.ts';
 * const cloud = createWhatsAppCloudAdapter(config.whatsappCloud);
 * await app.register(cloud.routes);
 * ```
 */
export {
  createWhatsAppCloudAdapter,
  parseRetryAfter,
  WHATSAPP_CLOUD_WEBHOOK_PATH,
  type WhatsAppCloudAdapterOptions,
  type WhatsAppCloudConfig,
  type WhatsAppCloudLogger,
} from './adapter.ts';
export { parseCloudWebhook, type WhatsAppCloudStatusUpdate } from './inbound.ts';
export { CLOUD_LIMITS, renderCloudMessage } from './outbound.ts';
export { verifyMetaSignature } from './signature.ts';
