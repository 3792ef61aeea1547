// End to end: the demo's Overview in real Chromium answers above the fold — the lost links with their
// money, the biggest ranking drop and the Direct budget overrun fit in the first 900 px at 1400×900, in
// English and in Russian — and at 390 px wide the page does not overflow sideways.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { openBuiltDemo, type OpenedDemo } from './built-demo.ts';
import { suiteSetup } from '../helpers.ts';

// A fixed today, mid-month: the pace of the month is known, whatever day the suite runs on.
const TODAY = '2026-11-18';

// Set PROMOWATCH_SHOTS to a folder to keep screenshots of what was checked (for a change's closing note).
const SHOTS = process.env.PROMOWATCH_SHOTS;

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

async function open(lang: 'en' | 'ru', width: number, height: number, path = '?site=studio'): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width, height },
    locale: lang === 'ru' ? 'ru-RU' : 'en-US',
  });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setExtraHTTPHeaders({ 'accept-language': lang });
  await page.goto(`${demo.url}${path}`);
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  expect(problems).toEqual([]);
  return page;
}

/** The bottom edge (px from the top of the page) of what `selector` matches, or null when nothing does. */
const bottomOf = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const els = Array.from(document.querySelectorAll(s));
    return els.length ? Math.max(...els.map((e) => e.getBoundingClientRect().bottom + window.scrollY)) : null;
  }, selector);

describe('the demo Overview above the fold', () => {
  // The studio's own Overview, and the all-sites view the demo opens on (the studio first: it has the most to see).
  for (const [view, path] of [
    ['studio', '?site=studio'],
    ['all sites', ''],
  ] as const)
    for (const lang of ['en', 'ru'] as const)
      it(`shows the lost links with their money, the biggest drop and the budget overrun within 900 px (${view}, ${lang})`, async () => {
        const page = await open(lang, 1400, 900, path);
        if (SHOTS)
          await page.screenshot({ path: join(SHOTS, `overview-1400-${view.replace(' ', '-')}-${lang}.png`) });
        const studio = '[data-site="studio"]';
        if (!path)
          expect(await page.locator('section.attention').first().getAttribute('data-site')).toBe('studio');
        // Every lost link line with its price, and the totals.
        const lost = page.locator(`${studio} [data-panel="dead"] li`);
        expect(await lost.count()).toBeGreaterThanOrEqual(3);
        expect(await page.locator(`${studio} [data-panel="dead"] li .money`).count()).toBe(
          await lost.count(),
        );
        expect(await page.locator(`${studio} [data-panel="dead"] .total`).textContent()).toMatch(/\d/);
        expect(await bottomOf(page, `${studio} [data-panel="dead"] li`)).toBeLessThanOrEqual(900);
        expect(await bottomOf(page, `${studio} [data-panel="dead"] .total`)).toBeLessThanOrEqual(900);
        // The biggest drop: the first of the losses.
        const drop = `${studio} [data-moves="losses"] li:first-child`;
        expect(await page.locator(`${drop} .change.down`).count()).toBe(1);
        expect(await bottomOf(page, drop)).toBeLessThanOrEqual(900);
        // The overrun: an account line marked over budget.
        expect(await page.locator(`${studio} [data-panel="ads"] li.over`).count()).toBeGreaterThanOrEqual(1);
        expect(await bottomOf(page, `${studio} [data-panel="ads"] li.over`)).toBeLessThanOrEqual(900);
        await page.close();
      });

  for (const lang of ['en', 'ru'] as const)
    it(`fits a 390 px phone without sideways scrolling (${lang})`, async () => {
      const page = await open(lang, 390, 844);
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `overview-390-${lang}.png`), fullPage: true });
      expect(scroll).toBeLessThanOrEqual(inner);
      await page.close();
    });
});
