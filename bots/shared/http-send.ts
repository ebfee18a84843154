/**
 * One HTTP call to a provider's send API, turned into the port's SendResult vocabulary: network
 * failures, 429 and 5xx are retryable (with the provider's Retry-After as the delay), other 4xx
 * are final. Used by the adapters that call a plain HTTP API (SMS gateways, WhatsApp Cloud);
 * grammY and Bolt bring their own clients. Written here rather than with a retry library because
 * the retrying itself is the outbox dispatcher's (it persists attempts across restarts); this
 * only classifies one attempt.
 *
 * @example
 * ```ts
 * const result = await postForResult(url, { method: 'POST', body }, { timeoutMs: 15_000, service: 'SMS gateway' });
 * if (!result.ok) return result; // { ok: false, error, retryable, retryAfterMs? }
 * ```
 */
import type { SendResult } from '../../core/channel/port.ts';

export type HttpFailure = Extract<SendResult, { ok: false }>;
export type HttpOutcome = { ok: true; json: unknown } | HttpFailure;

export interface PostOptions {
  timeoutMs: number;
  /** Who we called, for "… unreachable" errors ("SMS gateway", "Graph API"). */
  service: string;
  /** The provider's own error text from its JSON body ('' when it has none). */
  describeError?: (json: unknown, status: number) => string;
  /** Extra "try later" answers beyond 429 and 5xx (Graph error codes sent with a 400). */
  retryable?: (status: number, json: unknown) => boolean;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The message of a fetch failure without the URL (which may carry a token). */
function reasonOf(err: unknown): string {
  return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
}

export async function postForResult(
  url: string,
  init: RequestInit,
  options: PostOptions,
): Promise<HttpOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    return { ok: false, error: `${options.service} unreachable: ${reasonOf(err)}`, retryable: true };
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return { ok: true, json };
  const retryable =
    response.status === 429 ||
    response.status >= 500 ||
    (options.retryable?.(response.status, json) ?? false);
  const error =
    options.describeError?.(json, response.status) || text.slice(0, 200) || `HTTP ${response.status}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return retryable && retryAfterMs !== undefined
    ? { ok: false, error, retryable, retryAfterMs }
    : { ok: false, error, retryable };
}
