// Charts of the demo in real Chromium at desktop and phone width: event markers that never overlap each
// other or the plot (their words listed under the chart), x-axis dates that never collide, today's partial
// day kept out of ROAS, and the Ads page with no sideways scroll at 390 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import { openBuiltDemo, type OpenedDemo } from './built-demo.ts';
import { suiteSetup } from '../helpers.ts';

// The demo's fixed today, noon in Moscow: today's ad spend is half a day's, its conversions not in yet.
const TODAY = '2026-11-01';
const SIZES = [
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
] as const;
/** Pages with charts, and how many events the demo dates inside their ranges. */
const PAGES = ['/uptime?site=studio', '/ads?site=studio', '/backlinks?site=studio', '/rankings?site=studio'];

let demo: OpenedDemo;
let browser: Browser;

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo(TODAY);
      browser = await launchChromium();
    }),
  180_000,
);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface ChartFacts {
  chart: string;
  width: number;
  area: Box;
  events: number;
  listed: number;
  markers: { n: number; x: number; y: number; r: number }[];
  ticks: (Box & { label: string })[];
  /** Each dataset's values, and the label index the API marked as today's partial day. */
  data: (number | null)[][];
  partialIndex: number | null;
}

/** Opens a page, waits for every chart, and reads from chart.js where it put markers and tick labels. */
async function chartsOn(page: Page, path: string): Promise<ChartFacts[]> {
  await page.goto(`${demo.url}${path.slice(1)}`);
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('canvas[data-chart]')).every(
      (c) => c.getAttribute('data-drawn') !== null,
    ),
  );
  // One frame for a second row of markers to take its room.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(async () => {
    const out = [];
    for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]'))) {
      const chart = (
        globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }
      ).Chart.getChart(canvas);
      const data = await (await fetch(canvas.dataset.src!)).json();
      const ctx = canvas.getContext('2d')!;
      const ticks = chart.scales.x.getLabelItems().map((item: any) => {
        ctx.save();
        ctx.font = item.font.string;
        const w = ctx.measureText(String(item.label)).width;
        ctx.restore();
        const [x, y] = item.options.translation;
        const align = item.options.textAlign;
        const left = align === 'left' ? x : align === 'right' ? x - w : x - w / 2;
        return { label: String(item.label), left, right: left + w, top: y, bottom: y + item.font.lineHeight };
      });
      const a = chart.chartArea;
      out.push({
        chart: canvas.dataset.chart!,
        width: canvas.clientWidth,
        area: { left: a.left, right: a.right, top: a.top, bottom: a.bottom },
        events: (data.events ?? []).length,
        listed: canvas.closest('figure')!.querySelectorAll('.chart-events li').length,
        markers: chart.$events ?? [],
        ticks,
        data: chart.data.datasets.map((d: { data: (number | null)[] }) => d.data),
        partialIndex: data.partialIndex ?? null,
      });
    }
    return out;
  });
}

const overlap = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('charts in Chromium', () => {
  for (const size of SIZES)
    it(`draws events as numbered markers above the plot and dates that never collide, at ${size.width} px`, async () => {
      const page = await browser.newPage({ viewport: size });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      let withEvents = 0;
      for (const path of PAGES) {
        const charts = await chartsOn(page, path);
        expect([path, charts.length > 0]).toEqual([path, true]);
        for (const c of charts) {
          const where = `${path} ${c.chart} at ${size.width} px`;
          // Every event has a marker and a line in the list under the chart, numbered alike.
          expect([where, c.markers.length, c.listed]).toEqual([where, c.events, c.events]);
          if (c.events > 0) withEvents++;
          const boxes = c.markers.map((m) => ({
            left: m.x - m.r,
            right: m.x + m.r,
            top: m.y - m.r,
            bottom: m.y + m.r,
          }));
          for (const [i, b] of boxes.entries()) {
            // Above the plot: a marker never covers a bar or a line.
            expect([where, b.bottom <= c.area.top]).toEqual([where, true]);
            for (const other of boxes.slice(i + 1))
              expect([where, overlap(b, other)]).toEqual([where, false]);
          }
          // Tick labels: at least two, none touching the next, none wider than the canvas.
          expect([where, c.ticks.length >= 2]).toEqual([where, true]);
          for (let i = 1; i < c.ticks.length; i++)
            expect([
              where,
              c.ticks[i - 1]!.label,
              c.ticks[i]!.label,
              overlap(c.ticks[i - 1]!, c.ticks[i]!),
            ]).toEqual([where, c.ticks[i - 1]!.label, c.ticks[i]!.label, false]);
          for (const t of c.ticks)
            expect([where, t.left >= -1 && t.right <= c.width + 1]).toEqual([where, true]);
        }
      }
      // The demo's bid raise and relaunch sit three days apart: both inside the 30-day charts.
      expect(withEvents).toBeGreaterThanOrEqual(5);
      expect(problems).toEqual([]);
      await page.close();
    });

  it('shows an event in words when its marker is hovered', async () => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    const [spend] = (await chartsOn(page, '/ads?site=studio')).filter((c) => c.chart === 'spend');
    const box = (await page.locator('canvas[data-chart="spend"]').first().boundingBox())!;
    const first = spend!.markers[0]!;
    await page.mouse.move(box.x + first.x, box.y + first.y);
    const tip = page.locator('.chart-event-tip').first();
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toMatch(/^1\. 16 October 2026 — Вышел пресс-релиз/);
    await page.mouse.move(box.x + 5, box.y + box.height - 5);
    await tip.waitFor({ state: 'hidden' });
    await page.close();
  });

  it("keeps today's partial day out of ROAS and CPA and marks it on spend and cost per click", async () => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    const charts = await chartsOn(page, '/ads?site=studio');
    const last = 29; // 30 days, today last
    for (const c of charts) {
      expect([c.chart, c.partialIndex]).toEqual([c.chart, last]);
      for (const data of c.data) {
        if (c.chart === 'roas' || c.chart === 'cpa') {
          // Not a half day's 0 (or a half day's inflated cost per conversion): no point at all.
          expect([c.chart, data[last]]).toEqual([c.chart, null]);
          expect(data[last - 1]).toBeGreaterThan(0);
        } else expect(data[last]).toBeGreaterThan(0);
      }
    }
    // The page says what today's figures are, under the chart and above the cards.
    expect(await page.locator('figure:has(canvas[data-chart="spend"]) .chart-note.partial').count()).toBe(2);
    expect(await page.locator('main').textContent()).toContain('CTR, CPA and ROAS count complete days');
    await page.close();
  });

  for (const size of SIZES)
    it(`fits the Ads page into ${size.width} px, with the budget overrun at the top and no word broken`, async () => {
      const page = await browser.newPage({ viewport: size });
      await chartsOn(page, '/ads?site=studio');
      const fit = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: innerWidth,
      }));
      expect(fit.scroll).toBeLessThanOrEqual(fit.inner);
      // The overrun is what the owner comes for: the first section of the page, within the first screen.
      const overrun = page.locator('#pacing [role="alert"]');
      expect(await overrun.textContent()).toMatch(/Heading over budget/);
      const top = (await overrun.boundingBox())!.y;
      expect(top).toBeLessThan(size.height);
      // No word broken across two lines in the pacing block, the table headers or the badges.
      const broken = await page.evaluate(() => {
        const out: string[] = [];
        for (const el of Array.from(
          document.querySelectorAll('#pacing th, #pacing td, #campaigns th, #anomalies .sev'),
        )) {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent ?? '';
            for (const m of text.matchAll(/\S{2,}/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
              if (lines.size > 1) out.push(m[0]);
            }
          }
        }
        return out;
      });
      expect(broken).toEqual([]);
      await page.close();
    });
});
