// The weekly report's facts worded in its language: the sentences and figures the text part, both HTML
// variants and the subject share, so every output says a thing the same way (messages/report.ts).
import {
  DEFAULT_LANG,
  formatter,
  isLang,
  messages,
  type Formatter,
  type Lang,
  type Messages,
} from '../i18n/index.ts';
import { clip } from '../notify/format.ts';
import { parseReason, reasonText } from '../backlinks/reasons.ts';
import type {
  AdsSection,
  BacklinksSection,
  HealthSection,
  JobFailure,
  KeywordMove,
  LinkEvent,
  ReportData,
  VisibilitySection,
} from './types.ts';

export interface Wording {
  lang: Lang;
  t: Messages['report'];
  /** In the report's language and the site's time zone. */
  fmt: Formatter;
}

/** The report's language (an archived report made before reports had one is English) and its words. */
export function wording(data: Pick<ReportData, 'lang' | 'site'>): Wording {
  const lang = isLang(data.lang) ? data.lang : DEFAULT_LANG;
  return { lang, t: messages(lang).report, fmt: formatter(lang, data.site.timeZone) };
}

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

/** A stored value with a name in the catalogue ("yandex" → "Яндекс"), else the value itself. */
function named(names: Record<string, string>, value: string, max: number): string {
  return Object.hasOwn(names, value) ? names[value]! : plain(value, max);
}

export const money = (w: Wording, micros: number, currency: string) =>
  w.fmt.money(micros, plain(currency, 10));
export const moneyOrNone = (w: Wording, micros: number | null, currency: string) =>
  micros === null ? w.t.noValue : money(w, micros, currency);
/** Amounts in several currencies, each on its own: they are never added up. */
export const moneyList = (w: Wording, items: { micros: number; currency: string }[]) =>
  items.length ? items.map((i) => money(w, i.micros, i.currency)).join(', ') : w.t.none;

/** A rank position: "9", "12.5", or "not in top 100". */
export const position = (w: Wording, p: number | null) =>
  p === null ? w.t.visibility.notInTop100 : w.fmt.number(p, 1);
/** A keyword move: "+61", "−5.5". */
export const change = (w: Wording, m: KeywordMove) => w.fmt.signed(m.change, 1);
export const engine = (w: Wording, e: string) => named(messages(w.lang).common.engines, e, 20);
export const device = (w: Wording, d: string) => named(messages(w.lang).common.devices, d, 20);
/** Where a keyword is tracked: "Google · Moscow · desktop" (the region is the user's own). */
export const where = (w: Wording, m: KeywordMove) =>
  `${engine(w, m.engine)} · ${plain(m.region, 60)} · ${device(w, m.device)}`;
// The platforms' own names (src/ads/platforms/), as the dashboard shows them.
export const platform = (w: Wording, p: string) => named(messages(w.lang).ads.platforms, p, 30);
/** "Direct · studio (Yandex Direct)". */
export const account = (w: Wording, name: string, p: string) => `${plain(name, 100)} (${platform(w, p)})`;
/** The CTR curve's name: "sistrix", or "custom" in the report's language. */
export const curve = (w: Wording, c: string) => (c === 'custom' ? w.t.visibility.customCurve : plain(c, 30));

/** The visibility index as a percentage: 12.34 → "12.34%" / "12,34 %". */
const index = (w: Wording, x: number | null) =>
  x === null ? w.t.visibility.notObserved : w.fmt.percent(x / 100, 2);

export function visibilitySentence(w: Wording, v: VisibilitySection): string {
  return v.change !== null
    ? w.t.visibility.indexChange(
        curve(w, v.curve),
        index(w, v.now),
        w.fmt.signed(v.change, 2),
        index(w, v.before),
      )
    : w.t.visibility.indexNoChange(curve(w, v.curve), index(w, v.now), index(w, v.before));
}

export const failedChecks = (w: Wording, v: VisibilitySection) =>
  w.t.visibility.failedChecks(w.fmt.number(v.failedChecks));

export const liveLinks = (w: Wording, live: number, total: number) =>
  w.t.backlinks.live(w.fmt.number(live), w.fmt.number(total));

/**
 * What was paid for a link, as paid: "₽8,000 one-off" or "₽400/month"; null in a report archived before
 * reports told it.
 */
export function paidFor(w: Wording, e: LinkEvent): string | null {
  if (e.priceMicros === undefined) return null;
  if (e.priceMicros === null) return w.t.backlinks.noPrice;
  const price = money(w, e.priceMicros, e.currency ?? '');
  return e.billing === 'monthly' ? w.t.backlinks.monthly(price) : w.t.backlinks.oneOff(price);
}

/**
 * The money of links dead at the week's end, as it was paid, then the fees still running, then the
 * pro-rated estimate last: sentences with a tone ('bad' when money is going to dead links).
 */
export function deadMoneyLines(w: Wording, b: BacklinksSection): { text: string; bad: boolean }[] {
  const t = w.t.backlinks;
  const out: { text: string; bad: boolean }[] = [];
  if (b.dead) {
    const links = b.dead.reduce((n, d) => n + d.links, 0);
    if (links === 0) out.push({ text: t.noDead, bad: false });
    else {
      // Each currency on its own: "₽16,200 one-off + ₽400/month, $50 one-off".
      const paid = b.dead
        .map((d) =>
          [
            d.oneOffMicros > 0 && t.oneOff(money(w, d.oneOffMicros, d.currency)),
            d.monthlyMicros > 0 && t.monthly(money(w, d.monthlyMicros, d.currency)),
          ]
            .filter(Boolean)
            .join(' + '),
        )
        .filter(Boolean)
        .join(', ');
      out.push({ text: t.dead(t.links(links), paid || null), bad: true });
      const running = b.dead
        .filter((d) => d.stillPayingMonthlyMicros > 0)
        .map((d) => t.monthly(money(w, d.stillPayingMonthlyMicros, d.currency)));
      out.push(
        running.length
          ? { text: t.stillPaying(running.join(', ')), bad: true }
          : { text: t.notPaying, bad: false },
      );
    }
  }
  out.push({ text: t.wasted(moneyList(w, b.wasted)), bad: false });
  return out;
}

/** Why a link was lost or devalued, each reason in the report's language where its wording is known. */
export const reasons = (w: Wording, list: string[]) =>
  list
    .map((r) => plain(reasonText(parseReason(r), messages(w.lang).backlinks.reasons, w.fmt), 200))
    .join('; ');

export function healthSentence(w: Wording, h: HealthSection): string {
  const day = w.fmt.day(h.crawlDay);
  return h.change !== null && h.previousScore !== null
    ? w.t.health.score(
        w.fmt.fixed(h.score, 1),
        w.fmt.signed(h.change, 1),
        w.fmt.fixed(h.previousScore, 1),
        day,
        h.pages,
      )
    : w.t.health.scoreFirst(w.fmt.fixed(h.score, 1), day, h.pages);
}

/** A budget line: month to date, budget, forecast, and the overrun when there is one. */
export function pacingSentence(w: Wording, p: AdsSection['pacing'][number]): string {
  const m = (x: number) => money(w, x, p.currency);
  const who = account(w, p.account, p.platform);
  if (p.budgetMicros === null)
    return w.t.ads.pacingNoBudget(who, m(p.monthToDateMicros), m(p.forecastMicros));
  return w.t.ads.pacingBudget(
    who,
    m(p.monthToDateMicros),
    m(p.budgetMicros),
    m(p.forecastMicros),
    p.overBy === null ? null : w.fmt.signedPercent(p.overBy),
    p.alert,
  );
}

/** An unusual day of a campaign: "Brand: spend spike — ₽9,000 against a usual ₽3,000". */
export function anomalyText(w: Wording, a: AdsSection['anomalies'][number]): string {
  const campaign = plain(a.campaign, 100);
  const value = a.value ?? 0;
  const usual = a.baseline ?? 0;
  const m = (x: number) => money(w, x, a.currency);
  const said = w.t.ads.anomaly;
  switch (a.kind) {
    case 'spend-spike':
      return said.spendSpike(campaign, m(value), m(usual));
    case 'cpa-jump':
      return said.cpaJump(campaign, m(value), m(usual));
    case 'ctr-drop':
      return said.ctrDrop(campaign, w.fmt.percent(value, 2), w.fmt.percent(usual, 2));
    case 'zero-impressions':
      return said.zeroImpressions(campaign, Math.round(usual));
  }
}

export const jobError = (w: Wording, f: JobFailure) =>
  f.error === null ? w.t.jobs.noMessage : plain(f.error, 500);
