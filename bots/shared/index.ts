/** What the channel adapters share: provider HTTP calls, HMAC checks, numbered choices, webhook plumbing. */
export { renderCompactChoices, renderNumberedChoices } from './choices.ts';
export { hmac, safeEqualBytes, safeEqualText, verifyBase64Hmac, verifyHexHmacSha256 } from './hmac.ts';
export { type HttpFailure, type HttpOutcome, parseRetryAfter, postForResult } from './http-send.ts';
export {
  deliverInbound,
  parseJsonBody,
  rawBody,
  rawBodyParsers,
  SILENT_LOGGER,
  sendError,
} from './webhook.ts';
