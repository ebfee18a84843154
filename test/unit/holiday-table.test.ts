import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../core/calendar/index.ts';
import { holidayTable, listedByDateHolidays } from '../../core/calendar/work-calendar.ts';

// The work calendar reads Indonesia's public holidays from a precomputed table
// (scripts/build-holiday-table.mjs) instead of keeping date-holidays in memory. The table must
// say exactly what the library says, for every year it covers.
const lib = new Holidays('ID', { timezone: 'Asia/Jakarta', types: ['public'] });
const fromLibrary = (year: number) =>
  (lib.getHolidays(year, 'id') || []).filter((h) => h.type === 'public').map((h) => [h.date, h.rule, h.name]);

describe('precomputed holiday table', () => {
  const table = holidayTable();

  // Deliberately tied to the clock: when this fails, extend LAST_YEAR in
  // scripts/build-holiday-table.mjs and re-run it (years outside the table still work, slower).
  it('covers the years around today', () => {
    const now = new Date().getUTCFullYear();
    expect(table.firstYear).toBeLessThanOrEqual(now - 5);
    expect(table.lastYear).toBeGreaterThanOrEqual(now + 10);
  });

  it('was generated from the installed date-holidays version', async () => {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('date-holidays/package.json') as { version: string };
    expect(table.version).toBe(pkg.version);
  });

  it('lists what date-holidays lists, year by year', () => {
    for (let year = table.firstYear; year <= table.lastYear; year++) {
      const expected = fromLibrary(year);
      expect(expected.length).toBeGreaterThan(10);
      expect(table.years[String(year)], `year ${year}`).toEqual(expected);
    }
  });

  it('asks date-holidays itself for years outside the table', () => {
    const outside = table.lastYear + 3;
    expect(listedByDateHolidays(outside)).toEqual(fromLibrary(outside));
  });

  it('gives the same days off inside and just outside the table', () => {
    const calendar = createWorkCalendar();
    for (const year of [table.firstYear - 1, table.firstYear, table.lastYear, table.lastYear + 1]) {
      const expected = new Set(fromLibrary(year).map((h) => String(h[0]).slice(0, 10)));
      const got = calendar.holidaysIn(year).map((h) => h.date);
      for (const date of got) expect(expected.has(date) || !date.startsWith(String(year))).toBe(true);
      for (const date of expected) if (date.startsWith(String(year))) expect(got).toContain(date);
    }
  });
});
