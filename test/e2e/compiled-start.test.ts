/**
 * `npm start` runs the JavaScript that `npm install` compiles into dist/ (scripts/build.mjs), with
 * no TypeScript loader in the process. This builds the same way into a directory of its own and
 * runs the compiled `lapor` there, with tsx blocked (test/support/no-tsx.mjs): the data files the
 * modules read next to themselves (rules, agencies, corpus, calendar) and the Prisma migrations
 * must all be found, and the answers must be the ones the sources give.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../fakes/telegram.ts';
import { COMPLETE_REPORT, TRACKING_ID, trackingIdIn } from '../support/channel-e2e.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// One level below the repository root, like dist/: node_modules and the sources resolve alike.
const BUILD_NAME = `dist-test-${process.pid}`;
const BUILD = join(ROOT, BUILD_NAME);
const NO_TSX = join(ROOT, 'test', 'support', 'no-tsx.mjs');
/** Guards against a hung child on a slow machine, not timing assertions. */
const BUILD_MS = 300_000;
const TEST_MS = 240_000;

function baseEnv(dataDir: string, mode: 'compiled' | 'source'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DOTENV_CONFIG_QUIET: 'true',
    LAPOR_RUN: mode,
    LAPOR_BUILD_DIR: BUILD,
  };
}

/** Runs `lapor ARGS`; compiled runs get the tsx blocker preloaded. */
function lapor(args: string[], mode: 'compiled' | 'source', dataDir: string, input = '') {
  const preload = mode === 'compiled' ? ['--import', NO_TSX] : [];
  return spawnSync(process.execPath, [...preload, join(ROOT, 'bin', 'lapor.mjs'), ...args], {
    cwd: ROOT,
    env: baseEnv(dataDir, mode),
    input,
    encoding: 'utf8',
    timeout: TEST_MS,
  });
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

describe('compiled start (dist/)', () => {
  const dataDirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lapor-compiled-'));
    dataDirs.push(dir);
    return dir;
  };
  let fake: FakeTelegram;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out', BUILD_NAME], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: BUILD_MS,
    });
    if (built.status !== 0) throw new Error(`build failed: ${built.stdout}${built.stderr}`);
    fake = await startFakeTelegram();
  }, BUILD_MS);

  afterAll(async () => {
    await fake?.close();
    rmSync(BUILD, { recursive: true, force: true });
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('emits JavaScript whose relative imports name .js files, with the data files beside it', () => {
    const modules = [...files(BUILD)].filter((f) => f.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(50);
    const tsImport = /(?:from\s*|import\s*\(\s*)["'](\.{1,2}\/[^"']+)\.ts["']/;
    // Doc comments may show a .ts import as an example; only code lines count.
    const code = (f: string) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
        .join('\n');
    const offenders = modules.filter((f) => tsImport.test(code(f)));
    expect(offenders).toEqual([]);
    for (const data of [
      'core/routing/rules.json',
      'core/directory/national-agencies.json',
      'core/calendar/cuti-bersama.json',
      'core/calendar/public-holidays.json',
      'dialogs/corpus/reports.csv',
    ]) {
      expect(statSync(join(BUILD, data)).size).toBe(statSync(join(ROOT, data)).size);
    }
    expect(existsSync(join(BUILD, 'prisma', 'schema.prisma'))).toBe(true);
  });

  it(
    '`lapor route` gives the same answers compiled as from the sources',
    () => {
      const dir = tempDir();
      const csv = join(dir, 'in.csv');
      writeFileSync(
        csv,
        'text\njalan berlubang parah di Kec. Kemangkon, Purbalingga\nlampu jalan mati di kota bandung\n',
      );
      const compiled = lapor(['route', '--in', csv], 'compiled', dir);
      expect(compiled.stderr).toBe('');
      expect(compiled.status).toBe(0);
      const source = lapor(['route', '--in', csv], 'source', dir);
      expect(source.status).toBe(0);
      expect(compiled.stdout).toBe(source.stdout);
      const first = JSON.parse(compiled.stdout.split('\n')[0] ?? '{}') as { agency?: { name?: string } };
      expect(first.agency?.name).toContain('Purbalingga');
    },
    TEST_MS,
  );

  it(
    '`lapor chat` files a report compiled, on a fresh embedded database',
    () => {
      const dir = tempDir();
      const input = `${JSON.stringify({ from: '+628111', text: 'jalan berlubang di Kec. Kemangkon, Purbalingga' })}\n${JSON.stringify({ from: '+628111', choice: 'confirm' })}\n`;
      const run = lapor(['chat', '--jsonl'], 'compiled', dir, input);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const replies = run.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text?: string });
      expect(replies[0]?.text).toContain('Kec. Kemangkon, Kab. Purbalingga');
      expect(replies.at(-1)?.text).toMatch(TRACKING_ID);
    },
    TEST_MS,
  );

  it(
    '`lapor start` runs compiled on PGlite: migrates, answers /healthz, files a Telegram report, stops on SIGINT',
    async () => {
      const dir = tempDir();
      const child: ChildProcess = spawn(
        process.execPath,
        ['--import', NO_TSX, join(ROOT, 'bin', 'lapor.mjs'), 'start'],
        {
          cwd: ROOT,
          env: {
            ...baseEnv(dir, 'compiled'),
            PORT: '0',
            HOST: '127.0.0.1',
            TELEGRAM_BOT_TOKEN: fake.token,
            TELEGRAM_API_ROOT: fake.apiRoot,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
      });
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout?.on('data', (c: Buffer) => {
          stdout += c.toString('utf8');
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+) /.exec(stdout);
          if (match) resolve(Number(match[1]));
        });
        void exited.then((code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);

      const chat = 640_001;
      fake.injectMessage(chat, COMPLETE_REPORT);
      const summary = await fake.waitForSent(
        (m) => m.chatId === String(chat) && m.text.startsWith('Mohon periksa laporan Anda'),
        60_000,
      );
      fake.injectCallback(chat, 'confirm', summary.messageId);
      const filed = await fake.waitForSent(
        (m) => m.chatId === String(chat) && TRACKING_ID.test(m.text),
        60_000,
      );
      expect(trackingIdIn(filed.text)).toMatch(TRACKING_ID);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/tsx imported at runtime/);
    },
    TEST_MS,
  );

  it('refuses LAPOR_RUN=compiled when the build is missing, instead of silently using tsx', () => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'lapor.mjs'), 'help'], {
      cwd: ROOT,
      env: { ...baseEnv(dir, 'compiled'), LAPOR_BUILD_DIR: join(dir, 'no-build') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/LAPOR_RUN=compiled but no build/);
  });
});
