// The Rankings pages and API: cards, the keyword table (failures, not-in-top, mismatches), charts' JSON,
// one keyword's history, competitors, adding keywords, CSV.
import { describe, expect, it } from 'vitest';
import { insertKeywords, listCompetitors, listKeywords } from '../../src/rank/store.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import {
  formPoster,
  google,
  rowOf,
  setup,
  withMoves,
  tableOf,
  tableOrder,
  text,
  TODAY,
  XSS,
  type Chart,
  type Trend,
} from './rankings-setup.ts';

describe('Rankings page', () => {
  it('shows the cards, charts, keyword table and forms', async () => {
    const { app, ids } = await setup();
    const res = await app.request('/rankings');
    expect(res.status).toBe(200);
    const html = await res.text();
    // By last known position: sofa 3, "wrong page" 8, and the captcha'd table keyword's 5 from a week ago.
    expect(html).toMatch(/Keywords in top 3 · top 10<\/span><span class="value">1 · 3 <small>of 5/);
    expect(html).toMatch(
      /Observed today · failed today<\/span><span class="value">3 · <span class="bad-text">1</,
    );
    for (const name of ['visibility', 'distribution', 'share'])
      expect(html).toContain(
        `data-chart="${name}" data-src="/api/rankings/trend?site=studio&amp;curve=sistrix&amp;days=30"`,
      );
    expect(html).toContain('action="/rankings/keywords"');
    expect(html).toContain('action="/rankings/competitors"');
    expect(html).toContain('<option value="custom">custom</option>');
    // The sofa keyword climbed from 6 to 3 in seven days: + is up.
    expect(rowOf(html, ids.sofa)).toContain('▲ +3');
  });

  it('shows a failed attempt as a short badge saying why in its title, with the last known position, never as a position', async () => {
    const { app, ids } = await setup();
    const row = rowOf(await text(app.request('/rankings')), ids.table);
    // The last known position, muted; the badge says "failed" and its title tells the whole story.
    expect(row).toContain(
      '<td class="pos"><span class="muted">5</span> <details class="fail"><summary title="browser: blocked by the search engine (captcha or an “unusual traffic” page)\nbrowser failed on 27 Nov 2026\nlast known 5 on 20 Nov 2026">failed</summary>',
    );
    // Tapped, it opens the same story with what the provider said, as it came, under Details.
    expect(row).toContain(
      '<div class="fail-note">browser: blocked by the search engine (captcha or an “unusual traffic” page)<br><small>browser failed on 27 Nov 2026; last known 5 on 20 Nov 2026</small><details class="upstream"><summary>Details</summary><small>captcha</small></details></div>',
    );
    expect(row).not.toMatch(/>(0|101)</);
  });

  it('says a failure of unknown kind failed, and a second source the same day beside the position', async () => {
    const { app, sql, site, ids, obs } = await setup();
    await obs({
      keywordId: ids.never,
      day: TODAY,
      source: 'dataforseo',
      state: 'failed',
      depth: null,
      error: 'boom',
    });
    await obs({
      keywordId: ids.wrong,
      day: TODAY,
      source: 'dataforseo',
      state: 'failed',
      depth: null,
      error: 'dataforseo: the API answered HTTP 401',
      errorKind: 'auth',
    });
    await rebuildRankSummary(sql, site.id);
    const html = await text(app.request('/rankings'));
    expect(rowOf(html, ids.never)).toContain(
      '<span class="muted">—</span> <details class="fail"><summary title="DataForSEO: the check failed\nDataForSEO failed on 27 Nov 2026\nnever observed">failed</summary>',
    );
    expect(rowOf(html, ids.never)).toContain('<small>boom</small>');
    const wrong = rowOf(html, ids.wrong);
    expect(wrong).toContain(
      '<strong>8</strong> <details class="fail"><summary title="DataForSEO: access refused: check the key or token in the config\nDataForSEO on 27 Nov 2026">failed</summary>',
    );
    expect(wrong).toContain('<small>dataforseo: the API answered HTTP 401</small>');
  });

  it('says "not in top 100" for a keyword outside the top, "—" for one never checked, and flags a URL mismatch', async () => {
    const { app, ids } = await setup();
    const html = await text(app.request('/rankings'));
    expect(rowOf(html, ids.chairs)).toContain('not in top 100');
    expect(rowOf(html, ids.never)).toContain('title="never checked">—<');
    expect(rowOf(html, ids.wrong)).toContain('class="flag mismatch"');
    expect(rowOf(html, ids.sofa)).not.toContain('mismatch');
  });

  it('escapes Cyrillic, emoji and quotes in keywords and script in ranking URLs and result titles', async () => {
    const { app, ids } = await setup();
    const html = await text(app.request('/rankings'));
    expect(html).toContain('диван &quot;угловой&quot; 🛋');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(XSS);
    const history = await text(app.request(`/rankings/keywords/${ids.sofa}`));
    expect(history).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(history).not.toContain(XSS);
    const wrong = await text(app.request(`/rankings/keywords/${ids.wrong}`));
    expect(wrong).toContain('q=&lt;script&gt;');
    expect(wrong).not.toContain(XSS);
  });

  it('sorts by position with not-in-top after ranked keywords and never-checked ones last, 100 per page', async () => {
    const { app, sql, site, ids, clock } = await setup();
    const order = tableOrder;
    expect(order(await text(app.request('/rankings?sort=position&dir=asc')))).toEqual([
      ids.sofa,
      ids.table,
      ids.wrong,
      ids.chairs,
      ids.never,
    ]);
    await insertKeywords(
      sql,
      site.id,
      Array.from({ length: 120 }, (_, i) => ({ ...google, query: `extra ${String(i).padStart(3, '0')}` })),
      clock.now(),
    );
    const first = await text(app.request('/rankings'));
    expect(order(first)).toHaveLength(100);
    expect(first).toContain('page 1 of 2');
    expect(order(await text(app.request('/rankings?page=2')))).toHaveLength(25);
  });

  it('says how to add keywords when there are none', async () => {
    const { app } = await setup();
    const html = await text(app.request('/rankings?site=bakery'));
    expect(html).toContain('No keywords tracked yet.');
    expect(html).toContain('promowatch keywords add');
    expect(html).toContain('promowatch keywords import FILE.csv --site bakery');
    expect(html).not.toContain('data-chart=');
  });

  it('refuses an unknown engine or a custom curve the site has not configured', async () => {
    const { app } = await setup();
    expect((await app.request('/rankings?engine=altavista')).status).toBe(400);
    const res = await app.request('/api/rankings/trend?site=bakery&curve=custom');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('customCurve');
  });
});

describe('Rankings keyword table', () => {
  it('lists the biggest losses first by default, keywords without a change last', async () => {
    const { app, ids } = await withMoves();
    const html = await text(app.request('/rankings'));
    // wrong page −6, sofa +3, then the rest (no 7-day change) A–Z.
    expect(tableOrder(html).slice(0, 2)).toEqual([ids.wrong, ids.sofa]);
    expect(rowOf(html, ids.wrong)).toContain('▼ -6');
    expect(html).toContain(
      '<p class="order">Order: <strong aria-current="true">losses first</strong> · <a href="',
    );
  });

  it('puts the biggest gains first when asked, by the toggle or the column header', async () => {
    const { app, ids } = await withMoves();
    const first = await text(app.request('/rankings'));
    const gains = /<a href="([^"]+)">gains first<\/a>/.exec(first)![1]!.replaceAll('&amp;', '&');
    expect(gains).toContain('sort=change&dir=desc');
    const html = await text(app.request(gains));
    expect(tableOrder(html).slice(0, 2)).toEqual([ids.sofa, ids.wrong]);
    expect(html).toContain('<strong aria-current="true">gains first</strong>');
    // The other sorts stay: by keyword A–Z, by volume (biggest first).
    expect(tableOrder(await text(app.request('/rankings?sort=volume')))).toEqual([
      ids.sofa,
      ids.table,
      ids.chairs,
      ids.wrong,
      ids.never,
    ]);
  });

  it("shows each keyword's search volume in its own column", async () => {
    const { app, ids } = await withMoves();
    const html = await text(app.request('/rankings'));
    expect(tableOf(html)).toMatch(/<th><a href="[^"]*sort=volume[^"]*">Volume<\/a><\/th>/);
    expect(rowOf(html, ids.sofa)).toContain('<td class="num">1,000</td>');
    expect(rowOf(html, ids.never)).toContain('<td class="num"><span class="muted">—</span></td>');
  });

  it('gives the best position as a whole place on a result page, and labels an average as one', async () => {
    const { app, ids } = await withMoves();
    const html = await text(app.request('/rankings'));
    // Search Console's 2.4 is not a better place than the 3 the result pages gave.
    const sofa = rowOf(html, ids.sofa);
    expect(sofa).toContain('<td>3<br><small>27 Nov 2026</small></td>');
    expect(sofa).not.toContain('2.4');
    // Known only through an average: said so, in the position and the best columns.
    const never = rowOf(html, ids.never);
    expect(never).toContain('<strong><span class="avg" title="Average position over impressions');
    expect(never).toContain('≈ 4.3 avg</span></strong>');
    expect(never).toMatch(/<td><span class="avg" title="[^"]+">≈ 4\.3 avg<\/span><br><small>27 Nov 2026/);
    const page = await text(app.request(`/rankings/keywords/${ids.sofa}`));
    expect(page).toMatch(/Best ever<\/span><span class="value">3 <small>27 Nov 2026/);
    // A keyword's own page labels each average in its list of observations.
    const history = await text(app.request(`/rankings/keywords/${ids.never}`));
    expect(history).toMatch(
      /<td>Bing Webmaster<\/td><td>ranked<\/td>\s*<td><span class="avg" title="[^"]+">≈ 4\.3 avg<\/span><\/td>/,
    );
  });
});

describe('Rankings movers panel', () => {
  it("lists the week's biggest drop and gain, each linking to its keyword", async () => {
    const { app, ids } = await withMoves();
    const html = await text(app.request('/rankings'));
    const panel = html.slice(
      html.indexOf('<section id="movers"'),
      html.indexOf('</section>', html.indexOf('<section id="movers"')),
    );
    expect(panel).toContain('<h2>Movers since last week</h2>');
    expect(panel).toMatch(
      /Each keyword&#39;s last position in 21\s–\s27 Nov 2026 against its last in 14\s–\s20 Nov 2026/,
    );
    const losses = panel.slice(panel.indexOf('movers-list losses'), panel.indexOf('movers-list gains'));
    expect(losses).toContain(`<a href="/rankings/keywords/${ids.wrong}?site=studio">wrong page</a>`);
    expect(losses).toContain('▼ -6');
    expect(losses).toContain('2 → 8');
    const gains = panel.slice(panel.indexOf('movers-list gains'), panel.indexOf('movers-list leftTop10'));
    expect(gains).toContain(`/rankings/keywords/${ids.sofa}?site=studio`);
    expect(gains).toContain('6 → 3');
    // The panel comes before the cards and charts: the first thing on the page.
    expect(html.indexOf('id="movers"')).toBeLessThan(html.indexOf('class="cards"'));
    // Filtered with the page: no Google keyword moves under the Yandex filter.
    const yandex = await text(app.request('/rankings?engine=yandex'));
    expect(yandex).not.toContain('wrong page</a> <span class="change');
  });
});

describe('Rankings API', () => {
  it('gives visibility with Search Console clicks on a second axis, null on days nothing was seen', async () => {
    const { app } = await setup();
    const data = (await (await app.request('/api/rankings/trend')).json()) as Trend;
    expect(data.labels).toHaveLength(30);
    expect(data.labels.at(-1)).toBe(TODAY);
    const [vis, clicks] = data.charts.visibility.datasets;
    expect(vis!.data[0]).toBeNull(); // 2026-10-29: no observations
    expect(vis!.data.at(-1)).toBeGreaterThan(0);
    expect(clicks!.yAxisID).toBe('y2');
    expect(data.charts.visibility.y2Title).toBe('clicks');
    const day = (d: string) => data.labels.indexOf(d);
    expect([
      clicks!.data[day('2026-11-24')],
      clicks!.data[day('2026-11-25')],
      clicks!.data[day('2026-11-26')],
    ]).toEqual([null, 10, 4]);
    const dist = data.charts.distribution;
    expect(dist.datasets.map((d) => d.label)).toEqual(['top 3', '4–10', '11–30', '31–100', 'not in top 100']);
    expect(dist.datasets.map((d) => d.key)).toEqual(['top 3', '4–10', '11–30', '31–100', 'not in top 100']);
    expect(dist.datasets.every((d) => d.data[0] === null)).toBe(true);
    // Today: sofa at 3, "wrong page" at 8, chairs not in the top; the captcha'd keyword is unknown.
    expect(dist.datasets.map((d) => d.data.at(-1))).toEqual([1, 1, 0, 0, 1]);
  });

  it("counts only the tagged queries' clicks under a tag filter, and none for Yandex", async () => {
    const { app } = await setup();
    const tagged = (await (await app.request('/api/rankings/trend?tag=sofas')).json()) as Trend;
    expect(tagged.charts.visibility.datasets[1]!.data.at(-3)).toBe(7);
    const yandex = (await (await app.request('/api/rankings/trend?engine=yandex')).json()) as Trend;
    expect(yandex.charts.visibility.datasets).toHaveLength(1);
  });

  it("zooms and reverses one keyword's position axis to the positions it took", async () => {
    const { app, ids } = await setup();
    const data = (await (await app.request(`/api/rankings/keywords/${ids.sofa}/history`)).json()) as {
      labels: string[];
      charts: { positions: Chart };
    };
    const p = data.charts.positions;
    expect(p.reverse).toBe(true);
    expect(p.yMin).toBeGreaterThanOrEqual(1);
    expect(p.yMin).toBeLessThanOrEqual(3);
    expect(p.yMax).toBeGreaterThanOrEqual(6);
    expect(p.yMax).toBeLessThanOrEqual(10);
    expect(p.datasets[0]!.data.at(-1)).toBe(3);
    expect(p.datasets[0]!.data[0]).toBeNull();
    // A failure is no point on the chart.
    const table = (await (await app.request(`/api/rankings/keywords/${ids.table}/history`)).json()) as {
      labels: string[];
      charts: { positions: Chart };
    };
    expect(table.charts.positions.datasets.map((d) => [d.key, d.label])).toEqual([['serpapi', 'SerpApi']]);
    expect(table.charts.positions.datasets[0]!.data.at(-1)).toBeNull();
  });

  it('lists the keyword table as JSON with nulls for what is unknown', async () => {
    const { app, ids } = await setup();
    const data = (await (await app.request('/api/rankings/keywords?site=studio')).json()) as {
      keywords: { id: number; current: unknown; failure: { error: string } | null; change7: number | null }[];
    };
    const never = data.keywords.find((k) => k.id === ids.never)!;
    expect(never.current).toBeNull();
    expect(never.change7).toBeNull();
    expect(data.keywords.find((k) => k.id === ids.table)!.failure!.error).toBe('captcha');
  });

  it('pages the keyword table JSON with a link to the next page', async () => {
    const { app } = await setup();
    type Page = { total: number; offset: number; next: string | null; keywords: { id: number }[] };
    const first = (await (await app.request('/api/rankings/keywords?site=studio&limit=2')).json()) as Page;
    expect(first.keywords).toHaveLength(2);
    expect(first.total).toBeGreaterThan(2);
    expect(first.next).toMatch(/offset=2&limit=2/);
    const second = (await (await app.request(first.next!)).json()) as Page;
    expect(second.offset).toBe(2);
    expect(second.keywords.map((k) => k.id)).not.toContain(first.keywords[0]!.id);
  });

  it('answers 404 for an unknown keyword', async () => {
    const { app } = await setup();
    expect((await app.request('/rankings/keywords/999999')).status).toBe(404);
    expect((await app.request('/api/rankings/keywords/999999/history')).status).toBe(404);
  });
});

describe('Rankings keyword history page', () => {
  it('lists every observation with its state and error, and the stored top 10 of the latest day', async () => {
    const { app, ids } = await setup();
    const html = await text(app.request(`/rankings/keywords/${ids.table}`));
    expect(html).toMatch(/<td>27 Nov 2026<\/td><td>browser<\/td><td>failed<\/td>\s*<td>—<\/td>/);
    expect(html).toContain(
      '<td class="error">blocked by the search engine (captcha or an “unusual traffic” page)<details class="upstream"><summary>Details</summary><small>captcha</small></details></td>',
    );
    expect(html).toContain('data-src="/api/rankings/keywords/');
    const sofa = await text(app.request(`/rankings/keywords/${ids.sofa}`));
    expect(sofa).toContain('Result page on 27 Nov 2026 (SerpApi, top 10 of 100 looked at)');
    expect(sofa).toMatch(/<tr class="own"><td>3<\/td><td>Our sofas/);
    expect((sofa.match(/<tr class="(own|rival|)"><td>\d+<\/td>/g) ?? []).length).toBe(10);
  });
});

describe('Rankings competitors', () => {
  it('gives a competitor added after the fact its share-of-voice history from stored result pages', async () => {
    const { app, sql, site } = await setup();
    const post = await formPoster(app);
    const res = await post('/rankings/competitors', {
      domain: 'https://www.Rival.example/page',
      name: 'Rival',
    });
    expect(res.status).toBe(303);
    expect((await listCompetitors(sql, site.id)).map((c) => c.domain)).toEqual(['rival.example']);
    const data = (await (await app.request('/api/rankings/trend')).json()) as Trend;
    const rival = data.charts.share.datasets.find((d) => d.key === 'rival.example')!;
    expect(rival.label).toBe('rival.example');
    // The site's own line is named after the site, not its host.
    expect(data.charts.share.datasets[0]).toMatchObject({ key: 'studio.example', label: 'studio' });
    const day = (d: string) => data.labels.indexOf(d);
    expect(rival.data[day('2026-11-20')]).toBeGreaterThan(0);
    expect(rival.data[day('2026-11-19')]).toBeNull();
    const html = await text(app.request('/rankings'));
    expect(html).toMatch(
      /<td>rival\.example <small>Rival<\/small><\/td><td>\d+(\.\d)?%<\/td><td>1<\/td>\s*<td>1 <small>\(this site: 3; 1 keyword\)/,
    );
  });

  it('refuses a competitor that is no domain or is the site itself, and removes one', async () => {
    const { app, sql, site } = await setup();
    const post = await formPoster(app);
    const bad = await post('/rankings/competitors', { domain: 'not a domain' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Competitor not added');
    expect((await post('/rankings/competitors', { domain: 'studio.example' })).status).toBe(400);
    await post('/rankings/competitors', { domain: 'rival.example' });
    const [rival] = await listCompetitors(sql, site.id);
    expect((await post(`/rankings/competitors/${rival!.id}/delete`, {})).status).toBe(303);
    expect(await listCompetitors(sql, site.id)).toEqual([]);
    expect((await post(`/rankings/competitors/${rival!.id}/delete`, {})).status).toBe(404);
  });
});

describe('Rankings add-keyword form', () => {
  it('adds a keyword, refuses a duplicate with a message, and re-shows a bad form with its errors', async () => {
    const { app, sql, site } = await setup();
    const post = await formPoster(app);
    const added = await post('/rankings/keywords', {
      query: 'шкаф',
      engine: 'yandex',
      lr: '213',
      tags: 'a;b',
    });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toContain('added=1');
    const shkaf = (await listKeywords(sql, site.id)).find((k) => k.query === 'шкаф')!;
    expect([shkaf.region, shkaf.tags]).toEqual(['lr=213', ['a', 'b']]);

    const dup = await post('/rankings/keywords', {
      query: 'ДИВАН "угловой" 🛋',
      engine: 'google',
      gl: 'RU',
      hl: 'ru',
    });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('is already tracked');
    expect(await listKeywords(sql, site.id)).toHaveLength(6);

    const bad = await post('/rankings/keywords', { query: `"${XSS}`, engine: 'google', gl: 'russia' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Keyword not added');
    expect(html).toContain('two-letter country');
    expect(html).toContain('language (hl) is missing');
    expect(html).toContain(`value="&quot;&lt;script&gt;alert(1)&lt;/script&gt;"`);
    expect(html).not.toContain(XSS);
    expect(await listKeywords(sql, site.id)).toHaveLength(6);
  });

  it('refuses a form without its CSRF token', async () => {
    const { app } = await setup();
    const res = await app.request('/rankings/keywords', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ site: 'studio', query: 'x', engine: 'yandex', lr: '213' }).toString(),
    });
    expect(res.status).toBe(403);
  });
});

describe('Rankings CSV export', () => {
  it('exports the keyword table with its header, states and failures', async () => {
    const { app } = await setup();
    const res = await app.request('/rankings/export.csv');
    expect(res.headers.get('content-disposition')).toContain('studio-rankings.csv');
    const csv = new TextDecoder().decode(await res.arrayBuffer()).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,keyword,engine,region,device,tags,volume,state,position,depth,day,source,change_7d,change_30d,best,best_day,ranking_url,target_url,mismatch,last_failure',
    );
    expect(lines).toHaveLength(6);
    expect(csv).toContain(
      '"диван ""угловой"" 🛋",google,"gl=ru;hl=ru",desktop,sofas,1000,ranked,3,100,2026-11-27,serpapi,3,',
    );
    expect(csv).toContain('not-in-top,,100,2026-11-27');
    expect(csv).toContain('2026-11-27 browser: captcha');
    expect(csv).toContain('never checked');
  });
});
