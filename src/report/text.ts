// The weekly report as plain text (terminal and the email's text/plain part) and its one-line subject.
import { clip } from '../notify/format.ts';
import { dayIn } from '../util/days.ts';
import type { KeywordMove, LinkEvent, ReportData } from './types.ts';

/** Longest piece of stored text (URL, campaign name, error) printed as is. */
const MAX_FIELD = 300;

/**
 * Stored text made safe to print: crawled titles, donor URLs, campaign names and error messages are
 * hostile input. Control characters (terminal escape sequences, a CR/LF that would forge a line or a mail
 * header) and bidirectional overrides (which reorder what a reader sees) become spaces; nothing else
 * changes, so "<b>" stays "<b>" — this is text, not HTML.
 */
export function plain(text: string, max = MAX_FIELD): string {
  return clip(
    text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' '),
    max,
  );
}

/** "12,500 RUB"; amounts under 100 that are not whole keep their cents ("4.50 USD"). */
export function formatMoney(micros: number, currency: string): string {
  const units = micros / 1e6;
  const cents = !Number.isInteger(units) && Math.abs(units) < 100;
  const n = units.toLocaleString(
    'en-US',
    cents ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumFractionDigits: 0 },
  );
  return `${n} ${plain(currency, 10)}`;
}

/** "+1.2", "-0.5", "0.0". */
export function signed(x: number, digits = 1): string {
  const s = Math.abs(x).toFixed(digits);
  return Number(s) === 0 ? s : `${x > 0 ? '+' : '-'}${s}`;
}

/** A fraction as a signed percentage: 0.12 → "+12 %". */
const pctChange = (x: number) => `${signed(x * 100, 0)} %`;
/** A fraction as a percentage: 0.0345 → "3.45 %". */
const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)} %`;
const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function heading(title: string): string[] {
  return ['', title, '-'.repeat(title.length)];
}

/** "2026-11-18 14:05" in the site's zone. */
function localTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return plain(iso, 40);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${dayIn(d, timeZone)} ${time.format(d)}`;
}

const position = (p: number | null) => (p === null ? 'not in top 100' : String(Math.round(p * 10) / 10));

function moveLine(m: KeywordMove): string {
  return `  ${signed(m.change, Number.isInteger(m.change) ? 0 : 1).padStart(6)}  ${plain(m.query)} (${plain(m.engine, 20)}, ${plain(m.region, 60)}, ${plain(m.device, 20)}): ${position(m.before)} -> ${position(m.after)}`;
}

function list<T>(title: string, items: readonly T[], line: (item: T) => string, none: string): string[] {
  if (items.length === 0) return [`${title}: ${none}`];
  return [`${title}:`, ...items.map(line)];
}

function visibilityLines(v: NonNullable<ReportData['visibility']>): string[] {
  const out: string[] = [];
  const idx = (x: number | null) => (x === null ? 'not observed' : `${x.toFixed(2)} %`);
  out.push(
    `Visibility index (${plain(v.curve, 30)} CTR curve): ${idx(v.now)} at the end of the week` +
      (v.change !== null
        ? `, ${signed(v.change, 2)} from ${idx(v.before)} a week before`
        : `; a week before: ${idx(v.before)}`),
  );
  out.push(...list('Biggest gains', v.gains, moveLine, 'none'));
  out.push(...list('Biggest losses', v.losses, moveLine, 'none'));
  out.push(...list('Entered the top 10', v.enteredTop10, moveLine, 'none'));
  out.push(...list('Left the top 10', v.leftTop10, moveLine, 'none'));
  out.push(
    ...list(
      'Ranking URL differs from the target URL',
      v.mismatches,
      (m) => `  ${plain(m.query)}: ${plain(m.url)} ranks, the target is ${plain(m.target)}`,
      'none',
    ),
  );
  out.push(`Failed checks this week: ${v.failedChecks} (not counted as positions)`);
  return out;
}

function backlinksLines(b: NonNullable<ReportData['backlinks']>, timeZone: string): string[] {
  const event = (e: LinkEvent) =>
    `  ${dayIn(new Date(e.at), timeZone)}  ${plain(e.donorUrl)} -> ${plain(e.target)}` +
    (e.vendor ? ` · vendor ${plain(e.vendor, 100)}` : '') +
    (e.reasons.length ? ` · ${e.reasons.map((r) => plain(r, 200)).join('; ')}` : '');
  return [
    `Live links at the end of the week: ${b.live} of ${b.total}`,
    ...list('Lost this week', b.lost, event, 'none'),
    ...list('Devalued this week', b.devalued, event, 'none'),
    ...list('Recovered this week', b.recovered, event, 'none'),
    `Money paid for lost or devalued days this week: ${
      b.wasted.length ? b.wasted.map((w) => formatMoney(w.micros, w.currency)).join(', ') : 'none'
    }`,
    ...list(
      'Renewals due within 14 days',
      b.renewalsDue,
      (r) =>
        `  ${plain(r.paidUntil, 10)}  ${plain(r.donorUrl)}${r.vendor ? ` · vendor ${plain(r.vendor, 100)}` : ''}`,
      'none',
    ),
  ];
}

function adsLines(a: NonNullable<ReportData['ads']>): string[] {
  const out: string[] = [];
  for (const t of a.totals) {
    const m = (x: number | null) => (x === null ? '—' : formatMoney(x, t.currency));
    out.push(
      `${plain(t.currency, 10)}: spend ${m(t.spendMicros)}` +
        (t.spendChange !== null
          ? ` (${pctChange(t.spendChange)} from ${m(t.prevSpendMicros)} the week before)`
          : ' (no spend the week before)'),
      `  ${count(t.impressions, 'impression')} · ${count(t.clicks, 'click')} · CTR ${t.ctr === null ? '—' : pct(t.ctr)} · CPC ${m(t.cpcMicros)}`,
      `  ${count(t.conversions, 'conversion')} · CPA ${m(t.cpaMicros)} · value ${m(t.valueMicros)} · ROAS ${t.roas === null ? '—' : t.roas.toFixed(2)}`,
    );
  }
  out.push(
    ...list(
      'Budget pacing at the end of the week',
      a.pacing,
      (p) =>
        `  ${plain(p.account, 100)} (${plain(p.platform, 20)}): ${formatMoney(p.monthToDateMicros, p.currency)} this month, ` +
        (p.budgetMicros === null
          ? `no budget set, forecast ${formatMoney(p.forecastMicros, p.currency)}`
          : `budget ${formatMoney(p.budgetMicros, p.currency)}, forecast ${formatMoney(p.forecastMicros, p.currency)}` +
            (p.overBy !== null ? ` (${pctChange(p.overBy)} against the budget)` : '') +
            (p.alert ? ' — OVER BUDGET' : '')),
      'no accounts',
    ),
  );
  out.push(
    ...list(
      'Anomalies this week',
      a.anomalies,
      (x) => `  ${plain(x.day, 10)}  ${plain(x.account, 100)}: ${plain(x.message, 400)}`,
      'none',
    ),
  );
  const currencies = [...new Set(a.daily.map((d) => d.currency))];
  if (currencies.length) {
    out.push('Spend per day:');
    for (const c of currencies)
      out.push(
        `  ${a.daily
          .filter((d) => d.currency === c)
          .map((d) => `${plain(d.day.slice(5), 5)} ${formatMoney(d.micros, c)}`)
          .join(' · ')}`,
      );
  }
  return out;
}

function healthLines(h: NonNullable<ReportData['health']>): string[] {
  return [
    `Health score ${h.score.toFixed(1)}` +
      (h.change !== null && h.previousScore !== null
        ? ` (${signed(h.change)} from ${h.previousScore.toFixed(1)} the crawl before)`
        : ' (no earlier crawl to compare with)') +
      ` · crawl of ${plain(h.crawlDay, 10)} · ${count(h.pages, 'page')}`,
    ...list('New errors', h.newCritical, (i) => `  ${plain(i.title, 120)}: ${plain(i.url)}`, 'none'),
    ...list(
      'Fixed since the crawl before',
      h.fixed,
      (f) => `  ${plain(f.title, 120)}: ${count(f.count, 'page')}`,
      'none',
    ),
    `Trend: ${h.trend.map((t) => `${plain(t.day, 10)} ${t.score.toFixed(1)}`).join(' · ')}`,
  ];
}

/** The whole report as plain text. Sections with no data say so rather than disappear. */
export function reportText(data: ReportData, opts: { url?: string } = {}): string {
  const tz = data.site.timeZone;
  const title = `promowatch weekly report · ${plain(data.site.name, 100)} · ${plain(data.week.week, 10)}`;
  const out = [
    title,
    '='.repeat(title.length),
    `Week ${plain(data.week.week, 10)}: Monday ${plain(data.week.from, 10)} to Sunday ${plain(data.week.to, 10)} (${plain(tz, 60)})`,
    `Site: ${plain(data.site.baseUrl)}`,
  ];
  if (opts.url) out.push(`Dashboard: ${plain(opts.url, 2000)}`);
  out.push(...heading('Visibility'));
  out.push(...(data.visibility ? visibilityLines(data.visibility) : ['No rank tracking data this week.']));
  out.push(...heading('Backlinks'));
  out.push(...(data.backlinks ? backlinksLines(data.backlinks, tz) : ['No backlink data this week.']));
  out.push(...heading('Ads'));
  out.push(...(data.ads ? adsLines(data.ads) : ['No ad spend data this week.']));
  out.push(...heading('Site health'));
  out.push(...(data.health ? healthLines(data.health) : ['No site crawl finished by the end of this week.']));
  out.push(...heading('Job failures'));
  out.push(
    ...(data.jobFailures.length
      ? data.jobFailures.map((f) => `${localTime(f.at, tz)}  ${plain(f.job, 60)}: ${plain(f.error, 500)}`)
      : ['No job failed this week.']),
  );
  if (data.events.length) {
    out.push(...heading('Events'));
    out.push(...data.events.map((e) => `${plain(e.day, 10)}  ${plain(e.title, 200)}`));
  }
  out.push('', `Generated ${localTime(data.generatedAt, tz)} (${plain(tz, 60)}).`);
  return `${out.join('\n')}\n`;
}

/** One line with the week's headline facts, e.g. "promowatch weekly · studio · 2026-W47: visibility +1.2, 2 links lost, spend 48,300 RUB (+12 %)". */
export function reportSubject(data: ReportData): string {
  const facts: string[] = [];
  const v = data.visibility;
  if (v?.change != null) facts.push(`visibility ${signed(v.change)}`);
  else if (v?.now != null) facts.push(`visibility ${v.now.toFixed(1)}`);
  if (data.backlinks?.lost.length) facts.push(`${count(data.backlinks.lost.length, 'link')} lost`);
  const spend = (data.ads?.totals ?? []).filter((t) => t.spendMicros > 0);
  if (spend.length)
    facts.push(
      `spend ${spend
        .map(
          (t) =>
            formatMoney(t.spendMicros, t.currency) +
            (t.spendChange !== null ? ` (${pctChange(t.spendChange)})` : ''),
        )
        .join(' + ')}`,
    );
  if (data.health?.change) facts.push(`health ${signed(data.health.change)}`);
  if (data.jobFailures.length) facts.push(`${count(data.jobFailures.length, 'failed job')}`);
  const head = `promowatch weekly · ${plain(data.site.name, 60)} · ${plain(data.week.week, 10)}`;
  return clip(`${head}: ${facts.length ? facts.join(', ') : 'no data this week'}`, 200);
}
