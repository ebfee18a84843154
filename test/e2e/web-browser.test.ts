/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The public pages and the operator dashboard in a real headless Chromium (Debian's `chromium`,
 * driven by puppeteer-core), the way a citizen on a cheap phone and an operator at a desk use
 * them: with JavaScript off, through the forms and links. Checks content and accessibility
 * basics (page language, a label for every control, one h1, contrast of the status badge, named
 * charts, no sideways scrolling on a 360 px screen) and writes screenshots to
 * test-output/screenshots/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { STATUS_COLOURS } from '../../core/http/html.ts';
import { trackingIdCandidates } from '../../core/tracking-id/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { act, fileTestReport } from '../support/reports.ts';
import { createTestService, testClock } from '../support/service.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const START = new Date('2026-12-01T02:00:00Z');
const TOKEN = 'admin-token-for-browser-tests-0001';

/** WCAG relative luminance contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Accessibility basics every page must pass. */
async function checkBasics(page: Page, lang: string) {
  const facts = await page.evaluate(() => {
    const controls = [...document.querySelectorAll('input, select, textarea')].filter(
      (el) => (el as HTMLInputElement).type !== 'hidden',
    );
    const unlabelled = controls
      .filter((el) => {
        const c = el as HTMLInputElement;
        return !(c.labels?.length || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby'));
      })
      .map((el) => el.outerHTML.slice(0, 80));
    const svgs = [...document.querySelectorAll('svg')].map((svg) => {
      const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
      return {
        role: svg.getAttribute('role'),
        name: ids
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ')
          .trim(),
      };
    });
    return {
      lang: document.documentElement.lang,
      title: document.title,
      h1: document.querySelectorAll('h1').length,
      unlabelled,
      svgs,
      scripts: document.querySelectorAll('script').length,
    };
  });
  expect(facts.lang).toBe(lang);
  expect(facts.title.length).toBeGreaterThan(5);
  expect(facts.h1).toBe(1);
  expect(facts.unlabelled).toEqual([]);
  for (const svg of facts.svgs) {
    expect(svg.role).toBe('img');
    expect(svg.name.length).toBeGreaterThan(5);
  }
  expect(facts.scripts).toBe(0);
}

async function noSidewaysScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(width);
}

describe('public pages and dashboard in headless Chromium', () => {
  let handle: TestDatabase;
  let service: Service;
  let browser: Browser;
  let base: string;
  const clock = testClock(START);
  let resolvedId = '';
  let anonymousId = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    mkdirSync(SHOTS, { recursive: true });
    handle = await openTestDatabase('pglite');
    service = await createTestService(handle, {
      clock: clock.now,
      env: {
        ADMIN_API_TOKEN: TOKEN,
        TELEGRAM_BOT_USERNAME: 'LaporUjiBot',
        PUBLIC_WHATSAPP_NUMBER: '+62 811 0000 1111',
        PUBLIC_SMS_NUMBER: '+62 811 0000 2222',
      },
    });
    await service.start();
    base = `http://127.0.0.1:${(service.app().server.address() as AddressInfo).port}`;

    const ktp = await fileTestReport(service, {
      category: 'kependudukan',
      place: 'Kec. Kemangkon, Kab. Purbalingga',
      description: 'KTP saya belum jadi, nama saya Ibu Sumarni, hp 081299998888',
    });
    const officer = { role: 'officer' as const, id: 'U1', agencyCode: ktp.agencyCode };
    clock.set(new Date(START.getTime() + 3 * 3_600_000));
    await act(service, ktp.id, officer, { type: 'accept' });
    clock.set(new Date(START.getTime() + 27 * 3_600_000));
    await act(service, ktp.id, officer, { type: 'resolve', text: 'KTP Ibu Sumarni sudah dicetak' });
    resolvedId = ktp.trackingId;
    const road = await fileTestReport(service, {
      category: 'pekerjaan_umum',
      place: 'Desa Kedunglegok, Kemangkon, Purbalingga',
      privacy: 'anonim',
      location: { lat: -7.4352891, lon: 109.3331046 },
    });
    anonymousId = road.trackingId;
    await fileTestReport(service, { category: 'kesehatan', place: 'Kota Bandung' });

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A database, a service, three reports and a browser: slow on a loaded 2-core machine.
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await handle?.dispose();
  });

  /** A phone-sized page with JavaScript off: the pages must work without it. */
  async function phone(): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 360, height: 640, deviceScaleFactor: 1 });
    await page.setJavaScriptEnabled(false);
    return page;
  }

  it('home page: how to report on each channel, and a look-up form that finds a sloppily typed ID', async () => {
    const page = await phone();
    await page.goto(`${base}/`);
    await checkBasics(page, 'id');
    await noSidewaysScroll(page);
    const links = await page.$$eval('ul.channels a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['https://t.me/LaporUjiBot', 'https://wa.me/6281100001111', 'sms:+6281100002222']);
    await page.screenshot({ path: join(SHOTS, 'home-360.png'), fullPage: true });

    // Lower case, no dashes, O for 0 and I for 1 where they occur: still found.
    const sloppy = resolvedId.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i');
    await page.type('#tracking-id', sloppy);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe(`/laporan/${resolvedId}`);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(`Laporan ${resolvedId}`);
    await page.close();
  });

  it('status page: status badge with enough contrast, agency, dated history, no personal data', async () => {
    const page = await phone();
    const response = await page.goto(`${base}/laporan/${resolvedId}`);
    expect(response?.status()).toBe(200);
    await checkBasics(page, 'id');
    await noSidewaysScroll(page);
    const badge = await page.$eval('.badge', (el) => {
      const style = getComputedStyle(el);
      return { text: el.textContent, fg: style.color, bg: style.backgroundColor };
    });
    expect(badge.text).toBe('Selesai');
    expect(contrast(badge.fg, badge.bg)).toBeGreaterThanOrEqual(4.5);
    const text = await page.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain('Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga');
    expect(text).toContain('Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah');
    const history = await page.$$eval('ol.history li', (lis) => lis.map((li) => li.textContent));
    expect(history).toEqual([
      'Selasa, 1 Desember 2026: Laporan diterima',
      'Selasa, 1 Desember 2026: Diteruskan ke Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
      'Selasa, 1 Desember 2026: Diterima dan ditangani oleh Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
      'Rabu, 2 Desember 2026: Dinyatakan selesai oleh Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga',
    ]);
    const html = await page.content();
    expect(html).not.toMatch(/Sumarni|0812|KTP saya/);
    await page.screenshot({ path: join(SHOTS, 'status-page-360.png'), fullPage: true });

    await Promise.all([page.waitForNavigation(), page.click('a[hreflang=en]')]);
    await checkBasics(page, 'en');
    expect(await page.$eval('.badge', (el) => el.textContent)).toBe('Resolved');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(`Report ${resolvedId}`);
    await page.screenshot({ path: join(SHOTS, 'status-page-en-360.png'), fullPage: true });
    await page.close();
  });

  it('every status colour pair reaches WCAG AA contrast', () => {
    for (const [status, { fg, bg }] of Object.entries(STATUS_COLOURS))
      expect({ status, ok: contrast(hexToRgb(fg), hexToRgb(bg)) >= 4.5 }).toEqual({ status, ok: true });
  });

  it('a mistyped ID fails its check character and the page offers the report one slip away', async () => {
    const page = await phone();
    // Change one character of the body: the check fails, and the existing report is a candidate.
    const body = resolvedId.replace(/-/g, '').slice(3);
    const swapped = body[3] === 'A' ? 'B' : 'A';
    const typo = `LPR-${body.slice(0, 3)}-${swapped}${body.slice(4, 6)}-${body.slice(6)}`;
    expect(trackingIdCandidates(typo)).toContain(resolvedId);
    const response = await page.goto(`${base}/laporan/${typo}`);
    expect(response?.status()).toBe(404);
    await checkBasics(page, 'id');
    expect(await page.$eval('[role=alert]', (p) => p.textContent)).toContain('tidak valid');
    await page.screenshot({ path: join(SHOTS, 'status-typo-360.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/laporan/${resolvedId}"]`)]);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(`Laporan ${resolvedId}`);
    await page.close();
  });

  it('an anonymous report shows only its kabupaten/kota and says why', async () => {
    const page = await phone();
    await page.goto(`${base}/laporan/${anonymousId}`);
    await checkBasics(page, 'id');
    const text = await page.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain('merahasiakan identitasnya');
    expect(text).toContain('Kab. Purbalingga, Jawa Tengah');
    expect(text).not.toMatch(/Kedunglegok|Kemangkon|-7\.43/);
    await page.close();
  });

  it('dashboard: login form, figures, named charts and filters, on a desktop screen', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
    await page.setJavaScriptEnabled(false);
    clock.set(new Date('2026-12-10T02:00:00Z'));
    await service.tickSla();
    await page.goto(`${base}/dashboard?from=2026-12-01&to=2026-12-10`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await checkBasics(page, 'id');
    await page.screenshot({ path: join(SHOTS, 'dashboard-login.png') });
    await page.type('#token', 'not the token');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.$eval('[role=alert]', (p) => p.textContent)).toContain('Token salah');
    await page.type('#token', TOKEN);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    // Back on the page it asked for, with its filter.
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-12-01');
    await checkBasics(page, 'id');
    expect(await page.$eval('#total', (e) => e.textContent)).toBe('3');
    // The anonymous report and the Bandung one have missed their response deadline.
    expect(await page.$eval('#overdue-now', (e) => e.textContent)).toBe('2');
    expect(await page.$eval('#median-first-response', (e) => e.textContent)).toBe('3.0 jam');
    expect((await page.$$('svg[role=img]')).length).toBe(5);
    const cookies = await browser.cookies();
    expect(cookies.find((c) => c.name === 'lapor_dashboard')).toMatchObject({
      httpOnly: true,
      path: '/dashboard',
    });
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });

    await page.select('#region', '32');
    await Promise.all([page.waitForNavigation(), page.click('form.inline button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('region')).toBe('32');
    expect(await page.$eval('#total', (e) => e.textContent)).toBe('1');
    await page.screenshot({ path: join(SHOTS, 'dashboard-filtered.png'), fullPage: true });
    await page.close();
  });
});
