// The Rankings area's test site: five keywords (ranked, failed, not in the top, a URL mismatch, never
// checked), eight days of stored result pages, Search Console clicks; and helpers to post its forms.
import { expect } from 'vitest';
import { insertKeywords, observationWriter, saveQueryStats, saveSerpPage } from '../../src/rank/store.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import type { KeywordInput, Observation } from '../../src/rank/types.ts';
import { addDays } from '../../src/util/days.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

export const XSS = '<script>alert(1)</script>';
export const TODAY = '2026-11-27';
export const SOFA = 'диван "угловой" 🛋';
export const google = { engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru' } as const;

export type Chart = {
  type: string;
  reverse?: boolean;
  yMin?: number;
  yMax?: number;
  yTitle?: string;
  y2Title?: string;
  datasets: { key?: string; label: string; data: (number | null)[]; yAxisID?: string }[];
};
export type Trend = {
  labels: string[];
  events: { day: string; title: string }[];
  charts: Record<'visibility' | 'distribution' | 'share', Chart>;
};

export async function setup() {
  // 06:00 UTC is 09:00 in Moscow: the site's "today" is 2026-11-27.
  const clock = new FakeClock(Date.parse(`${TODAY}T06:00:00Z`));
  const config = testConfig({
    sites: [
      {
        name: 'studio',
        baseUrl: 'https://studio.example/',
        timeZone: 'Europe/Moscow',
        rankings: { providers: [], customCurve: [0.5, 0.3, 0.1] },
      },
      { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'Asia/Yekaterinburg' },
    ],
  });
  const { db, sql } = await testStoreDeps(config, clock);
  const site = (await siteByName(sql, 'studio'))!;
  const keywords: KeywordInput[] = [
    { ...google, query: SOFA, targetUrl: 'https://studio.example/sofas', volume: 1000, tags: ['sofas'] },
    { ...google, query: 'купить стол', targetUrl: 'https://studio.example/tables', volume: 500 },
    { query: 'стулья', engine: 'yandex', device: 'desktop', lr: 213, volume: 300 },
    { ...google, query: 'wrong page', targetUrl: 'https://studio.example/a', volume: 100 },
    { query: 'never checked', engine: 'bing', device: 'desktop', gl: 'us', hl: 'en' },
  ];
  const [sofa, table, chairs, wrong, never] = await insertKeywords(sql, site.id, keywords, clock.now());
  const write = observationWriter(sql, null, clock.now());
  const obs = (o: Partial<Observation> & Pick<Observation, 'keywordId' | 'day' | 'state'>) =>
    write({ source: 'serpapi', position: null, url: null, depth: 100, error: null, ...o });

  // The sofa keyword moves between 3 and 6 over the last eight days, with a stored result page each day.
  const sofaPositions = [6, 5, 4, 3, 4, 5, 4, 3];
  for (const [i, position] of sofaPositions.entries()) {
    const day = addDays(TODAY, i - 7);
    await obs({ keywordId: sofa!, day, state: 'ranked', position, url: 'https://studio.example/sofas' });
    const items = [{ position: 1, url: 'https://www.rival.example/divany', title: 'Rival sofas' }];
    for (let p = 2; p <= 10; p++)
      items.push(
        p === position
          ? { position: p, url: 'https://studio.example/sofas', title: 'Our sofas' }
          : { position: p, url: `https://other${p}.example/`, title: p === 9 ? XSS : `Other ${p}` },
      );
    await saveSerpPage(sql, sofa!, day, 'serpapi', { items, depth: 100 }, clock.now());
  }
  // The table keyword was 5 a week ago; today's attempt hit a captcha (the provider's message, as it came).
  await obs({
    keywordId: table!,
    day: '2026-11-20',
    state: 'ranked',
    position: 5,
    url: 'https://studio.example/tables',
  });
  await obs({
    keywordId: table!,
    day: TODAY,
    source: 'browser',
    state: 'failed',
    depth: null,
    error: 'captcha',
    errorKind: 'blocked',
  });
  await obs({ keywordId: chairs!, day: TODAY, state: 'not-in-top' });
  await obs({
    keywordId: wrong!,
    day: TODAY,
    state: 'ranked',
    position: 8,
    url: `https://studio.example/b?q=${XSS}`,
  });
  await saveQueryStats(sql, site.id, 'gsc', '2026-11-25', '2026-11-26', [
    {
      day: '2026-11-25',
      query: SOFA,
      page: '',
      device: '',
      country: '',
      clicks: 7,
      impressions: 90,
      position: 4,
    },
    {
      day: '2026-11-25',
      query: 'other',
      page: '',
      device: '',
      country: '',
      clicks: 3,
      impressions: 20,
      position: 9,
    },
    {
      day: '2026-11-26',
      query: SOFA,
      page: '',
      device: '',
      country: '',
      clicks: 4,
      impressions: 80,
      position: 4,
    },
  ]);
  await rebuildRankSummary(sql, site.id);
  const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
  return {
    app,
    sql,
    site,
    clock,
    obs,
    ids: { sofa: sofa!, table: table!, chairs: chairs!, wrong: wrong!, never: never! },
  };
}

/** The test site plus a loss (the "wrong page" keyword fell from 2 to 8 this week) and averages. */
export async function withMoves() {
  const s = await setup();
  const { obs, ids, sql, site } = s;
  await obs({
    keywordId: ids.wrong,
    day: '2026-11-20',
    state: 'ranked',
    position: 2,
    url: 'https://studio.example/a',
  });
  // Search Console's average for the sofa keyword beats every place a result page gave it (3 at best)…
  await obs({
    keywordId: ids.sofa,
    day: '2026-11-22',
    source: 'gsc',
    state: 'ranked',
    position: 2.4,
    depth: null,
  });
  // …and the Bing keyword is known only through Bing Webmaster's average.
  await obs({
    keywordId: ids.never,
    day: TODAY,
    source: 'bing-webmaster',
    state: 'ranked',
    position: 4.3,
    depth: null,
  });
  await rebuildRankSummary(sql, site.id);
  return s;
}

export type App = ReturnType<typeof createApp>;

export async function formPoster(app: App, headers: Record<string, string> = {}) {
  const res = await app.request('/rankings', { headers });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, site: 'studio', ...fields }).toString(),
    });
}

/** The keyword table of a Rankings page (the movers panel above it links keywords too). */
export function tableOf(html: string): string {
  const at = html.indexOf('<table class="keywords">');
  expect(at).toBeGreaterThan(0);
  return html.slice(at, html.indexOf('</table>', at));
}

/** The keyword table's ids, top to bottom. */
export const tableOrder = (html: string) =>
  [...tableOf(html).matchAll(/href="\/rankings\/keywords\/(\d+)\?/g)].map((m) => Number(m[1]));

/** The table row that links to a keyword. */
export function rowOf(page: string, id: number): string {
  const html = page.includes('<table class="keywords">') ? tableOf(page) : page;
  const at = html.indexOf(`/rankings/keywords/${id}?`);
  expect(at).toBeGreaterThan(0);
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at));
}

export const text = async (r: Response | Promise<Response>) => (await r).text();
