// Reads positions exported from other rank trackers (or by us) into dated observations; no I/O.

import { decodeText, parseCsv, type CsvRow } from '../util/csv.ts';
import { headerKey, KEYWORD_COLUMNS, normalizeQuery, parseDevice, parseEngine } from './import-keywords.ts';
import { parseRegionKey, regionKey } from './region-key.ts';
import {
  dateShape,
  err,
  identityOf,
  readDates,
  readUrl,
  withPosition,
  type Context,
  type PositionsImport,
  type PositionsOptions,
} from './position-rows.ts';
import type { Device, Engine } from './types.ts';
import { readSerpbear } from './positions-serpbear.ts';
import { readSerposcope } from './positions-serposcope.ts';
// The row types live with the readers' shared parts; re-exported so callers keep one import path.
export type { PositionRow, PositionsFormat, PositionsImport, PositionsOptions } from './position-rows.ts';

const DATE_COLUMN = ['date', 'day', 'дата'];
const POSITION_COLUMN = ['position', 'rank', 'позиция', 'место'];
const URL_COLUMN = ['url', 'ranking url', 'found url', 'landing page', 'страница', 'релевантная страница'];
const REGION_COLUMN = ['region', 'регион'];
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
