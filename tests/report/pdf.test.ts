// The report's PDF and chart PNGs from real Chromium, checked down to pixels: the PDF is rasterised with
// poppler's pdftoppm and the visibility line must show up where the chart is.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { HEALTH_COLOUR, SERIES_COLOURS, VISIBILITY_COLOUR } from '../../src/report/charts.ts';
import { renderReport } from '../../src/report/html.ts';
import { chartPngs, reportPdf } from '../../src/report/pdf.ts';
import type { ReportData } from '../../src/report/types.ts';
import { localServer, suiteSetup, tempDir } from '../helpers.ts';

let browser: BrowserPool;
beforeAll(() => suiteSetup(async () => void (browser = new BrowserPool())));
afterAll(() => browser.close());

/** Runs a poppler-utils tool; a missing one fails the test with the install command. */
function poppler(tool: 'pdftoppm' | 'pdfinfo' | 'pdftotext', args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`${tool} is not installed; the PDF checks need it: apt-get install poppler-utils`);
    throw e;
  }
}

interface Raster {
  width: number;
  height: number;
  /** RGB(A) bytes, `channels` per pixel, rows top to bottom. */
  data: Buffer;
  channels: number;
}

/**
 * A minimal PNG decoder for what pdftoppm and Chromium write: 8-bit RGB or RGBA, not interlaced
 * (https://www.w3.org/TR/png/#9Filters for the row filters).
 */
function decodePng(png: Buffer): Raster {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      expect({ depth, interlace }).toEqual({ depth: 8, interlace: 0 });
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      expect(channels, `PNG colour type ${colour}`).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter > 4) throw new Error(`PNG row ${y} has unknown filter ${filter}`);
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = data.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? data.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels]! : 0;
      const b = up[i]!;
      const c = i >= channels ? up[i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[i] = (src[i]! + predictor) & 0xff;
    }
  }
  return { width, height, data, channels };
}

/** Where pixels close to `hex` are: how many, and the box around them. */
function findColour(r: Raster, hex: string, tolerance = 40) {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) {
      const o = (y * r.width + x) * r.channels;
      const d = Math.hypot(r.data[o]! - want[0]!, r.data[o + 1]! - want[1]!, r.data[o + 2]! - want[2]!);
      if (d > tolerance) continue;
      count++;
      [left, top, right, bottom] = [
        Math.min(left, x),
        Math.min(top, y),
        Math.max(right, x),
        Math.max(bottom, y),
      ];
    }
  return { count, left, top, width: right - left + 1, height: bottom - top + 1 };
}

function nonWhite(r: Raster): number {
  let n = 0;
  for (let o = 0; o < r.data.length; o += r.channels)
    if (r.data[o]! < 200 || r.data[o + 1]! < 200 || r.data[o + 2]! < 200) n++;
  return n;
}

const DAYS = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 2).padStart(2, '0')}`);

function report(): ReportData {
  return {
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
  it('prints an A4 PDF with a page per section and the visibility chart drawn on the first page', async () => {
    const rendered = renderReport(report(), {});
    const pdf = await reportPdf(rendered.html, browser);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, text } = pdfInfo(pdf);
    // Visibility, Ads and Site health each start a page; the sections without data follow on.
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain('Visibility, last two weeks');
    expect(text).toContain('No backlink data this week.');

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
