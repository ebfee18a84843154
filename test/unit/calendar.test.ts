import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createWorkCalendar,
  endOfJakartaDay,
  loadCalendarOverrides,
  loadCutiBersama,
  toJakartaDateKey,
} from '../../core/calendar/index.ts';

/** An instant given as Jakarta wall-clock time. */
function wib(local: string): Date {
  return new Date(`${local}+07:00`);
}

/** The Jakarta date and time of the deadline, to compare readably. */
function jakarta(date: Date): string {
  return new Date(date.getTime() + 7 * 3600_000).toISOString().replace('Z', ' WIB');
}

const plain = createWorkCalendar();
const official = createWorkCalendar(loadCalendarOverrides());

describe('Jakarta dates', () => {
  it('takes the Jakarta date, not the UTC one', () => {
    expect(toJakartaDateKey(new Date('2025-07-06T22:00:00Z'))).toBe('2025-07-07');
    expect(toJakartaDateKey(new Date('2025-07-06T16:59:59.999Z'))).toBe('2025-07-06');
    expect(endOfJakartaDay('2025-07-07').toISOString()).toBe('2025-07-07T16:59:59.999Z');
  });
});

describe('isWorkingDay', () => {
  it('knows weekends and weekdays', () => {
    expect(plain.isWorkingDay(wib('2025-07-04T10:00:00'))).toBe(true); // Friday
    expect(plain.isWorkingDay(wib('2025-07-05T10:00:00'))).toBe(false); // Saturday
    expect(plain.isWorkingDay(wib('2025-07-06T10:00:00'))).toBe(false); // Sunday
  });

  it('puts Idul Fitri 2026 on 20-21 March (Jakarta), not a day early', () => {
    expect(plain.isWorkingDay(wib('2026-03-19T10:00:00'))).toBe(false); // Nyepi
    expect(plain.isWorkingDay(wib('2026-03-20T10:00:00'))).toBe(false); // Idul Fitri
    const names = new Map(plain.holidaysIn(2026).map((h) => [h.date, h.name]));
    expect(names.get('2026-03-19')).toMatch(/Nyepi/);
    expect(names.get('2026-03-19')).not.toMatch(/Idul Fitri/);
    expect(names.get('2026-03-20')).toMatch(/Idul Fitri/);
    expect(names.get('2026-03-21')).toMatch(/Idul Fitri/);
    expect(names.get('2026-03-22')).toBeUndefined();
  });

  it('judges early-morning WIB by the Jakarta date although UTC is still the previous day', () => {
    // Monday 05:00 WIB is Sunday 22:00 UTC.
    const mondayMorning = new Date('2025-07-06T22:00:00Z');
    expect(plain.isWorkingDay(mondayMorning)).toBe(true);
    // Friday 21:00 UTC (late evening) is already Saturday 04:00 WIB.
    expect(plain.isWorkingDay(new Date('2025-07-04T21:00:00Z'))).toBe(false);
  });

  it('applies the operator file: cuti bersama and corrected holiday dates', () => {
    expect(plain.isWorkingDay(wib('2026-03-23T09:00:00'))).toBe(true);
    expect(official.isWorkingDay(wib('2026-03-23T09:00:00'))).toBe(false); // cuti bersama Idul Fitri
    // SKB 2025: Idul Fitri 31 Mar-1 Apr and Tahun Baru Islam 27 June (date-holidays: 30-31 Mar, 26 June).
    expect(official.isWorkingDay(wib('2025-04-01T09:00:00'))).toBe(false);
    expect(official.isWorkingDay(wib('2025-06-27T09:00:00'))).toBe(false);
    expect(official.isWorkingDay(wib('2025-06-26T09:00:00'))).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('crosses a weekend', () => {
    const due = plain.addWorkingDays(wib('2025-07-04T10:00:00'), 1); // Friday
    expect(jakarta(due)).toBe('2025-07-07T23:59:59.999 WIB'); // Monday
    expect(due.toISOString()).toBe('2025-07-07T16:59:59.999Z');
    expect(jakarta(plain.addWorkingDays(wib('2025-07-04T10:00:00'), 3))).toBe('2025-07-09T23:59:59.999 WIB');
    expect(jakarta(plain.addWorkingDays(wib('2025-07-04T10:00:00'), 5))).toBe('2025-07-11T23:59:59.999 WIB');
  });

  it('starts counting on Monday when received on a Saturday', () => {
    const saturday = wib('2025-07-05T09:00:00');
    expect(jakarta(plain.addWorkingDays(saturday, 1))).toBe('2025-07-07T23:59:59.999 WIB');
    expect(jakarta(plain.addWorkingDays(saturday, 3))).toBe('2025-07-09T23:59:59.999 WIB');
  });

  it('crosses Nyepi, Idul Fitri and cuti bersama 2026', () => {
    const tuesday = wib('2026-03-17T10:00:00');
    // 18 cuti bersama, 19 Nyepi, 20 Idul Fitri/cuti, 21-22 weekend, 23-24 cuti bersama.
    expect(jakarta(official.addWorkingDays(tuesday, 1))).toBe('2026-03-25T23:59:59.999 WIB');
    expect(jakarta(official.addWorkingDays(tuesday, 3))).toBe('2026-03-27T23:59:59.999 WIB');
    // Public holidays only: 18 March is a working day, then 23 March.
    expect(jakarta(plain.addWorkingDays(tuesday, 1))).toBe('2026-03-18T23:59:59.999 WIB');
    expect(jakarta(plain.addWorkingDays(tuesday, 2))).toBe('2026-03-23T23:59:59.999 WIB');
  });

  it('crosses the year boundary (Natal, cuti bersama, New Year)', () => {
    expect(jakarta(plain.addWorkingDays(wib('2025-12-31T10:00:00'), 1))).toBe('2026-01-02T23:59:59.999 WIB');
    // From Wed 24 Dec 2025: 25 Natal, 26 cuti bersama, 27-28 weekend, 29, 30, (31), 1 Jan, 2 Jan.
    const christmasEve = wib('2025-12-24T16:00:00');
    expect(jakarta(official.addWorkingDays(christmasEve, 3))).toBe('2025-12-31T23:59:59.999 WIB');
    expect(jakarta(official.addWorkingDays(christmasEve, 4))).toBe('2026-01-02T23:59:59.999 WIB');
    expect(jakarta(plain.addWorkingDays(christmasEve, 1))).toBe('2025-12-26T23:59:59.999 WIB');
  });

  it('counts from the Jakarta date of late-evening and early-morning instants', () => {
    // Friday 23:30 WIB: still Friday in Jakarta, so +1 is Monday.
    expect(jakarta(plain.addWorkingDays(wib('2025-07-04T23:30:00'), 1))).toBe('2025-07-07T23:59:59.999 WIB');
    // Sunday 2025-07-06 22:00 UTC is Monday 05:00 WIB: +1 is Tuesday (a UTC reading would say Monday).
    expect(jakarta(plain.addWorkingDays(new Date('2025-07-06T22:00:00Z'), 1))).toBe(
      '2025-07-08T23:59:59.999 WIB',
    );
    // Friday 21:00 UTC is Saturday 04:00 WIB: +0 is the end of Monday (a UTC reading: end of Friday).
    expect(jakarta(plain.addWorkingDays(new Date('2025-07-04T21:00:00Z'), 0))).toBe(
      '2025-07-07T23:59:59.999 WIB',
    );
  });

  it('with 0 days gives the end of today, or of the next working day', () => {
    expect(jakarta(plain.addWorkingDays(wib('2025-07-04T08:00:00'), 0))).toBe('2025-07-04T23:59:59.999 WIB');
    expect(jakarta(plain.addWorkingDays(wib('2025-07-05T08:00:00'), 0))).toBe('2025-07-07T23:59:59.999 WIB');
  });

  it('rejects negative, fractional and invalid input', () => {
    expect(() => plain.addWorkingDays(wib('2025-07-04T08:00:00'), -1)).toThrow(RangeError);
    expect(() => plain.addWorkingDays(wib('2025-07-04T08:00:00'), 1.5)).toThrow(RangeError);
    expect(() => plain.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
  });
});

describe('extraWorkingDays and extraDaysOff', () => {
  it('an extra working day overrides a weekend and a holiday', () => {
    const calendar = createWorkCalendar({ extraWorkingDays: ['2025-07-05', '2026-03-20'] });
    expect(calendar.isWorkingDay(wib('2025-07-05T09:00:00'))).toBe(true); // Saturday
    expect(calendar.isWorkingDay(wib('2026-03-20T09:00:00'))).toBe(true); // Idul Fitri
    expect(jakarta(calendar.addWorkingDays(wib('2025-07-04T10:00:00'), 1))).toBe(
      '2025-07-05T23:59:59.999 WIB',
    );
    expect(calendar.holidaysIn(2026).some((h) => h.date === '2026-03-20')).toBe(false);
  });

  it('an extra working day wins over an extra day off on the same date', () => {
    const calendar = createWorkCalendar({
      extraDaysOff: [{ date: '2025-07-07', name: 'Libur daerah' }],
      extraWorkingDays: ['2025-07-07'],
    });
    expect(calendar.isWorkingDay(wib('2025-07-07T09:00:00'))).toBe(true);
  });

  it('extra days off are skipped and listed', () => {
    const calendar = createWorkCalendar({ extraDaysOff: [{ date: '2025-07-07', name: 'Libur daerah' }] });
    expect(calendar.isWorkingDay(wib('2025-07-07T09:00:00'))).toBe(false);
    expect(jakarta(calendar.addWorkingDays(wib('2025-07-04T10:00:00'), 1))).toBe(
      '2025-07-08T23:59:59.999 WIB',
    );
    expect(calendar.holidaysIn(2025)).toContainEqual({ date: '2025-07-07', name: 'Libur daerah' });
  });

  it('rejects malformed dates in options', () => {
    expect(() => createWorkCalendar({ extraWorkingDays: ['2025-02-30'] })).toThrow(/extraWorkingDays/);
    expect(() => createWorkCalendar({ extraDaysOff: [{ date: '7/7/2025', name: 'x' }] })).toThrow(
      /extraDaysOff/,
    );
  });
});

describe('workingDaysBetween', () => {
  it('counts working days elapsed on the Jakarta calendar', () => {
    const deadline = plain.addWorkingDays(wib('2025-07-04T10:00:00'), 1); // Monday 23:59:59.999
    expect(plain.workingDaysBetween(deadline, wib('2025-07-07T20:00:00'))).toBe(0); // not overdue yet
    expect(plain.workingDaysBetween(deadline, wib('2025-07-08T00:00:00'))).toBe(1); // overdue by 1
    expect(plain.workingDaysBetween(deadline, wib('2025-07-12T09:00:00'))).toBe(4); // Saturday: Tue-Fri
    expect(plain.workingDaysBetween(wib('2025-07-12T09:00:00'), deadline)).toBe(-4);
  });

  it('is the inverse of addWorkingDays across holidays and years', () => {
    const starts = [
      '2025-12-20T08:00:00',
      '2026-03-13T23:30:00',
      '2025-03-27T05:00:00',
      '2026-05-13T12:00:00',
    ];
    for (const start of starts) {
      for (let n = 0; n <= 25; n++) {
        const from = wib(start);
        const due = official.addWorkingDays(from, n);
        const elapsed = official.workingDaysBetween(from, due);
        expect(elapsed).toBe(official.isWorkingDay(from) || n > 0 ? n : 1);
      }
    }
  });

  it('skips cuti bersama', () => {
    // Tue 17 March to Wed 25 March 2026: only the 25th is a working day.
    expect(official.workingDaysBetween(wib('2026-03-17T10:00:00'), wib('2026-03-25T10:00:00'))).toBe(1);
    expect(plain.workingDaysBetween(wib('2026-03-17T10:00:00'), wib('2026-03-25T10:00:00'))).toBe(4);
  });
});

describe('holidaysIn', () => {
  it('lists sorted Jakarta dates with names, including Isra Mikraj under its right name', () => {
    const list = official.holidaysIn(2026);
    const dates = list.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(list.every((h) => h.date.startsWith('2026-') && h.name.length > 0)).toBe(true);
    expect(list).toContainEqual({ date: '2026-01-01', name: 'Hari tahun baru' });
    expect(list.find((h) => h.date === '2026-01-16')?.name).toBe('Isra Mikraj Nabi Muhammad SAW');
    expect(list.find((h) => h.date === '2026-12-24')?.name).toMatch(/Cuti bersama/);
  });

  it('returns the same content on repeated calls and copies that callers cannot corrupt', () => {
    const first = plain.holidaysIn(2025);
    first.length = 0;
    const again = plain.holidaysIn(2025);
    expect(again.length).toBeGreaterThan(10);
    expect(plain.holidaysIn(2025)).toEqual(again);
  });
});

describe('calendar file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-calendar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the bundled file holds valid cuti bersama for 2025 and 2026', () => {
    const days = loadCutiBersama();
    expect(days.length).toBeGreaterThan(15);
    for (const d of days) expect(d.date).toMatch(/^202[56]-\d{2}-\d{2}$/);
    expect(days).toContainEqual({ date: '2026-03-23', name: 'Cuti bersama Hari Raya Idul Fitri 1447 H' });
    expect(days.some((d) => d.date === '2025-04-02')).toBe(true);
    expect(loadCalendarOverrides().extraWorkingDays).toEqual(['2025-06-26']);
  });

  it('accepts a bare array and rejects malformed dates with the entry named', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify([{ date: '2027-03-11', name: 'Cuti bersama Idul Fitri' }]));
    expect(loadCutiBersama(ok)).toEqual([{ date: '2027-03-11', name: 'Cuti bersama Idul Fitri' }]);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ days: [{ date: '2027-3-11', name: 'x' }] }));
    expect(() => loadCutiBersama(bad)).toThrow(/days\[0\]\.date/);

    const impossible = join(dir, 'impossible.json');
    writeFileSync(impossible, JSON.stringify({ days: [{ date: '2027-02-29', name: 'x' }] }));
    expect(() => loadCutiBersama(impossible)).toThrow(/YYYY-MM-DD/);

    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ days: ');
    expect(() => loadCutiBersama(notJson)).toThrow(/not valid JSON/);
    expect(() => loadCutiBersama(join(dir, 'missing.json'))).toThrow(/cannot be read/);
  });
});
