import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.ts';
import { LaporError } from '../../core/errors.ts';

function failure(env: Record<string, string>): LaporError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof LaporError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('configuration', () => {
  it('defaults to the embedded database under ./data with no channel configured', () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe('pglite');
    expect(config.database.dataDir).toMatch(/data\/pglite$/);
    expect(config.http.port).toBe(3000);
    expect(config.telegram).toBeNull();
    expect(config.whatsappCloud).toBeNull();
    expect(config.sms).toBeNull();
    expect(config.slack).toBeNull();
    expect(config.sla).toMatchObject({ verifyDays: 3, responseDays: 5, autoCloseDays: 10 });
  });

  it('switches to a PostgreSQL server for a postgres:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://lapor:secret@db.internal:5433/lapor' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://lapor:secret@db.internal:5433/lapor',
    });
  });

  it('names DATABASE_URL when its scheme is unknown', () => {
    const error = failure({ DATABASE_URL: 'mysql://root@localhost/lapor' });
    expect(error.code).toBe('LAPOR_ERR_CONFIG');
    expect(error.message).toMatch(/^DATABASE_URL: unknown scheme "mysql:"/);
    // One line, no secrets.
    expect(error.message).not.toContain('\n');
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: expected a whole number/],
    [{ PORT: '70000' }, /^PORT: must be between 0 and 65535/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of/],
    [
      { TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MODE: 'webhook' },
      /^TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook/,
    ],
    [
      { TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_API_ROOT: 'ftp://x' },
      /^TELEGRAM_API_ROOT: expected an http\(s\) URL/,
    ],
    [{ SMS_PROVIDER: 'json' }, /^PUBLIC_URL: required when SMS_PROVIDER is set/],
    [{ SMS_PROVIDER: 'twilio', PUBLIC_URL: 'https://lapor.example' }, /^SMS_TWILIO_ACCOUNT_SID: required/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET: required/],
    [{ WHATSAPP_CLOUD_PHONE_NUMBER_ID: '123' }, /^WHATSAPP_CLOUD_APP_SECRET: required/],
    [{ WHATSAPP_WEB_ENABLED: 'maybe' }, /^WHATSAPP_WEB_ENABLED: expected true or false/],
    [{ TELEGRAM_BOT_USERNAME: 'a b' }, /^TELEGRAM_BOT_USERNAME: expected a bot username/],
    [{ PUBLIC_WHATSAPP_NUMBER: 'call us' }, /^PUBLIC_WHATSAPP_NUMBER: expected a phone number/],
    [{ OPEN311_API_KEYS: 'long-enough-key-0001,short' }, /^OPEN311_API_KEYS: every key must be at least 16/],
    [{ DASHBOARD_SESSION_SECRET: 'too-short' }, /^DASHBOARD_SESSION_SECRET: must be at least 32/],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN: must be at least 16/],
    [{ METRICS_PORT: '0' }, /^METRICS_PORT: must be between 1 and 65535/],
    [{ RATING_REOPEN_DAYS: '0' }, /^RATING_REOPEN_DAYS: must be between 1 and 90/],
  ])('rejects %j with a line naming the variable', (env, message) => {
    expect(failure(env).message).toMatch(message);
  });

  it('reads the public site, Open311, dashboard, metrics and rating settings', () => {
    const defaults = loadConfig({});
    expect(defaults.site).toEqual({ telegramUsername: null, whatsappNumber: null, smsNumber: null });
    expect(defaults.open311).toEqual({ apiKeys: [] });
    expect(defaults.metrics).toEqual({ port: null, host: '127.0.0.1', token: null });
    expect(defaults.sla.reopenWindowDays).toBe(10);
    const config = loadConfig({
      TELEGRAM_BOT_USERNAME: '@LaporBot',
      PUBLIC_SMS_NUMBER: '+62 811 0000 2222',
      OPEN311_API_KEYS: ' key-one-0123456789 , key-two-0123456789 ',
      ADMIN_API_TOKEN: 'admin-token',
      METRICS_PORT: '9464',
      RATING_REOPEN_DAYS: '5',
    });
    expect(config.site).toEqual({
      telegramUsername: 'LaporBot',
      whatsappNumber: null,
      smsNumber: '+62 811 0000 2222',
    });
    expect(config.open311.apiKeys).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    // Without METRICS_TOKEN, /metrics on the main port falls back to the admin token.
    expect(config.metrics).toEqual({ port: 9464, host: '127.0.0.1', token: 'admin-token' });
    expect(config.sla.reopenWindowDays).toBe(5);
  });

  it('gives each channel only its own slice', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 's3cret',
      SMS_PROVIDER: 'json',
      PUBLIC_URL: 'https://lapor.example/',
      SMS_JSON_SHARED_SECRET: 'k',
      SMS_JSON_SEND_URL: 'https://gateway.example/send',
    });
    expect(config.telegram).toEqual({
      token: '123:abc',
      mode: 'webhook',
      webhookSecret: 's3cret',
      apiRoot: undefined,
    });
    expect(config.sms).toMatchObject({
      provider: 'json',
      publicUrl: 'https://lapor.example',
      json: { sharedSecret: 'k' },
    });
    expect(Object.keys(config.sms ?? {})).not.toContain('telegram');
  });
});
