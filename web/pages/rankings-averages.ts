// The Rankings page's tables of imported search averages (Search Console, Yandex Webmaster exports): a
// period's top queries by clicks, the position labelled an average. The SQL lives in src/rank/search-averages.ts;
// the words in src/i18n/messages/rankings.ts (averages), numbers and days through the request's Formatter.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Sql } from '../../src/db/store/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { AverageSource } from '../../src/rank/import-search-export.ts';
import { averagePeriods, topAverages } from '../../src/rank/search-averages.ts';
import { sayFor } from './rankings-cells.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 25;
const SOURCES: AverageSource[] = ['gsc-export', 'yandex-webmaster-export'];

/**
 * One table per source with imported queries, for its latest period. `link` makes a Rankings URL that keeps
 * the page's filters; each table pages with its own parameter ("gsc-export-page").
 */
export function searchAveragesSections(
  c: Context<Env>,
  sql: Sql,
  site: SiteRow,
  link: (extra: Record<string, string | number | undefined>) => string,
) {
  const { t, fmt } = sayFor(c);
  const w = t.averages;
  const none = '—';
  return Promise.all(
    SOURCES.map(async (source) => {
      const periods = await averagePeriods(sql, site.id, source, 'query');
      const period = periods[0];
      if (!period) return '';
      const param = `${source}-page`;
      const pages = Math.max(1, Math.ceil(period.rows / PAGE_SIZE));
      const page = Math.min(pages, Math.max(1, Math.floor(Number(c.req.query(param)) || 1)));
      const { rows, total } = await topAverages(sql, site.id, {
        source,
        dimension: 'query',
        period,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      const first = (page - 1) * PAGE_SIZE + 1;
      return html`<section id="search-averages-${source}">
<h2>${w.title(t.sources[source], fmt.dayRange(period.from, period.to))}</h2>
<p class="hint">${w.note(source)}${periods.length > 1 ? ` ${w.earlier(periods.length - 1)}.` : ''}</p>
<p>${w.shown(fmt.number(first), fmt.number(first + rows.length - 1), total)}</p>
<table class="averages"><thead><tr>${[w.query, w.clicks, w.impressions, w.ctr, w.averagePosition].map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.key}</td><td>${fmt.number(r.clicks)}</td><td>${fmt.number(r.impressions)}</td><td>${r.ctr === null ? none : fmt.percent(r.ctr, 2)}</td><td>${r.position === null ? none : fmt.number(r.position, 2)}</td></tr>`,
)}
</tbody></table>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${link({ [param]: page - 1 })}#search-averages-${source}">${t.table.previous}</a>` : ''} ${page < pages ? html`<a href="${link({ [param]: page + 1 })}#search-averages-${source}">${t.table.next}</a>` : ''}</p>`
    : ''
}
</section>`;
    }),
  );
}
