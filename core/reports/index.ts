/**
 * The report use cases, one file each: filing (file.ts), status changes (transition.ts), officer
 * actions incl. forward/resolve/postpone (officer.ts), the citizen's replies and status queries
 * (citizen.ts), the SLA clock (sla.ts) and ratings (rating.ts).
 */
export type { ReportRow } from '../store/repos/reports.ts';
export { citizenReply, statusOf } from './citizen.ts';
export { ADMIN_AGENCY, type CoreContext, type SlaConfig } from './context.ts';
export { type FileInput, fileReport } from './file.ts';
export { type Actor, actOnReport, type OfficerAction } from './officer.ts';
export { askForRating, DEFAULT_REOPEN_WINDOW_DAYS, type RatingInput, rateReport } from './rating.ts';
export { runSlaTick } from './sla.ts';
export { transition } from './transition.ts';
