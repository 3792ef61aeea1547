// Prints the weekly report's HTML to PDF and rasterises its SVG charts to PNG (for e-mail clients that do
// not show SVG), in the shared Chromium with JavaScript off and the network shut.
import type { BrowserContext, Page } from 'playwright-core';
import type { BrowserPool } from '../browser/launcher.ts';
import type { ChartImage } from './types.ts';

export interface ReportPdfOptions {
  /** The whole job (load + print) must finish in this time. Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Fails with a message naming the step when `p` takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${ms} ms; is Chromium overloaded or stuck?`)),
      ms,
    );
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A fresh context that runs no page script and reaches no network: the HTML is self-contained, so any
 * request (a hostile URL that slipped into the markup, a font, a favicon) is aborted, not fetched.
 */
async function offlineContext<T>(
  browser: BrowserPool,
  fn: (ctx: BrowserContext) => Promise<T>,
  options: { deviceScaleFactor?: number; viewport?: { width: number; height: number } } = {},
): Promise<T> {
  return browser.withContext(
    async (ctx) => {
      await ctx.route('**/*', (route) => route.abort());
      return fn(ctx);
    },
    { javaScriptEnabled: false, offline: true, serviceWorkers: 'block', ...options },
  );
}

async function load(page: Page, html: string, timeoutMs: number): Promise<void> {
  await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
}

/** The report HTML as an A4 PDF with backgrounds (the charts' white panels, table shading). */
export async function reportPdf(
  html: string,
  browser: BrowserPool,
  opts: ReportPdfOptions = {},
): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return within(
    offlineContext(browser, async (ctx) => {
      const page = await ctx.newPage();
      await load(page, html, timeoutMs);
      await page.emulateMedia({ media: 'print' });
      return page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
      });
    }),
    timeoutMs,
    'Printing the report to PDF',
  );
}

/**
 * Each chart as a PNG at twice its size (sharp on high-density screens). The SVG is opened as a document
 * of its own, the way a mail client or image viewer treats it, so a chart that is not well-formed
 * standalone SVG is an error here rather than a broken image in someone's inbox.
 */
export async function chartPngs(
  charts: ChartImage[],
  browser: BrowserPool,
  opts: ReportPdfOptions = {},
): Promise<{ id: string; png: Buffer }[]> {
  if (charts.length === 0) return [];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const width = Math.max(...charts.map((c) => c.width));
  const height = Math.max(...charts.map((c) => c.height));
  return within(
    offlineContext(
      browser,
      async (ctx) => {
        const page = await ctx.newPage();
        const out: { id: string; png: Buffer }[] = [];
        for (const chart of charts) {
          // A data: URL is not a network request, so the abort-everything route lets it through.
          await page.goto(`data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}`, {
            timeout: timeoutMs,
          });
          // Chromium shows XML errors by inserting a <parsererror> element into the document.
          if ((await page.locator('parsererror').count()) > 0)
            throw new Error(
              `Chart "${chart.id}" is not well-formed standalone SVG, so mail clients would show a broken image; ` +
                'its text must go through escapeXml()',
            );
          out.push({
            id: chart.id,
            png: await page.screenshot({
              clip: { x: 0, y: 0, width: chart.width, height: chart.height },
              type: 'png',
              timeout: timeoutMs,
            }),
          });
        }
        return out;
      },
      { deviceScaleFactor: 2, viewport: { width, height } },
    ),
    timeoutMs,
    'Rasterising the report charts',
  );
}
