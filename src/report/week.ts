// ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday) as the weekly report counts them.
import { addDays, dayIn } from '../util/days.ts';
import type { WeekRange } from './types.ts';

const DAY_MS = 86_400_000;

/** Monday = 0 … Sunday = 6 of a YYYY-MM-DD day. */
const isoWeekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Monday of week 1 of an ISO year: the Monday on or before 4 January (4 January is always in week 1). */
function week1Monday(year: number): string {
  const jan4 = `${String(year).padStart(4, '0')}-01-04`;
  return addDays(jan4, -isoWeekday(jan4));
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
export function weeksInYear(year: number): number {
  return Math.round(
    (Date.parse(`${week1Monday(year + 1)}T00:00:00Z`) - Date.parse(`${week1Monday(year)}T00:00:00Z`)) /
      (7 * DAY_MS),
  );
}

function range(year: number, week: number): WeekRange {
  const from = addDays(week1Monday(year), (week - 1) * 7);
  return { week: `${year}-W${pad2(week)}`, from, to: addDays(from, 6) };
}

/**
 * Reads a week as a person types it ("2026-W47", also "2026-w47" and "2026W47"); throws a message that
 * says what is wrong ("2026 has 53 ISO weeks") rather than quietly rolling into the next year.
 */
export function parseWeek(text: string): WeekRange {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(text.trim());
  if (!m) throw new Error(`Week must be an ISO week like 2026-W47, got "${text}"`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1000) throw new Error(`Week "${text}": the year must be 1000 or later`);
  const last = weeksInYear(year);
  if (week < 1 || week > last)
    throw new Error(`Week "${text}" does not exist: ${year} has ISO weeks W01 to W${pad2(last)}`);
  return range(year, week);
}

/** The ISO week a YYYY-MM-DD day falls in; the ISO year can differ from the calendar year near New Year. */
export function weekOf(day: string): WeekRange {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new Error(`weekOf: expected a day like 2026-11-27, got "${day}"`);
  // The week belongs to the year its Thursday is in.
  const thursday = addDays(day, 3 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  const monday = addDays(thursday, -3);
  const week =
    Math.round(
      (Date.parse(`${monday}T00:00:00Z`) - Date.parse(`${week1Monday(year)}T00:00:00Z`)) / (7 * DAY_MS),
    ) + 1;
  return range(year, week);
}

/** Monday to Sunday of a week given as "2026-W47" (validated as parseWeek does). */
export function weekRange(week: string): WeekRange {
  return parseWeek(week);
}

/** The week before, e.g. 2021-W01 → 2020-W53. */
export function previousWeek(week: WeekRange): WeekRange {
  return weekOf(addDays(week.from, -7));
}

/** The seven days of the week, Monday first. */
export function weekDays(week: WeekRange): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(week.from, i));
}

/** The last week that has ended in the zone: the week before the one holding today there. */
export function lastCompleteWeek(now: Date, timeZone: string): WeekRange {
  return weekOf(addDays(dayIn(now, timeZone), -7));
}

/** Offset of the zone from UTC at an instant, in milliseconds (Moscow: +3 h). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) -
    Math.floor(at / 1000) * 1000
  );
}

/** The instant a day begins in a zone (its first moment, even where a DST change skips midnight). */
export function startOfDayIn(day: string, timeZone: string): Date {
  const local = Date.parse(`${day}T00:00:00Z`);
  // Two passes settle the offset that holds at the result, not at the guess.
  let t = local - zoneOffsetMs(local, timeZone);
  t = local - zoneOffsetMs(t, timeZone);
  // A midnight that does not exist (the clock jumped past it) starts the day at the jump.
  while (dayIn(new Date(t), timeZone) < day) t += 15 * 60_000;
  return new Date(t);
}

/** The week as instants: [start, end) from Monday 00:00 to the next Monday 00:00 in the zone. */
export function weekInstants(week: WeekRange, timeZone: string): { start: Date; end: Date } {
  return { start: startOfDayIn(week.from, timeZone), end: startOfDayIn(addDays(week.to, 1), timeZone) };
}
