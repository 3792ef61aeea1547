// Times as the CLI prints them: the wall clock of a named zone, written the ISO way without the T.

/** "2026-11-01 09:00" as the wall clock reads in `timeZone` (sv-SE writes dates the ISO way). */
export function wallClock(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
