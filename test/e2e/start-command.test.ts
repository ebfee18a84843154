/**
 * `lapor start` (what `npm start` runs) as a child process: it starts with or without channels,
 * says in one line per channel what is on, answers /healthz, stops cleanly on SIGINT, and fails
 * fast with one line (no stack trace) on bad configuration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram.ts';
import { COMPLETE_REPORT, TRACKING_ID, trackingIdIn } from '../support/channel-e2e.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Generous bounds so a slow machine does not fail the test, yet nothing can hang. */
const START_MS = 120_000;
/** Per-test limit for the tests that start the service (a fresh embedded database migrates and seeds). */
const TEST_MS = 180_000;
const STOP_MS = 20_000;

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line matching `pattern` (already printed or to come). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const running = new Set<ChildProcess>();

/** Spawns `node bin/lapor.mjs start` with only `env` (plus PATH and HOME) in its environment. */
function startLapor(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['bin/lapor.mjs', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const collect = (into: string[], notify: boolean) => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        into.push(line);
        if (!notify) continue;
        for (const waiter of waiters) {
          if (waiter.pattern.test(line)) {
            waiters.delete(waiter);
            waiter.resolve(line);
          }
        }
      }
    };
  };
  child.stdout?.on('data', collect(stdout, true));
  child.stderr?.on('data', collect(stderr, false));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    });
  });
  return {
    child,
    stdout,
    stderr,
    exited,
    line(pattern, timeoutMs = START_MS) {
      const already = stdout.find((l) => pattern.test(l));
      if (already) return Promise.resolve(already);
      return new Promise<string>((resolveLine, reject) => {
        const waiter = {
          pattern,
          resolve: (l: string) => {
            clearTimeout(timer);
            resolveLine(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        // The process may die before printing: fail at once instead of waiting for the timeout.
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(
            new Error(
              `lapor exited (code ${code}) before printing ${pattern}\nstderr:\n${stderr.join('\n')}`,
            ),
          );
        });
      });
    },
  };
}

/** Waits for the exit, failing (and killing the child) if it does not come within `ms`. */
async function exitWithin(
  run: Run,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`lapor did not exit within ${ms} ms\nstdout:\n${run.stdout.join('\n')}`));
    }, ms);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function portOf(listeningLine: string): number {
  const match = /listening on http:\/\/127\.0\.0\.1:(\d+) /.exec(listeningLine);
  if (!match) throw new Error(`no port in "${listeningLine}"`);
  return Number(match[1]);
}

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('lapor start', () => {
  let dataDir: string;
  let fake: FakeTelegram;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lapor-start-'));
    fake = await startFakeTelegram();
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const base = () => ({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });

  it(
    'with Telegram and the Slack desk configured: one line per channel, /healthz, a working bot, and exit 0 on SIGINT',
    async () => {
      const run = startLapor({
        ...base(),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        SLACK_BOT_TOKEN: 'xoxb-start-test',
        SLACK_SIGNING_SECRET: 'start-test-signing-secret',
        SLACK_ADMIN_CHANNEL: 'C0STARTADM',
        SLACK_API_URL: 'http://127.0.0.1:9',
      });
      const listening = await run.line(/^lapor: listening on /);
      // PORT=0: the line shows the port the server really got.
      const port = portOf(listening);
      expect(port).toBeGreaterThan(0);
      expect(listening).toContain(`(database: embedded PGlite in ${join(dataDir, 'pglite')})`);
      await run.line(/^lapor: telegram: /);
      // The desk's line is printed last; it may reach us in a later chunk than the channel's.
      await run.line(/^lapor: slack: /);
      const channelLines = run.stdout.filter((l) =>
        /^lapor: (telegram|whatsapp|whatsapp_cloud|sms):/.test(l),
      );
      expect(channelLines).toEqual(['lapor: telegram: long polling as @lapor_test_bot']);
      expect(run.stdout.filter((l) => l.startsWith('lapor: slack: '))).toEqual([
        'lapor: slack: officer desk at POST /slack/events (HTTP mode), admin channel C0STARTADM',
      ]);
      expect(run.stdout.some((l) => l.includes('no citizen channel configured'))).toBe(false);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      // The started process really runs the channel: a citizen's report gets the summary and a tracking ID.
      const chat = 630_001;
      fake.injectMessage(chat, COMPLETE_REPORT);
      const summary = await fake.waitForSent(
        (m) => m.chatId === String(chat) && m.text.startsWith('Mohon periksa laporan Anda'),
        30_000,
      );
      fake.injectCallback(chat, 'confirm', summary.messageId);
      const filed = await fake.waitForSent(
        (m) => m.chatId === String(chat) && TRACKING_ID.test(m.text),
        30_000,
      );
      expect(trackingIdIn(filed.text)).toMatch(TRACKING_ID);

      run.child.kill('SIGINT');
      const exit = await exitWithin(run, STOP_MS);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(run.stdout).toContain('lapor: SIGINT received, stopping');
      expect(run.stdout).toContain('lapor: stopped');
    },
    TEST_MS,
  );

  it(
    'with no channel configured: still starts, says so, answers /healthz and exits 0 on SIGINT',
    async () => {
      const run = startLapor(base());
      const port = portOf(await run.line(/^lapor: listening on /));
      await run.line(/no citizen channel configured/);
      expect(run.stdout.filter((l) => /^lapor: (telegram|whatsapp|whatsapp_cloud|sms):/.test(l))).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      run.child.kill('SIGINT');
      expect(await exitWithin(run, STOP_MS)).toEqual({ code: 0, signal: null });
    },
    TEST_MS,
  );

  describe('bad configuration fails fast with one line naming the problem and exit code 1', () => {
    const cases: { name: string; env: () => Record<string, string>; expected: RegExp }[] = [
      {
        name: 'DATABASE_URL with an unsupported scheme',
        env: () => ({ ...base(), DATABASE_URL: 'mysql://x' }),
        expected: /^lapor: DATABASE_URL: unknown scheme "mysql:".*\[LAPOR_ERR_CONFIG\]$/,
      },
      {
        name: 'DATABASE_URL pointing at a PostgreSQL server that is not there',
        env: () => ({ ...base(), DATABASE_URL: 'postgres://127.0.0.1:1/x' }),
        expected:
          /^lapor: DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/x .*\[LAPOR_ERR_DB_UNREACHABLE\]$/,
      },
      {
        name: 'DATA_DIR that cannot be written',
        env: () => ({ ...base(), DATA_DIR: '/proc/x' }),
        expected: /^lapor: DATA_DIR: cannot write to \/proc\/x.*\[LAPOR_ERR_DATA_DIR\]$/,
      },
      {
        name: 'Telegram webhook mode without its secret',
        env: () => ({ ...base(), TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_MODE: 'webhook' }),
        expected:
          /^lapor: TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook \[LAPOR_ERR_CONFIG\]$/,
      },
    ];

    it.each(cases)(
      '$name',
      async ({ env, expected }) => {
        const run = startLapor(env());
        const exit = await exitWithin(run, 60_000);
        expect(exit.code).toBe(1);
        const stderr = run.stderr.filter((l) => l.trim() !== '');
        expect(stderr).toHaveLength(1);
        expect(stderr[0]).toMatch(expected);
        expect(run.stderr.join('\n')).not.toMatch(/\n\s+at /);
        expect(run.stdout.some((l) => l.startsWith('lapor: listening on'))).toBe(false);
      },
      90_000,
    );
  });
});
