// One keyword's page: its position and changes, the chart of its history, the stored top 10 of the latest
// day, and every observation with what went wrong in the reader's words (the provider's message beside it).
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { SiteRow } from '../../src/db/sites.ts';
import { isAverage, keywordTable } from '../../src/rank/keyword-table.ts';
import { keywordObservations, latestResultPages } from '../../src/rank/queries.ts';
import { listCompetitors } from '../../src/rank/store.ts';
import { layout } from '../layout.ts';
import { siteDomain, sourceName } from '../views/rankings.ts';
import {
  changeCell,
  chart,
  command,
  extLink,
  keywordWhere,
  placeText,
  positionCell,
  sayFor,
  upstream,
  urlCell,
} from './rankings-cells.ts';
import type { Env } from '../types.ts';

export async function keywordPage(c: Context<Env>, site: SiteRow, id: number, today: string) {
  const { sql } = c.get('deps');
  const { t, common, fmt } = sayFor(c);
  const w = t.keyword;
  const row = (await keywordTable(sql, site.id, today, { ids: new Set([id]) }))[0]!;
  const k = row.keyword;
  const observations = await keywordObservations(sql, id);
  const latestPages = await latestResultPages(sql, id, today);
  const own = siteDomain(site);
  const rivals = (await listCompetitors(sql, site.id)).map((x) => x.domain);
  const is = (domain: string, d: string) => domain === d || domain.endsWith(`.${d}`);
  const back = `/rankings?site=${encodeURIComponent(site.name)}`;
  const about = [
    k.volume !== null ? w.volume(k.volume) : '',
    k.tags.length ? w.tags(k.tags.join(', ')) : '',
  ].filter(Boolean);
  return layout(
    c,
    w.title,
    html`<p><a href="${back}">← ${common.nav.rankings}</a></p>
<h2 class="url">${k.query} <small>${keywordWhere(c, k)}</small></h2>
<section class="cards">
  <div class="card"><span class="label">${w.position}</span><span class="value">${positionCell(c, row)}</span></div>
  <div class="card"><span class="label">${w.change}</span><span class="value">${changeCell(c, row.change7) || '—'} · ${changeCell(c, row.change30) || '—'}</span></div>
  <div class="card"><span class="label">${w.bestEver}</span><span class="value">${row.best ? html`${placeText(c, row.best.position, row.best.averaged)} <small>${fmt.day(row.best.day)}</small>` : '—'}</span></div>
  <div class="card"><span class="label">${w.rankingUrl}</span><span class="value small">${urlCell(c, row)}</span></div>
</section>
${about.length ? html`<p>${about.join(' ')}</p>` : ''}
${
  observations.length
    ? html`<section class="charts">${chart('positions', w.chart, `/api/rankings/keywords/${id}/history`)}</section>`
    : html`<section class="empty"><p>${w.notChecked}</p><p class="hint">${w.notCheckedHint} ${command(`promowatch run track-rankings --site ${site.name}`)}</p></section>`
}
${latestPages.map(
  (p) => html`<section><h2>${w.resultPage(fmt.day(p.day), sourceName(t, p.source), p.depth)}</h2>
<div class="table-wrap"><table><thead><tr><th>#</th><th>${w.result}</th><th>${w.domain}</th></tr></thead><tbody>
${p.results.map(
  (r) =>
    html`<tr class="${is(r.domain, own) ? 'own' : rivals.some((d) => is(r.domain, d)) ? 'rival' : ''}"><td>${r.position}</td><td>${r.title ?? ''}<br><small>${extLink(r.url)}</small></td><td>${r.domain}${is(r.domain, own) ? html` <small>${t.competitors.thisSite}</small>` : rivals.some((d) => is(r.domain, d)) ? html` <small>${t.competitors.competitor}</small>` : ''}</td></tr>`,
)}
</tbody></table></div></section>`,
)}
<section><h2>${w.observations}</h2>
<div class="table-wrap"><table><thead><tr><th>${w.day}</th><th>${w.source}</th><th>${w.state}</th><th>${w.position2}</th><th>${w.url}</th><th>${w.error}</th></tr></thead><tbody>
${observations.map(
  (
    o,
  ) => html`<tr class="${o.state === 'failed' ? 'bad' : ''}"><td>${fmt.day(o.day)}</td><td>${sourceName(t, o.source)}</td><td>${w.states[o.state]}</td>
<td>${o.state === 'ranked' ? placeText(c, o.position!, isAverage(o.source, o.position)) : o.state === 'not-in-top' ? t.position.notInTop(o.depth ?? 100) : '—'}</td>
<td>${extLink(o.url)}</td><td class="error">${o.state === 'failed' ? html`${t.failures[o.errorKind ?? 'unknown']}${upstream(t, o.error)}` : ''}</td></tr>`,
)}
</tbody></table></div></section>`,
  );
}
