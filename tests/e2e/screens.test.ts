// Every page of the demo in real Chromium, at desktop and phone width, in both languages: the page never
// scrolls sideways, no script or resource fails, and no header, badge or nav link is broken inside a word.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { openBuiltDemo, valueOf, type OpenedDemo } from './built-demo.ts';
import { suiteSetup, tempDir } from '../helpers.ts';
import { decodePng, type Raster } from '../raster.ts';
import { dashboardRoutes, NOT_PAGES, pageAddresses } from './demo-addresses.ts';

let demo: OpenedDemo;
let browser: Browser;

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo('2026-11-01');
      browser = await launchChromium();
    }),
  180_000,
);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** What the eye catches on one rendered page: sideways scroll, and words split across two lines. */
export interface ScreenFindings {
  overflow: number;
  broken: string[];
}

/** Elements whose words must stay whole: headers, badges, navigation. */
export const WHOLE_WORDS = 'th, .badge, .status, .sev, .flag, h1, h2, h3, nav a';

/**
 * Runs in the page: how far it scrolls sideways, and each word of WHOLE_WORDS that the browser drew on
 * more than one line box (a Range over one word returning two client rects means it broke inside it).
 */
export function inspect(selector: string): ScreenFindings {
  const broken: string[] = [];
  for (const el of Array.from(document.querySelectorAll(selector))) {
    if (!(el as HTMLElement).offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    // An address may break anywhere (it has no words to keep whole): headings that are URLs are left out.
    if (el.closest('.url')) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      // A word is letters and digits; a break at a hyphen, slash or dash is allowed.
      for (const m of text.matchAll(/[^\s\-‐–—/·,.:;()]+/gu)) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set(
          Array.from(range.getClientRects())
            .filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)),
        );
        if (lines.size > 1)
          broken.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}: "${m[0]}"`);
      }
    }
  }
  return { overflow: document.documentElement.scrollWidth - window.innerWidth, broken };
}

const SCREENS = [
  { name: 'desktop', width: 1400, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LANGS = [
  { lang: 'en', locale: 'en-US' },
  { lang: 'ru', locale: 'ru-RU' },
] as const;

/** Set SCREENS_DIR to keep a full-page screenshot of every page visited (before/after comparisons). */
const SHOTS = process.env.SCREENS_DIR;

async function visit(page: Page, url: string, problems: string[], shot: string) {
  const res = await page.goto(url, { waitUntil: 'load' });
  // Charts are drawn after load by our deferred script: let it run and the layout settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  const closed = await page.evaluate(inspect, WHOLE_WORDS);
  const links = page.locator('nav a');
  const hasNav = (await links.count()) > 0;
  const navShown = hasNav && (await links.first().isVisible());
  // On a phone the navigation hides behind its menu button: open it, and check what it shows too.
  const menu = page.locator('details.menu > summary');
  const menuShown = (await menu.count()) > 0 && (await menu.isVisible());
  if (menuShown) await menu.click();
  if (SHOTS && menuShown) await page.screenshot({ path: join(SHOTS, `${shot}-menu.png`) });
  const open = await page.evaluate(inspect, WHOLE_WORDS);
  return {
    status: res?.status() ?? 0,
    /** 'links': the links show as they are; 'menu': a button opens them; 'none': no navigation. */
    nav: !hasNav
      ? 'none'
      : navShown
        ? 'links'
        : menuShown && (await links.first().isVisible())
          ? 'menu'
          : 'lost',
    findings: {
      overflow: Math.max(closed.overflow, open.overflow),
      broken: [...new Set([...closed.broken, ...open.broken])],
    },
    problems,
  };
}

describe('every page of the demo on a desktop and on a phone', () => {
  it('has an address for every page route of the app (a new page must be added to demo-addresses.ts)', async () => {
    const known = await pageAddresses(demo.sql, 1);
    const missing = dashboardRoutes().filter((r) => !known.has(r) && !NOT_PAGES.has(r));
    expect(missing).toEqual([]);
  });

  it('never scrolls sideways, logs no errors and breaks no header, badge or nav link inside a word', async () => {
    const addresses = [...(await pageAddresses(demo.sql, 6))]
      .filter(([route]) => !NOT_PAGES.has(route))
      .flatMap(([route, urls]) => urls.map((url) => ({ route, url })));
    const failures: string[] = [];
    let seen = 0;
    for (const screen of SCREENS) {
      for (const { lang, locale } of LANGS) {
        const context = await browser.newContext({
          locale,
          extraHTTPHeaders: { 'accept-language': locale },
          viewport: { width: screen.width, height: screen.height },
        });
        const page = await context.newPage();
        let problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        for (const { route, url } of addresses) {
          problems = [];
          const shot = `${screen.name}-${lang}-${url.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
          const { status, nav, findings } = await visit(
            page,
            new URL(url.slice(1), demo.url).href,
            problems,
            shot || `${screen.name}-${lang}-overview`,
          );
          const where = `${screen.name} ${lang} ${url}`;
          const expected = route === '/no-such-page' ? 404 : 200;
          if (status !== expected) failures.push(`${where}: status ${status}, expected ${expected}`);
          // A desktop shows the navigation's links; a phone folds them behind the menu button.
          // (The login page and the stored weekly report are pages of their own, without it.)
          const alone = route === '/login' || route === '/reports/:id';
          const navWanted = alone ? 'none' : screen.name === 'desktop' ? 'links' : 'menu';
          if (nav !== navWanted) failures.push(`${where}: navigation ${nav}, expected ${navWanted}`);
          if (findings.overflow > 0)
            failures.push(`${where}: page scrolls sideways by ${findings.overflow}px`);
          // The 404 page's own status is logged by Chromium as a failed resource: that one is expected.
          const errors = problems.filter((p) => !(expected === 404 && /status of 404/.test(p)));
          for (const p of errors) failures.push(`${where}: console: ${p}`);
          for (const b of findings.broken) failures.push(`${where}: broken inside a word: ${b}`);
          seen++;
        }
        await context.close();
      }
    }
    expect(seen).toBeGreaterThan(60);
    expect(failures).toEqual([]);
  }, 240_000);
});

/** How far down the page ink reaches, as a share of the page height (a page printed to its foot is 1). */
function filled(page: Raster): number {
  const { width, height, data, channels } = page;
  for (let y = height - 1; y >= 0; y--)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) return (y + 1) / height;
    }
  return 0;
}

// One demo serves both checks: starting it costs most of this file's run time.
describe("the demo's weekly report PDF", () => {
  it('has no half-empty page: sections flow on, every page but the last is filled past 40 %', async () => {
    const pdf = await valueOf<Buffer | null>(
      demo.sql,
      `SELECT pdf FROM reports WHERE site_id = (SELECT id FROM sites WHERE name = 'studio') ORDER BY week DESC LIMIT 1`,
    );
    expect(pdf).not.toBeNull();
    const dir = tempDir();
    writeFileSync(join(dir, 'report.pdf'), pdf!);
    // 30 dpi is plenty to see where ink stops; pdftoppm writes page-1.png, page-2.png…
    execFileSync('pdftoppm', ['-png', '-r', '30', join(dir, 'report.pdf'), join(dir, 'page')]);
    const pages = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]))
      .map((f) => filled(decodePng(readFileSync(join(dir, f)))));
    expect(pages.length).toBeGreaterThan(1);
    const short = pages
      .slice(0, -1)
      .map((f, i) => ({ page: i + 1, filled: Math.round(f * 100) }))
      .filter((p) => p.filled < 40);
    expect(short).toEqual([]);
  });
});
