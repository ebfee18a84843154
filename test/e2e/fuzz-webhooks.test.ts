/**
 * Property-based tests (fast-check) over every webhook's body shape, against the whole service:
 * whatever a signed body holds, the answer is below 500; an unsigned one is refused and stores
 * nothing; afterwards the service is healthy and no conversation is left with messages it will
 * never process. Runs are few per edge so the file stays quick on a loaded machine; the drill
 * (`npm run drill -- --fuzz`) runs more.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyFor } from '../../fakes/hostile-bodies.ts';
import {
  type Edge,
  edgeRequest,
  type HostileService,
  startHostileService,
} from '../../fakes/hostile-service.ts';
import { storedRows, until } from '../support/channel-e2e.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

const EDGES: Edge[] = ['telegram', 'whatsapp', 'sms', 'slack_events', 'slack_form', 'slack_command'];
/** More with FUZZ_RUNS=N (the drill runs many more). */
const SIGNED_RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const UNSIGNED_RUNS = 5;

describe('fuzzed webhooks', () => {
  let handle: TestDatabase;
  let h: HostileService;

  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    h = await startHostileService(handle, { quarantine: { maxAttempts: 3, backoffMs: 10 } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await handle?.dispose();
  });

  it.each(EDGES)(
    'answers every signed %s body below 500',
    async (edge) => {
      await fc.assert(
        fc.asyncProperty(bodyFor(edge), async (body) => {
          const res = await h.inject(edgeRequest(edge, body, true));
          expect(res.status, `${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: SIGNED_RUNS },
      );
    },
    120_000,
  );

  it.each(EDGES)(
    'refuses every unsigned %s body and stores nothing',
    async (edge) => {
      await fc.assert(
        fc.asyncProperty(bodyFor(edge), async (body) => {
          const before = await storedRows(h.service);
          const rejected = await h.service.db.prisma.inboundRejection.count();
          const res = await h.inject(edgeRequest(edge, body, false));
          expect([400, 401, 403]).toContain(res.status);
          expect(await storedRows(h.service)).toEqual(before);
          expect(await h.service.db.prisma.inboundRejection.count()).toBe(rejected);
        }),
        { numRuns: UNSIGNED_RUNS },
      );
    },
    60_000,
  );

  it('is healthy afterwards, and no conversation is blocked', async () => {
    expect((await h.inject({ method: 'GET', url: '/healthz' })).status).toBe(200);
    expect((await h.inject({ method: 'GET', url: '/readyz' })).status).toBe(200);
    // Every stored citizen message is processed or quarantined: none waits forever.
    const blocked = () =>
      h.service.db.prisma.message.count({
        where: { direction: 'incoming', processedAt: null, failedAt: null },
      });
    await until(async () => (await blocked()) === 0, 'every message processed or quarantined', 60_000);
    expect(await blocked()).toBe(0);
    expect(await h.service.db.prisma.message.count({ where: { direction: 'incoming' } })).toBeGreaterThan(0);
    // No handler crashed on what it was given, even where the answer had already gone out.
    const crashes = h.logs.filter((l) =>
      /Slack listener failed|unhandled error|webhook failed|handling a webhook item failed/.test(l),
    );
    expect(crashes).toEqual([]);
  }, 90_000);
});
