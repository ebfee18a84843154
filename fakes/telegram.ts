/**
 * A fake Telegram Bot API server on loopback, for tests and benchmarks.
 *
 * It speaks the real wire protocol (`POST /bot<token>/<method>`, JSON or form bodies, the
 * `{ ok, result }` / `{ ok: false, error_code, description, parameters }` envelopes), so the
 * real grammY client and our adapter run unchanged against it. Long polling is real:
 * `getUpdates` with a `timeout` parks the request until an update is injected or the timeout
 * passes; `offset` confirms updates exactly like Telegram does.
 *
 * It keeps no per-request logging and answers from memory, so a benchmark can hit it with
 * thousands of requests per second.
 *
 * @example
 * ```ts
 * const fake = await startFakeTelegram();
 * const adapter = createTelegramAdapter({ token: fake.token, mode: 'polling', apiRoot: fake.apiRoot });
 * await adapter.start(async (inbound) => { await core.receive(inbound); });
 * fake.injectMessage(42, '/start');
 * const reply = await fake.waitForSent((m) => m.chatId === '42');
 * await adapter.stop();
 * await fake.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, Message, Update, User, UserFromGetMe } from 'grammy/types';

/** One message the bot sent through `sendMessage`, as the fake recorded it. */
export interface SentMessage {
  /** `chat_id` as a string (Telegram accepts numbers and strings). */
  chatId: string;
  messageId: number;
  text: string;
  /** The `reply_markup` as sent (an inline keyboard for choices), or undefined. */
  replyMarkup?: unknown;
  /** The full parameter object of the call, for anything else a test wants to check. */
  params: Record<string, unknown>;
}

/** Any recorded API call except `getUpdates` (which is only counted, see {@link FakeTelegram.getUpdatesCalls}). */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
}

/** What {@link FakeTelegram.failNext} makes the next calls of a method answer. */
export interface FailSpec {
  /**
   * HTTP status and `error_code` (429, 500, 502, 400, 403, ...), or `'disconnect'` to destroy
   * the socket without an answer (grammY then throws an `HttpError`).
   */
  status: number | 'disconnect';
  /** Seconds, sent as `parameters.retry_after` (429 only; defaults to 1). */
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  count?: number;
  /** Overrides the default Telegram-like description. */
  description?: string;
}

/** The webhook registration the fake received through `setWebhook`. */
export interface RecordedWebhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

export interface FakeTelegramOptions {
  /** Token the fake accepts; other tokens get 401 Unauthorized. */
  token?: string;
  /** Overrides for the bot returned by getMe. */
  botInfo?: Partial<UserFromGetMe>;
}

/** Media kinds {@link TelegramUpdateFactory.makeMediaUpdate} can build. */
export type FakeMediaKind = 'voice' | 'video' | 'video_note' | 'audio' | 'document' | 'animation' | 'contact';

const DEFAULT_TOKEN = '123456789:AAFakeTokenForLaporTests';

/** Update types Telegram delivers when `allowed_updates` is empty or was never set. */
const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/**
 * Builds realistic Telegram update payloads with incrementing `update_id` and per-chat
 * incrementing `message_id`. The fake uses one for {@link FakeTelegram.injectMessage} and
 * friends; webhook tests use one directly to build bodies they POST to our server.
 *
 * @example
 * ```ts
 * const updates = new TelegramUpdateFactory();
 * const body = updates.makeTextUpdate(42, 'Jalan rusak di depan pasar');
 * await app.inject({ method: 'POST', url: '/webhooks/telegram', payload: body, headers });
 * ```
 */
export class TelegramUpdateFactory {
  private nextUpdate: number;
  private readonly messageIds = new Map<string, number>();
  private nextCallback = 1;
  /** The bot that authors made-up keyboard messages in {@link makeCallbackUpdate}. */
  bot: User = { id: 123_456_789, is_bot: true, first_name: 'LAPOR Test', username: 'lapor_test_bot' };

  constructor(firstUpdateId = 700_000_001) {
    this.nextUpdate = firstUpdateId;
  }

  /** Next update_id (strictly increasing). */
  nextUpdateId(): number {
    return this.nextUpdate++;
  }

  /** Next message_id in a chat; user and bot messages share one sequence, as in Telegram. */
  nextMessageId(chatId: number | string): number {
    const key = String(chatId);
    const next = (this.messageIds.get(key) ?? 0) + 1;
    this.messageIds.set(key, next);
    return next;
  }

  /** The citizen behind a private chat (`id` = chat id), with optional overrides. */
  user(chatId: number, overrides: Partial<User> = {}): User {
    return {
      id: chatId > 0 ? chatId : 555_000_001,
      is_bot: false,
      first_name: 'Siti',
      last_name: 'Rahayu',
      language_code: 'id',
      ...overrides,
    };
  }

  /** A private chat for positive ids, a group for negative ones. */
  chat(chatId: number): Chat {
    if (chatId < 0) return { id: chatId, type: 'group', title: 'Warga RT 05' } as Chat;
    return { id: chatId, type: 'private', first_name: 'Siti', last_name: 'Rahayu' } as Chat;
  }

  /**
   * A text message update. Texts starting with `/` get a `bot_command` entity like real
   * Telegram. `extra` is merged into the message (e.g. `{ from: {...} }`).
   */
  makeTextUpdate(chatId: number, text: string, extra: Partial<Message> = {}): Update {
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/, 1)[0]!.length }]
      : undefined;
    return this.wrap(this.baseMessage(chatId, { text, ...(entities ? { entities } : {}), ...extra }));
  }

  /** A photo in three sizes; the largest carries `fileId`. */
  makePhotoUpdate(chatId: number, fileId: string, caption?: string): Update {
    const photo = [
      { file_id: `${fileId}-s`, file_unique_id: `${fileId}-us`, width: 90, height: 68, file_size: 1_400 },
      { file_id: `${fileId}-m`, file_unique_id: `${fileId}-um`, width: 320, height: 240, file_size: 18_000 },
      { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960, file_size: 160_000 },
    ];
    return this.wrap(this.baseMessage(chatId, { photo, ...(caption !== undefined ? { caption } : {}) }));
  }

  makeLocationUpdate(chatId: number, latitude: number, longitude: number): Update {
    return this.wrap(this.baseMessage(chatId, { location: { latitude, longitude } }));
  }

  makeStickerUpdate(chatId: number, fileId = `sticker-${chatId}`): Update {
    const sticker = {
      file_id: fileId,
      file_unique_id: `${fileId}-u`,
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: '👍',
    };
    return this.wrap(this.baseMessage(chatId, { sticker } as Partial<Message>));
  }

  /** Voice notes, videos, documents, contacts, ... with realistic fields. */
  makeMediaUpdate(chatId: number, kind: FakeMediaKind, fileId = `${kind}-${chatId}`): Update {
    const file = { file_id: fileId, file_unique_id: `${fileId}-u`, file_size: 42_000 };
    const content: Record<FakeMediaKind, Partial<Message>> = {
      voice: { voice: { ...file, duration: 7, mime_type: 'audio/ogg' } },
      audio: { audio: { ...file, duration: 120, mime_type: 'audio/mpeg' } },
      video: { video: { ...file, width: 640, height: 360, duration: 12, mime_type: 'video/mp4' } },
      video_note: { video_note: { ...file, length: 240, duration: 5 } },
      document: { document: { ...file, file_name: 'surat.pdf', mime_type: 'application/pdf' } },
      animation: {
        animation: { ...file, width: 320, height: 240, duration: 3, mime_type: 'video/mp4' },
        document: { ...file, mime_type: 'video/mp4' },
      },
      contact: { contact: { phone_number: '+6281234567890', first_name: 'Pak RT', user_id: 5551234 } },
    };
    return this.wrap(this.baseMessage(chatId, content[kind]));
  }

  /**
   * A press on an inline button. `message` is the bot message that carried the keyboard (a
   * full Message or just its id); a plain bot message is made up when omitted.
   */
  makeCallbackUpdate(chatId: number, data: string, message?: Message | number): Update {
    const pressed: Message =
      typeof message === 'object'
        ? message
        : ({
            message_id: message ?? this.nextMessageId(chatId),
            date: nowSeconds(),
            chat: this.chat(chatId),
            from: this.bot,
            text: 'Pilih salah satu:',
            reply_markup: { inline_keyboard: [[{ text: data, callback_data: data }]] },
          } as Message);
    return {
      update_id: this.nextUpdateId(),
      callback_query: {
        id: `cbq-${Date.now().toString(36)}-${this.nextCallback++}`,
        from: this.user(chatId),
        message: pressed,
        chat_instance: `ci-${chatId}`,
        data,
      },
    } as Update;
  }

  private baseMessage(chatId: number, content: Partial<Message>): Message {
    return {
      message_id: this.nextMessageId(chatId),
      date: nowSeconds(),
      chat: this.chat(chatId),
      from: this.user(chatId),
      ...content,
    } as Message;
  }

  private wrap(message: Message): Update {
    return { update_id: this.nextUpdateId(), message } as Update;
  }
}

interface PollWaiter {
  res: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

interface SentWaiter {
  predicate: (message: SentMessage) => boolean;
  resolve: (message: SentMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type Params = Record<string, unknown>;
type MethodResult = { status: number; body: unknown };

/**
 * The running fake. Create it with {@link startFakeTelegram}; point a bot at
 * {@link FakeTelegram.apiRoot} with {@link FakeTelegram.token}.
 */
export class FakeTelegram {
  /** Builds the update payloads; also handy for webhook tests (see {@link TelegramUpdateFactory}). */
  readonly updates = new TelegramUpdateFactory();
  readonly botInfo: UserFromGetMe;
  /** Number of getUpdates calls received, failed ones included (they are not kept in {@link FakeTelegram.calls}). */
  getUpdatesCalls = 0;

  private readonly server: Server;
  private baseUrl = '';
  private queue: Update[] = [];
  private allowedUpdates: Set<string> | null = null;
  private pollWaiter: PollWaiter | undefined;
  private readonly sentMessages: SentMessage[] = [];
  private readonly callLog: RecordedCall[] = [];
  private readonly botMessages = new Map<string, Message>();
  private readonly openCallbackQueries = new Set<string>();
  private readonly failures = new Map<string, Array<FailSpec & { remaining: number }>>();
  private readonly blockedChats = new Set<string>();
  private readonly sentWaiters = new Set<SentWaiter>();
  private webhookInfo: RecordedWebhook | undefined;
  private closed = false;

  constructor(
    /** The token requests must carry. */
    readonly token: string = DEFAULT_TOKEN,
    botInfo: Partial<UserFromGetMe> = {},
  ) {
    const id = Number(token.split(':', 1)[0]) || 123_456_789;
    this.botInfo = {
      id,
      is_bot: true,
      first_name: 'LAPOR Test',
      username: 'lapor_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...botInfo,
    };
    this.updates.bot = {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  /** `http://127.0.0.1:<port>`: pass as grammY's `client.apiRoot` (our adapter's `apiRoot`). */
  get apiRoot(): string {
    return this.baseUrl;
  }

  /** The registration from the last `setWebhook`, undefined after `deleteWebhook`. */
  get webhook(): RecordedWebhook | undefined {
    return this.webhookInfo;
  }

  /** Updates not yet confirmed by an `offset` (or dropped by `allowed_updates`). */
  get pendingUpdates(): number {
    return this.queue.length;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  // ---- injecting what citizens do -------------------------------------------------------

  /** Queues any update (e.g. one built with {@link FakeTelegram.updates}) and wakes a long poll. */
  injectUpdate(update: Update): Update {
    this.queue.push(update);
    this.wakePoller();
    return update;
  }

  /** A citizen types `text` (commands get a `bot_command` entity). `extra` is merged into the message. */
  injectMessage(chatId: number, text: string, extra?: Partial<Message>): Update {
    return this.injectUpdate(this.updates.makeTextUpdate(chatId, text, extra));
  }

  /**
   * A citizen presses an inline button with callback `data`. The pressed message is the bot
   * message `messageId`, or else the last message the bot sent to that chat with a keyboard,
   * or else a made-up bot message (which the fake then knows, so it can be edited).
   */
  injectCallback(chatId: number, data: string, messageId?: number): Update {
    const message =
      messageId !== undefined
        ? this.botMessages.get(`${chatId}:${messageId}`)
        : this.lastKeyboardMessage(chatId);
    const update = this.updates.makeCallbackUpdate(chatId, data, message ?? messageId);
    const query = update.callback_query!;
    this.openCallbackQueries.add(query.id);
    if (query.message && !this.botMessages.has(`${chatId}:${query.message.message_id}`)) {
      this.botMessages.set(`${chatId}:${query.message.message_id}`, query.message as Message);
    }
    return this.injectUpdate(update);
  }

  /** A citizen sends a photo; the largest size has `fileId`. */
  injectPhoto(chatId: number, fileId: string, caption?: string): Update {
    return this.injectUpdate(this.updates.makePhotoUpdate(chatId, fileId, caption));
  }

  /** A citizen shares a location. */
  injectLocation(chatId: number, lat: number, lon: number): Update {
    return this.injectUpdate(this.updates.makeLocationUpdate(chatId, lat, lon));
  }

  /** A citizen sends a sticker. */
  injectSticker(chatId: number, fileId?: string): Update {
    return this.injectUpdate(this.updates.makeStickerUpdate(chatId, fileId));
  }

  /** A citizen sends a voice note, video, document, contact, ... */
  injectMedia(chatId: number, kind: FakeMediaKind, fileId?: string): Update {
    return this.injectUpdate(this.updates.makeMediaUpdate(chatId, kind, fileId));
  }

  // ---- what the bot did ----------------------------------------------------------------

  /** Messages the bot sent (all, or to one chat), oldest first. */
  sent(chatId?: number | string): SentMessage[] {
    if (chatId === undefined) return [...this.sentMessages];
    const key = String(chatId);
    return this.sentMessages.filter((m) => m.chatId === key);
  }

  /** Recorded API calls (all but getUpdates), optionally of one method. */
  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.callLog] : this.callLog.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first sent message matching `predicate`, whether it was sent before
   * the call or arrives within `timeoutMs`; rejects after the timeout.
   */
  waitForSent(predicate: (message: SentMessage) => boolean, timeoutMs = 5_000): Promise<SentMessage> {
    const already = this.sentMessages.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise<SentMessage>((resolve, reject) => {
      const waiter: SentWaiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.sentWaiters.delete(waiter);
          reject(
            new Error(
              `fake-telegram: no matching message sent within ${timeoutMs} ms (${this.sentMessages.length} sent in total)`,
            ),
          );
        }, timeoutMs),
      };
      this.sentWaiters.add(waiter);
    });
  }

  /** Forgets sent messages and recorded calls (not the update queue). */
  clearRecords(): void {
    this.sentMessages.length = 0;
    this.callLog.length = 0;
    this.getUpdatesCalls = 0;
  }

  // ---- simulating trouble --------------------------------------------------------------

  /**
   * The next `count` calls of `method` fail: 429 with `parameters.retry_after`, 5xx outages,
   * 400/403 refusals, or a dropped connection. Specs queue up in order.
   */
  failNext(method: string, spec: FailSpec): void {
    const list = this.failures.get(method) ?? [];
    list.push({ ...spec, remaining: spec.count ?? 1 });
    this.failures.set(method, list);
  }

  /** The citizen blocked the bot: sends to this chat get 403 "bot was blocked by the user". */
  blockChat(chatId: number | string): void {
    this.blockedChats.add(String(chatId));
  }

  /** Ends long polls, rejects pending waits and stops the server (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pollWaiter) this.finishPoll(this.pollWaiter, { status: 200, body: { ok: true, result: [] } });
    for (const waiter of this.sentWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('fake-telegram: closed'));
    }
    this.sentWaiters.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- HTTP ----------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    // /bot<token>/<method> or /file/bot<token>/<file_path>
    if (path.startsWith('/file/bot')) {
      this.serveFile(path, res);
      return;
    }
    const slash = path.indexOf('/', 1);
    if (!path.startsWith('/bot') || slash === -1) {
      this.reply(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
      return;
    }
    if (path.slice(4, slash) !== this.token) {
      this.reply(res, { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
      return;
    }
    const method = path.slice(slash + 1).replace(/^test\//, '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let params: Params;
      try {
        params = parseParams(
          req.headers['content-type'],
          Buffer.concat(chunks),
          queryAt === -1 ? '' : url.slice(queryAt + 1),
        );
      } catch (error) {
        this.reply(res, badRequest((error as Error).message));
        return;
      }
      this.dispatch(method, params, res);
    });
  }

  private dispatch(method: string, params: Params, res: ServerResponse): void {
    if (method === 'getUpdates') this.getUpdatesCalls++;
    const failure = this.takeFailure(method);
    if (failure === 'disconnect') {
      res.socket?.destroy();
      return;
    }
    if (failure) {
      if (method !== 'getUpdates') this.callLog.push({ method, params });
      this.reply(res, failure);
      return;
    }
    if (method === 'getUpdates') {
      this.getUpdates(params, res);
      return;
    }
    this.callLog.push({ method, params });
    this.reply(res, this.handle(method, params));
  }

  private handle(method: string, params: Params): MethodResult {
    switch (method) {
      case 'getMe':
        return ok(this.botInfo);
      case 'sendMessage':
        return this.sendMessage(params);
      case 'editMessageReplyMarkup':
        return this.editMessageReplyMarkup(params);
      case 'answerCallbackQuery': {
        const id = String(params.callback_query_id ?? '');
        if (!this.openCallbackQueries.delete(id)) {
          return badRequest(
            'Bad Request: query is too old and response timeout expired or query ID is invalid',
          );
        }
        return ok(true);
      }
      case 'getFile': {
        const fileId = String(params.file_id ?? '');
        if (!fileId) return badRequest('Bad Request: file_id is empty');
        return ok({
          file_id: fileId,
          file_unique_id: `${fileId}-u`,
          file_size: 160_000,
          file_path: `files/${encodeURIComponent(fileId)}.jpg`,
        });
      }
      case 'sendChatAction':
        return params.chat_id === undefined ? badRequest('Bad Request: chat_id is empty') : ok(true);
      case 'setWebhook': {
        const url = String(params.url ?? '');
        if (url === '') {
          this.webhookInfo = undefined;
          return ok(true);
        }
        this.webhookInfo = {
          url,
          ...(typeof params.secret_token === 'string' ? { secretToken: params.secret_token } : {}),
          ...(Array.isArray(params.allowed_updates)
            ? { allowedUpdates: params.allowed_updates.map(String) }
            : {}),
        };
        if (isTrue(params.drop_pending_updates)) this.queue = [];
        return ok(true);
      }
      case 'deleteWebhook':
        this.webhookInfo = undefined;
        if (isTrue(params.drop_pending_updates)) this.queue = [];
        return ok(true);
      case 'getWebhookInfo':
        return ok({
          url: this.webhookInfo?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
          ...(this.webhookInfo?.allowedUpdates ? { allowed_updates: this.webhookInfo.allowedUpdates } : {}),
        });
      default:
        return {
          status: 404,
          body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
        };
    }
  }

  private sendMessage(params: Params): MethodResult {
    if (params.chat_id === undefined || params.chat_id === '')
      return badRequest('Bad Request: chat_id is empty');
    const chatId = String(params.chat_id);
    if (!/^-?\d+$/.test(chatId)) return badRequest('Bad Request: chat not found');
    if (this.blockedChats.has(chatId)) {
      return {
        status: 403,
        body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      };
    }
    const text = typeof params.text === 'string' ? params.text : '';
    if (text.trim() === '') return badRequest('Bad Request: message text is empty');
    if (text.length > 4096) return badRequest('Bad Request: message is too long');
    const markupError = checkReplyMarkup(params.reply_markup);
    if (markupError) return badRequest(markupError);
    const chatNumber = Number(chatId);
    const message = {
      message_id: this.updates.nextMessageId(chatNumber),
      date: nowSeconds(),
      chat: this.updates.chat(chatNumber),
      from: this.updates.bot,
      text,
      ...(params.reply_markup !== undefined ? { reply_markup: params.reply_markup } : {}),
    } as Message;
    this.botMessages.set(`${chatId}:${message.message_id}`, message);
    const record: SentMessage = {
      chatId,
      messageId: message.message_id,
      text,
      ...(params.reply_markup !== undefined ? { replyMarkup: params.reply_markup } : {}),
      params,
    };
    this.sentMessages.push(record);
    for (const waiter of this.sentWaiters) {
      if (waiter.predicate(record)) {
        clearTimeout(waiter.timer);
        this.sentWaiters.delete(waiter);
        waiter.resolve(record);
      }
    }
    return ok(message);
  }

  private editMessageReplyMarkup(params: Params): MethodResult {
    if (params.inline_message_id !== undefined) return ok(true);
    const key = `${String(params.chat_id)}:${String(params.message_id)}`;
    const message = this.botMessages.get(key);
    if (!message) return badRequest('Bad Request: message to edit not found');
    const markup = params.reply_markup;
    const hadKeyboard = hasButtons(message.reply_markup);
    if (!hadKeyboard && !hasButtons(markup)) {
      return badRequest(
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const edited = { ...message, edit_date: nowSeconds() } as Message;
    if (hasButtons(markup)) edited.reply_markup = markup as Message['reply_markup'];
    else delete edited.reply_markup;
    this.botMessages.set(key, edited as Message);
    const record = this.sentMessages.find((m) => `${m.chatId}:${m.messageId}` === key);
    if (record) {
      if (hasButtons(markup)) record.replyMarkup = markup;
      else delete record.replyMarkup;
    }
    return ok(edited);
  }

  private getUpdates(params: Params, res: ServerResponse): void {
    if (this.webhookInfo) {
      this.reply(res, {
        status: 409,
        body: {
          ok: false,
          error_code: 409,
          description:
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        },
      });
      return;
    }
    const offset = Math.trunc(Number(params.offset ?? 0)) || 0;
    const limit = Math.min(100, Math.max(1, Math.trunc(Number(params.limit ?? 100)) || 100));
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    if (Array.isArray(params.allowed_updates)) {
      this.allowedUpdates =
        params.allowed_updates.length > 0 ? new Set(params.allowed_updates.map(String)) : null;
    }
    if (offset > 0) this.confirmBelow(offset);
    const updates = this.select(offset, limit);
    // A newer getUpdates ends an older one, as on Telegram.
    if (this.pollWaiter) {
      this.finishPoll(this.pollWaiter, {
        status: 409,
        body: {
          ok: false,
          error_code: 409,
          description:
            'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        },
      });
    }
    if (updates.length > 0 || timeout === 0 || this.closed) {
      this.reply(res, ok(updates));
      return;
    }
    const waiter: PollWaiter = {
      res,
      offset,
      limit,
      timer: setTimeout(() => this.finishPoll(waiter, ok([])), timeout * 1000),
    };
    this.pollWaiter = waiter;
    res.on('close', () => {
      // The client went away (e.g. grammY aborted the request on stop).
      if (this.pollWaiter === waiter) {
        clearTimeout(waiter.timer);
        this.pollWaiter = undefined;
      }
    });
  }

  private wakePoller(): void {
    const waiter = this.pollWaiter;
    if (!waiter) return;
    const updates = this.select(waiter.offset, waiter.limit);
    if (updates.length > 0) this.finishPoll(waiter, ok(updates));
  }

  private finishPoll(waiter: PollWaiter, result: MethodResult): void {
    clearTimeout(waiter.timer);
    if (this.pollWaiter === waiter) this.pollWaiter = undefined;
    if (!waiter.res.writableEnded && !waiter.res.destroyed) this.reply(waiter.res, result);
  }

  private confirmBelow(offset: number): void {
    let drop = 0;
    while (drop < this.queue.length && this.queue[drop]!.update_id < offset) drop++;
    if (drop > 0) this.queue = this.queue.slice(drop);
  }

  /** Pending updates for a request; updates of types not allowed are dropped (Telegram never sends them). */
  private select(offset: number, limit: number): Update[] {
    if (this.queue.some((u) => !this.isAllowed(u))) this.queue = this.queue.filter((u) => this.isAllowed(u));
    if (offset < 0) return this.queue.slice(offset).slice(0, limit);
    const result: Update[] = [];
    for (const update of this.queue) {
      if (update.update_id < offset) continue;
      result.push(update);
      if (result.length === limit) break;
    }
    return result;
  }

  private isAllowed(update: Update): boolean {
    const type = Object.keys(update).find((k) => k !== 'update_id');
    if (type === undefined) return false;
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !DEFAULT_EXCLUDED_UPDATES.has(type);
  }

  private takeFailure(method: string): MethodResult | 'disconnect' | undefined {
    const list = this.failures.get(method);
    const spec = list?.[0];
    if (!list || !spec) return undefined;
    spec.remaining--;
    if (spec.remaining <= 0) list.shift();
    if (list.length === 0) this.failures.delete(method);
    if (spec.status === 'disconnect') return 'disconnect';
    const status = spec.status;
    const body: Record<string, unknown> = {
      ok: false,
      error_code: status,
      description: spec.description ?? defaultDescription(status, spec.retryAfter ?? 1),
    };
    if (status === 429) body.parameters = { retry_after: spec.retryAfter ?? 1 };
    return { status, body };
  }

  private lastKeyboardMessage(chatId: number): Message | undefined {
    for (let i = this.sentMessages.length - 1; i >= 0; i--) {
      const record = this.sentMessages[i]!;
      if (record.chatId === String(chatId) && hasButtons(record.replyMarkup)) {
        return this.botMessages.get(`${record.chatId}:${record.messageId}`);
      }
    }
    return undefined;
  }

  private serveFile(path: string, res: ServerResponse): void {
    const rest = path.slice('/file/bot'.length);
    const slash = rest.indexOf('/');
    if (slash === -1 || rest.slice(0, slash) !== this.token) {
      this.reply(res, { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
      return;
    }
    const content = Buffer.from(`fake-telegram file ${decodeURIComponent(rest.slice(slash + 1))}`);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': content.length });
    res.end(content);
  }

  private reply(res: ServerResponse, result: MethodResult): void {
    const json = JSON.stringify(result.body);
    res.writeHead(result.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  }
}

/** Starts a {@link FakeTelegram} on 127.0.0.1 with a free port. Close it with `close()`. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegram(options.token ?? DEFAULT_TOKEN, options.botInfo ?? {});
  await fake.listen();
  return fake;
}

function ok(result: unknown): MethodResult {
  return { status: 200, body: { ok: true, result } };
}

function badRequest(description: string): MethodResult {
  return { status: 400, body: { ok: false, error_code: 400, description } };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function defaultDescription(status: number, retryAfter: number): string {
  if (status === 429) return `Too Many Requests: retry after ${retryAfter}`;
  if (status === 400) return 'Bad Request';
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden: bot was blocked by the user';
  if (status === 404) return 'Not Found';
  if (status === 409) return 'Conflict';
  if (status === 502) return 'Bad Gateway';
  return 'Internal Server Error';
}

function hasButtons(markup: unknown): boolean {
  if (typeof markup !== 'object' || markup === null) return false;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  return Array.isArray(rows) && rows.some((row) => Array.isArray(row) && row.length > 0);
}

/** Telegram's own checks on inline keyboards that matter to us. */
function checkReplyMarkup(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  if (typeof markup !== 'object' || markup === null)
    return "Bad Request: can't parse reply keyboard markup JSON object";
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows))
    return 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array';
  for (const row of rows) {
    if (!Array.isArray(row))
      return "Bad Request: can't parse inline keyboard button: InlineKeyboardButton should be an Array";
    for (const button of row as Array<{ text?: unknown; callback_data?: unknown }>) {
      if (typeof button.text !== 'string' || button.text === '')
        return 'Bad Request: text buttons are unallowed in the inline keyboard';
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data));
        if (bytes < 1 || bytes > 64) return 'Bad Request: BUTTON_DATA_INVALID';
      }
    }
  }
  return undefined;
}

/** JSON bodies (what grammY sends), form bodies and query strings, like the real Bot API. */
function parseParams(contentType: string | undefined, body: Buffer, query: string): Params {
  const params: Params = {};
  if (query) Object.assign(params, formToParams(new URLSearchParams(query)));
  if (body.length === 0) return params;
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new Error("Bad Request: can't parse JSON body");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('Bad Request: JSON body must be an object');
    }
    return Object.assign(params, parsed);
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.assign(params, formToParams(new URLSearchParams(body.toString('utf8'))));
  }
  throw new Error(`Bad Request: unsupported content type ${type || '(none)'} in fake-telegram`);
}

/** Form values that hold JSON objects/arrays (reply_markup, allowed_updates) are decoded. */
function formToParams(form: URLSearchParams): Params {
  const params: Params = {};
  for (const [key, value] of form) {
    const first = value.trimStart()[0];
    if (first === '{' || first === '[') {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    params[key] = value;
  }
  return params;
}
