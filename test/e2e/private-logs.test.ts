/**
 * No phone number, chat id, name or message text in any log line, at trace level, on the happy
 * path and on error paths: marker strings go in through every channel, provider sends fail
 * (with the recipient in the provider's error text), a message is quarantined, an ORM
 * validation error (which prints the call's arguments) is logged, and the captured lines are
 * searched for every marker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as convos from '../../core/store/repos/conversations.ts';
import { edgeRequest, type HostileService, startHostileService } from '../../fakes/hostile-service.ts';
import { cloudWebhook } from '../../fakes/whatsapp-cloud.ts';
import { until } from '../support/channel-e2e.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

const TG_CHAT = 918_273_645;
const WA_PHONE = '6281377712345';
const SMS_PHONE = '081377754321';
const NAME = 'Zulaikhanur';
const TEXT = 'kalimatpenanda';
/** Marker forms as they could show up in a line: raw, E.164, without the leading 0 or 62. */
const MARKERS = [String(TG_CHAT), WA_PHONE, '1377712345', '+6281377754321', '81377754321', NAME, TEXT];

describe('private logs', () => {
  let handle: TestDatabase;
  let h: HostileService;

  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    h = await startHostileService(handle, { quarantine: { maxAttempts: 2, backoffMs: 10 } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await handle?.dispose();
  });

  it('keeps markers sent through every channel, and every error about them, out of the logs', async () => {
    // Provider sends fail first (retryable), quoting the recipient in their error texts.
    h.telegram.failNext('sendMessage', {
      status: 500,
      description: `Internal Server Error: chat ${TG_CHAT} unavailable`,
    });
    h.graph.failNext(500, 1, undefined, { code: 131000, message: `Something went wrong for ${WA_PHONE}` });
    h.sms.failNext(500);

    const tg = h.telegram.updates.makeTextUpdate(TG_CHAT, `${TEXT} jalan rusak`, {
      from: { id: TG_CHAT, is_bot: false, first_name: NAME, language_code: 'id' },
    } as never);
    expect((await h.inject(edgeRequest('telegram', tg))).status).toBe(200);
    const wa = cloudWebhook.envelope({
      contacts: [cloudWebhook.contact(WA_PHONE, NAME)],
      messages: [
        cloudWebhook.message(
          'text',
          { text: { body: `${TEXT} lampu mati` } },
          { from: WA_PHONE, id: 'wamid.logs-1' },
        ),
        cloudWebhook.message('text', { text: { body: 7 } }, { from: WA_PHONE, id: 'wamid.logs-2' }),
      ],
    });
    expect((await h.inject(edgeRequest('whatsapp', wa))).status).toBe(200);
    expect(
      (await h.inject(edgeRequest('sms', { id: 'logs-sms-1', from: SMS_PHONE, text: `${TEXT} sampah` })))
        .status,
    ).toBe(200);
    // Wrong shapes carrying the markers.
    await h.inject(edgeRequest('sms', { id: 'logs-sms-2', from: SMS_PHONE, text: { t: TEXT } }));
    await h.inject(edgeRequest('slack_events', { type: 'event_callback', event: `${NAME} ${TEXT}` }));
    await h.inject(edgeRequest('telegram', `{"update_id": 1, "message": "${TEXT} ${TG_CHAT}`));

    // Replies reach every citizen after the failed first tries.
    await until(() => h.telegram.sent(TG_CHAT).length > 0, 'telegram reply');
    await until(() => h.graph.bodies.some((b) => b.to === WA_PHONE), 'whatsapp reply');
    await until(() => h.sms.sent.some((s) => s.to === '+6281377754321'), 'sms reply');

    // A poison message in the Telegram chat, quarantined.
    const poison = await convos.storeInboundFast(h.service.db.prisma, {
      channel: 'telegram',
      address: String(TG_CHAT),
      externalId: `msg:${TG_CHAT}:poison`,
      text: TEXT,
      payload: { media: 'abc' },
      receivedAt: new Date(),
    });
    await h.inject(edgeRequest('telegram', h.telegram.updates.makeTextUpdate(TG_CHAT, `${TEXT} lagi`)));
    await until(
      () =>
        h.service.db.prisma.message.findFirst({
          where: { id: poison?.id as string, failedAt: { not: null } },
        }),
      'quarantine',
    );

    // An ORM validation error: Prisma prints the arguments of the call in its message.
    const ormError = await h.service.db.prisma.message
      .create({
        data: { direction: 'incoming', channel: 'sms', text: TEXT, address: `+62${SMS_PHONE}` } as never,
      })
      .catch((error: unknown) => error);
    expect(String((ormError as Error).message)).toContain(TEXT);
    h.service.logger.error({ err: ormError }, 'store failed');
    h.service.logger.warn({ error: ormError, detail: `sent to +6281377754321 by ${TG_CHAT}` }, 'odd');

    await until(
      () => h.service.db.prisma.outboxItem.count({ where: { status: 'pending' } }).then((n) => n === 0),
      'outbox drained',
    );
    const lines = h.logs;
    // The error paths were taken and logged.
    for (const expected of ['quarantined', 'rejected', 'store failed', 'send failed'])
      expect(
        lines.some((l) => l.includes(expected)),
        expected,
      ).toBe(true);
    if (process.env.SHOW_LOGS) console.log(lines.join('\n'));
    const leaks = lines.filter((line) => MARKERS.some((m) => line.includes(m)));
    expect(leaks).toEqual([]);
  });
});
