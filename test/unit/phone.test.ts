import { describe, expect, it } from 'vitest';
import { maskAddress, maskPhone, maskPhonesInText, normalizeIdPhone } from '../../core/phone/index.ts';

describe('normalizeIdPhone', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['+62 (0)812 3456 7890', '+6281234567890'],
    ['+62 0812 3456 7890', '+6281234567890'],
    ['0062 812 3456 7890', '+6281234567890'],
    ['  +6281234567890  ', '+6281234567890'],
    ['0811123456', '+62811123456'],
    ['(021) 3456-7890', '+622134567890'],
    ['0274 512345', '+62274512345'],
  ])('normalises the Indonesian number %s to %s', (input, expected) => {
    expect(normalizeIdPhone(input)).toBe(expected);
  });

  it.each([
    ['6281234567890@c.us', '+6281234567890'],
    ['6281234567890@s.whatsapp.net', '+6281234567890'],
    ['6281234567890:12@s.whatsapp.net', '+6281234567890'],
    ['14155550123@c.us', '+14155550123'],
    ['60123456789@c.us', '+60123456789'],
  ])('turns the WhatsApp id %s into %s', (input, expected) => {
    expect(normalizeIdPhone(input)).toBe(expected);
  });

  it.each([
    ['+1 415 555 0123', '+14155550123'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0065 6123 4567', '+6561234567'],
  ])('keeps the non-Indonesian E.164 number %s as %s', (input, expected) => {
    expect(normalizeIdPhone(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['halo'],
    ['0812abc34567'],
    ['0812'],
    ['08123456789012345'],
    ['+62 123 4567 890'],
    ['+0812345678'],
    ['81234567890'],
    ['14155550123'],
    ['120363025246125486@g.us'],
    ['status@broadcast'],
    ['201234567890123@lid'],
    ['+1234'],
    ['+1234567890123456'],
    ['08123456789;DROP'],
  ])('rejects %j', (input) => {
    expect(normalizeIdPhone(input)).toBeNull();
  });
});

describe('maskPhone', () => {
  it('keeps the country code, the operator prefix and the last four digits', () => {
    expect(maskPhone('+6281234565678')).toBe('+62812****5678');
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
  });

  it('hides the number of masked digits behind a fixed run of stars', () => {
    expect(maskPhone('+62811123456')).toBe('+62811****3456');
  });

  it('knows one- and three-digit country codes', () => {
    expect(maskPhone('+14155550123')).toBe('+1415****0123');
    expect(maskPhone('+85291234567')).toBe('+852****67');
  });

  it('never returns the full number, even for numbers it cannot parse', () => {
    for (const raw of ['+6281234567890', '+628123', '081234567890', 'nomor saya 0812', '+99912']) {
      const masked = maskPhone(raw);
      expect(masked).not.toContain('81234567890');
      expect(masked).toContain('*');
    }
  });
});

describe('maskAddress', () => {
  it('masks phone addresses of WhatsApp, WhatsApp Cloud and SMS', () => {
    for (const channel of ['whatsapp', 'whatsapp_cloud', 'sms'] as const) {
      expect(maskAddress(channel, '+6281234567890')).toBe('+62812****7890');
    }
  });

  it('masks Telegram chat ids partially, keeping the sign of group ids', () => {
    expect(maskAddress('telegram', '123456789')).toBe('12*****89');
    expect(maskAddress('telegram', '-1001234567890')).toBe('-10*********90');
    expect(maskAddress('telegram', '12345')).toBe('****');
  });

  it('leaves local console sessions readable', () => {
    expect(maskAddress('console', 'local-1')).toBe('local-1');
  });
});

describe('maskPhonesInText', () => {
  it('masks numbers inside provider errors and WhatsApp message ids', () => {
    expect(maskPhonesInText("The 'To' number +6281234567890 is not a valid phone number.")).toBe(
      "The 'To' number +62812****7890 is not a valid phone number.",
    );
    expect(maskPhonesInText('false_6281234567890@c.us_3EB0C767D26A1D8A')).toBe(
      'false_+62812****7890@c.us_3EB0C767D26A1D8A',
    );
    expect(maskPhonesInText('timeout after 15000 ms')).toBe('timeout after 15000 ms');
  });
});
