/**
 * The public pages, server-rendered, no JavaScript, no personal data:
 *
 * - `GET /`                      what the service is and how to report on each configured channel
 * - `GET /laporan?id=…`          the look-up form's target: redirects to the canonical page
 * - `GET /laporan/<tracking id>` status, agency, public history with dates, the deadline
 *
 * Any spelling of a tracking ID that normalises (case, spaces, look-alikes O/0, I/1) redirects
 * to the canonical URL. A mistyped one fails its check character; the page then offers the
 * existing reports one slip away ("did you mean …?"). What of a report is shown is decided by
 * core/public/report-view.ts. `?lang=en` switches to English.
 *
 * @example
 * ```ts
 * plugins.push(createPublicPages({ db, site: config.site }));
 * // curl http://localhost:3000/laporan/LPR-7KQ-9M4-XTW?lang=en
 * ```
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate } from '../../dialogs/texts.ts';
import type { Config } from '../config/index.ts';
import { publicReportView } from '../public/report-view.ts';
import type { Database } from '../store/database.ts';
import * as publicReports from '../store/repos/public-reports.ts';
import { normalizeTrackingId, trackingIdCandidates } from '../tracking-id/index.ts';
import {
  html,
  type Locale,
  link,
  page,
  pageHeaders,
  pageLocale,
  type SafeHtml,
  STATUS_COLOURS,
  withLang,
} from './html.ts';

export interface PublicPagesOptions {
  db: Database;
  site: Config['site'];
}

const T = {
  id: {
    title: 'Layanan Pengaduan Publik',
    intro:
      'Sampaikan keluhan, aspirasi, atau permintaan informasi tentang layanan publik lewat aplikasi chat yang biasa Anda pakai. Kami menanyakan hanya yang kurang, lalu meneruskan laporan ke instansi yang berwenang, di mana pun lokasinya. Nomor laporan dan setiap perkembangannya dikirim ke percakapan yang sama.',
    howTo: 'Cara melapor',
    telegram: 'Telegram',
    telegramHow: ['buka ', ' dan tulis keluhan Anda.'],
    whatsapp: 'WhatsApp',
    whatsappHow: ['kirim pesan ke ', '.'],
    sms: 'SMS',
    smsHow: ['kirim SMS berisi keluhan dan lokasinya ke ', ' (tarif SMS biasa).'],
    noChannel: 'Saluran chat belum dikonfigurasi di server ini.',
    steps: [
      'Ceritakan apa yang terjadi, di mana, dan sejak kapan.',
      'Periksa ringkasan, lalu pilih: kirim biasa, rahasiakan identitas, atau anonim.',
      'Simpan nomor laporan (contoh: LPR-7KQ-9M4-XTW) untuk mengecek perkembangan.',
    ],
    check: 'Cek laporan',
    idLabel: 'Nomor laporan',
    submit: 'Cek',
    reportTitle: 'Laporan {id}',
    status: 'Status',
    topic: 'Topik',
    kind: 'Jenis',
    region: 'Wilayah',
    regionUnknown: 'belum ditentukan',
    agency: 'Ditangani oleh',
    filed: 'Tanggal laporan',
    updated: 'Perubahan terakhir',
    history: 'Riwayat',
    confidential:
      'Pelapor memilih merahasiakan identitasnya: halaman ini hanya menampilkan perkembangan laporan dan wilayah tingkat kabupaten/kota.',
    notFound: 'Laporan {id} tidak ditemukan.',
    invalid: 'Nomor "{input}" tidak valid. Nomor laporan berbentuk seperti LPR-7KQ-9M4-XTW.',
    didYouMean: 'Mungkin maksud Anda:',
    pageNotFound: 'Halaman tidak ditemukan.',
  },
  en: {
    title: 'Public Complaint Service',
    intro:
      'Send a complaint, suggestion or information request about a public service from the chat app you already use. We ask only what is missing and forward your report to the agency in charge, wherever it is. Your tracking ID and every update arrive in the same chat.',
    howTo: 'How to report',
    telegram: 'Telegram',
    telegramHow: ['open ', ' and write your complaint.'],
    whatsapp: 'WhatsApp',
    whatsappHow: ['send a message to ', '.'],
    sms: 'SMS',
    smsHow: ['text your complaint and where it is to ', ' (normal SMS rate).'],
    noChannel: 'No chat channel is configured on this server yet.',
    steps: [
      'Say what happened, where and since when.',
      'Check the summary, then choose: send normally, keep your identity confidential, or anonymously.',
      'Keep the tracking ID (e.g. LPR-7KQ-9M4-XTW) to check on progress.',
    ],
    check: 'Check a report',
    idLabel: 'Tracking ID',
    submit: 'Check',
    reportTitle: 'Report {id}',
    status: 'Status',
    topic: 'Topic',
    kind: 'Kind',
    region: 'Region',
    regionUnknown: 'not yet placed',
    agency: 'Handled by',
    filed: 'Filed on',
    updated: 'Last change',
    history: 'History',
    confidential:
      'The reporter chose to keep their identity confidential: this page shows only the progress of the report and its regency or city.',
    notFound: 'Report {id} was not found.',
    invalid: '"{input}" is not a valid tracking ID. IDs look like LPR-7KQ-9M4-XTW.',
    didYouMean: 'Did you mean:',
    pageNotFound: 'Page not found.',
  },
} as const;

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

function lookupForm(locale: Locale, value = ''): SafeHtml {
  const t = T[locale];
  return html`<form class="inline" method="get" action="/laporan" role="search">
<div><label for="tracking-id">${t.idLabel}</label>
<input id="tracking-id" name="id" value="${value}" autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text" maxlength="40" placeholder="LPR-7KQ-9M4-XTW"></div>
${locale === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${t.submit}</button>
</form>`;
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return pageHeaders(reply).code(status).send(body);
}

/** The public pages plugin (mounted at the root). */
export function createPublicPages(options: PublicPagesOptions): FastifyPluginAsync {
  const { db, site } = options;

  function home(request: FastifyRequest, reply: FastifyReply) {
    const locale = pageLocale(request);
    const t = T[locale];
    const channels: SafeHtml[] = [];
    /** "buka <a>@LaporBot</a> dan tulis …": the link sits between the two halves of the sentence. */
    const item = (name: string, [before, after]: readonly string[], href: string, shown: string) =>
      html`<li><strong>${name}</strong>: ${before}<a href="${href}">${shown}</a>${after}</li>`;
    if (site.telegramUsername)
      channels.push(
        item(t.telegram, t.telegramHow, `https://t.me/${site.telegramUsername}`, `@${site.telegramUsername}`),
      );
    if (site.whatsappNumber)
      channels.push(
        item(
          t.whatsapp,
          t.whatsappHow,
          `https://wa.me/${site.whatsappNumber.replace(/\D/g, '')}`,
          site.whatsappNumber,
        ),
      );
    if (site.smsNumber)
      channels.push(item(t.sms, t.smsHow, `sms:${site.smsNumber.replace(/[^\d+]/g, '')}`, site.smsNumber));
    const body = html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<h2>${t.howTo}</h2>
${channels.length ? html`<ul class="channels">${channels}</ul>` : html`<p>${t.noChannel}</p>`}
<ol>${t.steps.map((s) => html`<li>${s}</li>`)}</ol>
<h2>${t.check}</h2>
${lookupForm(locale)}`;
    return send(
      reply,
      200,
      page({ locale, title: t.title, body, otherLanguage: withLang(request, locale === 'id' ? 'en' : 'id') }),
    );
  }

  /** The page for an ID that does not pass its check: the form again, and near misses that exist. */
  async function invalidId(request: FastifyRequest, reply: FastifyReply, input: string) {
    const locale = pageLocale(request);
    const t = T[locale];
    const shown = input.slice(0, 40);
    const candidates = trackingIdCandidates(input);
    const existing = await db.prisma.$transaction((tx) => publicReports.existingTrackingIds(tx, candidates));
    const body = html`<h1>${t.check}</h1>
<p class="error" role="alert">${fill(t.invalid, { input: shown })}</p>
${
  existing.length
    ? html`<p>${t.didYouMean}</p><ul>${existing.map(
        (id) => html`<li><a href="${link(`/laporan/${id}`, locale)}">${id}</a></li>`,
      )}</ul>`
    : ''
}
${lookupForm(locale, shown)}`;
    return send(
      reply,
      404,
      page({ locale, title: t.check, body, otherLanguage: withLang(request, locale === 'id' ? 'en' : 'id') }),
    );
  }

  async function report(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const locale = pageLocale(request);
    const t = T[locale];
    const input = request.params.id;
    const canonical = normalizeTrackingId(input);
    if (!canonical) return invalidId(request, reply, input);
    if (canonical !== input) return reply.redirect(link(`/laporan/${canonical}`, locale), 301);
    const found = await db.prisma.$transaction(async (tx) => {
      const row = await publicReports.findPublicReport(tx, canonical);
      return row ? { row, events: await publicReports.listPublicEvents(tx, row.id) } : null;
    });
    const other = withLang(request, locale === 'id' ? 'en' : 'id');
    if (!found) {
      const body = html`<h1>${t.check}</h1>
<p class="error" role="alert">${fill(t.notFound, { id: canonical })}</p>
${lookupForm(locale, canonical)}`;
      return send(reply, 404, page({ locale, title: t.check, body, otherLanguage: other }));
    }
    const view = publicReportView(found.row, found.events, locale);
    const colours = STATUS_COLOURS[view.status];
    const title = fill(t.reportTitle, { id: view.trackingId });
    const body = html`<h1>${title}</h1>
${view.confidential ? html`<p class="notice">${t.confidential}</p>` : ''}
<dl>
<dt>${t.status}</dt><dd><span class="badge status-${view.status}" style="color:${colours.fg};background:${colours.bg}">${view.statusLabel}</span></dd>
<dt>${t.topic}</dt><dd>${view.categoryLabel}</dd>
<dt>${t.kind}</dt><dd>${view.typeLabel}</dd>
<dt>${t.region}</dt><dd>${view.region ? view.region.name : t.regionUnknown}</dd>
<dt>${t.agency}</dt><dd>${view.agencyName}</dd>
<dt>${t.filed}</dt><dd><time datetime="${view.filedAt.toISOString()}">${formatDate(locale, view.filedAt)}</time></dd>
${view.due ? html`<dt>${view.due.label}</dt><dd><time datetime="${view.due.at.toISOString()}">${formatDate(locale, view.due.at)}</time></dd>` : ''}
<dt>${t.updated}</dt><dd><time datetime="${view.updatedAt.toISOString()}">${formatDate(locale, view.updatedAt)}</time></dd>
</dl>
<h2>${t.history}</h2>
<ol class="history">${view.history.map(
      (h) =>
        html`<li><time datetime="${h.at.toISOString()}">${formatDate(locale, h.at)}</time>: ${h.text}</li>`,
    )}</ol>
<h2>${t.check}</h2>
${lookupForm(locale)}`;
    return send(reply, 200, page({ locale, title, body, otherLanguage: other }));
  }

  return async (fastify) => {
    fastify.get('/', home);
    fastify.get<{ Querystring: { id?: string; lang?: string } }>(
      '/laporan',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { id: { type: 'string', maxLength: 200 }, lang: { type: 'string', maxLength: 5 } },
          },
        },
      },
      async (request, reply) => {
        const locale = pageLocale(request);
        const input = (request.query.id ?? '').trim();
        if (!input) return reply.redirect(link('/', locale), 303);
        const canonical = normalizeTrackingId(input);
        if (!canonical) return invalidId(request, reply, input);
        return reply.redirect(link(`/laporan/${canonical}`, locale), 303);
      },
    );
    fastify.get<{ Params: { id: string } }>(
      '/laporan/:id',
      { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } } } } },
      report,
    );
  };
}
