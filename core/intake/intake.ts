/**
 * The inbound pipeline: adapter -> receive(inbound) -> dialog step -> effects -> outbox.
 *
 * `receive` first stores the message (unique per channel and provider id, so a webhook
 * delivered twice stores one row) and only then processes it; the adapter acknowledges the
 * provider once `receive` resolved. Processing locks the conversation row, so one chat is
 * handled by one worker at a time and its messages keep their order. A crash between storing
 * and processing leaves the message unprocessed; `recoverBacklog` picks it up on start.
 */

import {
  type DialogDeps,
  type DialogEffect,
  type DialogState,
  initialState,
  step,
} from '../../dialogs/engine/index.ts';
import { t } from '../../dialogs/texts.ts';
import type { InboundMessage } from '../channel/port.ts';
import { asLocale, sendToConversation } from '../messaging/index.ts';
import type { CoreContext } from '../reports/context.ts';
import { citizenReply, fileReport, statusOf } from '../reports/index.ts';
import { rateReport } from '../reports/rating.ts';
import { isTransientDbError, summariseError } from '../store/db-errors.ts';
import * as convos from '../store/repos/conversations.ts';
import * as quarantine from '../store/repos/quarantine.ts';
import type { Tx } from '../store/tx.ts';
import { recordRejection } from './rejections.ts';
import { sanitiseInbound } from './sanitise.ts';

export interface ReceiveResult {
  duplicate: boolean;
  conversationId: string;
  /** Reports filed while processing this message (tracking IDs). */
  filed: string[];
  /** Set when the message was refused before storing (no usable sender, id or content): why. */
  rejected?: string;
}

/** Poison-message quarantine: attempts before a message is set aside, and the pause between them. */
export interface QuarantinePolicy {
  maxAttempts: number;
  backoffMs: number;
}

export const DEFAULT_QUARANTINE: QuarantinePolicy = { maxAttempts: 3, backoffMs: 200 };

export interface Intake {
  receive(message: InboundMessage): Promise<ReceiveResult>;
  /** Processes whatever inbound messages of one conversation are still unprocessed. */
  process(conversationId: string): Promise<string[]>;
  /** Processes every conversation with unprocessed inbound messages (after a crash). */
  recoverBacklog(): Promise<number>;
  /** Records a signed payload an adapter could not use (answered 2xx, never redelivered). */
  reject(channel: string, reason: string): Promise<void>;
  /** Takes a quarantined message out of quarantine and processes its conversation again. */
  retryFailed(messageId: string): Promise<boolean>;
}

/** Questions-per-report figures, kept for `npm run bench` and the ops log. */
export interface IntakeStats {
  filed: number;
  questions: number;
}

function parseState(raw: unknown, fallbackLocale: 'id' | 'en'): DialogState {
  const s = raw as Partial<DialogState> | null;
  if (s && s.v === 1 && (s.phase === 'idle' || s.phase === 'collecting')) return s as DialogState;
  return initialState(fallbackLocale);
}

/**
 * How many inbound messages one process stores and processes at the same time. The outbox
 * dispatcher shares the database connections (one, on PGlite; a pool of 10 by default on
 * PostgreSQL) with the intake: without a bound, a burst of webhooks queues ahead of every
 * dispatcher query and replies fall seconds behind the acknowledgements. Above the bound,
 * webhooks wait here (the provider simply sees a slower 200), not in the connection queue.
 */
export const INTAKE_CONCURRENCY = { pglite: 2, postgres: 6 };

/** A counting semaphore, FIFO. */
class Admission {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** What of an inbound message is kept beside its text (replayed into the dialog later). */
function inboundPayload(message: InboundMessage): object {
  return {
    ...(message.choice ? { choice: message.choice } : {}),
    ...(message.location ? { location: message.location } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
    ...(message.localeHint ? { localeHint: message.localeHint } : {}),
  };
}

/** Prisma's "unique constraint failed" (P2002), whichever driver adapter reported it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export function createIntake(
  ctx: CoreContext,
  deps: DialogDeps,
  stats: IntakeStats = { filed: 0, questions: 0 },
  policy: QuarantinePolicy = DEFAULT_QUARANTINE,
): Intake {
  const { db } = ctx;
  const admission = new Admission(
    db.kind === 'pglite' ? INTAKE_CONCURRENCY.pglite : INTAKE_CONCURRENCY.postgres,
  );

  async function runEffect(
    tx: Tx,
    conversation: convos.ConversationRow,
    state: DialogState,
    effect: DialogEffect,
    filed: string[],
  ): Promise<void> {
    const locale = state.locale;
    const compact = conversation.channel === 'sms';
    switch (effect.type) {
      case 'file_report': {
        const report = await fileReport(tx, ctx, {
          conversation: { ...conversation, locale },
          draft: effect.draft,
          questions: effect.questions,
        });
        filed.push(report.trackingId);
        stats.filed++;
        stats.questions += effect.questions;
        return;
      }
      case 'status_query': {
        const status = await statusOf(tx, effect.trackingId, locale);
        const text = status
          ? t(locale, 'statusLine', status, compact)
          : t(locale, 'reportNotFound', { trackingId: effect.trackingId }, compact);
        await sendToConversation(tx, { ...conversation, locale }, { text });
        return;
      }
      case 'rate': {
        const text = await rateReport(
          tx,
          ctx,
          { citizenId: conversation.citizenId, locale, compact },
          {
            trackingId: effect.trackingId,
            score: effect.score,
            ...(effect.reason ? { reason: effect.reason } : {}),
          },
        );
        await sendToConversation(tx, { ...conversation, locale }, { text });
        return;
      }
      case 'citizen_reply': {
        const result = await citizenReply(tx, ctx, effect.trackingId, {
          text: effect.text,
          media: effect.media,
        });
        if (result.closed) {
          await sendToConversation(
            tx,
            { ...conversation, locale },
            { text: t(locale, 'reportClosedReply', { trackingId: effect.trackingId }, compact) },
          );
        }
        return;
      }
    }
  }

  /**
   * Runs the dialog over the conversation's unprocessed messages in one transaction; with
   * `onlyFirst`, over the oldest one alone (to find which message makes processing fail).
   */
  async function process(conversationId: string, onlyFirst?: (messageId: string) => void): Promise<string[]> {
    const filed: string[] = [];
    const queued = await db.prisma.$transaction(
      async (tx) => {
        const conversation = await convos.lockConversation(tx, conversationId);
        const pending = await convos.unprocessedInbound(tx, conversationId, onlyFirst ? 1 : undefined);
        if (pending.length === 0) return false;
        if (onlyFirst && pending[0]) onlyFirst(pending[0].id);
        let state = parseState(conversation.state, asLocale(conversation.locale));
        for (const message of pending) {
          const payload = (message.payload ?? {}) as Partial<InboundMessage>;
          const result = step(
            state,
            {
              ...(message.text ? { text: message.text } : {}),
              ...(payload.choice ? { choice: payload.choice } : {}),
              ...(payload.location ? { location: payload.location } : {}),
              ...(payload.media ? { media: payload.media } : {}),
              ...(typeof payload.localeHint === 'string' ? { localeHint: payload.localeHint } : {}),
            },
            deps,
            { compact: conversation.channel === 'sms' },
          );
          state = result.state;
          const target = { ...conversation, locale: state.locale };
          for (const reply of result.replies) {
            await sendToConversation(tx, target, {
              text: reply.text,
              ...(reply.choices ? { choices: reply.choices } : {}),
            });
          }
          for (const effect of result.effects) await runEffect(tx, conversation, state, effect, filed);
        }
        // Effects may have changed the stored state (an officer question); keep the dialog's own.
        // One statement: state saved and messages marked processed.
        await convos.finishTurn(
          tx,
          conversationId,
          state,
          state.locale,
          pending.map((m) => m.id),
          ctx.clock(),
        );
        return true;
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
    if (queued) ctx.onOutbox();
    return filed;
  }

  /** Stores the message and, on first contact, the citizen and conversation, in one transaction. */
  function storeOnce(message: InboundMessage): Promise<{ conversationId: string; id: string | null }> {
    return db.prisma.$transaction(async (tx) => {
      const conversation = await convos.ensureConversation(tx, {
        channel: message.channel,
        address: message.address,
        ...(message.displayName ? { displayName: message.displayName } : {}),
        locale: message.localeHint?.toLowerCase().startsWith('en') ? 'en' : 'id',
        initialState: initialState(message.localeHint?.toLowerCase().startsWith('en') ? 'en' : 'id'),
      });
      const id = await convos.insertInbound(tx, conversation.id, {
        channel: message.channel,
        externalId: message.externalId,
        text: message.text ?? null,
        payload: inboundPayload(message),
        receivedAt: message.receivedAt,
      });
      return { conversationId: conversation.id, id };
    });
  }

  /**
   * {@link storeOnce}, tried again when it lost a race: the first messages of a new chat arriving
   * at the same moment (concurrent webhook requests, or several processes on PostgreSQL) each try
   * to create the citizen's channel identity; all but one fail on its unique key after the winner
   * committed, and the second try finds the conversation the winner created.
   */
  async function storeInbound(
    message: InboundMessage,
  ): Promise<{ conversationId: string; id: string | null }> {
    // Known chat (every message but the first): one statement, no transaction round trips.
    const fast = await convos.storeInboundFast(db.prisma, {
      channel: message.channel,
      address: message.address,
      externalId: message.externalId,
      text: message.text ?? null,
      payload: inboundPayload(message),
      receivedAt: message.receivedAt,
    });
    if (fast) return fast;
    for (let attempt = 1; ; attempt++) {
      try {
        return await storeOnce(message);
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /**
   * Processes a conversation again after a failure. The provider was told "received", so the
   * citizen must get an answer without having to write again.
   *
   * - The database failed (connection lost, lock timeout): the whole backlog is tried again,
   *   backoff from 200 ms to 15 s; after about ten minutes of failures it is left to
   *   `recoverBacklog` at the next start.
   * - Anything else is likely one bad message: the oldest pending message is processed alone.
   *   When that fails `policy.maxAttempts` times (short backoff), the message is quarantined
   *   with its error, the citizen is asked once to send it again, and the rest of the
   *   conversation goes on. No single message can block a chat.
   *
   * Timers are unref'd: they never keep a process alive.
   */
  const retries = new Map<string, NodeJS.Timeout>();
  function retryLater(conversationId: string, attempt = 1, isolate = false): void {
    if (retries.has(conversationId)) return;
    if (attempt > 45) {
      ctx.logger.error(
        { conversationId },
        'processing keeps failing; left for the backlog recovery at start',
      );
      return;
    }
    const delay = isolate
      ? policy.backoffMs * 2 ** Math.min(attempt - 1, 4)
      : Math.min(15_000, 200 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 100);
    const timer = setTimeout(() => {
      retries.delete(conversationId);
      (isolate ? processIsolated(conversationId) : process(conversationId).then(() => undefined)).catch(
        (error: unknown) => {
          const transient = isTransientDbError(error);
          ctx.logger.warn({ err: error, conversationId, attempt, transient }, 'processing retry failed');
          retryLater(conversationId, attempt + 1, !transient);
        },
      );
    }, delay);
    timer.unref();
    retries.set(conversationId, timer);
  }

  /**
   * Processes the oldest pending message alone. On failure counts the attempt on that message
   * and quarantines it once it reached the limit; then goes on with the rest of the backlog.
   */
  async function processIsolated(conversationId: string): Promise<void> {
    let culprit: string | undefined;
    try {
      await process(conversationId, (id) => {
        culprit = id;
      });
    } catch (error) {
      if (!culprit || isTransientDbError(error)) throw error;
      const failure = summariseError(error);
      const quarantined = await db.prisma.$transaction(async (tx) => {
        const { attempts, quarantinedBefore } = await quarantine.countFailedAttempt(tx, culprit as string);
        if (attempts < policy.maxAttempts) return false;
        if (!(await quarantine.markFailed(tx, culprit as string, failure, ctx.clock()))) return false;
        // One polite message per message: not again when an operator's retry failed too.
        const conversation = quarantinedBefore ? null : await convos.findConversation(tx, conversationId);
        if (conversation) {
          await sendToConversation(tx, conversation, {
            text: t(asLocale(conversation.locale), 'messageUnreadable', {}, conversation.channel === 'sms'),
          });
        }
        return true;
      });
      if (!quarantined) throw error;
      ctx.logger.error(
        { code: 'LAPOR_ERR_QUARANTINED', conversationId, messageId: culprit, failure },
        'inbound message quarantined after repeated failures',
      );
      ctx.onOutbox();
    }
    // The rest of the conversation (or all of it, once the culprit is out of the way).
    await process(conversationId);
  }

  async function receiveAdmitted(message: InboundMessage): Promise<ReceiveResult> {
    const clean = sanitiseInbound(message, ctx.clock());
    if (!clean.ok) {
      await reject(message.channel, clean.reason);
      return { duplicate: false, conversationId: '', filed: [], rejected: clean.reason };
    }
    let stored: { conversationId: string; id: string | null };
    try {
      stored = await storeInbound(clean.message);
    } catch (error) {
      // The database is down: the provider must redeliver (non-2xx). Anything else is the
      // message's own fault, and redelivering it would fail forever: record it and move on.
      if (isTransientDbError(error)) throw error;
      const reason = `not storable: ${summariseError(error)}`;
      await reject(clean.message.channel, reason);
      return { duplicate: false, conversationId: '', filed: [], rejected: reason };
    }
    if (!stored.id) return { duplicate: true, conversationId: stored.conversationId, filed: [] };
    try {
      const filed = await process(stored.conversationId);
      return { duplicate: false, conversationId: stored.conversationId, filed };
    } catch (error) {
      // Stored but not processed: the message stays in the backlog and is retried; the
      // provider still gets its acknowledgement, because nothing is lost.
      const transient = isTransientDbError(error);
      ctx.logger.error(
        { err: error, conversationId: stored.conversationId, transient },
        'processing failed; message kept for retry',
      );
      retryLater(stored.conversationId, 1, !transient);
      return { duplicate: false, conversationId: stored.conversationId, filed: [] };
    }
  }

  function reject(channel: string, reason: string): Promise<void> {
    return recordRejection(ctx, channel, reason);
  }

  return {
    async receive(message) {
      await admission.acquire();
      try {
        return await receiveAdmitted(message);
      } finally {
        admission.release();
      }
    },
    process: (conversationId) => process(conversationId),
    reject,
    async retryFailed(messageId) {
      const conversationId = await db.prisma.$transaction((tx) => quarantine.releaseFailed(tx, messageId));
      if (!conversationId) return false;
      // Tried here and now (an operator waits for the answer): processed, or quarantined again.
      for (let attempt = 0; attempt <= policy.maxAttempts; attempt++) {
        try {
          if (attempt === 0) await process(conversationId);
          else await processIsolated(conversationId);
          return true;
        } catch (error) {
          if (isTransientDbError(error)) {
            retryLater(conversationId);
            return true;
          }
          await new Promise((resolve) => setTimeout(resolve, policy.backoffMs));
        }
      }
      retryLater(conversationId, 1, true);
      return true;
    },
    async recoverBacklog() {
      let total = 0;
      const failed = new Set<string>();
      for (;;) {
        const ids = (
          await db.prisma.$transaction((tx) => convos.conversationsWithBacklog(tx, 100 + failed.size))
        ).filter((id) => !failed.has(id));
        if (ids.length === 0) return total;
        for (const id of ids) {
          try {
            await process(id);
            total++;
          } catch (error) {
            // A message that cannot be processed must not block the others; it stays stored.
            failed.add(id);
            ctx.logger.error({ err: error, conversationId: id }, 'backlog conversation failed');
            if (!isTransientDbError(error)) retryLater(id, 1, true);
          }
        }
      }
    },
  };
}
