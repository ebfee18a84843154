import { describe, expect, it } from 'vitest';
import { LaporError } from '../../core/errors.ts';
import {
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
} from '../../core/lifecycle/index.ts';

/** The intended table, written out independently of TRANSITIONS: [from, action, role, to]. */
const EXPECTED: [ReportStatus, LifecycleAction, ActorRole, ReportStatus][] = [
  ['diterima', 'verify', 'system', 'terverifikasi'],
  ['diterima', 'verify', 'admin', 'terverifikasi'],
  ['terverifikasi', 'dispatch', 'system', 'didisposisikan'],
  ['terverifikasi', 'dispatch', 'admin', 'didisposisikan'],
  ['bukan_wewenang', 'dispatch', 'system', 'didisposisikan'],
  ['bukan_wewenang', 'dispatch', 'admin', 'didisposisikan'],
  ['didisposisikan', 'accept', 'officer', 'ditindaklanjuti'],
  ['didisposisikan', 'follow_up', 'officer', 'ditindaklanjuti'],
  ['ditindaklanjuti', 'follow_up', 'officer', 'ditindaklanjuti'],
  ['didisposisikan', 'request_info', 'officer', 'ditindaklanjuti'],
  ['ditindaklanjuti', 'request_info', 'officer', 'ditindaklanjuti'],
  ['diterima', 'request_info', 'admin', 'diterima'],
  ['diterima', 'citizen_reply', 'citizen', 'diterima'],
  ['terverifikasi', 'citizen_reply', 'citizen', 'terverifikasi'],
  ['didisposisikan', 'citizen_reply', 'citizen', 'didisposisikan'],
  ['ditindaklanjuti', 'citizen_reply', 'citizen', 'ditindaklanjuti'],
  ['ditunda', 'citizen_reply', 'citizen', 'ditunda'],
  ['bukan_wewenang', 'citizen_reply', 'citizen', 'bukan_wewenang'],
  ['didisposisikan', 'resolve', 'officer', 'selesai'],
  ['ditindaklanjuti', 'resolve', 'officer', 'selesai'],
  ['didisposisikan', 'postpone', 'officer', 'ditunda'],
  ['didisposisikan', 'postpone', 'admin', 'ditunda'],
  ['ditindaklanjuti', 'postpone', 'officer', 'ditunda'],
  ['ditindaklanjuti', 'postpone', 'admin', 'ditunda'],
  ['ditunda', 'resume', 'officer', 'ditindaklanjuti'],
  ['ditunda', 'resume', 'admin', 'ditindaklanjuti'],
  ['ditunda', 'resume', 'system', 'ditindaklanjuti'],
  ['didisposisikan', 'forward', 'officer', 'bukan_wewenang'],
  ['didisposisikan', 'forward', 'admin', 'bukan_wewenang'],
  ['ditindaklanjuti', 'forward', 'officer', 'bukan_wewenang'],
  ['ditindaklanjuti', 'forward', 'admin', 'bukan_wewenang'],
  ['ditunda', 'forward', 'officer', 'bukan_wewenang'],
  ['ditunda', 'forward', 'admin', 'bukan_wewenang'],
  ['diterima', 'archive', 'admin', 'diarsipkan'],
  ['terverifikasi', 'archive', 'admin', 'diarsipkan'],
  ['ditindaklanjuti', 'auto_close', 'system', 'selesai'],
  ['selesai', 'reopen', 'admin', 'ditindaklanjuti'],
  ['selesai', 'reopen', 'citizen', 'ditindaklanjuti'],
];

const key = (from: string, action: string, role: string): string => `${from}|${action}|${role}`;
const expectedTo = new Map(EXPECTED.map(([from, action, role, to]) => [key(from, action, role), to]));

describe('transition table', () => {
  it('contains exactly the intended transitions, each (status, action, role) once', () => {
    const fromTable = TRANSITIONS.flatMap((t) =>
      t.from.flatMap((from) => t.roles.map((role) => key(from, t.action, role))),
    );
    expect(new Set(fromTable).size).toBe(fromTable.length);
    expect(new Set(fromTable)).toEqual(new Set(expectedTo.keys()));
  });

  it.each(EXPECTED)('%s --%s by %s--> %s', (from, action, role, to) => {
    expect(nextStatus(from, action, role)).toBe(to);
    expect(allowedActions(from, role)).toContain(action);
  });

  it('every (status, action, role) outside the table throws IllegalTransitionError', () => {
    let illegal = 0;
    for (const from of REPORT_STATUSES) {
      for (const action of LIFECYCLE_ACTIONS) {
        for (const role of ACTOR_ROLES) {
          if (expectedTo.has(key(from, action, role))) continue;
          illegal++;
          let caught: unknown;
          try {
            nextStatus(from, action, role);
          } catch (error) {
            caught = error;
          }
          expect(caught, key(from, action, role)).toBeInstanceOf(IllegalTransitionError);
          const e = caught as IllegalTransitionError;
          expect(e.from).toBe(from);
          expect(e.action).toBe(action);
          expect(e.role).toBe(role);
          expect(e.code).toBe('LAPOR_ERR_ILLEGAL_TRANSITION');
          expect(allowedActions(from, role)).not.toContain(action);
        }
      }
    }
    expect(illegal).toBe(
      REPORT_STATUSES.length * LIFECYCLE_ACTIONS.length * ACTOR_ROLES.length - EXPECTED.length,
    );
  });

  it('the table cannot be modified at run time', () => {
    expect(Object.isFrozen(TRANSITIONS)).toBe(true);
    const first = TRANSITIONS[0]!;
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => (first.roles as ActorRole[]).push('citizen')).toThrow(TypeError);
  });
});

describe('IllegalTransitionError', () => {
  it('says what was attempted and lists the allowed actions', () => {
    let caught: unknown;
    try {
      nextStatus('didisposisikan', 'verify', 'officer');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toBeInstanceOf(LaporError);
    expect(caught).toBeInstanceOf(Error);
    const e = caught as IllegalTransitionError;
    expect(e.status).toBe(409);
    expect(e.name).toBe('IllegalTransitionError');
    expect(e.message).toContain("officer cannot 'verify'");
    expect(e.message).toContain("'didisposisikan'");
    expect(e.message).toContain('accept, follow_up, request_info, resolve, postpone, forward');
    expect(e.allowed).toEqual(['accept', 'follow_up', 'request_info', 'resolve', 'postpone', 'forward']);
  });

  it('says "none" when the role can do nothing', () => {
    expect(() => nextStatus('diarsipkan', 'reopen', 'admin')).toThrow(
      /Allowed actions for admin in 'diarsipkan': none/,
    );
  });
});

describe('routing and handling flows', () => {
  function run(steps: [LifecycleAction, ActorRole][], start: ReportStatus = 'diterima'): ReportStatus[] {
    const seen: ReportStatus[] = [start];
    let status = start;
    for (const [action, role] of steps) {
      status = nextStatus(status, action, role);
      seen.push(status);
    }
    return seen;
  }

  it('routes, handles and auto-closes a report', () => {
    expect(
      run([
        ['verify', 'system'],
        ['dispatch', 'system'],
        ['accept', 'officer'],
        ['request_info', 'officer'],
        ['citizen_reply', 'citizen'],
        ['follow_up', 'officer'],
        ['auto_close', 'system'],
      ]),
    ).toEqual([
      'diterima',
      'terverifikasi',
      'didisposisikan',
      'ditindaklanjuti',
      'ditindaklanjuti',
      'ditindaklanjuti',
      'ditindaklanjuti',
      'selesai',
    ]);
  });

  it('keeps every hop when an agency says it is not competent', () => {
    expect(
      run([
        ['verify', 'admin'],
        ['dispatch', 'admin'],
        ['forward', 'officer'],
        ['dispatch', 'system'],
        ['postpone', 'officer'],
        ['resume', 'officer'],
        ['resolve', 'officer'],
        ['reopen', 'admin'],
      ]),
    ).toEqual([
      'diterima',
      'terverifikasi',
      'didisposisikan',
      'bukan_wewenang',
      'didisposisikan',
      'ditunda',
      'ditindaklanjuti',
      'selesai',
      'ditindaklanjuti',
    ]);
  });
});

describe('roles and terminal statuses', () => {
  it('citizens can only reply, which never changes the status, or reopen a resolved report', () => {
    for (const status of REPORT_STATUSES) {
      const actions = allowedActions(status, 'citizen');
      if (status === 'selesai') {
        expect(actions).toEqual(['reopen']);
        continue;
      }
      expect(actions.every((a) => a === 'citizen_reply')).toBe(true);
      if (actions.length > 0) expect(nextStatus(status, 'citizen_reply', 'citizen')).toBe(status);
      else expect(TERMINAL_STATUSES.has(status)).toBe(true);
    }
  });

  it('terminal statuses allow nothing except the admin or the citizen reopening a selesai report', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['diarsipkan', 'selesai']);
    for (const status of TERMINAL_STATUSES) {
      for (const role of ACTOR_ROLES) {
        const expected = status === 'selesai' && (role === 'admin' || role === 'citizen') ? ['reopen'] : [];
        expect(allowedActions(status, role), `${status} ${role}`).toEqual(expected);
      }
    }
  });

  it('every non-terminal status has a way forward for someone other than the citizen', () => {
    for (const status of REPORT_STATUSES) {
      if (TERMINAL_STATUSES.has(status)) continue;
      const actions = ACTOR_ROLES.filter((r) => r !== 'citizen').flatMap((r) => allowedActions(status, r));
      const moves = actions.filter((a) => a !== 'request_info' && a !== 'follow_up');
      expect(moves.length, status).toBeGreaterThan(0);
    }
  });

  it('allowedActions lists actions in table order without duplicates', () => {
    expect(allowedActions('didisposisikan', 'officer')).toEqual([
      'accept',
      'follow_up',
      'request_info',
      'resolve',
      'postpone',
      'forward',
    ]);
    expect(allowedActions('diterima', 'admin')).toEqual(['verify', 'request_info', 'archive']);
    expect(allowedActions('bukan_wewenang', 'system')).toEqual(['dispatch']);
  });
});

describe('STATUS_LABELS', () => {
  it('labels every status in Indonesian and English', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...REPORT_STATUSES].sort());
    for (const status of REPORT_STATUSES) {
      expect(STATUS_LABELS[status].id.length).toBeGreaterThan(0);
      expect(STATUS_LABELS[status].en.length).toBeGreaterThan(0);
    }
    expect(STATUS_LABELS.selesai).toEqual({ id: 'Selesai', en: 'Resolved' });
  });
});
