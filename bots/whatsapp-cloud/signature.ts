import { createHmac, timingSafeEqual } from 'node:crypto';

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
  const received = Buffer.from(header.slice('sha256='.length).trim(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on different lengths; a malformed header is simply a mismatch.
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Compares two secrets (the webhook verify token) without leaking their common prefix through timing. */
export function safeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
