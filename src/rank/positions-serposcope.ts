// Reads Serposcope's multi-search export into position rows (parsePositionsCsv() picks it by its header).
import type { CsvRow } from '../util/csv.ts';
import { headerKey, normalizeQuery, parseDevice } from './import-keywords.ts';
import {
  err,
  push,
  readDates,
  readPosition,
  readUrl,
  type Context,
  type PositionRow,
  type PositionsOptions,
} from './position-rows.ts';
import type { Device } from './types.ts';

/**
 * Serposcope's multi-search "export" (the CSV written by GoogleSearchController.export in the
 * hisaakisato/serposcope fork; upstream 2.x only exports single result pages):
 * `date,rank,url,target,keyword,device,country,local,custom`, dates YYYY/MM/DD, one row per result of
 * the page (target empty for other sites, several rows when a target ranks with several URLs) and a
 * "-" row for each target not found. Device is PC or SP (smartphone); "null" means not set.
 */
const SERPOSCOPE_DEVICES: Record<string, Device> = { pc: 'desktop', sp: 'mobile' };

export function readSerposcope(ctx: Context, header: CsvRow, body: CsvRow[], opts: PositionsOptions) {
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
