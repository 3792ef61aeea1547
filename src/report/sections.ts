// The weekly report laid out once for both HTML variants (html.ts): a head, then sections of text, charts
// and tables, with every stored text made printable and escaped.
import { escapeHtml } from '../notify/format.ts';
import { dayIn } from '../util/days.ts';
import type {
  AdsCurrencyTotals,
  AdsSection,
  BacklinksSection,
  ChartImage,
  HealthSection,
  KeywordMove,
  LinkEvent,
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
  moneyOrNone,
  paidFor,
  plain,
  position,
  reasons,
  visibilitySentence,
  where,
  type Wording,
} from './wording.ts';

export type Tone = 'bad' | 'good';
export type Cell = string | { text: string; tone?: Tone; url?: boolean; right?: boolean };
export type Block =
  | { kind: 'text'; text: string; tone?: Tone }
  | { kind: 'chart'; chart: ChartImage }
  /** An empty table is the sentence "<title>: <none>", as in the text part. */
  | { kind: 'table'; title: string; head: string[]; rows: Cell[][]; none: string };
export interface Section {
  title: string;
  /** The sentence shown instead of the section when it has no data. */
  empty: string | null;
  blocks: Block[];
}

/** Stored text (hostile) made printable, then HTML-escaped. */
export const esc = (s: string, max?: number) => escapeHtml(plain(s, max));
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
export function sections(w: Wording, data: ReportData, charts: ChartImage[]): Section[] {
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

export interface Head {
  lang: string;
  title: string;
  lines: string[];
  url: string | null;
  /** Shown before the link: "Dashboard". */
  urlLabel: string;
  footer: string;
}

export function head(w: Wording, data: ReportData, url: string | undefined): Head {
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
