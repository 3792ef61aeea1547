// Reads SerpBear's "Export as CSV" into position rows (parsePositionsCsv() picks it by its header).
import type { CsvRow } from '../util/csv.ts';
import { headerKey, normalizeQuery, parseDevice } from './import-keywords.ts';
import { err, isRealDate, readPosition, readUrl, withPosition, type Context } from './position-rows.ts';

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
export function readSerpbear(ctx: Context, header: CsvRow, body: CsvRow[]) {
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
