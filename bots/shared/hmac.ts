/**
 * Webhook signature checks every provider needs in one of two shapes: an HMAC of the raw bytes
 * given as hex (WhatsApp Cloud's `sha256=…`, SMS JSON gateways, Slack's `v0=…`), or as base64
 * (Twilio). Comparisons are constant-time and a malformed header is a mismatch, never a throw.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings of possibly different length. */
export function safeEqualBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time equality of two texts (verify tokens, bearer tokens). */
export function safeEqualText(a: string, b: string): boolean {
  return safeEqualBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The HMAC of `data` under `secret`. */
export function hmac(algorithm: 'sha1' | 'sha256', secret: string, data: string | Buffer): Buffer {
  return createHmac(algorithm, secret).update(data).digest();
}

/**
 * True when `hex` (after an optional `prefix` such as `sha256=` or `v0=`) is the HMAC-SHA256 of
 * `data` under `secret`.
 */
export function verifyHexHmacSha256(
  secret: string,
  data: string | Buffer,
  header: string | string[] | undefined,
  prefix: RegExp = /^sha256=/i,
): boolean {
  if (typeof header !== 'string') return false;
  const hex = header.trim().replace(prefix, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  return safeEqualBytes(Buffer.from(hex, 'hex'), hmac('sha256', secret, data));
}

/** True when `header` is the base64 HMAC of `data` under `secret` (Twilio: SHA-1). */
export function verifyBase64Hmac(
  algorithm: 'sha1' | 'sha256',
  secret: string,
  data: string | Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  return safeEqualBytes(Buffer.from(header, 'base64'), hmac(algorithm, secret, data));
}
