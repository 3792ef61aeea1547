// End to end: the demo world, its jobs and the dashboard, opened in real headless Chromium.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { startDemo, type RunningDemo } from '../../src/demo/run-demo.ts';
import { suiteSetup, tempDir } from '../helpers.ts';

let demo: RunningDemo;
let browser: Browser;

// suiteSetup: the temporary folder (database and evidence screenshots) lives until the last test.
beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await startDemo({ dbPath: join(tempDir(), 'demo.db'), port: 0, days: 14 });
      browser = await launchChromium();
    }),
  180_000,
);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('demo dashboard in Chromium', () => {
  it('draws the Overview charts from real job data, with no console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(demo.url);
    expect(await page.locator('.banner').textContent()).toContain('simulation');
    const canvas = page.locator('canvas[data-chart="responseTime"]');
    await canvas.waitFor();
    await page.waitForFunction(
      () => document.querySelector('canvas[data-chart="responseTime"]')?.getAttribute('data-drawn') !== null,
    );

    // The numbers behind the chart are the ones the uptime job measured.
    const api = (await (await page.request.get(`${demo.url}api/overview?site=studio`)).json()) as {
      charts: { responseTime: { datasets: { data: (number | null)[] }[] } };
    };
    const measured = api.charts.responseTime.datasets[0]!.data.filter((v) => v !== null);
    expect(measured.length).toBeGreaterThanOrEqual(9);
    expect(Number(await canvas.getAttribute('data-drawn'))).toBeGreaterThanOrEqual(measured.length);

    // And the canvas really has ink on it: pixels that are neither transparent nor white, and among
    // them the blue (#2563eb) of the first line series, which only appears if data was plotted.
    const ink = await canvas.evaluate((el: HTMLCanvasElement) => {
      const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
      let inked = 0;
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a > 0 && !(r > 240 && g > 240 && b > 240)) inked++;
        if (a > 0 && Math.abs(r - 0x25) < 30 && Math.abs(g - 0x63) < 30 && Math.abs(b - 0xeb) < 30) blue++;
      }
      return { inked, blue };
    });
    expect(ink.inked).toBeGreaterThan(2000);
    expect(ink.blue).toBeGreaterThan(100);
    expect(await page.locator('table').first().textContent()).toContain('/ru/o-studii/');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the Site audit charts and shows what changed between the two crawls', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${demo.url}audit`);
    await page.waitForFunction(
      () => document.querySelector('canvas[data-chart="issues"]')?.getAttribute('data-drawn') !== null,
    );
    const canvas = page.locator('canvas[data-chart="issues"]');
    expect(Number(await canvas.getAttribute('data-drawn'))).toBeGreaterThanOrEqual(2);
    const inked = await canvas.evaluate((el: HTMLCanvasElement) => {
      const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3]! > 0 && !(data[i]! > 240 && data[i + 1]! > 240 && data[i + 2]! > 240)) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(2000);
    const text = await page.locator('main').textContent();
    expect(text).toContain('Since the previous crawl');
    expect(text).toContain('Title missing');
    expect(text).toContain('Redirect chain');
    expect(text).toContain('/portfolio/old-showreel/'); // fixed since the relaunch
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the Backlinks charts and shows every demo case with its verdict and evidence', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    await page.goto(`${demo.url}backlinks`);
    await page.waitForFunction(
      () => document.querySelector('canvas[data-chart="links"]')?.getAttribute('data-drawn') !== null,
    );
    expect(
      Number(await page.locator('canvas[data-chart="links"]').getAttribute('data-drawn')),
    ).toBeGreaterThan(10);
    const text = (await page.locator('main').textContent())!;
    for (const reason of [
      'rel="nofollow"',
      'inside <noindex>: Yandex ignores it',
      'hidden: display:none',
      'present only after JavaScript',
      'page gone (404)',
      'link removed',
      'the page is noindex',
    ])
      expect(text).toContain(reason);
    // A rendered check of today keeps its screenshot, served as evidence on the link's page.
    await page.locator('a[href^="/backlinks/"]', { hasText: '/blog/best-video-studios/' }).click();
    await page.locator('img.evidence').first().waitFor();
    // The screenshot is served from data/evidence: wait until the browser has decoded it.
    await page.waitForFunction(() => {
      const img = document.querySelector('img.evidence') as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth > 100;
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the job history and starts a run from the "Run now" button', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${demo.url}jobs`);
    expect(await page.locator('table').nth(1).textContent()).toContain('uptime');
    const before = await page.locator('table').nth(1).locator('tbody tr').count();
    await page.locator('form[action="/jobs/run"]').first().locator('button').click();
    await page.waitForURL(/started=uptime/);
    expect(await page.locator('.flash').textContent()).toContain('Started uptime');
    await page.waitForTimeout(300);
    await page.reload();
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(before + 1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
