// The weekly report as plain text (terminal and the email's text/plain part) and its one-line subject,
// in the report's language (messages/report.ts).
import { clip } from '../notify/format.ts';
import { dayIn } from '../util/days.ts';
import type { KeywordMove, LinkEvent, ReportData } from './types.ts';
import {
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
  pacingSentence,
  plain,
  position,
  reasons,
  visibilitySentence,
  where,
  wording,
  type Wording,
} from './wording.ts';

function heading(title: string): string[] {
  return ['', title, '-'.repeat(title.length)];
}

function moveLine(w: Wording, m: KeywordMove): string {
  return `  ${change(w, m).padStart(6)}  ${plain(m.query)} (${where(w, m)}): ${position(w, m.before)} -> ${position(w, m.after)}`;
}

/** "Title: none", or the title and one line per item. */
function list<T>(w: Wording, title: string, items: readonly T[], line: (item: T) => string, none = w.t.none) {
  if (items.length === 0) return [`${title}: ${none}`];
  return [`${title}:`, ...items.map(line)];
}

function visibilityLines(w: Wording, v: NonNullable<ReportData['visibility']>): string[] {
  const t = w.t.visibility;
  const move = (m: KeywordMove) => moveLine(w, m);
  return [
    visibilitySentence(w, v),
    ...list(w, t.gains, v.gains, move),
    ...list(w, t.losses, v.losses, move),
    ...list(w, t.enteredTop10, v.enteredTop10, move),
    ...list(w, t.leftTop10, v.leftTop10, move),
    ...list(
      w,
      t.mismatches,
      v.mismatches,
      (m) => `  ${t.mismatch(plain(m.query), plain(m.url), plain(m.target))}`,
    ),
    failedChecks(w, v),
  ];
}

function backlinksLines(w: Wording, b: NonNullable<ReportData['backlinks']>, timeZone: string): string[] {
  const t = w.t.backlinks;
  const vendor = (v: string | null) => (v ? ` · ${t.vendor(plain(v, 100))}` : '');
  const event = (e: LinkEvent) => {
    const paid = paidFor(w, e);
    return (
      `  ${w.fmt.day(dayIn(new Date(e.at), timeZone))}  ${plain(e.donorUrl)} -> ${plain(e.target)}` +
      vendor(e.vendor) +
      (paid ? ` · ${paid}` : '') +
      (e.reasons.length ? ` · ${reasons(w, e.reasons)}` : '')
    );
  };
  return [
    liveLinks(w, b.live, b.total),
    ...list(w, t.lost, b.lost, event),
    ...list(w, t.devalued, b.devalued, event),
    ...list(w, t.recovered, b.recovered, event),
    ...deadMoneyLines(w, b).map((l) => l.text),
    ...list(
      w,
      t.renewals(w.fmt.days(14)),
      b.renewalsDue,
      (r) => `  ${w.fmt.day(r.paidUntil)}  ${plain(r.donorUrl)}${vendor(r.vendor)}`,
    ),
  ];
}

function adsLines(w: Wording, a: NonNullable<ReportData['ads']>): string[] {
  const t = w.t.ads;
  const out: string[] = [];
  for (const x of a.totals) {
    const m = (micros: number | null) => moneyOrNone(w, micros, x.currency);
    const currency = plain(x.currency, 10);
    out.push(
      x.spendChange !== null
        ? t.spend(currency, m(x.spendMicros), w.fmt.signedPercent(x.spendChange), m(x.prevSpendMicros))
        : t.spendNoBefore(currency, m(x.spendMicros)),
      `  ${t.impressions(x.impressions)} · ${t.clicks(x.clicks)} · CTR ${x.ctr === null ? w.t.noValue : w.fmt.percent(x.ctr, 2)} · CPC ${m(x.cpcMicros)}`,
      `  ${t.conversions(x.conversions)} · CPA ${m(x.cpaMicros)} · ${t.value} ${m(x.valueMicros)} · ROAS ${x.roas === null ? w.t.noValue : w.fmt.fixed(x.roas, 2)}`,
    );
  }
  out.push(...list(w, t.pacing, a.pacing, (p) => `  ${pacingSentence(w, p)}`, t.noAccounts));
  out.push(
    ...list(
      w,
      t.anomalies,
      a.anomalies,
      (x) => `  ${w.fmt.day(x.day)}  ${plain(x.account, 100)}: ${anomalyText(w, x)}`,
    ),
  );
  const currencies = [...new Set(a.daily.map((d) => d.currency))];
  if (currencies.length) {
    out.push(`${t.spendPerDay}:`);
    for (const c of currencies)
      out.push(
        `  ${a.daily
          .filter((d) => d.currency === c)
          .map((d) => `${w.fmt.dayShort(d.day)} ${money(w, d.micros, c)}`)
          .join(' · ')}`,
      );
  }
  return out;
}

function healthLines(w: Wording, h: NonNullable<ReportData['health']>): string[] {
  const t = w.t.health;
  return [
    healthSentence(w, h),
    ...list(w, t.newErrors, h.newCritical, (i) => `  ${plain(i.title, 120)}: ${plain(i.url)}`),
    ...list(w, t.fixed, h.fixed, (f) => `  ${plain(f.title, 120)}: ${t.pages(f.count)}`),
    t.trend(h.trend.map((p) => `${w.fmt.dayShort(p.day)} ${w.fmt.fixed(p.score, 1)}`).join(' · ')),
  ];
}

/** The whole report as plain text. Sections with no data say so rather than disappear. */
export function reportText(data: ReportData, opts: { url?: string } = {}): string {
  const w = wording(data);
  const { t, fmt } = w;
  const tz = plain(data.site.timeZone, 60);
  const week = plain(data.week.week, 10);
  const title = t.title(plain(data.site.name, 100), week);
  const out = [
    title,
    '='.repeat(title.length),
    t.weekLine(week, fmt.dayRange(data.week.from, data.week.to), tz),
    t.siteLine(plain(data.site.baseUrl)),
  ];
  if (opts.url) out.push(`${t.dashboard}: ${plain(opts.url, 2000)}`);
  out.push(...heading(t.sections.visibility));
  out.push(...(data.visibility ? visibilityLines(w, data.visibility) : [t.noData.visibility]));
  out.push(...heading(t.sections.backlinks));
  out.push(
    ...(data.backlinks ? backlinksLines(w, data.backlinks, data.site.timeZone) : [t.noData.backlinks]),
  );
  out.push(...heading(t.sections.ads));
  out.push(...(data.ads ? adsLines(w, data.ads) : [t.noData.ads]));
  out.push(...heading(t.sections.health));
  out.push(...(data.health ? healthLines(w, data.health) : [t.noData.health]));
  out.push(...heading(t.sections.jobs));
  out.push(
    ...(data.jobFailures.length
      ? data.jobFailures.map((f) => `${fmt.dateTime(f.at)}  ${plain(f.job, 60)}: ${jobError(w, f)}`)
      : [t.noData.jobs]),
  );
  if (data.events.length) {
    out.push(...heading(t.sections.events));
    out.push(...data.events.map((e) => `${fmt.day(e.day)}  ${plain(e.title, 200)}`));
  }
  out.push('', t.generated(fmt.dateTime(data.generatedAt), tz));
  return `${out.join('\n')}\n`;
}

/**
 * One line with the week's headline facts, e.g. "promowatch weekly · studio · 2026-W47: visibility +1.2,
 * 2 links lost, spend ₽48,300 (+12%)" or "promowatch, неделя 2026-W47 · studio: видимость +1,2, …".
 */
export function reportSubject(data: ReportData): string {
  const w = wording(data);
  const { t, fmt } = w;
  const facts: string[] = [];
  const v = data.visibility;
  if (v?.change != null) facts.push(t.subject.visibility(fmt.signed(v.change, 1)));
  else if (v?.now != null) facts.push(t.subject.visibility(fmt.percent(v.now / 100, 1)));
  if (data.backlinks?.lost.length) facts.push(t.subject.linksLost(data.backlinks.lost.length));
  const spend = (data.ads?.totals ?? []).filter((x) => x.spendMicros > 0);
  if (spend.length)
    facts.push(
      t.subject.spend(
        spend
          .map(
            (x) =>
              money(w, x.spendMicros, x.currency) +
              (x.spendChange !== null ? ` (${fmt.signedPercent(x.spendChange)})` : ''),
          )
          .join(' + '),
      ),
    );
  if (data.health?.change) facts.push(t.subject.health(fmt.signed(data.health.change, 1)));
  if (data.jobFailures.length) facts.push(t.subject.failedJobs(data.jobFailures.length));
  return clip(
    t.subject.line(
      plain(data.site.name, 60),
      plain(data.week.week, 10),
      facts.length ? facts.join(', ') : t.subject.noData,
    ),
    200,
  );
}
