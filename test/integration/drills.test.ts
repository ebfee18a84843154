/**
 * Fault drills (bench/drills.ts) in the test suite: the whole service as a child process under
 * load from simulated citizens, on an embedded PGlite data directory and on the local PostgreSQL
 * server (a schema of its own; the server itself is never restarted: other suites use it).
 *
 * No timing is asserted, only what must hold whatever the machine's speed: every message the
 * provider got a 200 for is answered, no report is half-filed, nothing is left unsent, and no
 * reply is sent twice — except, after a process died mid-send, the outbox rows it had claimed:
 * Telegram's sendMessage has no idempotency key, so a row whose send may or may not have gone
 * out before the process died is sent again (at-least-once). Every duplicate must be one of
 * those rows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupWorkDir, postgresAvailable } from '../../bench/databases.ts';
import { type DrillResult, runDrills } from '../../bench/drills.ts';

const available = await postgresAvailable();
const log = (line: string) => process.stderr.write(`${line}\n`);

function explain(r: DrillResult): string {
  return JSON.stringify({ ...r, notes: r.notes.slice(0, 5) }, null, 1);
}

function expectNothingLost(r: DrillResult): void {
  const why = explain(r);
  expect(r.acknowledged, why).toBeGreaterThan(0);
  expect(r.lost, why).toBe(0);
  expect(r.timeouts, why).toBe(0);
  expect(r.repliesReceived, why).toBeGreaterThanOrEqual(r.repliesOwed);
  expect(r.halfFiled, why).toBe(0);
  expect(r.unsent, why).toBe(0);
  expect(r.unprocessed, why).toBe(0);
  expect(r.orderViolations, why).toBe(0);
}

describe('fault drills on PGlite (the embedded default)', () => {
  afterAll(() => cleanupWorkDir());

  it('kill -9 during load, restart on the same data directory: nothing acknowledged is lost, no report half-filed', async () => {
    const [r] = await runDrills({ quick: true, dbs: ['pglite'], drills: ['kill9'], log });
    expectNothingLost(r!);
    expect(r!.crashes, explain(r!)).toBe(0);
    expect(r!.duplicates, explain(r!)).toBeLessThanOrEqual(r!.inDoubt);
  }, 240_000);
});

describe.skipIf(!available)('fault drills on PostgreSQL', () => {
  afterAll(() => cleanupWorkDir());

  it('kill -9 during load, restart: nothing acknowledged is lost, no report half-filed, duplicates only of in-doubt sends', async () => {
    const [r] = await runDrills({ quick: true, dbs: ['postgresql'], drills: ['kill9'], log });
    expectNothingLost(r!);
    expect(r!.crashes, explain(r!)).toBe(0);
    expect(r!.duplicates, explain(r!)).toBeLessThanOrEqual(r!.inDoubt);
  }, 240_000);

  it('PostgreSQL connections terminated under load: the service recovers by itself', async () => {
    const [r] = await runDrills({ quick: true, dbs: ['postgresql'], drills: ['pg-connections'], log });
    // The process must survive losing its connections (no supervisor restart needed).
    expect(r!.crashes, explain(r!)).toBe(0);
    expectNothingLost(r!);
    expect(r!.duplicates, explain(r!)).toBeLessThanOrEqual(r!.inDoubt);
  }, 240_000);

  it('the Bot API answers 429/500 and drops connections for a while: replies are delayed, not lost or doubled', async () => {
    const [r] = await runDrills({ quick: true, dbs: ['postgresql'], drills: ['provider-errors'], log });
    expectNothingLost(r!);
    expect(r!.crashes, explain(r!)).toBe(0);
    expect(r!.duplicates, explain(r!)).toBe(0);
    expect(r!.ok, explain(r!)).toBe(true);
  }, 240_000);
});
