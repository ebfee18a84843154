/**
 * "Laporan serupa" through the whole service on real databases: three neighbours report one
 * pothole and each is told it was already reported; a text mass-submitted by many senders forms
 * one cluster; a look-alike in another regency stays apart. Nothing is dropped: every report is
 * filed and routed. Every text here was written for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import type { InboundMessage, OutboundMessage } from '../../core/channel/port.ts';
import { actOnCluster } from '../../core/reports/clusters.ts';
import { actOnReport } from '../../core/reports/index.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, recordingAdapter, testClock } from '../support/service.ts';

describe.each(DB_KINDS)('laporan serupa on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = testClock();
  const adapter = recordingAdapter();
  let service: Service;
  let seq = 0;
  let phone = 0;

  beforeAll(async () => {
    service = await createTestService(t.handle, { clock: clock.now, adapters: [adapter] });
  });
  afterAll(async () => {
    await service?.stop();
  });

  async function say(address: string, text: string) {
    const message: InboundMessage = {
      channel: 'console',
      address,
      externalId: `d-${kind}-${++seq}`,
      text,
      receivedAt: clock.now(),
    };
    const result = await service.intake.receive(message);
    await service.dispatcher.drain();
    return result;
  }
  const inbox = (address: string): OutboundMessage[] => adapter.sent.filter((m) => m.address === address);

  /**
   * A new citizen files `text` (it names its place): answers any choice question with the first
   * choice (e.g. the kind of report), then confirms.
   */
  async function file(text: string) {
    const address = `+62812300${String(++phone).padStart(5, '0')}`;
    await say(address, text);
    for (let i = 0; i < 3 && inbox(address).at(-1)?.choices?.[0]?.id !== 'confirm'; i++)
      await say(address, '1');
    expect(inbox(address).at(-1)?.choices?.[0]?.id).toBe('confirm');
    const result = await say(address, '1');
    expect(result.filed).toHaveLength(1);
    clock.set(new Date(clock.now().getTime() + 3_600_000));
    const report = await service.db.prisma.report.findUniqueOrThrow({
      where: { trackingId: result.filed[0]! },
    });
    return { address, report };
  }

  it('one pothole reported by three neighbours: linked to the first, each told its number', async () => {
    const first = await file(
      'Jalan di depan SD Negeri 2 Kedungbenda berlubang besar dan tergenang air, sudah dua motor jatuh. Kec. Kemangkon, Kab. Purbalingga',
    );
    const second = await file(
      'Lubang besar di jalan depan SD Negeri 2 Kedungbenda, tergenang air, dua motor sudah jatuh. Kec. Kemangkon Kab. Purbalingga',
    );
    const third = await file(
      'jalan depan SD Negeri 2 Kedungbenda berlubang besar tergenang air, sudah ada dua motor jatuh, kec kemangkon purbalingga',
    );
    expect(first.report.similarTo).toBeNull();
    for (const { report, address } of [second, third]) {
      // Filed and routed like any report, and linked to the first.
      expect(report.agencyCode).toBe(first.report.agencyCode);
      expect(report.similarTo).toBe(first.report.id);
      const told = inbox(address).at(-1)?.text ?? '';
      expect(told).toContain('sudah dilaporkan sebelumnya');
      expect(told).toContain(first.report.trackingId);
    }
    expect(inbox(first.address).some((m) => m.text?.includes('sudah dilaporkan sebelumnya'))).toBe(false);
    const added = await service.db.prisma.reportEvent.findMany({
      where: { reportId: first.report.id, action: 'similar_added' },
      orderBy: { at: 'asc' },
    });
    expect(added.map((e) => e.note)).toEqual([second.report.trackingId, third.report.trackingId]);
    expect((added.at(-1)?.data as { size?: number } | undefined)?.size).toBe(3);
  });

  it('an officer sends one update to every reporter of the cluster, and resolves them all', async () => {
    const text =
      'Tumpukan sampah di belakang Pasar Bobotsari tidak diangkut dua minggu, bau dan banyak lalat. Kec. Bobotsari, Kab. Purbalingga';
    const [a, b, c] = [await file(text), await file(text), await file(text)];
    const main = a!.report;
    expect([b!.report.similarTo, c!.report.similarTo]).toEqual([main.id, main.id]);
    const officer = { role: 'officer' as const, id: 'U-OFFICER', agencyCode: main.agencyCode };
    const update = 'Truk sampah dijadwalkan mengangkut besok pagi.';
    const replied = await service.db.prisma.$transaction(async (tx) => {
      await actOnReport(tx, service.ctx, main.id, officer, { type: 'reply', text: update });
      return actOnCluster(tx, service.ctx, main.id, officer, { type: 'reply', text: update });
    });
    await service.dispatcher.drain();
    expect(replied).toEqual({ done: [b!.report.trackingId, c!.report.trackingId], skipped: [] });
    for (const { address, report } of [a!, b!, c!]) {
      const got = inbox(address).at(-1)?.text ?? '';
      expect(got).toContain(update);
      expect(got).toContain(report.trackingId);
    }
    // Another agency's officer cannot touch the cluster.
    const stranger = { role: 'officer' as const, id: 'U-OTHER', agencyCode: 'PEMDA-33.02-DLH' };
    const refused = await service.db.prisma.$transaction((tx) =>
      actOnCluster(tx, service.ctx, main.id, stranger, { type: 'resolve', text: 'x' }),
    );
    expect(refused.done).toEqual([]);
    expect(refused.skipped).toHaveLength(2);
    const resolved = await service.db.prisma.$transaction(async (tx) => {
      await actOnReport(tx, service.ctx, main.id, officer, {
        type: 'resolve',
        text: 'Sampah sudah diangkut.',
      });
      return actOnCluster(tx, service.ctx, main.id, officer, {
        type: 'resolve',
        text: 'Sampah sudah diangkut.',
      });
    });
    expect(resolved.done).toHaveLength(2);
    const statuses = await service.db.prisma.report.findMany({
      where: { id: { in: [main.id, b!.report.id, c!.report.id] } },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(['selesai', 'selesai', 'selesai']);
  });

  it('the same text mass-submitted by many senders forms one cluster', async () => {
    const text =
      'Kami warga Desa Karangreja menolak tambang galian C di tepi Sungai Klawing karena tebing sungai longsor. Kec. Kutasari, Kab. Purbalingga';
    const filed = [];
    for (let i = 0; i < 4; i++) filed.push(await file(text));
    const main = filed[0]!.report;
    expect(filed.slice(1).map((f) => f.report.similarTo)).toEqual([main.id, main.id, main.id]);
  });

  it('a look-alike in another regency is not linked', async () => {
    const here = await file(
      'Saluran irigasi di dekat Balai Desa Pagerandong jebol, sawah warga kekeringan sejak dua minggu. Kec. Kaligondang, Kab. Purbalingga',
    );
    const there = await file(
      'Saluran irigasi di dekat Balai Desa Kalisube jebol, sawah warga kekeringan sejak dua minggu. Kec. Banyumas, Kab. Banyumas',
    );
    expect(here.report.regionCode?.slice(0, 5)).toBe('33.03');
    expect(there.report.regionCode?.slice(0, 5)).toBe('33.02');
    expect(there.report.similarTo).toBeNull();
    expect(inbox(there.address).some((m) => m.text?.includes('sudah dilaporkan sebelumnya'))).toBe(false);
  });

  it('a report older than the window (SIMILAR_WINDOW_DAYS) collects no look-alikes', async () => {
    const text =
      'Lampu penerangan jalan di sepanjang Jalan Raya Bukateja mati semua sejak seminggu, gelap dan rawan. Kec. Bukateja, Kab. Purbalingga';
    const old = await file(text);
    clock.advanceDays(15);
    const later = await file(text);
    expect(later.report.similarTo).toBeNull();
    expect(old.report.similarTo).toBeNull();
  });
});
