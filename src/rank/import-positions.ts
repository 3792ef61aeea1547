// Reads positions exported from other rank trackers (or by us) into dated observations; no I/O.

import { normalizeUrl } from '../crawl/url.ts';
import { decodeText, parseCsv, type CsvRow } from '../util/csv.ts';
import {
  headerKey,
  KEYWORD_COLUMNS,
  normalizeQuery,
  parseDevice,
  parseEngine,
  parseRegionKey,
  regionKey,
} from './import-keywords.ts';
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

const DATE_COLUMN = ['date', 'day', 'дата'];
const POSITION_COLUMN = ['position', 'rank', 'позиция', 'место'];
const URL_COLUMN = ['url', 'ranking url', 'found url', 'landing page', 'страница', 'релевантная страница'];
const REGION_COLUMN = ['region', 'регион'];

// --- Dates ---------------------------------------------------------------------------------------

function isRealDate(y: number, m: number, d: number): boolean {
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
function dateShape(s: string): DateShape | null {
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

function readDates(values: string[]): { days: DayOrError[] } | { ambiguous: string } {
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
function readPosition(raw: string, zeroMeansNotInTop: boolean): Cell | string {
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

interface Context {
  out: PositionsImport;
  /** identity of a (keyword, day) → first line and its value, to catch contradictions */
  /** keyword identity → day → index in out.rows, to catch contradictions (nested: 730,000 string keys
   * in one map cost more than the rest of the import) */
  seen: Map<string, Map<string, number>>;
}

function err(ctx: Context, line: number, message: string) {
  ctx.out.errors.push({ line, message });
}

const identityOf = (row: Omit<PositionRow, 'day' | 'state' | 'position' | 'url' | 'line'>) =>
  [row.query.toLowerCase(), row.engine, row.device, row.region, row.country, row.location].join('\n');

/** `identity`: the keyword's identityOf(), when the caller has it already (one per keyword, not per row). */
function push(ctx: Context, row: PositionRow, identity = identityOf(row)) {
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

function withPosition(
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
function readUrl(
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

// --- Our long format and the wide format ---------------------------------------------------------

interface Columns {
  query: number;
  engine?: number;
  device?: number;
  region?: number;
  date?: number;
  position?: number;
  url?: number;
  /** Wide format: column index → header text, for the date columns. */
  dates: Map<number, string>;
}

function findColumns(header: CsvRow): Columns | null {
  const keys = header.cells.map(headerKey);
  const find = (aliases: readonly string[]) => {
    const i = keys.findIndex((k) => aliases.includes(k));
    return i === -1 ? undefined : i;
  };
  const query = find(KEYWORD_COLUMNS.query);
  if (query === undefined) return null;
  const dates = new Map<number, string>();
  header.cells.forEach((h, i) => dateShape(h) && dates.set(i, h.trim()));
  return {
    query,
    engine: find(KEYWORD_COLUMNS.engine),
    device: find(KEYWORD_COLUMNS.device),
    region: find(REGION_COLUMN),
    date: find(DATE_COLUMN),
    position: find(POSITION_COLUMN),
    url: find(URL_COLUMN),
    dates,
  };
}

/** Query, engine, device and region of a long or wide row; null when one of them is wrong (noted). */
function rowKeyword(ctx: Context, row: CsvRow, cols: Columns, header: CsvRow) {
  const label = (i: number) => header.cells[i]!.trim();
  const cell = (i: number | undefined) => (i === undefined ? '' : (row.cells[i] ?? '').trim());
  let ok = true;
  const query = normalizeQuery(cell(cols.query));
  if (!query) {
    err(ctx, row.line, `column "${label(cols.query)}" is empty`);
    ok = false;
  }
  let engine: Engine | undefined;
  if (cell(cols.engine) !== '' && !(engine = parseEngine(cell(cols.engine)))) {
    err(
      ctx,
      row.line,
      `column "${label(cols.engine!)}": ${JSON.stringify(cell(cols.engine))} is not google, yandex or bing`,
    );
    ok = false;
  }
  let device: Device | undefined;
  if (cell(cols.device) !== '' && !(device = parseDevice(cell(cols.device)))) {
    err(
      ctx,
      row.line,
      `column "${label(cols.device!)}": ${JSON.stringify(cell(cols.device))} is not desktop or mobile`,
    );
    ok = false;
  }
  let region: string | undefined;
  if (cell(cols.region) !== '') {
    const r = parseRegionKey(cell(cols.region));
    const where = `column "${label(cols.region!)}": ${JSON.stringify(cell(cols.region))}`;
    if (typeof r === 'string') {
      err(ctx, row.line, `${where} ${r}`);
      ok = false;
    } else if (engine && (r.lr != null) !== (engine === 'yandex')) {
      err(ctx, row.line, `${where} does not fit ${engine}: Yandex takes "lr=…", Google and Bing "gl=…;hl=…"`);
      ok = false;
    } else region = regionKey(r, r.lr != null ? 'yandex' : (engine ?? 'google'));
  }
  if (!ok || !query) return null;
  return {
    line: row.line,
    query,
    ...(engine ? { engine } : {}),
    ...(device ? { device } : {}),
    ...(region ? { region } : {}),
  };
}

function readLong(ctx: Context, header: CsvRow, body: CsvRow[], cols: Columns) {
  const dateCol = cols.date!;
  const posCol = cols.position!;
  const dates = readDates(body.map((r) => r.cells[dateCol] ?? ''));
  if ('ambiguous' in dates)
    return err(
      ctx,
      body[0]?.line ?? header.line,
      `column "${header.cells[dateCol]!.trim()}": ${dates.ambiguous}`,
    );
  // Rows of one keyword repeat the same four cells: check them once (errors are never cached, so
  // every bad line is still reported with its own number).
  const keywords = new Map<string, { base: NonNullable<ReturnType<typeof rowKeyword>>; identity: string }>();
  const at = (r: CsvRow, i: number | undefined) => (i === undefined ? '' : (r.cells[i] ?? ''));
  body.forEach((row, i) => {
    const sig = `${at(row, cols.query)}\u0000${at(row, cols.engine)}\u0000${at(row, cols.device)}\u0000${at(row, cols.region)}`;
    let known = keywords.get(sig);
    if (!known) {
      const checked = rowKeyword(ctx, row, cols, header);
      if (checked) keywords.set(sig, (known = { base: checked, identity: identityOf(checked) }));
    }
    const base = known?.base ?? null;
    const date = dates.days[i]!;
    if ('error' in date)
      return err(ctx, row.line, `column "${header.cells[dateCol]!.trim()}": ${date.error}`);
    const url =
      cols.url === undefined
        ? null
        : readUrl(ctx, row.line, row.cells[cols.url], header.cells[cols.url]!.trim());
    if (!base || url === false) return;
    withPosition(
      ctx,
      base,
      row.line,
      date.day,
      row.cells[posCol] ?? '',
      header.cells[posCol]!.trim(),
      url,
      false,
      known!.identity,
    );
  });
}

function readWide(ctx: Context, header: CsvRow, body: CsvRow[], cols: Columns) {
  const indexes = [...cols.dates.keys()];
  const dates = readDates(indexes.map((i) => cols.dates.get(i)!));
  if ('ambiguous' in dates) return err(ctx, header.line, `date columns: ${dates.ambiguous}`);
  const days: string[] = [];
  for (const d of dates.days) {
    if ('error' in d) return err(ctx, header.line, `date column ${d.error}`);
    days.push(d.day);
  }
  for (const row of body) {
    const base = rowKeyword(ctx, row, cols, header);
    const url =
      cols.url === undefined
        ? null
        : readUrl(ctx, row.line, row.cells[cols.url], header.cells[cols.url]!.trim());
    if (!base || url === false) continue;
    indexes.forEach((col, k) =>
      withPosition(ctx, base, row.line, days[k]!, row.cells[col] ?? '', cols.dates.get(col)!, url),
    );
  }
}

// --- SerpBear ------------------------------------------------------------------------------------

/** SerpBear prints English country names (its utils/countries.ts); Intl knows most, these differ. */
const COUNTRY_NAME_ALIASES: Record<string, string> = {
  'czech republic': 'cz',
  swaziland: 'sz',
  'myanmar [burma]': 'mm',
  'ivory coast': 'ci',
  macao: 'mo',
  'cocos [keeling] islands': 'cc',
  'east timor': 'tl',
  'republic of the congo': 'cg',
  'democratic republic of the congo': 'cd',
  'cape verde': 'cv',
  curacao: 'cw',
  'vatican city': 'va',
  palestine: 'ps',
};
let countryByName: Map<string, string> | undefined;
function countryCode(name: string): string | undefined {
  if (!countryByName) {
    countryByName = new Map(Object.entries(COUNTRY_NAME_ALIASES));
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const n = names.of(code);
        if (n && !countryByName.has(n.toLowerCase())) countryByName.set(n.toLowerCase(), code.toLowerCase());
      }
  }
  return countryByName.get(name.trim().toLowerCase());
}

/**
 * SerpBear's "Export as CSV" (utils/client/exportcsv.ts): one row per keyword with its latest position,
 * `ID,Keyword,Position,URL,Country,[State,City,]Device,Updated,Added,Tags`, values joined with ", " and
 * never quoted, "-" for position 0 (not in the top 100) and for no URL, Updated an ISO timestamp.
 */
function readSerpbear(ctx: Context, header: CsvRow, body: CsvRow[]) {
  const keys = header.cells.map(headerKey);
  const col = (k: string) => keys.indexOf(k);
  const [kw, pos, url, country, device, updated, added] = [
    'keyword',
    'position',
    'url',
    'country',
    'device',
    'updated',
    'added',
  ].map(col) as number[];
  for (const row of body) {
    const cell = (i: number) => (row.cells[i!] ?? '').trim();
    const shifted =
      row.cells.length > header.cells.length
        ? ' (SerpBear does not quote its CSV: a comma inside a keyword shifts the columns; remove it from that line)'
        : '';
    const query = normalizeQuery(cell(kw!));
    if (!query) {
      err(ctx, row.line, `column "Keyword" is empty`);
      continue;
    }
    const dev = parseDevice(cell(device!));
    if (!dev) {
      err(
        ctx,
        row.line,
        `column "Device": ${JSON.stringify(cell(device!))} is not desktop or mobile${shifted}`,
      );
      continue;
    }
    const stamp = /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+Z?$/.exec(cell(updated!));
    if (!stamp || !isRealDate(+stamp[1]!, +stamp[2]!, +stamp[3]!)) {
      err(
        ctx,
        row.line,
        `column "Updated": ${JSON.stringify(cell(updated!))} is not an ISO timestamp${shifted}`,
      );
      continue;
    }
    const found = readUrl(ctx, row.line, cell(url!), 'URL');
    if (found === false) continue;
    const p = readPosition(cell(pos!), true);
    // A keyword SerpBear never managed to check still has position 0 and Updated equal to Added.
    if (typeof p !== 'string' && p.state === 'not-in-top' && cell(updated!) === cell(added!)) continue;
    const code = countryCode(cell(country!));
    withPosition(
      ctx,
      { query, engine: 'google', device: dev, ...(code ? { country: code } : {}) },
      row.line,
      `${stamp[1]}-${stamp[2]}-${stamp[3]}`,
      cell(pos!),
      'Position',
      found,
      true,
    );
  }
}

// --- Serposcope ----------------------------------------------------------------------------------

/**
 * Serposcope's multi-search "export" (the CSV written by GoogleSearchController.export in the
 * hisaakisato/serposcope fork; upstream 2.x only exports single result pages):
 * `date,rank,url,target,keyword,device,country,local,custom`, dates YYYY/MM/DD, one row per result of
 * the page (target empty for other sites, several rows when a target ranks with several URLs) and a
 * "-" row for each target not found. Device is PC or SP (smartphone); "null" means not set.
 */
const SERPOSCOPE_DEVICES: Record<string, Device> = { pc: 'desktop', sp: 'mobile' };

function readSerposcope(ctx: Context, header: CsvRow, body: CsvRow[], opts: PositionsOptions) {
  const keys = header.cells.map(headerKey);
  const col = (k: string) => keys.indexOf(k);
  const [date, rank, url, target, keyword, device, country, local, custom] = [
    'date',
    'rank',
    'url',
    'target',
    'keyword',
    'device',
    'country',
    'local',
    'custom',
  ].map(col) as number[];
  const targets = [...new Set(body.map((r) => (r.cells[target!] ?? '').trim()).filter((t) => t !== ''))];
  let chosen = opts.serposcopeTarget;
  if (chosen === undefined) {
    if (targets.length > 1)
      return err(
        ctx,
        header.line,
        `the file holds positions of several Serposcope targets (${targets.map((t) => JSON.stringify(t)).join(', ')}): choose the one that is this site`,
      );
    chosen = targets[0];
  } else if (!targets.includes(chosen))
    return err(
      ctx,
      header.line,
      `no Serposcope target named ${JSON.stringify(chosen)} in the file; it has ${targets.map((t) => JSON.stringify(t)).join(', ') || 'none'}`,
    );

  const ours = body.filter((r) => (r.cells[target!] ?? '').trim() === chosen);
  const dates = readDates(ours.map((r) => r.cells[date!] ?? ''));
  if ('ambiguous' in dates) return err(ctx, header.line, dates.ambiguous);
  // The best of a target's URLs is its position, as Serposcope itself shows it.
  const best = new Map<string, { row: PositionRow; rank: number }>();
  ours.forEach((r, i) => {
    const cell = (k: number) => {
      const v = (r.cells[k] ?? '').trim();
      return v === 'null' ? '' : v;
    };
    const date = dates.days[i]!;
    if ('error' in date) return err(ctx, r.line, `column "date": ${date.error}`);
    const day = date.day;
    const query = normalizeQuery(cell(keyword!));
    if (!query) return err(ctx, r.line, 'column "keyword" is empty');
    const dev = SERPOSCOPE_DEVICES[cell(device!).toLowerCase()] ?? parseDevice(cell(device!));
    if (!dev) return err(ctx, r.line, `column "device": ${JSON.stringify(cell(device!))} is not PC or SP`);
    const cc = cell(country!).toLowerCase();
    const loc = cell(local!);
    const p = readPosition(cell(rank!), false);
    if (typeof p === 'string') return err(ctx, r.line, `column "rank": ${JSON.stringify(cell(rank!))} ${p}`);
    if (p.state === 'no-data') return;
    const found = p.state === 'ranked' ? readUrl(ctx, r.line, cell(url!), 'url') : null;
    if (found === false) return;
    const row: PositionRow = {
      line: r.line,
      query,
      engine: 'google',
      device: dev,
      ...(/^[a-z]{2}$/.test(cc) ? { country: cc } : {}),
      ...(loc ? { location: loc } : {}),
      day,
      ...(p.state === 'ranked'
        ? { state: 'ranked', position: p.position, url: found }
        : { state: 'not-in-top', position: null, url: null }),
    };
    const id = [query.toLowerCase(), dev, row.country, loc, cell(custom!), day].join('\n');
    const rankValue = p.state === 'ranked' ? p.position : Infinity;
    const prev = best.get(id);
    if (!prev || rankValue < prev.rank) best.set(id, { row, rank: rankValue });
  });
  for (const { row } of best.values()) push(ctx, row);
}

// --- Entry point ---------------------------------------------------------------------------------

/**
 * Reads a positions file. Recognises, by its header: our own long format
 * (`keyword,engine,device,region,date,position,url`), a wide table (a keyword column and one column
 * per date, as Topvisor and SE Ranking export), SerpBear's CSV export and Serposcope's export. Rows
 * come back in file order; an empty cell yields no row. Errors carry the file's physical line and
 * name the column.
 */
export function parsePositionsCsv(bytes: Uint8Array, opts: PositionsOptions = {}): PositionsImport {
  const ctx: Context = { out: { format: 'promowatch', rows: [], errors: [] }, seen: new Map() };
  let records: CsvRow[];
  try {
    records = parseCsv(decodeText(bytes));
  } catch (e) {
    const m = /^line (\d+): (.*)$/.exec((e as Error).message);
    err(ctx, m ? Number(m[1]) : 1, m ? m[2]! : (e as Error).message);
    return ctx.out;
  }
  const [header, ...rest] = records;
  if (!header) {
    err(ctx, 1, 'the file is empty: expected a header row');
    return ctx.out;
  }
  const body = rest.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const keys = new Set(header.cells.map(headerKey));
  const has = (...k: string[]) => k.every((x) => keys.has(x));

  if (has('date', 'rank', 'url', 'target', 'keyword', 'device', 'country', 'local')) {
    ctx.out.format = 'serposcope';
    readSerposcope(ctx, header, body, opts);
    return ctx.out;
  }
  if (has('id', 'keyword', 'position', 'url', 'country', 'device', 'updated', 'added')) {
    ctx.out.format = 'serpbear';
    readSerpbear(ctx, header, body);
    return ctx.out;
  }
  const cols = findColumns(header);
  if (cols && cols.date !== undefined && cols.position !== undefined) {
    readLong(ctx, header, body, cols);
    return ctx.out;
  }
  if (cols && cols.dates.size > 0) {
    ctx.out.format = 'wide';
    readWide(ctx, header, body, cols);
    return ctx.out;
  }
  err(
    ctx,
    header.line,
    'unrecognised header: expected keyword,engine,device,region,date,position,url; or a keyword column and one column per date (YYYY-MM-DD, DD.MM.YYYY or MM/DD/YYYY); or a SerpBear or Serposcope export',
  );
  return ctx.out;
}
