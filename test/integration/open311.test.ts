/**
 * Open311 GeoReport v2, written from the spec's own walk-through: a client lists the services,
 * reads one service's definition, posts a request with an api_key, lists requests, reads its
 * request by id and resolves its token. Errors are the spec's array. The request goes through
 * the chat's filing path (routing, events, SLA), and nothing of the reporter leaks back out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { actOnReport } from '../../core/reports/index.ts';
import { CATEGORY_IDS } from '../../dialogs/categories.ts';
import { DB_KINDS, useTestDatabase } from '../support/db.ts';
import { createTestService, testClock } from '../support/service.ts';

const START = new Date('2026-12-01T02:00:00Z');
const API_KEY = 'kunci-uji-open311-0123456789';
const DPUPR = 'PEMDA-33.03-DPUPR';
const BASE = '/open311/v2';

/** The spec's POST example, moved to Purbalingga: every optional field a client may send. */
function specPost(overrides: Record<string, string> = {}): string {
  return new URLSearchParams({
    api_key: API_KEY,
    service_code: 'pekerjaan_umum',
    lat: '-7.4352891',
    long: '109.3331046',
    address_string: 'Jl. Raya Kemangkon, Kec. Kemangkon, Kab. Purbalingga',
    email: 'warga.uji@example.org',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'Budi',
    last_name: 'Santoso',
    phone: '081234567890',
    description: 'Jalan berlubang besar di depan balai desa, sudah dua bulan belum diperbaiki',
    media_url: 'https://example.org/foto/lubang.jpg',
    ...overrides,
  }).toString();
}

describe.each(DB_KINDS)('Open311 GeoReport v2 on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = testClock(START);
  let service: Service;

  beforeAll(async () => {
    service = await createTestService(t.handle, {
      clock: clock.now,
      env: { OPEN311_API_KEYS: `another-key-abcdefghijkl,${API_KEY}` },
    });
    await service.start({ listen: false });
  });
  afterAll(async () => {
    await service?.stop();
  });
  beforeEach(() => clock.set(START));

  const inject = (url: string) => service.app().inject(url);
  const post = (payload: string, url = `${BASE}/requests.json`) =>
    service.app().inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });

  it('lists the categories as services and gives a service definition', async () => {
    const services = await inject(`${BASE}/services.json`);
    expect(services.statusCode).toBe(200);
    const list = services.json() as { service_code: string; metadata: boolean; type: string }[];
    // Every category of the taxonomy is a service, in the taxonomy's order.
    expect(list.map((s) => s.service_code)).toEqual([...CATEGORY_IDS]);
    expect(list).toContainEqual(
      expect.objectContaining({
        service_code: 'pekerjaan_umum',
        service_name: 'Pekerjaan Umum dan Penataan Ruang',
        metadata: false,
        type: 'realtime',
        group: 'infrastruktur',
      }),
    );
    const english = (await inject(`${BASE}/services.json?lang=en`)).json() as { service_name: string }[];
    expect(english.map((s) => s.service_name)).toContain('Public Works and Spatial Planning');
    const definition = await inject(`${BASE}/services/pekerjaan_umum.json`);
    expect(definition.json()).toEqual({ service_code: 'pekerjaan_umum', attributes: [] });
  });

  it('a client posts a request, lists it, reads it by id and by token', async () => {
    const created = await post(specPost());
    expect(created.statusCode).toBe(201);
    const [receipt, ...rest] = created.json() as {
      service_request_id: string;
      token: string;
      service_notice: string;
      account_id: null;
    }[];
    expect(rest).toEqual([]);
    expect(receipt!.service_request_id).toMatch(/^LPR-[0-9A-Y]{3}-[0-9A-Y]{3}-[0-9A-Y]{3}$/);
    expect(receipt!.service_notice).toContain(
      'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga',
    );
    expect(receipt!.account_id).toBeNull();
    const id = receipt!.service_request_id;

    // Filed through the chat's path: routed, verified, dispatched, with the response clock running.
    const report = await service.db.prisma.report.findUniqueOrThrow({ where: { trackingId: id } });
    expect(report).toMatchObject({
      status: 'didisposisikan',
      agencyCode: DPUPR,
      channel: 'open311',
      category: 'pekerjaan_umum',
      regionCode: '33.03.01',
      dueKind: 'response',
      latitude: -7.4352891,
    });
    const trail = await service.db.prisma.reportEvent.findMany({
      where: { reportId: report.id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    expect(trail.map((e) => e.action)).toEqual(['file', 'verify', 'dispatch']);
    // Neither the e-mail nor the phone number is stored anywhere.
    const conversation = await service.db.prisma.conversation.findUniqueOrThrow({
      where: { id: report.conversationId },
      include: { citizen: true },
    });
    expect(conversation.address).not.toContain('warga.uji');
    expect(JSON.stringify(conversation)).not.toMatch(/081234567890|example\.org/);
    expect(conversation.citizen.displayName).toBe('Budi Santoso');

    const listed = await inject(`${BASE}/requests.json?service_code=pekerjaan_umum&status=open`);
    expect(listed.statusCode).toBe(200);
    const requests = listed.json() as Record<string, unknown>[];
    expect(requests.map((r) => r.service_request_id)).toEqual([id]);
    expect(requests[0]).toEqual({
      service_request_id: id,
      status: 'open',
      status_notes: 'Didisposisikan ke instansi',
      service_name: 'Pekerjaan Umum dan Penataan Ruang',
      service_code: 'pekerjaan_umum',
      description: null,
      agency_responsible: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga',
      service_notice: 'Batas tanggapan instansi Selasa, 8 Desember 2026',
      requested_datetime: START.toISOString(),
      updated_datetime: START.toISOString(),
      expected_datetime: '2026-12-08T16:59:59.999Z',
      address: 'Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah',
      address_id: '33.03.01',
      zipcode: null,
      lat: -7.435,
      long: 109.333,
      media_url: null,
    });
    // Nothing of the reporter or of their words comes back out.
    expect(listed.body).not.toMatch(/Budi|Santoso|warga|0812|balai desa|tt222111/);

    const one = await inject(`${BASE}/requests/${id}.json`);
    expect(one.json()).toEqual(requests);
    // Any spelling of the ID finds it.
    const sloppy = await inject(`${BASE}/requests/${id.toLowerCase().replace(/-/g, '')}.json`);
    expect((sloppy.json() as { service_request_id: string }[])[0]!.service_request_id).toBe(id);

    const token = await inject(`${BASE}/tokens/${receipt!.token}.json`);
    expect(token.json()).toEqual([{ service_request_id: id, token: receipt!.token }]);

    // The officer resolves it: the request is closed.
    clock.advanceDays(1);
    await service.db.prisma.$transaction((tx) =>
      actOnReport(
        tx,
        service.ctx,
        report.id,
        { role: 'officer', id: 'U1', agencyCode: DPUPR },
        {
          type: 'resolve',
          text: 'Sudah ditambal oleh Bapak Joko, hubungi 0812-1111-2222',
        },
      ),
    );
    const closed = (await inject(`${BASE}/requests/${id}.json?lang=en`)).json() as Record<string, unknown>[];
    expect(closed[0]).toMatchObject({
      status: 'closed',
      status_notes: 'Resolved',
      expected_datetime: null,
      updated_datetime: new Date(START.getTime() + 86_400_000).toISOString(),
    });
    expect(JSON.stringify(closed)).not.toMatch(/Joko|0812/);
    expect(((await inject(`${BASE}/requests.json?status=closed`)).json() as unknown[]).length).toBe(1);
    expect((await inject(`${BASE}/requests.json?status=open`)).json()).toEqual([]);
  });

  it('shows an anonymous request only to its kabupaten/kota, without a point', async () => {
    const created = await post(specPost({ privacy: 'anonim' }));
    const id = (created.json() as { service_request_id: string }[])[0]!.service_request_id;
    const [request] = (await inject(`${BASE}/requests/${id}.json`)).json() as Record<string, unknown>[];
    expect(request).toMatchObject({
      address: 'Kab. Purbalingga, Jawa Tengah',
      address_id: '33.03',
      lat: null,
      long: null,
    });
    const report = await service.db.prisma.report.findUniqueOrThrow({
      where: { trackingId: id },
      include: { citizen: true },
    });
    // An anonymous reporter's name is not kept either.
    expect(report.citizen.displayName).toBeNull();
  });

  it('pages and filters by date window and service code', async () => {
    const ids: string[] = [];
    for (let day = 0; day < 3; day++) {
      clock.set(new Date(START.getTime() + day * 86_400_000));
      const r = await post(specPost({ device_id: `dev-${day}` }));
      ids.push((r.json() as { service_request_id: string }[])[0]!.service_request_id);
    }
    const page = async (q: string) =>
      ((await inject(`${BASE}/requests.json?${q}`)).json() as { service_request_id: string }[]).map(
        (r) => r.service_request_id,
      );
    expect(await page('page_size=2')).toEqual([ids[2], ids[1]]);
    expect(await page('page_size=2&page=2')).toEqual([ids[0]]);
    expect(await page('start_date=2026-12-02T00:00:00Z&end_date=2026-12-02T23:59:59Z')).toEqual([ids[1]]);
    expect(await page('start_date=2026-12-02T07:00:00%2B07:00')).toEqual([ids[2], ids[1]]);
    expect(await page('service_code=kesehatan')).toEqual([]);
    expect(await page(`service_request_id=${ids[0]},${ids[2]}&service_code=kesehatan`)).toEqual([
      ids[2],
      ids[0],
    ]);
  });

  it.each([
    ['a wrong api_key', () => specPost({ api_key: 'salah-salah-salah-salah' }), 403, /api_key/],
    ['no api_key', () => specPost({ api_key: '' }), 403, /api_key/],
    ['no service_code', () => specPost({ service_code: '' }), 400, /service_code/],
    ['an unknown service_code', () => specPost({ service_code: 'graffiti' }), 404, /graffiti/],
    [
      'no location',
      () => specPost({ lat: '', long: '', address_string: '' }),
      400,
      /lat and long, address_string or address_id/,
    ],
    ['half a point', () => specPost({ long: '' }), 400, /together/],
    ['a latitude out of range', () => specPost({ lat: '123' }), 400, /lat/],
    ['no description', () => specPost({ description: '' }), 400, /description/],
    ['an unknown address_id', () => specPost({ address_id: '99.99' }), 400, /address_id/],
    ['a bad privacy', () => specPost({ privacy: 'publik' }), 400, /privacy/],
  ])('answers a POST with %s with the spec error array', async (_name, body, status, message) => {
    const before = await service.db.prisma.report.count();
    const response = await post(body());
    expect(response.statusCode).toBe(status);
    const errors = response.json() as { code: number; description: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(status);
    expect(errors[0]!.description).toMatch(message);
    expect(await service.db.prisma.report.count()).toBe(before);
  });

  it('answers unknown resources, formats and bad filters with the spec error array', async () => {
    const cases: [string, number][] = [
      [`${BASE}/services.xml`, 400],
      [`${BASE}/services/graffiti.json`, 404],
      [`${BASE}/requests/LPR-000-000-001.json`, 404],
      [`${BASE}/requests/nothing.json`, 404],
      [`${BASE}/tokens/00000000-0000-0000-0000-000000000000.json`, 404],
      [`${BASE}/tokens/x.json`, 404],
      [`${BASE}/requests.json?status=pending`, 400],
      [`${BASE}/requests.json?start_date=yesterday`, 400],
      [`${BASE}/requests.json?page_size=0`, 400],
      [`${BASE}/requests.json?start_date=2026-12-03&end_date=2026-12-01`, 400],
      [`${BASE}/nowhere.json`, 404],
    ];
    for (const [url, status] of cases) {
      const response = await inject(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status });
      const body = response.json() as { code: number; description: string }[];
      expect(body[0]?.code).toBe(status);
      expect(body[0]?.description.length).toBeGreaterThan(3);
    }
    const json = await service.app().inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      headers: { 'content-type': 'application/json' },
      payload: '{"api_key":',
    });
    expect(json.statusCode).toBe(400);
    expect((json.json() as { code: number }[])[0]!.code).toBe(400);
  });

  it('accepts a JSON body as well as form fields', async () => {
    const response = await service.app().inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      payload: {
        api_key: API_KEY,
        service_code: 'kependudukan',
        address_id: '33.03',
        description: 'KTP elektronik belum jadi sudah tiga bulan',
      },
    });
    expect(response.statusCode).toBe(201);
    const id = (response.json() as { service_request_id: string }[])[0]!.service_request_id;
    const report = await service.db.prisma.report.findUniqueOrThrow({ where: { trackingId: id } });
    expect(report.agencyCode).toBe('PEMDA-33.03-DISDUKCAPIL');
  });
});
