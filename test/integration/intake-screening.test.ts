/**
 * Junk and floods on real databases, through the whole service: a non-report is answered and
 * not filed; a citizen who insists is filed with the verifier only, marked "diduga bukan
 * laporan"; a citizen over the daily limit is not refused, but the extra reports wait for the
 * verifier and the citizen is told. Every text here was written for this test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import type { InboundMessage, OutboundMessage } from '../../core/channel/port.ts';
import { TEXTS } from '../../dialogs/texts.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, recordingAdapter, testClock } from '../support/service.ts';

const TOKEN = 'screening-test-admin-token-0123456789';
const ROAD =
  'Jalan di Desa Kedungbenda, Kec. Kemangkon, Kab. Purbalingga berlubang besar sejak dua bulan, mohon diperbaiki';

describe.each(DB_KINDS)('screening first messages on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = testClock();
  const adapter = recordingAdapter();
  let service: Service;
  let seq = 0;

  beforeAll(async () => {
    service = await createTestService(t.handle, {
      clock: clock.now,
      adapters: [adapter],
      env: { REPORTS_PER_DAY: '2', ADMIN_API_TOKEN: TOKEN },
    });
  });
  afterAll(async () => {
    await service?.stop();
  });
  beforeEach(() => {
    adapter.sent.length = 0;
  });

  async function say(address: string, input: string | { choice: string }) {
    const message: InboundMessage = {
      channel: 'console',
      address,
      externalId: `s-${kind}-${++seq}`,
      ...(typeof input === 'string' ? { text: input } : { choice: input.choice }),
      receivedAt: clock.now(),
    };
    const result = await service.intake.receive(message);
    await service.dispatcher.drain();
    return result;
  }
  const inbox = (address: string): OutboundMessage[] => adapter.sent.filter((m) => m.address === address);
  const reportsOf = (address: string) =>
    service.db.prisma.report.findMany({
      where: { conversation: { address } },
      orderBy: { createdAt: 'asc' },
    });

  /** Sends an insult, insists that it is a report, and answers every question until it is filed. */
  async function insistAndFile(address: string) {
    await say(address, 'bot bodoh gak guna');
    await say(address, { choice: 'screen:report' });
    // The dialog goes on as for any report: answer what it asks, then send.
    for (let i = 0; i < 8; i++) {
      const last = inbox(address).at(-1);
      const filed = (await reportsOf(address)).length;
      if (filed) break;
      if (last?.choices?.[0]?.id === 'confirm') await say(address, '1');
      else if (last?.choices?.[0]) await say(address, { choice: last.choices[0].id });
      else await say(address, 'Kec. Kemangkon, Kab. Purbalingga');
    }
  }

  /** Files the road report `times` times from one address. */
  async function fileRoads(address: string, times: number) {
    for (let n = 1; n <= times; n++) {
      await say(address, `${ROAD} (laporan ke-${n})`);
      expect(inbox(address).at(-1)?.choices?.[0]?.id).toBe('confirm');
      expect((await say(address, '1')).filed).toHaveLength(1);
    }
  }

  it('a non-report gets the helpful answer and nothing is filed', async () => {
    const address = '+6281200000101';
    const result = await say(address, 'Sebarkan ke 10 grup, kalau tidak nanti sial seminggu');
    expect(result.filed).toEqual([]);
    expect(inbox(address).map((m) => m.text)).toEqual([TEXTS.notReport.id]);
    expect(await reportsOf(address)).toHaveLength(0);
  });

  it('a citizen who insists is filed with the verifier, never with an agency, with the reason', async () => {
    const address = '+6281200000102';
    await insistAndFile(address);
    const [report] = await reportsOf(address);
    expect(report?.agencyCode).toBe('ADMIN');
    expect(report?.status).toBe('diterima');
    expect(report?.routeReason).toMatch(/^Diduga bukan laporan \(insult\)/);
    const file = await service.db.prisma.reportEvent.findFirstOrThrow({
      where: { reportId: report!.id, action: 'file' },
    });
    expect(JSON.stringify(file.data)).toContain('suspect:insult');
  });

  it('over the daily limit the report is still filed, held for the verifier, and the citizen told why', async () => {
    const address = '+6281200000103';
    await fileRoads(address, 3);
    const filed = await reportsOf(address);
    expect(filed).toHaveLength(3);
    expect(filed.slice(0, 2).map((r) => r.agencyCode)).toEqual(['PEMDA-33.03-DPUPR', 'PEMDA-33.03-DPUPR']);
    expect(filed[2]?.agencyCode).toBe('ADMIN');
    expect(filed[2]?.routeReason).toMatch(/sudah mengirim 2 laporan dalam 24 jam/);
    // The receipt says why (a "laporan serupa" notice may follow it: the texts repeat).
    const receipt = inbox(address).find((m) => m.text?.includes(filed[2]!.trackingId))?.text ?? '';
    expect(receipt).toContain('Tidak ada yang hilang');
    // A day later the limit counts afresh.
    clock.advanceDays(1);
    await say(address, `${ROAD} (laporan ke-4)`);
    await say(address, '1');
    expect((await reportsOf(address)).at(-1)?.agencyCode).toBe('PEMDA-33.03-DPUPR');
  });

  it('the operator dashboard counts held and linked reports', async () => {
    await insistAndFile('+6281200000104');
    await fileRoads('+6281200000105', 3);
    await service.start({ listen: false });
    const page = await service.app().inject({
      method: 'GET',
      url: '/dashboard',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(page.statusCode).toBe(200);
    const row = (label: string) =>
      new RegExp(`<th scope="row">${label}</th><td class="num">(\\d+)</td>`).exec(page.body)?.[1];
    // One insisting citizen, one report over the daily limit; the road reports repeat each other.
    expect(row('Diduga bukan laporan \\(ditahan verifikator\\)')).toBe('1');
    expect(row('Melewati batas laporan harian')).toBe('1');
    expect(Number(row('Laporan serupa \\(digabung\\)'))).toBeGreaterThanOrEqual(2);
  });
});
