/**
 * What anyone may see of a report: the one place that decides it, for the status page and
 * Open311 alike.
 *
 * Never shown, whatever the privacy: who reported (name, channel, address), the citizen's own
 * words (description, answers, a location typed as free text) and officers' notes (free text
 * that may name people or quote numbers). What is shown is built from structured fields only:
 * status, topic, the agency, dates, and the kind of each public step.
 *
 * The reporter's privacy choice narrows it further. A `biasa` report shows its region as
 * precisely as it was placed (down to the kecamatan or desa) and a location pin rounded to
 * about 100 m. `rahasia` and `anonim` reporters agreed to nothing beyond the report's existence
 * and progress: their region is cut to the kabupaten/kota and no pin is shown, so that a
 * small place plus a topic cannot point at a person.
 *
 * @example
 * ```ts
 * const view = publicReportView(row, events, 'id');
 * view.region; // { code: '33.03', name: 'Kab. Purbalingga, Jawa Tengah' } for an anonymous report
 * ```
 */
import { CATEGORY_LABELS, isCategoryId } from '../../dialogs/categories.ts';
import type { Locale } from '../../dialogs/types.ts';
import { type ReportStatus, STATUS_LABELS, TERMINAL_STATUSES } from '../lifecycle/index.ts';
import type { PublicEventRow, PublicReportRow } from '../store/repos/public-reports.ts';

export type { Locale };

export interface PublicHistoryItem {
  at: Date;
  text: string;
  status: ReportStatus | null;
}

export interface PublicReportView {
  trackingId: string;
  status: ReportStatus;
  statusLabel: string;
  closed: boolean;
  category: string;
  categoryLabel: string;
  typeLabel: string;
  region: { code: string; name: string } | null;
  point: { lat: number; lon: number } | null;
  agencyName: string;
  filedAt: Date;
  updatedAt: Date;
  /** The deadline that runs now, and whose it is; null once closed or on hold. */
  due: { at: Date; label: string } | null;
  confidential: boolean;
  history: PublicHistoryItem[];
}

const TYPE_LABELS: Record<PublicReportRow['type'], { id: string; en: string }> = {
  pengaduan: { id: 'Pengaduan', en: 'Complaint' },
  aspirasi: { id: 'Aspirasi', en: 'Suggestion' },
  permintaan_informasi: { id: 'Permintaan informasi', en: 'Information request' },
};

const DUE_LABELS: Record<string, { id: string; en: string }> = {
  verification: { id: 'Batas verifikasi', en: 'Verification due' },
  response: { id: 'Batas tanggapan instansi', en: 'Agency response due' },
  citizen_reply: { id: 'Menunggu jawaban pelapor sampai', en: 'Waiting for the reporter until' },
};

/** One line per public step; `{agency}` is the agency the step concerns. */
const ACTION_TEXTS: Record<string, { id: string; en: string }> = {
  file: { id: 'Laporan diterima', en: 'Report received' },
  verify: { id: 'Laporan diverifikasi', en: 'Report verified' },
  dispatch: { id: 'Diteruskan ke {agency}', en: 'Forwarded to {agency}' },
  accept: { id: 'Diterima dan ditangani oleh {agency}', en: 'Taken up by {agency}' },
  follow_up: { id: '{agency} memberi tanggapan', en: '{agency} responded' },
  request_info: {
    id: '{agency} meminta keterangan dari pelapor',
    en: '{agency} asked the reporter for details',
  },
  citizen_reply: { id: 'Pelapor memberi keterangan tambahan', en: 'The reporter added details' },
  resolve: { id: 'Dinyatakan selesai oleh {agency}', en: 'Marked resolved by {agency}' },
  postpone: { id: 'Ditunda oleh {agency}', en: 'Put on hold by {agency}' },
  resume: { id: 'Dilanjutkan oleh {agency}', en: 'Resumed by {agency}' },
  auto_close: {
    id: 'Ditutup: tidak ada tanggapan pelapor',
    en: 'Closed: no reply from the reporter',
  },
  reopen: { id: 'Dibuka kembali atas penilaian pelapor', en: 'Reopened after the reporter’s rating' },
  rate: { id: 'Pelapor memberi penilaian', en: 'The reporter rated the answer' },
};

function categoryLabel(category: string, locale: Locale): string {
  return isCategoryId(category) ? CATEGORY_LABELS[category][locale] : category;
}

/**
 * The kabupaten/kota of a placed region: its code and the last two parts of its label
 * ("Desa X, Kec. Y, Kab. Z, Jawa Tengah" -> "Kab. Z, Jawa Tengah"). Provinces stay as they are.
 */
export function regencyLevel(region: { code: string; name: string }): { code: string; name: string } {
  const segments = region.code.split('.');
  if (segments.length <= 2) return region;
  const parts = region.name.split(', ');
  return { code: segments.slice(0, 2).join('.'), name: parts.slice(-2).join(', ') };
}

/** About 100 m: enough to find a pothole, too coarse to find a house. */
function roundPoint(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The label of a lifecycle status in a locale. */
export function statusLabel(status: ReportStatus, locale: Locale): string {
  return STATUS_LABELS[status][locale];
}

/** Builds the public view of a report (see the module comment for what is left out and why). */
export function publicReportView(
  row: PublicReportRow,
  events: PublicEventRow[],
  locale: Locale,
): PublicReportView {
  const confidential = row.privacy !== 'biasa';
  // A region name without a code is what the citizen typed: free text, never public.
  const placed = row.regionCode && row.regionName ? { code: row.regionCode, name: row.regionName } : null;
  const region = placed ? (confidential ? regencyLevel(placed) : placed) : null;
  const point =
    !confidential && row.latitude !== null && row.longitude !== null
      ? { lat: roundPoint(row.latitude), lon: roundPoint(row.longitude) }
      : null;
  const closed = TERMINAL_STATUSES.has(row.status);
  const history = events.map((e) => {
    const template = ACTION_TEXTS[e.action];
    const text = template
      ? template[locale].replace('{agency}', e.agencyName ?? row.agencyName)
      : e.toStatus
        ? statusLabel(e.toStatus, locale)
        : e.action;
    return { at: e.at, text, status: e.toStatus };
  });
  const dueLabel = row.dueKind ? DUE_LABELS[row.dueKind] : undefined;
  return {
    trackingId: row.trackingId,
    status: row.status,
    statusLabel: statusLabel(row.status, locale),
    closed,
    category: row.category,
    categoryLabel: categoryLabel(row.category, locale),
    typeLabel: TYPE_LABELS[row.type][locale],
    region,
    point,
    agencyName: row.agencyName,
    filedAt: row.createdAt,
    updatedAt: events.at(-1)?.at ?? row.createdAt,
    due: !closed && row.dueAt && dueLabel ? { at: row.dueAt, label: dueLabel[locale] } : null,
    confidential,
    history,
  };
}
