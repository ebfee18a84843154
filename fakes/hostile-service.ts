/**
 * A whole service with every webhook on (Telegram webhook mode, WhatsApp Cloud, the SMS JSON
 * gateway, the Slack desk, the admin API) against fake provider servers on loopback, its log
 * lines captured, and builders of signed and unsigned requests for each edge. Shared by the
 * bad-input tests, the private-log test, the fuzz tests and `npm run drill -- --fuzz`.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { createService, type Service } from '../app/compose.ts';
import { type Config, type DatabaseConfig, loadConfig } from '../core/config/index.ts';
import { createLogger } from '../core/logger.ts';
import type { OpenOptions } from '../core/store/database.ts';
import { type FakeSlack, signedForm, signedJson, startFakeSlack } from './slack.ts';
import { FakeSmsGateway } from './sms-gateway.ts';
import { type FakeTelegram, startFakeTelegram } from './telegram.ts';
import { FakeWhatsAppCloud } from './whatsapp-cloud.ts';

/** Where the hostile service keeps its data (a test database handle fits). */
export interface HostileDatabase {
  config: DatabaseConfig;
  options: OpenOptions;
}

function hostileConfig(database: HostileDatabase, env: Record<string, string>): Config {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-hostile-')),
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  return { ...config, database: database.config };
}

export const HOSTILE_SECRETS = {
  telegram: 'hostile-telegram-secret_01',
  whatsappApp: 'hostile-whatsapp-app-secret',
  whatsappVerify: 'hostile-verify-token',
  sms: 'hostile-sms-shared-secret',
  slack: 'hostile-slack-signing-secret',
  admin: 'hostile-admin-token-0123456789abcdef',
} as const;

export interface HostileService {
  service: Service;
  telegram: FakeTelegram;
  graph: FakeWhatsAppCloud;
  sms: FakeSmsGateway;
  slack: FakeSlack;
  /** Every log line the service wrote, at trace level. */
  logs: string[];
  inject(request: InjectOptions): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export type Edge = 'telegram' | 'whatsapp' | 'sms' | 'slack_events' | 'slack_form' | 'slack_command';

/** A request to one edge, signed correctly or not at all. */
export function edgeRequest(edge: Edge, body: unknown, signed = true): InjectOptions {
  const raw = typeof body === 'string' ? body : (JSON.stringify(body) ?? 'null');
  switch (edge) {
    case 'telegram':
      return {
        method: 'POST',
        url: '/webhooks/telegram',
        payload: raw,
        headers: {
          'content-type': 'application/json',
          ...(signed ? { 'x-telegram-bot-api-secret-token': HOSTILE_SECRETS.telegram } : {}),
        },
      };
    case 'whatsapp':
      return {
        method: 'POST',
        url: '/webhooks/whatsapp',
        payload: raw,
        headers: {
          'content-type': 'application/json',
          ...(signed
            ? {
                'x-hub-signature-256': `sha256=${createHmac('sha256', HOSTILE_SECRETS.whatsappApp).update(raw).digest('hex')}`,
              }
            : {}),
        },
      };
    case 'sms':
      return {
        method: 'POST',
        url: '/webhooks/sms/json',
        payload: raw,
        headers: {
          'content-type': 'application/json',
          ...(signed
            ? { 'x-signature': createHmac('sha256', HOSTILE_SECRETS.sms).update(raw).digest('hex') }
            : {}),
        },
      };
    case 'slack_events': {
      const request = signedJson(HOSTILE_SECRETS.slack, {});
      return {
        method: 'POST',
        url: '/slack/events',
        payload: raw,
        headers: signed
          ? signedRaw(raw, 'application/json')
          : { 'content-type': request.headers['content-type'] as string },
      };
    }
    case 'slack_form': {
      const form = new URLSearchParams({ payload: raw }).toString();
      return {
        method: 'POST',
        url: '/slack/events',
        payload: form,
        headers: signed
          ? signedRaw(form, 'application/x-www-form-urlencoded')
          : { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    case 'slack_command': {
      const fields =
        body && typeof body === 'object' && !Array.isArray(body)
          ? Object.fromEntries(
              Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
            )
          : { text: raw };
      const request = signedForm(HOSTILE_SECRETS.slack, fields, { command: true });
      return {
        method: 'POST',
        url: '/slack/events',
        payload: request.payload,
        headers: signed ? request.headers : { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
  }
}

function signedRaw(payload: string, contentType: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', HOSTILE_SECRETS.slack)
    .update(`v0:${timestamp}:${payload}`)
    .digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** Starts the service; `close()` stops it and the fakes. */
export async function startHostileService(
  handle: HostileDatabase,
  options: { quarantine?: { maxAttempts: number; backoffMs: number } } = {},
): Promise<HostileService> {
  const [telegram, graph, sms, slack] = await Promise.all([
    startFakeTelegram(),
    FakeWhatsAppCloud.start(),
    FakeSmsGateway.start(),
    startFakeSlack(),
  ]);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = hostileConfig(handle, {
    LOG_LEVEL: 'trace',
    PUBLIC_URL: 'https://lapor.example.go.id',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: HOSTILE_SECRETS.telegram,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_CLOUD_APP_SECRET: HOSTILE_SECRETS.whatsappApp,
    WHATSAPP_CLOUD_VERIFY_TOKEN: HOSTILE_SECRETS.whatsappVerify,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-hostile-access-token',
    WHATSAPP_CLOUD_GRAPH_API_BASE: graph.baseUrl,
    SMS_PROVIDER: 'json',
    SMS_JSON_SHARED_SECRET: HOSTILE_SECRETS.sms,
    SMS_JSON_SEND_URL: sms.jsonSendUrl,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: HOSTILE_SECRETS.slack,
    SLACK_API_URL: slack.apiUrl,
    SLACK_ADMIN_CHANNEL: 'C0ADMIN',
    ADMIN_API_TOKEN: HOSTILE_SECRETS.admin,
  });
  const service = await createService(config, {
    logger: createLogger({ level: 'trace' }, sink),
    noScheduler: true,
    dispatcher: { pollMs: 20, backoffMs: { base: 10, max: 50 } },
    database: handle.options,
    ...(options.quarantine ? { quarantine: options.quarantine } : {}),
  });
  await service.start({ listen: false });
  return {
    service,
    telegram,
    graph,
    sms,
    slack,
    logs,
    async inject(request) {
      const res = await service.app().inject(request);
      return { status: res.statusCode, body: res.body };
    },
    async close() {
      await service.stop();
      await Promise.all([telegram.close(), graph.close(), sms.close(), slack.close()]);
    },
  };
}
