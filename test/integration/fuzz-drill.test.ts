/**
 * `npm run drill -- --fuzz` in small: the drill's own counting runs and every failure count is 0
 * (the full drill sends many more requests; see bench/fuzz-drill.ts).
 */
import { describe, expect, it } from 'vitest';
import { runFuzzDrill } from '../../bench/fuzz-drill.ts';

describe('bad-input drill', () => {
  it('sends fuzzed, forged and burst requests and counts no failure', async () => {
    const r = await runFuzzDrill({ perEdge: 8, burst: 20 });
    expect(r.requests).toBeGreaterThan(100);
    expect(r.logLines).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
    expect({
      forgedAccepted: r.forgedAccepted,
      serverErrors: r.serverErrors,
      personalDataLines: r.personalDataLines,
      blockedConversations: r.blockedConversations,
      burstDuplicated: r.burstDuplicated,
      burstAnswered: r.burstAnswered,
    }).toEqual({
      forgedAccepted: 0,
      serverErrors: 0,
      personalDataLines: 0,
      blockedConversations: 0,
      burstDuplicated: 0,
      burstAnswered: 20,
    });
    expect(r.ok).toBe(true);
  }, 240_000);
});
