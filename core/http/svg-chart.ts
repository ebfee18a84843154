/**
 * Bar charts drawn on the server as inline SVG, for the operator dashboard: no script, no
 * canvas, readable on any phone and printable. Each chart is an image with a title and a
 * one-line description for screen readers; the dashboard prints the same figures as a table
 * beside it.
 *
 * Written by hand: chart libraries for Node either need a DOM or canvas (Chart.js, ECharts'
 * SSR needs its whole runtime) or draw far more than two kinds of bars; this is ~100 lines.
 *
 * @example
 * ```ts
 * columnChart({ title: 'Laporan per hari', data: [{ label: '2026-12-01', value: 4 }] });
 * ```
 */
import { html, type SafeHtml } from './html.ts';

export interface Datum {
  label: string;
  value: number;
}

const BAR = '#1d4ed8';
const AXIS = '#4b5563';
const TEXT = '#111827';

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function describe(title: string, data: Datum[]): string {
  const total = data.reduce((sum, d) => sum + d.value, 0);
  const top = [...data].sort((a, b) => b.value - a.value)[0];
  return `${title}: ${data.length} item, total ${total}${top ? `, tertinggi ${top.label} (${top.value})` : ''}`;
}

let chartSeq = 0;

/** Vertical bars over time (one per day), with a value axis and sparse date labels. */
export function columnChart(options: {
  title: string;
  data: Datum[];
  width?: number;
  height?: number;
}): SafeHtml {
  const { title, data } = options;
  const width = options.width ?? 720;
  const height = options.height ?? 220;
  const pad = { left: 40, right: 8, top: 12, bottom: 36 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const slot = data.length ? plotW / data.length : plotW;
  const barW = Math.max(1, Math.min(40, slot * 0.8));
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  const id = `chart-${++chartSeq}`;
  const ticks = [0, max / 2, max];
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" class="chart">
<title id="${id}-t">${title}</title><desc id="${id}-d">${describe(title, data)}</desc>
${ticks.map((tick) => {
  const y = pad.top + plotH - (tick / max) * plotH;
  return html`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${pad.left - 4}" y="${y + 4}" text-anchor="end" font-size="11" fill="${AXIS}">${Math.round(tick)}</text>`;
})}
${data.map((d, i) => {
  const h = (d.value / max) * plotH;
  const x = pad.left + i * slot + (slot - barW) / 2;
  return html`<rect x="${x.toFixed(1)}" y="${(pad.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${BAR}"><title>${d.label}: ${d.value}</title></rect>${
    i % labelEvery === 0
      ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 14}" text-anchor="middle" font-size="11" fill="${AXIS}">${d.label.slice(5)}</text>`
      : ''
  }`;
})}
<line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="${AXIS}"/>
</svg>`;
}

/** Horizontal bars with their labels and values, largest first (categories, regions, agencies). */
export function barChart(options: { title: string; data: Datum[]; width?: number }): SafeHtml {
  const { title, data } = options;
  const width = options.width ?? 480;
  const row = 22;
  const labelW = Math.round(width * 0.42);
  const valueW = 48;
  const height = Math.max(row, data.length * row) + 4;
  const max = Math.max(1, ...data.map((d) => d.value));
  const plotW = width - labelW - valueW - 8;
  const id = `chart-${++chartSeq}`;
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" class="chart">
<title id="${id}-t">${title}</title><desc id="${id}-d">${describe(title, data)}</desc>
${data.map((d, i) => {
  const y = i * row + 2;
  const w = (d.value / max) * plotW;
  const label = d.label.length > 34 ? `${d.label.slice(0, 33)}…` : d.label;
  return html`<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12" fill="${TEXT}">${label}</text><rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${BAR}"><title>${d.label}: ${d.value}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 15}" font-size="12" fill="${TEXT}">${d.value}</text>`;
})}
</svg>`;
}
