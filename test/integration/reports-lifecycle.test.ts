/**
 * A report's life on real databases, driven the way it happens in production: the citizen
 * files through the dialog, officers and admins act through `actOnReport` in a transaction,
 * notifications leave through the outbox. Every status change must come with its event and its
 * notifications in one transaction, and every refusal must leave the database as it was.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import type { InboundMessage, OutboundMessage } from '../../core/channel/port.ts';
import { LaporError } from '../../core/errors.ts';
import { IllegalTransitionError } from '../../core/lifecycle/index.ts';
import type { CoreContext } from '../../core/reports/context.ts';
import { type Actor, actOnReport, type OfficerAction } from '../../core/reports/index.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, recordingAdapter, testClock } from '../support/service.ts';

/** Tuesday 1 December 2026, 09:00 WIB. */
const START = new Date('2026-12-01T02:00:00Z');
const HOUR = 3_600_000;

const DISDUKCAPIL = 'PEMDA-33.03-DISDUKCAPIL';
const DPUPR = 'PEMDA-33.03-DPUPR';
const KTP_COMPLAINT =
  'KTP elektronik saya belum jadi sudah 3 bulan, mohon dibantu. Saya tinggal di Kec. Kemangkon, Kab. Purbalingga';

const officerOf = (agencyCode: string, id = 'U-OFFICER'): Actor => ({ role: 'officer', id, agencyCode });
const ADMIN_ACTOR: Actor = { role: 'admin', id: 'U-ADMIN' };

class Rollback extends Error {}

describe.each(DB_KINDS)('report lifecycle on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = testClock(START);
  const adapter = recordingAdapter();
  let service: Service;
  let seq = 0;

  beforeAll(async () => {
    service = await createTestService(t.handle, { clock: clock.now, adapters: [adapter] });
  });
  afterAll(async () => {
    await service?.stop();
  });
  beforeEach(() => {
    clock.set(START);
    adapter.sent.length = 0;
  });

  /** The citizen sends one message (text, or a quick-reply id as `{ choice }`); replies are sent. */
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

  /** What the citizen at `address` received since the last call. */
  function inbox(address: string): OutboundMessage[] {
    const mine = adapter.sent.filter((m) => m.address === address);
    adapter.sent.splice(0, adapter.sent.length, ...adapter.sent.filter((m) => m.address !== address));
    return mine;
  }

  /** Files a report through the dialog: the messages, the summary, then "1" (Kirim / Send). */
  async function fileThroughDialog(address: string, ...messages: (string | { choice: string })[]) {
    for (const m of messages) expect((await say(address, m)).filed).toEqual([]);
    const summary = inbox(address).at(-1);
    expect(summary?.choices?.[0]?.id).toBe('confirm');
    const result = await say(address, '1');
    expect(result.filed).toHaveLength(1);
    const trackingId = result.filed[0]!;
    return service.db.prisma.report.findUniqueOrThrow({ where: { trackingId } });
  }

  async function act(reportId: string, actor: Actor, action: OfficerAction, ctx: CoreContext = service.ctx) {
    const report = await service.db.prisma.$transaction((tx) =>
      actOnReport(tx, ctx, reportId, actor, action),
    );
    await service.dispatcher.drain();
    return report;
  }

  async function events(reportId: string) {
    return service.db.prisma.reportEvent.findMany({
      where: { reportId },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
  }

  /** Everything an action could touch: the report, its events, messages, outbox and dialog state. */
  async function snapshot(reportId: string) {
    const p = service.db.prisma;
    const report = await p.report.findUniqueOrThrow({ where: { id: reportId } });
    const conversation = await p.conversation.findUniqueOrThrow({ where: { id: report.conversationId } });
    return {
      report,
      events: await p.reportEvent.findMany({ where: { reportId }, orderBy: { id: 'asc' } }),
      messages: await p.message.count(),
      outbox: await p.outboxItem.count(),
      conversation: { state: conversation.state, version: conversation.version },
    };
  }

  /** Runs the action in a transaction that is then rolled back: nothing of it may remain. */
  async function expectAtomic(reportId: string, actor: Actor, action: OfficerAction, ctx = service.ctx) {
    const before = await snapshot(reportId);
    await expect(
      service.db.prisma.$transaction(async (tx) => {
        await actOnReport(tx, ctx, reportId, actor, action);
        throw new Rollback('roll back after the action');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await snapshot(reportId)).toEqual(before);
  }

  /** The action is refused with `code`, and the database is exactly as before. */
  async function expectRefused(reportId: string, actor: Actor, action: OfficerAction, code: string) {
    const before = await snapshot(reportId);
    const error = await service.db.prisma
      .$transaction((tx) => actOnReport(tx, service.ctx, reportId, actor, action))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(LaporError);
    expect((error as LaporError).code).toBe(code);
    expect(await snapshot(reportId)).toEqual(before);
    return error as LaporError;
  }

  it('files through the dialog: routed to the competent agency, verified and dispatched, citizen told', async () => {
    const report = await fileThroughDialog('c-file', KTP_COMPLAINT);
    expect(report).toMatchObject({
      status: 'didisposisikan',
      agencyCode: DISDUKCAPIL,
      category: 'kependudukan',
      regionCode: '33.03.01',
      channel: 'console',
      locale: 'id',
      dueKind: 'response',
      escalatedAt: null,
      forwardCount: 0,
      createdAt: START,
    });
    expect(report.trackingId).toMatch(/^LPR-[0-9A-Y]{3}-[0-9A-Y]{3}-[0-9A-Y]{3}$/);
    // 5 working days from Tuesday 1 Dec: 2, 3, 4, 7, 8 Dec -> end of Tuesday 8 Dec (WIB).
    expect(report.dueAt).toEqual(new Date('2026-12-08T16:59:59.999Z'));

    const trail = await events(report.id);
    expect(
      trail.map((e) => [e.action, e.actorRole, e.fromStatus, e.toStatus, e.agencyCode, e.visibility]),
    ).toEqual([
      ['file', 'citizen', null, 'diterima', 'ADMIN', 'public'],
      ['verify', 'system', 'diterima', 'terverifikasi', 'ADMIN', 'internal'],
      ['dispatch', 'system', 'terverifikasi', 'didisposisikan', DISDUKCAPIL, 'public'],
    ]);
    for (const e of trail) expect(e.at).toEqual(START);
    expect(trail[2]!.note).toContain('Purbalingga');

    const [receipt, ...more] = inbox('c-file');
    expect(more).toEqual([]);
    expect(receipt!.text).toContain(report.trackingId);
    expect(receipt!.text).toContain('Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga');
    expect(receipt!.text).toContain('Selasa, 8 Desember 2026');
    // The receipt is logged in the conversation and linked to the report.
    const logged = await service.db.prisma.message.findFirstOrThrow({
      where: { reportId: report.id, direction: 'outgoing' },
    });
    expect(logged).toMatchObject({ text: receipt!.text, deliveryStatus: 'sent' });
  });

  it('runs every officer action: status, event (who, when, from, to, note) and notices in one transaction', async () => {
    const report = await fileThroughDialog('c-work', KTP_COMPLAINT);
    inbox('c-work');
    const officer = officerOf(DISDUKCAPIL, 'U-SITI');
    const name = 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga';
    const steps: {
      action: OfficerAction;
      event: string;
      from: string | null;
      to: string | null;
      note: string | null;
      visibility: 'public' | 'internal';
      citizen: string[];
      dueKind?: string | null;
      /** A second message follows: the request to rate the answer (1-5 choices). */
      rating?: true;
    }[] = [
      {
        action: { type: 'accept' },
        event: 'accept',
        from: 'didisposisikan',
        to: 'ditindaklanjuti',
        note: 'Laporan diterima petugas',
        visibility: 'public',
        citizen: ['sudah diterima dan sedang ditangani', name, report.trackingId],
      },
      {
        action: { type: 'note', text: 'Cek berkas di loket 3' },
        event: 'note',
        from: null,
        to: null,
        note: 'Cek berkas di loket 3',
        visibility: 'internal',
        citizen: [],
      },
      {
        action: { type: 'request_info', text: 'Mohon kirim NIK Anda' },
        event: 'request_info',
        from: 'ditindaklanjuti',
        to: 'ditindaklanjuti',
        note: 'Mohon kirim NIK Anda',
        visibility: 'public',
        citizen: ['Mohon kirim NIK Anda', name],
        dueKind: 'citizen_reply',
      },
      {
        action: { type: 'reply', text: 'KTP sudah dicetak, silakan ambil di kantor kecamatan' },
        event: 'follow_up',
        from: 'ditindaklanjuti',
        to: 'ditindaklanjuti',
        note: 'KTP sudah dicetak, silakan ambil di kantor kecamatan',
        visibility: 'public',
        citizen: ['KTP sudah dicetak, silakan ambil di kantor kecamatan', name],
        dueKind: 'citizen_reply',
      },
      {
        action: { type: 'postpone', text: 'Blanko KTP habis' },
        event: 'postpone',
        from: 'ditindaklanjuti',
        to: 'ditunda',
        note: 'Blanko KTP habis',
        visibility: 'public',
        citizen: ['Blanko KTP habis', report.trackingId],
        dueKind: null,
      },
      {
        action: { type: 'resume' },
        event: 'resume',
        from: 'ditunda',
        to: 'ditindaklanjuti',
        note: null,
        visibility: 'public',
        citizen: ['dilanjutkan kembali', name, 'Selasa, 8 Desember 2026'],
        dueKind: 'response',
      },
      {
        action: { type: 'resolve', text: 'KTP sudah diserahkan kepada pelapor' },
        event: 'resolve',
        from: 'ditindaklanjuti',
        to: 'selesai',
        note: 'KTP sudah diserahkan kepada pelapor',
        visibility: 'public',
        citizen: ['KTP sudah diserahkan kepada pelapor', 'selesai'],
        dueKind: null,
        rating: true,
      },
    ];
    for (const [i, step] of steps.entries()) {
      clock.set(new Date(START.getTime() + (i + 1) * HOUR));
      await expectAtomic(report.id, officer, step.action);
      const eventsBefore = (await events(report.id)).length;
      const outboxBefore = await service.db.prisma.outboxItem.count();
      const after = await act(report.id, officer, step.action);
      const stored = await service.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
      if (step.to) expect(stored.status, step.event).toBe(step.to);
      expect(after.status).toBe(stored.status);
      if (step.dueKind !== undefined) expect(stored.dueKind, step.event).toBe(step.dueKind);
      const trail = await events(report.id);
      expect(trail, step.event).toHaveLength(eventsBefore + 1);
      expect(trail.at(-1)).toMatchObject({
        action: step.event,
        actorRole: 'officer',
        actorId: 'U-SITI',
        at: clock.now(),
        fromStatus: step.from,
        toStatus: step.to,
        agencyCode: DISDUKCAPIL,
        note: step.note,
        visibility: step.visibility,
      });
      const got = inbox('c-work');
      const told = got.map((m) => m.text);
      const expected = (step.citizen.length ? 1 : 0) + (step.rating ? 1 : 0);
      expect(told, step.event).toHaveLength(expected);
      for (const fragment of step.citizen) expect(told[0], step.event).toContain(fragment);
      if (step.rating) {
        expect(told[1]).toContain(`penyelesaian laporan ${report.trackingId}`);
        expect(got[1]!.choices?.map((c) => c.label)).toEqual([
          'Sangat tidak puas',
          'Tidak puas',
          'Cukup',
          'Puas',
          'Sangat puas',
        ]);
      }
      expect(await service.db.prisma.outboxItem.count()).toBe(outboxBefore + expected);
    }
    const closed = await service.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(closed).toMatchObject({ status: 'selesai', dueAt: null, dueKind: null, closedAt: clock.now() });
    // The reply had invited an answer; a closed report does not wait for one any more.
    const conversation = await service.db.prisma.conversation.findUniqueOrThrow({
      where: { id: closed.conversationId },
    });
    expect(conversation.state).not.toHaveProperty('awaitingReply');
    // …but waits for the citizen's rating of the answer.
    expect(conversation.state).toMatchObject({ awaitingRating: { trackingId: report.trackingId } });
  });

  it('lets the citizen answer an officer question in the conversation; the answer joins the report', async () => {
    const report = await fileThroughDialog('c-answer', KTP_COMPLAINT);
    await act(report.id, officerOf(DISDUKCAPIL), { type: 'request_info', text: 'Mohon kirim NIK Anda' });
    inbox('c-answer');
    clock.set(new Date(START.getTime() + 2 * HOUR));
    const answered = await say('c-answer', 'NIK saya 3303010101010001');
    expect(answered.filed).toEqual([]);
    const trail = await events(report.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'citizen_reply',
      actorRole: 'citizen',
      fromStatus: 'ditindaklanjuti',
      toStatus: 'ditindaklanjuti',
      note: 'NIK saya 3303010101010001',
      at: clock.now(),
      visibility: 'public',
    });
    // The agency owes an answer again: 5 working days from Tuesday -> next Tuesday.
    const stored = await service.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(stored).toMatchObject({ dueKind: 'response', dueAt: new Date('2026-12-08T16:59:59.999Z') });
    const [ack] = inbox('c-answer');
    expect(ack!.text).toContain(report.trackingId);
    // The next message is a new conversation topic again, not another answer.
    expect((await say('c-answer', 'halo')).filed).toEqual([]);
    expect(await events(report.id)).toHaveLength(trail.length);
  });

  it('lets the national admin ask, place (verify + dispatch) and archive reports the machine could not place', async () => {
    const vague =
      'saya mau menyampaikan keluhan tentang tetangga saya yang tidak sopan di Kec. Kemangkon, Purbalingga';
    const report = await fileThroughDialog('c-admin', vague, { choice: 'cat:lainnya' });
    expect(report).toMatchObject({ status: 'diterima', agencyCode: 'ADMIN', dueKind: 'verification' });
    // 3 working days from Tuesday 1 Dec -> Friday 4 Dec.
    expect(report.dueAt).toEqual(new Date('2026-12-04T16:59:59.999Z'));
    expect(inbox('c-admin').at(-1)!.text).toContain('Jumat, 4 Desember 2026');

    clock.set(new Date(START.getTime() + HOUR));
    await expectAtomic(report.id, ADMIN_ACTOR, { type: 'request_info', text: 'Di desa mana tepatnya?' });
    await act(report.id, ADMIN_ACTOR, { type: 'request_info', text: 'Di desa mana tepatnya?' });
    expect((await events(report.id)).at(-1)).toMatchObject({
      action: 'request_info',
      actorRole: 'admin',
      actorId: 'U-ADMIN',
      fromStatus: 'diterima',
      toStatus: 'diterima',
      at: clock.now(),
    });
    expect(inbox('c-admin')[0]!.text).toContain('Di desa mana tepatnya?');
    await say('c-admin', 'Desa Kemangkon, dekat balai desa');
    inbox('c-admin');

    clock.set(new Date(START.getTime() + 2 * HOUR));
    const place: OfficerAction = {
      type: 'forward',
      agencyCode: 'PEMDA-33.03-SATPOLPP',
      reason: 'Ketertiban umum',
    };
    await expectAtomic(report.id, ADMIN_ACTOR, place);
    const placed = await act(report.id, ADMIN_ACTOR, place);
    expect(placed).toMatchObject({
      status: 'didisposisikan',
      agencyCode: 'PEMDA-33.03-SATPOLPP',
      dueKind: 'response',
    });
    expect(
      (await events(report.id))
        .slice(-2)
        .map((e) => [e.action, e.actorRole, e.fromStatus, e.toStatus, e.agencyCode]),
    ).toEqual([
      ['verify', 'admin', 'diterima', 'terverifikasi', 'ADMIN'],
      ['dispatch', 'admin', 'terverifikasi', 'didisposisikan', 'PEMDA-33.03-SATPOLPP'],
    ]);
    expect(inbox('c-admin')[0]!.text).toContain('Satuan Polisi Pamong Praja Kabupaten Purbalingga');

    const spam = await fileThroughDialog(
      'c-spam',
      'ini laporan uji coba saja, tidak perlu ditindaklanjuti, di Kec. Kemangkon, Purbalingga',
      { choice: 'cat:lainnya' },
    );
    expect(spam.status).toBe('diterima');
    await expectAtomic(spam.id, ADMIN_ACTOR, { type: 'archive', reason: 'Uji coba, bukan laporan' });
    const archived = await act(spam.id, ADMIN_ACTOR, { type: 'archive', reason: 'Uji coba, bukan laporan' });
    expect(archived).toMatchObject({
      status: 'diarsipkan',
      dueAt: null,
      dueKind: null,
      closedAt: clock.now(),
    });
    expect((await events(spam.id)).at(-1)).toMatchObject({
      action: 'archive',
      actorRole: 'admin',
      fromStatus: 'diterima',
      toStatus: 'diarsipkan',
      note: 'Uji coba, bukan laporan',
    });
  });

  it('refuses illegal transitions and leaves the database unchanged', async () => {
    const report = await fileThroughDialog('c-refuse', KTP_COMPLAINT);
    const officer = officerOf(DISDUKCAPIL);
    // Officers cannot archive; admins cannot archive a dispatched report either.
    await expectRefused(report.id, officer, { type: 'archive', reason: 'x' }, 'LAPOR_ERR_ILLEGAL_TRANSITION');
    await expectRefused(
      report.id,
      ADMIN_ACTOR,
      { type: 'archive', reason: 'x' },
      'LAPOR_ERR_ILLEGAL_TRANSITION',
    );
    // Nothing to resume; an admin does not accept on behalf of the agency.
    await expectRefused(report.id, officer, { type: 'resume' }, 'LAPOR_ERR_ILLEGAL_TRANSITION');
    await expectRefused(report.id, ADMIN_ACTOR, { type: 'accept' }, 'LAPOR_ERR_ILLEGAL_TRANSITION');
    await act(report.id, officer, { type: 'accept' });
    const twice = await expectRefused(report.id, officer, { type: 'accept' }, 'LAPOR_ERR_ILLEGAL_TRANSITION');
    expect(twice).toBeInstanceOf(IllegalTransitionError);
    expect(twice).toMatchObject({ from: 'ditindaklanjuti', action: 'accept', role: 'officer' });
    // Forwarding to an unknown agency or to the one that has it.
    await expectRefused(
      report.id,
      officer,
      { type: 'forward', agencyCode: 'NOPE', reason: 'x' },
      'LAPOR_ERR_UNKNOWN_AGENCY',
    );
    await expectRefused(
      report.id,
      officer,
      { type: 'forward', agencyCode: DISDUKCAPIL, reason: 'x' },
      'LAPOR_ERR_BAD_REQUEST',
    );
    await act(report.id, officer, { type: 'resolve', text: 'Selesai' });
    inbox('c-refuse');
    // A closed report takes no more actions, not even a forward or a reply.
    for (const action of [
      { type: 'resolve', text: 'lagi' },
      { type: 'reply', text: 'lagi' },
      { type: 'request_info', text: 'lagi' },
      { type: 'postpone', text: 'lagi' },
      { type: 'forward', agencyCode: DPUPR, reason: 'lagi' },
    ] satisfies OfficerAction[]) {
      const e = await expectRefused(report.id, officer, action, 'LAPOR_ERR_ILLEGAL_TRANSITION');
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect((e as IllegalTransitionError).from).toBe('selesai');
    }
    expect(inbox('c-refuse')).toEqual([]);
  });

  it('forwards: the hop is recorded, the new agency gets a fresh SLA, the citizen is told; A -> B -> A is flagged', async () => {
    const report = await fileThroughDialog('c-fwd', KTP_COMPLAINT);
    inbox('c-fwd');
    // Two working days later Disdukcapil says: not ours (Thursday 3 Dec).
    clock.set(new Date('2026-12-03T03:00:00Z'));
    const deskCtx: CoreContext = { ...service.ctx, desk: { adminChannel: 'C-ADMIN' } };
    const first: OfficerAction = {
      type: 'forward',
      agencyCode: DPUPR,
      reason: 'Soal jalan, bukan kependudukan',
    };
    await expectAtomic(report.id, officerOf(DISDUKCAPIL), first, deskCtx);
    const moved = await act(report.id, officerOf(DISDUKCAPIL, 'U-A'), first, deskCtx);
    expect(moved).toMatchObject({
      status: 'didisposisikan',
      agencyCode: DPUPR,
      forwardCount: 1,
      escalatedAt: null,
    });
    // The clock restarts for DPUPR: 5 working days from Thursday 3 Dec -> Thursday 10 Dec.
    expect(moved.dueAt).toEqual(new Date('2026-12-10T16:59:59.999Z'));
    const hop = (await events(report.id)).slice(-2);
    expect(
      hop.map((e) => [e.action, e.actorRole, e.actorId, e.fromStatus, e.toStatus, e.agencyCode, e.note]),
    ).toEqual([
      [
        'forward',
        'officer',
        'U-A',
        'didisposisikan',
        'bukan_wewenang',
        DISDUKCAPIL,
        'Soal jalan, bukan kependudukan',
      ],
      // Officers may not dispatch (lifecycle table): the system dispatches to the agency they named.
      [
        'dispatch',
        'system',
        null,
        'bukan_wewenang',
        'didisposisikan',
        DPUPR,
        'Soal jalan, bukan kependudukan',
      ],
    ]);
    for (const e of hop) expect(e.at).toEqual(clock.now());
    const [told] = inbox('c-fwd');
    expect(told!.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');
    expect(told!.text).toContain('Kamis, 10 Desember 2026');
    expect((await events(report.id)).some((e) => e.action === 'forward_loop')).toBe(false);

    // The first agency's officer acts on a report that is no longer theirs.
    const refused = await expectRefused(
      report.id,
      officerOf(DISDUKCAPIL),
      { type: 'reply', text: 'x' },
      'LAPOR_ERR_REPORT_MOVED',
    );
    expect(refused.context).toMatchObject({ trackingId: report.trackingId, agencyCode: DPUPR });

    // DPUPR sends it back: a loop. The hop still happens, and the admin desk is alerted.
    clock.set(new Date('2026-12-04T03:00:00Z'));
    const outboxBefore = await service.db.prisma.outboxItem.findMany({ select: { id: true } });
    const back = await act(
      report.id,
      officerOf(DPUPR, 'U-B'),
      { type: 'forward', agencyCode: DISDUKCAPIL, reason: 'KTP urusan Dukcapil' },
      deskCtx,
    );
    expect(back).toMatchObject({ agencyCode: DISDUKCAPIL, forwardCount: 2, status: 'didisposisikan' });
    const loop = (await events(report.id)).filter((e) => e.action === 'forward_loop');
    expect(loop).toHaveLength(1);
    expect(loop[0]).toMatchObject({ actorRole: 'system', agencyCode: DISDUKCAPIL, visibility: 'internal' });
    const queued = await service.db.prisma.outboxItem.findMany({
      where: { id: { notIn: outboxBefore.map((o) => o.id) }, channel: 'slack' },
    });
    const alerts = queued.filter((q) => (q.payload as { kind?: string }).kind === 'admin_alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ address: 'C-ADMIN', reportId: report.id });
    expect(inbox('c-fwd')[0]!.text).toContain(
      'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
    );
  });

  it('talks to an English-speaking citizen in English, from receipt to resolution', async () => {
    const report = await fileThroughDialog(
      'c-en',
      'My ID card (KTP) has not been issued for 3 months, please help. I live in Kemangkon district, Purbalingga',
    );
    expect(report.locale).toBe('en');
    const [receipt] = inbox('c-en');
    expect(receipt!.text).toContain(`Your report is filed as *${report.trackingId}*`);
    expect(receipt!.text).toContain('Tuesday, 8 December 2026');
    await say('c-en', `status ${report.trackingId.replaceAll('-', ' ')}`);
    const [filedStatus] = inbox('c-en');
    expect(filedStatus!.text).toContain('Status: Dispatched to the agency');
    // The latest update is the routing reason, in English too.
    expect(filedStatus!.text).toMatch(/Latest: Tuesday, 1 December 2026 — .*Purbalingga/);
    expect(filedStatus!.text).not.toContain('ditangani');

    await act(report.id, officerOf(report.agencyCode), {
      type: 'forward',
      agencyCode: DPUPR,
      reason: 'Bukan wewenang',
    });
    expect(inbox('c-en')[0]!.text).toContain(`Report ${report.trackingId} was forwarded to`);
    await act(report.id, officerOf(DPUPR), { type: 'reply', text: 'Kami cek ke lokasi besok.' });
    expect(inbox('c-en')[0]!.text).toContain(`Response from Dinas Pekerjaan Umum`);

    await say('c-en', `status ${report.trackingId.toLowerCase()}`);
    const [status] = inbox('c-en');
    expect(status!.text).toContain(`Report ${report.trackingId}`);
    expect(status!.text).toContain('Status: Being followed up');
    await act(report.id, officerOf(DPUPR), { type: 'resolve', text: 'Fixed.' });
    expect(inbox('c-en')[0]!.text).toContain(`Report ${report.trackingId} was marked resolved`);
  });

  it('answers a status query by tracking ID from the dialog, whatever the case and spacing', async () => {
    const report = await fileThroughDialog('c-status', KTP_COMPLAINT);
    inbox('c-status');
    const id = report.trackingId; // LPR-XXX-XXX-XXX
    const spaced = id.replaceAll('-', ' ').toLowerCase(); // "lpr xxx xxx xxx"
    for (const query of [`status ${spaced}`, `STATUS ${id}`, `cek ${id.toLowerCase().replaceAll('-', '')}`]) {
      expect((await say('c-status', query)).filed).toEqual([]);
      const replies = inbox('c-status');
      expect(replies, query).toHaveLength(1);
      expect(replies[0]!.text, query).toContain(`Laporan ${id}`);
      expect(replies[0]!.text, query).toContain('Status: Didisposisikan ke instansi');
      expect(replies[0]!.text, query).toContain(
        'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
      );
      // The latest public event is the dispatch (its routing reason), not the filing.
      expect(replies[0]!.text, query).toContain('sesuai wilayah laporan');
    }
    // Another citizen may ask too (the ID is the key), and a wrong ID is answered, not ignored.
    await say('c-other', `status ${spaced}`);
    expect(inbox('c-other')[0]!.text).toContain(`Laporan ${id}`);
    await say('c-other', 'status LPR-000-000-000');
    expect(inbox('c-other')[0]!.text).not.toContain('Status:');
  });
});
