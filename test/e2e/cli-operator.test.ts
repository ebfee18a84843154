/**
 * Operator commands as a new user meets them, through the real `lapor` binary on a fresh data
 * directory: `agency set-channel` before the first start (the directory seeds itself), `agency
 * search` with several words (every word must match, like the Slack forward menu), and the
 * poison-message quarantine (`messages failed | retry | drop | rejected`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/store/database.ts';
import * as convos from '../../core/store/repos/conversations.ts';
import * as quarantine from '../../core/store/repos/quarantine.ts';
import { initialState } from '../../dialogs/engine/index.ts';
import { runLapor, tempDataDir } from '../support/cli.ts';

const TEST_MS = 240_000;

describe('operator commands on a fresh data directory', () => {
  const dataDir = tempDataDir('lapor-operator-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'maps an agency before the first start, and searches with every word',
    async () => {
      const set = await runLapor(['agency', 'set-channel', 'PEMDA-33.03', 'C0123ABCD'], { dataDir });
      expect(set.stderr).toContain('agency directory seeded');
      expect(set.code).toBe(0);
      expect(set.stdout.trim()).toBe('PEMDA-33.03 -> C0123ABCD');

      const search = await runLapor(['agency', 'search', 'perhubungan', 'klaten'], { dataDir });
      expect(search.code).toBe(0);
      const lines = search.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => /perhubungan/i.test(l) && /klaten/i.test(l))).toBe(true);
      expect(search.stdout).toContain('Dinas Perhubungan Kabupaten Klaten');
    },
    TEST_MS,
  );

  it(
    'lists, retries and drops quarantined messages, and lists rejected payloads',
    async () => {
      // A quarantined message and a rejection, written into the same embedded database.
      const db = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
      let ids: string[] = [];
      try {
        await db.migrate();
        ids = await db.prisma.$transaction(async (tx) => {
          const conversation = await convos.ensureConversation(tx, {
            channel: 'sms',
            address: '+6281300000001',
            locale: 'id',
            initialState: initialState('id'),
          });
          const out: string[] = [];
          for (const n of [1, 2]) {
            const id = await convos.insertInbound(tx, conversation.id, {
              channel: 'sms',
              externalId: `operator-poison-${n}`,
              text: 'foto',
              payload: { media: 'abc' },
              receivedAt: new Date(),
            });
            await quarantine.markFailed(tx, id as string, 'TypeError', new Date());
            out.push(id as string);
          }
          await quarantine.recordRejection(tx, 'telegram', 'message.text: expected string', new Date());
          return out;
        });
      } finally {
        await db.close();
      }
      const [first, second] = ids as [string, string];

      const failed = await runLapor(['messages', 'failed'], { dataDir });
      expect(failed.code).toBe(0);
      expect(failed.stdout).toContain(first);
      expect(failed.stdout).toContain(second);
      expect(failed.stdout).toContain('TypeError');
      expect(failed.stdout).not.toContain('foto');

      const dropped = await runLapor(['messages', 'drop', first], { dataDir });
      expect(dropped.code).toBe(0);
      expect(dropped.stdout.trim()).toBe(`${first}: dropped`);
      expect((await runLapor(['messages', 'drop', first], { dataDir })).code).toBe(1);

      // The second still fails when retried (its payload is broken): it goes back to quarantine.
      const retried = await runLapor(['messages', 'retry', second], { dataDir });
      expect(retried.code).toBe(0);
      expect(retried.stdout.trim()).toBe(`${second}: failed again (TypeError); back in quarantine`);

      const rejected = await runLapor(['messages', 'rejected'], { dataDir });
      expect(rejected.stdout).toContain('telegram\tmessage.text: expected string');
      const after = await runLapor(['messages', 'failed'], { dataDir });
      expect(after.stdout).not.toContain(first);
      expect(after.stdout).toContain(second);
    },
    TEST_MS,
  );
});
