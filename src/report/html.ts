// The weekly report as HTML: a standalone page (dashboard permalink, PDF) with inline SVG charts and a print
// stylesheet, and an e-mail variant with inline CSS, table layout and charts as cid: images.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../notify/format.ts';
import { dayIn } from '../util/days.ts';
import { reportCharts } from './charts.ts';
import { reportSubject, reportText } from './text.ts';
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
import {
  account,
  anomalyText,
  change,
  deadMoneyLines,
  failedChecks,
  healthSentence,
  jobError,
  liveLinks,
  money,
  moneyList,
  moneyOrNone,
  paidFor,
  plain,
  position,
  reasons,
  visibilitySentence,
  where,
  wording,
  type Wording,
} from './wording.ts';

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
const toneOf = (x: number | null, reverse = false): Tone | undefined =>
  x === null || x === 0 ? undefined : x > 0 !== reverse ? 'good' : 'bad';

function movesTable(w: Wording, title: string, moves: KeywordMove[]): Block {
  const h = w.t.visibility.head;
  return {
    kind: 'table',
    title,
    head: [h.change, h.keyword, h.where, h.before, h.after],
    rows: moves.map((m) => [
      { text: change(w, m), tone: toneOf(m.change), right: true },
      m.query,
      where(w, m),
      { text: position(w, m.before), right: true },
      { text: position(w, m.after), right: true },
    ]),
    none: w.t.none,
  };
}

function linksTable(w: Wording, title: string, events: LinkEvent[], timeZone: string, tone?: Tone): Block {
  const h = w.t.backlinks.head;
  // What was paid, beside the vendor; a report archived before reports told it has no such column.
  const paid = events.some((e) => e.priceMicros !== undefined);
  return {
    kind: 'table',
    title,
    head: [h.day, h.donor, h.target, h.vendor, ...(paid ? [h.paid] : []), h.why],
    rows: events.map((e) => [
      { text: w.fmt.day(dayIn(new Date(e.at), timeZone)), tone },
      { text: e.donorUrl, url: true },
      { text: e.target, url: true },
      e.vendor ?? w.t.noValue,
      ...(paid ? [{ text: paidFor(w, e) ?? w.t.noValue, right: true }] : []),
      reasons(w, e.reasons) || w.t.noValue,
    ]),
    none: w.t.none,
  };
}

type ChartBlocks = (id: string) => Block[];

function visibilityBlocks(w: Wording, v: VisibilitySection, chart: ChartBlocks): Block[] {
  const t = w.t.visibility;
  return [
    { kind: 'text', tone: toneOf(v.change), text: visibilitySentence(w, v) },
    ...chart('visibility'),
    movesTable(w, t.gains, v.gains),
    movesTable(w, t.losses, v.losses),
    movesTable(w, t.enteredTop10, v.enteredTop10),
    movesTable(w, t.leftTop10, v.leftTop10),
    {
      kind: 'table',
      title: t.mismatches,
      head: [t.head.keyword, t.head.rankingUrl, t.head.targetUrl],
      rows: v.mismatches.map((m) => [m.query, { text: m.url, url: true }, { text: m.target, url: true }]),
      none: w.t.none,
    },
    { kind: 'text', tone: v.failedChecks > 0 ? 'bad' : undefined, text: failedChecks(w, v) },
  ];
}

function backlinksBlocks(w: Wording, b: BacklinksSection, timeZone: string): Block[] {
  const t = w.t.backlinks;
  return [
    { kind: 'text', text: liveLinks(w, b.live, b.total) },
    linksTable(w, t.lost, b.lost, timeZone, 'bad'),
    linksTable(w, t.devalued, b.devalued, timeZone, 'bad'),
    linksTable(w, t.recovered, b.recovered, timeZone, 'good'),
    ...deadMoneyLines(w, b).map((l): Block => ({
      kind: 'text',
      tone: l.bad ? 'bad' : undefined,
      text: l.text,
    })),
    {
      kind: 'table',
      title: t.renewals(w.fmt.days(14)),
      head: [t.head.paidUntil, t.head.donor, t.head.vendor],
      rows: b.renewalsDue.map((r) => [
        w.fmt.day(r.paidUntil),
        { text: r.donorUrl, url: true },
        r.vendor ?? w.t.noValue,
      ]),
      none: w.t.none,
    },
  ];
}

/** The rows of the per-currency totals: a label and how to show that figure in one currency. */
function totalsRows(w: Wording): [string, (x: AdsCurrencyTotals) => string][] {
  const r = w.t.ads.rows;
  const { fmt } = w;
  const none = w.t.noValue;
  return [
    [r.spend, (x) => money(w, x.spendMicros, x.currency)],
    [r.weekBefore, (x) => money(w, x.prevSpendMicros, x.currency)],
    [r.change, (x) => (x.spendChange === null ? none : fmt.signedPercent(x.spendChange))],
    [r.impressions, (x) => fmt.number(x.impressions)],
    [r.clicks, (x) => fmt.number(x.clicks)],
    [r.ctr, (x) => (x.ctr === null ? none : fmt.percent(x.ctr, 2))],
    [r.cpc, (x) => moneyOrNone(w, x.cpcMicros, x.currency)],
    [r.conversions, (x) => fmt.number(x.conversions, 2)],
    [r.cpa, (x) => moneyOrNone(w, x.cpaMicros, x.currency)],
    [r.value, (x) => money(w, x.valueMicros, x.currency)],
    [r.roas, (x) => (x.roas === null ? none : fmt.fixed(x.roas, 2))],
  ];
}

function adsBlocks(w: Wording, a: AdsSection, chart: ChartBlocks): Block[] {
  const t = w.t.ads;
  const currencies = [...new Set(a.daily.map((d) => d.currency))].sort();
  const days = [...new Set(a.daily.map((d) => d.day))].sort();
  const spendOn = (day: string, currency: string) => {
    const rows = a.daily.filter((d) => d.day === day && d.currency === currency);
    return rows.length
      ? money(
          w,
          rows.reduce((s, d) => s + d.micros, 0),
          currency,
        )
      : w.t.noValue;
  };
  const blocks: Block[] = [];
  // One column per currency: amounts in different currencies are never added up.
  if (a.totals.length)
    blocks.push({
      kind: 'table',
      title: t.totals,
      head: ['', ...a.totals.map((x) => x.currency)],
      rows: totalsRows(w).map(([label, value]) => [
        label,
        ...a.totals.map((x) => ({ text: value(x), right: true })),
      ]),
      none: w.t.none,
    });
  blocks.push(...chart('ads-spend'));
  if (currencies.length)
    blocks.push({
      kind: 'table',
      title: t.spendPerDay,
      head: [t.head.day, ...currencies],
      rows: days.map((day) => [
        w.fmt.weekday(day),
        ...currencies.map((c) => ({ text: spendOn(day, c), right: true })),
      ]),
      none: w.t.none,
    });
  blocks.push(
    {
      kind: 'table',
      title: t.pacing,
      head: [t.head.account, t.head.thisMonth, t.head.budget, t.head.forecast, t.head.againstBudget],
      rows: a.pacing.map((p) => [
        account(w, p.account, p.platform),
        { text: money(w, p.monthToDateMicros, p.currency), right: true },
        {
          text: p.budgetMicros === null ? t.noBudget : money(w, p.budgetMicros, p.currency),
          right: true,
        },
        { text: money(w, p.forecastMicros, p.currency), right: true },
        {
          text: `${p.overBy === null ? w.t.noValue : w.fmt.signedPercent(p.overBy)}${p.alert ? ` — ${t.overBudget}` : ''}`,
          tone: p.alert ? 'bad' : undefined,
          right: true,
        },
      ]),
      none: t.noAccounts,
    },
    {
      kind: 'table',
      title: t.anomalies,
      head: [t.head.day, t.head.account, t.head.whatHappened],
      rows: a.anomalies.map((x) => [w.fmt.day(x.day), x.account, { text: anomalyText(w, x), tone: 'bad' }]),
      none: w.t.none,
    },
  );
  return blocks;
}

function healthBlocks(w: Wording, h: HealthSection, chart: ChartBlocks): Block[] {
  const t = w.t.health;
  return [
    { kind: 'text', tone: toneOf(h.change), text: healthSentence(w, h) },
    ...chart('health'),
    {
      kind: 'table',
      title: t.newErrors,
      head: [t.head.issue, t.head.page],
      rows: h.newCritical.map((i) => [
        { text: plain(i.title, 120), tone: 'bad' },
        { text: i.url, url: true },
      ]),
      none: w.t.none,
    },
    {
      kind: 'table',
      title: t.fixed,
      head: [t.head.issue, t.head.pages],
      rows: h.fixed.map((f) => [
        plain(f.title, 120),
        { text: w.fmt.number(f.count), right: true, tone: 'good' },
      ]),
      none: w.t.none,
    },
  ];
}

/** The report's sections in the text part's order, with the text part's "no data" sentences. */
function sections(w: Wording, data: ReportData, charts: ChartImage[]): Section[] {
  // "ads-spend" covers the per-currency "ads-spend-usd", "ads-spend-rub".
  const chart: ChartBlocks = (id) =>
    charts.filter((c) => c.id === id || c.id.startsWith(`${id}-`)).map((c) => ({ kind: 'chart', chart: c }));
  const { t } = w;
  const { visibility: v, backlinks: b, ads: a, health: h } = data;
  const out: Section[] = [
    {
      title: t.sections.visibility,
      empty: v ? null : t.noData.visibility,
      blocks: v ? visibilityBlocks(w, v, chart) : [],
    },
    {
      title: t.sections.backlinks,
      empty: b ? null : t.noData.backlinks,
      blocks: b ? backlinksBlocks(w, b, data.site.timeZone) : [],
    },
    { title: t.sections.ads, empty: a ? null : t.noData.ads, blocks: a ? adsBlocks(w, a, chart) : [] },
    {
      title: t.sections.health,
      empty: h ? null : t.noData.health,
      blocks: h ? healthBlocks(w, h, chart) : [],
    },
    {
      title: t.sections.jobs,
      empty: data.jobFailures.length ? null : t.noData.jobs,
      blocks: [
        {
          kind: 'table',
          title: t.jobs.failedRuns,
          head: [t.jobs.head.when, t.jobs.head.job, t.jobs.head.error],
          rows: data.jobFailures.map((f) => [
            w.fmt.dateTime(f.at),
            f.job,
            { text: jobError(w, f), tone: 'bad' },
          ]),
          none: w.t.none,
        },
      ],
    },
  ];
  if (data.events.length)
    out.push({
      title: t.sections.events,
      empty: null,
      blocks: [
        {
          kind: 'table',
          title: t.events.title,
          head: [t.events.head.day, t.events.head.event],
          rows: data.events.map((e) => [w.fmt.day(e.day), plain(e.title, 200)]),
          none: w.t.none,
        },
      ],
    });
  return out;
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

interface Head {
  lang: string;
  title: string;
  lines: string[];
  url: string | null;
  /** Shown before the link: "Dashboard". */
  urlLabel: string;
  footer: string;
}

function head(w: Wording, data: ReportData, url: string | undefined): Head {
  const tz = plain(data.site.timeZone, 60);
  const week = plain(data.week.week, 10);
  return {
    lang: w.lang,
    title: w.t.title(plain(data.site.name, 100), week),
    lines: [
      w.t.weekLine(week, w.fmt.dayRange(data.week.from, data.week.to), tz),
      w.t.siteLine(plain(data.site.baseUrl)),
    ],
    // Only a web address becomes a link: a "javascript:" URL from a bad config must not be clickable.
    url: url && isHttp(url) ? url : null,
    urlLabel: w.t.dashboard,
    footer: w.t.generated(w.fmt.dateTime(data.generatedAt), tz),
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
@media screen and (max-width: 600px) {
  main { padding: 16px 12px; }
  table { display: block; overflow-x: auto; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  figure, tr, p { break-inside: avoid; }
  thead { display: table-header-group; }
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
<html lang="${h.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(subject, 300)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(h.title)}</h1>${h.lines.map((l) => `<p class="meta">${esc(l)}</p>`).join('')}${
    h.url
      ? `<p class="meta">${esc(h.urlLabel)}: <a href="${esc(h.url, 2000)}">${esc(h.url, 2000)}</a></p>`
      : ''
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
<html lang="${h.lang}">
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
      ? `<p style="${S.meta}">${esc(h.urlLabel)}: <a href="${esc(h.url, 2000)}" style="${S.link}">${esc(h.url, 2000)}</a></p>`
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

/** Subject, text, both HTML variants and the charts of one weekly report, in the report's language. */
export function renderReport(data: ReportData, opts: { url?: string } = {}): RenderedReport {
  const w = wording(data);
  const charts = reportCharts(data);
  const secs = sections(w, data, charts);
  const subject = reportSubject(data);
  const h = head(w, data, opts.url);
  return {
    subject,
    html: documentHtml(h, secs, subject),
    emailHtml: emailDocument(h, secs, subject),
    text: reportText(data, opts),
    charts,
  };
}
