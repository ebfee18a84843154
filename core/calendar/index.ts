/**
 * Working-day calendar for the SLA clock (Asia/Jakarta).
 *
 * @example
 * ```ts
 * import { createWorkCalendar, loadCalendarOverrides } from '../calendar/index.ts';
 * const calendar = createWorkCalendar(loadCalendarOverrides());
 * const due = calendar.addWorkingDays(report.receivedAt, 3); // verify-and-forward deadline
 * ```
 */
export {
  type CalendarOverrides,
  type DayOff,
  DEFAULT_CUTI_BERSAMA_PATH,
  loadCalendarOverrides,
  loadCutiBersama,
} from './cuti-bersama.ts';
export {
  addDaysToKey,
  dayOfWeekOfKey,
  endOfJakartaDay,
  isDateKey,
  JAKARTA_OFFSET_MS,
  startOfJakartaDay,
  toJakartaDateKey,
} from './jakarta-date.ts';
export { createWorkCalendar, type WorkCalendar, type WorkCalendarOptions } from './work-calendar.ts';
