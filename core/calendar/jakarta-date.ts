/**
 * Calendar-date arithmetic on the Asia/Jakarta wall clock (WIB, UTC+7, no DST since 1964).
 *
 * Dates are handled as 'YYYY-MM-DD' keys of the Jakarta calendar so that the server's own
 * time zone never matters: 2025-07-06T22:00:00Z is already Monday 2025-07-07 05:00 WIB.
 */

/** Offset of WIB from UTC in milliseconds (+07:00, constant). */
export const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_KEY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertValidDate(date: Date, what = 'date'): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`Invalid ${what}: expected a valid Date`);
  }
}

/**
 * The Jakarta calendar date of an instant, as 'YYYY-MM-DD'.
 *
 * @example
 * ```ts
 * toJakartaDateKey(new Date('2025-07-06T22:00:00Z')); // '2025-07-07' (05:00 WIB on Monday)
 * ```
 */
export function toJakartaDateKey(date: Date): string {
  assertValidDate(date);
  return new Date(date.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * True when `key` is a real calendar date written 'YYYY-MM-DD' (rejects '2025-02-30').
 *
 * @example
 * ```ts
 * isDateKey('2026-03-20'); // true
 * isDateKey('2026-3-20');  // false
 * ```
 */
export function isDateKey(key: string): boolean {
  const m = DATE_KEY_RE.exec(key);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Midnight UTC of a date key: a neutral carrier for day arithmetic on keys. */
function keyToUtcMidnight(key: string): number {
  const m = DATE_KEY_RE.exec(key);
  if (!m) throw new RangeError(`Invalid date key '${key}': expected 'YYYY-MM-DD'`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/**
 * Shift a date key by whole calendar days.
 *
 * @example
 * ```ts
 * addDaysToKey('2025-12-31', 1); // '2026-01-01'
 * ```
 */
export function addDaysToKey(key: string, days: number): string {
  return new Date(keyToUtcMidnight(key) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Day of week of a date key: 0 = Sunday ... 6 = Saturday.
 *
 * @example
 * ```ts
 * dayOfWeekOfKey('2025-07-05'); // 6 (Saturday)
 * ```
 */
export function dayOfWeekOfKey(key: string): number {
  return new Date(keyToUtcMidnight(key)).getUTCDay();
}

/**
 * The last millisecond of a Jakarta calendar day (23:59:59.999 WIB) as an instant.
 *
 * @example
 * ```ts
 * endOfJakartaDay('2025-07-07').toISOString(); // '2025-07-07T16:59:59.999Z'
 * ```
 */
export function endOfJakartaDay(key: string): Date {
  return new Date(keyToUtcMidnight(key) + DAY_MS - 1 - JAKARTA_OFFSET_MS);
}

/**
 * The first millisecond of a Jakarta calendar day (00:00:00.000 WIB) as an instant.
 *
 * @example
 * ```ts
 * startOfJakartaDay('2025-07-07').toISOString(); // '2025-07-06T17:00:00.000Z'
 * ```
 */
export function startOfJakartaDay(key: string): Date {
  return new Date(keyToUtcMidnight(key) - JAKARTA_OFFSET_MS);
}

/** @internal Exposed for the calendar module's own validation. */
export { assertValidDate };
