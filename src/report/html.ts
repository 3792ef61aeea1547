// The weekly report as HTML: a standalone page (dashboard permalink, PDF) with inline SVG charts and a print
// stylesheet, and an e-mail variant with inline CSS, table layout and charts as cid: images.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../notify/format.ts';
import { dayIn } from '../util/days.ts';
import { reportCharts } from './charts.ts';
import { formatMoney, plain, reportSubject, reportText, signed } from './text.ts';
import type {
  AdsCurrencyTotals,
  AdsSection,
  BacklinksSection,
  ChartImage,
  HealthSection,
  KeywordMove,
  LinkEvent,
  RenderedReport,
  ReportData,
  VisibilitySection,
} from './types.ts';

type Tone = 'bad' | 'good';
type Cell = string | { text: string; tone?: Tone; url?: boolean; right?: boolean };
type Block =
  | { kind: 'text'; text: string; tone?: Tone }
  | { kind: 'chart'; chart: ChartImage }
  /** An empty table is the sentence "<title>: <none>", as in the text part. */
  | { kind: 'table'; title: string; head: string[]; rows: Cell[][]; none: string };
interface Section {
  title: string;
  /** The sentence shown instead of the section when it has no data. */
  empty: string | null;
  blocks: Block[];
}

/** Stored text (hostile) made printable, then HTML-escaped. */
const esc = (s: string, max?: number) => escapeHtml(plain(s, max));
const pct = (x: number | null, digits = 2) => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);
const pctChange = (x: number | null) => (x === null ? '—' : `${signed(x * 100, 0)} %`);
const num = (n: number) => n.toLocaleString('en-US');
const toneOf = (x: number | null, reverse = false): Tone | undefined =>
  x === null || x === 0 ? undefined : x > 0 !== reverse ? 'good' : 'bad';
const position = (p: number | null) => (p === null ? 'not in top 100' : String(Math.round(p * 10) / 10));

function localTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return plain(iso, 40);
  const hm = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${dayIn(d, timeZone)} ${hm.format(d)}`;
}

function movesTable(title: string, moves: KeywordMove[]): Block {
  return {
    kind: 'table',
    title,
    head: ['Change', 'Keyword', 'Engine · region · device', 'Before', 'After'],
    rows: moves.map((m) => [
      { text: signed(m.change), tone: toneOf(m.change), right: true },
      m.query,
      `${plain(m.engine, 20)} · ${plain(m.region, 60)} · ${plain(m.device, 20)}`,
      { text: position(m.before), right: true },
      { text: position(m.after), right: true },
    ]),
    none: 'none',
  };
}

function linksTable(title: string, events: LinkEvent[], timeZone: string, tone?: Tone): Block {
  return {
    kind: 'table',
    title,
    head: ['Day', 'Donor page', 'Target', 'Vendor', 'Why'],
    rows: events.map((e) => [
      { text: dayIn(new Date(e.at), timeZone), tone },
      { text: e.donorUrl, url: true },
      { text: e.target, url: true },
      e.vendor ?? '—',
      e.reasons.map((r) => plain(r, 200)).join('; ') || '—',
    ]),
    none: 'none',
  };
}

type ChartBlocks = (id: string) => Block[];

function visibilityBlocks(v: VisibilitySection, chart: ChartBlocks): Block[] {
  const idx = (x: number | null) => (x === null ? 'not observed' : `${x.toFixed(2)} %`);
  return [
    {
      kind: 'text',
      tone: toneOf(v.change),
      text:
        `Visibility index (${plain(v.curve, 30)} CTR curve): ${idx(v.now)} at the end of the week` +
        (v.change !== null
          ? `, ${signed(v.change, 2)} from ${idx(v.before)} a week before`
          : `; a week before: ${idx(v.before)}`),
    },
    ...chart('visibility'),
    movesTable('Biggest gains', v.gains),
    movesTable('Biggest losses', v.losses),
    movesTable('Entered the top 10', v.enteredTop10),
    movesTable('Left the top 10', v.leftTop10),
    {
      kind: 'table',
      title: 'Ranking URL differs from the target URL',
      head: ['Keyword', 'Ranking URL', 'Target URL'],
      rows: v.mismatches.map((m) => [m.query, { text: m.url, url: true }, { text: m.target, url: true }]),
      none: 'none',
    },
    {
      kind: 'text',
      tone: v.failedChecks > 0 ? 'bad' : undefined,
      text: `Failed checks this week: ${v.failedChecks} (not counted as positions)`,
    },
  ];
}

function backlinksBlocks(b: BacklinksSection, timeZone: string): Block[] {
  return [
    { kind: 'text', text: `Live links at the end of the week: ${b.live} of ${b.total}` },
    linksTable('Lost this week', b.lost, timeZone, 'bad'),
    linksTable('Devalued this week', b.devalued, timeZone, 'bad'),
    linksTable('Recovered this week', b.recovered, timeZone, 'good'),
    {
      kind: 'text',
      tone: b.wasted.some((w) => w.micros > 0) ? 'bad' : undefined,
      text: `Money paid for lost or devalued days this week: ${
        b.wasted.length ? b.wasted.map((w) => formatMoney(w.micros, w.currency)).join(', ') : 'none'
      }`,
    },
    {
      kind: 'table',
      title: 'Renewals due within 14 days',
      head: ['Paid until', 'Donor page', 'Vendor'],
      rows: b.renewalsDue.map((r) => [r.paidUntil, { text: r.donorUrl, url: true }, r.vendor ?? '—']),
      none: 'none',
    },
  ];
}

const TOTALS: [string, (t: AdsCurrencyTotals) => string][] = [
  ['Spend', (t) => formatMoney(t.spendMicros, t.currency)],
  ['Week before', (t) => formatMoney(t.prevSpendMicros, t.currency)],
  ['Change', (t) => pctChange(t.spendChange)],
  ['Impressions', (t) => num(t.impressions)],
  ['Clicks', (t) => num(t.clicks)],
  ['CTR', (t) => pct(t.ctr)],
  ['CPC', (t) => (t.cpcMicros === null ? '—' : formatMoney(t.cpcMicros, t.currency))],
  ['Conversions', (t) => num(t.conversions)],
  ['CPA', (t) => (t.cpaMicros === null ? '—' : formatMoney(t.cpaMicros, t.currency))],
  ['Value', (t) => formatMoney(t.valueMicros, t.currency)],
  ['ROAS', (t) => (t.roas === null ? '—' : t.roas.toFixed(2))],
];

function adsBlocks(a: AdsSection, chart: ChartBlocks): Block[] {
  const currencies = [...new Set(a.daily.map((d) => d.currency))].sort();
  const days = [...new Set(a.daily.map((d) => d.day))].sort();
  const spendOn = (day: string, currency: string) => {
    const rows = a.daily.filter((d) => d.day === day && d.currency === currency);
    return rows.length
      ? formatMoney(
          rows.reduce((s, d) => s + d.micros, 0),
          currency,
        )
      : '—';
  };
  const blocks: Block[] = [];
  // One column per currency: amounts in different currencies are never added up.
  if (a.totals.length)
    blocks.push({
      kind: 'table',
      title: 'Totals per currency',
      head: ['', ...a.totals.map((t) => t.currency)],
      rows: TOTALS.map(([label, value]) => [
        label,
        ...a.totals.map((t) => ({ text: value(t), right: true })),
      ]),
      none: 'none',
    });
  blocks.push(...chart('ads-spend'));
  if (currencies.length)
    blocks.push({
      kind: 'table',
      title: 'Spend per day',
      head: ['Day', ...currencies],
      rows: days.map((day) => [day, ...currencies.map((c) => ({ text: spendOn(day, c), right: true }))]),
      none: 'none',
    });
  blocks.push(
    {
      kind: 'table',
      title: 'Budget pacing at the end of the week',
      head: ['Account', 'This month', 'Budget', 'Forecast', 'Against budget'],
      rows: a.pacing.map((p) => [
        `${plain(p.account, 100)} (${plain(p.platform, 20)})`,
        { text: formatMoney(p.monthToDateMicros, p.currency), right: true },
        {
          text: p.budgetMicros === null ? 'no budget set' : formatMoney(p.budgetMicros, p.currency),
          right: true,
        },
        { text: formatMoney(p.forecastMicros, p.currency), right: true },
        {
          text: `${pctChange(p.overBy)}${p.alert ? ' — OVER BUDGET' : ''}`,
          tone: p.alert ? 'bad' : undefined,
          right: true,
        },
      ]),
      none: 'no accounts',
    },
    {
      kind: 'table',
      title: 'Anomalies this week',
      head: ['Day', 'Account', 'What happened'],
      rows: a.anomalies.map((x) => [x.day, x.account, { text: plain(x.message, 400), tone: 'bad' }]),
      none: 'none',
    },
  );
  return blocks;
}

function healthBlocks(h: HealthSection, chart: ChartBlocks): Block[] {
  return [
    {
      kind: 'text',
      tone: toneOf(h.change),
      text:
        `Health score ${h.score.toFixed(1)}` +
        (h.change !== null && h.previousScore !== null
          ? ` (${signed(h.change)} from ${h.previousScore.toFixed(1)} the crawl before)`
          : ' (no earlier crawl to compare with)') +
        ` · crawl of ${plain(h.crawlDay, 10)} · ${num(h.pages)} ${h.pages === 1 ? 'page' : 'pages'}`,
    },
    ...chart('health'),
    {
      kind: 'table',
      title: 'New errors',
      head: ['Issue', 'Page'],
      rows: h.newCritical.map((i) => [
        { text: plain(i.title, 120), tone: 'bad' },
        { text: i.url, url: true },
      ]),
      none: 'none',
    },
    {
      kind: 'table',
      title: 'Fixed since the crawl before',
      head: ['Issue', 'Pages'],
      rows: h.fixed.map((f) => [plain(f.title, 120), { text: num(f.count), right: true, tone: 'good' }]),
      none: 'none',
    },
  ];
}

/** The report's sections in the text part's order, with the text part's "no data" sentences. */
function sections(data: ReportData, charts: ChartImage[]): Section[] {
  // "ads-spend" covers the per-currency "ads-spend-usd", "ads-spend-rub".
  const chart: ChartBlocks = (id) =>
    charts.filter((c) => c.id === id || c.id.startsWith(`${id}-`)).map((c) => ({ kind: 'chart', chart: c }));
  const tz = data.site.timeZone;
  const { visibility: v, backlinks: b, ads: a, health: h } = data;
  const out: Section[] = [
    {
      title: 'Visibility',
      empty: v ? null : 'No rank tracking data this week.',
      blocks: v ? visibilityBlocks(v, chart) : [],
    },
    {
      title: 'Backlinks',
      empty: b ? null : 'No backlink data this week.',
      blocks: b ? backlinksBlocks(b, tz) : [],
    },
    { title: 'Ads', empty: a ? null : 'No ad spend data this week.', blocks: a ? adsBlocks(a, chart) : [] },
    {
      title: 'Site health',
      empty: h ? null : 'No site crawl finished by the end of this week.',
      blocks: h ? healthBlocks(h, chart) : [],
    },
    {
      title: 'Job failures',
      empty: data.jobFailures.length ? null : 'No job failed this week.',
      blocks: [
        {
          kind: 'table',
          title: 'Failed runs',
          head: ['When', 'Job', 'Error'],
          rows: data.jobFailures.map((f) => [
            localTime(f.at, tz),
            f.job,
            { text: plain(f.error, 500), tone: 'bad' },
          ]),
          none: 'none',
        },
      ],
    },
  ];
  if (data.events.length)
    out.push({
      title: 'Events',
      empty: null,
      blocks: [
        {
          kind: 'table',
          title: 'Dated events of the two weeks',
          head: ['Day', 'Event'],
          rows: data.events.map((e) => [e.day, plain(e.title, 200)]),
          none: 'none',
        },
      ],
    });
  return out;
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

interface Head {
  title: string;
  lines: string[];
  url: string | null;
  footer: string;
}

function head(data: ReportData, url: string | undefined): Head {
  const tz = data.site.timeZone;
  return {
    title: `promowatch weekly report · ${plain(data.site.name, 100)} · ${plain(data.week.week, 10)}`,
    lines: [
      `Week ${plain(data.week.week, 10)}: Monday ${plain(data.week.from, 10)} to Sunday ${plain(data.week.to, 10)} (${plain(tz, 60)})`,
      `Site: ${plain(data.site.baseUrl)}`,
    ],
    // Only a web address becomes a link: a "javascript:" URL from a bad config must not be clickable.
    url: url && isHttp(url) ? url : null,
    footer: `Generated ${localTime(data.generatedAt, tz)} (${plain(tz, 60)}).`,
  };
}

// ---- The standalone page (dashboard permalink, PDF) -------------------------------------------------

/** The page's only CSS. No style attributes anywhere, so a CSP that allows just this block's hash holds. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f3f4f6; color: #1f2937; font: 14px/1.45 Arial, Helvetica, sans-serif; }
main { max-width: 760px; margin: 0 auto; padding: 24px 32px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 0 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e5e7eb; }
h3 { font-size: 14px; margin: 14px 0 4px; }
p { margin: 4px 0; }
.meta { color: #4b5563; }
a { color: #1a4d8f; }
section { margin-top: 28px; }
figure { margin: 12px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e5e7eb; }
th { background: #f9fafb; font-weight: bold; }
td.r, th.r { text-align: right; white-space: nowrap; }
td.url { word-break: break-all; }
.bad { color: #b42318; }
.good { color: #067647; }
.none { color: #6b7280; }
footer { margin-top: 28px; color: #6b7280; font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  section.has-data:not(:first-of-type) { break-before: page; }
  figure, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
`;

/**
 * Content-Security-Policy for serving `html`: nothing loads, nothing runs; only the one style block
 * (by hash) and nothing else applies.
 */
export const REPORT_HTML_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function docCell(c: Cell, tag: 'td' | 'th'): string {
  const o = typeof c === 'string' ? { text: c } : c;
  const cls = [o.tone, o.url ? 'url' : '', o.right ? 'r' : ''].filter(Boolean).join(' ');
  return `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(o.text, 500)}</${tag}>`;
}

function docBlock(b: Block): string {
  if (b.kind === 'text') return `<p${b.tone ? ` class="${b.tone}"` : ''}>${esc(b.text, 1000)}</p>`;
  if (b.kind === 'chart') return `<figure>${b.chart.svg}</figure>`;
  if (b.rows.length === 0) return `<p class="none">${esc(b.title)}: ${esc(b.none)}</p>`;
  const right = b.rows[0]!.map((c) => typeof c !== 'string' && c.right === true);
  return (
    `<h3>${esc(b.title)}</h3><table><thead><tr>` +
    b.head.map((h, i) => docCell({ text: h, right: right[i] ?? false }, 'th')).join('') +
    `</tr></thead><tbody>` +
    b.rows.map((r) => `<tr>${r.map((c) => docCell(c, 'td')).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

function documentHtml(h: Head, secs: Section[], subject: string): string {
  const body = secs
    .map((s) =>
      s.empty
        ? `<section class="empty"><h2>${esc(s.title)}</h2><p class="none">${esc(s.empty)}</p></section>`
        : `<section class="has-data"><h2>${esc(s.title)}</h2>${s.blocks.map(docBlock).join('')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(subject, 300)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(h.title)}</h1>${h.lines.map((l) => `<p class="meta">${esc(l)}</p>`).join('')}${
    h.url ? `<p class="meta">Dashboard: <a href="${esc(h.url, 2000)}">${esc(h.url, 2000)}</a></p>` : ''
  }</header>
${body}
<footer>${esc(h.footer)}</footer>
</main>
</body>
</html>
`;
}

// ---- The e-mail variant ------------------------------------------------------------------------------

/** Mail clients drop <style> and external CSS; every rule is a style attribute, every layout a table. */
const S = {
  body: 'margin:0;padding:0;background:#f3f4f6;',
  outer: 'background:#f3f4f6;',
  card: 'width:100%;max-width:640px;background:#ffffff;border:1px solid #e5e7eb;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#1f2937;',
  pad: 'padding:16px 24px;border-top:1px solid #e5e7eb;',
  h1: 'margin:0 0 6px;font-size:20px;line-height:1.3;font-weight:bold;color:#111827;',
  h2: 'margin:0 0 8px;font-size:17px;line-height:1.3;font-weight:bold;color:#111827;',
  h3: 'margin:14px 0 4px;font-size:14px;font-weight:bold;color:#111827;',
  p: 'margin:4px 0;',
  meta: 'margin:2px 0;color:#4b5563;',
  none: 'margin:4px 0;color:#6b7280;',
  link: 'color:#1a4d8f;word-break:break-all;',
  table: 'border-collapse:collapse;width:100%;font-size:13px;',
  th: 'text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #e5e7eb;background:#f9fafb;font-weight:bold;',
  td: 'text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #e5e7eb;',
  img: 'display:block;width:100%;max-width:592px;height:auto;border:0;margin:12px 0;',
  footer: 'padding:12px 24px;border-top:1px solid #e5e7eb;color:#6b7280;font-size:12px;',
  bad: 'color:#b42318;',
  good: 'color:#067647;',
  right: 'text-align:right;white-space:nowrap;',
  url: 'word-break:break-all;',
} as const;

/** The card's inner width: 640 minus 2 × 24 px padding. Charts scale down to it. */
const EMAIL_CHART_WIDTH = 592;

function mailCell(c: Cell, tag: 'td' | 'th'): string {
  const o = typeof c === 'string' ? { text: c } : c;
  const style = S[tag] + (o.right ? S.right : '') + (o.url ? S.url : '') + (o.tone ? S[o.tone] : '');
  return `<${tag} style="${style}"${o.right ? ' align="right"' : ''}>${esc(o.text, 500)}</${tag}>`;
}

function mailBlock(b: Block): string {
  if (b.kind === 'text') return `<p style="${S.p}${b.tone ? S[b.tone] : ''}">${esc(b.text, 1000)}</p>`;
  if (b.kind === 'chart') {
    const c = b.chart;
    const height = Math.round((c.height * EMAIL_CHART_WIDTH) / c.width);
    return `<img src="cid:${esc(c.id)}@promowatch" width="${EMAIL_CHART_WIDTH}" height="${height}" alt="${esc(c.title)}" style="${S.img}">`;
  }
  if (b.rows.length === 0) return `<p style="${S.none}">${esc(b.title)}: ${esc(b.none)}</p>`;
  const right = b.rows[0]!.map((c) => typeof c !== 'string' && c.right === true);
  return (
    `<p style="${S.h3}">${esc(b.title)}</p>` +
    `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${S.table}"><tr>` +
    b.head.map((h, i) => mailCell({ text: h, right: right[i] ?? false }, 'th')).join('') +
    `</tr>` +
    b.rows.map((r) => `<tr>${r.map((c) => mailCell(c, 'td')).join('')}</tr>`).join('') +
    `</table>`
  );
}

function emailDocument(h: Head, secs: Section[], subject: string): string {
  const rows = secs.map(
    (s) =>
      `<tr><td style="${S.pad}"><p style="${S.h2}">${esc(s.title)}</p>` +
      (s.empty ? `<p style="${S.none}">${esc(s.empty)}</p>` : s.blocks.map(mailBlock).join('')) +
      `</td></tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(subject, 300)}</title>
</head>
<body style="${S.body}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${S.outer}"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="${S.card}">
<tr><td style="padding:20px 24px;"><p style="${S.h1}">${esc(h.title)}</p>${h.lines.map((l) => `<p style="${S.meta}">${esc(l)}</p>`).join('')}${
    h.url
      ? `<p style="${S.meta}">Dashboard: <a href="${esc(h.url, 2000)}" style="${S.link}">${esc(h.url, 2000)}</a></p>`
      : ''
  }</td></tr>
${rows.join('\n')}
<tr><td style="${S.footer}">${esc(h.footer)}</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;
}

/** Subject, text, both HTML variants and the charts of one weekly report. */
export function renderReport(data: ReportData, opts: { url?: string } = {}): RenderedReport {
  const charts = reportCharts(data);
  const secs = sections(data, charts);
  const subject = reportSubject(data);
  const h = head(data, opts.url);
  return {
    subject,
    html: documentHtml(h, secs, subject),
    emailHtml: emailDocument(h, secs, subject),
    text: reportText(data, opts),
    charts,
  };
}
