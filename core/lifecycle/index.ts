/**
 * Report lifecycle: statuses, labels and the transition table.
 *
 * @example
 * ```ts
 * import { nextStatus, STATUS_LABELS } from '../lifecycle/index.ts';
 * const status = nextStatus(report.status, 'follow_up', 'officer'); // 'ditindaklanjuti'
 * STATUS_LABELS[status].id; // 'Sedang ditindaklanjuti'
 * ```
 */
export {
  ACTOR_ROLES,
  type ActorRole,
  allowedActions,
  IllegalTransitionError,
  LIFECYCLE_ACTIONS,
  type LifecycleAction,
  nextStatus,
  REPORT_STATUSES,
  type ReportStatus,
  STATUS_LABELS,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type Transition,
} from './lifecycle.ts';
