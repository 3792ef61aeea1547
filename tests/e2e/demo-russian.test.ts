// End to end in Russian: every route of the app on the demo's data, and the Rankings chart and the
// language switcher in real Chromium.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as cheerio from 'cheerio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { demoNowOn, startDemo, type RunningDemo } from '../../src/demo/run-demo.ts';
import { JOBS } from '../../jobs/index.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { englishIn, visibleText } from '../i18n/english-left.ts';
import { FakeClock, suiteSetup, tempDb, tempDir, testConfig, testDeps } from '../helpers.ts';

let demo: RunningDemo;
let browser: Browser;
let dbPath: string;

/** Every GET route the dashboard has (read from the app itself, so a new page is covered or fails here). */
function dashboardRoutes(): string[] {
  const { db } = tempDb();
  const clock = new FakeClock(0);
  const config = testConfig();
  testDeps(db, config, clock);
  const app = createApp({ db, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
}

/** A real address for each route on the demo's data: ids and query values taken from its database. */
function addresses(): Map<string, string[]> {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const one = <T>(sql: string) => db.prepare(sql).pluck().get() as T;
    const studio = one<number>(`SELECT id FROM sites WHERE name = 'studio'`);
    const links = db
      .prepare(`SELECT id FROM backlinks WHERE site_id = ? ORDER BY id`)
      .pluck()
      .all(studio) as number[];
    const check = one<number | null>(
      `SELECT id FROM backlink_checks WHERE screenshot IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    const checkLink = check
      ? one<number>(`SELECT backlink_id FROM backlink_checks WHERE id = ${check}`)
      : null;
    const keyword = one<number>(`SELECT id FROM keywords WHERE site_id = ${studio} ORDER BY id LIMIT 1`);
    const failedKeyword = one<number | null>(
      `SELECT keyword_id FROM rank_observations WHERE state = 'failed' ORDER BY keyword_id LIMIT 1`,
    );
    const report = one<number>(`SELECT id FROM reports WHERE site_id = ${studio} ORDER BY id DESC LIMIT 1`);
    const rule = one<string>(
      `SELECT rule FROM crawl_issues WHERE crawl_id = (SELECT MAX(id) FROM crawls WHERE site_id = ${studio}) ORDER BY rule LIMIT 1`,
    );
    const page = one<string>(
      `SELECT url FROM crawl_urls WHERE kind = 'page' AND state = 'done' AND crawl_id = (SELECT MAX(id) FROM crawls WHERE site_id = ${studio}) ORDER BY url LIMIT 1`,
    );
    const q = (path: string) => `${path}${path.includes('?') ? '&' : '?'}site=studio`;
    return new Map<string, string[]>([
      ['/', [q('/'), '/']],
      ['/uptime', [q('/uptime')]],
      ['/jobs', [q('/jobs')]],
      ['/alerts', [q('/alerts'), '/alerts?scope=all']],
      ['/audit', [q('/audit')]],
      ['/audit/rule', [q(`/audit/rule?rule=${encodeURIComponent(rule)}`)]],
      ['/audit/pages', [q('/audit/pages')]],
      ['/audit/page', [q(`/audit/page?url=${encodeURIComponent(page)}`)]],
      ['/backlinks', [q('/backlinks')]],
      ['/backlinks/:id{[0-9]+}', links.map((id) => q(`/backlinks/${id}`))],
      ['/backlinks/:id{[0-9]+}/delete', [q(`/backlinks/${links[0]}/delete`)]],
      ['/backlinks/archived', [q('/backlinks/archived')]],
      ['/rankings', [q('/rankings')]],
      [
        '/rankings/keywords/:id{[0-9]+}',
        [keyword, failedKeyword].filter(Boolean).map((id) => q(`/rankings/keywords/${id}`)),
      ],
      ['/ads', [q('/ads')]],
      ['/reports', [q('/reports')]],
      ['/reports/:id', [`/reports/${report}`]],
      ['/no-such-page', ['/no-such-page']],
      [
        '/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}',
        check ? [q(`/backlinks/${checkLink}/evidence/${check}`)] : [],
      ],
      ['/api/overview', [q('/api/overview')]],
      ['/api/audit/trend', [q('/api/audit/trend')]],
      ['/api/backlinks/trend', [q('/api/backlinks/trend')]],
      ['/api/rankings/trend', [q('/api/rankings/trend')]],
      ['/api/ads/trend', [q('/api/ads/trend')]],
    ]);
  } finally {
    db.close();
  }
}

/**
 * What users typed or sites say is shown as it is in every language (crawled titles, keywords, campaign
 * and account names, anchors, vendors, events): taken from the demo's database and left out of the check.
 */
function dataTexts(): string[] {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).pluck().all() as (string | null)[];
    return [
      ...all(`SELECT DISTINCT title FROM crawl_urls`),
      ...all(`SELECT DISTINCT h1 FROM crawl_urls`).flatMap((h) => (h ? (JSON.parse(h) as string[]) : [])),
      ...all(`SELECT DISTINCT query FROM keywords`),
      ...all(`SELECT DISTINCT name FROM ad_campaigns`),
      ...all(`SELECT DISTINCT name FROM ad_accounts`),
      ...all(`SELECT DISTINCT expected_anchor FROM backlinks`),
      ...all(`SELECT DISTINCT vendor FROM backlinks`),
      ...all(`SELECT DISTINCT notes FROM backlinks`),
      ...all(`SELECT DISTINCT title FROM events`),
    ]
      .filter((t): t is string => typeof t === 'string' && t.length >= 4)
      .sort((a, b) => b.length - a.length);
  } finally {
    db.close();
  }
}

let DATA: string[] | null = null;
function withoutData(text: string): string {
  DATA ??= dataTexts();
  let out = text;
  for (const d of DATA) out = out.split(d).join(' ');
  return out;
}

/** Routes that are not pages a person reads: files, data for scripts, downloads (checked apart below). */
const NOT_PAGES = new Set([
  '/static/:name',
  '/login',
  '/reports/:id/report.css',
  '/reports/:id/pdf',
  '/audit/export.csv',
  '/backlinks/export.csv',
  '/rankings/export.csv',
  '/ads/export.csv',
  '/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}',
  '/backlinks/:id{[0-9]+}/evidence.zip',
  '/backlinks/evidence.zip',
  '/api/jobs',
  '/api/rankings/keywords',
  '/api/rankings/keywords/:id{[0-9]+}/history',
  '/api/ads/campaigns',
  '/api/ads/pacing',
  '/api/ads/anomalies',
  '/api/sites',
]);

beforeAll(
  () =>
    suiteSetup(async () => {
      dbPath = join(tempDir(), 'demo.db');
      demo = await startDemo({ dbPath, port: 0, days: 7, now: demoNowOn('2026-11-01', 'the test') });
      browser = await launchChromium();
    }),
  180_000,
);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const RU = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' };

describe('every page of the demo in Russian', () => {
  it('has an address for every route of the app (a new page must be added here)', () => {
    const known = addresses();
    const missing = dashboardRoutes().filter((r) => !known.has(r) && !NOT_PAGES.has(r));
    expect(missing).toEqual([]);
  });

  it('answers every page with lang="ru" and no English catalogue string', async () => {
    const seen: string[] = [];
    for (const [route, urls] of addresses()) {
      if (route.startsWith('/api/') || NOT_PAGES.has(route)) continue;
      expect([route, urls.length > 0]).toEqual([route, true]);
      for (const url of urls) {
        const res = await fetch(new URL(url.slice(1), demo.url), { headers: RU });
        expect([url, res.status]).toEqual([url, route === '/no-such-page' ? 404 : 200]);
        const html = await res.text();
        expect([url, cheerio.load(html)('html').attr('lang')]).toEqual([url, 'ru']);
        expect([url, englishIn(withoutData(visibleText(html)))]).toEqual([url, []]);
        seen.push(url);
      }
    }
    expect(seen.length).toBeGreaterThan(20);
    // The check can fail: the same page in English is full of findings.
    const english = await (
      await fetch(new URL('jobs?site=studio', demo.url), { headers: { 'accept-language': 'en' } })
    ).text();
    expect(englishIn(withoutData(visibleText(english))).length).toBeGreaterThan(10);
  });

  it('labels every chart in Russian', async () => {
    for (const [route, urls] of addresses()) {
      if (!route.startsWith('/api/')) continue;
      for (const url of urls) {
        const data = (await (await fetch(new URL(url.slice(1), demo.url), { headers: RU })).json()) as {
          charts: Record<string, { yTitle?: string; y2Title?: string; datasets: { label: string }[] }>;
        };
        const words = Object.values(data.charts).flatMap((c) => [
          c.yTitle ?? '',
          c.y2Title ?? '',
          ...c.datasets.map((d) => d.label),
        ]);
        expect([url, englishIn(words.join('\n'))]).toEqual([url, []]);
      }
    }
  });

  it('names the columns of every CSV export in Russian', async () => {
    for (const path of [
      '/audit/export.csv',
      '/backlinks/export.csv',
      '/rankings/export.csv',
      '/ads/export.csv',
    ]) {
      const res = await fetch(new URL(`${path.slice(1)}?site=studio&for=excel`, demo.url), { headers: RU });
      expect([path, res.status]).toEqual([path, 200]);
      const header = (await res.text()).replace(/^\uFEFF/, '').split('\r\n')[0]!;
      expect([path, /[а-яё]/i.test(header), header.includes(';')]).toEqual([path, true, true]);
    }
  });
});

describe('the demo in Russian, in Chromium', () => {
  it('draws the Rankings chart with Russian month names on its axis and decimal commas', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${demo.url}rankings?site=studio`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.waitForFunction(
      () => document.querySelector('canvas[data-chart="visibility"]')?.getAttribute('data-drawn') !== null,
    );
    // What chart.js drew on the axes, after our tick callbacks: read from the chart itself.
    const ticks: { x: string[]; y: string[] } = await page.evaluate(() => {
      const canvas = document.querySelector('canvas[data-chart="visibility"]') as HTMLCanvasElement;
      const chart = (
        globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }
      ).Chart.getChart(canvas);
      return {
        x: chart.scales.x.ticks.map((t: { label: string }) => String(t.label)),
        y: chart.scales.y.ticks.map((t: { label: string }) => String(t.label)),
      };
    });
    const ruMonths = /(янв|февр|мар|апр|мая|июн|июл|авг|сент|окт|нояб|дек)\./;
    expect(ticks.x.some((l: string) => ruMonths.test(l))).toBe(true);
    expect(ticks.x.every((l: string) => !/^\d{4}-\d{2}-\d{2}$/.test(l))).toBe(true);
    expect(ticks.y.some((l: string) => /^\d+,\d+$/.test(l))).toBe(true);
    expect(ticks.y.every((l: string) => !/^\d+\.\d+$/.test(l))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches language from the header and keeps the choice on the next page', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${demo.url}backlinks?site=studio`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await Promise.all([page.waitForNavigation(), page.selectOption('.lang-switcher select', 'ru')]);
    expect(page.url()).toBe(`${demo.url}backlinks?site=studio`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Ссылки');
    await page.goto(`${demo.url}jobs?site=studio`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.locator('nav').textContent()).toContain('Задачи');
    await Promise.all([page.waitForNavigation(), page.selectOption('.lang-switcher select', 'en')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  });
});
