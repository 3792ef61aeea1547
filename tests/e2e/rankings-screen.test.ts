// The demo's Rankings page in real Chromium, at a desktop width and on a 390 px phone: the page never
// overflows sideways, DataForSEO's long error never widens the Position column, failure badges and
// headers never break inside a word, and the movers panel leads with the week's biggest drop.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { openBuiltDemo, valueOf, type OpenedDemo } from './built-demo.ts';
import { keywordMoves, lastPeriods, summarizeMoves } from '../../src/rank/movers.ts';
import { suiteSetup } from '../helpers.ts';

const TODAY = '2026-11-01';

let demo: OpenedDemo;
let browser: Browser;

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo(TODAY);
      browser = await launchChromium();
    }),
  240_000,
);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function open(width: number, height: number, lang = 'en'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({
    viewport: { width, height },
    extraHTTPHeaders: { 'accept-language': lang },
  });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${demo.url}rankings?site=studio`);
  await page.waitForFunction(
    () => document.querySelector('canvas[data-chart="share"]')?.getAttribute('data-drawn') !== null,
  );
  return { page, problems };
}

/** The Position column's width: its header cell's box. */
const positionWidth = (page: Page) =>
  page.locator('table.keywords th.pos').evaluate((th) => th.getBoundingClientRect().width);

/** Elements whose text is broken across lines inside a word (more line boxes than words). */
const brokenInWord = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        const words = (el.textContent ?? '').trim().split(/\s+/).length;
        return lines.size > words;
      })
      .map((el) => el.textContent),
  );

describe('Rankings page in Chromium', () => {
  it('keeps the Position column as wide with DataForSEO’s long error as without it, opened or not', async () => {
    const { page, problems } = await open(1400, 900);
    const failed = page.locator('table.keywords details.fail');
    expect(await failed.count()).toBeGreaterThan(0);
    // The demo's planned outage: DataForSEO's own message, a whole sentence, kept under Details.
    expect(await failed.first().locator('details.upstream small').textContent()).toMatch(
      /answered HTTP 500: status 50000 .{40,}/,
    );
    const closed = await positionWidth(page);
    // Opened (a tap on the badge, and on its Details), the message still takes no room in the column.
    await failed.first().locator('summary').first().click();
    await failed.first().locator('details.upstream summary').click();
    expect(await failed.first().locator('.fail-note').isVisible()).toBe(true);
    const opened = await positionWidth(page);
    // And with the message cut to one word, the column is the same.
    await failed
      .first()
      .locator('details.upstream small')
      .evaluate((el) => (el.textContent = 'x'));
    const short = await positionWidth(page);
    expect(Math.abs(opened - closed)).toBeLessThan(2);
    expect(Math.abs(short - opened)).toBeLessThan(2);
    // The badge says "failed" and tells the whole story in its title.
    const summary = failed.first().locator('summary').first();
    expect(await summary.textContent()).toBe('failed');
    expect(await summary.getAttribute('title')).toMatch(/^DataForSEO: the service answered with an error\n/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a 390 px phone: no sideways page overflow, the table scrolls in its own box, badges whole', async () => {
    for (const lang of ['en', 'ru']) {
      const { page, problems } = await open(390, 844, lang);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect([lang, scrollWidth]).toEqual([lang, innerWidth]);
      const wrap = await page
        .locator('#keywords .table-wrap')
        .evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
      expect(wrap.client).toBeLessThanOrEqual(innerWidth);
      expect(wrap.scroll).toBeGreaterThan(wrap.client); // the table scrolls inside its box
      expect(
        await brokenInWord(page, 'table.keywords th, table.keywords details.fail > summary, .order a'),
      ).toEqual([]);
      // The badge is a tap target of at least 24 px.
      const box = (await page.locator('table.keywords details.fail > summary').first().boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('leads with the movers panel: the week’s biggest drop, linked to its keyword, above the fold', async () => {
    const site = await valueOf<number>(demo.sql, `SELECT id FROM sites WHERE name = 'studio'`);
    const { now, prev } = lastPeriods(TODAY, 7);
    const biggest = summarizeMoves((await keywordMoves(demo.sql, site, now, prev)).moves, 5).losses[0]!;
    expect(biggest.change).toBeLessThan(0);
    const { page } = await open(1400, 900);
    const first = page.locator('#movers .movers-list.losses li').first();
    expect(await first.locator('a').textContent()).toBe(biggest.query);
    expect(await first.locator('a').getAttribute('href')).toBe(
      `/rankings/keywords/${biggest.keywordId}?site=studio`,
    );
    expect((await first.boundingBox())!.y).toBeLessThan(900);
    // The share of voice names the studio by its name, not the demo's host.
    const trend = (await (await page.request.get(`${demo.url}api/rankings/trend?site=studio`)).json()) as {
      charts: { share: { datasets: { label: string }[] } };
    };
    expect(trend.charts.share.datasets[0]!.label).toBe('studio');
    await page.close();
  });
});
