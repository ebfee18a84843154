import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  citizenReplyText,
  MASKS,
  maskPersonalData,
  reporterLabel,
  slackToPlain,
  toSendResult,
} from '../../bots/slack/index.ts';

describe('masking personal data for confidential reports', () => {
  it.each([
    ['NIK saya 3303011204880001.', `NIK saya ${MASKS.nik}.`],
    ['NIK 3303 0112 0488 0001', `NIK ${MASKS.nik}`],
    ['hp 0812-3456-7890', `hp ${MASKS.phone}`],
    ['wa 081234567890', `wa ${MASKS.phone}`],
    ['telp +62 812 3456 7890', `telp ${MASKS.phone}`],
    ['telp 6281234567890', `telp ${MASKS.phone}`],
    ['kantor +62 21 5551234', `kantor ${MASKS.phone}`],
    ['email siti.r@example.co.id ya', `email ${MASKS.email} ya`],
    ['kartu BPJS 0001234567890', `kartu BPJS ${MASKS.number}`],
  ])('masks %j', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it('leaves tracking IDs, dates, amounts and addresses alone', () => {
    const text = 'LPR-7KQ-9M4-XTW sejak 12/03/2026 jam 10.30, Rp 1.500.000, RT 05 RW 02, Jl. Merdeka No. 17';
    expect(maskPersonalData(text)).toBe(text);
  });

  it('shows a biasa reporter by name and masked address, and nobody else', () => {
    const identity = { displayName: 'Siti', channel: 'whatsapp', address: '+6281234567890' };
    expect(reporterLabel('biasa', identity)).toBe('Siti · WhatsApp +62812****7890');
    expect(reporterLabel('rahasia', identity)).toBe('Dirahasiakan');
    expect(reporterLabel('anonim', identity)).toBe('Anonim');
  });
});

describe('thread messages', () => {
  it('only a message starting with "!balas " goes to the citizen', () => {
    expect(citizenReplyText('!balas Petugas datang besok')).toBe('Petugas datang besok');
    expect(citizenReplyText('  !BALAS\nBaik, kami cek')).toBe('Baik, kami cek');
    expect(citizenReplyText('!balas')).toBe('');
    for (const note of [
      '!balasan nanti',
      'balas: ya',
      'tolong !balas ke warga',
      '> !balas kutipan',
      '/balas ya',
    ])
      expect(citizenReplyText(note)).toBeNull();
  });

  it('turns Slack markup into plain text for the citizen', () => {
    expect(
      slackToPlain(
        'Lihat <https://pu.go.id/jadwal|jadwal> &amp; <https://x.id>, cc <@U123>, &lt;penting&gt; <#C1|umum>',
      ),
    ).toBe('Lihat jadwal (https://pu.go.id/jadwal) & https://x.id, cc @U123, <penting> #umum');
  });
});

describe('Web API failures as send results', () => {
  it('maps 429 to retryable with the Retry-After, configuration errors to final', () => {
    expect(toSendResult({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 30 })).toEqual({
      ok: false,
      error: 'slack: rate limited, retry after 30s',
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(
      toSendResult({ code: webApi.ErrorCode.PlatformError, data: { error: 'channel_not_found' } }),
    ).toEqual({
      ok: false,
      error: 'slack: channel_not_found',
      retryable: false,
    });
    expect(
      toSendResult({ code: webApi.ErrorCode.PlatformError, data: { error: 'internal_error' } }),
    ).toMatchObject({
      retryable: true,
    });
    expect(toSendResult({ code: webApi.ErrorCode.HTTPError, statusCode: 503 })).toMatchObject({
      retryable: true,
    });
    expect(toSendResult({ code: webApi.ErrorCode.RequestError })).toMatchObject({ retryable: true });
  });
});
