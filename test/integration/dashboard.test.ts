/**
 * The operator dashboard and /metrics on real databases: who may see them (bearer token or the
 * signed session cookie from the login form, on the matched routes only), the figures they show
 * for a known set of reports, the filters, and the CSV export without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { DB_KINDS, openTestDatabase, type TestDatabase } from '../support/db.ts';
import { act, fileTestReport } from '../support/reports.ts';
import { createTestService, testClock } from '../support/service.ts';

/** Tuesday 1 December 2026, 09:00 WIB. */
const START = new Date('2026-12-01T02:00:00Z');
const HOUR = 3_600_000;
const TOKEN = 'admin-token-for-dashboard-tests-0001';
const METRICS_TOKEN = 'metrics-token-for-tests-0001';
const DISDUKCAPIL = 'PEMDA-33.03-DISDUKCAPIL';
const SECRET_WORDS = 'Rahasia pribadi Ibu Sumarni 081299998888';

describe.each(DB_KINDS)('operator dashboard on %s', (kind) => {
  // One set of reports for every test here (no reset between them): the tests only read.
  let handle: TestDatabase;
  const clock = testClock(START);
  let service: Service;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    service = await createTestService(handle, {
      clock: clock.now,
      env: { ADMIN_API_TOKEN: TOKEN, METRICS_TOKEN },
    });
    await service.start({ listen: false });
    // Three reports in Purbalingga on 1 Dec, one in Kota Bandung on 2 Dec, one to archive.
    const ktp = await fileTestReport(service, {
      category: 'kependudukan',
      place: 'Kec. Kemangkon, Kab. Purbalingga',
      description: SECRET_WORDS,
    });
    const road = await fileTestReport(service, { category: 'pekerjaan_umum', place: 'Kab. Purbalingga' });
    const late = await fileTestReport(service, {
      category: 'pekerjaan_umum',
      place: 'Kec. Bukateja, Purbalingga',
    });
    clock.set(new Date(START.getTime() + 24 * HOUR));
    const bandung = await fileTestReport(service, { category: 'kesehatan', place: 'Kota Bandung' });
    Object.assign(ids, { ktp: ktp.id, road: road.id, late: late.id, bandung: bandung.id });
    // The KTP office answers after 2 hours of its day, the road office after 26 hours.
    clock.set(new Date(START.getTime() + 2 * HOUR));
    await act(
      service,
      ktp.id,
      { role: 'officer', id: 'U1', agencyCode: DISDUKCAPIL },
      {
        type: 'reply',
        text: 'Mohon datang ke kantor kecamatan',
      },
    );
    clock.set(new Date(START.getTime() + 26 * HOUR));
    await act(
      service,
      road.id,
      { role: 'officer', id: 'U2', agencyCode: road.agencyCode },
      {
        type: 'resolve',
        text: 'Sudah ditambal',
      },
    );
    // On Thursday 10 December the third Purbalingga report (due 8 Dec) and the Bandung one (due
    // 9 Dec) were never answered: overdue and escalated.
    clock.set(new Date('2026-12-10T02:00:00Z'));
    await service.tickSla();
  });
  afterAll(async () => {
    await service?.stop();
    await handle?.dispose();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    service.app().inject({ method: 'GET', url, headers });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('sends a browser without a session to the login form, and refuses a wrong token', async () => {
    const anonymous = await get('/dashboard');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/dashboard/login');
    const trailing = await get('/dashboard/?lang=en');
    expect(trailing.statusCode).toBe(303);
    expect(trailing.headers.location).toBe('/dashboard/login?lang=en&next=%2Fdashboard%2F%3Flang%3Den');
    // After signing in, the browser goes back where it was sent from (a dashboard URL only).
    const back = await service.app().inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${TOKEN}&next=${encodeURIComponent('/dashboard?region=32')}`,
    });
    expect(back.headers.location).toBe('/dashboard?region=32');
    const away = await service.app().inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${TOKEN}&next=${encodeURIComponent('//evil.example/dashboard')}`,
    });
    expect(away.headers.location).toBe('/dashboard');
    expect((await get('/dashboard/export.csv', { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    const wrong = await service.app().inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=wrong-token',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('Token salah');
    // Not served under other spellings: the guard is on the matched routes, nothing else answers.
    expect((await get('/DASHBOARD', bearer)).statusCode).toBe(404);
    expect((await get('/dashboard/../dashboard')).statusCode).not.toBe(200);
  });

  it('logs in with the admin token and keeps a signed session that cannot be forged', async () => {
    const login = await service.app().inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${encodeURIComponent(TOKEN)}`,
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/dashboard');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/lapor_dashboard=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/dashboard/);
    const cookie = setCookie.split(';')[0]!;
    const page = await get('/dashboard', { cookie });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    // A cookie with another expiry but the old signature is refused.
    const [name, value] = cookie.split('=');
    const forged = `${name}=${String(Date.now() + 10 * 24 * HOUR)}${value!.slice(value!.indexOf('.'))}`;
    expect((await get('/dashboard', { cookie: forged })).statusCode).toBe(303);
    const logout = await service
      .app()
      .inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers['set-cookie'])).toMatch(/lapor_dashboard=;/);
  });

  it('shows counts, SLA compliance, the overdue list and the median first response', async () => {
    const page = await get('/dashboard?from=2026-12-01&to=2026-12-02', bearer);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toMatch(/id="total">4</);
    // Two of four reports were escalated: 50 % on time.
    expect(body).toMatch(/id="on-time">50\.0 %</);
    expect(body).toMatch(/id="overdue-now">2</);
    // First responses after 2 h and 26 h: median 14 h.
    expect(body).toMatch(/id="median-first-response">14\.0 jam</);
    expect(body).toContain('Pemerintah Kabupaten Purbalingga');
    expect(body).toContain('Kependudukan dan Catatan Sipil');
    expect(body).toMatch(/<svg role="img"/);
    const late = await service.db.prisma.report.findUniqueOrThrow({ where: { id: ids.late! } });
    expect(body).toContain(late.trackingId);
    expect(body).not.toContain(SECRET_WORDS);
    expect(body).not.toContain('Warga Uji');
  });

  it('filters by region, agency and date, and rejects a malformed filter', async () => {
    const bandung = await get('/dashboard?from=2026-12-01&to=2026-12-31&region=32', bearer);
    expect(bandung.body).toMatch(/id="total">1</);
    const agency = await get('/dashboard?from=2026-12-01&to=2026-12-31&agency=PEMDA-33.03', bearer);
    expect(agency.body).toMatch(/id="total">3</);
    const firstDay = await get('/dashboard?from=2026-12-01&to=2026-12-01', bearer);
    expect(firstDay.body).toMatch(/id="total">3</);
    const none = await get('/dashboard?from=2026-11-01&to=2026-11-02&lang=en', bearer);
    expect(none.body).toMatch(/id="total">0</);
    expect(none.body).toContain('No reports in this range.');
    for (const q of [
      'from=yesterday',
      'region=jateng',
      'agency=%3Cscript%3E',
      'from=2026-12-05&to=2026-12-01',
    ])
      expect((await get(`/dashboard?${q}`, bearer)).statusCode).toBe(400);
  });

  it('exports the selection as CSV without personal data', async () => {
    const csv = await get('/dashboard/export.csv?from=2026-12-01&to=2026-12-02&region=33.03', bearer);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="lapor-2026-12-01-2026-12-02.csv"');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'tracking_id,created_at,category,type,region_code,agency_code,agency_name,status,due_kind,due_at,closed_at,first_response_at,escalations',
    );
    expect(lines).toHaveLength(4);
    const ktp = await service.db.prisma.report.findUniqueOrThrow({ where: { id: ids.ktp! } });
    const row = lines.find((l) => l.startsWith(ktp.trackingId))!;
    expect(row).toContain(',kependudukan,pengaduan,33.03.01,PEMDA-33.03-DISDUKCAPIL,');
    expect(row).toContain(',ditindaklanjuti,');
    expect(row).toContain(new Date(START.getTime() + 2 * HOUR).toISOString());
    expect(csv.body).not.toMatch(/Sumarni|0812|Warga/);
  });

  it('serves /metrics in Prometheus form to a scraper with the token only', async () => {
    expect((await get('/metrics')).statusCode).toBe(401);
    expect((await get('/metrics', bearer)).statusCode).toBe(401);
    const metrics = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    // Two reports are overdue; every notice to the API reporters went out.
    expect(metrics.body).toMatch(/^lapor_reports_overdue 2$/m);
    expect(metrics.body).toMatch(/^lapor_outbox_backlog\{status="pending"\} 0$/m);
    expect(metrics.body).toMatch(/^lapor_messages_out_total\{channel="open311",result="sent"\} \d+$/m);
    expect(metrics.body).toContain('# TYPE lapor_inbound_processing_seconds histogram');
  });
});
