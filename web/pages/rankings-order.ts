// The keyword table's order on the Rankings page: which column it sorts by, which way, which page of
// PAGE_SIZE rows (from the query string), shared by the page and its CSV download.
import type { Context } from 'hono';
import type { KeywordRow } from '../../src/rank/keyword-table.ts';
import type { Env } from '../types.ts';

export const PAGE_SIZE = 100;
const SORTS = ['change', 'query', 'position', 'volume'] as const;
export type Sort = (typeof SORTS)[number];

export const lastKnown = <T>(xs: readonly (T | null)[]) => [...xs].reverse().find((x) => x !== null) ?? null;

/**
 * Never-checked keywords (and ones without a change or a volume) sort last whichever way; not-in-top
 * sorts after every ranked one. Ties keep the keyword's A–Z order.
 */
export function sortRows(rows: KeywordRow[], sort: Sort, desc: boolean): KeywordRow[] {
  const key = (r: KeywordRow): number | string | null => {
    if (sort === 'query') return r.keyword.query.toLocaleLowerCase();
    if (sort === 'change') return r.change7;
    if (sort === 'volume') return r.keyword.volume;
    if (!r.current) return null;
    return r.current.state === 'ranked' ? r.current.position! : 10_000;
  };
  const collator = new Intl.Collator('ru');
  const byQuery = (a: KeywordRow, b: KeywordRow) => collator.compare(a.keyword.query, b.keyword.query);
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? byQuery(a, b) : ka === null ? 1 : -1;
    const d = typeof ka === 'string' ? collator.compare(ka, kb as string) : ka - (kb as number);
    return (desc ? -d : d) || byQuery(a, b);
  });
}

/** The direction a column sorts in when first chosen: the biggest volume first, otherwise ascending. */
export const firstDir = (sort: Sort) => (sort === 'volume' ? 'desc' : 'asc');

export function tableOrder(c: Context<Env>): { sort: Sort; desc: boolean; page: number } {
  const s = c.req.query('sort');
  // By the 7-day change, biggest losses first: what dropped is what a morning look is for.
  const sort: Sort = (SORTS as readonly string[]).includes(s ?? '') ? (s as Sort) : 'change';
  const desc = (c.req.query('dir') ?? firstDir(sort)) === 'desc';
  const page = Math.max(1, Math.floor(Number(c.req.query('page')) || 1));
  return { sort, desc, page };
}
