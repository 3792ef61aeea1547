// The Rankings page's tables of imported search averages (Search Console, Yandex Webmaster exports): a
// period's top queries by clicks, the position labelled an average. The SQL lives in src/rank/search-averages.ts.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Db } from '../../src/db/open.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { SEARCH_EXPORT_TEXT, type AverageSource } from '../../src/rank/import-search-export.ts';
import { averagePeriods, topAverages } from '../../src/rank/search-averages.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 25;
const SOURCES: AverageSource[] = ['gsc-export', 'yandex-webmaster-export'];

/** Every user-facing string of this module, in one place. */
const TEXT = {
  title: (source: AverageSource, from: string, to: string) =>
    `${SEARCH_EXPORT_TEXT.source[source]} averages, ${from} – ${to}`,
  note: (source: AverageSource) =>
    `Imported from ${SEARCH_EXPORT_TEXT.source[source]}'s export: clicks, impressions and CTR over the whole period, and the average position over its impressions — not a daily position, so it is not in the keywords' history above.`,
  columns: ['Query', 'Clicks', 'Impressions', 'CTR', 'Average position'],
  shown: (first: number, last: number, total: number) =>
    `${first}–${last} of ${total} queries, most clicks first`,
  earlier: (n: number) => `${n} earlier period${n === 1 ? '' : 's'} imported`,
  previous: '← previous',
  next: 'next →',
  none: '—',
};

const fmtPercent = (ctr: number | null) => (ctr === null ? TEXT.none : `${Number((ctr * 100).toFixed(2))} %`);
const fmtPosition = (p: number | null) => (p === null ? TEXT.none : String(Number(p.toFixed(2))));

/**
 * One table per source with imported queries, for its latest period. `link` makes a Rankings URL that keeps
 * the page's filters; each table pages with its own parameter ("gsc-export-page").
 */
export function searchAveragesSections(
  c: Context<Env>,
  db: Db,
  site: SiteRow,
  link: (extra: Record<string, string | number | undefined>) => string,
) {
  return SOURCES.map((source) => {
    const periods = averagePeriods(db, site.id, source, 'query');
    const period = periods[0];
    if (!period) return '';
    const param = `${source}-page`;
    const pages = Math.max(1, Math.ceil(period.rows / PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Math.floor(Number(c.req.query(param)) || 1)));
    const { rows, total } = topAverages(db, site.id, {
      source,
      dimension: 'query',
      period,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const first = (page - 1) * PAGE_SIZE + 1;
    return html`<section id="search-averages-${source}">
<h2>${TEXT.title(source, period.from, period.to)}</h2>
<p class="hint">${TEXT.note(source)}${periods.length > 1 ? ` ${TEXT.earlier(periods.length - 1)}.` : ''}</p>
<p>${TEXT.shown(first, first + rows.length - 1, total)}</p>
<table class="averages"><thead><tr>${TEXT.columns.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.key}</td><td>${r.clicks}</td><td>${r.impressions}</td><td>${fmtPercent(r.ctr)}</td><td>${fmtPosition(r.position)}</td></tr>`,
)}
</tbody></table>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${link({ [param]: page - 1 })}#search-averages-${source}">${TEXT.previous}</a>` : ''} ${page < pages ? html`<a href="${link({ [param]: page + 1 })}#search-averages-${source}">${TEXT.next}</a>` : ''}</p>`
    : ''
}
</section>`;
  });
}
