import { createHmac } from 'node:crypto';
import { verifyBase64Hmac, verifyHexHmacSha256 } from '../shared/hmac.ts';

export { verifyHexHmacSha256 };

/*
 * Twilio's request signature, written here by hand: the official `twilio` SDK is a large
 * dependency (REST client for every Twilio product) and this check is all we need from it.
 * Algorithm (twilio.com/docs/usage/webhooks/webhooks-security): take the full URL Twilio
 * called, append every POST parameter as name + value, sorted by name, without separators;
 * HMAC-SHA1 it with the auth token; base64.
 */

/** The string Twilio signs: the URL, then every parameter as name + value, sorted by name. */
function twilioSignedData(url: string, params: Iterable<[string, string]>): string {
  const sorted = [...params].sort(([ka, va], [kb, vb]) =>
    ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0,
  );
  return url + sorted.map(([key, value]) => key + value).join('');
}

/** Computes X-Twilio-Signature for a form POST to `url` with `params` (repeated names allowed). */
export function computeTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): string {
  return createHmac('sha1', authToken).update(twilioSignedData(url, params), 'utf8').digest('base64');
}

/** Checks an X-Twilio-Signature header in constant time. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  header: string | string[] | undefined,
): boolean {
  return verifyBase64Hmac('sha1', authToken, twilioSignedData(url, params), header);
}
