/**
 * Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">` keyed with the app's
 * signing secret, and `X-Slack-Request-Timestamp` within five minutes of our clock (replays of
 * old captures are refused). Verification runs on the raw bytes before anything is parsed.
 *
 * @example
 * ```ts
 * const verdict = verifySlackSignature({ signingSecret, rawBody, timestamp, signature, nowMs: Date.now() });
 * if (!verdict.ok) return reply.code(401).send({ error: verdict.reason });
 * ```
 */
import { hmac, safeEqualBytes } from '../shared/hmac.ts';

/** Largest clock difference Slack and we tolerate, in seconds. */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export interface SignatureInput {
  signingSecret: string;
  /** The body exactly as received (a re-serialised JSON breaks the HMAC). */
  rawBody: string;
  /** `X-Slack-Request-Timestamp` header (seconds since the epoch). */
  timestamp: string | undefined;
  /** `X-Slack-Signature` header (`v0=…`). */
  signature: string | undefined;
  /** Wall-clock time in milliseconds (the real clock, not a domain clock). */
  nowMs: number;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a Slack request signature and its freshness. Never throws. */
export function verifySlackSignature(input: SignatureInput): SignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing Slack signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed request timestamp' };
  const age = Math.abs(Math.floor(input.nowMs / 1000) - Number(timestamp));
  if (age > SLACK_SIGNATURE_MAX_AGE_SECONDS) return { ok: false, reason: 'stale request timestamp' };
  const match = /^v0=([0-9a-f]{64})$/.exec(signature);
  if (!match?.[1]) return { ok: false, reason: 'malformed signature' };
  const expected = hmac('sha256', input.signingSecret, `v0:${timestamp}:${input.rawBody}`);
  if (!safeEqualBytes(Buffer.from(match[1], 'hex'), expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
