// Line and bar charts as standalone SVG strings, drawn on the server: no scripts, no external references,
// every text escaped, so the same image works inline in HTML, in a PDF and rasterised for email. Day
// labels and axis ticks are in the chart's locale ("9 нояб.", "12,5", "15 тыс."). The report's own charts
// are built from these in charts.ts.
import { formatter, messages, type Formatter } from '../i18n/index.ts';
import type { ChartImage } from './types.ts';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 240;

/** Distinct on white and in greyscale print; the first is the visibility line (the PDF test looks for it). */
export const SERIES_COLOURS = ['#1f6fd1', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#0b7285'] as const;

export interface ChartSeries {
  label: string;
  /** One value per label; null = nothing known (drawn as a gap, never as 0). */
  values: (number | null)[];
  colour?: string;
}

/** How a chart writes numbers and days: the report's Formatter, and its words for big numbers. */
export interface ChartLocale {
  fmt: Formatter;
  thousands: (n: string) => string;
  millions: (n: string) => string;
}

/** The chart words of the Formatter's language. */
export function chartLocale(fmt: Formatter): ChartLocale {
  const c = messages(fmt.lang).report.charts;
  return { fmt, thousands: c.thousands, millions: c.millions };
}

const ENGLISH = chartLocale(formatter('en'));

export interface ChartEvent {
  day: string;
  title: string;
}

export interface LineChartOptions {
  /** Lower-case letters, digits and dashes: it becomes a cid: in email. */
  id: string;
  title: string;
  /** The x categories, usually YYYY-MM-DD days (shown as "16 Nov"). */
  labels: string[];
  series: ChartSeries[];
  events?: ChartEvent[];
  yTitle?: string;
  /** Smaller values on top (rank positions). */
  reverse?: boolean;
  yMin?: number;
  yMax?: number;
  /** Default: English. */
  locale?: ChartLocale;
}

export interface BarChartOptions extends Omit<LineChartOptions, 'reverse'> {
  /** Stack the series on each other; only for series in the same unit. Default: side by side. */
  stacked?: boolean;
}

const FONT = 'sans-serif';
const TEXT = '#222';
const MUTED = '#666';
const GRID = '#e4e4e4';

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** Rough width of sans-serif text: enough to lay out legends and thin out labels. */
function textWidth(s: string, fontSize: number): number {
  return Array.from(s).length * fontSize * 0.56;
}

const n1 = (v: number) => (Math.round(v * 10) / 10).toString();

/** A YYYY-MM-DD label as a short day ("16 Nov", "16 нояб."); any other label as it is. */
function shortLabel(label: string, l: ChartLocale): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(label) ? l.fmt.dayShort(label) : label;
}

/** An axis value, big ones shortened: "950", "12.5k" / "12,5 тыс.", "1.5M" / "1,5 млн". */
export function formatTick(v: number, l: ChartLocale = ENGLISH): string {
  const a = Math.abs(v);
  if (a >= 1e6) return l.millions(l.fmt.number(v / 1e6, 1));
  if (a >= 1e4) return l.thousands(l.fmt.number(v / 1e3, 1));
  return l.fmt.number(v, 2);
}

/** About five round-numbered ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const rough = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t <= last + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function checkOptions(o: LineChartOptions | BarChartOptions): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(o.id))
    throw new Error(
      `Chart id "${o.id}" must be lower-case letters, digits and dashes (it becomes an email cid)`,
    );
  for (const s of o.series) {
    if (s.values.length !== o.labels.length)
      throw new Error(
        `Chart "${o.id}": series "${s.label}" has ${s.values.length} values for ${o.labels.length} labels`,
      );
    if (s.colour !== undefined && !/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(s.colour))
      throw new Error(`Chart "${o.id}": colour "${s.colour}" must be #rgb or #rrggbb`);
  }
}

interface Frame {
  parts: string[];
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Centre of category i (fractional i allowed for events between two categories). */
  x: (i: number) => number;
  band: number;
  y: (v: number) => number;
  /** The value axis' domain after rounding to ticks. */
  lo: number;
  hi: number;
}

/** Where an event falls on the category axis: on its day, or between the two days around it. */
function eventPosition(labels: string[], day: string): number | null {
  const exact = labels.indexOf(day);
  if (exact >= 0) return exact;
  for (let i = 0; i + 1 < labels.length; i++) {
    const a = Date.parse(labels[i]!);
    const b = Date.parse(labels[i + 1]!);
    const d = Date.parse(day);
    if ([a, b, d].some(Number.isNaN) || !(b > a)) continue;
    if (d > a && d < b) return i + (d - a) / (b - a);
  }
  return null;
}

/** Title, axes, ticks, grid, x labels, event markers and legend: everything but the data marks. */
function frame(
  o: LineChartOptions | BarChartOptions,
  domain: { lo: number; hi: number },
  reverse: boolean,
  colours: string[],
  legendShape: 'line' | 'box',
): Frame {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const events = (o.events ?? [])
    .map((e) => ({ ...e, at: eventPosition(o.labels, e.day) }))
    .filter((e): e is ChartEvent & { at: number } => e.at !== null);
  const eventRows = Math.min(events.length, 3);
  const top = 30 + eventRows * 12;
  const left = o.yTitle ? 62 : 48;
  const right = W - 16;
  const bottom = H - 44;
  const l = o.locale ?? ENGLISH;
  const ticks = niceTicks(domain.lo, domain.hi);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const n = Math.max(o.labels.length, 1);
  const band = (right - left) / n;
  const x = (i: number) => left + (i + 0.5) * band;
  const y = (v: number) => {
    const f = (v - lo) / (hi - lo);
    return reverse ? top + f * (bottom - top) : bottom - f * (bottom - top);
  };
  const p: string[] = [];
  p.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  p.push(
    `<text x="8" y="18" font-size="13" font-weight="bold" fill="${TEXT}">${escapeXml(clip(o.title, 80))}</text>`,
  );
  for (const t of ticks) {
    const ty = n1(y(t));
    p.push(`<line x1="${left}" x2="${right}" y1="${ty}" y2="${ty}" stroke="${GRID}" stroke-width="1"/>`);
    p.push(
      `<text x="${left - 5}" y="${ty}" dy="3.5" font-size="10" text-anchor="end" fill="${MUTED}">${escapeXml(formatTick(t, l))}</text>`,
    );
  }
  if (o.yTitle) {
    const cy = n1((top + bottom) / 2);
    p.push(
      `<text x="12" y="${cy}" font-size="10" text-anchor="middle" fill="${MUTED}" transform="rotate(-90 12 ${cy})">${escapeXml(clip(o.yTitle, 36))}</text>`,
    );
  }
  p.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#999" stroke-width="1"/>`);
  p.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#999" stroke-width="1"/>`);
  // Thin out the x labels so they never overlap.
  const shown = o.labels.map((label) => shortLabel(label, l));
  const widest = Math.max(0, ...shown.map((s) => textWidth(clip(s, 14), 10)));
  const every = Math.max(1, Math.ceil((widest + 6) / band));
  shown.forEach((s, i) => {
    if (i % every !== 0) return;
    p.push(
      `<text x="${n1(x(i))}" y="${bottom + 14}" font-size="10" text-anchor="middle" fill="${MUTED}">${escapeXml(clip(s, 14))}</text>`,
    );
  });
  events.forEach((e, k) => {
    const ex = n1(x(e.at));
    const ty = 28 + (k % 3) * 12;
    const nearRight = x(e.at) > right - 160;
    p.push(
      `<g class="event"><title>${escapeXml(`${shortLabel(e.day, l)}: ${e.title}`)}</title>` +
        `<line x1="${ex}" x2="${ex}" y1="${ty - 8}" y2="${bottom}" stroke="#555" stroke-width="1" stroke-dasharray="4 3"/>` +
        `<text x="${nearRight ? n1(x(e.at) - 3) : n1(x(e.at) + 3)}" y="${ty}" font-size="10" fill="#444"${nearRight ? ' text-anchor="end"' : ''}>${escapeXml(clip(e.title, 30))}</text></g>`,
    );
  });
  let lx = left;
  const ly = H - 10;
  o.series.forEach((s, i) => {
    const label = clip(s.label, 40);
    const c = colours[i]!;
    p.push(
      legendShape === 'line'
        ? `<line x1="${lx}" x2="${lx + 14}" y1="${ly - 4}" y2="${ly - 4}" stroke="${c}" stroke-width="2.5"/>`
        : `<rect x="${lx + 2}" y="${ly - 9}" width="10" height="10" fill="${c}"/>`,
    );
    p.push(`<text x="${lx + 18}" y="${ly}" font-size="11" fill="${TEXT}">${escapeXml(label)}</text>`);
    lx += 18 + textWidth(label, 11) + 16;
  });
  return { parts: p, left, right, top, bottom, x, band, y, lo, hi };
}

function svgDocument(o: { id: string; title: string }, body: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" ` +
    `viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" font-family="${FONT}" data-chart="${o.id}">` +
    `<title>${escapeXml(o.title)}</title>${body.join('')}</svg>`
  );
}

const coloursOf = (series: ChartSeries[]) =>
  series.map((s, i) => s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length]!);

function finite(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** Lines over categories; a null value breaks the line, and a lone value between nulls is a dot. */
export function lineChart(o: LineChartOptions): ChartImage {
  checkOptions(o);
  const all = o.series.flatMap((s) => finite(s.values));
  const lo = o.yMin ?? (all.length ? Math.min(...all) : 0);
  const hi = o.yMax ?? (all.length ? Math.max(...all) : 1);
  const colours = coloursOf(o.series);
  const f = frame(o, { lo, hi: hi > lo ? hi : lo + 1 }, o.reverse ?? false, colours, 'line');
  o.series.forEach((s, si) => {
    const c = colours[si]!;
    let d = '';
    let pen = false;
    const dots: string[] = [];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      const px = n1(f.x(i));
      const py = n1(f.y(Math.min(Math.max(v, f.lo), f.hi)));
      d += `${pen ? 'L' : 'M'}${px} ${py} `;
      pen = true;
      dots.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${c}"/>`);
    });
    f.parts.push(
      `<g class="series"><title>${escapeXml(s.label)}</title>` +
        (d
          ? `<path d="${d.trim()}" fill="none" stroke="${c}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`
          : '') +
        `${dots.join('')}</g>`,
    );
  });
  return { id: o.id, title: o.title, svg: svgDocument(o, f.parts), width: CHART_WIDTH, height: CHART_HEIGHT };
}

/** Bars per category: side by side (one per series) or stacked; a null value draws no bar. */
export function barChart(o: BarChartOptions): ChartImage {
  checkOptions(o);
  const l = o.locale ?? ENGLISH;
  const stacked = o.stacked ?? false;
  const values = stacked
    ? o.labels
        .map((_, i) => {
          let pos = 0;
          let neg = 0;
          for (const s of o.series) {
            const v = s.values[i];
            if (v === null || v === undefined || !Number.isFinite(v)) continue;
            if (v >= 0) pos += v;
            else neg += v;
          }
          return [pos, neg];
        })
        .flat()
    : o.series.flatMap((s) => finite(s.values));
  // Bars grow from zero, so zero is always on the axis.
  const lo = o.yMin ?? Math.min(0, ...values);
  const hi = o.yMax ?? Math.max(0, ...values);
  const colours = coloursOf(o.series);
  // A week of zeros still gets an axis from 0 up, not one centred on 0.
  const f = frame(o, { lo, hi: hi > lo ? hi : lo + 1 }, false, colours, 'box');
  const clamp = (v: number) => Math.min(Math.max(v, f.lo), f.hi);
  const count = Math.max(o.series.length, 1);
  const groupW = f.band * (stacked ? 0.6 : 0.8);
  const barW = stacked ? groupW : groupW / count;
  const up = o.labels.map(() => 0);
  const down = o.labels.map(() => 0);
  o.series.forEach((s, si) => {
    const c = colours[si]!;
    const rects: string[] = [];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      let from = 0;
      if (stacked) {
        from = v >= 0 ? up[i]! : down[i]!;
        if (v >= 0) up[i] = from + v;
        else down[i] = from + v;
      }
      const y0 = f.y(clamp(from));
      const y1 = f.y(clamp(from + v));
      const bx = f.x(i) - groupW / 2 + (stacked ? 0 : si * barW);
      const h = Math.abs(y0 - y1);
      rects.push(
        `<rect x="${n1(bx)}" y="${n1(Math.min(y0, y1))}" width="${n1(Math.max(barW - 1, 1))}" height="${n1(Math.max(h, v === 0 ? 0 : 0.5))}" fill="${c}">` +
          `<title>${escapeXml(`${s.label}, ${shortLabel(o.labels[i]!, l)}: ${formatTick(v, l)}`)}</title></rect>`,
      );
    });
    f.parts.push(`<g class="series"><title>${escapeXml(s.label)}</title>${rects.join('')}</g>`);
  });
  return { id: o.id, title: o.title, svg: svgDocument(o, f.parts), width: CHART_WIDTH, height: CHART_HEIGHT };
}
