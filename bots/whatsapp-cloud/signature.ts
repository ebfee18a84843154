import { safeEqualText, verifyHexHmacSha256 } from '../shared/hmac.ts';

export { safeEqualText };

/**
 * Checks Meta's `X-Hub-Signature-256` header: `sha256=` + hex HMAC-SHA256 of the raw request
 * bytes keyed with the app secret. It must be computed over the bytes as received: parsing
 * and re-serialising the JSON changes whitespace and escapes, and the HMAC with them.
 *
 * @example
 * ```ts
 * verifyMetaSignature(rawBody, request.headers['x-hub-signature-256'], config.appSecret); // true | false
 * ```
 */
export function verifyMetaSignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  return verifyHexHmacSha256(appSecret, rawBody, header);
}
