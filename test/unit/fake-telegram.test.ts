import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram, TelegramUpdateFactory } from '../../fakes/telegram.ts';

interface Envelope<T = unknown> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

async function call<T = unknown>(
  fake: FakeTelegram,
  method: string,
  params: Record<string, unknown> = {},
  token = fake.token,
): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!condition()) throw new Error('condition never became true');
}

describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;

  beforeEach(async () => {
    fake = await startFakeTelegram();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers getMe for its token and 401 for any other token', async () => {
    const me = await call<{ username: string; is_bot: boolean }>(fake, 'getMe');
    expect(me.body).toMatchObject({ ok: true, result: { username: 'lapor_test_bot', is_bot: true } });
    const wrong = await call(fake, 'getMe', {}, '1:wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('parks a long poll until an update is injected, then wakes it with that update', async () => {
    let settled = false;
    const poll = call<Update[]>(fake, 'getUpdates', { timeout: 30 }).finally(() => {
      settled = true;
    });
    await until(() => fake.getUpdatesCalls === 1);
    // The request reached the server and is being held open: nothing to return yet.
    await call(fake, 'getMe');
    expect(settled).toBe(false);

    const injected = fake.injectMessage(4201, 'Lampu jalan mati di Jl. Merdeka');
    const { body } = await poll;
    expect(body.ok).toBe(true);
    expect(body.result).toHaveLength(1);
    expect(body.result?.[0]?.update_id).toBe(injected.update_id);
    expect(body.result?.[0]?.message?.text).toBe('Lampu jalan mati di Jl. Merdeka');
  });

  it('ends an idle long poll with an empty list when its timeout passes', async () => {
    const { body } = await call<Update[]>(fake, 'getUpdates', { timeout: 1 });
    expect(body).toEqual({ ok: true, result: [] });
  });

  it('re-delivers updates until an offset above them confirms them', async () => {
    const first = fake.injectMessage(4202, 'satu');
    const second = fake.injectLocation(4202, -7.39, 109.36);

    const again = await call<Update[]>(fake, 'getUpdates', { timeout: 0 });
    const twice = await call<Update[]>(fake, 'getUpdates', { timeout: 0 });
    expect(again.body.result?.map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect(twice.body.result?.map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);

    const afterFirst = await call<Update[]>(fake, 'getUpdates', { offset: first.update_id + 1, timeout: 0 });
    expect(afterFirst.body.result?.map((u) => u.update_id)).toEqual([second.update_id]);
    expect(fake.pendingUpdates).toBe(1);

    const none = await call<Update[]>(fake, 'getUpdates', { offset: second.update_id + 1, timeout: 0 });
    expect(none.body.result).toEqual([]);
    expect(fake.pendingUpdates).toBe(0);
  });

  it('honours limit and a negative offset (the last N updates)', async () => {
    for (let i = 0; i < 5; i++) fake.injectMessage(4203, `pesan ${i}`);
    const limited = await call<Update[]>(fake, 'getUpdates', { limit: 2 });
    expect(limited.body.result?.map((u) => u.message?.text)).toEqual(['pesan 0', 'pesan 1']);
    const last = await call<Update[]>(fake, 'getUpdates', { offset: -1 });
    expect(last.body.result?.map((u) => u.message?.text)).toEqual(['pesan 4']);
  });

  it('drops update types that allowed_updates excludes', async () => {
    fake.injectCallback(4204, 'kategori:jalan');
    const text = fake.injectMessage(4204, 'halo');
    const { body } = await call<Update[]>(fake, 'getUpdates', { allowed_updates: ['message'] });
    expect(body.result?.map((u) => u.update_id)).toEqual([text.update_id]);
    expect(fake.pendingUpdates).toBe(1);
  });

  it('answers a newer getUpdates and ends the older parked one with 409 Conflict', async () => {
    const older = call(fake, 'getUpdates', { timeout: 30 });
    await until(() => fake.getUpdatesCalls === 1);
    const newer = call(fake, 'getUpdates', { timeout: 0 });
    expect((await older).body).toMatchObject({ ok: false, error_code: 409 });
    expect((await newer).body).toEqual({ ok: true, result: [] });
  });

  it('refuses getUpdates with 409 while a webhook is set, and records the webhook', async () => {
    await call(fake, 'setWebhook', {
      url: 'https://lapor.example.go.id/webhooks/telegram',
      secret_token: 's3cret',
      allowed_updates: ['message', 'callback_query'],
    });
    expect(fake.webhook).toEqual({
      url: 'https://lapor.example.go.id/webhooks/telegram',
      secretToken: 's3cret',
      allowedUpdates: ['message', 'callback_query'],
    });
    const refused = await call(fake, 'getUpdates');
    expect(refused.status).toBe(409);
    await call(fake, 'deleteWebhook');
    expect(fake.webhook).toBeUndefined();
    expect((await call(fake, 'getUpdates')).body.ok).toBe(true);
  });

  it('fails the next calls with the shape Telegram uses for 429 and recovers after count', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 7, count: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(fake, 'sendMessage', { chat_id: 4205, text: 'coba' });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
    }
    const ok = await call(fake, 'sendMessage', { chat_id: 4205, text: 'coba' });
    expect(ok.body.ok).toBe(true);
    expect(fake.sent(4205)).toHaveLength(1);
  });

  it('simulates outages with a 500 body and with a dropped connection', async () => {
    fake.failNext('getMe', { status: 500 });
    fake.failNext('getMe', { status: 'disconnect' });
    const outage = await call(fake, 'getMe');
    expect(outage.status).toBe(500);
    expect(outage.body).toEqual({ ok: false, error_code: 500, description: 'Internal Server Error' });
    await expect(call(fake, 'getMe')).rejects.toThrow();
    expect((await call(fake, 'getMe')).body.ok).toBe(true);
  });

  it('records sendMessage with text, chat_id and reply_markup and returns a Message', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Ya', callback_data: 'yes' }]] };
    const { body } = await call<{ message_id: number; text: string }>(fake, 'sendMessage', {
      chat_id: '4206',
      text: 'Kirim laporan?',
      reply_markup: keyboard,
    });
    expect(body.result?.text).toBe('Kirim laporan?');
    expect(fake.sent()).toEqual([
      expect.objectContaining({ chatId: '4206', text: 'Kirim laporan?', replyMarkup: keyboard }),
    ]);
    expect(fake.sent(4206)[0]?.messageId).toBe(body.result?.message_id);
  });

  it('accepts form-encoded parameters like the real Bot API', async () => {
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: '4207',
        text: 'form',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] }),
      }),
    });
    expect(res.status).toBe(200);
    expect(fake.sent(4207)[0]).toMatchObject({
      text: 'form',
      replyMarkup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] },
    });
  });

  it('rejects what Telegram rejects: long texts, oversized callback_data, blocked chats', async () => {
    const long = await call(fake, 'sendMessage', { chat_id: 4208, text: 'x'.repeat(4097) });
    expect(long.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
    const button = await call(fake, 'sendMessage', {
      chat_id: 4208,
      text: 'pilih',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a'.repeat(65) }]] },
    });
    expect(button.body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    fake.blockChat(4208);
    const blocked = await call(fake, 'sendMessage', { chat_id: 4208, text: 'halo' });
    expect(blocked.status).toBe(403);
    expect(blocked.body.description).toBe('Forbidden: bot was blocked by the user');
    expect(fake.sent(4208)).toEqual([]);
  });

  it('waitForSent resolves on a later matching message and rejects after its timeout', async () => {
    const waiting = fake.waitForSent((m) => m.chatId === '4209' && m.text.includes('Nomor laporan'));
    await call(fake, 'sendMessage', { chat_id: 4209, text: 'Terima kasih' });
    await call(fake, 'sendMessage', { chat_id: 4209, text: 'Nomor laporan: LPR-001' });
    await expect(waiting).resolves.toMatchObject({ text: 'Nomor laporan: LPR-001' });
    // Already-sent messages match at once.
    await expect(fake.waitForSent((m) => m.text === 'Terima kasih', 10)).resolves.toMatchObject({
      chatId: '4209',
    });
    await expect(fake.waitForSent((m) => m.chatId === 'nobody', 20)).rejects.toThrow(/no matching message/);
  });

  it('builds callback presses on the last keyboard message; answers each query once; edits remove the keyboard', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Jalan', callback_data: 'cat:road' }]] };
    const sent = await call<{ message_id: number }>(fake, 'sendMessage', {
      chat_id: 4210,
      text: 'Kategori?',
      reply_markup: keyboard,
    });
    const press = fake.injectCallback(4210, 'cat:road');
    const query = press.callback_query!;
    expect(query.data).toBe('cat:road');
    expect(query.message?.message_id).toBe(sent.body.result?.message_id);

    expect((await call(fake, 'answerCallbackQuery', { callback_query_id: query.id })).body).toEqual({
      ok: true,
      result: true,
    });
    const twice = await call(fake, 'answerCallbackQuery', { callback_query_id: query.id });
    expect(twice.status).toBe(400);

    const edit = await call(fake, 'editMessageReplyMarkup', {
      chat_id: 4210,
      message_id: query.message?.message_id,
    });
    expect(edit.body.ok).toBe(true);
    expect(fake.sent(4210)[0]?.replyMarkup).toBeUndefined();
    const again = await call(fake, 'editMessageReplyMarkup', {
      chat_id: 4210,
      message_id: query.message?.message_id,
    });
    expect(again.body.description).toMatch(/message is not modified/);
    expect(fake.calls('answerCallbackQuery')).toHaveLength(2);
  });

  it('returns a file_path from getFile and serves the file', async () => {
    const { body } = await call<{ file_path: string }>(fake, 'getFile', { file_id: 'AgACfoto' });
    expect(body.result?.file_path).toMatch(/AgACfoto/);
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${body.result?.file_path}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('AgACfoto');
  });

  it('answers sendChatAction and 404 for methods it does not know', async () => {
    expect((await call(fake, 'sendChatAction', { chat_id: 1, action: 'typing' })).body).toEqual({
      ok: true,
      result: true,
    });
    expect((await call(fake, 'sendDice', { chat_id: 1 })).status).toBe(404);
  });

  it('close() ends a parked long poll', async () => {
    const poll = call<Update[]>(fake, 'getUpdates', { timeout: 30 });
    await until(() => fake.getUpdatesCalls === 1);
    await fake.close();
    expect((await poll).body).toEqual({ ok: true, result: [] });
  });
});

describe('TelegramUpdateFactory', () => {
  it('numbers updates and per-chat messages upwards and tags commands like Telegram', () => {
    const updates = new TelegramUpdateFactory(10);
    const a = updates.makeTextUpdate(1, '/status@lapor_test_bot LPR-7');
    const b = updates.makePhotoUpdate(1, 'AgACphoto', 'Got besar');
    const c = updates.makeTextUpdate(2, 'halo');
    expect([a.update_id, b.update_id, c.update_id]).toEqual([10, 11, 12]);
    expect([a.message?.message_id, b.message?.message_id, c.message?.message_id]).toEqual([1, 2, 1]);
    expect(a.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 22 }]);
    expect(c.message?.entities).toBeUndefined();
    expect(b.message?.photo?.at(-1)?.file_id).toBe('AgACphoto');
    expect(b.message?.caption).toBe('Got besar');
    expect(updates.makeCallbackUpdate(3, 'ya').callback_query?.message?.chat.id).toBe(3);
  });
});
