/**
 * Service metrics in Prometheus form (prom-client), one registry per service so that several
 * services in one process (tests) do not share counters. Counted in-process: messages in per
 * channel and their processing latency, messages out per channel and result. Read from the
 * database at each scrape: the outbox backlog, reports overdue now, quarantined messages (when
 * a source for them is given). Database figures are global; counters are per process, which
 * Prometheus sums across instances.
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ db, clock });
 * const done = metrics.inbound('telegram'); await intake.receive(m); done();
 * senders.set('sms', metrics.instrumentSender('sms', smsSender));
 * await metrics.registry.metrics(); // text exposition
 * ```
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Sender } from '../outbox/dispatcher.ts';
import type { Database } from '../store/database.ts';
import * as dashboardRepo from '../store/repos/dashboard.ts';
import * as outboxRepo from '../store/repos/outbox.ts';

export interface MetricsOptions {
  db: Database;
  clock?: () => Date;
  /** Messages held in quarantine (issue 12), when the store has them. */
  quarantined?: () => Promise<number>;
  /** Process metrics (CPU, memory, event loop); off in tests that build many services. */
  processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** Call when an inbound message arrives; call the returned function when it was processed. */
  inbound(channel: string): (outcome?: 'ok' | 'error') => void;
  /** Wraps an outbox sender so every attempt is counted by channel and result. */
  instrumentSender(channel: string, sender: Sender): Sender;
}

/** Processing latency buckets (seconds): a chat turn is tens of milliseconds, a slow one seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: MetricsOptions): Metrics {
  const { db } = options;
  const clock = options.clock ?? (() => new Date());
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'lapor_' });

  const messagesIn = new Counter({
    name: 'lapor_messages_in_total',
    help: 'Inbound citizen messages received, by channel and outcome of processing',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'lapor_inbound_processing_seconds',
    help: 'Time from receiving an inbound message to having stored and processed it',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const messagesOut = new Counter({
    name: 'lapor_messages_out_total',
    help: 'Outbound send attempts from the outbox, by channel and result (sent, retry, failed)',
    labelNames: ['channel', 'result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'lapor_outbox_backlog',
    help: 'Outbox rows by status (pending and sending are the backlog; failed needs a person)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await db.prisma.$transaction((tx) => outboxRepo.counts(tx));
      for (const status of ['pending', 'sending', 'failed']) this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({
    name: 'lapor_reports_overdue',
    help: 'Open reports past their current deadline',
    registers: [registry],
    async collect() {
      this.set(await db.prisma.$transaction((tx) => dashboardRepo.countOverdue(tx, clock())));
    },
  });
  const quarantined = options.quarantined;
  if (quarantined) {
    new Gauge({
      name: 'lapor_quarantined_messages',
      help: 'Inbound messages held in quarantine because they could not be processed',
      registers: [registry],
      async collect() {
        this.set(await quarantined());
      },
    });
  }

  return {
    registry,
    inbound(channel) {
      const end = latency.startTimer({ channel });
      return (outcome = 'ok') => {
        end();
        messagesIn.inc({ channel, outcome });
      };
    },
    instrumentSender(channel, sender) {
      return async (row) => {
        try {
          const result = await sender(row);
          messagesOut.inc({ channel, result: result.ok ? 'sent' : result.retryable ? 'retry' : 'failed' });
          return result;
        } catch (error) {
          messagesOut.inc({ channel, result: 'retry' });
          throw error;
        }
      };
    },
  };
}
