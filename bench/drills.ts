/**
 * Fault drills: the service under load while something breaks, then proof that nothing was
 * lost, sent twice or half-done.
 *
 * - `kill -9`: the service process is killed (SIGKILL) twice during load and restarted on the
 *   same database. The simulated provider re-delivers every webhook that was not acknowledged,
 *   like Telegram does.
 * - PostgreSQL connection loss: every connection of the service is terminated
 *   (`pg_terminate_backend`) a few times during load; the service must recover by itself.
 *   (The shared server itself is never restarted: other suites use it.)
 * - Provider trouble: the fake Bot API answers sendMessage with 429 (retry_after), 500 and
 *   dropped connections for a while; replies must be delayed, not lost.
 *
 * After each drill: every message the provider got a 200 for has its reply at the fake, no
 * reply arrived twice (per chat: replies received = replies owed; sendMessage calls = outbox
 * rows sent), every report has its events and exactly one receipt, nothing is left unsent or
 * unprocessed.
 *
 * `node bin/lapor.mjs bench --drills [--quick] [--db=postgresql]`; the test suite runs them in
 * test/integration/drills.test.ts.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  PG_URL,
  type PreparedDb,
  postgresAvailable,
  preparePglite,
  preparePostgres,
  serviceDataDir,
} from './databases.ts';
import { type LoadResult, Provider, runLoad } from './load.ts';
import { type ChildHandle, logTail, startChild } from './procs.ts';
import type { BenchDb, DbChecks } from './types.ts';

export interface DrillResult {
  drill: string;
  db: 'pglite' | 'postgresql';
  ok: boolean;
  /** Messages acknowledged (HTTP 200) to the provider. */
  acknowledged: number;
  repliesOwed: number;
  repliesReceived: number;
  lost: number;
  duplicates: number;
  /**
   * Outbox rows claimed more than once. After a kill -9 these include the rows the dead process
   * had claimed: whether it sent them before dying is unknown, so they are sent again. Every
   * duplicate must be one of these; a duplicate beyond them is a bug of another kind.
   */
  inDoubt: number;
  /** Times the service process died by itself (a supervisor restarted it). */
  crashes: number;
  reports: number;
  halfFiled: number;
  unsent: number;
  unprocessed: number;
  timeouts: number;
  orderViolations: number;
  /** What was done to the service (kills, terminated connections, failed sends). */
  faults: string;
  /** How long after the load ended until everything was delivered. */
  settledMs: number;
  /** Delivery retries of the simulated provider (webhooks answered non-200 or not at all). */
  deliveryRetries: number;
  /** Service outbox counters summed over processes: send retries. */
  sendRetries: number;
  notes: string[];
}

export interface DrillOptions {
  quick?: boolean;
  dbs?: ('pglite' | 'postgresql')[];
  drills?: ('kill9' | 'pg-connections' | 'provider-errors')[];
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until the fake has been sent `count` messages in total (bounded). */
async function untilSent(provider: Provider, count: number, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (provider.sent < count && Date.now() < deadline) await sleep(20);
}

/** A load that runs until `finish()` is called (or two minutes pass). */
function openEndedLoad(provider: Provider, quick: boolean, chatBase: number) {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const running = runLoad(provider, { ...loadSpec(quick, chatBase), measureMs: 120_000, stopWhen: finished });
  return { running, finish };
}

/** Service tuning for drills: a short outbox lease so rows orphaned by a killed process come back quickly. */
const DRILL_SERVICE = { leaseMs: 3_000, backoffMs: { base: 200, max: 2_000 }, pollMs: 100 };

/**
 * The service process under a supervisor, as in production (systemd, Kubernetes): if it dies by
 * itself it is counted as a crash and started again on the same database. Kills ordered by the
 * drill are not crashes.
 */
class Supervised {
  child!: ChildHandle;
  crashes = 0;
  crashLog: string[] = [];
  sendRetries = 0;
  private expectingExit = false;
  private stopped = false;
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly db: BenchDb,
    private readonly provider: Provider,
    private readonly env: Record<string, string> = {},
    private readonly log: (s: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.child = await startChild(
      this.name,
      'child-service.ts',
      {
        db: this.db,
        dataDir: serviceDataDir(this.name),
        telegram: this.provider.telegramConfig(),
        ...DRILL_SERVICE,
      },
      { env: this.env },
    );
    this.provider.setTargets([this.child.webhookUrl]);
    const child = this.child;
    void child.exited.then((code) => {
      if (this.stopped || this.expectingExit || child !== this.child) return;
      this.crashes++;
      this.crashLog.push(
        `pid ${child.pid} exited by itself (${code}): ${
          logTail(child.logPath, 40)
            .split('\n')
            .find((l) => /Error|error:/.test(l)) ?? ''
        }`.slice(0, 400),
      );
      this.log(`  ${this.name}: service pid ${child.pid} CRASHED (${code}); restarting it`);
      this.restarting = this.start();
    });
  }

  /** Remembers the dispatcher's retry count of the process about to go away. */
  private async collect(): Promise<void> {
    const stats = await this.child.stats().catch(() => undefined);
    this.sendRetries += stats?.dispatcher.retried ?? 0;
  }

  async kill9AndRestart(): Promise<number> {
    await this.restarting;
    await this.collect();
    this.expectingExit = true;
    const pid = this.child.pid;
    await this.child.kill9();
    this.expectingExit = false;
    await sleep(300);
    await this.start();
    return pid;
  }

  /** The running process, once any restart in progress is done. */
  async current(): Promise<ChildHandle> {
    await this.restarting;
    return this.child;
  }

  async stop(): Promise<void> {
    await this.restarting?.catch(() => {});
    await this.collect();
    this.stopped = true;
    await this.child.stop();
  }
}

async function waitUntilSettled(
  sup: Supervised,
  timeoutMs: number,
): Promise<{ checks: DbChecks; ms: number }> {
  const start = Date.now();
  let checks = await (await sup.current()).checks();
  while (Date.now() - start < timeoutMs && (checks.unsent > 0 || checks.unprocessedInbound > 0)) {
    await sleep(250);
    checks = await (await sup.current()).checks();
  }
  // Let sends already on the wire land, and give a duplicate the chance to show up.
  await sleep(1_000);
  return { checks: await (await sup.current()).checks(), ms: Date.now() - start };
}

async function judge(
  drill: string,
  db: 'pglite' | 'postgresql',
  provider: Provider,
  sup: Supervised,
  load: LoadResult,
  faults: string,
): Promise<DrillResult> {
  const { checks, ms } = await waitUntilSettled(sup, 90_000);
  await sup.stop();
  const tally = provider.tally();
  let missingReceipts = 0;
  for (const id of checks.trackingIds) if (!provider.receipts.has(id)) missingReceipts++;
  const sentInDb = checks.outbox.sent ?? 0;
  const notes: string[] = [...sup.crashLog];
  if (provider.sent > sentInDb)
    notes.push(`${provider.sent - sentInDb} sendMessage calls more than outbox rows marked sent`);
  if (tally.unacked) notes.push(`${tally.unacked} deliveries given up by the provider`);
  if (load.flowErrors)
    notes.push(`${load.flowErrors} replies the citizen script did not expect (e.g. a duplicate)`);
  const result: DrillResult = {
    drill,
    db,
    ok: false,
    acknowledged: load.inboundTotal,
    repliesOwed: tally.expected,
    repliesReceived: tally.received,
    lost: tally.missing,
    duplicates: Math.max(tally.extra, tally.duplicateReceipts, provider.sent - sentInDb),
    inDoubt: checks.claimedMoreThanOnce,
    crashes: sup.crashes,
    reports: checks.reports,
    halfFiled: checks.reportsWithoutEvents + checks.reportsWithoutSentReceipt + missingReceipts,
    unsent: checks.unsent,
    unprocessed: checks.unprocessedInbound,
    timeouts: load.timeouts,
    orderViolations: load.orderViolations,
    faults,
    settledMs: ms,
    deliveryRetries: load.deliveryRetries,
    sendRetries: sup.sendRetries,
    notes,
  };
  result.ok =
    result.lost === 0 &&
    result.duplicates === 0 &&
    result.crashes === 0 &&
    result.halfFiled === 0 &&
    result.unsent === 0 &&
    result.unprocessed === 0 &&
    result.timeouts === 0 &&
    result.orderViolations === 0 &&
    result.acknowledged > 0;
  return result;
}

async function prepare(db: 'pglite' | 'postgresql', tag: string): Promise<PreparedDb> {
  return db === 'postgresql' ? preparePostgres(tag) : preparePglite(tag);
}

function loadSpec(quick: boolean, chatBase: number) {
  return {
    name: 'drill',
    citizens: 30,
    warmupMs: 0,
    measureMs: quick ? 6_000 : 10_000,
    chatBase,
    mode: 'service' as const,
    // Long enough to ride out a restart or an outage; the checks afterwards catch any loss.
    replyTimeoutMs: 60_000,
  };
}

/** kill -9 the service twice under load; restart it on the same database each time. */
async function drillKill9(
  db: 'pglite' | 'postgresql',
  quick: boolean,
  log: (s: string) => void,
): Promise<DrillResult> {
  const prepared = await prepare(db, 'kill9');
  const provider = await Provider.start();
  const sup = new Supervised(`kill9-${db}-${randomBytes(3).toString('hex')}`, prepared.db, provider, {}, log);
  try {
    await sup.start();
    const { running, finish } = openEndedLoad(provider, quick, 10_000_000);
    // Kill when replies are flowing (not at a fixed time: a busy machine starts slowly).
    for (const after of quick ? [60, 160] : [100, 300]) {
      await untilSent(provider, after);
      await sleep(Math.floor(Math.random() * 50));
      const pid = await sup.kill9AndRestart();
      log(
        `  ${db}: killed service pid ${pid} (kill -9) after ${provider.sent} replies; restarted as pid ${sup.child.pid}`,
      );
    }
    // Some steady load after the last restart, then stop.
    await untilSent(provider, provider.sent + (quick ? 60 : 150));
    finish();
    const load = await running;
    return await judge('kill -9 and restart', db, provider, sup, load, '2 x kill -9 + restart');
  } finally {
    await sup.stop().catch(() => {});
    await provider.close();
    await prepared.dispose();
  }
}

/** Terminates every PostgreSQL connection of the service a few times under load. */
async function drillPgConnections(quick: boolean, log: (s: string) => void): Promise<DrillResult> {
  const prepared = await preparePostgres('pgconn');
  const provider = await Provider.start();
  const appName = `lapor-drill-${randomBytes(4).toString('hex')}`;
  const sup = new Supervised('pgconn', prepared.db, provider, { PGAPPNAME: appName }, log);
  const admin = new pg.Client({ connectionString: PG_URL, application_name: 'lapor-drill-admin' });
  let terminated = 0;
  try {
    await sup.start();
    await admin.connect();
    const { running, finish } = openEndedLoad(provider, quick, 20_000_000);
    const rounds = quick ? 3 : 5;
    await untilSent(provider, 30);
    for (let i = 0; i < rounds; i++) {
      await sleep(700 + Math.floor(Math.random() * 600));
      await sup.current();
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from (
           select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) t`,
        [appName],
      );
      terminated += rows[0]?.n ?? 0;
      log(`  postgresql: terminated ${rows[0]?.n ?? 0} connections of the service`);
    }
    await untilSent(provider, provider.sent + (quick ? 60 : 150));
    finish();
    const load = await running;
    return await judge(
      'PostgreSQL connections terminated',
      'postgresql',
      provider,
      sup,
      load,
      `${terminated} connections terminated in ${rounds} rounds`,
    );
  } finally {
    await admin.end().catch(() => {});
    await sup.stop().catch(() => {});
    await provider.close();
    await prepared.dispose();
  }
}

/** The Bot API answers 429 / 500 / drops connections for a while. */
async function drillProviderErrors(
  db: 'pglite' | 'postgresql',
  quick: boolean,
  log: (s: string) => void,
): Promise<DrillResult> {
  const prepared = await prepare(db, 'provider');
  const provider = await Provider.start();
  const sup = new Supervised(`provider-${db}`, prepared.db, provider, {}, log);
  try {
    await sup.start();
    const { running, finish } = openEndedLoad(provider, quick, 30_000_000);
    await untilSent(provider, 30);
    provider.fake.failNext('sendMessage', { status: 429, retryAfter: 1, count: 40 });
    provider.fake.failNext('sendMessage', { status: 500, count: 40 });
    provider.fake.failNext('sendMessage', { status: 'disconnect', count: 10 });
    provider.fake.failNext('sendMessage', { status: 502, count: 20 });
    log(`  ${db}: Bot API now fails 110 sendMessage calls (429 retry_after=1, 500, dropped, 502)`);
    // Until the service has met the failures (the fake records all but the 10 dropped
    // connections as calls), then some normal load.
    const failing = () => provider.fake.calls('sendMessage').length - provider.sent;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && failing() < 100) await sleep(100);
    await untilSent(provider, provider.sent + (quick ? 40 : 100));
    finish();
    const load = await running;
    const failedForGood = (await (await sup.current()).stats()).dispatcher.failed;
    const result = await judge(
      'Bot API 429/500/drops',
      db,
      provider,
      sup,
      load,
      '40 x 429, 40 x 500, 10 x dropped connection, 20 x 502',
    );
    if (failedForGood) {
      result.notes.push(`${failedForGood} outbox rows failed for good`);
      result.ok = false;
    }
    return result;
  } finally {
    await sup.stop().catch(() => {});
    await provider.close();
    await prepared.dispose();
  }
}

/** Runs the drills and returns one result per drill and database. */
export async function runDrills(options: DrillOptions = {}): Promise<DrillResult[]> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const wanted = new Set(options.drills ?? ['kill9', 'pg-connections', 'provider-errors']);
  let dbs = options.dbs ?? ['pglite', 'postgresql'];
  if (dbs.includes('postgresql') && !(await postgresAvailable())) {
    log('drills: PostgreSQL is not reachable; PostgreSQL drills skipped');
    dbs = dbs.filter((d) => d !== 'postgresql');
  }
  const results: DrillResult[] = [];
  for (const db of dbs) {
    if (wanted.has('kill9')) {
      log(`drill: kill -9 under load (${db})`);
      results.push(await drillKill9(db, quick, log));
    }
    if (wanted.has('provider-errors')) {
      log(`drill: Bot API errors under load (${db})`);
      results.push(await drillProviderErrors(db, quick, log));
    }
  }
  if (wanted.has('pg-connections') && dbs.includes('postgresql')) {
    log('drill: PostgreSQL connections terminated under load');
    results.push(await drillPgConnections(quick, log));
  }
  return results;
}

/** 'ok', or what failed; duplicates that are all re-sends of reclaimed rows are named as such. */
function verdict(r: DrillResult): string {
  if (r.ok) return 'ok';
  const onlyDuplicates =
    r.acknowledged > 0 &&
    r.lost + r.crashes + r.halfFiled + r.unsent + r.unprocessed + r.timeouts + r.orderViolations === 0;
  if (onlyDuplicates && r.duplicates <= r.inDoubt)
    return `FAILED: ${r.duplicates} sent twice (in-doubt rows)`;
  return 'FAILED';
}

export function printDrills(results: DrillResult[]): void {
  const rows = results.map((r) => [
    r.drill,
    r.db,
    String(r.acknowledged),
    `${r.repliesReceived}/${r.repliesOwed}`,
    String(r.lost),
    String(r.duplicates),
    String(r.inDoubt),
    String(r.crashes),
    String(r.reports),
    String(r.halfFiled),
    String(r.unsent + r.unprocessed),
    `${r.settledMs} ms`,
    verdict(r),
  ]);
  const headers = [
    'drill',
    'db',
    'acked',
    'replies',
    'lost',
    'dup',
    'reclaimed',
    'crashes',
    'reports',
    'half-filed',
    'left',
    'settled',
    'result',
  ];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    ['Fault drills', line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join(
      '\n',
    ),
  );
  console.log(
    'reclaimed = outbox rows claimed more than once (retried after a provider error, or taken back from a\n' +
      'process that died or lost its database while sending: whether those went out is unknown).',
  );
  for (const r of results) {
    console.log(
      `- ${r.drill} (${r.db}): ${r.faults}; provider re-deliveries ${r.deliveryRetries}, send retries ${r.sendRetries}`,
    );
    for (const n of r.notes) console.log(`    note: ${n}`);
  }
}
