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
  ])('rejects %j with a line naming the variable', (env, message) => {
    expect(failure(env).message).toMatch(message);
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
