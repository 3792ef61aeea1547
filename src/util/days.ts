// Calendar days in a time zone, as YYYY-MM-DD strings (the form every chart's x axis uses).

// Building a formatter costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dayIn(date: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(date);
}

export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The `count` days ending with today (in the zone), oldest first. */
export function lastDays(now: Date, timeZone: string, count: number): string[] {
  const today = dayIn(now, timeZone);
  return Array.from({ length: count }, (_, i) => addDays(today, i - count + 1));
}
