import { verifySlackRequest, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../bots/slack/index.ts';
import { type FakeSlack, signedForm, slackSignatureHeaders, startFakeSlack } from '../../fakes/slack.ts';

describe('fake Slack Web API', () => {
  let slack: FakeSlack;
  let client: webApi.WebClient;

  beforeEach(async () => {
    slack = await startFakeSlack();
    client = new webApi.WebClient(slack.token, {
      slackApiUrl: `${slack.apiUrl}/`,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  });

  afterEach(async () => {
    await slack.close();
  });

  it('answers auth.test with the bot identity and refuses another token', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: slack.botUserId,
      bot_id: slack.botId,
    });
    const stranger = new webApi.WebClient('xoxb-wrong', {
      slackApiUrl: `${slack.apiUrl}/`,
      retryConfig: { retries: 0 },
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('posts, threads and updates messages with decoded blocks, and records each call', async () => {
    const root = await client.chat.postMessage({
      channel: 'C0PU',
      text: 'Laporan baru',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*LPR*' } }],
    });
    expect(root.ts).toMatch(/^\d+\.\d{6}$/);
    const reply = await client.chat.postMessage({ channel: 'C0PU', thread_ts: root.ts!, text: 'catatan' });
    await client.chat.update({ channel: 'C0PU', ts: root.ts!, text: 'Laporan (diperbarui)', blocks: [] });
    expect(slack.roots('C0PU')).toEqual([
      expect.objectContaining({ ts: root.ts, text: 'Laporan (diperbarui)', blocks: [], updates: 1 }),
    ]);
    expect(slack.thread('C0PU', root.ts!).map((m) => [m.ts, m.text])).toEqual([[reply.ts, 'catatan']]);
    expect(slack.calls('chat.postMessage')[0]?.params.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*LPR*' } },
    ]);
    await expect(
      client.chat.postMessage({ channel: 'C0PU', thread_ts: '1.000001', text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
    await expect(client.chat.update({ channel: 'C0PU', ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('records ephemerals and opened views', async () => {
    await client.chat.postEphemeral({ channel: 'C0PU', user: 'U1', text: 'hanya untuk Anda' });
    const opened = await client.views.open({
      trigger_id: '123.456',
      view: { type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'Judul' }, blocks: [] },
    });
    expect(slack.ephemerals('U1')).toEqual([{ channel: 'C0PU', user: 'U1', text: 'hanya untuk Anda' }]);
    expect(slack.views()).toEqual([expect.objectContaining({ id: opened.view?.id, triggerId: '123.456' })]);
    expect(slack.views()[0]?.view.callback_id).toBe('cb');
  });

  it('pages conversations.members and knows no unset channel', async () => {
    slack.setMembers('C0PU', ['U1', 'U2', 'U3']);
    const first = await client.conversations.members({ channel: 'C0PU', limit: 2 });
    const second = await client.conversations.members({
      channel: 'C0PU',
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect([first.members, second.members, second.response_metadata?.next_cursor]).toEqual([
      ['U1', 'U2'],
      ['U3'],
      '',
    ]);
    await expect(client.conversations.members({ channel: 'C0NONE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('answers 429 with Retry-After and platform errors on demand', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 12 }, { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C0PU', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 12,
    });
    await expect(client.chat.postMessage({ channel: 'C0PU', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: 'channel_not_found' },
    });
    expect((await client.chat.postMessage({ channel: 'C0PU', text: 'x' })).ok).toBe(true);
  });

  it('waits for a message and fails the wait on close', async () => {
    const waiting = slack.waitForMessage((m) => m.text === 'nanti');
    await client.chat.postMessage({ channel: 'C0PU', text: 'nanti' });
    expect((await waiting).channel).toBe('C0PU');
    const never = slack.waitFor(() => false, 'never');
    await slack.close();
    await expect(never).rejects.toThrow(/closed/);
  });
});

describe('Slack request signing helper', () => {
  const secret = 'test-signing-secret';

  it('signs the way Bolt verifies, and our verifier agrees', () => {
    const { payload, headers } = signedForm(secret, { type: 'block_actions' });
    const now = Date.now();
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body: payload,
        headers: {
          'x-slack-signature': headers['x-slack-signature']!,
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: now,
      }),
    ).not.toThrow();
    expect(
      verifySlackSignature({
        signingSecret: secret,
        rawBody: payload,
        timestamp: headers['x-slack-request-timestamp'],
        signature: headers['x-slack-signature'],
        nowMs: now,
      }),
    ).toEqual({ ok: true });
  });

  it('our verifier refuses a changed body, another secret, a stale or future timestamp and missing headers', () => {
    const body = '{"type":"event_callback"}';
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    const check = (h: Record<string, string>, raw = body, nowMs = now) =>
      verifySlackSignature({
        signingSecret: secret,
        rawBody: raw,
        timestamp: h['x-slack-request-timestamp'],
        signature: h['x-slack-signature'],
        nowMs,
      });
    expect(check(slackSignatureHeaders(secret, body, ts), `${body} `)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(check(slackSignatureHeaders('other', body, ts))).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(check(slackSignatureHeaders(secret, body, ts - 301))).toEqual({
      ok: false,
      reason: 'stale request timestamp',
    });
    expect(check(slackSignatureHeaders(secret, body, ts + 301))).toEqual({
      ok: false,
      reason: 'stale request timestamp',
    });
    expect(check(slackSignatureHeaders(secret, body, ts - 299))).toEqual({ ok: true });
    expect(check({})).toEqual({ ok: false, reason: 'missing Slack signature headers' });
  });
});
