// What a positions file becomes (rows, errors) and the parts every positions reader shares: dates in the
// shapes trackers write them, position cells ("-", ">50", "12.5"), URLs, and rows checked for contradictions.
import { normalizeUrl } from '../crawl/url.ts';
import type { Device, Engine } from './types.ts';

export type PositionsFormat = 'serpbear' | 'serposcope' | 'promowatch' | 'wide';

export interface PositionRow {
  /** 1-based physical line of the file the value came from. */
  line: number;
  query: string;
  engine?: Engine;
  device?: Device;
  /** Canonical region key ("gl=ru;hl=ru", "lr=213") when the file gives one. */
  region?: string;
  /** Two-letter country, lower-case, when the file gives a country but no full region (SerpBear, Serposcope). */
  country?: string;
  /** Serposcope's "local" setting (a location name) when set. */
  location?: string;
  /** YYYY-MM-DD */
  day: string;
  state: 'ranked' | 'not-in-top';
  /** Set only when ranked; may be fractional (an average). */
  position: number | null;
  url: string | null;
  /** How deep the tracker looked, when the cell says so (">50" → 50, "101" → 100). */
  depth?: number;
}

export interface PositionsImport {
  /** The format recognised; 'promowatch' when none was (then `errors` says so). */
  format: PositionsFormat;
  rows: PositionRow[];
  errors: { line: number; message: string }[];
}

export interface PositionsOptions {
  /** Serposcope exports every target of a group: the one whose positions to read (by its name). */
  serposcopeTarget?: string;
}

// --- Dates ---------------------------------------------------------------------------------------

export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  const days =
    m === 2
      ? (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
        ? 29
        : 28
      : [4, 6, 9, 11].includes(m)
        ? 30
        : 31;
  return d <= days;
}
const ymd = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

type DateShape =
  { kind: 'fixed'; y: number; m: number; d: number } | { kind: 'slash'; a: number; b: number; y: number };

/** YYYY-MM-DD or YYYY/MM/DD, DD.MM.YYYY (day first, as Russian tools write), or A/B/YYYY (order unknown). */
const shapeCache = new Map<string, DateShape | null>();
export function dateShape(s: string): DateShape | null {
  // A long file repeats each of its few hundred dates thousands of times.
  const hit = shapeCache.get(s);
  if (hit !== undefined) return hit;
  const shape = dateShapeOf(s);
  if (shapeCache.size < 10_000) shapeCache.set(s, shape);
  return shape;
}

function dateShapeOf(s: string): DateShape | null {
  const t = s.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m) return { kind: 'fixed', y: +m[1]!, m: +m[2]!, d: +m[3]! };
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return { kind: 'fixed', y: +m[3]!, m: +m[2]!, d: +m[1]! };
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return { kind: 'slash', a: +m[1]!, b: +m[2]!, y: +m[3]! };
  return null;
}

/**
 * Reads a set of dates that belong together (a wide file's headers, a long file's date column). Dates
 * with slashes are MM/DD/YYYY in US tools and DD/MM/YYYY elsewhere; the whole set decides, so one
 * "13/09/2026" settles every "01/09/2026". When no date decides, the set is refused, never guessed.
 */
type DayOrError = { day: string } | { error: string };

export function readDates(values: string[]): { days: DayOrError[] } | { ambiguous: string } {
  // Decided on the distinct values: a long file repeats a few hundred dates thousands of times.
  const distinct = [...new Set(values)];
  const shapes = distinct.map(dateShape);
  const slashes = shapes.filter((s): s is Extract<DateShape, { kind: 'slash' }> => s?.kind === 'slash');
  const monthFirstOk = slashes.filter((s) => isRealDate(s.y, s.a, s.b)).length;
  const dayFirstOk = slashes.filter((s) => isRealDate(s.y, s.b, s.a)).length;
  const ambiguous =
    slashes.some((s) => s.a !== s.b) && monthFirstOk === slashes.length && dayFirstOk === slashes.length;
  if (ambiguous) {
    const example = distinct[shapes.indexOf(slashes.find((s) => s.a !== s.b)!)]!;
    return {
      ambiguous: `dates like "${example.trim()}" read both as MM/DD/YYYY and DD/MM/YYYY, and no date in the file decides which: export them as YYYY-MM-DD or DD.MM.YYYY`,
    };
  }
  const monthFirst = monthFirstOk >= dayFirstOk;
  const read = new Map<string, DayOrError>();
  distinct.forEach((value, i) => {
    const s = shapes[i]!;
    let out: DayOrError;
    if (value.trim() === '') out = { error: 'is empty: every row needs a date' };
    else if (!s)
      out = {
        error: `${JSON.stringify(value.trim())} is not a date: write YYYY-MM-DD, DD.MM.YYYY or MM/DD/YYYY`,
      };
    else {
      const [y, m, d] = s.kind === 'fixed' ? [s.y, s.m, s.d] : monthFirst ? [s.y, s.a, s.b] : [s.y, s.b, s.a];
      if (!isRealDate(y, m, d)) {
        const how = s.kind === 'slash' ? ` (read as ${monthFirst ? 'MM/DD/YYYY' : 'DD/MM/YYYY'})` : '';
        out = { error: `${JSON.stringify(value.trim())} is not a real calendar date${how}` };
      } else out = { day: ymd(y, m, d) };
    }
    read.set(value, out);
  });
  return { days: values.map((v) => read.get(v)!) };
}

// --- Position cells ------------------------------------------------------------------------------

type Cell =
  { state: 'ranked'; position: number } | { state: 'not-in-top'; depth?: number } | { state: 'no-data' };

const NOT_IN_TOP =
  /^(?:not in (?:the )?top|not found|not ranked|не в топе?|не найден[оа]?)(?:[\s-]*(\d+))?$/i;

/**
 * One position cell. An empty cell is "no data" and never becomes a position; "-", ">100", "100+",
 * "101" and "not in top 100" mean the tracker looked and the site was not there. SerpBear alone
 * stores 0 for that (its export prints it as "-", utils/client/exportcsv.ts in
 * https://github.com/towfiqi/serpbear); elsewhere 0 means nothing certain and is refused. A string says why the cell is not a position.
 */
const positionCache = new Map<string, Cell | string>();
export function readPosition(raw: string, zeroMeansNotInTop: boolean): Cell | string {
  const key = `${zeroMeansNotInTop ? 1 : 0}${raw}`;
  const hit = positionCache.get(key);
  if (hit !== undefined) return hit;
  const cell = readPositionOf(raw, zeroMeansNotInTop);
  if (positionCache.size < 10_000) positionCache.set(key, cell);
  return cell;
}

function readPositionOf(raw: string, zeroMeansNotInTop: boolean): Cell | string {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '') return { state: 'no-data' };
  if (/^[-–—]$/.test(s)) return { state: 'not-in-top' };
  let m = /^>\s*(\d+)$/.exec(s) ?? /^(\d+)\s*\+$/.exec(s) ?? NOT_IN_TOP.exec(s);
  if (m) return m[1] ? { state: 'not-in-top', depth: Number(m[1]) } : { state: 'not-in-top' };
  m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return 'is not a position: write 1–100, "-" for not in the top, or leave it empty for no data';
  const n = Number(m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`);
  if (n === 0) {
    if (zeroMeansNotInTop) return { state: 'not-in-top' };
    return 'is not a position: 0 could mean "not in the top" or "not checked"; write "-" for not in the top, or leave it empty for no data';
  }
  if (n < 1) return 'is not a position: positions start at 1';
  // Past 100 the site is, truthfully, not in the top 100 we track.
  if (n > 100) return m[2] === undefined ? { state: 'not-in-top', depth: 100 } : 'is an average past 100';
  return { state: 'ranked', position: n };
}

// --- Shared row building -------------------------------------------------------------------------

export interface Context {
  out: PositionsImport;
  /** identity of a (keyword, day) → first line and its value, to catch contradictions */
  /** keyword identity → day → index in out.rows, to catch contradictions (nested: 730,000 string keys
   * in one map cost more than the rest of the import) */
  seen: Map<string, Map<string, number>>;
}

export function err(ctx: Context, line: number, message: string) {
  ctx.out.errors.push({ line, message });
}

export const identityOf = (row: Omit<PositionRow, 'day' | 'state' | 'position' | 'url' | 'line'>) =>
  [row.query.toLowerCase(), row.engine, row.device, row.region, row.country, row.location].join('\n');

/** `identity`: the keyword's identityOf(), when the caller has it already (one per keyword, not per row). */
export function push(ctx: Context, row: PositionRow, identity = identityOf(row)) {
  let days = ctx.seen.get(identity);
  if (!days) ctx.seen.set(identity, (days = new Map()));
  const firstIndex = days.get(row.day);
  if (firstIndex === undefined) {
    days.set(row.day, ctx.out.rows.length);
    ctx.out.rows.push(row);
    return;
  }
  const first = ctx.out.rows[firstIndex]!;
  if (first.state !== row.state || first.position !== row.position)
    err(ctx, row.line, `gives "${row.query}" on ${row.day} a different position than line ${first.line}`);
}

export function withPosition(
  ctx: Context,
  base: Omit<PositionRow, 'state' | 'position' | 'depth' | 'url' | 'day' | 'line'>,
  line: number,
  day: string,
  cell: string,
  column: string,
  url: string | null,
  zeroMeansNotInTop = false,
  identity?: string,
) {
  const p = readPosition(cell, zeroMeansNotInTop);
  if (typeof p === 'string') return err(ctx, line, `column "${column}": ${JSON.stringify(cell.trim())} ${p}`);
  if (p.state === 'no-data') return;
  // One object per row, fields in one order (rows number in the hundreds of thousands).
  const row: PositionRow = {
    line,
    query: base.query,
    engine: base.engine,
    device: base.device,
    region: base.region,
    country: base.country,
    location: base.location,
    day,
    state: p.state,
    position: p.state === 'ranked' ? p.position : null,
    url: p.state === 'ranked' ? url : null,
    depth: p.state === 'not-in-top' ? p.depth : undefined,
  };
  push(ctx, row, identity);
}

const urlCache = new Map<string, ReturnType<typeof normalizeUrl>>();
export function readUrl(
  ctx: Context,
  line: number,
  cell: string | undefined,
  column: string,
): string | null | false {
  const s = cell?.trim() ?? '';
  if (s === '' || s === '-') return null;
  const n = urlCache.get(s) ?? normalizeUrl(s);
  if (urlCache.size < 100_000) urlCache.set(s, n);
  if (n.ok) return n.url;
  err(ctx, line, `column "${column}": ${JSON.stringify(s.slice(0, 200))} is not an absolute http(s) URL`);
  return false;
}
