/**
 * Closing the loop: a citizen on Telegram (grammY against the fake Bot API) rates the answer
 * an officer gave on Slack (Bolt against the fake Web API). "Tidak puas" with a reason reopens
 * the report to the same agency with a fresh deadline, and the officers see it in the report's
 * thread; "puas" closes it for good; a rating after the window only thanks the citizen. The
 * citizen is also told when the report is accepted and when it is resumed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { ACTION_IDS, MODAL_CALLBACK_IDS, MODAL_FIELDS } from '../../bots/slack/index.ts';
import { findTrackingIdIn } from '../../core/tracking-id/index.ts';
import { rateChoiceId } from '../../dialogs/engine/index.ts';
import {
  type FakeSlack,
  type PostedMessage,
  signedForm,
  slackPayloads,
  startFakeSlack,
} from '../../fakes/slack.ts';
import { type FakeTelegram, type SentMessage, startFakeTelegram } from '../../fakes/telegram.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, testClock } from '../support/service.ts';

const SECRET = 'slack-signing-secret-for-rating-tests';
const ADMIN_TOKEN = 'admin-api-token-for-rating-tests';
const C_ADMIN = 'C0ADMIN';
const C_PU = 'C0PUPBG';
const OFFICER = 'U0PUOFFICER';
const PU = 'PEMDA-33.03-DPUPR';
/** Tuesday 1 December 2026, 09:00 WIB. */
const START = new Date('2026-12-01T02:00:00Z');
const DAY = 86_400_000;
const POTHOLE =
  'Jalan berlubang besar di depan SDN 2 Kemangkon, Kec. Kemangkon, Kab. Purbalingga, sudah 3 bulan';

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} never happened`);
}

describe.each(DB_KINDS)('rating and reopening on %s', (kind) => {
  const database = useTestDatabase(kind);
  const clock = testClock(START);
  let telegram: FakeTelegram;
  let slack: FakeSlack;
  let service: Service;
  let nextChat = 820_000_001;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    slack = await startFakeSlack();
    service = await createTestService(database.handle, {
      clock: clock.now,
      env: {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_ADMIN_CHANNEL: C_ADMIN,
        ADMIN_API_TOKEN: ADMIN_TOKEN,
      },
    });
    await service.start({ listen: false });
  });
  afterAll(async () => {
    await service?.stop();
    await telegram?.close();
    await slack?.close();
  });
  afterEach(async () => {
    await until(
      async () =>
        (await database.db.prisma.outboxItem.count({ where: { status: { in: ['pending', 'sending'] } } })) ===
        0,
      'outbox quiet',
    );
  });
  beforeEach(async () => {
    clock.set(START);
    slack.clearRecords();
    telegram.clearRecords();
    slack.setMembers(C_PU, [OFFICER]);
    slack.setMembers(C_ADMIN, ['U0ADMIN']);
    const mapped = await service.app().inject({
      method: 'PUT',
      url: `/admin/agency-channels/${PU}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ channel: C_PU }),
    });
    expect(mapped.statusCode).toBe(200);
  });

  // ---- helpers ------------------------------------------------------------------------------

  function buttons(message: SentMessage): { text?: string; callback_data?: string }[] {
    const markup = message.replyMarkup as
      | { inline_keyboard?: { text?: string; callback_data?: string }[][] }
      | undefined;
    return markup?.inline_keyboard?.flat() ?? [];
  }

  function citizenGot(chat: number, fragment: string): Promise<SentMessage> {
    return telegram.waitForSent((m) => m.chatId === String(chat) && m.text.includes(fragment), 10_000);
  }

  async function fileReport(chat: number): Promise<string> {
    telegram.injectMessage(chat, POTHOLE);
    await telegram.waitForSent(
      (m) => m.chatId === String(chat) && buttons(m).some((b) => b.callback_data === 'confirm'),
      10_000,
    );
    telegram.injectCallback(chat, 'confirm');
    const receipt = await telegram.waitForSent(
      (m) => m.chatId === String(chat) && findTrackingIdIn(m.text) !== null,
      10_000,
    );
    return findTrackingIdIn(receipt.text)!;
  }

  function rootOf(trackingId: string): Promise<PostedMessage> {
    return slack.waitForMessage(
      (m) => m.channel === C_PU && !m.threadTs && JSON.stringify(m.blocks ?? []).includes(trackingId),
      `root of ${trackingId}`,
    );
  }

  function threadLine(root: PostedMessage, fragment: string): Promise<PostedMessage> {
    return slack.waitForMessage(
      (m) => m.channel === root.channel && m.threadTs === root.ts && m.text.includes(fragment),
      `thread line "${fragment}"`,
    );
  }

  type Block = { type: string; elements?: { action_id?: string; value?: string }[] };
  function buttonIds(root: PostedMessage): string[] {
    return ((root.blocks ?? []) as Block[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((e) => e.action_id ?? '');
  }

  function press(root: PostedMessage, actionId: string) {
    const value = ((root.blocks ?? []) as Block[]).find((b) => b.type === 'actions')?.elements?.[0]?.value;
    if (!value) throw new Error('root message has no buttons');
    return service.app().inject({
      method: 'POST',
      url: '/slack/events',
      ...signedForm(
        SECRET,
        slackPayloads.blockAction({ user: OFFICER, channel: root.channel, message: root, actionId, value }),
      ),
    });
  }

  async function submitModal(callbackId: string, text: string) {
    await slack.waitFor(() => slack.views().at(-1)?.view.callback_id === callbackId, `modal ${callbackId}`);
    const view = slack.views().at(-1)!;
    const values = {
      [MODAL_FIELDS.text.block]: { [MODAL_FIELDS.text.action]: slackPayloads.textValue(text) },
    };
    const res = await service.app().inject({
      method: 'POST',
      url: '/slack/events',
      ...signedForm(SECRET, slackPayloads.viewSubmission({ user: OFFICER, view, values })),
    });
    expect(res.statusCode).toBe(200);
  }

  /** Files, lets the officer accept and resolve from Slack; returns what the citizen was asked. */
  async function resolved(chat: number, closing: string) {
    const trackingId = await fileReport(chat);
    const root = await rootOf(trackingId);
    expect((await press(root, ACTION_IDS.accept)).statusCode).toBe(200);
    // Told on accept, which round 1 left out.
    const accepted = await citizenGot(chat, 'sudah diterima dan sedang ditangani');
    expect(accepted.text).toContain(trackingId);
    expect(accepted.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');
    await slack.waitFor(
      () => buttonIds(root).includes(ACTION_IDS.resolve) && !buttonIds(root).includes(ACTION_IDS.accept),
      'root refreshed after accept',
    );
    clock.set(new Date(START.getTime() + DAY));
    expect((await press(root, ACTION_IDS.resolve)).statusCode).toBe(200);
    await submitModal(MODAL_CALLBACK_IDS.resolve, closing);
    await citizenGot(chat, closing);
    const question = await citizenGot(chat, `penyelesaian laporan ${trackingId}`);
    return { trackingId, root, question };
  }

  async function report(trackingId: string) {
    const row = await database.db.prisma.report.findUniqueOrThrow({ where: { trackingId } });
    const events = await database.db.prisma.reportEvent.findMany({
      where: { reportId: row.id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    const ratings = await database.db.prisma.reportRating.findMany({ where: { reportId: row.id } });
    return { ...row, events, ratings };
  }

  // ---- the loop -----------------------------------------------------------------------------

  it('a citizen rates "tidak puas" with a reason: reopened to the same agency, SLA restarted, officers see it in the thread', async () => {
    const chat = nextChat++;
    const { trackingId, root, question } = await resolved(chat, 'Lubang sudah ditambal pada 2 Desember.');
    // Five choices, 1 to 5, as Telegram buttons carrying the report's tracking ID.
    expect(buttons(question).map((b) => [b.text, b.callback_data])).toEqual([
      ['Sangat tidak puas', rateChoiceId(1, trackingId)],
      ['Tidak puas', rateChoiceId(2, trackingId)],
      ['Cukup', rateChoiceId(3, trackingId)],
      ['Puas', rateChoiceId(4, trackingId)],
      ['Sangat puas', rateChoiceId(5, trackingId)],
    ]);
    expect((await report(trackingId)).status).toBe('selesai');

    // Thursday 3 December: "Tidak puas" on the button, then the reason when asked.
    clock.set(new Date(START.getTime() + 2 * DAY));
    telegram.injectCallback(chat, rateChoiceId(2, trackingId));
    await citizenGot(chat, 'Ceritakan singkat apa yang belum beres');
    const reason = 'Lubangnya hanya diurug tanah, setelah hujan kemarin berlubang lagi';
    telegram.injectMessage(chat, reason);
    const reopened = await citizenGot(chat, 'dibuka kembali dan dikembalikan');
    // Five working days from Thursday 3 Dec: 4, 7, 8, 9, 10 Dec.
    expect(reopened.text).toContain('Kamis, 10 Desember 2026');
    expect(reopened.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');

    const after = await report(trackingId);
    expect(after).toMatchObject({
      status: 'ditindaklanjuti',
      agencyCode: PU,
      closedAt: null,
      dueKind: 'response',
      dueAt: new Date('2026-12-10T16:59:59.999Z'),
      escalatedAt: null,
    });
    expect(
      after.events.slice(-2).map((e) => [e.action, e.actorRole, e.fromStatus, e.toStatus, e.note]),
    ).toEqual([
      ['rate', 'citizen', null, null, null],
      ['reopen', 'citizen', 'selesai', 'ditindaklanjuti', reason],
    ]);
    expect(after.ratings).toMatchObject([{ score: 2, reopened: true, agencyCode: PU }]);

    // The officers see it in the report's thread, and the root offers the working buttons again.
    await threadLine(root, 'Dibuka kembali oleh pelapor');
    await threadLine(root, 'berlubang lagi');
    await slack.waitFor(() => buttonIds(root).includes(ACTION_IDS.resolve), 'root refreshed after reopening');
    expect(JSON.stringify(root.blocks)).toContain('Sedang ditindaklanjuti');

    // The restarted clock runs: past the new deadline, the report is escalated once.
    clock.set(new Date('2026-12-11T02:00:00Z'));
    expect(await service.tickSla()).toEqual({ escalated: 1, closed: 0 });

    // Resolved again, it is rated again (a new round).
    expect((await press(root, ACTION_IDS.resolve)).statusCode).toBe(200);
    await submitModal(MODAL_CALLBACK_IDS.resolve, 'Jalan sudah diaspal ulang sepanjang 20 meter.');
    await citizenGot(chat, 'diaspal ulang');
    telegram.injectMessage(chat, '5');
    await citizenGot(chat, 'Terima kasih atas penilaian Anda (5/5)');
    expect((await report(trackingId)).ratings.map((r) => r.score).sort()).toEqual([2, 5]);
  });

  it('"puas" closes it for good: a later "tidak puas" is only acknowledged', async () => {
    const chat = nextChat++;
    const { trackingId, root } = await resolved(chat, 'Lubang sudah ditambal dan diaspal.');
    telegram.injectMessage(chat, 'puas, terima kasih');
    await citizenGot(chat, 'Terima kasih atas penilaian Anda (4/5)');
    await threadLine(root, 'Penilaian pelapor: 4/5 (puas)');
    const rated = await report(trackingId);
    expect(rated.status).toBe('selesai');
    expect(rated.ratings).toMatchObject([{ score: 4, reopened: false, agencyCode: PU }]);

    // The old "Sangat tidak puas" button, pressed the next day with a reason: nothing reopens.
    clock.set(new Date(START.getTime() + 2 * DAY));
    telegram.injectCallback(chat, rateChoiceId(1, trackingId));
    await citizenGot(chat, 'Ceritakan singkat');
    telegram.injectMessage(chat, 'Ternyata masih ada lubang kecil di sebelahnya');
    await citizenGot(chat, 'sudah kami catat sebelumnya');
    const still = await report(trackingId);
    expect(still.status).toBe('selesai');
    expect(still.ratings).toHaveLength(1);
    expect(still.events.filter((e) => e.action === 'reopen')).toEqual([]);
  });

  it('a rating after the window only thanks the citizen', async () => {
    const chat = nextChat++;
    const { trackingId } = await resolved(chat, 'Sudah diperbaiki.');
    // Resolved Wednesday 2 Dec; ten working days later is Wednesday 16 Dec. Rated on the 17th.
    clock.set(new Date('2026-12-17T02:00:00Z'));
    telegram.injectMessage(chat, 'tidak puas, lubangnya masih ada dan makin lebar');
    const thanks = await citizenGot(chat, 'sudah lewat');
    expect(thanks.text).toContain('kirim laporan baru');
    const after = await report(trackingId);
    expect(after.status).toBe('selesai');
    expect(after.ratings).toEqual([]);
    expect(after.events.map((e) => e.action)).not.toContain('reopen');
  });

  it('tells the citizen when a postponed report is resumed', async () => {
    const chat = nextChat++;
    const trackingId = await fileReport(chat);
    const root = await rootOf(trackingId);
    expect((await press(root, ACTION_IDS.postpone)).statusCode).toBe(200);
    await submitModal(MODAL_CALLBACK_IDS.postpone, 'Menunggu anggaran perubahan');
    await citizenGot(chat, 'Menunggu anggaran perubahan');
    await slack.waitFor(() => buttonIds(root).includes(ACTION_IDS.resume), 'resume button');
    expect((await press(root, ACTION_IDS.resume)).statusCode).toBe(200);
    const resumed = await citizenGot(chat, 'dilanjutkan kembali');
    expect(resumed.text).toContain(trackingId);
    expect(resumed.text).toContain('Selasa, 8 Desember 2026');
  });
});
