/**
 * Structured logs (pino). Secrets and personal data never reach a log line: known secret- and
 * person-bearing keys are redacted wherever they appear, errors are reduced to class, codes and
 * a scrubbed first line (ORM errors print their arguments), and every logged string has its
 * phone-like numbers masked. Still pass addresses through `maskAddress` (core/phone) yourself.
 */
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/index.ts';

export type { Logger };

const REDACT = [
  'token',
  'secret',
  'password',
  'authorization',
  'accessToken',
  'botToken',
  'signingSecret',
  'appSecret',
  'authToken',
  'apiKey',
  'url',
  'phone',
  'address',
  'text',
  'body',
  'caption',
  'displayName',
  'first_name',
  'last_name',
  'chatId',
  'from',
  'to',
];

/** Paths pino should censor, at the top level and one or two levels down. */
export const REDACT_PATHS = [
  ...REDACT,
  ...REDACT.map((k) => `*.${k}`),
  ...REDACT.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-slack-signature"]',
];

/**
 * Digit runs long enough to be a phone number or a chat id (6+), standing alone: not inside a
 * uuid, a code like P2002 or a word. Masked wherever they appear in a logged string.
 */
const LONG_NUMBER = /(?<![\w-])[-+]?\d(?: ?\d){5,}(?![\w-])/g;
/** Quoted parts of error messages: JSON.parse and PostgreSQL quote the offending input. */
const QUOTED = /"[^"\n]{1,}"|'[^'\n]{2,}'|`[^`\n]{1,}`/g;

/** A string with phone-like numbers masked (`+62812…` → `[number]`). */
export function scrubText(text: string): string {
  return text.replace(LONG_NUMBER, '[number]');
}

/**
 * An error message safe to log: its first non-empty line only (Prisma prints the call's
 * arguments below it), quoted input replaced, numbers masked.
 */
export function scrubErrorMessage(message: string): string {
  const first = message.split('\n').find((line) => line.trim() !== '') ?? '';
  return scrubText(first.replace(QUOTED, '"…"')).slice(0, 300);
}

/**
 * What an error becomes in a log line: class, codes and a scrubbed message; the stack without
 * its message line. ORM and library errors carry payloads (phone numbers, message text) in their
 * messages and properties (`meta`, `detail`, `params`): only known-safe fields are kept.
 */
export function safeError(error: unknown, depth = 0): Record<string, unknown> {
  if (error === null || typeof error !== 'object') return { message: scrubErrorMessage(String(error)) };
  const e = error as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const type = typeof e.type === 'string' ? e.type : e.constructor?.name;
  if (typeof type === 'string') out.type = type;
  for (const key of ['name', 'code', 'errorCode', 'method', 'status', 'statusCode', 'kind']) {
    const value = e[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  const adapter = (e.meta as { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } })
    ?.driverAdapterError?.cause;
  if (adapter && typeof adapter.kind === 'string') out.dbKind = adapter.kind;
  if (adapter && typeof adapter.originalCode === 'string') out.sqlState = adapter.originalCode;
  if (typeof e.message === 'string') out.message = scrubErrorMessage(e.message);
  if (typeof e.stack === 'string')
    out.stack = e.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 12)
      .join('\n');
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  return out;
}

/** Masks phone-like numbers in every string of a log object (a copy; depth-limited). */
function scrubObject(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeError(value);
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrubObject(v, depth + 1);
  return out;
}

export function createLogger(
  options: { level: LogLevel; pretty?: boolean },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'lapor' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        // The last guard: whatever a call site passed, long numbers (phones, chat ids) are masked.
        log: (object) => scrubObject(object, 0) as Record<string, unknown>,
      },
      serializers: {
        err: safeError,
        error: (value: unknown) => (value instanceof Error ? safeError(value) : value),
        // Request URLs can carry tokens in the query (webhook handshakes): keep only the path.
        req: (req: { method?: string; url?: string }) => ({
          method: req.method,
          path: req.url?.split('?')[0],
        }),
      },
    },
    destination,
  );
}
