import { formatDate } from '../../dialogs/texts.ts';
import type { Locale } from '../../dialogs/types.ts';
import { STATUS_LABELS, TERMINAL_STATUSES } from '../lifecycle/index.ts';
import { notifyDesk } from '../messaging/index.ts';
import * as convos from '../store/repos/conversations.ts';
import type { ReportRow } from '../store/repos/reports.ts';
import * as reports from '../store/repos/reports.ts';
import type { Tx } from '../store/tx.ts';
import type { CoreContext } from './context.ts';
import { agencyName, dueFor, transition } from './transition.ts';

/** The citizen answered (after an officer's question or follow-up): attach it to the report. */
export async function citizenReply(
  tx: Tx,
  ctx: CoreContext,
  trackingId: string,
  message: { text: string; media: { kind: string; ref: string }[] },
): Promise<{ closed: boolean; report: ReportRow | null }> {
  const found = await reports.findReportByTrackingId(tx, trackingId);
  if (!found) return { closed: false, report: null };
  const report = await reports.lockReport(tx, found.id);
  if (TERMINAL_STATUSES.has(report.status)) return { closed: true, report };
  const now = ctx.clock();
  const next = await transition(
    tx,
    ctx,
    report,
    'citizen_reply',
    { role: 'citizen' },
    {
      note: message.text,
      visibility: 'public',
      update:
        report.dueKind === 'citizen_reply'
          ? // Before verification the national desk owes the next step, afterwards the agency.
            report.status === 'diterima' || report.status === 'terverifikasi'
            ? { dueKind: 'verification', dueAt: dueFor(ctx, 'verification', now), escalatedAt: null }
            : { dueKind: 'response', dueAt: dueFor(ctx, 'response', now), escalatedAt: null }
          : {},
    },
  );
  if (message.media.length) {
    await convos.addAttachments(
      tx,
      message.media.map((m) => ({ reportId: report.id, channel: report.channel, kind: m.kind, ref: m.ref })),
    );
  }
  await notifyDesk(tx, ctx, report.agencyCode, {
    kind: 'citizen_message',
    reportId: report.id,
    text: message.text,
  });
  return { closed: false, report: next };
}

/** The citizen-facing status of a report: status, agency, latest public event. No personal data. */
export async function statusOf(tx: Tx, trackingId: string, locale: Locale) {
  const report = await reports.findReportByTrackingId(tx, trackingId);
  if (!report) return null;
  const events = await reports.listEvents(tx, report.id, 'public');
  const last = events.at(-1);
  return {
    trackingId: report.trackingId,
    status: STATUS_LABELS[report.status][locale],
    agency: await agencyName(tx, report.agencyCode),
    lastEvent: last
      ? `${formatDate(locale, last.at)}${last.note ? ` — ${last.note.slice(0, 160)}` : ''}`
      : '-',
  };
}
