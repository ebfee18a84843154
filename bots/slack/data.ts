/**
 * The desk's reads, each in one short transaction through core/store: a report with what its
 * card shows, and where its officers work. The reporter's identity is only read for `biasa`
 * reports, so a confidential report's identity is never even in the desk's memory.
 */

import { deskChannelFor } from '../../core/messaging/index.ts';
import type { CoreContext } from '../../core/reports/context.ts';
import type { ReportRow } from '../../core/store/repos/reports.ts';
import * as reports from '../../core/store/repos/reports.ts';
import type { Tx } from '../../core/store/tx.ts';
import type { ReportCard } from './render.ts';

/** The role of a channel's members: the national admin channel acts as admin. */
export function roleOfChannel(ctx: CoreContext, channel: string): 'officer' | 'admin' {
  return channel === ctx.desk?.adminChannel ? 'admin' : 'officer';
}

/** The card of a report as the channel `holder` shows it. */
export async function loadCard(
  tx: Tx,
  ctx: CoreContext,
  report: ReportRow,
  holder: string,
): Promise<ReportCard> {
  const agency = await reports.findAgency(tx, report.agencyCode);
  const reporter =
    report.privacy === 'biasa' ? await reports.findReporterIdentity(tx, report.conversationId) : null;
  return {
    report,
    agencyName: agency?.name ?? report.agencyCode,
    reporter,
    role: roleOfChannel(ctx, holder),
  };
}

/** A report and the channel where its agency's officers work now. */
export async function loadReportWithDesk(
  ctx: CoreContext,
  reportId: string,
): Promise<{ report: ReportRow; deskChannel: string; agencyName: string } | null> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const report = await reports.findReport(tx, reportId);
    if (!report) return null;
    const deskChannel = (await deskChannelFor(tx, ctx, report.agencyCode)) ?? ctx.desk?.adminChannel ?? '';
    const agencyName = (await reports.findAgency(tx, report.agencyCode))?.name ?? report.agencyCode;
    return { report, deskChannel, agencyName };
  });
}
