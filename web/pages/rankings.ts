// Rankings pages: visibility and positions over time, the keyword table, competitors, one keyword's history, CSV.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { cachedRead } from '../../src/db/read-cache.ts';
import { html } from 'hono/html';
import type { SiteRow } from '../../src/db/sites.ts';
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
  competitorStats,
  keywordObservations,
  keywordRowJson,
  PERIODS,
  rankView,
  share,
  siteDomain,
  viewQuery,
  visibility,
  type RankView,
} from '../api/rankings.ts';
import { csvDownload } from '../csv.ts';
import { csrfField, emptyState, layout, siteHref } from '../layout.ts';
import { searchAveragesSections } from './rankings-averages.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 100;
const SORTS = ['query', 'position', 'change'] as const;
type Sort = (typeof SORTS)[number];

const fmtPos = (p: number) => (Number.isInteger(p) ? String(p) : p.toFixed(1));
const lastKnown = <T>(xs: readonly (T | null)[]) => [...xs].reverse().find((x) => x !== null) ?? null;

function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/** Only http(s) links are made clickable: result pages are third-party text. */
function extLink(url: string | null) {
  if (!url) return '—';
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer nofollow">${url}</a>`
    : html`${url}`;
}

function positionCell(r: KeywordRow) {
  const cur = r.current;
  const shown = !cur
    ? null
    : cur.state === 'ranked'
      ? html`<strong>${fmtPos(cur.position!)}</strong>`
      : html`<span class="muted">not in top ${cur.depth ?? 100}</span>`;
  if (!r.failure) return shown ?? html`<span class="muted" title="never checked">—</span>`;
  const f = r.failure;
  const known = !cur
    ? 'never observed'
    : cur.state === 'ranked'
      ? `last known ${fmtPos(cur.position!)} on ${cur.day}`
      : `last known: not in top ${cur.depth ?? 100} on ${cur.day}`;
  // Another source may have seen the keyword the day this one failed: show both.
  if (cur && cur.day === f.day)
    return html`${shown}<br><small class="warn" title="${f.source} on ${f.day}">⚠ ${f.source}: ${f.error}</small>`;
  return html`<span class="warn" title="${f.source} failed on ${f.day}">⚠ ${f.error} — ${known}</span>`;
}

function changeCell(n: number | null) {
  if (n === null) return '';
  if (n === 0) return html`<span class="change">=</span>`;
  return n > 0
    ? html`<span class="change up" title="moved up ${n}">▲ +${fmtPos(n)}</span>`
    : html`<span class="change down" title="moved down ${-n}">▼ ${fmtPos(n)}</span>`;
}

/** A keyword's positions as an inline SVG (no script needed): 1 at the top, gaps where unknown. */
export function sparkline(values: readonly (number | null)[]) {
  const W = 100;
  const H = 24;
  const seen = values.filter((x): x is number => x !== null);
  if (seen.length === 0 || values.length === 0) return html`<span class="muted">—</span>`;
  const lo = Math.min(...seen);
  const hi = Math.max(...seen);
  const x = (i: number) => (values.length === 1 ? W / 2 : (i * W) / (values.length - 1)).toFixed(1);
  const y = (p: number) => (hi === lo ? H / 2 : 2 + ((p - lo) * (H - 4)) / (hi - lo)).toFixed(1);
  const runs: string[][] = [];
  let run: string[] = [];
  values.forEach((p, i) => {
    if (p === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(`${x(i)},${y(p)}`);
  });
  if (run.length) runs.push(run);
  const label = `positions over ${values.length} days: best ${fmtPos(lo)}, worst ${fmtPos(hi)}`;
  return html`<svg class="spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}"><title>${label}</title>${runs.map(
    (r) =>
      r.length === 1
        ? html`<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="1.5"></circle>`
        : html`<polyline points="${r.join(' ')}"></polyline>`,
  )}</svg>`;
}

function urlCell(r: KeywordRow) {
  const url = r.current?.url ?? null;
  const target = r.keyword.targetUrl;
  return html`${extLink(url)}${
    target
      ? html`<br><small>target: ${target}</small>${r.mismatch ? html` <span class="flag mismatch" title="Another page ranks than the one meant to">mismatch</span>` : ''}`
      : ''
  }`;
}

/** Never-checked keywords sort last whichever way; not-in-top sorts after every ranked one. */
function sortRows(rows: KeywordRow[], sort: Sort, desc: boolean): KeywordRow[] {
  const key = (r: KeywordRow): number | string | null => {
    if (sort === 'query') return r.keyword.query.toLocaleLowerCase();
    if (sort === 'change') return r.change7;
    if (!r.current) return null;
    return r.current.state === 'ranked' ? r.current.position! : 10_000;
  };
  const collator = new Intl.Collator('ru');
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
    const d = typeof ka === 'string' ? collator.compare(ka, kb as string) : ka - (kb as number);
    return desc ? -d : d;
  });
}

function tableOrder(c: Context<Env>): { sort: Sort; desc: boolean; page: number } {
  const s = c.req.query('sort');
  const sort: Sort = (SORTS as readonly string[]).includes(s ?? '') ? (s as Sort) : 'query';
  // Biggest gains first is what one wants from a 7-day change column.
  const desc = (c.req.query('dir') ?? (sort === 'change' ? 'desc' : 'asc')) === 'desc';
  const page = Math.max(1, Math.floor(Number(c.req.query('page')) || 1));
  return { sort, desc, page };
}

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

function rankingsPage(c: Context<Env>, site: SiteRow, v: RankView, state?: FormState) {
  const { db } = c.get('deps');
  // Everything read here is cached until the database changes (src/db/read-cache.ts); the page itself
  // is rendered per request, since its forms carry the visitor's CSRF token.
  const view = `${viewQuery(v)}:${v.today}`;
  const all = cachedRead(db, `rank-table:${view}`, () =>
    keywordTable(db, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false }),
  );
  const { sort, desc, page } = tableOrder(c);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const shown = cachedRead(db, `rank-page:${view}:${sort}:${desc}:${page}`, () => {
    const rows = sortRows(all, sort, desc)
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      .map((r) => ({ ...r }));
    addSparklines(db, rows, v.today);
    return rows;
  });
  const points = cachedRead(db, `rank-visibility:${view}`, () => visibility(db, v));
  const known = points.filter((p) => p.index !== null);
  const now = known.at(-1)?.index ?? null;
  const delta = known.length >= 2 ? Math.round((now! - known[0]!.index!) * 100) / 100 : null;
  const ranked = (max: number) =>
    all.filter((r) => r.current?.state === 'ranked' && r.current.position! <= max).length;
  const observedToday = all.filter((r) => r.current?.day === v.today).length;
  const failedToday = all.filter((r) => r.failure?.day === v.today && r.current?.day !== v.today).length;
  const competitors = listCompetitors(db, site.id);
  const stats = new Map(
    cachedRead(db, `rank-competitors:${view}`, () =>
      competitorStats(
        db,
        v,
        competitors.map((x) => x.domain),
      ),
    ).map((s) => [s.domain, s]),
  );
  // "Now" is the latest of the last seven days with stored pages; the chart has the whole period.
  const recent = { ...v, labels: v.labels.slice(-7) };
  const shares = new Map(
    cachedRead(db, `rank-share7:${view}`, () => share(db, recent)).map((s) => [s.domain, lastKnown(s.share)]),
  );
  const ownDomain = siteDomain(site);
  const api = `/api/rankings/trend?${viewQuery(v)}`;
  const here = (extra: Record<string, string | number | undefined>) => `/rankings?${viewQuery(v, extra)}`;
  const sortLink = (s: Sort, label: string) => {
    const nextDesc = s === sort ? !desc : s === 'change';
    return html`<a href="${here({ sort: s, dir: nextDesc ? 'desc' : 'asc' })}">${label}${s === sort ? (desc ? ' ↓' : ' ↑') : ''}</a>`;
  };
  const val = (k: string) => state?.values[k] ?? '';
  const sel = (name: string, options: readonly (string | readonly [string, string])[], value: string) =>
    html`<select name="${name}">${options.map((o) => {
      const [v2, label] = typeof o === 'string' ? [o, o] : o;
      return html`<option value="${v2}"${v2 === value ? html` selected` : ''}>${label}</option>`;
    })}</select>`;
  const flash = (form: FormState['form']) =>
    state?.form === form ? html`<p class="flash bad" role="alert">${state.error}</p>` : '';
  const added = c.req.query('added');

  if (state) c.status(state.status);
  return layout(
    c,
    'Rankings',
    html`
${state ? html`<p class="flash bad" role="alert">${state.form === 'keyword' ? 'Keyword not added' : 'Competitor not added'}: ${state.error}</p>` : ''}
${added ? html`<p class="flash">Added. The track-rankings job checks new keywords on its next run (or use “Run now” on the Jobs page).</p>` : ''}
<form method="get" action="/rankings" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  <label>Engine ${sel('engine', [['', 'all'], ...ENGINES], v.engine ?? '')}</label>
  <label>Tag ${sel('tag', [['', 'all'], ...siteTags(db, site.id)], v.tag ?? '')}</label>
  <label>CTR curve ${sel('curve', v.curves, v.curveName)}</label>
  <label>Period ${sel(
    'days',
    PERIODS.map((d) => [String(d), `${d} days`] as const),
    String(v.days),
  )}</label>
  <button type="submit">Show</button>
</form>
<section class="cards">
  <div class="card"><span class="label">Visibility (${v.curveName} curve)</span><span class="value">${now === null ? '—' : `${now.toFixed(2)} %`}${delta !== null ? html` <small class="${delta < 0 ? 'down' : 'up'}" title="change over ${v.days} days">${delta >= 0 ? '+' : ''}${delta.toFixed(2)}</small>` : ''}</span></div>
  <div class="card"><span class="label">Keywords in top 3 · top 10</span><span class="value">${ranked(3)} · ${ranked(10)} <small>of ${all.length}</small></span></div>
  <div class="card"><span class="label">Observed today · failed today</span><span class="value">${observedToday} · <span class="${failedToday ? 'bad-text' : ''}">${failedToday}</span></span></div>
</section>
${
  all.length === 0
    ? emptyState(
        v.engine || v.tag ? 'No keywords match these filters.' : 'No keywords tracked yet.',
        `Add one below, or from the command line: promowatch keywords add "QUERY" --engine google --gl ru --hl ru --site ${site.name} — or import a list: promowatch keywords import FILE.csv --site ${site.name}`,
      )
    : html`<section class="charts">
  ${chart('visibility', 'Visibility and Search Console clicks', api)}
  ${chart('distribution', 'Keywords by position', api)}
  ${chart('share', 'Share of voice', api)}
</section>
<section id="keywords">
<h2>Keywords</h2>
<p><a href="${`/rankings/export.csv?${viewQuery(v, { sort, dir: desc ? 'desc' : 'asc' })}`}">Download (CSV)</a> · ${all.length} keyword(s)${pages > 1 ? html` · page ${page} of ${pages}` : ''}</p>
<table class="keywords"><thead><tr><th>${sortLink('query', 'Keyword')}</th><th>${sortLink('position', 'Position')}</th><th>${sortLink('change', '7 days')}</th><th>30 days</th><th>Best</th><th>Ranking URL</th><th>Source</th><th>30-day trend</th></tr></thead><tbody>
${shown.map(
  (
    r,
  ) => html`<tr class="${r.failure && r.current?.day !== r.failure.day ? 'warn' : ''}"><td><a href="${siteHref(c, `/rankings/keywords/${r.keyword.id}`)}">${r.keyword.query}</a><br><small>${r.keyword.engine} · ${r.keyword.region} · ${r.keyword.device}${r.keyword.tags.length ? ` · ${r.keyword.tags.join(', ')}` : ''}</small></td>
<td>${positionCell(r)}</td><td>${changeCell(r.change7)}</td><td>${changeCell(r.change30)}</td>
<td>${r.best ? html`${fmtPos(r.best.position)}<br><small>${r.best.day}</small>` : '—'}</td>
<td>${urlCell(r)}</td><td>${r.current ? html`${r.current.source}<br><small>${r.current.day}</small>` : '—'}</td><td>${sparkline(r.spark)}</td></tr>`,
)}
</tbody></table>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page - 1 })}">← previous</a>` : ''} ${page < pages ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page + 1 })}">next →</a>` : ''}</p>`
    : ''
}
</section>`
}
${searchAveragesSections(c, db, site, here)}
<section id="add-keyword"><h2>Add a keyword</h2>
${flash('keyword')}
<form method="post" action="/rankings/keywords" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>Keyword <input type="text" name="query" required maxlength="200" value="${val('query')}"></label>
  <label>Engine ${sel('engine', ENGINES, val('engine') || 'google')}</label>
  <label>Device ${sel('device', DEVICES, val('device') || 'desktop')}</label>
  <label>Country (Google, Bing) <input type="text" name="gl" size="3" placeholder="ru" value="${val('gl')}"></label>
  <label>Language (Google, Bing) <input type="text" name="hl" size="5" placeholder="ru" value="${val('hl')}"></label>
  <label>Location <input type="text" name="location" placeholder="optional" value="${val('location')}"></label>
  <label>Region id (Yandex) <input type="text" name="lr" size="5" placeholder="213" value="${val('lr')}"></label>
  <label>Target URL <input type="url" name="target_url" placeholder="${site.baseUrl}" value="${val('target_url')}"></label>
  <label>Volume <input type="text" name="volume" size="7" value="${val('volume')}"></label>
  <label>Tags <input type="text" name="tags" placeholder="a;b" value="${val('tags')}"></label>
  <button type="submit">Add</button>
</form>
<p class="hint">Google and Bing keywords need a country and a language; Yandex keywords a region id (213 Moscow, 2 Saint Petersburg). Many at once: <code>promowatch keywords import FILE.csv --site ${site.name}</code>.</p>
</section>
<section id="competitors"><h2>Competitors</h2>
${flash('competitor')}
${
  competitors.length === 0
    ? html`<p class="hint">No competitors yet. Add a domain below: its share of voice is computed from the result pages already stored, so it comes with history.</p>`
    : html`<table><thead><tr><th>Domain</th><th>Share of voice now</th><th>Keywords in top 10</th><th>Average position on common keywords</th><th></th></tr></thead><tbody>
<tr class="own"><td>${ownDomain} <small>(this site)</small></td><td>${fmtShare(shares.get(ownDomain))}</td><td>${ranked(10)}</td><td></td><td></td></tr>
${competitors.map((x) => {
  const s = stats.get(x.domain);
  return html`<tr><td>${x.domain}${x.name ? html` <small>${x.name}</small>` : ''}</td><td>${fmtShare(shares.get(x.domain))}</td><td>${s?.top10 ?? 0}</td>
<td>${s && s.avgPosition !== null ? html`${fmtPos(s.avgPosition)} <small>(this site: ${fmtPos(s.siteAvgPosition!)}; ${s.common} keyword(s))</small>` : html`<span class="muted">no keywords in common</span>`}</td>
<td><form method="post" action="/rankings/competitors/${x.id}/delete">${csrfField(c)}<input type="hidden" name="site" value="${site.name}"><button type="submit">Remove</button></form></td></tr>`;
})}
</tbody></table>`
}
<form method="post" action="/rankings/competitors" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>Domain <input type="text" name="domain" required placeholder="rival.example" value="${val('domain')}"></label>
  <label>Name <input type="text" name="name" placeholder="optional" value="${val('name')}"></label>
  <button type="submit">Add competitor</button>
</form>
</section>`,
  );
}

const fmtShare = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${x.toFixed(1)} %`;

/** The site a form names (field "site"), made the request's site so the page renders for it. */
async function formSite(c: Context<Env>) {
  const body = await c.req.parseBody();
  const site = c.get('sites').find((s) => s.name === body.site) ?? null;
  if (site) c.set('site', site);
  const values: Record<string, string> = {};
  for (const [k, x] of Object.entries(body)) if (typeof x === 'string' && k !== '_csrf') values[k] = x;
  return { site, values };
}

function pageOr400(c: Context<Env>, site: SiteRow, state?: FormState) {
  const v = rankView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  return rankingsPage(c, site, v, state);
}

export const rankingsPages = new Hono<Env>()
  .get('/rankings', (c) => {
    const site = c.get('site');
    if (!site) return layout(c, 'Rankings', emptyState('No site is configured yet.', ''));
    return pageOr400(c, site);
  })
  .post('/rankings/keywords', async (c) => {
    const { db, now } = c.get('deps');
    const { site, values } = await formSite(c);
    if (!site) return c.text(`Unknown site "${values.site ?? ''}"`, 400);
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
    const input = validateKeywordInput(fields);
    if (typeof input === 'string')
      return pageOr400(c, site, { status: 400, form: 'keyword', error: input, values: kept });
    if (existingKeywordKeys(db, site.id).has(keywordKey(input)))
      return pageOr400(c, site, {
        status: 409,
        form: 'keyword',
        error: `“${input.query}” is already tracked for ${input.engine} in this region on ${input.device}`,
        values: kept,
      });
    insertKeywords(db, site.id, [input], now());
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}&added=1#keywords`, 303);
  })
  .post('/rankings/competitors', async (c) => {
    const { db, now } = c.get('deps');
    const { site, values } = await formSite(c);
    if (!site) return c.text(`Unknown site "${values.site ?? ''}"`, 400);
    const kept = { domain: values.domain ?? '', name: values.name ?? '' };
    let domain: string;
    try {
      domain = normaliseDomain(values.domain ?? '');
      if (!domain.includes('.'))
        throw new Error(`"${values.domain ?? ''}" is not a domain name like rival.example`);
    } catch (e) {
      return pageOr400(c, site, {
        status: 400,
        form: 'competitor',
        error: (e as Error).message,
        values: kept,
      });
    }
    if (domain === siteDomain(site))
      return pageOr400(c, site, {
        status: 400,
        form: 'competitor',
        error: `${domain} is this site's own domain`,
        values: kept,
      });
    addCompetitor(db, site.id, domain, values.name?.trim() || null, now());
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}#competitors`, 303);
  })
  .post('/rankings/competitors/:id{[0-9]+}/delete', async (c) => {
    const { site, values } = await formSite(c);
    if (!site) return c.text(`Unknown site "${values.site ?? ''}"`, 400);
    if (!deleteCompetitor(c.get('deps').db, site.id, Number(c.req.param('id'))))
      return c.text('No such competitor for this site', 404);
    return c.redirect(`/rankings?site=${encodeURIComponent(site.name)}#competitors`, 303);
  })
  .get('/rankings/export.csv', (c) => {
    const site = c.get('site');
    if (!site) return c.text('No site', 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.text(v, 400);
    const { sort, desc } = tableOrder(c);
    const rows = sortRows(
      keywordTable(c.get('deps').db, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false }),
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
    return csvDownload(c, `${site.name}-rankings.csv`, rows, CSV_COLUMNS);
  })
  .get('/rankings/keywords/:id{[0-9]+}', (c) => {
    const { db, now } = c.get('deps');
    const keyword = getKeyword(db, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === keyword?.siteId);
    if (!keyword || !site) return c.text('No such keyword', 404);
    c.set('site', site);
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
];

interface StoredResult {
  position: number;
  url: string;
  domain: string;
  title: string | null;
}

function keywordPage(c: Context<Env>, site: SiteRow, id: number, today: string) {
  const { db } = c.get('deps');
  const row = keywordTable(db, site.id, today, { ids: new Set([id]) })[0]!;
  const k = row.keyword;
  const observations = keywordObservations(db, id);
  const latestPages = db
    .prepare(
      `SELECT id, day, source, depth FROM serp_pages
       WHERE keyword_id = ? AND day = (SELECT max(day) FROM serp_pages WHERE keyword_id = ? AND day <= ?) ORDER BY source`,
    )
    .all(id, id, today) as { id: number; day: string; source: string; depth: number }[];
  const results = db.prepare(
    'SELECT position, url, domain, title FROM serp_results WHERE page_id = ? AND position <= 10 ORDER BY position',
  );
  const own = siteDomain(site);
  const rivals = listCompetitors(db, site.id).map((x) => x.domain);
  const is = (domain: string, d: string) => domain === d || domain.endsWith(`.${d}`);
  const back = `/rankings?site=${encodeURIComponent(site.name)}`;
  return layout(
    c,
    'Keyword',
    html`<p><a href="${back}">← Rankings</a></p>
<h2 class="url">${k.query} <small>${k.engine} · ${k.region} · ${k.device}</small></h2>
<section class="cards">
  <div class="card"><span class="label">Position</span><span class="value">${positionCell(row)}</span></div>
  <div class="card"><span class="label">Change 7 · 30 days</span><span class="value">${changeCell(row.change7) || '—'} · ${changeCell(row.change30) || '—'}</span></div>
  <div class="card"><span class="label">Best ever</span><span class="value">${row.best ? html`${fmtPos(row.best.position)} <small>${row.best.day}</small>` : '—'}</span></div>
  <div class="card"><span class="label">Ranking URL</span><span class="value small">${urlCell(row)}</span></div>
</section>
<p>${k.volume !== null ? `Search volume ${k.volume}. ` : ''}${k.tags.length ? `Tags: ${k.tags.join(', ')}.` : ''}</p>
${
  observations.length
    ? html`<section class="charts">${chart('positions', 'Position (1 at the top)', `/api/rankings/keywords/${id}/history`)}</section>`
    : emptyState(
        'This keyword has not been checked yet.',
        'The track-rankings job checks it on its next run; run it now with: promowatch run track-rankings --site ' +
          site.name,
      )
}
${latestPages.map(
  (p) => html`<section><h2>Result page on ${p.day} (${p.source}, top 10 of ${p.depth} looked at)</h2>
<table><thead><tr><th>#</th><th>Result</th><th>Domain</th></tr></thead><tbody>
${(results.all(p.id) as StoredResult[]).map(
  (r) =>
    html`<tr class="${is(r.domain, own) ? 'own' : rivals.some((d) => is(r.domain, d)) ? 'rival' : ''}"><td>${r.position}</td><td>${r.title ?? ''}<br><small>${extLink(r.url)}</small></td><td>${r.domain}${is(r.domain, own) ? html` <small>(this site)</small>` : rivals.some((d) => is(r.domain, d)) ? html` <small>(competitor)</small>` : ''}</td></tr>`,
)}
</tbody></table></section>`,
)}
<section><h2>Every observation</h2>
<table><thead><tr><th>Day</th><th>Source</th><th>State</th><th>Position</th><th>URL</th><th>Error</th></tr></thead><tbody>
${observations.map(
  (
    o,
  ) => html`<tr class="${o.state === 'failed' ? 'bad' : ''}"><td>${o.day}</td><td>${o.source}</td><td>${o.state}</td>
<td>${o.state === 'ranked' ? fmtPos(o.position!) : o.state === 'not-in-top' ? `not in top ${o.depth ?? 100}` : '—'}</td>
<td>${extLink(o.url)}</td><td class="error">${o.error ?? ''}</td></tr>`,
)}
</tbody></table></section>`,
  );
}
