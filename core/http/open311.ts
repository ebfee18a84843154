/**
 * Open311 GeoReport v2 at `/open311/v2` (JSON only), so city apps and aggregators can list,
 * read and file reports:
 *
 * - `GET  services.json`                 every report category as a service
 * - `GET  services/<service_code>.json`  one service's definition (no extra attributes)
 * - `GET  requests.json`                 filters `service_request_id`, `service_code`, `status`,
 *                                        `start_date`, `end_date`; paging `page`, `page_size`
 * - `GET  requests/<id>.json`            one report by tracking ID
 * - `POST requests.json`                 files a report (needs `api_key`; form or JSON body)
 * - `GET  tokens/<token>.json`           the tracking ID behind a token
 *
 * Errors come back as the spec's array, `[{ "code": 400, "description": "…" }]`, with that HTTP
 * status. A report is shown through core/public/report-view.ts: no reporter, no free text
 * (so `description` is null), confidential reports only to kabupaten/kota and without a point.
 * Status is `open` or `closed` (selesai, diarsipkan), with the lifecycle status in `status_notes`.
 * `lang=en` gives English names and notes. Deviations are listed in the README.
 *
 * @example
 * ```ts
 * plugins.push(createOpen311({ ctx, apiKeys: config.open311.apiKeys, gazetteer }));
 * // curl -d api_key=… -d service_code=pekerjaan_umum -d 'address_string=Kemangkon, Purbalingga' \
 * //   -d 'description=Jalan berlubang …' http://localhost:3000/open311/v2/requests.json
 * ```
 */
import { timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORY_IDS, CATEGORY_LABELS, isCategoryId } from '../../dialogs/categories.ts';
import type { Gazetteer } from '../../dialogs/gazetteer/index.ts';
import { formatDate } from '../../dialogs/texts.ts';
import type { Locale } from '../../dialogs/types.ts';
import { fileApiReport, shortHash } from '../intake/api-intake.ts';
import { REPORT_STATUSES, type ReportStatus, TERMINAL_STATUSES } from '../lifecycle/index.ts';
import { type PublicReportView, publicReportView } from '../public/report-view.ts';
import type { CoreContext } from '../reports/context.ts';
import * as publicReports from '../store/repos/public-reports.ts';
import { normalizeTrackingId } from '../tracking-id/index.ts';

export const OPEN311_PREFIX = '/open311/v2';

export interface Open311Options {
  ctx: CoreContext;
  /** OPEN311_API_KEYS: keys allowed to POST. Empty: every POST is refused. */
  apiKeys: string[];
  /** Places an `address_string` or `address_id` (Kemendagri code). */
  gazetteer: Pick<Gazetteer, 'find' | 'get'>;
}

/** An error the spec's way: HTTP status and description, sent as `[{ code, description }]`. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    description: string,
  ) {
    super(description);
  }
}

const CLOSED: readonly ReportStatus[] = [...TERMINAL_STATUSES];
const OPEN: readonly ReportStatus[] = REPORT_STATUSES.filter((s) => !TERMINAL_STATUSES.has(s));

/** Default and largest page (the spec's "up to 1000" as the ceiling). */
const PAGE_SIZE = { default: 100, max: 1000 };
/** Without dates, the spec's default window: the last 90 days. */
const DEFAULT_WINDOW_MS = 90 * 86_400_000;

const SERVICE_GROUPS: Partial<Record<string, string>> = {
  pekerjaan_umum: 'infrastruktur',
  perhubungan: 'infrastruktur',
  air_bersih: 'infrastruktur',
  energi_listrik: 'infrastruktur',
  tik: 'infrastruktur',
  kependudukan: 'administrasi',
  ekonomi_keuangan: 'administrasi',
  kesehatan: 'kesejahteraan',
  jaminan_sosial: 'kesejahteraan',
  sosial: 'kesejahteraan',
  pendidikan: 'kesejahteraan',
  ketenagakerjaan: 'kesejahteraan',
  lingkungan_hidup: 'lingkungan',
  pertanian: 'lingkungan',
  ketertiban_umum: 'ketertiban',
  hukum_kepolisian: 'ketertiban',
  perlindungan_konsumen: 'ketertiban',
  agama: 'lainnya',
  lainnya: 'lainnya',
};

function localeOf(request: FastifyRequest): Locale {
  const q = request.query as { lang?: unknown } | undefined;
  return q?.lang === 'en' ? 'en' : 'id';
}

/** `name.json` -> `name`; another format is refused (XML is optional in practice and not offered). */
function stripFormat(file: string): string {
  const match = /^(.+)\.([a-z]+)$/i.exec(file);
  if (!match?.[1] || !match[2]) throw new Open311Error(400, 'Append the format to the resource: .json');
  if (match[2].toLowerCase() !== 'json') throw new Open311Error(400, 'Only the json format is supported');
  return match[1];
}

function service(code: string, locale: Locale) {
  const labels = isCategoryId(code) ? CATEGORY_LABELS[code] : { id: code, en: code };
  return {
    service_code: code,
    service_name: labels[locale],
    description: locale === 'id' ? labels.en : labels.id,
    metadata: false,
    type: 'realtime',
    keywords: code.replace(/_/g, ', '),
    group: SERVICE_GROUPS[code] ?? 'lainnya',
  };
}

function toRequest(view: PublicReportView, locale: Locale) {
  return {
    service_request_id: view.trackingId,
    status: view.closed ? 'closed' : 'open',
    status_notes: view.statusLabel,
    service_name: view.categoryLabel,
    service_code: view.category,
    description: null,
    agency_responsible: view.agencyName,
    service_notice: view.due ? `${view.due.label} ${formatDate(locale, view.due.at)}` : null,
    requested_datetime: view.filedAt.toISOString(),
    updated_datetime: view.updatedAt.toISOString(),
    expected_datetime: view.due?.at.toISOString() ?? null,
    address: view.region?.name ?? null,
    address_id: view.region?.code ?? null,
    zipcode: null,
    lat: view.point?.lat ?? null,
    long: view.point?.lon ?? null,
    media_url: null,
  };
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Open311Error(400, 'Repeated parameters: use one comma-separated value');
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function dateParam(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === '') return undefined;
  // w3c datetime with a time zone (the spec requires one), or a plain date (taken as UTC midnight).
  const ok =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const date = ok ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new Open311Error(400, `${name} must be a w3c datetime such as 2026-12-01T09:00:00+07:00`);
  return date;
}

function intParam(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new Open311Error(400, `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function text(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new Open311Error(400, `${name} must be a single value`);
  const s = String(value).trim();
  if (s.length > max) throw new Open311Error(400, `${name} is longer than ${max} characters`);
  return s || undefined;
}

function coordinate(body: Record<string, unknown>, name: 'lat' | 'long'): number | undefined {
  const raw = text(body, name, 32);
  if (raw === undefined) return undefined;
  const n = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  const limit = name === 'lat' ? 90 : 180;
  if (!(Math.abs(n) <= limit))
    throw new Open311Error(400, `${name} must be a decimal degree within ±${limit}`);
  return n;
}

/** The Open311 plugin; registers itself under {@link OPEN311_PREFIX}. */
export function createOpen311(options: Open311Options): FastifyPluginAsync {
  const { ctx, gazetteer } = options;
  const db = ctx.db;
  const keys = options.apiKeys.map((k) => Buffer.from(shortHash(k, 64)));

  function keyId(apiKey: unknown): string | null {
    if (typeof apiKey !== 'string' || !apiKey) return null;
    const given = Buffer.from(shortHash(apiKey, 64));
    let match = false;
    for (const key of keys) match = timingSafeEqual(given, key) || match;
    return match ? shortHash(apiKey, 8) : null;
  }

  async function views(rows: publicReports.PublicReportRow[], locale: Locale) {
    return db.prisma.$transaction(async (tx) => {
      const out = [];
      for (const row of rows)
        out.push(publicReportView(row, await publicReports.listPublicEvents(tx, row.id), locale));
      return out;
    });
  }

  const routes: FastifyPluginAsync = async (fastify) => {
    await fastify.register(formbody, { bodyLimit: 64 * 1024 });

    fastify.setErrorHandler((error, request, reply: FastifyReply) => {
      if (error instanceof Open311Error)
        return reply.code(error.status).send([{ code: error.status, description: error.message }]);
      const fe = error as { statusCode?: number; message: string };
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
        return reply.code(fe.statusCode).send([{ code: fe.statusCode, description: fe.message }]);
      request.log.error({ err: error }, 'open311 request failed');
      return reply.code(500).send([{ code: 500, description: 'Internal error' }]);
    });
    fastify.setNotFoundHandler((request, reply) =>
      reply
        .code(404)
        .send([{ code: 404, description: `No resource ${request.method} ${request.url.split('?')[0]}` }]),
    );

    fastify.get('/services.:format', async (request) => {
      stripFormat(`services.${(request.params as { format: string }).format}`);
      const locale = localeOf(request);
      return CATEGORY_IDS.map((code) => service(code, locale));
    });

    fastify.get<{ Params: { file: string } }>('/services/:file', async (request) => {
      const code = stripFormat(request.params.file);
      if (!isCategoryId(code)) throw new Open311Error(404, `service_code ${code} not found`);
      return { service_code: code, attributes: [] };
    });

    fastify.get('/requests.:format', async (request) => {
      stripFormat(`requests.${(request.params as { format: string }).format}`);
      const q = request.query as Record<string, unknown>;
      const locale = localeOf(request);
      const ids = list(q.service_request_id);
      const limit = intParam('page_size', q.page_size, PAGE_SIZE.default, 1, PAGE_SIZE.max);
      const pageNo = intParam('page', q.page, 1, 1, 100_000);
      let filter: publicReports.PublicReportFilter;
      if (ids) {
        // The spec: with service_request_id, every other parameter is ignored.
        filter = { trackingIds: ids.map((id) => normalizeTrackingId(id)).filter((id): id is string => !!id) };
        if (!filter.trackingIds?.length) return [];
      } else {
        const codes = list(q.service_code);
        const statuses = list(q.status)?.map((s) => s.toLowerCase());
        for (const s of statuses ?? [])
          if (s !== 'open' && s !== 'closed') throw new Open311Error(400, 'status must be open or closed');
        let from = dateParam('start_date', q.start_date);
        const to = dateParam('end_date', q.end_date);
        if (from && to && from > to) throw new Open311Error(400, 'start_date is after end_date');
        if (!from && !to) from = new Date(ctx.clock().getTime() - DEFAULT_WINDOW_MS);
        filter = {
          ...(codes ? { categories: codes } : {}),
          ...(statuses && statuses.length < 2
            ? { statuses: [...(statuses[0] === 'closed' ? CLOSED : OPEN)] }
            : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        };
      }
      const { rows } = await db.prisma.$transaction((tx) =>
        publicReports.listPublicReports(tx, filter, { offset: (pageNo - 1) * limit, limit }),
      );
      return (await views(rows, locale)).map((v) => toRequest(v, locale));
    });

    fastify.get<{ Params: { file: string } }>('/requests/:file', async (request) => {
      const raw = stripFormat(request.params.file);
      const id = normalizeTrackingId(raw);
      const row = id ? await db.prisma.$transaction((tx) => publicReports.findPublicReport(tx, id)) : null;
      if (!row) throw new Open311Error(404, `service_request_id ${raw.slice(0, 40)} not found`);
      const locale = localeOf(request);
      return (await views([row], locale)).map((v) => toRequest(v, locale));
    });

    fastify.get<{ Params: { file: string } }>('/tokens/:file', async (request) => {
      const token = stripFormat(request.params.file);
      const row = await db.prisma.$transaction((tx) => publicReports.findPublicReportById(tx, token));
      if (!row) throw new Open311Error(404, `token ${token.slice(0, 40)} not found`);
      return [{ service_request_id: row.trackingId, token }];
    });

    fastify.post('/requests.:format', async (request, reply) => {
      stripFormat(`requests.${(request.params as { format: string }).format}`);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body))
        throw new Open311Error(400, 'Send the request as form fields or a JSON object');
      const apiKeyId = keyId(body.api_key ?? (request.query as Record<string, unknown>).api_key);
      if (!apiKeyId) throw new Open311Error(403, 'Invalid api_key');
      const locale = localeOf(request);
      const code = text(body, 'service_code', 64);
      if (!code) throw new Open311Error(400, 'service_code is required');
      if (!isCategoryId(code)) throw new Open311Error(404, `service_code ${code} not found`);
      const description = text(body, 'description', 4000);
      if (!description || description.split(/\s+/).length < 3)
        throw new Open311Error(400, 'description is required: say what happened, in at least three words');
      const lat = coordinate(body, 'lat');
      const lon = coordinate(body, 'long');
      if ((lat === undefined) !== (lon === undefined))
        throw new Open311Error(400, 'lat and long must be given together');
      const addressString = text(body, 'address_string', 500);
      const addressId = text(body, 'address_id', 32);
      if (lat === undefined && !addressString && !addressId)
        throw new Open311Error(400, 'A location is required: lat and long, address_string or address_id');
      let region: { code: string; name: string } | null = null;
      if (addressId) {
        const place = gazetteer.get(addressId);
        if (!place) throw new Open311Error(400, `address_id ${addressId} is not a Kemendagri region code`);
        region = { code: place.code, name: place.label };
      } else if (addressString) {
        const found = gazetteer.find(addressString);
        if (found.best && !found.ambiguous) region = { code: found.best.code, name: found.best.label };
      }
      const privacy = text(body, 'privacy', 16) ?? 'biasa';
      if (privacy !== 'biasa' && privacy !== 'rahasia' && privacy !== 'anonim')
        throw new Open311Error(400, 'privacy must be biasa, rahasia or anonim');
      const mediaUrl = text(body, 'media_url', 2000);
      if (mediaUrl && !/^https?:\/\//i.test(mediaUrl))
        throw new Open311Error(400, 'media_url must be an http(s) URL');
      const reporterKey =
        text(body, 'email', 320)?.toLowerCase() ??
        text(body, 'device_id', 200) ??
        text(body, 'account_id', 200);
      const name = [text(body, 'first_name', 100), text(body, 'last_name', 100)].filter(Boolean).join(' ');
      const report = await fileApiReport(ctx, {
        apiKeyId,
        reporterKey: reporterKey ?? null,
        displayName: name || null,
        locale,
        draft: {
          description,
          category: code,
          categoryConfidence: 1,
          type: 'pengaduan',
          privacy,
          media: mediaUrl ? [{ kind: 'image', ref: mediaUrl }] : [],
          ...(region ? { region } : { region: null }),
          ...(!region && addressString ? { locationText: addressString } : {}),
          ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
        },
      });
      request.log.info({ trackingId: report.trackingId, apiKey: apiKeyId }, 'open311 request filed');
      const agency = await db.prisma.$transaction((tx) =>
        publicReports.findPublicReport(tx, report.trackingId),
      );
      const notice =
        locale === 'id'
          ? `Diteruskan ke ${agency?.agencyName ?? report.agencyCode}.${report.dueAt ? ` Batas: ${formatDate(locale, report.dueAt)}.` : ''}`
          : `Forwarded to ${agency?.agencyName ?? report.agencyCode}.${report.dueAt ? ` Due: ${formatDate(locale, report.dueAt)}.` : ''}`;
      return reply.code(201).send([
        {
          service_request_id: report.trackingId,
          token: report.id,
          service_notice: notice,
          account_id: null,
        },
      ]);
    });
  };

  return async (fastify) => {
    await fastify.register(routes, { prefix: OPEN311_PREFIX });
  };
}
