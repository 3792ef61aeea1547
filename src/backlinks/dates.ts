// Reads the dates people and backlink tools write in inventory files: YYYY-MM-DD or DD.MM.YYYY, with an
// optional time (dropped) and time zone.
import { messages, type Messages } from '../i18n/index.ts';

/** Why a value is refused, in words: English for the CLI and imports, the reader's on the dashboard. */
export type InputWhy = Messages['backlinks']['input']['why'];
const EN: InputWhy = messages('en').backlinks.input.why;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/**
 * The calendar day, or a string saying why it is not one. A time with a zone ("2026-01-18T23:30:00Z",
 * as Ahrefs writes) gives that moment's day in UTC; a time without one gives the day as written.
 */
export function parseDate(s: string, why: InputWhy = EN): { day: string } | string {
  const time = '(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?';
  const iso = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${time}$`).exec(s);
  const ru = new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${time}$`).exec(s);
  if (!iso && !ru) return why.notDate;
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]].map(Number) : [ru![3], ru![2], ru![1]].map(Number);
  if (y! < 1000 || m! < 1 || m! > 12 || d! < 1 || d! > daysInMonth(y!, m!)) return why.notRealDate;
  const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const [hh, mm, ss, zone] = (iso ?? ru)!.slice(4);
  if (!zone) return { day };
  const offset = zone === 'Z' ? '+00:00' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const at = Date.parse(`${day}T${hh!.padStart(2, '0')}:${mm}:${ss ?? '00'}${offset}`);
  if (Number.isNaN(at)) return why.notRealTime;
  return { day: new Date(at).toISOString().slice(0, 10) };
}
