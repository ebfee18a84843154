/**
 * What of a reporter may reach Slack. For `biasa` reports officers see the reporter's display
 * name and a masked address; for `rahasia` and `anonim` reports nothing that identifies the
 * reporter is posted, and personal numbers typed into the text (NIK, phone numbers, e-mail
 * addresses, other long digit runs such as BPJS card numbers) are replaced before posting.
 *
 * @example
 * ```ts
 * maskPersonalData('NIK 3303011204880001, hp 0812-3456-7890');
 * // 'NIK [NIK disamarkan], hp [nomor telepon disamarkan]'
 * reporterLabel('anonim', { displayName: 'Siti', channel: 'telegram', address: '4301' }); // 'Anonim'
 * ```
 */

import type { Privacy } from '../../dialogs/types.ts';
import type { ChannelKind } from '../channel/port.ts';
import { maskAddress } from '../phone/index.ts';

export type { Privacy };

/** Who the reporter is, as far as the store knows. */
export interface ReporterIdentity {
  displayName: string | null;
  channel: string;
  address: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** 16 digits, optionally grouped by single spaces, dots or dashes (3303 0112 0488 0001). */
const NIK = /(?<!\d)\d(?:[ .-]?\d){15}(?!\d)/g;
/** +62 numbers of any kind (mobile and landline), with the separators people type. */
const PHONE_PLUS62 = /\+\s?62[\s.-]?\(?\d(?:[\s.()-]{0,2}\d){6,12}(?!\d)/g;
/** Mobile numbers written 62 8… or 08…, with separators. */
const PHONE_NATIONAL = /(?<![\d+])(?:62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)/g;
/** Anything else with 10+ digits in a row: BPJS card, KK, account and chat ids. */
const LONG_DIGITS = /(?<!\d)\d{10,}(?!\d)/g;

/** The placeholders that replace masked data (Bahasa Indonesia, shown to officers). */
export const MASKS = {
  email: '[email disamarkan]',
  nik: '[NIK disamarkan]',
  phone: '[nomor telepon disamarkan]',
  number: '[nomor disamarkan]',
} as const;

/**
 * Replaces e-mail addresses, NIKs, Indonesian phone numbers and other long digit runs in free
 * text with placeholders. Order matters: e-mails first (they may contain digits), then the
 * 16-digit NIK, then phone numbers, then whatever long number is left.
 *
 * @example
 * ```ts
 * maskPersonalData('email siti@example.com, +62 812 3456 7890'); // 'email [email disamarkan], [nomor telepon disamarkan]'
 * ```
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, MASKS.email)
    .replace(NIK, MASKS.nik)
    .replace(PHONE_PLUS62, MASKS.phone)
    .replace(PHONE_NATIONAL, MASKS.phone)
    .replace(LONG_DIGITS, MASKS.number);
}

/** True when the reporter's identity must not reach Slack. */
export function isConfidential(privacy: Privacy): boolean {
  return privacy !== 'biasa';
}

/**
 * The text a report may show on Slack: masked for confidential reports, unchanged for `biasa`
 * ones (officers need the details to act; the citizen chose to be known).
 */
export function textForDesk(privacy: Privacy, text: string): string {
  return isConfidential(privacy) ? maskPersonalData(text) : text;
}

const CHANNEL_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  whatsapp_cloud: 'WhatsApp',
  sms: 'SMS',
  console: 'Konsol',
};

/**
 * How the reporter is shown on the report's root message. `biasa`: display name and masked
 * address at most; `rahasia`: "Dirahasiakan"; `anonim`: "Anonim". The identity argument is
 * ignored for confidential reports, so a caller cannot leak it by passing it.
 */
export function reporterLabel(privacy: Privacy, identity: ReporterIdentity | null): string {
  if (privacy === 'rahasia') return 'Dirahasiakan';
  if (privacy === 'anonim') return 'Anonim';
  if (!identity) return '-';
  const via = CHANNEL_NAMES[identity.channel] ?? identity.channel;
  const masked = maskAddress(identity.channel as ChannelKind, identity.address);
  const name = identity.displayName?.trim();
  return `${name ? `${name} · ` : ''}${via} ${masked}`;
}
