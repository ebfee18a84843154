/**
 * What the report domain needs from the outside world, passed in once: the database, the router,
 * the working-day calendar and SLA figures, a clock (injectable so tests move time), and whether
 * an officer desk (Slack) is connected.
 */
import type { WorkCalendar } from '../calendar/index.ts';
import type { Logger } from '../logger.ts';
import type { Router } from '../routing/index.ts';
import type { Database } from '../store/database.ts';

export interface SlaConfig {
  verifyDays: number;
  responseDays: number;
  autoCloseDays: number;
  /** A citizen's "tidak puas" reopens a resolved report within this many working days (default 10). */
  reopenWindowDays?: number;
}

export interface CoreContext {
  db: Database;
  router: Router;
  calendar: WorkCalendar;
  sla: SlaConfig;
  clock: () => Date;
  logger: Logger;
  /** Slack desk: when null, officer notifications are not queued at all. */
  desk: { adminChannel: string } | null;
  /** Called after a transaction queued outbox rows, so a dispatcher can send at once. */
  onOutbox: () => void;
  /**
   * Reports one citizen may file in 24 hours before the next ones wait for a verifier instead of
   * going straight to an agency (default DEFAULT_REPORTS_PER_DAY).
   */
  reportsPerDay?: number;
  /** Days an open report collects "laporan serupa" (default DEFAULT_SIMILAR_WINDOW_DAYS). */
  similarWindowDays?: number;
}

export const DEFAULT_REPORTS_PER_DAY = 10;

export const ADMIN_AGENCY = 'ADMIN';
