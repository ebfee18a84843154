/**
 * Telegram/grammY errors -> {@link SendResult}, and log-safe error descriptions.
 */
import { GrammyError, HttpError } from 'grammy';
import type { SendResult } from '../../core/channel/port.ts';

/** Thrown (and mapped to a retryable failure) when a send is cut short by `stop()`. */
export class AdapterStoppedError extends Error {
  constructor() {
    super('telegram adapter stopped');
    this.name = 'AdapterStoppedError';
  }
}

/**
 * Maps an error thrown by a Bot API call to a failed {@link SendResult}:
 * - 429 -> retryable, `retryAfterMs` from `parameters.retry_after`;
 * - 5xx, network errors (`HttpError`), a stopped adapter -> retryable;
 * - other 4xx (400 chat not found, 403 bot blocked, 401 bad token) -> not retryable,
 *   with Telegram's description as the error.
 */
export function toFailedSend(error: unknown, redact: (text: string) => string): SendResult & { ok: false } {
  if (error instanceof GrammyError) {
    const description = redact(error.description);
    if (error.error_code === 429) {
      const retryAfter = error.parameters.retry_after;
      return {
        ok: false,
        error: description,
        retryable: true,
        ...(typeof retryAfter === 'number' ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    }
    return { ok: false, error: description, retryable: error.error_code >= 500 };
  }
  if (error instanceof HttpError) return { ok: false, error: redact(error.message), retryable: true };
  if (error instanceof AdapterStoppedError) return { ok: false, error: error.message, retryable: true };
  // Anything else is unexpected (a bug or an odd runtime failure): trying again is the safe default.
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: redact(message), retryable: true };
}

/** A function that replaces every occurrence of the bot token with `<token>`. */
export function tokenRedactor(token: string): (text: string) => string {
  if (token === '') return (text) => text;
  return (text) => text.split(token).join('<token>');
}

/** A small object for pino describing an error without payloads, URLs or tokens. */
export function describeError(error: unknown, redact: (text: string) => string): Record<string, unknown> {
  if (error instanceof GrammyError) {
    return { method: error.method, code: error.error_code, message: redact(error.description) };
  }
  if (error instanceof Error) return { type: error.name, message: redact(error.message) };
  return { message: redact(String(error)) };
}
