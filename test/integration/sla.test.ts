/**
 * The SLA clock through the whole service, with the service clock moved across weekends,
 * public holidays and cuti bersama: deadlines in working days (end of day, Jakarta time),
 * escalation exactly once per deadline (also with two schedulers racing on PostgreSQL),
 * auto-close after 10 silent working days following an officer's reply, and a citizen's reply
 * resetting that clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import type { InboundMessage, OutboundMessage } from '../../core/channel/port.ts';
import type { OutboxRow } from '../../core/outbox/dispatcher.ts';
import type { CoreContext } from '../../core/reports/context.ts';
import { type Actor, actOnReport, type OfficerAction, runSlaTick } from '../../core/reports/index.ts';
import { openDatabase } from '../../core/store/database.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, recordingAdapter, testClock } from '../support/service.ts';

const DISDUKCAPIL = 'PEMDA-33.03-DISDUKCAPIL';
const DPUPR = 'PEMDA-33.03-DPUPR';
const KTP_COMPLAINT =
  'KTP elektronik saya belum jadi sudah 3 bulan, mohon dibantu. Saya tinggal di Kec. Kemangkon, Kab. Purbalingga';
const VAGUE =
  'saya mau menyampaikan keluhan tentang tetangga saya yang tidak sopan di Kec. Kemangkon, Purbalingga';

/** A Jakarta wall-clock time (WIB, UTC+7) as a Date. */
const wib = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
/** The end of a Jakarta calendar day: where every working-day deadline falls. */
const endOfDay = (date: string) => wib(`${date}T23:59:59.999`);

const officer: Actor = { role: 'officer', id: 'U-SITI', agencyCode: DISDUKCAPIL };

describe.each(DB_KINDS)('SLA clock on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = testClock();
  const adapter = recordingAdapter();
  const desk: OutboxRow[] = [];
  let service: Service;
  /** The service's context with the officers' desk switched on (as with SLACK_* set). */
  let ctx: CoreContext;
  let seq = 0;

  beforeAll(async () => {
    service = await createTestService(t.handle, {
      clock: clock.now,
      adapters: [adapter],
      senders: {
        slack: async (row) => {
          desk.push(row);
          return { ok: true, providerMessageId: `slack-${desk.length}` };
        },
      },
    });
    ctx = { ...service.ctx, desk: { adminChannel: 'C-ADMIN' } };
  });
  afterAll(async () => {
    await service?.stop();
  });
  beforeEach(() => {
    adapter.sent.length = 0;
    desk.length = 0;
  });

  async function say(address: string, input: string | { choice: string }) {
    const message: InboundMessage = {
      channel: 'console',
      address,
      externalId: `m-${++seq}`,
      ...(typeof input === 'string' ? { text: input } : { choice: input.choice }),
      receivedAt: clock.now(),
    };
    const result = await service.intake.receive(message);
    await service.dispatcher.drain();
    return result;
  }

  function inbox(address: string): OutboundMessage[] {
    const mine = adapter.sent.filter((m) => m.address === address);
    adapter.sent.splice(0, adapter.sent.length, ...adapter.sent.filter((m) => m.address !== address));
    return mine;
  }

  async function fileThroughDialog(address: string, ...messages: (string | { choice: string })[]) {
    for (const m of messages) expect((await say(address, m)).filed).toEqual([]);
    expect(inbox(address).at(-1)?.choices?.[0]?.id).toBe('confirm');
    const result = await say(address, '1');
    expect(result.filed).toHaveLength(1);
    return service.db.prisma.report.findUniqueOrThrow({ where: { trackingId: result.filed[0]! } });
  }

  async function act(reportId: string, action: OfficerAction, actor: Actor = officer) {
    const report = await service.db.prisma.$transaction((tx) =>
      actOnReport(tx, ctx, reportId, actor, action),
    );
    await service.dispatcher.drain();
    return report;
  }

  async function tick(context: CoreContext = ctx) {
    const result = await runSlaTick(context);
    await service.dispatcher.drain();
    return result;
  }

  const reload = (id: string) => service.db.prisma.report.findUniqueOrThrow({ where: { id } });
  const eventsOf = (reportId: string, action: string) =>
    service.db.prisma.reportEvent.findMany({
      where: { reportId, action },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
  const alerts = () => desk.filter((row) => row.payload.kind === 'admin_alert' && row.address === 'C-ADMIN');

  it('counts working days across a weekend and a public holiday (filed the Friday before 17 August)', async () => {
    // Friday 14 Aug 2026, 10:00 WIB; Monday 17 Aug is Independence Day.
    clock.set(wib('2026-08-14T10:00:00'));
    const report = await fileThroughDialog('c-aug', KTP_COMPLAINT);
    // Response: 18, 19, 20, 21, 24 Aug.
    expect(report).toMatchObject({ dueKind: 'response', dueAt: endOfDay('2026-08-24') });
    const [receipt] = inbox('c-aug');
    expect(receipt!.text).toContain(report.trackingId);
    expect(receipt!.text).toContain('Senin, 24 Agustus 2026');

    // Verification (3 working days) for a report the national desk must place: 18, 19, 20 Aug.
    const unplaced = await fileThroughDialog('c-aug-admin', VAGUE, { choice: 'cat:lainnya' });
    expect(unplaced).toMatchObject({
      agencyCode: 'ADMIN',
      dueKind: 'verification',
      dueAt: endOfDay('2026-08-20'),
    });
    expect(inbox('c-aug-admin')[0]!.text).toContain('Kamis, 20 Agustus 2026');
  });

  it('counts from the Jakarta calendar date, not the UTC one', async () => {
    // Thursday 13 Aug 2026 23:30 WIB: Thursday in Jakarta (and in UTC). 14, 18, 19, 20, 21 Aug.
    clock.set(wib('2026-08-13T23:30:00'));
    const thursday = await fileThroughDialog('c-thu', KTP_COMPLAINT);
    expect(thursday.dueAt).toEqual(endOfDay('2026-08-21'));
    // Friday 14 Aug 00:30 WIB is still Thursday in UTC: counting starts after Friday. 18..24 Aug.
    clock.set(wib('2026-08-14T00:30:00'));
    const friday = await fileThroughDialog('c-fri', KTP_COMPLAINT);
    expect(friday.dueAt).toEqual(endOfDay('2026-08-24'));
  });

  it('skips Christmas, its cuti bersama and New Year', async () => {
    // Wednesday 23 Dec 2026; 24 Dec is cuti bersama, 25 Dec Christmas, 1 Jan 2027 New Year.
    clock.set(wib('2026-12-23T14:00:00'));
    const report = await fileThroughDialog('c-xmas', KTP_COMPLAINT);
    // 28, 29, 30, 31 Dec, 4 Jan.
    expect(report.dueAt).toEqual(endOfDay('2027-01-04'));
    expect(inbox('c-xmas')[0]!.text).toContain('Senin, 4 Januari 2027');
    const unplaced = await fileThroughDialog('c-xmas-admin', VAGUE, { choice: 'cat:lainnya' });
    expect(unplaced.dueAt).toEqual(endOfDay('2026-12-30'));
  });

  it('escalates a missed deadline exactly once: event, apology to the citizen, alert to the admin desk', async () => {
    clock.set(wib('2026-08-14T10:00:00'));
    const report = await fileThroughDialog('c-late', KTP_COMPLAINT);
    const unplaced = await fileThroughDialog('c-late-admin', VAGUE, { choice: 'cat:lainnya' });
    inbox('c-late');
    inbox('c-late-admin');
    desk.length = 0;

    // The last minute of the verification deadline: nothing is late yet.
    clock.set(endOfDay('2026-08-20'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    // Friday 21 Aug: the national desk missed its 3 days.
    clock.set(wib('2026-08-21T08:00:00'));
    expect(await tick()).toEqual({ escalated: 1, closed: 0 });
    const [verificationLate] = await eventsOf(unplaced.id, 'escalate');
    expect(verificationLate).toMatchObject({ actorRole: 'system', agencyCode: 'ADMIN', at: clock.now() });
    expect(verificationLate!.note).toContain('verifikasi');
    expect(inbox('c-late-admin')[0]!.text).toContain(`Mohon maaf, laporan ${unplaced.trackingId}`);

    clock.set(endOfDay('2026-08-24'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    // Tuesday 25 Aug, 09:00 WIB: one working day late.
    clock.set(wib('2026-08-25T09:00:00'));
    expect(await tick()).toEqual({ escalated: 1, closed: 0 });
    const escalations = await eventsOf(report.id, 'escalate');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ actorRole: 'system', agencyCode: DISDUKCAPIL, at: clock.now() });
    expect(escalations[0]!.note).toBe('Melewati batas tanggapan instansi (1 hari kerja)');
    expect(await reload(report.id)).toMatchObject({ escalatedAt: clock.now(), status: 'didisposisikan' });
    const [apology, ...more] = inbox('c-late');
    expect(more).toEqual([]);
    expect(apology!.text).toContain(report.trackingId);
    expect(apology!.text).toContain('Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga');
    expect(apology!.text).toContain('pengawas nasional');
    expect(alerts().map((a) => [a.reportId, a.payload.kind])).toEqual([
      [unplaced.id, 'admin_alert'],
      [report.id, 'admin_alert'],
    ]);
    expect(String(alerts()[1]!.payload.note)).toContain(report.trackingId);

    // Later ticks, the same day and days later: no second escalation, no second message.
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    clock.set(wib('2026-09-01T09:00:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    expect(await eventsOf(report.id, 'escalate')).toHaveLength(1);
    expect(await eventsOf(unplaced.id, 'escalate')).toHaveLength(1);
    expect(inbox('c-late')).toEqual([]);
    expect(alerts()).toHaveLength(2);

    // A forward gives the new agency a deadline of its own, which escalates once in turn.
    await act(report.id, { type: 'forward', agencyCode: DPUPR, reason: 'Bukan wewenang' });
    const moved = await reload(report.id);
    // Tuesday 1 Sep + 5 working days = Tuesday 8 Sep.
    expect(moved).toMatchObject({ agencyCode: DPUPR, escalatedAt: null, dueAt: endOfDay('2026-09-08') });
    clock.set(wib('2026-09-09T09:00:00'));
    expect(await tick()).toEqual({ escalated: 1, closed: 0 });
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    const again = await eventsOf(report.id, 'escalate');
    expect(again.map((e) => e.agencyCode)).toEqual([DISDUKCAPIL, DPUPR]);
  });

  it.runIf(kind === 'postgresql')('escalates once when two schedulers tick at the same moment', async () => {
    clock.set(wib('2026-12-01T09:00:00'));
    const reports = [];
    for (let i = 0; i < 8; i++) reports.push(await fileThroughDialog(`c-race-${i}`, KTP_COMPLAINT));
    adapter.sent.length = 0;
    desk.length = 0;
    // A second process: its own connection pool on the same schema.
    const other = await openDatabase(t.handle.config, { ...t.handle.options, poolSize: 4 });
    try {
      const otherCtx: CoreContext = { ...ctx, db: other, onOutbox: () => {} };
      clock.set(wib('2026-12-09T09:00:00')); // due Tuesday 8 Dec
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([runSlaTick(ctx), runSlaTick(otherCtx), runSlaTick(ctx)]);
        const escalated = results.reduce((sum, r) => sum + r.escalated, 0);
        expect(escalated, `round ${round}`).toBe(round === 0 ? reports.length : 0);
      }
      await service.dispatcher.drain();
      for (const report of reports) {
        expect(await eventsOf(report.id, 'escalate'), report.trackingId).toHaveLength(1);
      }
      expect(adapter.sent).toHaveLength(reports.length);
      expect(alerts()).toHaveLength(reports.length);
      expect(new Set(alerts().map((a) => a.reportId)).size).toBe(reports.length);
    } finally {
      await other.close();
    }
  });

  it('closes a report 10 working days after the officer’s reply when the citizen stays silent', async () => {
    clock.set(wib('2026-12-01T09:00:00'));
    const report = await fileThroughDialog('c-silent', KTP_COMPLAINT);
    clock.set(wib('2026-12-02T10:00:00'));
    await act(report.id, { type: 'reply', text: 'KTP sudah bisa diambil di kecamatan' });
    // 3, 4, 7, 8, 9, 10, 11, 14, 15, 16 Dec.
    expect(await reload(report.id)).toMatchObject({
      dueKind: 'citizen_reply',
      dueAt: endOfDay('2026-12-16'),
    });
    inbox('c-silent');

    clock.set(wib('2026-12-16T20:00:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    clock.set(wib('2026-12-17T00:30:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 1 });
    expect(await reload(report.id)).toMatchObject({
      status: 'selesai',
      closedAt: clock.now(),
      dueAt: null,
      dueKind: null,
    });
    const [closed] = await eventsOf(report.id, 'auto_close');
    expect(closed).toMatchObject({
      actorRole: 'system',
      fromStatus: 'ditindaklanjuti',
      toStatus: 'selesai',
      at: clock.now(),
      visibility: 'public',
    });
    expect(await eventsOf(report.id, 'escalate')).toEqual([]);
    const [notice] = inbox('c-silent');
    expect(notice!.text).toContain(`Laporan ${report.trackingId} kami tutup`);
    expect(notice!.text).toContain('10 hari kerja');
    expect(alerts()).toEqual([]); // closing is not an escalation
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    expect(await eventsOf(report.id, 'auto_close')).toHaveLength(1);
  });

  it('escalates (without apologising) a report the national desk is still waiting on the citizen for', async () => {
    clock.set(wib('2026-12-01T09:00:00'));
    const report = await fileThroughDialog('c-wait', VAGUE, { choice: 'cat:lainnya' });
    const admin: Actor = { role: 'admin', id: 'U-ADMIN' };
    await act(report.id, { type: 'request_info', text: 'Di desa mana tepatnya?' }, admin);
    // 10 working days for the citizen: 2, 3, 4, 7, 8, 9, 10, 11, 14, 15 Dec.
    expect(await reload(report.id)).toMatchObject({
      dueKind: 'citizen_reply',
      dueAt: endOfDay('2026-12-15'),
    });
    inbox('c-wait');
    desk.length = 0;

    // Auto-close is not allowed before verification: the desk is alerted to decide (archive?).
    clock.set(wib('2026-12-16T09:00:00'));
    expect(await tick()).toEqual({ escalated: 1, closed: 0 });
    const [escalation] = await eventsOf(report.id, 'escalate');
    expect(escalation!.note).toBe('Melewati batas jawaban pelapor (1 hari kerja)');
    expect(await reload(report.id)).toMatchObject({ status: 'diterima' });
    expect(alerts().map((a) => a.reportId)).toEqual([report.id]);
    expect(inbox('c-wait')).toEqual([]); // the delay is the citizen's: no apology
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });

    // The answer comes at last: the national desk owes the verification again (3 working days).
    await say('c-wait', 'Desa Kemangkon, dekat balai desa');
    expect(await reload(report.id)).toMatchObject({
      status: 'diterima',
      dueKind: 'verification',
      dueAt: endOfDay('2026-12-21'),
      escalatedAt: null,
    });
  });

  it('restarts the clock when the citizen answers the officer’s reply in the conversation', async () => {
    clock.set(wib('2026-12-01T09:00:00'));
    const report = await fileThroughDialog('c-talk', KTP_COMPLAINT);
    clock.set(wib('2026-12-02T10:00:00'));
    await act(report.id, { type: 'reply', text: 'KTP sudah bisa diambil di kecamatan' });
    inbox('c-talk');

    // Tuesday 8 Dec: the citizen answers in the same chat.
    clock.set(wib('2026-12-08T11:00:00'));
    expect((await say('c-talk', 'Saya sudah ke kecamatan tapi katanya belum ada')).filed).toEqual([]);
    const [answer] = await eventsOf(report.id, 'citizen_reply');
    expect(answer).toMatchObject({
      actorRole: 'citizen',
      note: 'Saya sudah ke kecamatan tapi katanya belum ada',
      at: clock.now(),
    });
    // Now the agency owes an answer: 9, 10, 11, 14, 15 Dec.
    expect(await reload(report.id)).toMatchObject({
      status: 'ditindaklanjuti',
      dueKind: 'response',
      dueAt: endOfDay('2026-12-15'),
    });
    expect(inbox('c-talk')[0]!.text).toContain(report.trackingId);

    // Monday 14 Dec the officer replies again: 10 working days from there skip 24-25 Dec.
    clock.set(wib('2026-12-14T10:00:00'));
    await act(report.id, { type: 'reply', text: 'Mohon maaf, sudah kami cek: besok bisa diambil' });
    // 15, 16, 17, 18, 21, 22, 23, 28, 29, 30 Dec.
    expect(await reload(report.id)).toMatchObject({
      dueKind: 'citizen_reply',
      dueAt: endOfDay('2026-12-30'),
    });

    // The first reply's 10 days ended on 16 Dec: that clock is gone.
    clock.set(wib('2026-12-17T09:00:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    clock.set(wib('2026-12-30T23:00:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 0 });
    clock.set(wib('2026-12-31T09:00:00'));
    expect(await tick()).toEqual({ escalated: 0, closed: 1 });
    expect(await reload(report.id)).toMatchObject({ status: 'selesai' });
  });
});
