import { App, LogLevel } from '@slack/bolt';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FastifyReceiver, SLACK_EVENTS_PATH } from '../../bots/slack/index.ts';
import {
  type FakeSlack,
  signedForm,
  signedJson,
  slackPayloads,
  slackSignatureHeaders,
  startFakeSlack,
} from '../../fakes/slack.ts';

const SECRET = 'receiver-test-secret';
const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

describe('Bolt receiver as a Fastify plugin', () => {
  let slack: FakeSlack;
  let http: FastifyInstance;
  let receiver: FastifyReceiver;
  let app: App;

  async function build(processBeforeResponse: boolean): Promise<void> {
    receiver = new FastifyReceiver({
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      processBeforeResponse,
    });
    app = new App({
      receiver,
      authorize: async () => ({ botToken: slack.token, botId: slack.botId, botUserId: slack.botUserId }),
      clientOptions: { slackApiUrl: `${slack.apiUrl}/`, retryConfig: { retries: 0 } },
      logger: quiet,
    });
    http = Fastify();
    // Another JSON route next to it keeps Fastify's own JSON parser: the raw-body parser stays in the plugin.
    http.post('/other', async (request) => ({ got: request.body }));
    await http.register(receiver.routes);
    await http.ready();
  }

  const post = (request: { payload: string; headers: Record<string, string> }) =>
    http.inject({ method: 'POST', url: SLACK_EVENTS_PATH, ...request });

  beforeEach(async () => {
    slack = await startFakeSlack();
  });

  afterEach(async () => {
    await http?.close();
    await receiver?.stop();
    await slack.close();
  });

  it('answers the url_verification handshake once signed, and ssl_check with 200', async () => {
    await build(true);
    const res = await post(signedJson(SECRET, { type: 'url_verification', challenge: 'abc123', token: 't' }));
    expect(res.json()).toEqual({ challenge: 'abc123' });
    const ssl = await post(signedForm(SECRET, { ssl_check: '1', token: 't' }, { command: true }));
    expect(ssl.statusCode).toBe(200);
    const unsigned = await http.inject({
      method: 'POST',
      url: SLACK_EVENTS_PATH,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ type: 'url_verification', challenge: 'abc123' }),
    });
    expect(unsigned.statusCode).toBe(401);
    const other = await http.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(other.json()).toEqual({ got: { a: 1 } });
  });

  it('returns what the listener acked: a slash command answer', async () => {
    await build(true);
    app.command('/lapor', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `cek ${command.text}` });
    });
    const res = await post(
      signedForm(
        SECRET,
        slackPayloads.command({ user: 'U1', channel: 'C1', command: '/lapor', text: 'LPR' }),
        {
          command: true,
        },
      ),
    );
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: 'cek LPR' });
  });

  it('answers at ack() without waiting for the listener when processBeforeResponse is off', async () => {
    await build(false);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    app.action('slow', async ({ ack }) => {
      await ack();
      await gate;
      finished = true;
    });
    const res = await post(
      signedForm(
        SECRET,
        slackPayloads.blockAction({
          user: 'U1',
          channel: 'C1',
          message: { ts: '1.000001' },
          actionId: 'slow',
          value: 'x',
        }),
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(finished).toBe(false);
    release();
    await receiver.stop();
    expect(finished).toBe(true);
  });

  it('answers 404 when no listener acknowledged, 500 without details when a listener threw first', async () => {
    await build(true);
    app.action('boom', async () => {
      throw new Error('database password is hunter2');
    });
    const unhandled = await post(
      signedForm(
        SECRET,
        slackPayloads.blockAction({
          user: 'U1',
          channel: 'C1',
          message: { ts: '1.000001' },
          actionId: 'nobody',
          value: 'x',
        }),
      ),
    );
    expect(unhandled.statusCode).toBe(404);
    const failed = await post(
      signedForm(
        SECRET,
        slackPayloads.blockAction({
          user: 'U1',
          channel: 'C1',
          message: { ts: '1.000001' },
          actionId: 'boom',
          value: 'x',
        }),
      ),
    );
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toContain('hunter2');
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    await build(true);
    const body = '{not json';
    const res = await post({
      payload: body,
      headers: { 'content-type': 'application/json', ...slackSignatureHeaders(SECRET, body) },
    });
    expect(res.statusCode).toBe(400);
  });
});
