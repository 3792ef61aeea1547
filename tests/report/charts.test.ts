// The report's charts: one per section with data, one per currency for ad spend, in the report's
// language, each a standalone, well-formed SVG.
import { describe, expect, it } from 'vitest';
import { reportCharts, VISIBILITY_COLOUR } from '../../src/report/charts.ts';
import type { ReportData } from '../../src/report/types.ts';
import { englishIn, svgText } from '../i18n/english-left.ts';
import { expectWellFormed, parse, runs } from './svg-check.ts';

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
