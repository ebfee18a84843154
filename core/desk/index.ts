/**
 * The officers' desk: use cases (desk.ts), the port a desk surface implements (port.ts), the
 * catalogue of officer labels (labels.ts) and privacy masking (privacy.ts).
 */
export {
  type ActExtra,
  type Actor,
  type ActResult,
  type Authorisation,
  type AuthoriseRequest,
  createDesk,
  type Desk,
  type HistoryEvent,
  type OfficerAction,
  type Refusal,
  type ReportCard,
  type ReportRow,
  type SentKind,
} from './desk.ts';
export { explainRefusal, fill, OFFICER_LABELS, type OfficerLabelGroup, officerLabel } from './labels.ts';
export type { DeskChannel, DeskDelivery, DeskDeps, DeskFactory } from './port.ts';
export {
  isConfidential,
  MASKS,
  maskPersonalData,
  type Privacy,
  type ReporterIdentity,
  reporterLabel,
  textForDesk,
} from './privacy.ts';
