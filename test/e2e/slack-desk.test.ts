/**
 * The officers' desk end to end: citizens on Telegram (grammY against the fake Bot API),
 * officers on Slack (Bolt against the fake Web API, with requests signed like Slack signs
 * them), the whole service in between on PGlite and on PostgreSQL.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import {
  ACTION_IDS,
  CITIZEN_REPLY_PREFIX,
  MODAL_CALLBACK_IDS,
  MODAL_FIELDS,
} from '../../bots/slack/index.ts';
import { findTrackingIdIn } from '../../core/tracking-id/index.ts';
import {
  type FakeSlack,
  type PostedMessage,
  signedForm,
  signedJson,
  slackPayloads,
  slackSignatureHeaders,
  startFakeSlack,
} from '../../fakes/slack.ts';
import { type FakeTelegram, type SentMessage, startFakeTelegram } from '../../fakes/telegram.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService } from '../support/service.ts';

const SECRET = 'slack-signing-secret-for-tests';
const ADMIN_TOKEN = 'admin-api-token-for-tests';
const C_ADMIN = 'C0ADMIN';
const C_PU = 'C0PUPBG';
const C_HUB = 'C0HUBPBG';
const OFFICER_PU = 'U0PUOFFICER';
const OFFICER_HUB = 'U0HUBOFFICER';
const ADMIN = 'U0ADMIN';
const STRANGER = 'U0STRANGER';
const PU = 'PEMDA-33.03-DPUPR';
const HUB = 'PEMDA-33.03-DISHUB';
/** Resolves once `condition` holds; fails after ~10 s so nothing hangs. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} never happened`);
}

const POTHOLE =
  'Jalan berlubang besar di depan SDN 2 Kemangkon, Kec. Kemangkon, Kab. Purbalingga, sudah 3 bulan';

describe.each(DB_KINDS)('Slack officer desk on %s', (kind) => {
  const database = useTestDatabase(kind);
  let telegram: FakeTelegram;
  let slack: FakeSlack;
  let service: Service;
  /** Every body our app answered to a Slack request (slash command answers, menu options...). */
  const answers: string[] = [];
  let nextChat = 810_000_001;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    slack = await startFakeSlack();
    service = await createTestService(database.handle, {
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
    // Let the dispatcher finish this test's sends before the next test's TRUNCATE: on PostgreSQL
    // a send being recorded (outbox row, then its message) and TRUNCATE deadlock otherwise.
    await until(
      async () =>
        (await database.db.prisma.outboxItem.count({ where: { status: { in: ['pending', 'sending'] } } })) ===
        0,
      'outbox quiet',
    );
  });

  beforeEach(async () => {
    slack.clearRecords();
    telegram.clearRecords();
    answers.length = 0;
    slack.setMembers(C_PU, [OFFICER_PU, 'U0PUHEAD']);
    slack.setMembers(C_HUB, [OFFICER_HUB]);
    slack.setMembers(C_ADMIN, [ADMIN]);
    expect((await mapChannel(PU, C_PU)).statusCode).toBe(200);
    expect((await mapChannel(HUB, C_HUB)).statusCode).toBe(200);
  });

  // ---- helpers ------------------------------------------------------------------------------

  function mapChannel(code: string, channel: string | null, token = ADMIN_TOKEN) {
    return service.app().inject({
      method: 'PUT',
      url: `/admin/agency-channels/${code}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ channel }),
    });
  }

  async function toSlack(request: { payload: string; headers: Record<string, string> }) {
    const res = await service.app().inject({ method: 'POST', url: '/slack/events', ...request });
    answers.push(res.body);
    return res;
  }
  const interact = (body: object) => toSlack(signedForm(SECRET, body));
  const slackEvent = (body: object) => toSlack(signedJson(SECRET, body));

  function hasButton(message: SentMessage, id: string): boolean {
    const markup = message.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    return !!markup?.inline_keyboard?.some((row) => row.some((b) => b.callback_data === id));
  }

  /** A citizen files a report on Telegram; returns its tracking ID. */
  async function fileReport(chat: number, text: string, confirm = 'confirm'): Promise<string> {
    telegram.injectMessage(chat, text);
    await telegram.waitForSent((m) => m.chatId === String(chat) && hasButton(m, confirm), 10_000);
    telegram.injectCallback(chat, confirm);
    const receipt = await telegram.waitForSent(
      (m) => m.chatId === String(chat) && findTrackingIdIn(m.text) !== null,
      10_000,
    );
    return findTrackingIdIn(receipt.text)!;
  }

  function citizenGot(chat: number, fragment: string): Promise<SentMessage> {
    return telegram.waitForSent((m) => m.chatId === String(chat) && m.text.includes(fragment), 10_000);
  }

  function rootOf(channel: string, trackingId: string): Promise<PostedMessage> {
    return slack.waitForMessage(
      (m) => m.channel === channel && !m.threadTs && JSON.stringify(m.blocks ?? []).includes(trackingId),
      `root of ${trackingId} in ${channel}`,
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
  function buttonValue(root: PostedMessage): string {
    const value = ((root.blocks ?? []) as Block[]).find((b) => b.type === 'actions')?.elements?.[0]?.value;
    if (!value) throw new Error('root message has no buttons');
    return value;
  }

  function press(user: string, root: PostedMessage, actionId: string, value = buttonValue(root)) {
    return interact(
      slackPayloads.blockAction({ user, channel: root.channel, message: root, actionId, value }),
    );
  }

  async function submitLatestModal(user: string, callbackId: string, text: string, agency?: string) {
    await slack.waitFor(() => slack.views().at(-1)?.view.callback_id === callbackId, `modal ${callbackId}`);
    const view = slack.views().at(-1)!;
    const values: Record<string, Record<string, Record<string, unknown>>> = {
      [MODAL_FIELDS.text.block]: { [MODAL_FIELDS.text.action]: slackPayloads.textValue(text) },
    };
    if (agency)
      values[MODAL_FIELDS.agency.block] = {
        [MODAL_FIELDS.agency.action]: slackPayloads.selectedOption(agency),
      };
    return interact(slackPayloads.viewSubmission({ user, view, values }));
  }

  function threadMessage(root: PostedMessage, user: string, text: string, extra: { botId?: string } = {}) {
    return slackEvent(
      slackPayloads.message({ channel: root.channel, user, text, threadTs: root.ts, ...extra }),
    );
  }

  async function report(trackingId: string) {
    const row = await database.db.prisma.report.findUniqueOrThrow({ where: { trackingId } });
    const events = await database.db.prisma.reportEvent.findMany({
      where: { reportId: row.id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    return { ...row, events };
  }

  // ---- laporan serupa -------------------------------------------------------------------------

  it("a neighbour reporting the same pothole is linked: the first report's thread names the new one and the count", async () => {
    const first = await fileReport(nextChat++, POTHOLE);
    const root = await rootOf(C_PU, first);
    const neighbour = nextChat++;
    const second = await fileReport(neighbour, POTHOLE);
    // The citizen's receipt says it was reported already, with the first tracking ID.
    await citizenGot(neighbour, first);
    const line = await threadLine(root, second);
    expect(line.text).toContain('Laporan serupa masuk');
    expect(line.text).toContain('2 laporan dalam kelompok ini');
    // Tracking IDs only: no reporter, no text.
    expect(line.text).not.toContain(String(neighbour));
    expect(line.text).not.toContain(POTHOLE.slice(0, 20));
  });

  // ---- the whole desk flow ------------------------------------------------------------------

  it('carries a report from Telegram through the PU desk, a question, a reply, a forward to Dishub and resolution', async () => {
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);

    // The report arrives in the PU channel as one Block Kit message, its thread stored on the report.
    const root = await rootOf(C_PU, trackingId);
    const rootText = JSON.stringify(root.blocks);
    expect(rootText).toContain('Pekerjaan Umum dan Penataan Ruang');
    expect(rootText).toContain('Kec. Kemangkon, Kab. Purbalingga');
    expect(rootText).toContain('Didisposisikan ke instansi');
    expect(rootText).toContain('Biasa');
    expect(rootText).toContain('Siti · Telegram'); // biasa: display name and a masked chat id
    expect(rootText).not.toContain(String(chat));
    expect(buttonIds(root)).toEqual([
      ACTION_IDS.accept,
      ACTION_IDS.requestInfo,
      ACTION_IDS.reply,
      ACTION_IDS.forward,
      ACTION_IDS.resolve,
      ACTION_IDS.postpone,
    ]);
    expect(slack.roots(C_ADMIN)).toEqual([]);
    // The sender stores the thread on the report right after Slack answered the post.
    await until(async () => (await report(trackingId)).slackTs === root.ts, 'thread stored on the report');
    expect(await report(trackingId)).toMatchObject({ slackChannel: C_PU, slackTs: root.ts, agencyCode: PU });
    const staleValue = buttonValue(root);

    // Minta info: a modal, then the question reaches the citizen and the thread confirms it.
    expect((await press(OFFICER_PU, root, ACTION_IDS.requestInfo)).statusCode).toBe(200);
    const question = 'Berapa kira-kira lebar lubangnya?';
    expect((await submitLatestModal(OFFICER_PU, MODAL_CALLBACK_IDS.request_info, question)).statusCode).toBe(
      200,
    );
    await citizenGot(chat, question);
    await threadLine(root, 'Terkirim ke pelapor* (pertanyaan)');

    // The citizen answers on Telegram: the answer appears in the thread.
    telegram.injectMessage(chat, 'Lebarnya sekitar satu meter, dalam 20 cm');
    await threadLine(root, 'Lebarnya sekitar satu meter, dalam 20 cm');

    // An internal note, then an explicit reply with the prefix.
    expect((await threadMessage(root, OFFICER_PU, 'Cek anggaran pemeliharaan dulu')).statusCode).toBe(200);
    const reply = 'Tim kami akan survei lokasi besok pagi.';
    expect((await threadMessage(root, OFFICER_PU, `${CITIZEN_REPLY_PREFIX} ${reply}`)).statusCode).toBe(200);
    await citizenGot(chat, reply);
    await threadLine(root, 'Terkirim ke pelapor* (balasan)');

    // Teruskan: search the agency menu, pick Dishub, give a reason.
    expect((await press(OFFICER_PU, root, ACTION_IDS.forward)).statusCode).toBe(200);
    await slack.waitFor(
      () => slack.views().at(-1)?.view.callback_id === MODAL_CALLBACK_IDS.forward,
      'forward modal',
    );
    const menu = await interact(
      slackPayloads.blockSuggestion({
        user: OFFICER_PU,
        view: slack.views().at(-1)!,
        actionId: MODAL_FIELDS.agency.action,
        blockId: MODAL_FIELDS.agency.block,
        value: 'perhubungan purbalingga',
      }),
    );
    expect(menu.statusCode).toBe(200);
    expect(menu.json().options).toContainEqual({
      text: { type: 'plain_text', text: 'Dinas Perhubungan Kabupaten Purbalingga' },
      value: HUB,
    });
    const reason = 'Lubang akibat galian marka jalan, kewenangan Dishub';
    expect((await submitLatestModal(OFFICER_PU, MODAL_CALLBACK_IDS.forward, reason, HUB)).statusCode).toBe(
      200,
    );

    // Dishub's channel gets the report, the old thread is told, the citizen is told.
    const hubRoot = await rootOf(C_HUB, trackingId);
    await threadLine(
      hubRoot,
      'Diteruskan dari *Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga*',
    );
    await threadLine(root, 'Diteruskan ke Dinas Perhubungan Kabupaten Purbalingga');
    await citizenGot(chat, 'diteruskan ke Dinas Perhubungan Kabupaten Purbalingga');
    await slack.waitFor(() => buttonIds(root).length === 0, 'old root without buttons');
    expect(JSON.stringify(root.blocks)).toContain(
      'sudah diteruskan ke Dinas Perhubungan Kabupaten Purbalingga',
    );
    expect(await report(trackingId)).toMatchObject({
      agencyCode: HUB,
      slackChannel: C_HUB,
      slackTs: hubRoot.ts,
    });

    // A stale button in the PU channel is refused with an ephemeral explanation; nothing changes.
    const before = await report(trackingId);
    expect((await press(OFFICER_PU, root, ACTION_IDS.resolve, staleValue)).statusCode).toBe(200);
    await slack.waitFor(() => slack.ephemerals(OFFICER_PU).length === 1, 'ephemeral refusal');
    expect(slack.ephemerals(OFFICER_PU)[0]).toMatchObject({ channel: C_PU });
    expect(slack.ephemerals(OFFICER_PU)[0]?.text).toContain(
      `${trackingId} sudah diteruskan ke Dinas Perhubungan`,
    );
    expect((await report(trackingId)).events).toHaveLength(before.events.length);

    // Dishub resolves it with a closing text.
    expect((await press(OFFICER_HUB, hubRoot, ACTION_IDS.resolve)).statusCode).toBe(200);
    const closing = 'Lubang sudah ditambal pada 3 Desember.';
    expect((await submitLatestModal(OFFICER_HUB, MODAL_CALLBACK_IDS.resolve, closing)).statusCode).toBe(200);
    await citizenGot(chat, closing);
    await threadLine(hubRoot, 'Terkirim ke pelapor* (penyelesaian)');
    await slack.waitFor(() => buttonIds(hubRoot).length === 0, 'resolved root without buttons');
    expect(JSON.stringify(hubRoot.blocks)).toContain('Selesai');

    const final = await report(trackingId);
    expect(final.status).toBe('selesai');
    expect(final.events.map((e) => e.action)).toEqual([
      'file',
      'verify',
      'dispatch',
      'request_info',
      'citizen_reply',
      'note',
      'follow_up',
      'forward',
      'dispatch',
      'resolve',
    ]);
    expect(final.events.find((e) => e.action === 'note')).toMatchObject({
      actorRole: 'officer',
      actorId: OFFICER_PU,
      visibility: 'internal',
      note: 'Cek anggaran pemeliharaan dulu',
    });
    // The citizen got every update in their chat, and never the note.
    const texts = telegram.sent(chat).map((m) => m.text);
    for (const fragment of [trackingId, question, reply, 'diteruskan ke Dinas Perhubungan', closing])
      expect(texts.some((t) => t.includes(fragment))).toBe(true);
    expect(texts.some((t) => t.includes('anggaran'))).toBe(false);
  });

  it('keeps internal notes, look-alike prefixes and bot echoes away from the citizen', async () => {
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);
    const root = await rootOf(C_PU, trackingId);
    const sentBefore = telegram.sent(chat).length;

    for (const text of [
      'Catatan: pelapor ini sudah tiga kali melapor',
      '!balasan nanti saja setelah rapat',
      'balas: tunggu konfirmasi kepala bidang',
      '> !balas ini kutipan, bukan balasan',
    ]) {
      expect((await threadMessage(root, OFFICER_PU, text)).statusCode).toBe(200);
    }
    // Our own bot's messages and other bots' messages are never acted on (no echo loops).
    await threadMessage(root, slack.botUserId, `${CITIZEN_REPLY_PREFIX} gema dari bot sendiri`, {
      botId: slack.botId,
    });
    await threadMessage(root, 'U0OTHERBOT', `${CITIZEN_REPLY_PREFIX} pesan bot lain`, { botId: 'B0OTHER' });
    // An Events API retry of the same note is stored once.
    const retried = slackPayloads.message({
      channel: C_PU,
      user: OFFICER_PU,
      text: 'Catatan ganda',
      threadTs: root.ts,
    });
    await slackEvent(retried);
    await slackEvent(retried);

    await service.dispatcher.drain();
    const { events } = await report(trackingId);
    const notes = events.filter((e) => e.action === 'note');
    expect(notes.map((e) => e.note)).toEqual([
      'Catatan: pelapor ini sudah tiga kali melapor',
      '!balasan nanti saja setelah rapat',
      'balas: tunggu konfirmasi kepala bidang',
      '> !balas ini kutipan, bukan balasan',
      'Catatan ganda',
    ]);
    expect(notes.every((e) => e.visibility === 'internal')).toBe(true);
    expect(events.some((e) => e.action === 'follow_up')).toBe(false);
    expect(telegram.sent(chat)).toHaveLength(sentBefore);
    expect(slack.messages(C_PU).some((m) => m.text.includes('Terkirim ke pelapor'))).toBe(false);
  });

  it('refuses unsigned, wrongly signed, tampered and stale requests with 401 and changes nothing', async () => {
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);
    const root = await rootOf(C_PU, trackingId);
    await service.dispatcher.drain();
    const before = await report(trackingId);
    const sentBefore = telegram.sent(chat).length;
    slack.clearRecords();

    const accept = slackPayloads.blockAction({
      user: OFFICER_PU,
      channel: C_PU,
      message: root,
      actionId: ACTION_IDS.accept,
      value: buttonValue(root),
    });
    const reply = slackPayloads.message({
      channel: C_PU,
      user: OFFICER_PU,
      text: `${CITIZEN_REPLY_PREFIX} tidak boleh sampai`,
      threadTs: root.ts,
    });
    const signed = signedForm(SECRET, accept);
    const attempts = [
      // unsigned
      { payload: signed.payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      // signed with another secret
      signedForm('not-the-secret', accept),
      // body changed after signing
      { payload: signed.payload.replace('lapor_accept', 'lapor_resolve'), headers: signed.headers },
      // stale: signed correctly, six minutes ago
      signedForm(SECRET, accept, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      // an event with a replayed (old) timestamp
      signedJson(SECRET, reply, Math.floor(Date.now() / 1000) - 3600),
      // an event signed for another body
      {
        payload: JSON.stringify(reply),
        headers: { 'content-type': 'application/json', ...slackSignatureHeaders(SECRET, '{}') },
      },
    ];
    for (const attempt of attempts) {
      const res = await toSlack(attempt);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('LAPOR_ERR_UNAUTHORIZED');
    }
    await service.dispatcher.drain();
    const after = await report(trackingId);
    expect(after.status).toBe(before.status);
    expect(after.events).toHaveLength(before.events.length);
    expect(slack.calls()).toEqual([]);
    expect(telegram.sent(chat)).toHaveLength(sentBefore);
  });

  it('leaks no identity of an anonymous reporter into any Slack payload and masks NIK, phones and e-mails', async () => {
    const chat = 918_273_645;
    const trackingId = await fileReport(
      chat,
      'Jalan berlubang dan rusak parah di Desa Karangsari Kec. Kalimanah Kab. Purbalingga. NIK saya 3303011204880001, hp 0812-3456-7890, email siti.r@example.com',
      'confirm:anonim',
    );
    const root = await rootOf(C_PU, trackingId);
    expect(JSON.stringify(root.blocks)).toContain('Anonim');

    await press(OFFICER_PU, root, ACTION_IDS.requestInfo);
    await submitLatestModal(OFFICER_PU, MODAL_CALLBACK_IDS.request_info, 'Di sebelah mana tepatnya?');
    await citizenGot(chat, 'Di sebelah mana tepatnya?');
    telegram.injectMessage(chat, 'Depan warung, hubungi saya di +62 813-1111-2222 atau budi.s@mail.co.id');
    const answer = await threadLine(root, 'Depan warung');
    expect(answer.text).toContain('[nomor telepon disamarkan]');
    expect(answer.text).toContain('[email disamarkan]');
    await threadMessage(root, OFFICER_PU, `${CITIZEN_REPLY_PREFIX} Terima kasih, segera kami tangani.`);
    await threadLine(root, 'Terkirim ke pelapor* (balasan)');
    const history = await toSlack(
      signedForm(
        SECRET,
        slackPayloads.command({ user: OFFICER_PU, channel: C_PU, command: '/lapor', text: trackingId }),
        {
          command: true,
        },
      ),
    );
    expect(history.statusCode).toBe(200);
    await service.dispatcher.drain();

    const everything = JSON.stringify(slack.calls()) + answers.join('\n');
    expect(everything).toContain(trackingId);
    expect(everything).toContain('[NIK disamarkan]');
    for (const secret of [
      'Siti',
      'Rahayu',
      String(chat),
      '3303011204880001',
      '0812-3456-7890',
      '81234567890',
      'siti.r@example.com',
      '813-1111-2222',
      '81311112222',
      'budi.s@mail.co.id',
    ]) {
      expect(everything, `leaked ${secret}`).not.toContain(secret);
    }
  });

  it('lets only members of the mapped channel act, and answers /lapor with status and history to them only', async () => {
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);
    const root = await rootOf(C_PU, trackingId);
    await threadMessage(root, OFFICER_PU, 'Sudah dicek ke lokasi');

    // A workspace member who is not in the PU channel (public channels are visible to all).
    expect((await press(STRANGER, root, ACTION_IDS.accept)).statusCode).toBe(200);
    await slack.waitFor(() => slack.ephemerals(STRANGER).length === 1, 'refusal');
    expect(slack.ephemerals(STRANGER)[0]?.text).toContain(`Hanya anggota kanal <#${C_PU}>`);
    expect((await report(trackingId)).status).toBe('didisposisikan');

    // A member accepts: status changes, the root is redrawn and the thread says so.
    expect((await press('U0PUHEAD', root, ACTION_IDS.accept)).statusCode).toBe(200);
    expect((await report(trackingId)).status).toBe('ditindaklanjuti');
    await threadLine(root, 'Sedang ditindaklanjuti');
    await slack.waitFor(() => !buttonIds(root).includes(ACTION_IDS.accept), 'root redrawn');

    const ask = (user: string, text = trackingId.toLowerCase()) =>
      toSlack(
        signedForm(SECRET, slackPayloads.command({ user, channel: C_PU, command: '/lapor', text }), {
          command: true,
        }),
      );
    const member = await ask(OFFICER_PU);
    expect(member.statusCode).toBe(200);
    expect(member.json().response_type).toBe('ephemeral');
    const shown = JSON.stringify(member.json().blocks);
    for (const fragment of [
      'Sedang ditindaklanjuti',
      'Riwayat',
      'Laporan masuk',
      'Didisposisikan',
      'Diterima petugas',
      'Sudah dicek ke lokasi',
      '🔒',
    ])
      expect(shown).toContain(fragment);
    const stranger = await ask(STRANGER);
    expect(stranger.json()).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('Hanya anggota kanal'),
    });
    expect(JSON.stringify(stranger.json())).not.toContain('Sudah dicek ke lokasi');
    const unknown = await ask(OFFICER_PU, 'LPR-7KQ-9M4-XTW');
    expect(unknown.json().text).toBe('Laporan LPR-7KQ-9M4-XTW tidak ditemukan.');
    expect((await ask(OFFICER_PU, 'tolong')).json().text).toMatch(/^Gunakan: `\/lapor <nomor laporan>`/);
  });

  it('sends reports of an unmapped agency to the admin channel, where an admin forwards them', async () => {
    expect((await mapChannel(PU, null)).statusCode).toBe(200);
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);
    const root = await rootOf(C_ADMIN, trackingId);
    // Admins may forward and postpone a dispatched report; accepting it is the agency's job.
    expect(buttonIds(root)).toEqual([ACTION_IDS.forward, ACTION_IDS.postpone]);

    await press(ADMIN, root, ACTION_IDS.forward);
    expect(
      (await submitLatestModal(ADMIN, MODAL_CALLBACK_IDS.forward, 'Kewenangan Dishub', HUB)).statusCode,
    ).toBe(200);
    await rootOf(C_HUB, trackingId);
    await citizenGot(chat, 'diteruskan ke Dinas Perhubungan Kabupaten Purbalingga');
    const forward = (await report(trackingId)).events.find((e) => e.action === 'forward');
    expect(forward).toMatchObject({ actorRole: 'admin', actorId: ADMIN });
  });

  it('retries a rate-limited post after Retry-After instead of losing it', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const chat = nextChat++;
    const trackingId = await fileReport(chat, POTHOLE);
    await rootOf(C_PU, trackingId);
    const reportNew = () =>
      database.db.prisma.outboxItem.findFirstOrThrow({
        where: { channel: 'slack', payload: { path: ['kind'], equals: 'report_new' } },
      });
    // The post is on Slack; the dispatcher records it a moment later.
    await until(async () => (await reportNew()).status === 'sent', 'report_new marked sent');
    expect(await reportNew()).toMatchObject({ attempts: 2, lastError: null });
    expect(slack.calls('chat.postMessage').filter((c) => !c.params.thread_ts)).toHaveLength(2);
  });

  it('keeps the agency → channel mapping behind the admin token', async () => {
    const app = service.app();
    expect((await app.inject({ method: 'GET', url: '/admin/agency-channels' })).statusCode).toBe(401);
    expect((await mapChannel(PU, 'C0EVIL', 'wrong-token')).statusCode).toBe(401);
    expect((await mapChannel('NO-SUCH-AGENCY', 'C0X1')).statusCode).toBe(404);
    expect((await mapChannel(PU, 'not a channel')).statusCode).toBe(400);
    const list = await app.inject({
      method: 'GET',
      url: '/admin/agency-channels',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(list.json().mappings).toEqual(
      expect.arrayContaining([
        { code: PU, name: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga', channel: C_PU },
        { code: HUB, name: 'Dinas Perhubungan Kabupaten Purbalingga', channel: C_HUB },
      ]),
    );
    const one = await app.inject({
      method: 'GET',
      url: '/admin/agency-channels/PEMDA-33.03-DINKES',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(one.json()).toMatchObject({
      code: 'PEMDA-33.03-DINKES',
      channel: null,
      effectiveChannel: C_ADMIN,
    });
  });
});
