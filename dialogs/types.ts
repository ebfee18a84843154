/**
 * Small shared types every layer speaks: the dialog (which imports nothing outside dialogs/),
 * core (the channel port re-exports them) and the channel adapters. Declared once, here, so the
 * dialog never has to reach into core for them.
 */

/** Language of a conversation and of every text we send in it. */
export type Locale = 'id' | 'en';

/** How a report's reporter is shown: by name, to officers only, or to nobody. */
export type Privacy = 'biasa' | 'rahasia' | 'anonim';

/** Kind of report the citizen files. */
export type ReportType = 'pengaduan' | 'aspirasi' | 'permintaan_informasi';

/** One quick-reply choice: adapters render it natively and map the answer back to `id`. */
export interface Choice {
  id: string;
  label: string;
}

/** A photo, voice note, document… a citizen sent, by provider reference. */
export interface MediaRef {
  /** 'photo' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'contact' | ... */
  kind: string;
  /** Provider reference (Telegram file_id, WhatsApp media id, URL of an MMS) to fetch it later. */
  ref: string;
  mimeType?: string;
}

/** Reads a stored locale; anything but 'en' is Bahasa Indonesia. */
export function asLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : 'id';
}
