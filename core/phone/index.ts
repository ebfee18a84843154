/**
 * Phone numbers as the channels see them: normalise what citizens, gateways and WhatsApp hand
 * us to E.164 (`+62…`), and mask addresses before they reach a log line.
 *
 * @example
 * ```ts
 * normalizeIdPhone('0812-3456-7890');        // '+6281234567890'
 * normalizeIdPhone('6281234567890@c.us');    // '+6281234567890'
 * maskPhone('+6281234567890');               // '+62812****7890'
 * maskAddress('telegram', '123456789');      // '12*****89'
 * ```
 */
import type { ChannelKind } from '../channel/port.ts';

/** Separators people and gateways put inside numbers: spaces (incl. NBSP), dashes, dots, slashes. */
const SEPARATORS = /[\s\u00a0\-.‐‑–—/]/g;

/** WhatsApp JID domains that stand for a person's phone number (not groups, lids or broadcasts). */
const PHONE_JID_DOMAINS = new Set(['c.us', 's.whatsapp.net']);

/** E.164 allows at most 15 digits; the shortest real national numbers give about 7. */
const E164_MIN_DIGITS = 7;
const E164_MAX_DIGITS = 15;

/**
 * Indonesian national significant number (after +62): mobile numbers start with 8 and have
 * 9–12 digits (0811-123-456 … 0812-3456-78901); fixed lines start with an area code 2–7
 * (21 Jakarta, 274 Yogyakarta, 651 Banda Aceh…) and have 8–11 digits. 9 is used by a few
 * fixed-wireless ranges, so it gets the fixed-line rule.
 */
function isValidIndonesianNsn(nsn: string): boolean {
  if (!/^\d+$/.test(nsn)) return false;
  if (nsn.startsWith('8')) return nsn.length >= 9 && nsn.length <= 12;
  if (/^[2-79]/.test(nsn)) return nsn.length >= 8 && nsn.length <= 11;
  return false;
}

function indonesian(nsn: string): string | null {
  // "+62 0812…" and "+62 (0)812…" are common ways of writing the trunk zero along with the
  // country code; the zero is never dialled after +62.
  const withoutTrunk = nsn.startsWith('0') ? nsn.slice(1) : nsn;
  return isValidIndonesianNsn(withoutTrunk) ? `+62${withoutTrunk}` : null;
}

function international(digits: string): string | null {
  if (digits.startsWith('62')) return indonesian(digits.slice(2));
  if (!/^[1-9]\d*$/.test(digits)) return null;
  if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) return null;
  return `+${digits}`;
}

/**
 * Normalises an Indonesian (or any international) phone number to E.164.
 *
 * Accepts `08…` (national), `628…`, `+62 8…`, `0062…`, `+62 (0)8…`, with spaces, dashes, dots
 * or parentheses, and WhatsApp ids (`6281234567890@c.us`, `…@s.whatsapp.net`, with or without
 * a `:device` suffix). Numbers with another country code are kept as `+<digits>` when written
 * internationally (`+`, `00` or a WhatsApp id). Returns `null` for anything else: letters,
 * group/lid/broadcast ids, too short or too long numbers, bare digits without a prefix.
 *
 * @example
 * ```ts
 * normalizeIdPhone('+62 812-3456-7890'); // '+6281234567890'
 * normalizeIdPhone('+1 415 555 0123');   // '+14155550123'
 * normalizeIdPhone('120363@g.us');       // null
 * ```
 */
export function normalizeIdPhone(input: string): string | null {
  if (typeof input !== 'string') return null;
  let value = input.trim();
  if (value === '') return null;

  let fromWhatsAppId = false;
  const at = value.indexOf('@');
  if (at !== -1) {
    const domain = value.slice(at + 1).toLowerCase();
    if (!PHONE_JID_DOMAINS.has(domain)) return null;
    // Multi-device JIDs carry the device after a colon: 6281234567890:12@s.whatsapp.net
    value = value.slice(0, at).split(':')[0] ?? '';
    if (!/^\d+$/.test(value)) return null;
    fromWhatsAppId = true;
  }

  value = value.replace(SEPARATORS, '').replace(/\(0\)/g, '').replace(/[()]/g, '');

  if (value.startsWith('+')) {
    const digits = value.slice(1);
    return /^\d+$/.test(digits) ? international(digits) : null;
  }
  if (!/^\d+$/.test(value)) return null;
  if (fromWhatsAppId) return international(value);
  if (value.startsWith('00')) return international(value.slice(2));
  if (value.startsWith('62')) return indonesian(value.slice(2));
  if (value.startsWith('0')) return indonesian(value.slice(1));
  // Bare digits ("81234567890", "14155550123") are ambiguous: refuse rather than guess.
  return null;
}

/** Two-digit country calling codes (ITU-T E.164 assignments); 1 and 7 are the one-digit ones. */
const TWO_DIGIT_COUNTRY_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

function countryCodeLength(digits: string): number {
  if (digits.startsWith('1') || digits.startsWith('7')) return 1;
  if (TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2))) return 2;
  return 3;
}

/**
 * Masks an E.164 number for logs: keeps the country code, the next 3 digits (the operator
 * prefix) and the last 4, with a fixed `****` in between so the length is not revealed
 * either. Short numbers keep less. Input that is not a phone number is masked whole.
 *
 * @example
 * ```ts
 * maskPhone('+6281234565678'); // '+62812****5678'
 * maskPhone('+14155550123');   // '+1415****0123'
 * ```
 */
export function maskPhone(e164: string): string {
  const normalized = normalizeIdPhone(e164) ?? (/^\+\d+$/.test(e164) ? e164 : null);
  if (!normalized) return maskOpaque(e164);
  const digits = normalized.slice(1);
  const cc = digits.slice(0, countryCodeLength(digits));
  const national = digits.slice(cc.length);
  if (national.length >= 9) return `+${cc}${national.slice(0, 3)}****${national.slice(-4)}`;
  if (national.length >= 5) return `+${cc}****${national.slice(-2)}`;
  return `+${cc}****`;
}

/** Keeps the first and last two characters of an opaque id when it is long enough to hide something. */
function maskOpaque(value: string): string {
  const sign = value.startsWith('-') ? '-' : '';
  const body = sign ? value.slice(1) : value;
  if (body.length <= 6) return `${sign}****`;
  return `${sign}${body.slice(0, 2)}${'*'.repeat(body.length - 4)}${body.slice(-2)}`;
}

/**
 * Masks a channel address for logs: phone numbers (WhatsApp, WhatsApp Cloud, SMS) with
 * {@link maskPhone}; Telegram chat ids and Slack ids keep their first and last two
 * characters; console addresses are local test sessions and are returned unchanged.
 *
 * @example
 * ```ts
 * maskAddress('sms', '+6281234567890');   // '+62812****7890'
 * maskAddress('telegram', '-1001234567'); // '-10******67'
 * ```
 */
export function maskAddress(channel: ChannelKind, address: string): string {
  switch (channel) {
    case 'whatsapp':
    case 'whatsapp_cloud':
    case 'sms':
      return maskPhone(address);
    case 'console':
      return address;
    default:
      return maskOpaque(address);
  }
}

/**
 * Masks every phone-number-like run of 8–15 digits inside free text (provider error messages,
 * WhatsApp ids like `false_6281234567890@c.us_3EB0…`) before it goes to a log.
 *
 * @example
 * ```ts
 * maskPhonesInText("The 'To' number +6281234567890 is not valid"); // "The 'To' number +62812****7890 is not valid"
 * ```
 */
export function maskPhonesInText(text: string): string {
  return text.replace(/\+?(?<!\d)\d{8,15}(?!\d)/g, (match) =>
    maskPhone(match.startsWith('+') ? match : `+${match}`),
  );
}
