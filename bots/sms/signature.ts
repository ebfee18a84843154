import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Twilio's request signature, written here by hand: the official `twilio` SDK is a large
 * dependency (REST client for every Twilio product) and this check is all we need from it.
 * Algorithm (twilio.com/docs/usage/webhooks/webhooks-security): take the full URL Twilio
 * called, append every POST parameter as name + value, sorted by name, without separators;
 * HMAC-SHA1 it with the auth token; base64.
 */

/** Computes X-Twilio-Signature for a form POST to `url` with `params` (repeated names allowed). */
export function computeTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): string {
  const sorted = [...params].sort(([ka, va], [kb, vb]) =>
    ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0,
  );
  const data = url + sorted.map(([key, value]) => key + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Checks an X-Twilio-Signature header in constant time. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const expected = Buffer.from(computeTwilioSignature(authToken, url, params), 'base64');
  const received = Buffer.from(header, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Checks the JSON gateways' X-Signature: hex HMAC-SHA256 of the raw body (a "sha256=" prefix is tolerated). */
export function verifyHexHmacSha256(
  secret: string,
  rawBody: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string') return false;
  const hex = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
