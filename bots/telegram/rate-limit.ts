/**
 * A small outgoing rate limiter for the Bot API, installed as a grammY transformer.
 *
 * Telegram asks bots to stay near one message per second per chat and thirty per second
 * overall; going faster earns 429s. Each `send*` call (except `sendChatAction`) reserves the
 * next free slot of its chat and of the whole bot, FIFO, and waits for it. Other methods
 * (answerCallbackQuery, editMessageReplyMarkup, getUpdates, ...) pass straight through, so a
 * button press is acknowledged at once.
 *
 * Chosen over `@grammyjs/transformer-throttler` because that one also throttles edits per
 * chat, cannot be configured per method, and keeps Bottleneck timers we cannot dispose of.
 */
import type { Transformer } from 'grammy';
import { AdapterStoppedError } from './errors.ts';

/** Outgoing message rates; pass `false` instead to switch limiting off (tests, benchmarks against a fake). */
export interface RateLimitConfig {
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond: number;
  /** Messages per second in total (Telegram: about 30). */
  globalPerSecond: number;
}

/** Telegram's documented comfortable limits. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perChatPerSecond: 1, globalPerSecond: 30 };

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The limiter behind {@link RateLimitConfig}: reserves slots and sleeps until they come. */
export class OutgoingRateLimiter {
  private readonly chatInterval: number;
  private readonly globalInterval: number;
  private readonly nextChatSlot = new Map<string, number>();
  private nextGlobalSlot = 0;
  private readonly sleepers = new Set<Sleeper>();
  private closed = false;

  constructor(config: RateLimitConfig) {
    if (!(config.perChatPerSecond > 0) || !(config.globalPerSecond > 0)) {
      throw new RangeError('rateLimit: perChatPerSecond and globalPerSecond must be positive');
    }
    this.chatInterval = 1000 / config.perChatPerSecond;
    this.globalInterval = 1000 / config.globalPerSecond;
  }

  /** Resolves when `chatKey` may send; rejects with {@link AdapterStoppedError} once closed. */
  async acquire(chatKey: string): Promise<void> {
    if (this.closed) throw new AdapterStoppedError();
    const now = Date.now();
    const chatFree = Math.max(now, this.nextChatSlot.get(chatKey) ?? 0);
    const slot = Math.max(chatFree, this.nextGlobalSlot);
    this.nextChatSlot.set(chatKey, slot + this.chatInterval);
    this.nextGlobalSlot = slot + this.globalInterval;
    if (this.nextChatSlot.size > 10_000) this.forgetIdleChats(now);
    const wait = slot - now;
    if (wait > 0) await this.sleep(wait);
  }

  /** Rejects every waiting call and refuses new ones; leaves no timers behind. */
  close(): void {
    this.closed = true;
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.reject(new AdapterStoppedError());
    }
    this.sleepers.clear();
  }

  /** A transformer limiting `send*` methods by their `chat_id`. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      if (method.startsWith('send') && method !== 'sendChatAction' && payload && 'chat_id' in payload) {
        await this.acquire(String((payload as { chat_id: unknown }).chat_id));
      }
      return prev(method, payload, signal);
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
      };
      this.sleepers.add(sleeper);
    });
  }

  private forgetIdleChats(now: number): void {
    for (const [chat, next] of this.nextChatSlot) if (next <= now) this.nextChatSlot.delete(chat);
  }
}
