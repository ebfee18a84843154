/**
 * Loader for the operator-edited calendar file (core/calendar/cuti-bersama.json): collective
 * leave days (cuti bersama) and corrections to the public holidays date-holidays computes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LaporError } from '../errors.ts';
import { isDateKey } from './jakarta-date.ts';

/** A named day off on the Jakarta calendar. */
export interface DayOff {
  /** 'YYYY-MM-DD' (Jakarta calendar date). */
  date: string;
  name: string;
}

/** The options {@link createWorkCalendar} takes, as read from the calendar file. */
export interface CalendarOverrides {
  extraDaysOff: DayOff[];
  extraWorkingDays: string[];
}

/** Absolute path of the bundled calendar file. */
export const DEFAULT_CUTI_BERSAMA_PATH: string = fileURLToPath(
  new URL('./cuti-bersama.json', import.meta.url),
);

function fail(path: string, detail: string): never {
  throw new LaporError('LAPOR_ERR_CONFIG', `Calendar file ${path}: ${detail}`, { path });
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LaporError(
      'LAPOR_ERR_CONFIG',
      `Calendar file ${path}: cannot be read`,
      { path },
      { cause: error },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LaporError(
      'LAPOR_ERR_CONFIG',
      `Calendar file ${path}: not valid JSON`,
      { path },
      { cause: error },
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseDays(path: string, raw: unknown): DayOff[] {
  if (!Array.isArray(raw)) fail(path, "'days' must be an array of { date, name }");
  return raw.map((entry, i) => {
    if (!isRecord(entry)) fail(path, `days[${i}] must be an object { date, name }`);
    const { date, name } = entry;
    if (typeof date !== 'string' || !isDateKey(date)) {
      fail(path, `days[${i}].date must be a real date written 'YYYY-MM-DD', got ${JSON.stringify(date)}`);
    }
    if (typeof name !== 'string' || name.trim() === '')
      fail(path, `days[${i}].name must be a non-empty string`);
    return { date, name: name.trim() };
  });
}

function parseWorkingDays(path: string, raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(path, "'workingDays' must be an array");
  return raw.map((entry, i) => {
    const date = isRecord(entry) ? entry.date : entry;
    if (typeof date !== 'string' || !isDateKey(date)) {
      fail(
        path,
        `workingDays[${i}] must be 'YYYY-MM-DD' or { date: 'YYYY-MM-DD' }, got ${JSON.stringify(date)}`,
      );
    }
    return date;
  });
}

/**
 * Read and validate the whole calendar file: days off and working-day corrections, shaped as
 * the options of {@link createWorkCalendar}. This is what production code should use.
 *
 * Accepts `{ days: [{ date, name, ... }], workingDays?: [{ date } | 'YYYY-MM-DD'] }` or a bare
 * array of `{ date, name }`. Throws a `LaporError` (`LAPOR_ERR_CONFIG`) naming the bad entry.
 *
 * @example
 * ```ts
 * const calendar = createWorkCalendar(loadCalendarOverrides());
 * calendar.isWorkingDay(new Date('2026-03-23T03:00:00Z')); // false: cuti bersama Idul Fitri
 * ```
 */
export function loadCalendarOverrides(path: string = DEFAULT_CUTI_BERSAMA_PATH): CalendarOverrides {
  const json = readJson(path);
  if (Array.isArray(json)) return { extraDaysOff: parseDays(path, json), extraWorkingDays: [] };
  if (!isRecord(json)) fail(path, "expected an object with a 'days' array");
  return {
    extraDaysOff: parseDays(path, json.days),
    extraWorkingDays: parseWorkingDays(path, json.workingDays),
  };
}

/**
 * Read the days off (cuti bersama, plus official holidays date-holidays misses or misdates)
 * from the calendar file. Dates are validated as real 'YYYY-MM-DD' dates.
 * Prefer {@link loadCalendarOverrides}, which also returns the working-day corrections.
 *
 * @example
 * ```ts
 * const calendar = createWorkCalendar({ extraDaysOff: loadCutiBersama() });
 * loadCutiBersama().find((d) => d.date === '2026-03-23')?.name; // 'Cuti bersama Hari Raya Idul Fitri 1447 H'
 * ```
 */
export function loadCutiBersama(path: string = DEFAULT_CUTI_BERSAMA_PATH): DayOff[] {
  return loadCalendarOverrides(path).extraDaysOff;
}
