/**
 * The report lifecycle: statuses, who may do what, and the transition table.
 *
 * Transition table (from -> to, roles). Every (status, action, role) not listed is illegal.
 *
 * | action        | from                                          | to              | roles                  |
 * |---------------|-----------------------------------------------|-----------------|------------------------|
 * | verify        | diterima                                      | terverifikasi   | system, admin          |
 * | dispatch      | terverifikasi, bukan_wewenang                 | didisposisikan  | system, admin          |
 * | accept        | didisposisikan                                | ditindaklanjuti | officer                |
 * | follow_up     | didisposisikan, ditindaklanjuti               | ditindaklanjuti | officer                |
 * | request_info  | didisposisikan, ditindaklanjuti               | ditindaklanjuti | officer                |
 * | request_info  | diterima                                      | diterima        | admin                  |
 * | citizen_reply | diterima                                      | diterima        | citizen                |
 * | citizen_reply | terverifikasi                                 | terverifikasi   | citizen                |
 * | citizen_reply | didisposisikan                                | didisposisikan  | citizen                |
 * | citizen_reply | ditindaklanjuti                               | ditindaklanjuti | citizen                |
 * | citizen_reply | ditunda                                       | ditunda         | citizen                |
 * | citizen_reply | bukan_wewenang                                | bukan_wewenang  | citizen                |
 * | resolve       | didisposisikan, ditindaklanjuti               | selesai         | officer                |
 * | postpone      | didisposisikan, ditindaklanjuti               | ditunda         | officer, admin         |
 * | resume        | ditunda                                       | ditindaklanjuti | officer, admin, system |
 * | forward       | didisposisikan, ditindaklanjuti, ditunda      | bukan_wewenang  | officer, admin         |
 * | archive       | diterima, terverifikasi                       | diarsipkan      | admin                  |
 * | auto_close    | ditindaklanjuti                               | selesai         | system                 |
 * | reopen        | selesai                                       | ditindaklanjuti | admin, citizen         |
 *
 * Notes on the choices (LAPOR! practice):
 * - A new report is routed in two steps: verify, then dispatch to the agency (disposisi),
 *   both by the machine (system) when it is confident or by the national admin (verifikator).
 * - The agency's first reaction (accept, follow_up, request_info or an immediate resolve)
 *   ends the "agency responds within 5 working days" clock; the report is then
 *   ditindaklanjuti. `accept` only exists on didisposisikan: a report is accepted once.
 * - request_info asks the citizen a question; the citizen's answer (citizen_reply) adds to the
 *   report and never changes its status. Citizens may add to any open report and can do
 *   nothing else. Before verification the admin may ask the citizen to complete the report.
 * - forward records bukan_wewenang ("not our competence") and is followed by dispatch to the
 *   new agency (system or admin), so every hop stays in the history.
 * - auto_close is the system closing a ditindaklanjuti report 10 working days after a
 *   follow-up with no citizen reply; the SLA clock decides when, this table only allows it.
 * - Terminal statuses: selesai and diarsipkan. A selesai report is reopened by the admin, or by
 *   the citizen who rates the answer "tidak puas" (1-2 of 5) within the reopen window
 *   (RATING_REOPEN_DAYS working days, enforced by the caller, core/reports/rating.ts); it goes
 *   back to the same agency as ditindaklanjuti with a new response deadline. A rating of 3-5
 *   closes it for the citizen for good. An archived report (spam, duplicate) cannot be revived;
 *   the citizen files a new one.
 */
import { LaporError } from '../errors.ts';

/** Status of a report. */
export type ReportStatus =
  | 'diterima'
  | 'terverifikasi'
  | 'didisposisikan'
  | 'ditindaklanjuti'
  | 'selesai'
  | 'ditunda'
  | 'bukan_wewenang'
  | 'diarsipkan';

/** Who performs an action. */
export type ActorRole = 'system' | 'admin' | 'officer' | 'citizen';

/** Something an actor does to a report. */
export type LifecycleAction =
  | 'verify'
  | 'dispatch'
  | 'accept'
  | 'follow_up'
  | 'request_info'
  | 'citizen_reply'
  | 'resolve'
  | 'postpone'
  | 'resume'
  | 'forward'
  | 'archive'
  | 'auto_close'
  | 'reopen';

/** One row of the transition table. */
export interface Transition {
  action: LifecycleAction;
  from: ReportStatus[];
  to: ReportStatus;
  roles: ActorRole[];
}

/**
 * Every status, in lifecycle order.
 *
 * @example
 * ```ts
 * z.enum(REPORT_STATUSES); // e.g. to validate API input
 * ```
 */
export const REPORT_STATUSES = [
  'diterima',
  'terverifikasi',
  'didisposisikan',
  'ditindaklanjuti',
  'selesai',
  'ditunda',
  'bukan_wewenang',
  'diarsipkan',
] as const satisfies readonly ReportStatus[];

/**
 * Every actor role.
 *
 * @example
 * ```ts
 * ACTOR_ROLES.includes('officer'); // true
 * ```
 */
export const ACTOR_ROLES = ['system', 'admin', 'officer', 'citizen'] as const satisfies readonly ActorRole[];

/**
 * Every lifecycle action.
 *
 * @example
 * ```ts
 * LIFECYCLE_ACTIONS.length; // 13
 * ```
 */
export const LIFECYCLE_ACTIONS = [
  'verify',
  'dispatch',
  'accept',
  'follow_up',
  'request_info',
  'citizen_reply',
  'resolve',
  'postpone',
  'resume',
  'forward',
  'archive',
  'auto_close',
  'reopen',
] as const satisfies readonly LifecycleAction[];

const OPEN_STATUSES_FOR_CITIZEN_REPLY: readonly ReportStatus[] = [
  'diterima',
  'terverifikasi',
  'didisposisikan',
  'ditindaklanjuti',
  'ditunda',
  'bukan_wewenang',
];

function freeze(transition: Transition): Transition {
  Object.freeze(transition.from);
  Object.freeze(transition.roles);
  return Object.freeze(transition);
}

/**
 * The transition table (see the module comment). No (status, action, role) appears twice.
 *
 * @example
 * ```ts
 * TRANSITIONS.filter((t) => t.action === 'dispatch'); // [{ from: ['terverifikasi', 'bukan_wewenang'], to: 'didisposisikan', ... }]
 * ```
 */
export const TRANSITIONS: readonly Transition[] = Object.freeze(
  [
    { action: 'verify', from: ['diterima'], to: 'terverifikasi', roles: ['system', 'admin'] },
    {
      action: 'dispatch',
      from: ['terverifikasi', 'bukan_wewenang'],
      to: 'didisposisikan',
      roles: ['system', 'admin'],
    },
    { action: 'accept', from: ['didisposisikan'], to: 'ditindaklanjuti', roles: ['officer'] },
    {
      action: 'follow_up',
      from: ['didisposisikan', 'ditindaklanjuti'],
      to: 'ditindaklanjuti',
      roles: ['officer'],
    },
    {
      action: 'request_info',
      from: ['didisposisikan', 'ditindaklanjuti'],
      to: 'ditindaklanjuti',
      roles: ['officer'],
    },
    { action: 'request_info', from: ['diterima'], to: 'diterima', roles: ['admin'] },
    ...OPEN_STATUSES_FOR_CITIZEN_REPLY.map(
      (status): Transition => ({ action: 'citizen_reply', from: [status], to: status, roles: ['citizen'] }),
    ),
    { action: 'resolve', from: ['didisposisikan', 'ditindaklanjuti'], to: 'selesai', roles: ['officer'] },
    {
      action: 'postpone',
      from: ['didisposisikan', 'ditindaklanjuti'],
      to: 'ditunda',
      roles: ['officer', 'admin'],
    },
    { action: 'resume', from: ['ditunda'], to: 'ditindaklanjuti', roles: ['officer', 'admin', 'system'] },
    {
      action: 'forward',
      from: ['didisposisikan', 'ditindaklanjuti', 'ditunda'],
      to: 'bukan_wewenang',
      roles: ['officer', 'admin'],
    },
    { action: 'archive', from: ['diterima', 'terverifikasi'], to: 'diarsipkan', roles: ['admin'] },
    { action: 'auto_close', from: ['ditindaklanjuti'], to: 'selesai', roles: ['system'] },
    { action: 'reopen', from: ['selesai'], to: 'ditindaklanjuti', roles: ['admin', 'citizen'] },
  ].map((t) => freeze(t as Transition)),
);

/**
 * Labels to show for each status: Indonesian first, English second.
 *
 * @example
 * ```ts
 * STATUS_LABELS.didisposisikan.id; // 'Didisposisikan ke instansi'
 * ```
 */
export const STATUS_LABELS: Readonly<Record<ReportStatus, { id: string; en: string }>> = Object.freeze({
  diterima: { id: 'Diterima', en: 'Received' },
  terverifikasi: { id: 'Terverifikasi', en: 'Verified' },
  didisposisikan: { id: 'Didisposisikan ke instansi', en: 'Dispatched to the agency' },
  ditindaklanjuti: { id: 'Sedang ditindaklanjuti', en: 'Being followed up' },
  selesai: { id: 'Selesai', en: 'Resolved' },
  ditunda: { id: 'Ditunda', en: 'Postponed' },
  bukan_wewenang: { id: 'Bukan wewenang, diteruskan', en: 'Not within the agency’s authority, forwarded' },
  diarsipkan: { id: 'Diarsipkan', en: 'Archived' },
});

/**
 * Statuses after which nothing happens (except reopening a selesai report: admin, or citizen's rating).
 *
 * @example
 * ```ts
 * TERMINAL_STATUSES.has('selesai'); // true
 * ```
 */
export const TERMINAL_STATUSES: ReadonlySet<ReportStatus> = new Set<ReportStatus>(['selesai', 'diarsipkan']);

function findTransition(
  current: ReportStatus,
  action: LifecycleAction,
  role: ActorRole,
): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && t.from.includes(current) && t.roles.includes(role));
}

/**
 * Actions `role` may take on a report in status `current`, in table order, without duplicates.
 *
 * @example
 * ```ts
 * allowedActions('didisposisikan', 'officer'); // ['accept', 'follow_up', 'request_info', 'resolve', 'postpone', 'forward']
 * allowedActions('selesai', 'citizen');        // []
 * ```
 */
export function allowedActions(current: ReportStatus, role: ActorRole): LifecycleAction[] {
  const actions: LifecycleAction[] = [];
  for (const t of TRANSITIONS) {
    if (t.from.includes(current) && t.roles.includes(role) && !actions.includes(t.action))
      actions.push(t.action);
  }
  return actions;
}

/**
 * Thrown when an action is not allowed for a role in a report's current status.
 * Carries `from`, `action`, `role` and the stable code `LAPOR_ERR_ILLEGAL_TRANSITION` (HTTP 409).
 *
 * @example
 * ```ts
 * try { nextStatus('diterima', 'resolve', 'officer'); }
 * catch (e) { if (e instanceof IllegalTransitionError) console.log(e.code, e.from, e.action, e.role); }
 * ```
 */
export class IllegalTransitionError extends LaporError {
  override readonly code = 'LAPOR_ERR_ILLEGAL_TRANSITION' as const;
  readonly from: ReportStatus;
  readonly action: LifecycleAction;
  readonly role: ActorRole;
  readonly allowed: readonly LifecycleAction[];

  constructor(from: ReportStatus, action: LifecycleAction, role: ActorRole) {
    const allowed = allowedActions(from, role);
    const list = allowed.length > 0 ? allowed.join(', ') : 'none';
    super(
      'LAPOR_ERR_ILLEGAL_TRANSITION',
      `Illegal transition: ${role} cannot '${action}' a report in status '${from}' (${STATUS_LABELS[from].en}). ` +
        `Allowed actions for ${role} in '${from}': ${list}.`,
      { from, action, role, allowed },
    );
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.action = action;
    this.role = role;
    this.allowed = allowed;
  }
}

/**
 * The status a report moves to when `role` performs `action` in status `current`.
 * Throws {@link IllegalTransitionError} when the table does not allow it.
 *
 * @example
 * ```ts
 * nextStatus('diterima', 'verify', 'system');          // 'terverifikasi'
 * nextStatus('ditindaklanjuti', 'citizen_reply', 'citizen'); // 'ditindaklanjuti'
 * nextStatus('selesai', 'resolve', 'officer');          // throws IllegalTransitionError
 * ```
 */
export function nextStatus(current: ReportStatus, action: LifecycleAction, role: ActorRole): ReportStatus {
  const transition = findTransition(current, action, role);
  if (!transition) throw new IllegalTransitionError(current, action, role);
  return transition.to;
}
