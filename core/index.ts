/**
 * The core, built from the configuration: database, router, calendar, dialog, intake, outbox
 * dispatcher, SLA clock and HTTP app. It knows channels only through the port
 * (core/channel/port.ts) and the officers' desk only through {@link DeskChannel}; which
 * adapters exist is decided by the composition root (app/compose.ts), which passes them in.
 * `createCore` does not listen or start channels; `core.start()` does.
 *
 * @example
 * ```ts
 * const core = await createCore(loadConfig(), { adapters: [telegram], desk: null });
 * await core.start();          // listens, starts channels, dispatcher and SLA clock
 * process.on('SIGINT', () => core.stop());
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  type ClassifierModel,
  decideConfidence,
  defaultClassifier,
  loadClassifier,
} from '../dialogs/classifier/index.ts';
import type { DialogDeps } from '../dialogs/engine/index.ts';
import { type Gazetteer, loadGazetteer } from '../dialogs/gazetteer/index.ts';
import { clearComplaintOf, defaultIntentFilter, type IntentFilter } from '../dialogs/intent/index.ts';
import { type Taxonomy, taxonomyCategories } from '../dialogs/taxonomy.ts';
import { createWorkCalendar, loadCalendarOverrides } from './calendar/index.ts';
import type { ChannelAdapter, DeliveryStatus, InboundMessage, OutboundMessage } from './channel/port.ts';
import type { Config } from './config/index.ts';
import { createDesk } from './desk/desk.ts';
import type { DeskChannel, DeskFactory } from './desk/port.ts';
import { type AgencyRecord, buildAgencyDirectory } from './directory/index.ts';
import { LaporError } from './errors.ts';
import { createAdminApi } from './http/admin-api.ts';
import { buildApp } from './http/app.ts';
import { type CountSource, createDashboard } from './http/dashboard.ts';
import { createMetricsRoute, startMetricsServer } from './http/metrics.ts';
import { createOpen311 } from './http/open311.ts';
import { createPublicPages } from './http/public-pages.ts';
import { API_CHANNEL, apiChannelSender } from './intake/api-intake.ts';
import {
  createIntake,
  DEFAULT_QUARANTINE,
  type Intake,
  type IntakeStats,
  type QuarantinePolicy,
} from './intake/intake.ts';
import { createLogger, type Logger } from './logger.ts';
import type { DeskInstruction } from './messaging/index.ts';
import { createMetrics, type Metrics } from './metrics/index.ts';
import { createDispatcher, type Dispatcher, type Sender } from './outbox/dispatcher.ts';
import type { CoreContext } from './reports/context.ts';
import { runSlaTick } from './reports/index.ts';
import { loadConfiguredTaxonomy } from './routing/configured.ts';
import type { RetrainOutcome } from './routing/retrain.ts';
import { createRoutingRetrainer } from './routing/scheduled-retrain.ts';
import { type Database, type OpenOptions, openDatabase } from './store/database.ts';
import { type DashboardFilter, intakeCounts } from './store/repos/dashboard.ts';
import * as outboxRepo from './store/repos/outbox.ts';
import * as quarantineRepo from './store/repos/quarantine.ts';
import { loadAgencyDirectory } from './store/repos/reports.ts';
import { seedAgencies } from './store/seed.ts';
import { findTrackingIdIn, normalizeTrackingId } from './tracking-id/index.ts';

export type { DeskChannel, DeskFactory } from './desk/port.ts';

export interface CoreOptions {
  /** The channel adapters to start and send through (app/channels.ts builds them from config). */
  adapters: ChannelAdapter[];
  /** Builds the officers' desk once core's context exists; null: no desk, no officer notifications. */
  desk: DeskFactory | null;
  logger?: Logger;
  clock?: () => Date;
  /** Database options (a cloned PGlite, a schema) for tests. */
  database?: OpenOptions;
  /** Replaces the sender of a channel (tests and benchmarks). */
  senders?: Record<string, Sender>;
  /** Extra Fastify plugins. */
  plugins?: FastifyPluginAsync[];
  /** Dispatcher tuning. */
  dispatcher?: {
    pollMs?: number;
    leaseMs?: number;
    backoffMs?: { base: number; max: number };
    workerId?: string;
  };
  /** Do not run the SLA scheduler timer (tests call `tickSla`). */
  noScheduler?: boolean;
  /** Poison-message quarantine: attempts and backoff (default 3 attempts, 200 ms doubling). */
  quarantine?: QuarantinePolicy;
}

export interface Core {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly intake: Intake;
  readonly dispatcher: Dispatcher;
  readonly ctx: CoreContext;
  readonly stats: IntakeStats;
  readonly adapters: ChannelAdapter[];
  readonly deps: DialogDeps;
  readonly metrics: Metrics;
  /** The officers' desk, when one is configured. */
  readonly desk: DeskChannel | null;
  app(): FastifyInstance;
  /** Registers an outbound sender for a channel (the Slack desk uses 'slack'). */
  setSender(channel: string, sender: Sender): void;
  start(options?: { listen?: boolean }): Promise<void>;
  tickSla(): Promise<{ escalated: number; closed: number }>;
  /** Retrains learned routing from officers' examples now (ROUTING_RETRAIN_HOURS does it on a schedule). */
  retrainRouting(): Promise<RetrainOutcome | null>;
  stop(): Promise<void>;
}

/** Loads the classifier: an operator-trained model file if configured or present, else the shipped corpus. */
export function loadConfiguredClassifier(config: Config): { model: ClassifierModel; source: string } {
  const candidate = config.dialog.classifierModel ?? join(config.dataDir, 'classifier.json');
  if (existsSync(candidate)) {
    try {
      return { model: loadClassifier(JSON.parse(readFileSync(candidate, 'utf8'))), source: candidate };
    } catch (error) {
      throw new LaporError(
        'LAPOR_ERR_CONFIG',
        `CLASSIFIER_MODEL: cannot load ${candidate}: ${(error as Error).message}`,
      );
    }
  }
  if (config.dialog.classifierModel)
    throw new LaporError('LAPOR_ERR_CONFIG', `CLASSIFIER_MODEL: no file at ${candidate}`);
  return { model: defaultClassifier(), source: 'shipped corpus' };
}

/** The dashboard's intake figures: laporan serupa, and reports held as suspected junk or a flood. */
function intakeCountSources(db: Database): CountSource[] {
  const read = (key: 'similar' | 'suspect' | 'flood') => (filter: DashboardFilter) =>
    db.prisma.$transaction(async (tx) => (await intakeCounts(tx, filter))[key]);
  return [
    { label: { id: 'Laporan serupa (digabung)', en: 'Similar reports (linked)' }, count: read('similar') },
    {
      label: {
        id: 'Diduga bukan laporan (ditahan verifikator)',
        en: 'Suspected non-reports (held for the verifier)',
      },
      count: read('suspect'),
    },
    {
      label: { id: 'Melewati batas laporan harian', en: 'Over the daily report limit' },
      count: read('flood'),
    },
  ];
}

export function dialogDeps(
  classifier: ClassifierModel,
  gazetteer: Gazetteer,
  taxonomy: Taxonomy | null = null,
  intent?: IntentFilter,
): DialogDeps {
  return {
    ...(taxonomy ? { categories: taxonomyCategories(taxonomy) } : {}),
    ...(intent ? { screen: (text: string) => intent.screen(text) } : {}),
    classify: (text) => classifier.classify(text),
    decide: (c) => decideConfidence(c),
    findPlace: (text, context) => gazetteer.find(text, context ? { context } : {}),
    searchPlace: (query) => gazetteer.search(query, 5),
    parseTrackingId: (text) => normalizeTrackingId(text) ?? findTrackingIdIn(text),
    looksLikeTrackingId: (text) => /\blpr\b/i.test(text),
  };
}

export async function createCore(config: Config, overrides: CoreOptions): Promise<Core> {
  const logger = overrides.logger ?? createLogger(config.log);
  const clock = overrides.clock ?? (() => new Date());
  const db = await openDatabase(config.database, overrides.database);
  try {
    const applied = await db.migrate();
    if (applied.length) logger.info({ applied }, 'database migrated');
    const directory = await buildAgencyDirectory();
    const seeded = await seedAgencies(db, directory);
    if (seeded.inserted || seeded.updated) logger.info(seeded, 'agency directory seeded');
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  const agencies = (await db.prisma.$transaction((tx) => loadAgencyDirectory(tx))) as AgencyRecord[];
  const taxonomy = loadConfiguredTaxonomy(config);
  const calendar = createWorkCalendar(loadCalendarOverrides(config.sla.cutiBersamaPath ?? undefined));
  const { model: classifier, source } = loadConfiguredClassifier(config);
  // Rules blended with ROUTING_MODEL; the retrainer swaps the model when a better one is learned.
  const routing = createRoutingRetrainer({ config, db, agencies, taxonomy, classifier, logger, clock });
  const router = routing.router;
  const gazetteer = await loadGazetteer();
  const intent = config.dialog.junkFilter ? defaultIntentFilter(clearComplaintOf(classifier)) : undefined;
  const deps = dialogDeps(classifier, gazetteer, taxonomy, intent);
  logger.debug({ classifier: source }, 'dialog ready');

  let dispatcher: Dispatcher | undefined;
  const ctx: CoreContext = {
    db,
    router,
    calendar,
    sla: config.sla,
    clock,
    logger,
    desk: config.slack ? { adminChannel: config.slack.adminChannel } : null,
    onOutbox: () => dispatcher?.wake(),
    reportsPerDay: config.dialog.reportsPerDay,
    similarWindowDays: config.dialog.similarWindowDays,
  };
  const stats: IntakeStats = { filed: 0, questions: 0 };
  const intake = createIntake(ctx, deps, stats, overrides.quarantine ?? DEFAULT_QUARANTINE);

  const onStatus = async (u: DeliveryStatus) => {
    await db.prisma.$transaction((tx) =>
      outboxRepo.recordDelivery(tx, u.providerMessageId, u.status, u.error),
    );
  };
  const adapters = overrides.adapters;

  // Process metrics (event-loop monitors) only for a real service, not for the many a test run builds.
  const metrics = createMetrics({
    db,
    clock,
    processMetrics: !overrides.noScheduler,
    quarantined: () => db.prisma.$transaction((tx) => quarantineRepo.countFailed(tx)),
  });
  const senders = new Map<string, Sender>();
  const setSender = (channel: string, sender: Sender) =>
    senders.set(channel, metrics.instrumentSender(channel, sender));
  for (const adapter of adapters) {
    setSender(adapter.kind, (row) => adapter.send(row.payload as unknown as OutboundMessage));
  }
  // The officers' desk: its requests in through the HTTP app, desk instructions out through the outbox.
  const desk: DeskChannel | null =
    overrides.desk && ctx.desk ? overrides.desk({ desk: createDesk(ctx) }) : null;
  if (desk)
    setSender(desk.kind, (row) =>
      desk.send({
        instruction: row.payload as unknown as DeskInstruction,
        channel: row.address,
        ref: String(row.id),
      }),
    );
  setSender(API_CHANNEL, apiChannelSender);
  for (const [channel, sender] of Object.entries(overrides.senders ?? {})) setSender(channel, sender);

  dispatcher = createDispatcher({
    db,
    senders,
    logger: logger.child({ part: 'outbox' }),
    clock,
    batchSize: config.outbox.batchSize,
    maxAttempts: config.outbox.maxAttempts,
    pollMs: overrides.dispatcher?.pollMs ?? config.outbox.pollMs,
    ...(overrides.dispatcher?.leaseMs ? { leaseMs: overrides.dispatcher.leaseMs } : {}),
    ...(overrides.dispatcher?.backoffMs ? { backoffMs: overrides.dispatcher.backoffMs } : {}),
    ...(overrides.dispatcher?.workerId ? { workerId: overrides.dispatcher.workerId } : {}),
  });
  const activeDispatcher = dispatcher;

  const plugins: FastifyPluginAsync[] = [];
  for (const adapter of adapters) if (adapter.routes) plugins.push(adapter.routes);
  if (desk) plugins.push(desk.routes);
  if (config.http.adminToken) plugins.push(createAdminApi({ ctx, token: config.http.adminToken }));
  plugins.push(createPublicPages({ db, site: config.site }));
  plugins.push(createOpen311({ ctx, apiKeys: config.open311.apiKeys, gazetteer }));
  if (config.http.adminToken)
    plugins.push(
      createDashboard({
        db,
        adminToken: config.http.adminToken,
        sessionSecret: config.dashboard.sessionSecret,
        clock,
        counts: intakeCountSources(db),
        quarantine: {
          count: () => db.prisma.$transaction((tx) => quarantineRepo.countFailed(tx)),
          recent: async (limit) =>
            (await db.prisma.$transaction((tx) => quarantineRepo.listFailed(tx, limit))).map((m) => ({
              at: m.failedAt,
              channel: m.channel,
              reason: m.failure ?? '',
            })),
        },
      }),
    );
  if (config.metrics.port === null && config.metrics.token)
    plugins.push(createMetricsRoute({ metrics, token: config.metrics.token }));
  let metricsServer: FastifyInstance | undefined;
  plugins.push(...(overrides.plugins ?? []));
  let appInstance: FastifyInstance | undefined;
  let schedulerTimer: NodeJS.Timeout | undefined;
  let retrainTimer: NodeJS.Timeout | undefined;

  const onInbound = async (message: InboundMessage) => {
    const done = metrics.inbound(message.channel);
    try {
      await intake.receive(message);
      done('ok');
    } catch (error) {
      done('error');
      throw error;
    }
  };

  const onRejected = (rejection: { channel: string; reason: string }) =>
    intake.reject(rejection.channel, rejection.reason);

  const core: Core = {
    config,
    logger,
    db,
    intake,
    dispatcher: activeDispatcher,
    ctx,
    stats,
    adapters,
    deps,
    metrics,
    desk,
    app() {
      if (!appInstance) throw new Error('service not started');
      return appInstance;
    },
    setSender(channel, sender) {
      setSender(channel, sender);
    },
    async start(options = {}) {
      appInstance = await buildApp({ logger, ping: () => db.ping(), plugins });
      for (const adapter of adapters) await adapter.start({ onInbound, onStatus, onRejected });
      const recovered = await intake.recoverBacklog();
      if (recovered)
        logger.warn({ conversations: recovered }, 'processed messages left over from an earlier run');
      activeDispatcher.start();
      if (!overrides.noScheduler) {
        schedulerTimer = setInterval(() => {
          runSlaTick(ctx).catch((error) => logger.error({ err: error }, 'SLA tick failed'));
        }, config.sla.schedulerIntervalMs);
        schedulerTimer.unref();
        if (config.routing.retrainHours > 0) {
          retrainTimer = setInterval(() => {
            routing.retrain().catch((error) => logger.error({ err: error }, 'routing retrain failed'));
          }, config.routing.retrainHours * 3_600_000);
          retrainTimer.unref();
        }
      }
      if (options.listen !== false) {
        await appInstance.listen({ host: config.http.host, port: config.http.port });
        if (config.metrics.port !== null)
          metricsServer = await startMetricsServer({
            metrics,
            host: config.metrics.host,
            port: config.metrics.port,
            logger,
          });
      } else await appInstance.ready();
    },
    tickSla: () => runSlaTick(ctx),
    retrainRouting: () => routing.retrain(),
    async stop() {
      if (schedulerTimer) clearInterval(schedulerTimer);
      if (retrainTimer) clearInterval(retrainTimer);
      for (const adapter of [...adapters].reverse()) {
        await adapter
          .stop()
          .catch((error) => logger.warn({ err: error, channel: adapter.kind }, 'adapter stop failed'));
      }
      if (appInstance) await appInstance.close();
      if (metricsServer) await metricsServer.close();
      await desk?.stop();
      await activeDispatcher.stop();
      await db.close();
    },
  };
  return core;
}
