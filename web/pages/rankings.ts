// Rankings pages: visibility and positions over time, the keyword table, competitors, the forms, CSV — in
// the visitor's language (src/i18n/messages/rankings.ts). One keyword's page is web/pages/rankings-keyword.ts.
// Just over 400 lines: the routes of one page and its forms; cells, movers, averages, order and one keyword's
// page already have files of their own.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { cachedRead } from '../../src/db/read-cache.ts';
import { html } from 'hono/html';
import type { SiteRow } from '../../src/db/sites.ts';
import { formatter } from '../../src/i18n/index.ts';
import { validateKeywordInput, type KeywordFields } from '../../src/rank/import-keywords.ts';
import { addSparklines, keywordTable, type KeywordRow } from '../../src/rank/keyword-table.ts';
import {
  addCompetitor,
  deleteCompetitor,
  existingKeywordKeys,
  getKeyword,
  insertKeywords,
  keywordKey,
  listCompetitors,
  normaliseDomain,
  siteTags,
} from '../../src/rank/store.ts';
import { DEVICES, ENGINES } from '../../src/rank/types.ts';
import { dayIn } from '../../src/util/days.ts';
import {
  competitorsIn,
  keywordRowJson,
  PERIODS,
  rankView,
  share,
  siteDomain,
  sourceName,
  viewQuery,
  visibility,
  type RankView,
} from '../views/rankings.ts';
import { csvDownload, excelHref } from '../csv.ts';
import { csrfField, emptyState, errorPage, layout, readOnlyNote, siteHref } from '../layout.ts';
import { mayWrite } from '../access.ts';
import { searchAveragesSections } from './rankings-averages.ts';
import {
  changeCell,
  chart,
  command,
  fmtPos,
  keywordWhere,
  placeText,
  positionCell,
  sayFor,
  sparkline,
  urlCell,
} from './rankings-cells.ts';
import { keywordPage } from './rankings-keyword.ts';
import { firstDir, lastKnown, PAGE_SIZE, sortRows, tableOrder, type Sort } from './rankings-order.ts';
import { moversPanel, viewMoves } from './rankings-movers.ts';
import type { RankWords } from './rankings-cells.ts';
import type { Env } from '../types.ts';

interface FormState {
  status: 400 | 409;
  /** Which form went wrong: its message is shown above it and the fields are kept. */
  form: 'keyword' | 'competitor';
  error: string;
  values: Record<string, string>;
}

const KEYWORD_FIELDS = [
  'query',
  'engine',
  'device',
  'gl',
  'hl',
  'location',
  'lr',
  'target_url',
  'volume',
  'tags',
];

async function rankingsPage(c: Context<Env>, site: SiteRow, v: RankView, state?: FormState) {
  const { sql } = c.get('deps');
  const { t, common, fmt } = sayFor(c);
  // Everything read here is cached until the database changes (src/db/read-cache.ts); the page itself
  // is rendered per request, since its forms carry the visitor's CSRF token and words.
  const view = `${viewQuery(v)}:${v.today}`;
  const all = await cachedRead(sql, `rank-table:${view}`, () =>
    keywordTable(sql, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false }),
  );
  const { sort, desc, page } = tableOrder(c);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const shown = await cachedRead(sql, `rank-page:${view}:${sort}:${desc}:${page}`, async () => {
    const rows = sortRows(all, sort, desc)
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      .map((r) => ({ ...r }));
    await addSparklines(sql, rows, v.today);
    return rows;
  });
  const moves = await cachedRead(sql, `rank-movers:${view}`, () => viewMoves(sql, site.id, v.today, all));
  const points = await cachedRead(sql, `rank-visibility:${view}`, () => visibility(sql, v));
  const known = points.filter((p) => p.index !== null);
  const now = known.at(-1)?.index ?? null;
  const delta = known.length >= 2 ? Math.round((now! - known[0]!.index!) * 100) / 100 : null;
  const ranked = (max: number) =>
    all.filter((r) => r.current?.state === 'ranked' && r.current.position! <= max).length;
  const observedToday = all.filter((r) => r.current?.day === v.today).length;
  const failedToday = all.filter((r) => r.failure?.day === v.today && r.current?.day !== v.today).length;
  const competitors = await listCompetitors(sql, site.id);
  // The add and remove forms are for those whose changes would not be refused.
  const writer = mayWrite(c, site.id);
  const stats = new Map(
    (
      await cachedRead(sql, `rank-competitors:${view}`, () =>
        competitorsIn(
          sql,
          v,
          competitors.map((x) => x.domain),
        ),
      )
    ).map((s) => [s.domain, s]),
  );
  // "Now" is the latest of the last seven days with stored pages; the chart has the whole period.
  const recent = { ...v, labels: v.labels.slice(-7) };
  const shares = new Map(
    (await cachedRead(sql, `rank-share7:${view}`, () => share(sql, recent))).map((s) => [
      s.domain,
      lastKnown(s.share),
    ]),
  );
  const ownDomain = siteDomain(site);
  const api = `/api/rankings/trend?${viewQuery(v)}`;
  const here = (extra: Record<string, string | number | undefined>) => `/rankings?${viewQuery(v, extra)}`;
  const csvHref = `/rankings/export.csv?${viewQuery(v, { sort, dir: desc ? 'desc' : 'asc' })}`;
  const sortLink = (s: Sort, label: string) => {
    const nextDesc = s === sort ? !desc : firstDir(s) === 'desc';
    return html`<a href="${here({ sort: s, dir: nextDesc ? 'desc' : 'asc' })}">${label}${s === sort ? (desc ? ' ↓' : ' ↑') : ''}</a>`;
  };
  // The change column's two directions, named: losses first (the default) or gains first.
  const orderLink = (gains: boolean, label: string) =>
    sort === 'change' && desc === gains
      ? html`<strong aria-current="true">${label}</strong>`
      : html`<a href="${here({ sort: 'change', dir: gains ? 'desc' : 'asc' })}#keywords">${label}</a>`;
  const val = (k: string) => state?.values[k] ?? '';
  const sel = (name: string, options: readonly (readonly [string, string])[], value: string) =>
    html`<select name="${name}">${options.map(
      ([v2, label]) => html`<option value="${v2}"${v2 === value ? html` selected` : ''}>${label}</option>`,
    )}</select>`;
  const engines = ENGINES.map((e) => [e, common.engines[e]] as const);
  const devices = DEVICES.map((d) => [d, common.devices[d]] as const);
  const flash = (form: FormState['form']) =>
    state?.form === form ? html`<p class="flash bad" role="alert">${state.error}</p>` : '';
  const added = c.req.query('added');
  const fmtShare = (x: number | null | undefined) =>
    x === null || x === undefined ? '—' : fmt.percent(x / 100, 1);

  if (state) c.status(state.status);
  return layout(
    c,
    t.title,
    html`
${state ? html`<p class="flash bad" role="alert">${state.form === 'keyword' ? t.keywordNotAdded(state.error) : t.competitorNotAdded(state.error)}</p>` : ''}
${added ? html`<p class="flash">${t.added}</p>` : ''}
<form method="get" action="/rankings" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  <label>${t.filter.engine} ${sel('engine', [['', common.all], ...engines], v.engine ?? '')}</label>
  <label>${t.filter.tag} ${sel('tag', [['', common.all], ...(await siteTags(sql, site.id)).map((x) => [x, x] as const)], v.tag ?? '')}</label>
  <label>${t.filter.curve} ${sel(
    'curve',
    v.curves.map((x) => [x, t.curves[x]] as const),
    v.curveName,
  )}</label>
  <label>${t.filter.period} ${sel(
    'days',
    PERIODS.map((d) => [String(d), t.filter.days(d)] as const),
    String(v.days),
  )}</label>
  <button type="submit">${common.show}</button>
</form>
${all.length ? moversPanel(c, moves, all) : ''}
<section class="cards">
  <div class="card"><span class="label">${t.cards.visibility(t.curves[v.curveName])}</span><span class="value">${now === null ? '—' : fmt.percent(now / 100, 2)}${delta !== null ? html` <small class="${delta < 0 ? 'down' : 'up'}" title="${t.cards.changeOver(v.days)}">${fmt.signed(delta, 2)}</small>` : ''}</span></div>
  <div class="card"><span class="label">${t.cards.inTop}</span><span class="value">${fmt.number(ranked(3))} · ${fmt.number(ranked(10))} <small>${t.cards.ofTotal(all.length)}</small></span></div>
  <div class="card"><span class="label">${t.cards.observedToday}</span><span class="value">${fmt.number(observedToday)} · <span class="${failedToday ? 'bad-text' : ''}">${fmt.number(failedToday)}</span></span></div>
</section>
${
  all.length === 0
    ? html`<section class="empty"><p>${v.engine || v.tag ? t.empty.noMatch : t.empty.noKeywords}</p>
${
  writer
    ? html`<p class="hint">${t.empty.addHint} ${command(`promowatch keywords add "QUERY" --engine google --gl ru --hl ru --site ${site.name}`)}</p>
<p class="hint">${t.empty.importHint} ${command(`promowatch keywords import FILE.csv --site ${site.name}`)}</p>`
    : ''
}</section>`
    : html`<section class="charts">
  ${chart('visibility', t.charts.visibility, api)}
  ${chart('distribution', t.charts.distribution, api)}
  ${chart('share', t.charts.share, api)}
</section>
<section id="keywords">
<h2>${t.table.heading}</h2>
<p><a href="${csvHref}">${common.downloadCsv}</a> · <a href="${excelHref(csvHref)}">${common.downloadCsvExcel}</a> · ${t.table.count(all.length)}${pages > 1 ? html` · ${t.table.pageOf(page, pages)}` : ''}</p>
<p class="order">${t.table.order} ${orderLink(false, t.table.lossesFirst)} · ${orderLink(true, t.table.gainsFirst)}</p>
<div class="table-wrap"><table class="keywords"><thead><tr><th>${sortLink('query', t.table.keyword)}</th><th>${sortLink('volume', t.table.volume)}</th><th class="pos">${sortLink('position', t.table.position)}</th><th>${sortLink('change', t.table.change7)}</th><th>${t.table.change30}</th><th>${t.table.best}</th><th>${t.table.rankingUrl}</th><th>${t.table.source}</th><th>${t.table.trend}</th></tr></thead><tbody>
${shown.map(
  (
    r,
  ) => html`<tr class="${r.failure && r.current?.day !== r.failure.day ? 'warn' : ''}"><td><a href="${siteHref(c, `/rankings/keywords/${r.keyword.id}`)}">${r.keyword.query}</a><br><small>${keywordWhere(c, r.keyword)}${r.keyword.tags.length ? ` · ${r.keyword.tags.join(', ')}` : ''}</small></td>
<td class="num">${r.keyword.volume === null ? html`<span class="muted">—</span>` : fmt.number(r.keyword.volume)}</td>
<td class="pos">${positionCell(c, r)}</td><td>${changeCell(c, r.change7)}</td><td>${changeCell(c, r.change30)}</td>
<td>${r.best ? html`${placeText(c, r.best.position, r.best.averaged)}<br><small>${fmt.day(r.best.day)}</small>` : '—'}</td>
<td>${urlCell(c, r)}</td><td>${r.current ? html`${sourceName(t, r.current.source)}<br><small>${fmt.day(r.current.day)}</small>` : '—'}</td><td>${sparkline(c, r.spark)}</td></tr>`,
)}
</tbody></table></div>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page - 1 })}">${t.table.previous}</a>` : ''} ${page < pages ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page + 1 })}">${t.table.next}</a>` : ''}</p>`
    : ''
}
</section>`
}
${await searchAveragesSections(c, sql, site, here)}
${
  writer
    ? html`<section id="add-keyword"><h2>${t.addKeyword.heading}</h2>
${flash('keyword')}
<form method="post" action="/rankings/keywords" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>${t.addKeyword.keyword} <input type="text" name="query" required maxlength="200" value="${val('query')}"></label>
  <label>${t.addKeyword.engine} ${sel('engine', engines, val('engine') || 'google')}</label>
  <label>${t.addKeyword.device} ${sel('device', devices, val('device') || 'desktop')}</label>
  <label>${t.addKeyword.country} <input type="text" name="gl" size="3" placeholder="ru" value="${val('gl')}"></label>
  <label>${t.addKeyword.language} <input type="text" name="hl" size="5" placeholder="ru" value="${val('hl')}"></label>
  <label>${t.addKeyword.location} <input type="text" name="location" placeholder="${t.addKeyword.optional}" value="${val('location')}"></label>
  <label>${t.addKeyword.regionId} <input type="text" name="lr" size="5" placeholder="213" value="${val('lr')}"></label>
  <label>${t.addKeyword.targetUrl} <input type="url" name="target_url" placeholder="${site.baseUrl}" value="${val('target_url')}"></label>
  <label>${t.addKeyword.volume} <input type="text" name="volume" size="7" value="${val('volume')}"></label>
  <label>${t.addKeyword.tags} <input type="text" name="tags" placeholder="a;b" value="${val('tags')}"></label>
  <button type="submit">${common.add}</button>
</form>
<p class="hint">${t.addKeyword.hint} ${t.addKeyword.many} ${command(`promowatch keywords import FILE.csv --site ${site.name}`)}</p>
</section>`
    : ''
}
<section id="competitors"><h2>${t.competitors.heading}</h2>
${flash('competitor')}
${
  competitors.length === 0
    ? html`<p class="hint">${writer ? t.competitors.none : t.competitors.noneTracked}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>${t.competitors.domain}</th><th>${t.competitors.shareNow}</th><th>${t.competitors.inTop10}</th><th>${t.competitors.averagePosition}</th>${writer ? html`<th></th>` : ''}</tr></thead><tbody>
<tr class="own"><td><span title="${ownDomain}">${site.name}</span> <small>${t.competitors.thisSite}</small></td><td>${fmtShare(shares.get(ownDomain))}</td><td>${fmt.number(ranked(10))}</td><td></td>${writer ? html`<td></td>` : ''}</tr>
${competitors.map((x) => {
  const s = stats.get(x.domain);
  return html`<tr><td>${x.domain}${x.name ? html` <small>${x.name}</small>` : ''}</td><td>${fmtShare(shares.get(x.domain))}</td><td>${fmt.number(s?.top10 ?? 0)}</td>
<td>${s && s.avgPosition !== null ? html`${fmtPos(fmt, s.avgPosition)} <small>${t.competitors.versusSite(fmtPos(fmt, s.siteAvgPosition!), s.common)}</small>` : html`<span class="muted">${t.competitors.noCommon}</span>`}</td>
${writer ? html`<td><form method="post" action="/rankings/competitors/${x.id}/delete">${csrfField(c)}<input type="hidden" name="site" value="${site.name}"><button type="submit">${t.competitors.remove}</button></form></td>` : ''}</tr>`;
})}
</tbody></table></div>`
}
${
  writer
    ? html`<form method="post" action="/rankings/competitors" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>${t.competitors.domain} <input type="text" name="domain" required placeholder="rival.example" value="${val('domain')}"></label>
  <label>${t.competitors.name} <input type="text" name="name" placeholder="${t.addKeyword.optional}" value="${val('name')}"></label>
  <button type="submit">${t.competitors.submit}</button>
</form>`
    : ''
}
</section>
${writer ? '' : readOnlyNote(c)}`,
  );
}

/** The site a form names (field "site"), made the request's site so the page renders for it. */
async function formSite(c: Context<Env>) {
  const body = await c.req.parseBody();
  const site = c.get('sites').find((s) => s.name === body.site) ?? null;
  if (site) {
    c.set('site', site);
    // Days on the re-shown page in that site's zone, not the zone of the site the URL named.
    c.set('fmt', formatter(c.get('lang'), site.timeZone));
  }
  const values: Record<string, string> = {};
  for (const [k, x] of Object.entries(body)) if (typeof x === 'string' && k !== '_csrf') values[k] = x;
  return { site, values };
}

async function pageOr400(c: Context<Env>, site: SiteRow, state?: FormState) {
  const v = rankView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  return rankingsPage(c, site, v, state);
}

export const rankingsPages = new Hono<Env>()
  .get('/rankings', (c) => {
    const site = c.get('site');
    const { t, common } = sayFor(c);
    if (!site) return layout(c, t.title, emptyState(common.noSite, common.noSiteHint));
    return pageOr400(c, site);
  })
  .post('/rankings/keywords', async (c) => {
    const { sql, now } = c.get('deps');
    const { site, values } = await formSite(c);
    const { t, common } = sayFor(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    const given = (k: string) => (values[k]?.trim() ? values[k] : undefined);
    const fields: KeywordFields = {
      query: given('query'),
      engine: given('engine'),
      device: given('device'),
      gl: given('gl'),
      hl: given('hl'),
      location: given('location'),
      lr: given('lr'),
      targetUrl: given('target_url'),
      volume: given('volume'),
      tags: given('tags'),
    };
    const kept = Object.fromEntries(KEYWORD_FIELDS.map((k) => [k, values[k] ?? '']));
    const input = validateKeywordInput(fields, { say: t.problems });
    if (typeof input === 'string')
      return pageOr400(c, site, { status: 400, form: 'keyword', error: input, values: kept });
    if ((await existingKeywordKeys(sql, site.id)).has(keywordKey(input)))
      return pageOr400(c, site, {
        status: 409,
        form: 'keyword',
        error: t.addKeyword.duplicate(
          input.query,
          common.engines[input.engine],
          common.devices[input.device],
        ),
        values: kept,
      });
    await insertKeywords(sql, site.id, [input], now());
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}&added=1#keywords`, 303);
  })
  .post('/rankings/competitors', async (c) => {
    const { sql, now } = c.get('deps');
    const { site, values } = await formSite(c);
    const { t, common } = sayFor(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    const kept = { domain: values.domain ?? '', name: values.name ?? '' };
    let domain: string | null;
    try {
      domain = normaliseDomain(values.domain ?? '');
    } catch {
      domain = null;
    }
    if (!domain?.includes('.'))
      return pageOr400(c, site, {
        status: 400,
        form: 'competitor',
        error: t.competitors.notDomain(values.domain ?? ''),
        values: kept,
      });
    if (domain === siteDomain(site))
      return pageOr400(c, site, {
        status: 400,
        form: 'competitor',
        error: t.competitors.ownDomain(domain),
        values: kept,
      });
    await addCompetitor(sql, site.id, domain, values.name?.trim() || null, now());
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}#competitors`, 303);
  })
  .post('/rankings/competitors/:id{[0-9]+}/delete', async (c) => {
    const { site, values } = await formSite(c);
    const { t, common } = sayFor(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    if (!(await deleteCompetitor(c.get('deps').sql, site.id, Number(c.req.param('id')))))
      return c.text(t.competitors.noSuch, 404);
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}#competitors`, 303);
  })
  .get('/rankings/export.csv', async (c) => {
    const site = c.get('site');
    const { t, common } = sayFor(c);
    if (!site) return c.text(common.noSite, 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.text(v, 400);
    const { sort, desc } = tableOrder(c);
    // Values stay machine values (ids, states, ISO days, numbers); the header row is in the reader's language.
    const rows = sortRows(
      await keywordTable(c.get('deps').sql, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false }),
      sort,
      desc,
    )
      .map(keywordRowJson)
      .map((r) => ({
        id: r.id,
        keyword: r.query,
        engine: r.engine,
        region: r.region,
        device: r.device,
        tags: r.tags.join(';'),
        volume: r.volume,
        state: r.current?.state ?? 'never checked',
        position: r.current?.position ?? null,
        depth: r.current?.depth ?? null,
        day: r.current?.day ?? null,
        source: r.current?.source ?? null,
        change_7d: r.change7,
        change_30d: r.change30,
        best: r.best?.position ?? null,
        best_day: r.best?.day ?? null,
        ranking_url: r.current?.url ?? null,
        target_url: r.targetUrl,
        mismatch: r.mismatch,
        last_failure: r.failure ? `${r.failure.day} ${r.failure.source}: ${r.failure.error}` : null,
      }));
    return csvDownload(c, `${site.name}-rankings.csv`, rows, [...CSV_COLUMNS], t.csv);
  })
  .get('/rankings/keywords/:id{[0-9]+}', async (c) => {
    const { sql, now } = c.get('deps');
    const keyword = await getKeyword(sql, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === keyword?.siteId);
    if (!keyword || !site) return errorPage(c, 404, sayFor(c).t.keyword.noSuch);
    c.set('site', site);
    c.set('fmt', formatter(c.get('lang'), site.timeZone));
    return keywordPage(c, site, keyword.id, dayIn(now(), site.timeZone));
  });

const CSV_COLUMNS = [
  'id',
  'keyword',
  'engine',
  'region',
  'device',
  'tags',
  'volume',
  'state',
  'position',
  'depth',
  'day',
  'source',
  'change_7d',
  'change_30d',
  'best',
  'best_day',
  'ranking_url',
  'target_url',
  'mismatch',
  'last_failure',
] as const satisfies readonly (keyof RankWords['csv'])[];
