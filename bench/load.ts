/**
 * The load generator: a fake Telegram Bot API (fakes/telegram.ts) on loopback plus
 * simulated citizens who POST signed webhook updates to one or more service processes (a small
 * round-robin balancer when there are several) and wait for the bot's reply to arrive at the
 * fake's sendMessage. Latency is measured in this process, from the citizen's POST to the
 * reply reaching the fake, so both ends use one clock.
 *
 * Every loop here is bounded: citizens stop at the end of the measuring window, each wait has a
 * timeout, each delivery gives up after a deadline.
 */
import http from 'node:http';
import type { Update } from 'grammy/types';
import { type FakeTelegram, type SentMessage, startFakeTelegram } from '../fakes/telegram.ts';
import {
  ASKS_PLACE_RE,
  COMPLETE_TEXTS,
  HELP_RE,
  INCOMPLETE_TEXTS,
  PLACE_TEXTS,
  pick,
  prng,
  RECEIPT_RE,
} from './citizens.ts';
import type { ChildConfig } from './types.ts';

export const WEBHOOK_SECRET = 'bench_webhook_secret-01';

/** Telegram delivers a bot's webhooks over at most `max_connections` (1-100) connections. */
export const DEFAULT_MAX_CONNECTIONS = 100;

interface Reply {
  text: string;
  keyboard: boolean;
  at: number;
}

class ChatBox {
  inbox: Reply[] = [];
  waiter: ((reply: Reply | null) => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  /** sendMessage calls the fake received for this chat. */
  received = 0;
  /** Replies this chat's citizen is owed: one per acknowledged message. */
  expected = 0;
  /** Messages whose delivery was given up (the service may still have stored and answered them). */
  unacked = 0;
  /** Text of the last message received; the scripts never get the same text twice in a row. */
  lastText: string | undefined;
  /** Replies identical to the one before (a reply sent twice), kept from the citizen. */
  repeats = 0;

  next(timeoutMs: number): Promise<Reply | null> {
    const ready = this.inbox.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(null);
      }, timeoutMs);
      this.waiter = (reply) => {
        clearTimeout(this.timer);
        this.waiter = undefined;
        resolve(reply);
      };
    });
  }

  push(reply: Reply): void {
    if (this.waiter) this.waiter(reply);
    else this.inbox.push(reply);
  }
}

export interface Tally {
  chats: number;
  expected: number;
  received: number;
  /** Replies beyond what was owed (a reply sent twice), summed over chats. */
  extra: number;
  /** Replies owed but never received. */
  missing: number;
  chatsWithExtra: number;
  chatsMissing: number;
  unacked: number;
  /** Tracking IDs whose receipt arrived more than once. */
  duplicateReceipts: number;
}

function hasKeyboard(markup: unknown): boolean {
  const rows = (markup as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard;
  return Array.isArray(rows) && rows.length > 0;
}

/** POSTs one body; resolves with the status code, rejects on a network error. */
function post(url: URL, agent: http.Agent, body: string, secret: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-telegram-bot-api-secret-token': secret,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('webhook request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The provider side: the fake Bot API, a tap on everything it is sent, and webhook delivery
 * with Telegram-like retries (a non-200 answer or a dropped connection is retried with the
 * same update until acknowledged or the deadline passes).
 */
export class Provider {
  readonly chats = new Map<number, ChatBox>();
  readonly receipts = new Map<string, number>();
  sent = 0;
  /** Arrival times of sendMessage calls (for windowed rates). */
  private readonly onSentHooks: Array<(reply: Reply, chatId: number) => void> = [];
  private targets: { url: URL; agent: http.Agent }[] = [];
  private rr = 0;
  deliveryRetries = 0;

  private constructor(
    readonly fake: FakeTelegram,
    readonly secret: string,
    private readonly maxConnections: number,
  ) {}

  static async start(options: { secret?: string; maxConnections?: number } = {}): Promise<Provider> {
    const fake = await startFakeTelegram();
    const provider = new Provider(
      fake,
      options.secret ?? WEBHOOK_SECRET,
      options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    );
    // A tap through the fake's public API: a waiter whose predicate sees every sent message
    // and never matches. (The fake rejects it on close; nothing else waits on it.)
    fake
      .waitForSent((m) => {
        provider.onSent(m);
        return false;
      }, 3_600_000)
      .catch(() => {});
    return provider;
  }

  /** What a service child needs to reach this fake (see ChildConfig.telegram). */
  telegramConfig(): ChildConfig['telegram'] {
    return {
      token: this.fake.token,
      secret: this.secret,
      apiRoot: this.fake.apiRoot,
      botInfo: this.fake.botInfo,
    };
  }

  /** Where webhooks go; several URLs are used round-robin, request by request. */
  setTargets(urls: string[]): void {
    for (const t of this.targets) t.agent.destroy();
    const perTarget = Math.max(1, Math.ceil(this.maxConnections / Math.max(1, urls.length)));
    this.targets = urls.map((u) => ({
      url: new URL(u),
      agent: new http.Agent({ keepAlive: true, maxSockets: perTarget }),
    }));
  }

  /** Calls `hook` for every message the fake is sent; returns the unsubscribe function. */
  onReply(hook: (reply: Reply, chatId: number) => void): () => void {
    this.onSentHooks.push(hook);
    return () => {
      const i = this.onSentHooks.indexOf(hook);
      if (i >= 0) this.onSentHooks.splice(i, 1);
    };
  }

  /**
   * Forgets chats, the sent count and the fake's records: the next tally covers one run only.
   * Receipts are kept (a report filed in an earlier run must still have had exactly one).
   */
  beginRun(): void {
    for (const box of this.chats.values()) if (box.waiter) box.waiter(null);
    this.chats.clear();
    this.sent = 0;
    this.fake.clearRecords();
  }

  box(chatId: number): ChatBox {
    let box = this.chats.get(chatId);
    if (!box) {
      box = new ChatBox();
      this.chats.set(chatId, box);
    }
    return box;
  }

  private onSent(m: SentMessage): void {
    const chatId = Number(m.chatId);
    const reply: Reply = { text: m.text, keyboard: hasKeyboard(m.replyMarkup), at: performance.now() };
    this.sent++;
    const receipt = RECEIPT_RE.exec(m.text);
    if (receipt) this.receipts.set(receipt[1]!, (this.receipts.get(receipt[1]!) ?? 0) + 1);
    const box = this.box(chatId);
    box.received++;
    for (const hook of this.onSentHooks) hook(reply, chatId);
    // The citizen scripts never provoke the same text twice in a row, so a repeat is a reply
    // sent twice: counted (the tally sees received > owed) but not handed to the citizen, whose
    // script then goes on as if it had arrived once.
    if (box.lastText === m.text) {
      box.repeats++;
      return;
    }
    box.lastText = m.text;
    box.push(reply);
  }

  /**
   * Delivers one update like Telegram does: retried until a 200 (or a 4xx refusal) or until
   * `deadline` (performance.now() based).
   */
  async deliver(update: Update, deadline: number): Promise<'acked' | 'refused' | 'gave_up'> {
    const body = JSON.stringify(update);
    let backoff = 50;
    for (;;) {
      if (this.targets.length === 0) throw new Error('no webhook target set');
      const target = this.targets[this.rr++ % this.targets.length]!;
      try {
        const status = await post(target.url, target.agent, body, this.secret);
        if (status === 200) return 'acked';
        if (status >= 400 && status < 500 && status !== 429 && status !== 408) return 'refused';
      } catch {
        /* connection refused or reset: the service is down, retry */
      }
      if (performance.now() + backoff > deadline) return 'gave_up';
      this.deliveryRetries++;
      await sleep(backoff);
      backoff = Math.min(1_000, backoff * 2);
    }
  }

  /** Compares what every chat was owed with what the fake received. */
  tally(): Tally {
    const t: Tally = {
      chats: 0,
      expected: 0,
      received: 0,
      extra: 0,
      missing: 0,
      chatsWithExtra: 0,
      chatsMissing: 0,
      unacked: 0,
      duplicateReceipts: 0,
    };
    for (const box of this.chats.values()) {
      t.chats++;
      t.expected += box.expected;
      t.received += box.received;
      t.unacked += box.unacked;
      if (box.received > box.expected + box.unacked) {
        t.extra += box.received - box.expected - box.unacked;
        t.chatsWithExtra++;
      }
      if (box.received < box.expected) {
        t.missing += box.expected - box.received;
        t.chatsMissing++;
      }
    }
    for (const n of this.receipts.values()) if (n > 1) t.duplicateReceipts += n - 1;
    return t;
  }

  async close(): Promise<void> {
    for (const t of this.targets) t.agent.destroy();
    for (const box of this.chats.values()) {
      if (box.waiter) box.waiter(null);
    }
    await this.fake.close();
  }
}

export interface LoadSpec {
  name: string;
  /** Simulated citizens, each in its own chat (or picking open chats, see `openChats`). */
  citizens: number;
  warmupMs: number;
  measureMs: number;
  /** Mean pause after each reply before the citizen writes again (exponential); 0 = at once. The offered load is then about citizens / (thinkMs + latency). */
  thinkMs?: number;
  /** First chat id of this run; chats are chatBase + citizen index. */
  chatBase: number;
  /** 'service': dialog conversations; 'echo': one message, one reply (the baseline bot). */
  mode: 'service' | 'echo';
  /** Drive conversations over pre-inserted open chats chatBase+1 .. chatBase+count instead. */
  openChats?: { count: number };
  replyTimeoutMs?: number;
  seed?: number;
  /** Ends the run early (before warmup + measure) once this settles. */
  stopWhen?: Promise<unknown>;
  /** Called about every 500 ms while the run is going. */
  onTick?: (elapsedMs: number, live: { inbound: number; replies: number; inboundPerSec: number }) => void;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  name: string;
  citizens: number;
  thinkMs: number;
  windowSeconds: number;
  /** Inbound webhook messages acknowledged (200) per second in the window. */
  inboundPerSec: number;
  /** Replies arriving at the fake per second in the window. */
  repliesPerSec: number;
  /** Citizen receipts (reports filed end to end) per second in the window. */
  reportsPerSec: number;
  latencyMs: LatencySummary;
  inboundTotal: number;
  reportsTotal: number;
  conversations: number;
  /** Delivery given up or refused. */
  deliveryFailures: number;
  deliveryRetries: number;
  /** A reply never came within the reply timeout. */
  timeouts: number;
  /** Replies that arrived while the citizen expected none (duplicates or stragglers). */
  unexpectedReplies: number;
  /** A burst's replies came in the wrong order. */
  orderViolations: number;
  /** A reply the script did not know what to do with. */
  flowErrors: number;
}

export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { n: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    n: sorted.length,
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted[sorted.length - 1]!),
    mean: r(sum / sorted.length),
  };
}

/**
 * Runs simulated citizens against the provider's current targets for warmup + measure time,
 * then lets them finish their current step. Returns windowed figures; call
 * `provider.tally()` afterwards (once the service has sent everything) for loss/duplicates.
 */
export async function runLoad(provider: Provider, spec: LoadSpec): Promise<LoadResult> {
  const replyTimeoutMs = spec.replyTimeoutMs ?? 60_000;
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  const windowEnd = windowStart + spec.measureMs;
  const deliverDeadline = windowEnd + replyTimeoutMs;
  const inWindow = (t: number) => t >= windowStart && t < windowEnd;
  let stopped = false;

  const samples: number[] = [];
  let inbound = 0;
  let inboundWindow = 0;
  let repliesWindow = 0;
  let reportsWindow = 0;
  let reportsTotal = 0;
  let conversations = 0;
  let deliveryFailures = 0;
  let timeouts = 0;
  let unexpected = 0;
  let orderViolations = 0;
  let flowErrors = 0;
  const retriesBefore = provider.deliveryRetries;

  const unsubscribe = provider.onReply((reply) => {
    if (inWindow(reply.at)) {
      repliesWindow++;
      if (RECEIPT_RE.test(reply.text)) reportsWindow++;
    }
    if (RECEIPT_RE.test(reply.text)) reportsTotal++;
  });

  // Open chats (memory figures): each conversation takes a fresh pre-inserted chat.
  const openPool: number[] = [];
  if (spec.openChats) {
    const rand = prng(spec.seed ?? 7);
    for (let i = 1; i <= spec.openChats.count; i++) openPool.push(spec.chatBase + i);
    for (let i = openPool.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [openPool[i], openPool[j]] = [openPool[j]!, openPool[i]!];
    }
  }

  const thinkRand = prng((spec.seed ?? 1) * 7919);
  /** Exponential think time (mean spec.thinkMs), capped, cut short by the end of the window. */
  async function think(): Promise<void> {
    const ms = Math.min(4 * spec.thinkMs!, -Math.log(1 - thinkRand()) * spec.thinkMs!);
    await sleep(Math.min(ms, Math.max(0, windowEnd - performance.now())));
  }

  /** Delivers texts one after the other (each acknowledged first), then awaits as many replies. */
  async function exchange(chatId: number, texts: string[]): Promise<Reply[] | null> {
    const box = provider.box(chatId);
    if (box.inbox.length) {
      unexpected += box.inbox.length;
      box.inbox.length = 0;
    }
    const sentAt: number[] = [];
    for (const [i, text] of texts.entries()) {
      // A person reads the reply and types the next message (a burst's second message follows at once).
      if (spec.thinkMs && i === 0 && box.expected > 0) await think();
      if (stopped && i === 0 && box.expected > 0) return null;
      const update = provider.fake.updates.makeTextUpdate(chatId, text);
      const at = performance.now();
      const outcome = await provider.deliver(update, deliverDeadline);
      if (outcome !== 'acked') {
        deliveryFailures++;
        box.unacked++;
        return null;
      }
      inbound++;
      if (inWindow(performance.now())) inboundWindow++;
      box.expected++;
      sentAt.push(at);
    }
    const replies: Reply[] = [];
    for (let i = 0; i < texts.length; i++) {
      const reply = await box.next(replyTimeoutMs);
      if (!reply) {
        timeouts++;
        return null;
      }
      if (inWindow(sentAt[i]!)) samples.push(reply.at - sentAt[i]!);
      replies.push(reply);
    }
    return replies;
  }

  async function say(chatId: number, text: string): Promise<Reply | null> {
    const r = await exchange(chatId, [text]);
    return r?.[0] ?? null;
  }

  /** One report from first message to receipt; returns the tracking ID, or null. */
  async function report(chatId: number, first: string, rand: () => number): Promise<string | null | 'dead'> {
    conversations++;
    let reply = await say(chatId, first);
    for (let steps = 0; steps < 8; steps++) {
      if (!reply) return 'dead';
      const receipt = RECEIPT_RE.exec(reply.text);
      if (receipt) return receipt[1]!;
      if (stopped) return null;
      if (reply.keyboard) reply = await say(chatId, '1');
      else if (ASKS_PLACE_RE.test(reply.text)) reply = await say(chatId, pick(rand, PLACE_TEXTS));
      else {
        flowErrors++;
        return (await say(chatId, 'batal')) ? null : 'dead';
      }
    }
    flowErrors++;
    return null;
  }

  async function citizen(index: number): Promise<void> {
    const rand = prng((spec.seed ?? 1) * 100_003 + index);
    const chatId = spec.chatBase + index + 1;
    const ids: string[] = [];
    let sequence = 0;
    // Spread the first messages so 1,000 citizens do not all start at once: with think time, an
    // exponential first pause (like every later one, so the offered rate is steady from the
    // start); without, a short ramp.
    await sleep(
      spec.thinkMs
        ? Math.min(4 * spec.thinkMs, -Math.log(1 - rand()) * spec.thinkMs)
        : Math.floor(rand() * Math.min(1_000, spec.warmupMs / 2)),
    );
    while (!stopped) {
      if (spec.mode === 'echo') {
        // Numbered, so two echoes in a row never read the same (see Provider.onSent).
        const text = `${pick(rand, COMPLETE_TEXTS)} #${++sequence}`;
        if (!(await say(chatId, text))) return;
      } else if (spec.openChats) {
        const chat = openPool.pop();
        if (chat === undefined) return;
        const outcome = await report(chat, pick(rand, PLACE_TEXTS), rand);
        if (outcome === 'dead') return;
      } else {
        const r = rand();
        if (r < 0.15 && ids.length > 0) {
          // Two messages back to back: the replies must come in the same order.
          const id = pick(rand, ids);
          const replies = await exchange(chatId, [`status ${id}`, 'bantuan']);
          if (!replies) return;
          if (!(replies[0]!.text.includes(id) && HELP_RE.test(replies[1]!.text))) orderViolations++;
        } else {
          const first = r < 0.4 ? pick(rand, INCOMPLETE_TEXTS) : pick(rand, COMPLETE_TEXTS);
          const outcome = await report(chatId, first, rand);
          if (outcome === 'dead') return;
          if (outcome) ids.push(outcome);
        }
      }
    }
  }

  const ticker = setInterval(() => {
    const now = performance.now();
    const windowElapsed = Math.max(0, Math.min(now, windowEnd) - windowStart) / 1000;
    spec.onTick?.(now - t0, {
      inbound,
      replies: repliesWindow,
      inboundPerSec: windowElapsed > 0 ? inboundWindow / windowElapsed : 0,
    });
  }, 500);
  const stopTimer = setTimeout(() => {
    stopped = true;
  }, windowEnd - t0);
  void spec.stopWhen?.finally(() => {
    stopped = true;
  });
  try {
    await Promise.all(Array.from({ length: spec.citizens }, (_, i) => citizen(i)));
  } finally {
    clearInterval(ticker);
    clearTimeout(stopTimer);
    stopped = true;
    unsubscribe();
  }
  const seconds = spec.measureMs / 1000;
  const r2 = (x: number) => Math.round(x * 10) / 10;
  return {
    name: spec.name,
    citizens: spec.citizens,
    thinkMs: spec.thinkMs ?? 0,
    windowSeconds: seconds,
    inboundPerSec: r2(inboundWindow / seconds),
    repliesPerSec: r2(repliesWindow / seconds),
    reportsPerSec: r2(reportsWindow / seconds),
    latencyMs: summarize(samples),
    inboundTotal: inbound,
    reportsTotal,
    conversations,
    deliveryFailures,
    deliveryRetries: provider.deliveryRetries - retriesBefore,
    timeouts,
    unexpectedReplies: unexpected,
    orderViolations,
    flowErrors,
  };
}
