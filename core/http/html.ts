/**
 * Server-rendered HTML for the public pages and the operator dashboard: escaping, the page
 * frame, the language switch, and the headers every page carries. Pages are small, need no
 * JavaScript (a cheap phone on 2G must load them) and draw colours with AA contrast.
 *
 * Written by hand rather than with a template engine: the pages are a handful of fragments,
 * and a tagged `html` template that escapes every interpolation by default keeps injection
 * out without another dependency.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../dialogs/types.ts';
import type { ReportStatus } from '../lifecycle/index.ts';

export type { Locale };

/** A piece of HTML that is already safe (escaped or written by us). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"x" & y</b>'); // '&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * Template tag: every interpolated value is escaped unless it is {@link SafeHtml} (or an array
 * of parts, each treated the same way).
 *
 * @example
 * ```ts
 * html`<p>${userText}</p>`; // userText escaped
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** The page language: `?lang=en` switches to English, anything else is Bahasa Indonesia. */
export function pageLocale(request: FastifyRequest): Locale {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  return lang === 'en' ? 'en' : 'id';
}

/** The same path and query with another `lang`. */
export function withLang(request: FastifyRequest, locale: Locale): string {
  const url = new URL(request.url, 'http://local');
  if (locale === 'id') url.searchParams.delete('lang');
  else url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

/** Adds `lang=en` to a link when the page is in English. */
export function link(path: string, locale: Locale): string {
  if (locale === 'id') return path;
  return `${path}${path.includes('?') ? '&' : '?'}lang=en`;
}

/**
 * Badge colours per status: dark text on a light tint or white on a dark fill, each pair
 * at least 4.5:1 (WCAG AA for normal text); the browser test measures it.
 */
export const STATUS_COLOURS: Readonly<Record<ReportStatus, { fg: string; bg: string }>> = {
  diterima: { fg: '#1f2937', bg: '#e5e7eb' },
  terverifikasi: { fg: '#1e3a8a', bg: '#dbeafe' },
  didisposisikan: { fg: '#1e3a8a', bg: '#dbeafe' },
  ditindaklanjuti: { fg: '#7c2d12', bg: '#ffedd5' },
  selesai: { fg: '#ffffff', bg: '#166534' },
  ditunda: { fg: '#713f12', bg: '#fef9c3' },
  bukan_wewenang: { fg: '#581c87', bg: '#f3e8ff' },
  diarsipkan: { fg: '#ffffff', bg: '#4b5563' },
};

const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111827;background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:0.75rem 1rem}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #d1d5db;flex-wrap:wrap;gap:.5rem}
header a.brand{font-weight:700;color:#991b1b;text-decoration:none;font-size:1.25rem}
a{color:#1d4ed8}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #1d4ed8;outline-offset:2px}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.25rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600;color:#374151}
dd{margin:0}
ol.history{padding-left:1.25rem}
ol.history time{font-weight:600;color:#374151}
.badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;font-weight:700}
.notice{border-left:4px solid #1d4ed8;background:#eff6ff;padding:.5rem .75rem}
.error{border-left:4px solid #b91c1c;background:#fef2f2;padding:.5rem .75rem}
form.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end}
label{font-weight:600;display:block}
input,select,button{font:inherit;padding:.4rem .5rem;border:1px solid #6b7280;border-radius:.25rem}
button{background:#1d4ed8;color:#fff;border-color:#1d4ed8;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid #e5e7eb;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}
td.num,th.num{text-align:right}
footer{color:#4b5563;font-size:.875rem;border-top:1px solid #d1d5db}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

/** Headers every HTML page carries: no scripts at all, no framing, no referrer, no caching of admin pages. */
export function pageHeaders(reply: FastifyReply, options: { private?: boolean } = {}): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', options.private ? 'no-store' : 'public, max-age=60');
}

export interface PageOptions {
  locale: Locale;
  title: string;
  body: SafeHtml;
  /** Link to the same page in the other language. */
  otherLanguage: string;
  /** Extra CSS for this page. */
  css?: string;
  /** Brand link target. */
  home?: string;
  /** Footer line (default: the public pages' privacy line). */
  footer?: string;
}

/** A whole HTML document in the page frame. */
export function page(options: PageOptions): string {
  const { locale } = options;
  const other =
    locale === 'id' ? { label: 'English', lang: 'en' } : { label: 'Bahasa Indonesia', lang: 'id' };
  return `<!doctype html>${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · LAPOR!</title>
<style>${new SafeHtml(BASE_CSS + (options.css ?? ''))}</style>
</head>
<body>
<header>
<a class="brand" href="${options.home ?? link('/', locale)}">LAPOR!</a>
<a href="${options.otherLanguage}" hreflang="${other.lang}" lang="${other.lang}">${other.label}</a>
</header>
<main>
${options.body}
</main>
<footer>${
    options.footer ??
    (locale === 'id'
      ? 'Layanan pengaduan publik. Halaman ini tidak menampilkan identitas pelapor maupun isi laporan.'
      : 'Public complaint service. This page shows neither who reported nor what they wrote.')
  }</footer>
</body>
</html>`}`;
}
