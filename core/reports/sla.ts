import { officerLabel } from '../desk/labels.ts';
import { notifyCitizen, notifyDesk } from '../messaging/index.ts';
import * as convos from '../store/repos/conversations.ts';
import * as reports from '../store/repos/reports.ts';
import { ADMIN_AGENCY, type CoreContext } from './context.ts';
import { agencyName, clearAwaitingReply, transition } from './transition.ts';

/**
 * One pass of the SLA clock: every report past its deadline is escalated once (admin desk
 * alert, apology to the citizen), and reports silent for the auto-close period after a
 * follow-up are closed as selesai.
 */
export async function runSlaTick(
  ctx: CoreContext,
  limit = 200,
): Promise<{ escalated: number; closed: number }> {
  const now = ctx.clock();
  const due = await ctx.db.prisma.$transaction((tx) => reports.overdueReports(tx, now, limit));
  let escalated = 0;
  let closed = 0;
  for (const candidate of due) {
    // One report's failure must not hold up the others (they are taken oldest first, so a
    // report that always fails would otherwise block every later one on every tick).
    await ctx.db.prisma
      .$transaction(async (tx) => {
        if (!candidate.dueAt) return;
        // Same lock order as the intake and officer actions: conversation, then report.
        await convos.lockConversation(tx, candidate.conversationId);
        if (!(await reports.claimEscalation(tx, candidate.id, candidate.dueAt, now))) return;
        const report = await reports.lockReport(tx, candidate.id);
        const name = await agencyName(tx, report.agencyCode);
        // Auto-close exists only for ditindaklanjuti (lifecycle table); a report waiting for the
        // citizen in another status (an admin's question before verification) is escalated.
        if (report.dueKind === 'citizen_reply' && report.status === 'ditindaklanjuti') {
          const next = await transition(
            tx,
            ctx,
            report,
            'auto_close',
            { role: 'system' },
            {
              visibility: 'public',
              note: `Tidak ada tanggapan pelapor selama ${ctx.sla.autoCloseDays} hari kerja`,
            },
          );
          await clearAwaitingReply(tx, next);
          await notifyCitizen(tx, next, 'autoClosed', {
            trackingId: report.trackingId,
            days: ctx.sla.autoCloseDays,
          });
          await notifyDesk(tx, ctx, report.agencyCode, {
            kind: 'report_update',
            reportId: report.id,
            note: 'Ditutup otomatis (pelapor tidak menanggapi)',
          });
          closed++;
          return;
        }
        const late = Math.max(1, ctx.calendar.workingDaysBetween(report.dueAt ?? now, now));
        await reports.addEvent(tx, {
          reportId: report.id,
          at: now,
          actorRole: 'system',
          action: 'escalate',
          agencyCode: report.agencyCode,
          visibility: 'internal',
          note: `Melewati batas ${officerLabel('dueKinds', report.dueKind ?? 'response')} (${late} hari kerja)`,
          data: { dueKind: report.dueKind, dueAt: report.dueAt?.toISOString() },
        });
        await notifyDesk(tx, ctx, ADMIN_AGENCY, {
          kind: 'admin_alert',
          reportId: report.id,
          note: `SLA terlewati: ${report.trackingId} di ${name} (${report.dueKind}, terlambat ${late} hari kerja)`,
        });
        // The apology is for our side's delay, not for a citizen who has not answered yet.
        if (report.dueKind !== 'citizen_reply') {
          await notifyCitizen(tx, report, 'overdue', { trackingId: report.trackingId, agency: name });
        }
        escalated++;
      })
      .catch((error: unknown) => {
        ctx.logger.error({ err: error, reportId: candidate.id }, 'SLA tick failed for a report; continuing');
      });
  }
  if (escalated || closed) ctx.onOutbox();
  return { escalated, closed };
}
