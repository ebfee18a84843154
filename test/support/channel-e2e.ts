/**
 * Shared pieces of the whole-service channel tests (test/e2e/channels-*.test.ts): the report a
 * citizen types, the tracking ID pattern, an officer's reply through the report domain, and
 * row counts that show whether a webhook stored anything.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { actOnReport } from '../../core/reports/index.ts';
import { type DbKind, openTestDatabase, type TestDatabase } from './db.ts';

/**
 * A database for a suite whose services keep running from test to test: opened once, never
 * emptied between tests (TRUNCATE while a dispatcher is mid-transaction deadlocks on
 * PostgreSQL), so tests use their own chats and compare row counts before and after. Opening is
 * tried again when the migration could not get Prisma's database-wide advisory lock within its
 * 10 s, which happens when other suites migrate their own schemas on the same server at once.
 */
export function useSuiteDatabase(kind: DbKind): { readonly handle: TestDatabase } {
  let handle: TestDatabase | undefined;
  beforeAll(async () => {
    const giveUpAt = Date.now() + 100_000;
    for (;;) {
      try {
        handle = await openTestDatabase(kind);
        return;
      } catch (error) {
        if (Date.now() > giveUpAt || !/advisory lock/i.test(String((error as Error).message))) throw error;
      }
    }
  }, 150_000);
  afterAll(async () => {
    await handle?.dispose();
  });
  return {
    get handle() {
      if (!handle) throw new Error('test database not open yet');
      return handle;
    },
  };
}

/** A complete report in one message: description, place (Kemangkon, Purbalingga) and duration. */
export const COMPLETE_REPORT =
  'jalan berlubang parah di Kec. Kemangkon, Purbalingga sudah 2 bulan tdk diperbaiki';

/** A tracking ID as the citizen sees it (core/tracking-id): LPR-XXX-XXX-XXX. */
export const TRACKING_ID = /LPR-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/;

/** The first tracking ID in a text, or undefined. */
export function trackingIdIn(text: string): string | undefined {
  return TRACKING_ID.exec(text)?.[0];
}

/**
 * Resolves with the first truthy value of `probe`, checked every 10 ms; rejects after
 * `timeoutMs` naming `what`, so a test that waits for a reply never hangs.
 */
export async function until<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An officer of the agency that has the report answers it (what the Slack desk does): the
 * reply is queued for the citizen's conversation in the same transaction, then the dispatcher
 * is woken.
 */
export async function officerReplies(service: Service, trackingId: string, text: string): Promise<void> {
  const report = await service.db.prisma.report.findUniqueOrThrow({ where: { trackingId } });
  await service.db.prisma.$transaction((tx) =>
    actOnReport(
      tx,
      service.ctx,
      report.id,
      { role: 'officer', id: 'U0OFFICER1', agencyCode: report.agencyCode },
      { type: 'reply', text },
    ),
  );
  service.dispatcher.wake();
}

/** Rows a webhook could have written: messages (both directions), conversations, reports, outbox. */
export async function storedRows(
  service: Service,
): Promise<{ messages: number; conversations: number; reports: number; outbox: number }> {
  const prisma = service.db.prisma;
  const [messages, conversations, reports, outbox] = await Promise.all([
    prisma.message.count(),
    prisma.conversation.count(),
    prisma.report.count(),
    prisma.outboxItem.count(),
  ]);
  return { messages, conversations, reports, outbox };
}

/** Inbound message rows of one channel and address. */
export async function inboundRows(service: Service, channel: string, address: string): Promise<number> {
  return service.db.prisma.message.count({
    where: { direction: 'incoming', channel, conversation: { address } },
  });
}

/** Reports filed from one channel and address. */
export async function reportsFrom(service: Service, channel: string, address: string) {
  return service.db.prisma.report.findMany({
    where: { conversation: { channel, address } },
    orderBy: { createdAt: 'asc' },
  });
}
