/**
 * The working-day calendar behind the SLA clock: Monday to Friday on the Asia/Jakarta
 * calendar, minus Indonesian public holidays (date-holidays, type 'public') and the operator's
 * extra days off (cuti bersama), plus any explicit working days.
 *
 * Holiday-date quirk: date-holidays gives Islamic holidays a date string such as
 * '2026-03-20 00:00:00 -0600' whose `start` is 2026-03-19T11:00Z (18:00 WIB the evening
 * before, because the Islamic day begins at sunset). Converting `start` to Jakarta time
 * would therefore put Idul Fitri 2026 on 19-20 March, a day early. The day part of the
 * `date` string is the civil date the holiday is observed (20-21 March), so that is used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type HolidaysLib from 'date-holidays';
import type { DayOff } from './cuti-bersama.ts';
import {
  addDaysToKey,
  assertValidDate,
  dayOfWeekOfKey,
  endOfJakartaDay,
  isDateKey,
  toJakartaDateKey,
} from './jakarta-date.ts';

/** Working-day arithmetic on the Jakarta calendar. */
export interface WorkCalendar {
  /** Whether the Jakarta calendar date of `date` is a working day. */
  isWorkingDay(date: Date): boolean;
  /**
   * Deadline at the end (23:59:59.999 WIB) of the `days`-th working day after `from`, counting
   * from the next working day after `from`'s Jakarta date. `days = 0` gives the end of `from`'s
   * day when that is a working day, else the end of the next working day.
   */
  addWorkingDays(from: Date, days: number): Date;
  /**
   * Working days elapsed from `from` to `to`: the working days after `from`'s Jakarta date up
   * to and including `to`'s Jakarta date (negative when `to` is earlier). Inverse of
   * `addWorkingDays`: `workingDaysBetween(t, addWorkingDays(t, n)) === n`.
   */
  workingDaysBetween(from: Date, to: Date): number;
  /** Days off other than weekends in a year, sorted by date ('YYYY-MM-DD' in Jakarta). */
  holidaysIn(year: number): { date: string; name: string }[];
}

/** Options of {@link createWorkCalendar}; see `loadCalendarOverrides()` for the file-backed values. */
export interface WorkCalendarOptions {
  /** Extra days off, e.g. cuti bersama or official holiday dates date-holidays gets wrong. */
  extraDaysOff?: DayOff[];
  /** Dates ('YYYY-MM-DD') that are working days whatever else says; wins over every day off. */
  extraWorkingDays?: string[];
}

/** A public holiday as date-holidays reports it, reduced to the Jakarta civil date. */
interface PublicHoliday {
  date: string;
  name: string;
}

/** date-holidays names 27 Rajab "Maulid Nabi Muhammad" in Indonesian; it is Isra Mikraj. */
function fixHolidayName(rule: string, name: string): string {
  return /\b27 Rajab\b/.test(rule) ? 'Isra Mikraj Nabi Muhammad SAW' : name;
}

/** One entry of the precomputed table: date-holidays' `date`, `rule` and `name`. */
type TableEntry = [date: string, rule: string, name: string];

/** core/calendar/public-holidays.json, written by scripts/build-holiday-table.mjs. */
export interface HolidayTable {
  source: string;
  version: string;
  firstYear: number;
  lastYear: number;
  years: Record<string, TableEntry[]>;
}

/** Where the precomputed table lives (next to this module, in the sources and in the build). */
export const HOLIDAY_TABLE_URL = new URL('./public-holidays.json', import.meta.url);

let table: HolidayTable | undefined;
let holidaysLib: HolidaysLib | undefined;
const publicHolidayCache = new Map<number, PublicHoliday[]>();

/** The precomputed table, read on first use; see scripts/build-holiday-table.mjs. */
export function holidayTable(): HolidayTable {
  table ??= JSON.parse(readFileSync(HOLIDAY_TABLE_URL, 'utf8')) as HolidayTable;
  return table;
}

/**
 * The public holidays of `year` as date-holidays computes them: from the precomputed table for
 * the years it covers, else from date-holidays itself, loaded on first use (~24 MB, which is
 * why the table exists).
 */
export function listedByDateHolidays(year: number): TableEntry[] {
  const t = holidayTable();
  const listed = year >= t.firstYear && year <= t.lastYear ? t.years[String(year)] : undefined;
  if (listed) return listed;
  if (!holidaysLib) {
    const Holidays = createRequire(import.meta.url)('date-holidays') as typeof HolidaysLib;
    holidaysLib = new Holidays('ID', { timezone: 'Asia/Jakarta', types: ['public'] });
  }
  return (holidaysLib.getHolidays(year, 'id') || [])
    .filter((h) => h.type === 'public')
    .map((h): TableEntry => [h.date, h.rule, h.name]);
}

/** Public holidays listed for `year` (cached per year, shared by all calendars). */
function publicHolidaysListedIn(year: number): PublicHoliday[] {
  const cached = publicHolidayCache.get(year);
  if (cached) return cached;
  const list = listedByDateHolidays(year)
    // The day part of `date` is the observed civil date; see the module comment.
    .map(([date, rule, name]) => ({ date: date.slice(0, 10), name: fixHolidayName(rule, name) }))
    .filter((h) => isDateKey(h.date));
  publicHolidayCache.set(year, list);
  return list;
}

const SATURDAY = 6;
const SUNDAY = 0;
/** Safety bound for day-by-day loops: 100 years of calendar days. */
const MAX_SCAN_DAYS = 366 * 100;

function assertDateKeys(keys: readonly string[], what: string): void {
  for (const key of keys) {
    if (!isDateKey(key)) throw new RangeError(`${what}: '${key}' is not a real date written 'YYYY-MM-DD'`);
  }
}

/**
 * Create a working-day calendar for Asia/Jakarta. Without options it knows weekends and the
 * public holidays of date-holidays; production code passes the operator file as well.
 *
 * @example
 * ```ts
 * const calendar = createWorkCalendar(loadCalendarOverrides());
 * // Friday 2025-07-04 10:00 WIB + 1 working day -> Monday 2025-07-07 23:59:59.999 WIB
 * calendar.addWorkingDays(new Date('2025-07-04T03:00:00Z'), 1).toISOString(); // '2025-07-07T16:59:59.999Z'
 * ```
 */
export function createWorkCalendar(options: WorkCalendarOptions = {}): WorkCalendar {
  const extraDaysOff = options.extraDaysOff ?? [];
  const extraWorkingDays = new Set(options.extraWorkingDays ?? []);
  assertDateKeys(
    extraDaysOff.map((d) => d.date),
    'extraDaysOff',
  );
  assertDateKeys([...extraWorkingDays], 'extraWorkingDays');

  /** year -> (date key -> names), excluding extra working days. */
  const daysOffByYear = new Map<number, Map<string, string[]>>();

  function daysOffIn(year: number): Map<string, string[]> {
    const cached = daysOffByYear.get(year);
    if (cached) return cached;
    const prefix = `${year}-`;
    const byDate = new Map<string, string[]>();
    const add = (date: string, name: string): void => {
      if (!date.startsWith(prefix) || extraWorkingDays.has(date)) return;
      const names = byDate.get(date);
      if (!names) byDate.set(date, [name]);
      else if (!names.includes(name)) names.push(name);
    };
    // Neighbouring years too: a holiday near New Year may be listed under the other year.
    for (const y of [year - 1, year, year + 1]) {
      for (const h of publicHolidaysListedIn(y)) add(h.date, h.name);
    }
    for (const d of extraDaysOff) add(d.date, d.name);
    daysOffByYear.set(year, byDate);
    return byDate;
  }

  function isWorkingKey(key: string): boolean {
    if (extraWorkingDays.has(key)) return true;
    const dow = dayOfWeekOfKey(key);
    if (dow === SATURDAY || dow === SUNDAY) return false;
    return !daysOffIn(Number(key.slice(0, 4))).has(key);
  }

  function nextWorkingKey(key: string): string {
    let k = key;
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      k = addDaysToKey(k, 1);
      if (isWorkingKey(k)) return k;
    }
    throw new RangeError(`No working day within ${MAX_SCAN_DAYS} days after ${key}`);
  }

  function countWorkingKeys(fromKey: string, toKey: string): number {
    // Working days in (fromKey, toKey]; keys compare lexicographically like dates.
    let count = 0;
    let k = fromKey;
    while (k < toKey) {
      k = addDaysToKey(k, 1);
      if (isWorkingKey(k)) count++;
    }
    return count;
  }

  return {
    isWorkingDay(date: Date): boolean {
      return isWorkingKey(toJakartaDateKey(date));
    },

    addWorkingDays(from: Date, days: number): Date {
      assertValidDate(from, 'from');
      if (!Number.isSafeInteger(days) || days < 0) {
        throw new RangeError(`days must be a non-negative integer, got ${days}`);
      }
      let key = toJakartaDateKey(from);
      if (days === 0) return endOfJakartaDay(isWorkingKey(key) ? key : nextWorkingKey(key));
      for (let n = 0; n < days; n++) key = nextWorkingKey(key);
      return endOfJakartaDay(key);
    },

    workingDaysBetween(from: Date, to: Date): number {
      assertValidDate(from, 'from');
      assertValidDate(to, 'to');
      const a = toJakartaDateKey(from);
      const b = toJakartaDateKey(to);
      return a <= b ? countWorkingKeys(a, b) : -countWorkingKeys(b, a);
    },

    holidaysIn(year: number): { date: string; name: string }[] {
      if (!Number.isInteger(year) || year < 1 || year > 9999) {
        throw new RangeError(`year must be an integer between 1 and 9999, got ${year}`);
      }
      return [...daysOffIn(year)]
        .map(([date, names]) => ({ date, name: names.join(' / ') }))
        .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    },
  };
}
