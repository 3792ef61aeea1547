// The SVG chart engine: gaps for unknown values, escaped text, event markers, bars side by side or
// stacked, and documents that stand alone as images.
import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, lineChart, niceTicks } from '../../src/report/svg-chart.ts';
import { expectWellFormed, parse, runs } from './svg-check.ts';

const HOSTILE = `<script>alert("x")</script> & 'quotes' </svg><svg onload="x">`;
const DAYS = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];

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
