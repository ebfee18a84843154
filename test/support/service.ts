/**
 * A whole service for tests: real dialog, routing, store and outbox over a test database,
 * with a movable clock and, if given, channel adapters pointed at fake provider servers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Service, type ServiceOverrides } from '../../app/compose.ts';
import type { ChannelAdapter, OutboundMessage } from '../../core/channel/port.ts';
import { type Config, loadConfig } from '../../core/config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { Sender } from '../../core/outbox/dispatcher.ts';
import type { TestDatabase } from './db.ts';

/** A clock tests can move: `clock.now()` for the service, `clock.set(date)` / `advanceDays(n)` to travel. */
export function testClock(start = new Date('2026-12-01T02:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date: Date) => {
      current = date.getTime();
    },
    advanceDays: (days: number) => {
      current += days * 86_400_000;
    },
  };
}

export interface TestServiceOptions extends Omit<ServiceOverrides, 'database' | 'logger'> {
  env?: Record<string, string>;
}

export function testConfig(handle: TestDatabase, env: Record<string, string> = {}): Config {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-test-')),
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  return { ...config, database: handle.config };
}

export async function createTestService(
  handle: TestDatabase,
  options: TestServiceOptions = {},
): Promise<Service> {
  const { env, ...overrides } = options;
  return createService(testConfig(handle, env), {
    logger: createLogger({ level: 'silent' }),
    noScheduler: true,
    dispatcher: { pollMs: 20, backoffMs: { base: 10, max: 50 }, ...overrides.dispatcher },
    ...overrides,
    database: handle.options,
  });
}

/** A channel adapter that records what it sends: the in-memory twin of a provider. */
export function recordingAdapter(
  kind: ChannelAdapter['kind'] = 'console',
): ChannelAdapter & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    kind,
    sent,
    async start() {},
    async send(message) {
      sent.push(message);
      return { ok: true, providerMessageId: `rec-${sent.length}` };
    },
    async stop() {},
    describe: () => `${kind}: recording`,
  };
}

export type { Sender };
