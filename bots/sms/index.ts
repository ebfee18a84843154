/**
 * SMS channel (Twilio or a JSON gateway): what the rest of the app may use.
 *
 * @example
 * ```ts
 * import { createSmsAdapter } from './bots/sms/index.ts';
 * const sms = createSmsAdapter(config.sms);
 * await app.register(sms.routes);
 * ```
 */
export {
  createSmsAdapter,
  SMS_WEBHOOK_PATHS,
  type SmsAdapterOptions,
  type SmsConfig,
  type SmsLogger,
} from './adapter.ts';
export { jsonGatewayInbound, twilioInbound } from './inbound.ts';
export { renderSmsText } from './outbound.ts';
export {
  isGsm7,
  SMS_LIMITS,
  smsLength,
  smsSegments,
  splitSms,
  TWILIO_MAX_BODY,
  toGsmFriendly,
} from './segments.ts';
export { computeTwilioSignature, verifyHexHmacSha256, verifyTwilioSignature } from './signature.ts';
