/**
 * The operators' dashboard at `/dashboard`: reports per day, by category, region and agency;
 * SLA compliance with the list of reports overdue now; the median time to an agency's first
 * response; ratings per agency; archived (junk) counts and quarantined messages when there are
 * any. Filters: date range of filing, region, agency; `export.csv` gives the same selection.
 *
 * Who may see it: a request with `Authorization: Bearer <ADMIN_API_TOKEN>`, or a browser holding
 * the signed session cookie the login form sets (8 hours, HttpOnly, SameSite=Strict, scoped to
 * /dashboard). The check is an onRequest hook of the encapsulated plugin that owns the routes,
 * so it runs on exactly the routes Fastify matched there, whatever the URL spelling.
 *
 * No personal data is shown or exported: no reporter, no description, no free-text place.
 *
 * @example
 * ```ts
 * plugins.push(createDashboard({ db, adminToken: config.http.adminToken, clock }));
 * // curl -H 'authorization: Bearer …' 'http://localhost:3000/dashboard/export.csv?from=2026-12-01'
 * ```
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORY_LABELS, isCategoryId } from '../../dialogs/categories.ts';
import { LaporError } from '../errors.ts';
import { type ReportStatus, STATUS_LABELS } from '../lifecycle/index.ts';
import type { Database } from '../store/database.ts';
import * as dashboardRepo from '../store/repos/dashboard.ts';
import { bearerMatches } from './admin-api.ts';
import { html, type Locale, link, page, pageHeaders, pageLocale, type SafeHtml, withLang } from './html.ts';
import { barChart, columnChart } from './svg-chart.ts';

export const DASHBOARD_PREFIX = '/dashboard';
export const SESSION_COOKIE = 'lapor_dashboard';
const SESSION_HOURS = 8;
/** Without a `from`, the dashboard shows the last 30 days. */
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;
/** WIB is UTC+7 all year: a Jakarta day starts at 17:00 UTC the day before. */
const WIB_MS = 7 * 3_600_000;

/** Messages held back from processing because they could not be handled (issue 12's quarantine). */
export interface QuarantineSource {
  count(): Promise<number>;
  recent(limit: number): Promise<{ at: Date; channel: string; reason: string }[]>;
}

/** Further counts shown when a source exists (junk, duplicates). */
export interface CountSource {
  label: { id: string; en: string };
  count(filter: dashboardRepo.DashboardFilter): Promise<number>;
}

export interface DashboardOptions {
  db: Database;
  /** ADMIN_API_TOKEN: the login secret (never logged). */
  adminToken: string;
  /** DASHBOARD_SESSION_SECRET; by default derived from the admin token (rotating it ends sessions). */
  sessionSecret?: string | null;
  clock?: () => Date;
  quarantine?: QuarantineSource;
  counts?: CountSource[];
}

const T = {
  id: {
    title: 'Dasbor operator',
    login: 'Masuk dasbor',
    tokenLabel: 'Token admin',
    loginButton: 'Masuk',
    loginFailed: 'Token salah. Coba lagi.',
    logout: 'Keluar',
    filters: 'Saring',
    from: 'Dari tanggal',
    to: 'Sampai tanggal',
    region: 'Wilayah',
    allRegions: 'Semua wilayah',
    agency: 'Kode instansi',
    agencyName: 'Instansi',
    agencyHint: 'mis. PEMDA-33.03 (termasuk dinas-dinasnya)',
    apply: 'Terapkan',
    csv: 'Unduh CSV',
    total: 'Laporan',
    onTime: 'Tepat waktu (SLA)',
    onTimeHint: 'laporan yang tidak pernah melewati batas waktu',
    median: 'Median tanggapan pertama',
    overdueNow: 'Terlambat saat ini',
    perDay: 'Laporan per hari',
    byCategory: 'Per kategori',
    byRegion: 'Per wilayah (kabupaten/kota)',
    byAgency: 'Per instansi',
    byStatus: 'Per status',
    overdue: 'Laporan yang melewati batas waktu',
    none: 'Tidak ada.',
    trackingId: 'Nomor',
    dueKind: 'Batas',
    dueAt: 'Jatuh tempo',
    late: 'Terlambat',
    days: 'hari',
    escalated: 'Dieskalasi',
    ratings: 'Penilaian pelapor per instansi',
    rated: 'Dinilai',
    satisfied: 'Puas',
    neutral: 'Cukup',
    unsatisfied: 'Tidak puas',
    average: 'Rata-rata (1–5)',
    reopened: 'Dibuka kembali',
    junk: 'Diarsipkan (spam, duplikat, di luar lingkup)',
    quarantine: 'Pesan dikarantina',
    channel: 'Kanal',
    reason: 'Alasan',
    when: 'Waktu',
    count: 'Jumlah',
    name: 'Nama',
    unplaced: '(belum ditentukan)',
    noData: 'Belum ada laporan pada rentang ini.',
    footer: 'Dasbor internal. Tidak memuat identitas pelapor maupun isi laporan.',
    dueKinds: {
      verification: 'verifikasi',
      response: 'tanggapan instansi',
      citizen_reply: 'jawaban pelapor',
    },
  },
  en: {
    title: 'Operator dashboard',
    login: 'Sign in to the dashboard',
    tokenLabel: 'Admin token',
    loginButton: 'Sign in',
    loginFailed: 'Wrong token. Try again.',
    logout: 'Sign out',
    filters: 'Filter',
    from: 'From',
    to: 'To',
    region: 'Region',
    allRegions: 'All regions',
    agency: 'Agency code',
    agencyName: 'Agency',
    agencyHint: 'e.g. PEMDA-33.03 (with its offices)',
    apply: 'Apply',
    csv: 'Download CSV',
    total: 'Reports',
    onTime: 'On time (SLA)',
    onTimeHint: 'reports that never missed a deadline',
    median: 'Median first response',
    overdueNow: 'Overdue now',
    perDay: 'Reports per day',
    byCategory: 'By category',
    byRegion: 'By region (regency/city)',
    byAgency: 'By agency',
    byStatus: 'By status',
    overdue: 'Reports past their deadline',
    none: 'None.',
    trackingId: 'ID',
    dueKind: 'Deadline',
    dueAt: 'Due',
    late: 'Late',
    days: 'days',
    escalated: 'Escalated',
    ratings: 'Reporters’ ratings per agency',
    rated: 'Rated',
    satisfied: 'Satisfied',
    neutral: 'Fair',
    unsatisfied: 'Not satisfied',
    average: 'Average (1–5)',
    reopened: 'Reopened',
    junk: 'Archived (spam, duplicates, out of scope)',
    quarantine: 'Quarantined messages',
    channel: 'Channel',
    reason: 'Reason',
    when: 'When',
    count: 'Count',
    name: 'Name',
    unplaced: '(not placed)',
    noData: 'No reports in this range.',
    footer: 'Internal dashboard. Holds neither reporters’ identities nor what they wrote.',
    dueKinds: {
      verification: 'verification',
      response: 'agency response',
      citizen_reply: 'reporter’s reply',
    },
  },
} as const;

const DASHBOARD_CSS = `
header,main,footer{max-width:80rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid #d1d5db;border-radius:.5rem;padding:.5rem .75rem}
.card .value{font-size:1.6rem;font-weight:700;display:block}
.card .hint{font-size:.8rem;color:#4b5563}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem}
svg.chart{max-width:100%;height:auto;display:block}
header form{margin:0}
header button{background:#fff;color:#1d4ed8}
`;

function ymd(date: Date): string {
  return new Date(date.getTime() + WIB_MS).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` Jakarta day to its first instant. */
function startOfDay(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) ? null : new Date(d.getTime() - WIB_MS);
}

interface Query {
  from?: string;
  to?: string;
  region?: string;
  agency?: string;
  lang?: string;
}

interface Parsed {
  filter: dashboardRepo.DashboardFilter;
  form: { from: string; to: string; region: string; agency: string };
}

function parseFilter(query: Query, now: Date): Parsed {
  const to = query.to ? startOfDay(query.to) : null;
  const from = query.from ? startOfDay(query.from) : null;
  if (query.to && !to) throw new LaporError('LAPOR_ERR_BAD_REQUEST', 'to: expected a date YYYY-MM-DD');
  if (query.from && !from) throw new LaporError('LAPOR_ERR_BAD_REQUEST', 'from: expected a date YYYY-MM-DD');
  const end = to ? new Date(to.getTime() + DAY_MS) : new Date(startOfDay(ymd(now))!.getTime() + DAY_MS);
  const start = from ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start >= end) throw new LaporError('LAPOR_ERR_BAD_REQUEST', 'from: must be before to');
  const region = (query.region ?? '').trim();
  if (region && !/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(region))
    throw new LaporError('LAPOR_ERR_BAD_REQUEST', 'region: expected a Kemendagri code such as 33 or 33.03');
  const agency = (query.agency ?? '').trim().toUpperCase();
  if (agency && !/^[A-Z0-9][A-Z0-9._-]{1,63}$/.test(agency))
    throw new LaporError('LAPOR_ERR_BAD_REQUEST', 'agency: expected an agency code such as PEMDA-33.03');
  return {
    filter: {
      from: start,
      to: end,
      ...(region ? { regionCode: region } : {}),
      ...(agency ? { agencyCode: agency } : {}),
    },
    form: { from: ymd(start), to: ymd(new Date(end.getTime() - 1)), region, agency },
  };
}

const QUERY_SCHEMA = {
  type: 'object',
  properties: {
    from: { type: 'string', maxLength: 10 },
    to: { type: 'string', maxLength: 10 },
    region: { type: 'string', maxLength: 16 },
    agency: { type: 'string', maxLength: 64 },
    lang: { type: 'string', maxLength: 5 },
  },
} as const;

function categoryLabel(key: string, locale: Locale): string {
  return isCategoryId(key) ? CATEGORY_LABELS[key][locale] : key;
}

function duration(seconds: number | null, locale: Locale): string {
  if (seconds === null) return '–';
  const hours = seconds / 3600;
  if (hours < 48) return `${hours.toFixed(1)} ${locale === 'id' ? 'jam' : 'h'}`;
  return `${(hours / 24).toFixed(1)} ${locale === 'id' ? 'hari' : 'days'}`;
}

function countTable(rows: dashboardRepo.Count[], t: (typeof T)[Locale], caption: string): SafeHtml {
  return html`<table><caption class="visually-hidden">${caption}</caption><thead><tr><th scope="col">${t.name}</th><th scope="col" class="num">${t.count}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.label}</td><td class="num">${r.n}</td></tr>`)}</tbody></table>`;
}

/** The dashboard plugin (registers itself under {@link DASHBOARD_PREFIX}). */
export function createDashboard(options: DashboardOptions): FastifyPluginAsync {
  const { db, adminToken } = options;
  if (!adminToken) throw new LaporError('LAPOR_ERR_CONFIG', 'ADMIN_API_TOKEN: required for the dashboard');
  const clock = options.clock ?? (() => new Date());
  const secret =
    options.sessionSecret ?? createHmac('sha256', adminToken).update('lapor dashboard session').digest('hex');

  function tokenMatches(given: unknown): boolean {
    if (typeof given !== 'string' || !given) return false;
    const a = createHmac('sha256', secret).update(given).digest();
    const b = createHmac('sha256', secret).update(adminToken).digest();
    return timingSafeEqual(a, b);
  }

  function hasSession(request: FastifyRequest): boolean {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return false;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return false;
    const expires = Number(unsigned.value);
    return Number.isFinite(expires) && expires > Date.now();
  }

  function send(reply: FastifyReply, status: number, body: string) {
    return pageHeaders(reply, { private: true }).code(status).send(body);
  }

  /** Where to go after signing in: a dashboard URL the guard sent us from, nothing else. */
  function nextOf(request: FastifyRequest): string {
    const q = request.query as { next?: unknown } | undefined;
    const b = request.body as { next?: unknown } | undefined;
    const next = typeof b?.next === 'string' ? b.next : typeof q?.next === 'string' ? q.next : '';
    return /^\/dashboard(?:[/?]|$)/.test(next) && !next.includes('//') ? next : '';
  }

  function loginPage(request: FastifyRequest, reply: FastifyReply, failed: boolean) {
    const locale = pageLocale(request);
    const t = T[locale];
    const next = nextOf(request);
    const body = html`<h1>${t.login}</h1>
${failed ? html`<p class="error" role="alert">${t.loginFailed}</p>` : ''}
<form method="post" action="${link(`${DASHBOARD_PREFIX}/login`, locale)}">
<p><label for="token">${t.tokenLabel}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512"></p>
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
<button type="submit">${t.loginButton}</button>
</form>`;
    return send(
      reply,
      failed ? 401 : 200,
      page({
        locale,
        title: t.login,
        body,
        otherLanguage: withLang(request, locale === 'id' ? 'en' : 'id'),
        footer: t.footer,
        home: link(DASHBOARD_PREFIX, locale),
      }),
    );
  }

  const open: FastifyPluginAsync = async (fastify) => {
    await fastify.register(formbody, { bodyLimit: 4096 });
    fastify.get('/login', async (request, reply) => loginPage(request, reply, false));
    fastify.post<{ Body: { token?: string } }>('/login', async (request, reply) => {
      const body = (request.body ?? {}) as { token?: unknown };
      if (!tokenMatches(body.token)) {
        request.log.warn('dashboard login refused');
        return loginPage(request, reply, true);
      }
      const expires = Date.now() + SESSION_HOURS * 3_600_000;
      reply.setCookie(SESSION_COOKIE, String(expires), {
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: DASHBOARD_PREFIX,
        maxAge: SESSION_HOURS * 3600,
      });
      return reply.redirect(nextOf(request) || link(DASHBOARD_PREFIX, pageLocale(request)), 303);
    });
    fastify.post('/logout', async (request, reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: DASHBOARD_PREFIX });
      return reply.redirect(link(`${DASHBOARD_PREFIX}/login`, pageLocale(request)), 303);
    });
  };

  const guarded: FastifyPluginAsync = async (fastify) => {
    fastify.addHook('onRequest', async (request, reply) => {
      if (bearerMatches(request.headers.authorization, adminToken) || hasSession(request)) return;
      if (request.method === 'GET' && !request.headers.authorization) {
        const login = link(`${DASHBOARD_PREFIX}/login`, pageLocale(request));
        const back =
          request.url === DASHBOARD_PREFIX
            ? ''
            : `${login.includes('?') ? '&' : '?'}next=${encodeURIComponent(request.url)}`;
        return reply.redirect(`${login}${back}`, 303);
      }
      throw new LaporError('LAPOR_ERR_UNAUTHORIZED', 'Missing or invalid bearer token or session');
    });

    fastify.get<{ Querystring: Query }>(
      '/',
      { schema: { querystring: QUERY_SCHEMA } },
      async (request, reply) => {
        const locale = pageLocale(request);
        const t = T[locale];
        const now = clock();
        const { filter, form } = parseFilter(request.query, now);
        const { figures, overdue, provinces } = await db.prisma.$transaction(async (tx) => ({
          figures: await dashboardRepo.dashboardFigures(tx, filter),
          overdue: await dashboardRepo.overdueNow(tx, filter, now),
          provinces: await dashboardRepo.listProvinces(tx),
        }));
        const extra = await Promise.all(
          (options.counts ?? []).map(async (c) => ({ label: c.label[locale], n: await c.count(filter) })),
        );
        const quarantinedCount = options.quarantine ? await options.quarantine.count() : 0;
        const quarantine =
          options.quarantine && quarantinedCount > 0
            ? { count: quarantinedCount, recent: await options.quarantine.recent(20) }
            : null;

        const onTime = figures.total ? ((figures.total - figures.escalated) / figures.total) * 100 : null;
        const query = new URLSearchParams({
          from: form.from,
          to: form.to,
          ...(form.region ? { region: form.region } : {}),
          ...(form.agency ? { agency: form.agency } : {}),
          ...(locale === 'en' ? { lang: 'en' } : {}),
        });
        const category = figures.byCategory.map((c) => ({ ...c, label: categoryLabel(c.key, locale) }));
        const region = figures.byRegion.map((c) => ({ ...c, label: c.key ? c.label : t.unplaced }));
        const status = figures.byStatus.map((c) => ({
          ...c,
          label: STATUS_LABELS[c.key as ReportStatus]?.[locale] ?? c.key,
        }));
        const chartOf = (title: string, rows: dashboardRepo.Count[]) =>
          html`<section><h2>${title}</h2>${rows.length ? barChart({ title, data: rows.map((r) => ({ label: r.label, value: r.n })) }) : ''}
${countTable(rows, t, title)}</section>`;
        const dueKind = (kind: string | null) =>
          kind ? ((t.dueKinds as Record<string, string>)[kind] ?? kind) : '–';

        const body = html`<h1>${t.title}</h1>
<form class="inline" method="get" action="${DASHBOARD_PREFIX}" aria-label="${t.filters}">
<div><label for="from">${t.from}</label><input id="from" name="from" type="date" value="${form.from}"></div>
<div><label for="to">${t.to}</label><input id="to" name="to" type="date" value="${form.to}"></div>
<div><label for="region">${t.region}</label><select id="region" name="region">
<option value="">${t.allRegions}</option>
${provinces.map((p) => html`<option value="${p.code}"${p.code === form.region ? html` selected` : ''}>${p.name}</option>`)}
${form.region && !provinces.some((p) => p.code === form.region) ? html`<option value="${form.region}" selected>${form.region}</option>` : ''}
</select></div>
<div><label for="agency">${t.agency}</label><input id="agency" name="agency" value="${form.agency}" aria-describedby="agency-hint" maxlength="64"><span id="agency-hint" class="visually-hidden">${t.agencyHint}</span></div>
${locale === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${t.apply}</button>
<a href="${DASHBOARD_PREFIX}/export.csv?${query.toString()}">${t.csv}</a>
</form>
<div class="cards">
<p class="card"><span class="value" id="total">${figures.total}</span>${t.total}</p>
<p class="card"><span class="value" id="on-time">${onTime === null ? '–' : `${onTime.toFixed(1)} %`}</span>${t.onTime}<br><span class="hint">${t.onTimeHint}</span></p>
<p class="card"><span class="value" id="median-first-response">${duration(figures.firstResponse.medianSeconds, locale)}</span>${t.median}<br><span class="hint">n = ${figures.firstResponse.responded}</span></p>
<p class="card"><span class="value" id="overdue-now">${overdue.total}</span>${t.overdueNow}</p>
</div>
${figures.total === 0 ? html`<p class="notice">${t.noData}</p>` : ''}
<section><h2>${t.perDay}</h2>${columnChart({ title: t.perDay, data: figures.perDay.map((d) => ({ label: d.day, value: d.n })) })}</section>
<div class="grid">
${chartOf(t.byCategory, category)}
${chartOf(t.byRegion, region)}
${chartOf(t.byAgency, figures.byAgency)}
${chartOf(t.byStatus, status)}
</div>
<section id="overdue"><h2>${t.overdue} (${overdue.total})</h2>
${
  overdue.rows.length
    ? html`<table><thead><tr><th scope="col">${t.trackingId}</th><th scope="col">${t.agencyName}</th><th scope="col">${t.dueKind}</th><th scope="col">${t.dueAt}</th><th scope="col" class="num">${t.late}</th><th scope="col">${t.escalated}</th></tr></thead><tbody>
${overdue.rows.map(
  (r) =>
    html`<tr><td><a href="${link(`/laporan/${r.trackingId}`, locale)}">${r.trackingId}</a></td><td>${r.agencyName}</td><td>${dueKind(r.dueKind)}</td><td>${ymd(r.dueAt)}</td><td class="num">${Math.max(1, Math.ceil((now.getTime() - r.dueAt.getTime()) / DAY_MS))} ${t.days}</td><td>${r.escalatedAt ? ymd(r.escalatedAt) : '–'}</td></tr>`,
)}</tbody></table>`
    : html`<p>${t.none}</p>`
}</section>
${
  figures.ratings.length
    ? html`<section id="ratings"><h2>${t.ratings}</h2><table><thead><tr><th scope="col">${t.agencyName}</th><th scope="col" class="num">${t.rated}</th><th scope="col" class="num">${t.satisfied}</th><th scope="col" class="num">${t.neutral}</th><th scope="col" class="num">${t.unsatisfied}</th><th scope="col" class="num">${t.average}</th><th scope="col" class="num">${t.reopened}</th></tr></thead><tbody>
${figures.ratings.map(
  (r) =>
    html`<tr><td>${r.agencyName}</td><td class="num">${r.rated}</td><td class="num">${r.satisfied}</td><td class="num">${r.neutral}</td><td class="num">${r.unsatisfied}</td><td class="num">${r.average === null ? '–' : r.average.toFixed(2)}</td><td class="num">${r.reopened}</td></tr>`,
)}</tbody></table></section>`
    : ''
}
${
  figures.archived || extra.length
    ? html`<section id="junk"><h2>${t.junk}</h2><table><tbody>
<tr><th scope="row">${t.junk}</th><td class="num">${figures.archived}</td></tr>
${extra.map((e) => html`<tr><th scope="row">${e.label}</th><td class="num">${e.n}</td></tr>`)}
</tbody></table></section>`
    : ''
}
${
  quarantine
    ? html`<section id="quarantine"><h2>${t.quarantine} (${quarantine.count})</h2>${
        quarantine.recent.length
          ? html`<table><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.channel}</th><th scope="col">${t.reason}</th></tr></thead><tbody>
${quarantine.recent.map((q) => html`<tr><td>${q.at.toISOString()}</td><td>${q.channel}</td><td>${q.reason}</td></tr>`)}</tbody></table>`
          : html`<p>${t.none}</p>`
      }</section>`
    : ''
}`;
        return send(
          reply,
          200,
          page({
            locale,
            title: t.title,
            body,
            otherLanguage: withLang(request, locale === 'id' ? 'en' : 'id'),
            css: DASHBOARD_CSS,
            footer: t.footer,
            home: link(DASHBOARD_PREFIX, locale),
          }).replace(
            '</header>',
            html`<form method="post" action="${link(`${DASHBOARD_PREFIX}/logout`, locale)}"><button type="submit">${t.logout}</button></form></header>`
              .value,
          ),
        );
      },
    );

    fastify.get<{ Querystring: Query }>(
      '/export.csv',
      { schema: { querystring: QUERY_SCHEMA } },
      async (request, reply) => {
        const { filter, form } = parseFilter(request.query, clock());
        const rows = await db.prisma.$transaction((tx) => dashboardRepo.exportRows(tx, filter));
        const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '');
        // Spreadsheet formula injection: a cell must not start with = + - @ (none of ours should).
        const cell = (v: string | null) => (v && /^[=+\-@]/.test(v) ? `'${v}` : (v ?? ''));
        const csv = stringify(
          rows.map((r) => [
            r.tracking_id,
            iso(r.created_at),
            r.category,
            r.type,
            cell(r.region_code),
            cell(r.agency_code),
            cell(r.agency_name),
            r.status,
            r.due_kind ?? '',
            iso(r.due_at),
            iso(r.closed_at),
            iso(r.first_response_at),
            String(r.escalations),
          ]),
          {
            header: true,
            columns: [
              'tracking_id',
              'created_at',
              'category',
              'type',
              'region_code',
              'agency_code',
              'agency_name',
              'status',
              'due_kind',
              'due_at',
              'closed_at',
              'first_response_at',
              'escalations',
            ],
          },
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="lapor-${form.from}-${form.to}.csv"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  };

  return async (fastify) => {
    await fastify.register(cookie, { secret });
    await fastify.register(open, { prefix: DASHBOARD_PREFIX });
    await fastify.register(guarded, { prefix: DASHBOARD_PREFIX });
  };
}
