// The report's SVG charts: gaps for unknown values, one series per currency, escaped text, event
// markers, and documents that stand alone as images.
import * as cheerio from 'cheerio';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  barChart,
  escapeXml,
  lineChart,
  niceTicks,
  reportCharts,
  VISIBILITY_COLOUR,
} from '../../src/report/charts.ts';
import type { ReportData } from '../../src/report/types.ts';
import { englishIn, svgText } from '../i18n/english-left.ts';

const HOSTILE = `<script>alert("x")</script> & 'quotes' </svg><svg onload="x">`;
const DAYS = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];

/** Well-formed XML: every tag closed in order, no raw `<` or stray `&` in text or attribute values. */
function expectWellFormed(svg: string) {
  const stack: { name: string; selfClosing: boolean }[] = [];
  const problems: string[] = [];
  const parser: Parser = new Parser(
    {
      onopentag: (name) =>
        stack.push({ name, selfClosing: svg.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>') }),
      // The parser closes unclosed tags itself ("implied"); in XML only `<x/>` may close that way.
      onclosetag: (name, implied) => {
        const open = stack.pop();
        if (open?.name !== name || implied !== open.selfClosing)
          problems.push(`</${name}> closes <${open?.name}>`);
      },
      ontext: (t) => {
        if (/[<>]/.test(t)) problems.push(`raw bracket in text ${JSON.stringify(t)}`);
      },
      onattribute: (name, value, quote) => {
        if (quote !== '"') problems.push(`attribute ${name} is not double-quoted`);
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.write(svg);
  parser.end();
  expect(problems).toEqual([]);
  expect(stack).toEqual([]);
  expect(svg.match(/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/g)).toBeNull();
}

function parse(svg: string) {
  return cheerio.load(svg, { xml: true });
}

/** The points of a path's `d`, split into the runs drawn without lifting the pen. */
function runs(d: string): { x: number; y: number }[][] {
  return d
    .trim()
    .split(/(?=M)/)
    .map((run) =>
      [...run.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) })),
    );
}

describe('lineChart()', () => {
  it('leaves a gap for a null value instead of drawing it at zero', () => {
    const chart = lineChart({
      id: 'gaps',
      title: 'Gaps',
      labels: DAYS,
      series: [{ label: 'Index', values: [10, 12, null, 14, 16] }],
      yMin: 0,
    });
    const $ = parse(chart.svg);
    const d = $('g.series path').attr('d')!;
    const parts = runs(d);
    expect(parts.map((r) => r.length)).toEqual([2, 2]);
    // The lowest point drawn is 10, well above where 0 sits (the plot's bottom edge).
    const zeroY = Number(
      $('line[y1]')
        .filter((_, el) => $(el).attr('stroke') === '#999')
        .first()
        .attr('y1'),
    );
    for (const p of parts.flat()) expect(p.y).toBeLessThan(zeroY - 20);
    expect($('g.series circle')).toHaveLength(4);
  });

  it('draws a value with nulls on both sides as a dot, and a series of nulls as nothing', () => {
    const chart = lineChart({
      id: 'lone',
      title: 'Lone',
      labels: DAYS,
      series: [
        { label: 'Lone', values: [null, null, 5, null, null] },
        { label: 'Empty', values: [null, null, null, null, null] },
      ],
    });
    const $ = parse(chart.svg);
    const [lone, empty] = $('g.series').toArray();
    expect($(lone).find('circle')).toHaveLength(1);
    expect(runs($(lone).find('path').attr('d')!).map((r) => r.length)).toEqual([1]);
    expect($(empty).find('path, circle')).toHaveLength(0);
  });

  it('puts smaller values on top when reversed (rank positions)', () => {
    const chart = lineChart({
      id: 'rank',
      title: 'Rank',
      labels: DAYS.slice(0, 2),
      series: [{ label: 'Position', values: [1, 10] }],
      reverse: true,
    });
    const [first, second] = runs(parse(chart.svg)('path').attr('d')!)[0]!;
    expect(first!.y).toBeLessThan(second!.y);
  });

  it('draws each event as a dashed vertical line with its title, on its day or between two days', () => {
    const chart = lineChart({
      id: 'events',
      title: 'Events',
      labels: ['2026-11-01', '2026-11-08', '2026-11-15'],
      series: [{ label: 'Score', values: [80, 82, 85] }],
      events: [
        { day: '2026-11-08', title: 'Site relaunch' },
        { day: '2026-11-11', title: 'New menu' },
        { day: '2027-01-01', title: 'Out of range' },
      ],
    });
    const $ = parse(chart.svg);
    const events = $('g.event');
    expect(events).toHaveLength(2);
    expect(events.find('text').first().text()).toBe('Site relaunch');
    const lines = events.find('line').toArray();
    for (const l of lines) expect($(l).attr('stroke-dasharray')).toBeTruthy();
    const xs = lines.map((l) => Number($(l).attr('x1')));
    const points = runs($('g.series path').attr('d')!)[0]!;
    expect(xs[0]).toBeCloseTo(points[1]!.x, 0);
    // 11 Nov is 3/7 of the way from 8 Nov to 15 Nov.
    expect(xs[1]).toBeCloseTo(points[1]!.x + ((points[2]!.x - points[1]!.x) * 3) / 7, 0);
    expect(chart.svg).not.toContain('Out of range');
  });

  it('thins out the x labels so they never overlap, keeping the first', () => {
    const labels = Array.from(
      { length: 90 },
      (_, i) =>
        `2026-${String(Math.floor(i / 28) + 9).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    );
    const $ = parse(
      lineChart({
        id: 'many',
        title: 'Many',
        labels,
        series: [{ label: 's', values: labels.map((_, i) => i) }],
      }).svg,
    );
    const shown = $('text[text-anchor="middle"]')
      .toArray()
      .filter((e) => /^\d+ \w{3,4}$/.test($(e).text()));
    // English short months as the Formatter writes them (en-GB: "Sept").
    expect($(shown[0]!).text()).toBe('1 Sept');
    expect(shown.length).toBeLessThan(20);
    const xs = shown.map((e) => Number($(e).attr('x')));
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(36);
  });

  it('escapes hostile titles, labels, series names and event titles', () => {
    const chart = lineChart({
      id: 'hostile',
      title: HOSTILE,
      labels: [HOSTILE, 'b'],
      series: [{ label: HOSTILE, values: [1, 2] }],
      events: [{ day: HOSTILE, title: HOSTILE }],
      yTitle: HOSTILE,
    });
    expectWellFormed(chart.svg);
    const $ = parse(chart.svg);
    expect($('script')).toHaveLength(0);
    expect($('svg')).toHaveLength(1);
    expect($('[onload]')).toHaveLength(0);
    expect($('svg > title').text()).toBe(HOSTILE);
    expect($('g.event title').text()).toContain('<script>');
  });

  it('drops control characters that would make the XML invalid', () => {
    expect(escapeXml('a\u0000b\u0007c\td')).toBe('abc\td');
  });

  it('rejects an id that cannot be an email cid and a colour that is not a hex colour', () => {
    const base = { title: 't', labels: ['a'], series: [{ label: 's', values: [1] }] };
    expect(() => lineChart({ ...base, id: 'a b' })).toThrow(/lower-case letters/);
    expect(() =>
      lineChart({ ...base, id: 'ok', series: [{ label: 's', values: [1], colour: 'red" onload="x' }] }),
    ).toThrow(/colour/);
    expect(() => lineChart({ ...base, id: 'ok', series: [{ label: 's', values: [1, 2] }] })).toThrow(
      /2 values for 1 labels/,
    );
  });

  it('makes a standalone SVG document: namespace, fixed size, generic font, no scripts or external references', () => {
    const chart = lineChart({
      id: 'standalone',
      title: 'Standalone',
      labels: DAYS,
      series: [{ label: 'Index', values: [1, 2, 3, 4, 5] }],
      events: [{ day: DAYS[2]!, title: 'Launch' }],
    });
    expectWellFormed(chart.svg);
    const root = parse(chart.svg)('svg').first();
    expect(root.attr('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect([root.attr('width'), root.attr('height')]).toEqual([String(chart.width), String(chart.height)]);
    expect(root.attr('font-family')).toBe('sans-serif');
    expect(chart.svg).not.toMatch(/<script|href=|url\(|<foreignObject|<image|@import/i);
  });
});

describe('barChart()', () => {
  const usd = { label: 'USD', values: [10, 20, null, 40, 50] };
  const rub = { label: 'RUB', values: [1000, null, 3000, 4000, 5000] };

  it('draws the series side by side, each bar its own amount', () => {
    const $ = parse(barChart({ id: 'spend', title: 'Spend', labels: DAYS, series: [usd, rub] }).svg);
    const groups = $('g.series').toArray();
    expect(groups.map((g) => $(g).children('title').text())).toEqual(['USD', 'RUB']);
    // Nulls draw no bar.
    expect(groups.map((g) => $(g).find('rect').length)).toEqual([4, 4]);
    const [u, r] = groups.map((g) =>
      $(g)
        .find('rect')
        .toArray()
        .map((el) => ({ x: Number($(el).attr('x')), h: Number($(el).attr('height')) })),
    );
    // Side by side: on the first day the RUB bar starts right of the USD bar, and is taller.
    expect(r![0]!.x).toBeGreaterThan(u![0]!.x);
    expect(r![0]!.h).toBeGreaterThan(u![0]!.h);
    expect(u!.every((b, i) => i === 0 || b.h > u![i - 1]!.h)).toBe(true);
  });

  it('stacks series only when asked, each bar starting where the one below ended', () => {
    const a = { label: 'Search', values: [10, 10] };
    const b = { label: 'Display', values: [5, null] };
    const $ = parse(
      barChart({ id: 'stack', title: 'Stack', labels: DAYS.slice(0, 2), series: [a, b], stacked: true }).svg,
    );
    const [ra, rb] = $('g.series')
      .toArray()
      .map((g) => $(g).find('rect').first());
    expect(Number(ra!.attr('x'))).toBe(Number(rb!.attr('x')));
    expect(Number(rb!.attr('y')) + Number(rb!.attr('height'))).toBeCloseTo(Number(ra!.attr('y')), 0);
  });
});

describe('niceTicks()', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(3, 97)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
  });
});

function report(over: Partial<ReportData>): ReportData {
  return {
    lang: 'en',
    site: { id: 1, name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    week: { week: '2026-W46', from: '2026-11-09', to: '2026-11-15' },
    generatedAt: '2026-11-16T06:00:00Z',
    visibility: null,
    backlinks: null,
    ads: null,
    health: null,
    jobFailures: [],
    events: [],
    ...over,
  };
}

describe('reportCharts()', () => {
  it('draws no chart for sections without data', () => {
    expect(reportCharts(report({}))).toEqual([]);
  });

  it('draws visibility over the two weeks with events, ad spend per currency, and the health trend', () => {
    const days = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 2).padStart(2, '0')}`);
    const charts = reportCharts(
      report({
        events: [{ day: '2026-11-10', title: 'Site relaunch' }],
        visibility: {
          curve: 'sistrix',
          now: 12,
          before: 10,
          change: 2,
          series: days.map((day, i) => ({ day, index: i === 3 ? null : 10 + i / 2 })),
          gains: [],
          losses: [],
          enteredTop10: [],
          leftTop10: [],
          mismatches: [],
          failedChecks: 0,
        },
        ads: {
          totals: [],
          pacing: [],
          anomalies: [],
          daily: [
            { day: '2026-11-09', currency: 'USD', micros: 12_000_000 },
            { day: '2026-11-09', currency: 'RUB', micros: 900_000_000 },
            { day: '2026-11-10', currency: 'RUB', micros: 800_000_000 },
          ],
        },
        health: {
          crawlDay: '2026-11-15',
          score: 91,
          previousScore: 88,
          change: 3,
          newCritical: [],
          fixed: [],
          pages: 120,
          trend: [
            { day: '2026-11-01', score: 88 },
            { day: '2026-11-15', score: 91 },
          ],
        },
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['visibility', 'ads-spend-rub', 'ads-spend-usd', 'health']);
    const vis = parse(charts[0]!.svg);
    expect(vis('g.series path').attr('stroke')).toBe(VISIBILITY_COLOUR);
    expect(runs(vis('g.series path').attr('d')!).map((r) => r.length)).toEqual([3, 10]);
    expect(vis('g.event text').text()).toBe('Site relaunch');
    // One chart per currency with its own axis: each bar is that currency's own amount, never a sum.
    const bars = (svg: string) => {
      const $ = parse(svg);
      return $('g.series rect')
        .toArray()
        .map((el) => ({ title: $(el).children('title').text(), h: Number($(el).attr('height')) }));
    };
    const rub = bars(charts[1]!.svg);
    const usd = bars(charts[2]!.svg);
    expect(rub.map((b) => b.title)).toEqual(['Spend, RUB, 9 Nov: 900', 'Spend, RUB, 10 Nov: 800']);
    expect(usd.map((b) => b.title)).toEqual(['Spend, USD, 9 Nov: 12']);
    // 12 USD fills its own chart about as much as 900 RUB fills the RUB chart.
    expect(usd[0]!.h).toBeGreaterThan(rub[0]!.h * 0.5);
    for (const c of charts) expectWellFormed(c.svg);
  });

  it('names the spend chart "ads-spend" when the week had one currency', () => {
    const charts = reportCharts(
      report({
        ads: {
          totals: [],
          pacing: [],
          anomalies: [],
          daily: [{ day: '2026-11-09', currency: 'EUR', micros: 5e6 }],
        },
      }),
    );
    expect(charts.map((c) => [c.id, c.title])).toEqual([['ads-spend', 'Ad spend per day, EUR']]);
  });

  it('leaves out the visibility chart when no day of the two weeks was observed', () => {
    const vis = {
      curve: 'sistrix',
      now: null,
      before: null,
      change: null,
      series: [{ day: '2026-11-09', index: null }],
      gains: [],
      losses: [],
      enteredTop10: [],
      leftTop10: [],
      mismatches: [],
      failedChecks: 3,
    };
    expect(reportCharts(report({ visibility: vis }))).toEqual([]);
  });
});

describe('reportCharts() in Russian', () => {
  const days = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 2).padStart(2, '0')}`);
  const health = {
    crawlDay: '2026-11-15',
    score: 91,
    previousScore: 88,
    change: 3,
    newCritical: [],
    fixed: [],
    pages: 120,
    trend: [
      { day: '2026-11-01', score: 88 },
      { day: '2026-11-15', score: 91 },
    ],
  };
  const russian = () =>
    reportCharts(
      report({
        lang: 'ru',
        events: [{ day: '2026-11-10', title: 'Перезапуск сайта' }],
        visibility: {
          curve: 'custom',
          now: 2.5,
          before: 1,
          change: 1.5,
          series: days.map((day, i) => ({ day, index: 0.1 + i / 20 })),
          gains: [],
          losses: [],
          enteredTop10: [],
          leftTop10: [],
          mismatches: [],
          failedChecks: 0,
        },
        ads: {
          totals: [],
          pacing: [],
          anomalies: [],
          daily: [
            { day: '2026-11-09', currency: 'RUB', micros: 45_000_000_000 },
            { day: '2026-11-10', currency: 'RUB', micros: 12_500_000_000 },
          ],
        },
        health,
      }),
    );

  it('titles, legends and axes in Russian, with no English catalogue string', () => {
    const charts = russian();
    expect(charts.map((c) => c.title)).toEqual([
      'Видимость за две недели',
      'Расход на рекламу по дням, RUB',
      'Оценка здоровья сайта по обходам',
    ]);
    const all = charts.map((c) => svgText(c.svg)).join('\n');
    expect(englishIn(all)).toEqual([]);
    // The same charts in English do hold catalogue strings: the check can fail.
    const [english] = reportCharts(report({ health }));
    expect(englishIn(svgText(english!.svg))).toContain(
      'report.charts.healthTitle: Site health score per crawl',
    );
    const vis = parse(charts[0]!.svg);
    expect(vis('g.series > title').text()).toBe('Индекс видимости, % (кривая своя)');
    expect(vis('text[transform]').text()).toBe('Индекс, %');
    for (const c of charts) expectWellFormed(c.svg);
  });

  it('writes days with Russian month names and numbers with decimal commas and "тыс."', () => {
    const [vis, spend] = russian().map((c) => parse(c.svg));
    const xLabels = vis!('text[text-anchor="middle"]:not([transform])')
      .toArray()
      .map((e) => vis!(e).text());
    expect(xLabels[0]).toBe('2 нояб.');
    expect(xLabels).toContain('10 нояб.');
    const ticks = vis!('text[text-anchor="end"]')
      .toArray()
      .map((e) => vis!(e).text());
    expect(ticks).toContain('0,2');
    expect(ticks.some((t) => t.includes('.'))).toBe(false);
    const spendTicks = spend!('text[text-anchor="end"]')
      .toArray()
      .map((e) => spend!(e).text());
    expect(spendTicks).toContain('50\u00a0тыс.');
    expect(
      spend!('g.series rect title')
        .toArray()
        .map((e) => spend!(e).text()),
    ).toEqual(['Расход, RUB, 9 нояб.: 45\u00a0тыс.', 'Расход, RUB, 10 нояб.: 12,5\u00a0тыс.']);
    expect(spend!('g.event title').text()).toBe('10 нояб.: Перезапуск сайта');
  });
});
