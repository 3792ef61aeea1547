// End to end in Russian: every route of the app on the demo's data, and the Rankings chart and the
// language switcher in real Chromium.
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { openBuiltDemo, type OpenedDemo } from './built-demo.ts';
import { englishIn, visibleText } from '../i18n/english-left.ts';
import { dashboardRoutes, NOT_PAGES as SHARED_NOT_PAGES, pageAddresses } from './demo-addresses.ts';
import { suiteSetup } from '../helpers.ts';

let demo: OpenedDemo;
let browser: Browser;

/** A real address for every route on the demo's data (the list the screens test walks too). */
const addresses = () => pageAddresses(demo.sql);

/**
 * What users typed or sites say is shown as it is in every language (crawled titles, keywords, campaign
 * and account names, anchors, vendors, events): taken from the demo's database and left out of the check.
 */
async function dataTexts(): Promise<string[]> {
  const all = async (q: string) => (await demo.sql.all<{ v: string | null }>(q)).map((r) => r.v);
  return [
    ...(await all(`SELECT DISTINCT title AS v FROM crawl_urls`)),
    ...(await all(`SELECT DISTINCT h1 AS v FROM crawl_urls`)).flatMap((h) =>
      h ? (JSON.parse(h) as string[]) : [],
    ),
    ...(await all(`SELECT DISTINCT query AS v FROM keywords`)),
    ...(await all(`SELECT DISTINCT name AS v FROM ad_campaigns`)),
    ...(await all(`SELECT DISTINCT name AS v FROM ad_accounts`)),
    ...(await all(`SELECT DISTINCT expected_anchor AS v FROM backlinks`)),
    ...(await all(`SELECT DISTINCT vendor AS v FROM backlinks`)),
    ...(await all(`SELECT DISTINCT notes AS v FROM backlinks`)),
    ...(await all(`SELECT DISTINCT title AS v FROM events`)),
  ]
    .filter((t): t is string => typeof t === 'string' && t.length >= 4)
    .sort((a, b) => b.length - a.length);
}

/** The texts dataTexts() found, read once the demo is open. */
let DATA: string[] = [];
function withoutData(text: string): string {
  let out = text;
  for (const d of DATA) out = out.split(d).join(' ');
  return out;
}

/** Routes that are not pages a person reads (files, data, downloads: checked apart below); the login page
 * is not served without auth. */
const NOT_PAGES = new Set([...SHARED_NOT_PAGES, '/login']);

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo('2026-11-01');
      DATA = await dataTexts();
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
  it('has an address for every route of the app (a new page must be added here)', async () => {
    const known = await addresses();
    const missing = dashboardRoutes().filter((r) => !known.has(r) && !NOT_PAGES.has(r));
    expect(missing).toEqual([]);
  });

  it('answers every page with lang="ru" and no English catalogue string', async () => {
    const seen: string[] = [];
    for (const [route, urls] of await addresses()) {
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
    for (const [route, urls] of await addresses()) {
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
