// Cron expressions: validation with a readable reason, and "did a fire time fall between two instants"
// for catching up on runs missed while the process was down. Field syntax is node-cron's
// (https://github.com/node-cron/node-cron#cron-syntax): 5 fields, or 6 with seconds first.
import cron from 'node-cron';

/** Returns null when valid, else a short reason ("dayOfWeek: xyz is a invalid expression for week day"). */
export function cronProblem(expression: string): string | null {
  const v = cron.validateDetailed(expression);
  if (v.valid) return null;
  return v.errors
    .map((e) => (e.field === 'expression' ? e.message : `${e.field} "${e.value}": ${e.message}`))
    .join('; ');
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface WallParts {
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function wallParts(ms: number, tz: string): WallParts {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  return {
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    weekday: WEEKDAYS.indexOf(p.weekday!),
  };
}

/**
 * The first fire time t with after < t <= until, or null. Walks wall-clock time in the schedule's
 * time zone, skipping whole hours whose day or hour cannot match, and asks node-cron's own matcher
 * for the final word so that this never disagrees with when node-cron would really have fired.
 * Walks at most `maxDays` past `after`; a schedule that fires less often than that is not supported.
 */
export function firstFireBetween(
  expression: string,
  timeZone: string,
  after: Date,
  until: Date,
  maxDays = 400,
): Date | null {
  const fields = cron.parse(expression);
  const task = cron.createTask(expression, () => {}, { timezone: timeZone });
  const seconds = fields.second;
  const hours = new Set(fields.hour);
  const minutes = new Set(fields.minute);
  const months = new Set(fields.month);
  // L and #n tokens are strings; treat a day holding them as "maybe" and let match() decide.
  const plainDays = (xs: (number | string)[]) =>
    xs.every((x) => typeof x === 'number') ? new Set(xs as number[]) : null;
  const doms = plainDays(fields.dayOfMonth);
  const dows = plainDays(fields.dayOfWeek.map((d) => (d === 7 ? 0 : d)));
  const end = Math.min(until.getTime(), after.getTime() + maxDays * 86_400_000);
  let t = Math.floor(after.getTime() / 60_000) * 60_000; // minute containing `after`
  try {
    while (t <= end) {
      const p = wallParts(t, timeZone);
      const dayOk = months.has(p.month) && (!doms || doms.has(p.day)) && (!dows || dows.has(p.weekday));
      if (!dayOk || !hours.has(p.hour)) {
        // Wall minutes advance with real minutes (DST shifts happen on hour or half-hour boundaries),
        // so this lands on the next wall-clock hour without stepping over any candidate minute.
        t += (60 - p.minute) * 60_000;
        continue;
      }
      if (minutes.has(p.minute)) {
        for (const s of seconds) {
          const candidate = t + s * 1000;
          if (candidate > after.getTime() && candidate <= until.getTime() && task.match(new Date(candidate)))
            return new Date(candidate);
        }
      }
      t += 60_000;
    }
  } finally {
    void task.destroy();
  }
  return null;
}

/** Next fire time after `from` (for the Jobs page), within a year. */
export function nextFireAfter(expression: string, timeZone: string, from: Date): Date | null {
  return firstFireBetween(expression, timeZone, from, new Date(from.getTime() + 366 * 86_400_000), 367);
}
