/**
 * A fake Slack Web API on loopback, plus what tests need to play Slack towards our app:
 * request signing and builders for real payload shapes (Events API message events,
 * block_actions, view_submission, block_suggestion, slash commands).
 *
 * The fake speaks the wire protocol `@slack/web-api` uses (`POST /api/<method>`, form or JSON
 * body, `Authorization: Bearer <token>`, `{ ok, ... }` / `{ ok: false, error }` answers, 429
 * with `Retry-After`), so Bolt and our sender run unchanged against it. Every call is
 * recorded with its decoded parameters (blocks and views as objects), so a test can assert on
 * everything our app ever sent to Slack.
 *
 * @example
 * ```ts
 * const slack = await startFakeSlack();
 * slack.setMembers('C_PU', ['U_OFFICER']);
 * const desk = createSlackDesk({ slack: { botToken: slack.token, apiUrl: slack.apiUrl, ... }, ... });
 * const root = await slack.waitForMessage((m) => m.channel === 'C_PU' && !m.threadTs);
 * const body = slackPayloads.blockAction({ user: 'U_OFFICER', channel: 'C_PU', message: root, actionId: 'lapor_accept' });
 * await app.inject({ method: 'POST', url: '/slack/events', ...signedForm(secret, body) });
 * await slack.close();
 * ```
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Params = Record<string, unknown>;

/** One Web API call as the fake received it. */
export interface SlackCall {
  method: string;
  params: Params;
}

/** A message posted (and maybe later updated) through chat.postMessage. */
export interface PostedMessage {
  channel: string;
  ts: string;
  /** The root's ts when posted into a thread. */
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** Number of chat.update calls on it. */
  updates: number;
}

/** An ephemeral message (chat.postEphemeral). */
export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
}

/** A modal opened with views.open. */
export interface OpenedView {
  id: string;
  triggerId: string;
  view: {
    callback_id?: string;
    private_metadata?: string;
    blocks?: Array<Record<string, unknown>>;
    [key: string]: unknown;
  };
}

/** What {@link FakeSlack.failNext} makes the next calls of a method answer. */
export type SlackFailure =
  | { status: 429; retryAfter?: number }
  | { status: 500 | 502 | 503 }
  | { error: string };

export interface FakeSlackOptions {
  token?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

interface Waiter {
  predicate: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The running fake; create it with {@link startFakeSlack}. */
export class FakeSlack {
  readonly token: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  private readonly server: Server;
  private base = '';
  private readonly callLog: SlackCall[] = [];
  private readonly posted: PostedMessage[] = [];
  private readonly ephemeralLog: EphemeralMessage[] = [];
  private readonly viewLog: OpenedView[] = [];
  private readonly members = new Map<string, string[]>();
  private readonly users = new Map<string, { name: string; realName: string }>();
  private readonly failures = new Map<string, SlackFailure[]>();
  private readonly waiters = new Set<Waiter>();
  private seconds = Math.floor(Date.now() / 1000);
  private counter = 0;
  private closed = false;

  constructor(options: FakeSlackOptions = {}) {
    this.token = options.token ?? `xoxb-fake-${randomBytes(6).toString('hex')}`;
    this.botUserId = options.botUserId ?? 'U0LAPORBOT';
    this.botId = options.botId ?? 'B0LAPORBOT';
    this.teamId = options.teamId ?? 'T0LAPOR';
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  /** The Web API base URL (`http://127.0.0.1:<port>/api`): SLACK_API_URL / `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.base}/api`;
  }

  /** Starts listening on 127.0.0.1 on a free port ({@link startFakeSlack} does this). */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  // ---- set-up ---------------------------------------------------------------------------

  /** Who is in a channel (conversations.members). Unknown channels answer channel_not_found. */
  setMembers(channel: string, users: string[]): void {
    this.members.set(channel, [...users]);
  }

  /** A workspace user for users.info. */
  addUser(id: string, name: string, realName = name): void {
    this.users.set(id, { name, realName });
  }

  /** The next call(s) of `method` fail as given, in order. */
  failNext(method: string, ...failures: SlackFailure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  // ---- what the app did -----------------------------------------------------------------

  /** Every call (or those of one method), oldest first. */
  calls(method?: string): SlackCall[] {
    return method ? this.callLog.filter((c) => c.method === method) : [...this.callLog];
  }

  /** Messages posted, optionally in one channel. */
  messages(channel?: string): PostedMessage[] {
    return channel ? this.posted.filter((m) => m.channel === channel) : [...this.posted];
  }

  /** Top-level messages (report roots) of a channel. */
  roots(channel: string): PostedMessage[] {
    return this.posted.filter((m) => m.channel === channel && !m.threadTs);
  }

  /** Replies in one thread. */
  thread(channel: string, ts: string): PostedMessage[] {
    return this.posted.filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** Ephemeral messages (chat.postEphemeral), optionally to one user. */
  ephemerals(user?: string): EphemeralMessage[] {
    return user ? this.ephemeralLog.filter((e) => e.user === user) : [...this.ephemeralLog];
  }

  /** Modals opened with views.open, oldest first. */
  views(): OpenedView[] {
    return [...this.viewLog];
  }

  /** Resolves once `predicate` holds (checked after every call); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 8_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`fake Slack: ${what} did not happen within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for a posted message matching `predicate` and returns it. */
  async waitForMessage(predicate: (m: PostedMessage) => boolean, what = 'message'): Promise<PostedMessage> {
    await this.waitFor(() => this.posted.some(predicate), what);
    return this.posted.find(predicate)!;
  }

  /** Forgets recorded calls, messages, ephemerals and views (not members or failures). */
  clearRecords(): void {
    this.callLog.length = 0;
    this.posted.length = 0;
    this.ephemeralLog.length = 0;
    this.viewLog.length = 0;
  }

  /** Rejects pending waits and stops the server (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('fake Slack closed'));
    }
    this.waiters.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the server -----------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.base || 'http://127.0.0.1');
      const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match?.[1])
        return this.json(res, 404, { ok: false, error: 'unknown_method' });
      const method = match[1];
      let params: Params;
      try {
        params = decode(
          req.headers['content-type'],
          Buffer.concat(chunks).toString('utf8'),
          url.searchParams,
        );
      } catch {
        return this.json(res, 200, { ok: false, error: 'invalid_form_data' });
      }
      const auth = req.headers.authorization ?? (params.token ? `Bearer ${String(params.token)}` : '');
      delete params.token;
      this.callLog.push({ method, params });
      if (auth !== `Bearer ${this.token}`) return this.answer(res, 200, { ok: false, error: 'invalid_auth' });
      const failure = this.failures.get(method)?.shift();
      if (failure) {
        if ('error' in failure) return this.answer(res, 200, { ok: false, error: failure.error });
        if (failure.status === 429)
          return this.answer(
            res,
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(failure.retryAfter ?? 1) },
          );
        return this.answer(res, failure.status, { ok: false, error: 'service_unavailable' });
      }
      this.answer(res, 200, this.handle(method, params));
    });
  }

  private handle(method: string, p: Params): Params {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://lapor-test.slack.com/',
          team: 'LAPOR Test',
          user: 'lapor',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case 'chat.postMessage': {
        const channel = str(p.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!p.text && !p.blocks) return { ok: false, error: 'no_text' };
        const threadTs = str(p.thread_ts);
        if (threadTs && !this.posted.some((m) => m.channel === channel && m.ts === threadTs && !m.threadTs))
          return { ok: false, error: 'thread_not_found' };
        const message: PostedMessage = {
          channel,
          ts: this.nextTs(),
          text: str(p.text) ?? '',
          updates: 0,
          ...(threadTs ? { threadTs } : {}),
          ...(Array.isArray(p.blocks) ? { blocks: p.blocks } : {}),
        };
        this.posted.push(message);
        return {
          ok: true,
          channel,
          ts: message.ts,
          message: {
            type: 'message',
            text: message.text,
            ts: message.ts,
            bot_id: this.botId,
            user: this.botUserId,
          },
        };
      }
      case 'chat.update': {
        const message = this.posted.find((m) => m.channel === str(p.channel) && m.ts === str(p.ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        if (p.text !== undefined) message.text = str(p.text) ?? '';
        if (Array.isArray(p.blocks)) message.blocks = p.blocks;
        message.updates++;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.postEphemeral': {
        const channel = str(p.channel);
        const user = str(p.user);
        if (!channel || !user) return { ok: false, error: 'invalid_arguments' };
        const threadTs = str(p.thread_ts);
        this.ephemeralLog.push({ channel, user, text: str(p.text) ?? '', ...(threadTs ? { threadTs } : {}) });
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'views.open': {
        const triggerId = str(p.trigger_id);
        if (!triggerId) return { ok: false, error: 'invalid_trigger_id' };
        if (typeof p.view !== 'object' || p.view === null) return { ok: false, error: 'invalid_arguments' };
        const opened: OpenedView = {
          id: `V${String(this.viewLog.length + 1).padStart(8, '0')}`,
          triggerId,
          view: p.view as OpenedView['view'],
        };
        this.viewLog.push(opened);
        return { ok: true, view: { id: opened.id, team_id: this.teamId, ...opened.view } };
      }
      case 'conversations.members': {
        const members = this.members.get(str(p.channel) ?? '');
        if (!members) return { ok: false, error: 'channel_not_found' };
        const limit = Math.max(1, Number(p.limit ?? 100));
        const start = Number(str(p.cursor)?.replace(/^next:/, '') ?? 0) || 0;
        const page = members.slice(start, start + limit);
        const next = start + limit < members.length ? `next:${start + limit}` : '';
        return { ok: true, members: page, response_metadata: { next_cursor: next } };
      }
      case 'users.info': {
        const user = this.users.get(str(p.user) ?? '');
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: p.user,
            team_id: this.teamId,
            name: user.name,
            real_name: user.realName,
            profile: { display_name: user.name },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    this.counter++;
    return `${this.seconds}.${String(this.counter).padStart(6, '0')}`;
  }

  private answer(
    res: ServerResponse,
    status: number,
    body: Params,
    headers: Record<string, string> = {},
  ): void {
    this.json(res, status, body, headers);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    }
  }

  private json(
    res: ServerResponse,
    status: number,
    body: Params,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}

/** Starts a {@link FakeSlack} on 127.0.0.1 with a free port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(options);
  await fake.listen();
  return fake;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;
}

/** Form bodies as @slack/web-api sends them: objects and arrays arrive JSON-encoded. */
function decode(contentType: string | undefined, body: string, query: URLSearchParams): Params {
  const params: Params = Object.fromEntries(query);
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (!body) return params;
  if (type === 'application/json') return Object.assign(params, JSON.parse(body) as Params);
  for (const [key, value] of new URLSearchParams(body)) {
    const first = value.trimStart()[0];
    if (first === '{' || first === '[') {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all
      }
    }
    params[key] = value;
  }
  return params;
}

// ---- playing Slack towards our app ----------------------------------------------------------

/** Headers of a request signed like Slack does: `v0=` HMAC-SHA256 of `v0:<ts>:<body>`. */
export function slackSignatureHeaders(
  signingSecret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

/** A signed Events API request (JSON), ready for `app.inject({ method: 'POST', url, ...it })`. */
export function signedJson(
  signingSecret: string,
  body: object,
  timestamp?: number,
): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify(body);
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      ...slackSignatureHeaders(signingSecret, payload, timestamp),
    },
  };
}

/** A signed interactivity request (`payload=<json>` form) or slash command (plain form). */
export function signedForm(
  signingSecret: string,
  body: object,
  options: { timestamp?: number; command?: boolean } = {},
): { payload: string; headers: Record<string, string> } {
  const payload = options.command
    ? new URLSearchParams(body as Record<string, string>).toString()
    : new URLSearchParams({ payload: JSON.stringify(body) }).toString();
  return {
    payload,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...slackSignatureHeaders(signingSecret, payload, options.timestamp),
    },
  };
}

let triggerCounter = 0;

/** Builders of the payloads Slack sends, in their real shapes (trimmed to what matters). */
export const slackPayloads = {
  /** A message event (Events API envelope). `threadTs` makes it a thread reply. */
  message(input: {
    team?: string;
    channel: string;
    user: string;
    text: string;
    ts?: string;
    threadTs?: string;
    botId?: string;
    subtype?: string;
  }): Record<string, unknown> {
    // People's messages get micro-second parts from 500000 up, the fake's own posts from 1 up.
    const ts = input.ts ?? `${Math.floor(Date.now() / 1000)}.${500_000 + ++triggerCounter}`;
    return {
      token: 'legacy-verification-token',
      team_id: input.team ?? 'T0LAPOR',
      api_app_id: 'A0LAPOR',
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel: input.channel,
        channel_type: 'channel',
        user: input.user,
        text: input.text,
        ts,
        ...(input.threadTs ? { thread_ts: input.threadTs, parent_user_id: 'U0LAPORBOT' } : {}),
        ...(input.botId ? { bot_id: input.botId } : {}),
        ...(input.subtype ? { subtype: input.subtype } : {}),
        client_msg_id: randomBytes(8).toString('hex'),
      },
      authorizations: [{ team_id: input.team ?? 'T0LAPOR', user_id: 'U0LAPORBOT', is_bot: true }],
    };
  },

  /** A button press on a message (block_actions). */
  blockAction(input: {
    team?: string;
    user: string;
    channel: string;
    message: { ts: string; blocks?: unknown[] };
    actionId: string;
    value: string;
  }): Record<string, unknown> {
    return {
      type: 'block_actions',
      team: { id: input.team ?? 'T0LAPOR', domain: 'lapor-test' },
      user: {
        id: input.user,
        username: input.user.toLowerCase(),
        name: input.user.toLowerCase(),
        team_id: input.team ?? 'T0LAPOR',
      },
      api_app_id: 'A0LAPOR',
      token: 'legacy-verification-token',
      container: {
        type: 'message',
        message_ts: input.message.ts,
        channel_id: input.channel,
        is_ephemeral: false,
      },
      trigger_id: `${Date.now()}.${++triggerCounter}.${randomBytes(8).toString('hex')}`,
      channel: { id: input.channel, name: input.channel.toLowerCase() },
      message: { type: 'message', ts: input.message.ts, text: 'laporan', blocks: input.message.blocks ?? [] },
      response_url: 'https://hooks.slack.com/actions/T0LAPOR/1/unused',
      actions: [
        {
          type: 'button',
          action_id: input.actionId,
          block_id: 'lapor_actions',
          text: { type: 'plain_text', text: input.actionId },
          value: input.value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  },

  /** The submission of a modal our app opened, with input values by block and action id. */
  viewSubmission(input: {
    team?: string;
    user: string;
    view: OpenedView;
    values: Record<string, Record<string, Record<string, unknown>>>;
  }): Record<string, unknown> {
    return {
      type: 'view_submission',
      team: { id: input.team ?? 'T0LAPOR', domain: 'lapor-test' },
      user: {
        id: input.user,
        username: input.user.toLowerCase(),
        name: input.user.toLowerCase(),
        team_id: input.team ?? 'T0LAPOR',
      },
      api_app_id: 'A0LAPOR',
      token: 'legacy-verification-token',
      trigger_id: `${Date.now()}.${++triggerCounter}.${randomBytes(8).toString('hex')}`,
      view: {
        ...input.view.view,
        id: input.view.id,
        team_id: input.team ?? 'T0LAPOR',
        type: 'modal',
        state: { values: input.values },
        hash: randomBytes(6).toString('hex'),
        app_id: 'A0LAPOR',
        bot_id: 'B0LAPORBOT',
      },
      response_urls: [],
    };
  },

  /** A plain text input's value in a view submission. */
  textValue(value: string): Record<string, unknown> {
    return { type: 'plain_text_input', value };
  },

  /** An external select's chosen option in a view submission. */
  selectedOption(value: string, label = value): Record<string, unknown> {
    return { type: 'external_select', selected_option: { text: { type: 'plain_text', text: label }, value } };
  },

  /** A type-ahead in an external select of a modal (block_suggestion). */
  blockSuggestion(input: {
    team?: string;
    user: string;
    view: OpenedView;
    actionId: string;
    blockId: string;
    value: string;
  }): Record<string, unknown> {
    return {
      type: 'block_suggestion',
      user: {
        id: input.user,
        username: input.user.toLowerCase(),
        name: input.user.toLowerCase(),
        team_id: input.team ?? 'T0LAPOR',
      },
      container: { type: 'view', view_id: input.view.id },
      api_app_id: 'A0LAPOR',
      token: 'legacy-verification-token',
      action_id: input.actionId,
      block_id: input.blockId,
      value: input.value,
      team: { id: input.team ?? 'T0LAPOR', domain: 'lapor-test' },
      view: { ...input.view.view, id: input.view.id, type: 'modal', state: { values: {} } },
    };
  },

  /** A slash command invocation (form fields). */
  command(input: {
    team?: string;
    user: string;
    channel: string;
    command: string;
    text: string;
  }): Record<string, string> {
    return {
      token: 'legacy-verification-token',
      team_id: input.team ?? 'T0LAPOR',
      team_domain: 'lapor-test',
      channel_id: input.channel,
      channel_name: input.channel.toLowerCase(),
      user_id: input.user,
      user_name: input.user.toLowerCase(),
      command: input.command,
      text: input.text,
      api_app_id: 'A0LAPOR',
      response_url: 'https://hooks.slack.com/commands/T0LAPOR/1/unused',
      trigger_id: `${Date.now()}.${++triggerCounter}.${randomBytes(8).toString('hex')}`,
    };
  },
};
