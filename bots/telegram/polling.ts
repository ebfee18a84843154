/**
 * Long polling with per-chat sequential handling.
 *
 * grammY's `bot.start()` handles every update of a batch one after another, across all chats.
 * This loop keeps grammY's Api client and update handling but runs a batch through
 * {@link ChatQueue}: one chat's updates stay in order, different chats proceed concurrently.
 * The next `getUpdates` (which confirms the batch to Telegram through `offset`) is only sent
 * after every update of the batch was handled, so a crash never loses an update that core had
 * not stored yet (core deduplicates the re-delivery).
 */
import { type Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { describeError } from './errors.ts';

export interface LongPollerOptions {
  /** Seconds a getUpdates call waits for updates (Telegram's `timeout`). */
  timeoutSeconds: number;
  allowedUpdates: readonly string[];
  /** Handles one batch; must not reject (errors are dealt with per update). */
  handleBatch: (updates: Update[]) => Promise<void>;
  logger: Logger;
  redact: (text: string) => string;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

/** A stoppable getUpdates loop. `stop()` aborts the pending request and leaves no timers. */
export class LongPoller {
  private running = false;
  private abort: AbortController | undefined;
  private loopDone: Promise<void> | undefined;
  /** Next update_id to ask for; 0 until the first batch. */
  private offset = 0;

  constructor(
    private readonly api: Api,
    private readonly options: LongPollerOptions,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loopDone = this.loop(this.abort.signal);
  }

  /**
   * Stops after the batch in hand is handled, then confirms it to Telegram with a last
   * `getUpdates` (timeout 0) so a restart does not receive it again.
   */
  async stop(): Promise<void> {
    if (!this.loopDone) return;
    this.running = false;
    this.abort?.abort();
    await this.loopDone;
    this.loopDone = undefined;
    if (this.offset > 0) {
      try {
        await this.api.getUpdates({ offset: this.offset, limit: 1, timeout: 0 });
      } catch (error) {
        this.options.logger.warn(
          { err: describeError(error, this.options.redact) },
          'could not confirm last updates',
        );
      }
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { logger, redact } = this.options;
    let backoff = MIN_BACKOFF_MS;
    while (this.running) {
      let updates: Update[];
      try {
        updates = await this.api.getUpdates(
          {
            offset: this.offset,
            timeout: this.options.timeoutSeconds,
            allowed_updates: [...this.options.allowedUpdates] as never,
          },
          // grammY types its signal with the abort-controller polyfill; Node's is compatible.
          signal as Parameters<Api['getUpdates']>[1],
        );
        backoff = MIN_BACKOFF_MS;
      } catch (error) {
        if (!this.running) break;
        if (error instanceof GrammyError && error.error_code === 401) {
          logger.error(
            { err: describeError(error, redact) },
            'telegram rejected the bot token; polling stopped',
          );
          this.running = false;
          break;
        }
        let delay = backoff;
        if (error instanceof GrammyError && error.error_code === 429) {
          delay = (error.parameters.retry_after ?? 1) * 1000;
        }
        logger.warn({ err: describeError(error, redact), retryInMs: delay }, 'getUpdates failed');
        await abortableSleep(delay, signal);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      if (updates.length === 0) continue;
      await this.options.handleBatch(updates);
      this.offset = Math.max(...updates.map((u) => u.update_id)) + 1;
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
