// Reads the day cells of ad platforms' exports (and the period in their title lines) as YYYY-MM-DD.

/** How to read "3/4/2026" when no date in the file decides: Microsoft's US exports put the month first. */
export type SlashOrder = 'month-first' | 'refuse';

export type DayOrError = { day: string } | { error: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthOf(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.indexOf(n.slice(0, 3));
  if (i < 0) return 0;
  // "Sept" is how some locales abbreviate September.
  return n.length === 3 || FULL_MONTHS[i]!.startsWith(n) ? i + 1 : 0;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

const ymd = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

type Shape = { y: number; m: number; d: number } | { slash: [number, number, number] } | null;

function shapeOf(raw: string): Shape {
  const t = raw.trim();
  // 2026-09-01 (Google Ads, Meta, Microsoft's TimePeriod, Yandex Direct's API), also with "/" or ".".
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return { y: +m[1]!, m: +m[2]!, d: +m[3]! };
  // 01.09.2026: day first, as Yandex Direct's interface writes dates.
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(t);
  if (m) return { y: m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, m: +m[2]!, d: +m[1]! };
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return { slash: [+m[1]!, +m[2]!, +m[3]!] };
  // "Sep 1, 2026", "Tue, Sep 1, 2026", "September 1, 2026"
  m = /^(?:[a-z]{3,9}\.?,?\s+)?([a-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t);
  if (m && monthOf(m[1]!)) return { y: +m[3]!, m: monthOf(m[1]!), d: +m[2]! };
  // "1 Sep 2026", "1 September 2026"
  m = /^(?:[a-z]{3,9}\.?,?\s+)?(\d{1,2})\s+([a-z]{3,9}\.?),?\s+(\d{4})$/i.exec(t);
  if (m && monthOf(m[2]!)) return { y: +m[3]!, m: monthOf(m[2]!), d: +m[1]! };
  return null;
}

/**
 * Reads a file's distinct day values together: "3/4/2026" is the 4th of March in a US file and the 3rd
 * of April elsewhere, and one "13/4/2026" in the file settles which. When nothing settles it, `slash`
 * decides or the file is refused (`problem`), never guessed silently (`warning` says what was assumed).
 */
export function readDays(
  values: Iterable<string>,
  slash: SlashOrder,
): { days: Map<string, DayOrError>; problem?: string; warning?: string } {
  const shapes = new Map<string, Shape>();
  for (const v of values) if (!shapes.has(v)) shapes.set(v, shapeOf(v));
  let monthFirstOk = true;
  let dayFirstOk = true;
  let undecided: string | null = null;
  for (const [v, s] of shapes) {
    if (!s || !('slash' in s)) continue;
    const [a, b, y] = s.slash;
    if (!isRealDate(y, a, b)) monthFirstOk = false;
    if (!isRealDate(y, b, a)) dayFirstOk = false;
    if (a !== b) undecided ??= v.trim();
  }
  let monthFirst = true;
  let warning: string | undefined;
  if (undecided && monthFirstOk && dayFirstOk) {
    if (slash === 'refuse')
      return {
        days: new Map(),
        problem: `dates like "${undecided}" read both as month/day/year and day/month/year, and no date in the file decides which: export dates as YYYY-MM-DD`,
      };
    warning = `dates like "${undecided}" were read as month/day/year (US order): no date in the file says otherwise`;
  } else monthFirst = monthFirstOk || !dayFirstOk;

  const days = new Map<string, DayOrError>();
  for (const [v, s] of shapes) {
    if (v.trim() === '') {
      days.set(v, { error: 'is empty: every row needs its day' });
      continue;
    }
    if (!s) {
      days.set(v, { error: `${JSON.stringify(v.trim())} is not a day: expected a date like 2026-09-01` });
      continue;
    }
    const [y, m, d] =
      'slash' in s
        ? monthFirst
          ? [s.slash[2], s.slash[0], s.slash[1]]
          : [s.slash[2], s.slash[1], s.slash[0]]
        : [s.y, s.m, s.d];
    days.set(
      v,
      isRealDate(y, m, d)
        ? { day: ymd(y, m, d) }
        : { error: `${JSON.stringify(v.trim())} is not a real calendar day` },
    );
  }
  return { days, warning };
}

const DATE_IN_TEXT =
  /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\/\d{1,2}\/\d{4}|[A-Za-z]{3,9}\.? \d{1,2}, \d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4}/g;

/**
 * The period a report's title lines state ("March 27, 2026 - April 23, 2026", "Campaign stats
 * (2026-09-01 - 2026-09-07)", "Report Time: 2/1/2026, 2/7/2026"): the last two dates in them, or the
 * one date of a one-day report. Null when the lines name no date ("All time").
 */
export function periodInText(
  lines: readonly string[],
  slash: SlashOrder,
): { from: string; to: string } | null {
  const found = lines.flatMap((l) => l.match(DATE_IN_TEXT) ?? []);
  const { days, problem } = readDays(found, slash);
  if (problem) return null;
  const read = found.flatMap((f) => {
    const d = days.get(f);
    return d && 'day' in d ? [d.day] : [];
  });
  const last = read.slice(-2).sort();
  if (last.length === 0) return null;
  return { from: last[0]!, to: last[last.length - 1]! };
}
