/**
 * Configuration, read and validated once at start from the environment. Each part of the
 * service receives only its own slice (`config.telegram`, `config.database`, ...). A bad value
 * fails fast with one line naming the variable.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * const db = await openDatabase(config.database);
 * ```
 */
import { resolve } from 'node:path';
import { LaporError } from '../errors.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

import type { Locale } from '../../dialogs/types.ts';

export type { Locale };

export interface DatabaseConfig {
  kind: 'pglite' | 'postgres';
  /** PostgreSQL connection string (kind 'postgres'); never logged. */
  url?: string;
  /** PGlite data directory (kind 'pglite'); ':memory:' keeps it in memory. */
  dataDir?: string;
}

export interface Config {
  dataDir: string;
  database: DatabaseConfig;
  http: { host: string; port: number; publicUrl: string | null; adminToken: string | null };
  log: { level: LogLevel; pretty: boolean };
  defaultLocale: Locale;
  /**
   * `taxonomyPath`: the operator's own labels and their names (dialogs/taxonomy.ts).
   * `junkFilter`: screen first messages for non-reports (dialogs/intent), `JUNK_FILTER=off` to disable.
   */
  dialog: {
    classifierModel: string | null;
    taxonomyPath: string | null;
    junkFilter: boolean;
    reportsPerDay: number;
    /** Days an open report collects "laporan serupa". */
    similarWindowDays: number;
  };
  /** `modelPath`: a routing model learned from history (`lapor train --routing`), blended with the rules. */
  routing: { rulesPath: string | null; modelPath: string | null; retrainHours: number };
  sla: {
    verifyDays: number;
    responseDays: number;
    autoCloseDays: number;
    /** A citizen's "tidak puas" reopens a resolved report within this many working days. */
    reopenWindowDays: number;
    cutiBersamaPath: string | null;
    schedulerIntervalMs: number;
  };
  outbox: { pollMs: number; maxAttempts: number; batchSize: number };
  telegram: {
    token: string;
    mode: 'polling' | 'webhook';
    webhookSecret?: string;
    /** Webhook mode: public URL of POST /webhooks/telegram; when set, start() registers it (setWebhook). */
    webhookUrl?: string;
    apiRoot?: string;
  } | null;
  whatsappWeb: { dataDir: string; chromePath?: string } | null;
  whatsappCloud: {
    appSecret: string;
    verifyToken: string;
    accessToken: string;
    phoneNumberId: string;
    graphApiBase?: string;
    graphApiVersion?: string;
  } | null;
  sms: {
    provider: 'twilio' | 'json';
    publicUrl: string;
    twilio?: { accountSid: string; authToken: string; from: string; apiBase?: string };
    json?: { sharedSecret: string; sendUrl: string; apiKey?: string; from?: string };
  } | null;
  slack: { signingSecret: string; botToken: string; apiUrl?: string; adminChannel: string } | null;
  /** How citizens reach the service, shown on the public home page (`GET /`). */
  site: { telegramUsername: string | null; whatsappNumber: string | null; smsNumber: string | null };
  /** Open311 GeoReport v2 (`/open311/v2`): API keys allowed to POST requests (none: POST refused). */
  open311: { apiKeys: string[] };
  /** Operator dashboard (`/dashboard`, mounted with ADMIN_API_TOKEN): cookie signing secret. */
  dashboard: { sessionSecret: string | null };
  /**
   * Prometheus `/metrics`: on a separate listener when `port` is set (bind it to a private
   * address), else on the main app behind `Authorization: Bearer <token>` (METRICS_TOKEN, or
   * ADMIN_API_TOKEN); with neither, not served.
   */
  metrics: { port: number | null; host: string; token: string | null };
}

type Env = Record<string, string | undefined>;

function bad(variable: string, problem: string): never {
  throw new LaporError('LAPOR_ERR_CONFIG', `${variable}: ${problem}`, { variable });
}

function str(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function required(env: Env, name: string, why: string): string {
  return str(env, name) ?? bad(name, `required ${why}`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) bad(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) bad(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw))
    bad(name, `expected one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function bool(env: Env, name: string): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  return bad(name, `expected true or false, got "${raw}"`);
}

/** A secret that must be long enough not to be guessed (API keys, cookie secrets). */
function secret(env: Env, name: string, minLength: number): string | undefined {
  const raw = str(env, name);
  if (raw !== undefined && raw.length < minLength) bad(name, `must be at least ${minLength} characters`);
  return raw;
}

/** A public phone number for the home page, in the +62… form (digits, spaces and dashes only). */
function publicNumber(env: Env, name: string): string | null {
  const raw = str(env, name);
  if (raw === undefined) return null;
  if (!/^\+?[0-9][0-9 -]{5,19}$/.test(raw))
    bad(name, `expected a phone number like +62 812 0000 0000, got "${raw}"`);
  return raw;
}

function url(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    bad(name, `expected an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function parseDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = str(env, 'DATABASE_URL');
  if (raw === undefined) return { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: raw };
  if (scheme === 'pglite') {
    // pglite:./path, pglite:///abs/path or pglite::memory:
    const path = raw.replace(/^pglite:(\/\/)?/i, '');
    return {
      kind: 'pglite',
      dataDir: path === ':memory:' ? ':memory:' : resolve(path || resolve(dataDir, 'pglite')),
    };
  }
  return bad(
    'DATABASE_URL',
    `unknown scheme "${scheme ?? raw.slice(0, 12)}:"; use postgres://… for a PostgreSQL server or leave it empty for the embedded database`,
  );
}

/** Reads and validates the whole configuration. Throws LaporError('LAPOR_ERR_CONFIG') naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(str(env, 'DATA_DIR') ?? './data');
  const publicUrl = url(env, 'PUBLIC_URL') ?? null;

  const telegramToken = str(env, 'TELEGRAM_BOT_TOKEN');
  const telegramMode = oneOf(env, 'TELEGRAM_MODE', ['polling', 'webhook'] as const, 'polling');
  const telegram = telegramToken
    ? {
        token: telegramToken,
        mode: telegramMode,
        webhookSecret:
          telegramMode === 'webhook'
            ? required(env, 'TELEGRAM_WEBHOOK_SECRET', 'when TELEGRAM_MODE=webhook')
            : str(env, 'TELEGRAM_WEBHOOK_SECRET'),
        apiRoot: url(env, 'TELEGRAM_API_ROOT'),
        // Without it the webhook must be registered by hand (setWebhook with the same secret).
        ...(telegramMode === 'webhook' && str(env, 'TELEGRAM_WEBHOOK_URL')
          ? { webhookUrl: url(env, 'TELEGRAM_WEBHOOK_URL') }
          : {}),
      }
    : null;

  const whatsappWeb = bool(env, 'WHATSAPP_WEB_ENABLED')
    ? { dataDir, chromePath: str(env, 'WHATSAPP_CHROME_PATH') ?? str(env, 'CHROME_PATH') }
    : null;

  const whatsappCloud = str(env, 'WHATSAPP_CLOUD_PHONE_NUMBER_ID')
    ? {
        phoneNumberId: required(env, 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', ''),
        appSecret: required(env, 'WHATSAPP_CLOUD_APP_SECRET', 'to verify webhook signatures'),
        verifyToken: required(env, 'WHATSAPP_CLOUD_VERIFY_TOKEN', 'for the webhook handshake'),
        accessToken: required(env, 'WHATSAPP_CLOUD_ACCESS_TOKEN', 'to send messages'),
        graphApiBase: url(env, 'WHATSAPP_CLOUD_GRAPH_API_BASE'),
        graphApiVersion: str(env, 'WHATSAPP_CLOUD_GRAPH_API_VERSION'),
      }
    : null;

  const smsProvider = str(env, 'SMS_PROVIDER');
  let sms: Config['sms'] = null;
  if (smsProvider !== undefined) {
    const provider = oneOf(env, 'SMS_PROVIDER', ['twilio', 'json'] as const, 'json');
    const smsPublicUrl =
      publicUrl ?? bad('PUBLIC_URL', 'required when SMS_PROVIDER is set (gateways sign the URL they call)');
    sms =
      provider === 'twilio'
        ? {
            provider,
            publicUrl: smsPublicUrl,
            twilio: {
              accountSid: required(env, 'SMS_TWILIO_ACCOUNT_SID', 'when SMS_PROVIDER=twilio'),
              authToken: required(env, 'SMS_TWILIO_AUTH_TOKEN', 'when SMS_PROVIDER=twilio'),
              from: required(env, 'SMS_TWILIO_FROM', 'when SMS_PROVIDER=twilio'),
              apiBase: url(env, 'SMS_TWILIO_API_BASE'),
            },
          }
        : {
            provider,
            publicUrl: smsPublicUrl,
            json: {
              sharedSecret: required(env, 'SMS_JSON_SHARED_SECRET', 'when SMS_PROVIDER=json'),
              sendUrl:
                url(env, 'SMS_JSON_SEND_URL') ?? bad('SMS_JSON_SEND_URL', 'required when SMS_PROVIDER=json'),
              apiKey: str(env, 'SMS_JSON_API_KEY'),
              from: str(env, 'SMS_JSON_FROM'),
            },
          };
  }

  const slack = str(env, 'SLACK_BOT_TOKEN')
    ? {
        botToken: required(env, 'SLACK_BOT_TOKEN', ''),
        signingSecret: required(env, 'SLACK_SIGNING_SECRET', 'to verify Slack requests'),
        apiUrl: url(env, 'SLACK_API_URL'),
        adminChannel: required(
          env,
          'SLACK_ADMIN_CHANNEL',
          'for reports no agency channel takes and for escalations',
        ),
      }
    : null;

  const telegramUsername = str(env, 'TELEGRAM_BOT_USERNAME')?.replace(/^@/, '') ?? null;
  if (telegramUsername !== null && !/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(telegramUsername))
    bad('TELEGRAM_BOT_USERNAME', `expected a bot username like LaporBot, got "${telegramUsername}"`);
  const open311Keys = (str(env, 'OPEN311_API_KEYS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const key of open311Keys)
    if (key.length < 16) bad('OPEN311_API_KEYS', 'every key must be at least 16 characters');
  const metricsPort = str(env, 'METRICS_PORT') === undefined ? null : int(env, 'METRICS_PORT', 0, 1, 65535);

  return {
    dataDir,
    database: parseDatabase(env, dataDir),
    http: {
      host: str(env, 'HOST') ?? '0.0.0.0',
      port: int(env, 'PORT', 3000, 0, 65535),
      publicUrl,
      adminToken: str(env, 'ADMIN_API_TOKEN') ?? null,
    },
    log: {
      level: oneOf(
        env,
        'LOG_LEVEL',
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
        'info',
      ),
      pretty: bool(env, 'LOG_PRETTY'),
    },
    defaultLocale: oneOf(env, 'DEFAULT_LOCALE', ['id', 'en'] as const, 'id'),
    dialog: {
      classifierModel: str(env, 'CLASSIFIER_MODEL') ?? null,
      taxonomyPath: str(env, 'CATEGORY_TAXONOMY') ?? null,
      junkFilter: oneOf(env, 'JUNK_FILTER', ['on', 'off'] as const, 'on') === 'on',
      reportsPerDay: int(env, 'REPORTS_PER_DAY', 10, 1, 10_000),
      similarWindowDays: int(env, 'SIMILAR_WINDOW_DAYS', 14, 1, 365),
    },
    routing: {
      rulesPath: str(env, 'ROUTING_RULES') ?? null,
      modelPath: str(env, 'ROUTING_MODEL') ?? null,
      retrainHours: int(env, 'ROUTING_RETRAIN_HOURS', 0, 0, 24 * 90),
    },
    sla: {
      verifyDays: int(env, 'SLA_VERIFY_DAYS', 3, 1, 60),
      responseDays: int(env, 'SLA_RESPONSE_DAYS', 5, 1, 60),
      autoCloseDays: int(env, 'SLA_AUTOCLOSE_DAYS', 10, 1, 60),
      reopenWindowDays: int(env, 'RATING_REOPEN_DAYS', 10, 1, 90),
      cutiBersamaPath: str(env, 'CUTI_BERSAMA') ?? null,
      schedulerIntervalMs: int(env, 'SCHEDULER_INTERVAL_MS', 60_000, 100, 86_400_000),
    },
    outbox: {
      pollMs: int(env, 'OUTBOX_POLL_MS', 200, 5, 60_000),
      maxAttempts: int(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
      batchSize: int(env, 'OUTBOX_BATCH_SIZE', 50, 1, 1000),
    },
    telegram,
    whatsappWeb,
    whatsappCloud,
    sms,
    slack,
    site: {
      telegramUsername,
      whatsappNumber: publicNumber(env, 'PUBLIC_WHATSAPP_NUMBER'),
      smsNumber: publicNumber(env, 'PUBLIC_SMS_NUMBER'),
    },
    open311: { apiKeys: open311Keys },
    dashboard: { sessionSecret: secret(env, 'DASHBOARD_SESSION_SECRET', 32) ?? null },
    metrics: {
      port: metricsPort,
      host: str(env, 'METRICS_HOST') ?? '127.0.0.1',
      token: secret(env, 'METRICS_TOKEN', 16) ?? str(env, 'ADMIN_API_TOKEN') ?? null,
    },
  };
}
