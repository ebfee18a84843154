/**
 * The one catalogue of what officers read about a report, in Bahasa Indonesia and English:
 * action names, deadlines, kinds of report, privacy levels, history events, what went to the
 * citizen, and why an action was refused. Every officer surface (the Slack desk today, a
 * dashboard or an e-mail desk tomorrow) and core's own desk notes take their words from here, so
 * they cannot disagree. Surfaces add their own markup (Slack's `<#C123>` for a channel).
 *
 * @example
 * ```ts
 * officerLabel('actions', 'forward');          // 'Teruskan'
 * officerLabel('dueKinds', 'response', 'en');  // 'agency response'
 * ```
 */
import type { Locale } from '../../dialogs/types.ts';
import type { LaporError } from '../errors.ts';
import { IllegalTransitionError, type LifecycleAction, STATUS_LABELS } from '../lifecycle/index.ts';

type Pair = { id: string; en: string };

export const OFFICER_LABELS = {
  /** What the desk's buttons and refusals call the lifecycle actions an officer starts. */
  actions: {
    accept: { id: 'Terima', en: 'Accept' },
    request_info: { id: 'Minta info', en: 'Ask for information' },
    follow_up: { id: 'Balas ke pelapor', en: 'Reply to the citizen' },
    forward: { id: 'Teruskan', en: 'Forward' },
    resolve: { id: 'Selesai', en: 'Resolve' },
    postpone: { id: 'Tunda', en: 'Postpone' },
    resume: { id: 'Lanjutkan', en: 'Resume' },
  },
  /** Whose deadline a report's `dueKind` is. */
  dueKinds: {
    verification: { id: 'verifikasi', en: 'verification' },
    response: { id: 'tanggapan instansi', en: 'agency response' },
    citizen_reply: { id: 'jawaban pelapor', en: "citizen's answer" },
  },
  reportTypes: {
    pengaduan: { id: 'Pengaduan', en: 'Complaint' },
    aspirasi: { id: 'Aspirasi', en: 'Suggestion' },
    permintaan_informasi: { id: 'Permintaan informasi', en: 'Information request' },
  },
  privacy: {
    biasa: { id: 'Biasa (identitas terlihat)', en: 'Normal (identity visible)' },
    rahasia: { id: '🔒 Rahasia (identitas disembunyikan)', en: '🔒 Confidential (identity hidden)' },
    anonim: { id: '🕶️ Anonim', en: '🕶️ Anonymous' },
  },
  /** What went to the citizen, for the desk's confirmation line. */
  sentKinds: {
    request_info: { id: 'pertanyaan', en: 'question' },
    reply: { id: 'balasan', en: 'reply' },
    resolve: { id: 'penyelesaian', en: 'resolution' },
    postpone: { id: 'penundaan', en: 'postponement' },
  },
  /** History events (report_events.action). */
  events: {
    file: { id: 'Laporan masuk', en: 'Report filed' },
    verify: { id: 'Diverifikasi', en: 'Verified' },
    dispatch: { id: 'Didisposisikan', en: 'Dispatched' },
    accept: { id: 'Diterima petugas', en: 'Accepted by an officer' },
    follow_up: { id: 'Balasan ke pelapor', en: 'Reply to the citizen' },
    request_info: { id: 'Pertanyaan ke pelapor', en: 'Question to the citizen' },
    citizen_reply: { id: 'Jawaban pelapor', en: "Citizen's answer" },
    resolve: { id: 'Diselesaikan', en: 'Resolved' },
    postpone: { id: 'Ditunda', en: 'Postponed' },
    resume: { id: 'Dilanjutkan', en: 'Resumed' },
    forward: { id: 'Bukan wewenang, diteruskan', en: 'Not competent, forwarded' },
    archive: { id: 'Diarsipkan', en: 'Archived' },
    auto_close: { id: 'Ditutup otomatis', en: 'Closed automatically' },
    reopen: { id: 'Dibuka kembali', en: 'Reopened' },
    note: { id: 'Catatan internal', en: 'Internal note' },
    escalate: { id: 'Eskalasi SLA', en: 'SLA escalation' },
    forward_loop: { id: 'Disposisi berputar', en: 'Forwarding loop' },
  },
  /**
   * Why the desk refused an officer's request. `{channel}` is the surface's own way of naming
   * the desk channel (Slack: `<#C123>`).
   */
  refusals: {
    notFound: { id: '⛔ Laporan tidak ditemukan.', en: '⛔ Report not found.' },
    moved: {
      id: '⛔ Laporan {trackingId} sudah diteruskan ke {agency}. Tombol dan utas ini tidak berlaku lagi; tindak lanjut dilakukan di kanal instansi tersebut.',
      en: '⛔ Report {trackingId} has been forwarded to {agency}. These buttons and this thread no longer apply; follow it up in that agency’s channel.',
    },
    notMember: {
      id: '⛔ Hanya anggota kanal {channel} yang dapat menindaklanjuti laporan {trackingId}.',
      en: '⛔ Only members of {channel} can act on report {trackingId}.',
    },
    notMemberView: {
      id: '⛔ Hanya anggota kanal instansi yang menangani laporan {trackingId} atau kanal admin yang dapat melihatnya.',
      en: '⛔ Only members of the channel of the agency handling report {trackingId}, or of the admin channel, can see it.',
    },
  },
} as const satisfies Record<string, Record<string, Pair>>;

export type OfficerLabelGroup = keyof typeof OFFICER_LABELS;

/** One label; an unknown key is shown as it is (a new event kind must not break the desk). */
export function officerLabel<G extends OfficerLabelGroup>(
  group: G,
  key: keyof (typeof OFFICER_LABELS)[G] | (string & {}),
  locale: Locale = 'id',
): string {
  const entry = (OFFICER_LABELS[group] as Record<string, Pair>)[key as string];
  return entry ? entry[locale] : String(key);
}

/** Fills `{name}` placeholders of a label. */
export function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** What an officer reads when core refuses an action. */
export function explainRefusal(error: LaporError, locale: Locale = 'id'): string {
  if (error instanceof IllegalTransitionError) {
    const possible = error.allowed
      .map((a: LifecycleAction) => (OFFICER_LABELS.actions as Record<string, Pair>)[a]?.[locale])
      .filter(Boolean);
    return locale === 'en'
      ? `⛔ This action is not possible in status "${STATUS_LABELS[error.from].en}".${
          possible.length ? ` Possible: ${possible.join(', ')}.` : ''
        }`
      : `⛔ Tindakan ini tidak bisa dilakukan pada status "${STATUS_LABELS[error.from].id}".${
          possible.length ? ` Yang bisa dilakukan: ${possible.join(', ')}.` : ''
        }`;
  }
  switch (error.code) {
    case 'LAPOR_ERR_REPORT_MOVED':
      return locale === 'en'
        ? `⛔ ${error.message} Your action was not carried out; the report is handled in that agency's channel.`
        : `⛔ ${error.message} Tindakan Anda tidak dijalankan; laporan ditangani di kanal instansi tersebut.`;
    case 'LAPOR_ERR_UNKNOWN_AGENCY':
    case 'LAPOR_ERR_BAD_REQUEST':
      return `⛔ ${error.message}`;
    default:
      return locale === 'en'
        ? '⛔ Something went wrong. Please try again.'
        : '⛔ Terjadi kesalahan. Silakan coba lagi.';
  }
}
