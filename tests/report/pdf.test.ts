// The report's PDF and chart PNGs from real Chromium, checked down to pixels: the PDF is rasterised with
// poppler's pdftoppm and the visibility line must show up where the chart is.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { HEALTH_COLOUR, VISIBILITY_COLOUR } from '../../src/report/charts.ts';
import { SERIES_COLOURS } from '../../src/report/svg-chart.ts';
import { renderReport } from '../../src/report/html.ts';
import { chartPngs, reportPdf } from '../../src/report/pdf.ts';
import type { ReportData } from '../../src/report/types.ts';
import { englishIn } from '../i18n/english-left.ts';
import { localServer, suiteSetup, tempDir } from '../helpers.ts';
import { decodePng, findColour, nonWhite, type Raster } from '../raster.ts';

let browser: BrowserPool;
beforeAll(() => suiteSetup(async () => void (browser = new BrowserPool())));
afterAll(() => browser.close());

/** Runs a poppler-utils tool; a missing one fails the test with the install command. */
function poppler(tool: 'pdftoppm' | 'pdfinfo' | 'pdftotext', args: string[]): string {
  try {
    // UTF-8: pdftotext writes it by default, and the Russian report's text is Cyrillic.
    return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`${tool} is not installed; the PDF checks need it: apt-get install poppler-utils`);
    throw e;
  }
}

const DAYS = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 2).padStart(2, '0')}`);

function report(): ReportData {
  return {
    lang: 'en',
    site: { id: 1, name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    week: { week: '2026-W46', from: '2026-11-09', to: '2026-11-15' },
    generatedAt: '2026-11-16T06:00:00Z',
    visibility: {
      curve: 'sistrix',
      now: 16,
      before: 10,
      change: 6,
      series: DAYS.map((day, i) => ({ day, index: i === 5 ? null : 4 + i })),
      gains: [],
      losses: [],
      enteredTop10: [],
      leftTop10: [],
      mismatches: [],
      failedChecks: 0,
    },
    backlinks: null,
    ads: {
      totals: [],
      pacing: [],
      anomalies: [],
      daily: DAYS.slice(7).map((day, i) => ({ day, currency: 'RUB', micros: (5 + i) * 1e9 })),
    },
    health: {
      crawlDay: '2026-11-15',
      score: 91,
      previousScore: 80,
      change: 11,
      newCritical: [],
      fixed: [],
      pages: 40,
      trend: [
        { day: '2026-10-18', score: 70 },
        { day: '2026-11-01', score: 80 },
        { day: '2026-11-15', score: 91 },
      ],
    },
    jobFailures: [],
    events: [{ day: '2026-11-10', title: 'Site relaunch' }],
  };
}

/** The PDF's first page at 60 dpi, as pdftoppm draws it. */
function firstPage(pdf: Buffer): Raster {
  const dir = tempDir();
  writeFileSync(join(dir, 'r.pdf'), pdf);
  poppler('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    join(dir, 'r.pdf'),
    join(dir, 'p1'),
  ]);
  return decodePng(readFileSync(join(dir, 'p1.png')));
}

function pdfInfo(pdf: Buffer): { pages: number; text: string } {
  const file = join(tempDir(), 'r.pdf');
  writeFileSync(file, pdf);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [file]))?.[1]);
  return { pages, text: poppler('pdftotext', ['-layout', file, '-']) };
}

describe('reportPdf()', () => {
  it('prints an A4 PDF with its sections flowing on and the visibility chart drawn on the first page', async () => {
    const rendered = renderReport(report(), {});
    const pdf = await reportPdf(rendered.html, browser);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, text } = pdfInfo(pdf);
    // The sections flow on instead of each starting a page: three short sections fit on two pages.
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    expect(text).toContain('Visibility, last two weeks');
    expect(text).toContain('No backlink data this week.');
    // What the Russian PDF below is checked against is there to find in an English one.
    expect(englishIn(text)).toContain('report.noData.backlinks: No backlink data this week.');

    const page = firstPage(pdf);
    // A4 at 60 dpi: 8.27 × 11.69 in.
    expect(page.width).toBeCloseTo(496, -1);
    expect(page.height).toBeCloseTo(702, -1);
    const line = findColour(page, VISIBILITY_COLOUR);
    // The line crosses most of a 640 px wide chart (400 px at 60 dpi), rising over a band much shorter
    // than the chart, below the report's heading.
    expect(line.count).toBeGreaterThan(150);
    expect(line.width).toBeGreaterThan(250);
    expect(line.width).toBeLessThan(420);
    expect(line.height).toBeGreaterThan(20);
    expect(line.height).toBeLessThan(150);
    expect(line.top).toBeGreaterThan(60);
  });

  it('prints the Russian report in Russian: its section titles and figures, no English catalogue string', async () => {
    const data: ReportData = {
      ...report(),
      lang: 'ru',
      jobFailures: [{ job: 'track-rankings', at: '2026-11-12T03:00:00Z', error: null }],
      events: [{ day: '2026-11-10', title: 'Перезапуск сайта' }],
    };
    const pdf = await reportPdf(renderReport(data).html, browser);
    const { text } = pdfInfo(pdf);
    const flat = text.replace(/\s+/g, ' ');
    for (const title of ['Видимость', 'Ссылки', 'Реклама', 'Здоровье сайта', 'Сбои задач', 'События'])
      expect(text).toContain(title);
    expect(flat).toContain('Еженедельный отчёт promowatch · studio · 2026-W46');
    expect(flat).toContain('Нет данных о ссылках за эту неделю.');
    expect(flat).toContain('Видимость за две недели');
    expect(flat).toContain('40 страниц');
    expect(flat).toContain('сбой без сообщения об ошибке');
    expect(englishIn(flat)).toEqual([]);
    expect(englishIn(text)).toEqual([]);
  });

  it('shows no visibility line when the week has no visibility data (the colour comes from the chart)', async () => {
    const data = { ...report(), visibility: null };
    const page = firstPage(await reportPdf(renderReport(data, {}).html, browser));
    expect(findColour(page, VISIBILITY_COLOUR).count).toBeLessThan(5);
    expect(nonWhite(page)).toBeGreaterThan(500);
  });

  it('runs no script and fetches nothing, even when the HTML asks for it', async () => {
    let requests = 0;
    const base = await localServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/css' }).end('body { background: red }');
    });
    const html = `<!doctype html><html><head><link rel="stylesheet" href="${base}style.css"></head><body>
      <p id="p">Static text</p><img src="${base}pixel.png" alt="">
      <script>document.getElementById('p').textContent = 'SCRIPT RAN'</script></body></html>`;
    const { text } = pdfInfo(await reportPdf(html, browser));
    expect(text).toContain('Static text');
    expect(text).not.toContain('SCRIPT RAN');
    expect(requests).toBe(0);
  });

  it('gives up with a message when printing takes longer than allowed, and the browser stays usable', async () => {
    await expect(reportPdf('<p>x</p>', browser, { timeoutMs: 1 })).rejects.toThrow(
      /took longer than 1 ms|1ms/,
    );
    const pdf = await reportPdf('<p>after</p>', browser);
    expect(pdfInfo(pdf).text).toContain('after');
  });
});

describe('chartPngs()', () => {
  it('rasterises every chart at twice its size, with its line or bars drawn in their colours', async () => {
    const { charts } = renderReport(report(), {});
    expect(charts.map((c) => c.id)).toEqual(['visibility', 'ads-spend', 'health']);
    const pngs = await chartPngs(charts, browser);
    expect(pngs.map((p) => p.id)).toEqual(charts.map((c) => c.id));
    const colours = [VISIBILITY_COLOUR, SERIES_COLOURS[1], HEALTH_COLOUR];
    for (const [i, { png }] of pngs.entries()) {
      const image = decodePng(png);
      expect([image.width, image.height]).toEqual([charts[i]!.width * 2, charts[i]!.height * 2]);
      expect(nonWhite(image)).toBeGreaterThan(5000);
      expect(findColour(image, colours[i]!).count).toBeGreaterThan(500);
    }
  });

  it('refuses a chart that is not a well-formed standalone SVG instead of mailing a broken image', async () => {
    const [good] = renderReport(report(), {}).charts;
    const broken = { ...good!, id: 'broken', svg: good!.svg.replace('</svg>', '<g></svg>') };
    await expect(chartPngs([good!, broken], browser)).rejects.toThrow(/Chart "broken" is not well-formed/);
  });

  it('returns nothing for no charts without starting a page', async () => {
    expect(await chartPngs([], new BrowserPool(() => Promise.reject(new Error('not needed'))))).toEqual([]);
  });
});
