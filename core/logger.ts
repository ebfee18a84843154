/**
 * Structured logs (pino). Secrets and personal data never reach a log line: known secret-bearing
 * keys are redacted wherever they appear, and addresses must be passed through `maskAddress`
 * (core/phone) before logging — log `{ to: maskAddress(channel, address) }`, never the raw number.
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

export function createLogger(
  options: { level: LogLevel; pretty?: boolean },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'lapor' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
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
