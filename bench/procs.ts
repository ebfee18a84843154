/**
 * Child processes of the benchmark and the drills: a LAPOR! service (`child-service.ts`) or the
 * bare grammY baseline (`child-baseline.ts`), each `node --import tsx <file>` with an IPC channel,
 * its own loopback port and its output in a log file. Every child started here is tracked and
 * killed when the parent exits, so nothing is left running.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildReply, ChildRequest, ChildStats, DbChecks } from './types.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const LOG_DIR = mkdtempSync(join(tmpdir(), 'lapor-bench-logs-'));
const live = new Set<ChildProcess>();

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
}
process.once('exit', killAll);
// Ctrl-C on `npm run bench`: take the children down too. (Under vitest the runner owns signals;
// children also stop by themselves when their IPC channel to this process closes.)
if (!process.env.VITEST) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>/webhooks/telegram` */
  readonly webhookUrl: string;
  readonly logPath: string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  request<T = unknown>(cmd: ChildRequest['cmd'], args?: unknown, timeoutMs?: number): Promise<T>;
  stats(): Promise<ChildStats>;
  checks(): Promise<DbChecks>;
  /** kill -9: no shutdown of any kind. */
  kill9(): Promise<void>;
  /** Graceful stop (adapters, HTTP, dispatcher, database), then the process exits. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Write a V8 CPU profile (.cpuprofile) into this directory when the child exits. */
  cpuProfileDir?: string;
  startTimeoutMs?: number;
  /** Extra environment (PGAPPNAME names the process's PostgreSQL connections). */
  env?: Record<string, string>;
}

/** The last lines of a child's log, for error messages. */
export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts `bench/<file>` with `config` as JSON in BENCH_CHILD and waits for its `ready` message.
 */
export async function startChild(
  name: string,
  file: 'child-service.ts' | 'child-baseline.ts',
  config: ChildConfig,
  options: StartOptions = {},
): Promise<ChildHandle> {
  const logPath = join(LOG_DIR, `${name}-${Date.now()}.log`);
  const fd = openSync(logPath, 'a');
  const execArgv = ['--import', 'tsx', '--expose-gc'];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child = fork(join(HERE, file), [], {
    execArgv,
    env: {
      ...process.env,
      PGAPPNAME: `lapor-bench-${name}`,
      ...options.env,
      BENCH_CHILD: JSON.stringify(config),
      DOTENV_CONFIG_QUIET: 'true',
    },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  live.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: ChildReply) => {
    if (message.type !== 'reply') return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${name}: ${message.error}`));
  });
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited`));
    pending.clear();
  });

  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${options.startTimeoutMs ?? 120_000} ms`)),
      options.startTimeoutMs ?? 120_000,
    );
    child.on('message', (message: ChildReply) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${logTail(logPath)}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  const request = <T>(cmd: ChildRequest['cmd'], args?: unknown, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`${name} is not running`));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: ${cmd} timed out`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ id, cmd, ...(args === undefined ? {} : { args }) } as ChildRequest);
    });

  return {
    name,
    pid: ready.pid,
    port: ready.port,
    webhookUrl: `http://127.0.0.1:${ready.port}/webhooks/telegram`,
    logPath,
    exited,
    request,
    stats: () => request<ChildStats>('stats'),
    checks: () => request<DbChecks>('checks'),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await request('stop', undefined, 15_000).catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
