/**
 * Runs the real `lapor` command (bin/lapor.mjs) in a child process for end-to-end tests, with a
 * clean environment: only DATA_DIR (a temp dir per test) and what Node needs, so a developer's
 * DATABASE_URL or CLASSIFIER_MODEL never leaks into a test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAPOR = join(ROOT, 'bin', 'lapor.mjs');
/** A guard against a hung child, not a timing assertion. */
const KILL_AFTER_MS = 180_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempDataDir(prefix = 'lapor-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function fixture(...parts: string[]): string {
  return join(ROOT, 'test', 'fixtures', ...parts);
}

/** Runs `lapor ARGS` with `input` on stdin (then closed) and resolves when it exits. */
export function runLapor(
  args: string[],
  options: { dataDir: string; input?: string; env?: Record<string, string> },
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? options.dataDir,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'silent',
    DOTENV_CONFIG_QUIET: 'true',
    ...options.env,
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [LAPOR, ...args], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: KILL_AFTER_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.on('error', () => {
      /* the command may exit before reading stdin (bad arguments): not our failure */
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Non-empty lines of a command's output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
