/**
 * WhatsApp Web channel (whatsapp-web.js): what the rest of the app may use.
 *
 * @example
 * ```ts
 * import { createWhatsAppWebAdapter } from './bots/whatsapp/index.ts';
 * const whatsapp = createWhatsAppWebAdapter({ dataDir: './data', chromePath: '/usr/bin/chromium' });
 * ```
 */

export { renderNumberedChoices } from '../shared/choices.ts';
export {
  createWhatsAppWebAdapter,
  type WhatsAppWebAdapterOptions,
  type WhatsAppWebLogger,
} from './adapter.ts';
export {
  createWhatsAppWebClient,
  WHATSAPP_CHROME_ARGS,
  type WhatsAppClientLike,
  type WhatsAppMessageLike,
  type WhatsAppWebConfig,
} from './client.ts';
export { toInboundMessage } from './inbound.ts';
