// What the links cost and what was wasted: cost per live link-day, money paid for days a link was lost or
// devalued (per vendor), renewals due, and how reliable each vendor's links turned out. Pure: rows in.
import { addDays } from '../util/days.ts';
import type { Status } from './state.ts';

export interface MoneyLink {
  id: number;
  vendor: string | null;
  priceMicros: number | null;
  currency: string | null;
  billing: 'one-off' | 'monthly';
  boughtOn: string | null;
  paidUntil: string | null;
  createdAt: string;
  /** The link's current confirmed state and archiving: renewals and waste leave out what is dead or archived. */
  status?: Status;
  archivedAt?: string | null;
}

/**
 * Whether a link belongs in the renewals list: not archived (the owner has dealt with it) and not lost
 * (renewing a link that is gone pays for nothing). A devalued link stays: it is still on the page, its
 * vendor may fix it (a nofollow removed, a page reindexed), and it still brings visitors and brand
 * mentions, so renewing it is the owner's call — the list shows its state beside the date.
 */
export function renewable(l: Pick<MoneyLink, 'status' | 'archivedAt'>): boolean {
  return !l.archivedAt && l.status !== 'lost';
}

export interface StatusEvent {
  backlinkId: number;
  at: string;
  to: Status;
}

const DAY = 86_400_000;
const days = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/**
 * What one day of the link costs, in micros. Monthly: the price × 12 / 365. One-off: the price spread
 * over the paid period, or over a year when the seller gave no end date (the usual promise for
 * "eternal" links; stated in the README so the figure is not mistaken for an exact one).
 */
export function dailyCostMicros(l: MoneyLink): number {
  if (!l.priceMicros) return 0;
  if (l.billing === 'monthly') return (l.priceMicros * 12) / 365;
  const span = l.boughtOn && l.paidUntil ? Math.max(1, days(l.boughtOn, l.paidUntil)) : 365;
  return l.priceMicros / span;
}

/** Status at the end of each day from `from` to `to` (inclusive), from the link's change events. */
export function dailyStatus(events: StatusEvent[], from: string, to: string): Map<string, Status> {
  const out = new Map<string, Status>();
  let i = 0;
  let status: Status = 'unchecked';
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at));
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const end = `${d}T23:59:59.999Z`;
    while (i < sorted.length && sorted[i]!.at <= end) status = sorted[i++]!.to;
    out.set(d, status);
  }
  return out;
}

export interface MoneyReport {
  /** Per currency. */
  totals: Record<
    string,
    { paidMicros: number; liveDays: number; costPerLiveDayMicros: number | null; wastedMicros: number }
  >;
  wastedByVendor: { vendor: string; currency: string; wastedMicros: number; links: number }[];
  /** Per day: links in each state, and money wasted that day per currency. */
  daily: {
    day: string;
    live: number;
    devalued: number;
    lost: number;
    other: number;
    wastedMicros: Record<string, number>;
  }[];
  /** Paid periods ending within 14 days, of links worth renewing (renewable()), soonest first. */
  renewalsDue: { id: number; paidUntil: string; vendor: string | null; status: Status | null }[];
  vendorReliability: { vendor: string; bought: number; lostWithin90Days: number; share: number }[];
}

export function moneyReport(
  links: MoneyLink[],
  events: StatusEvent[],
  today: string,
  from: string,
): MoneyReport {
  const byLink = new Map<number, StatusEvent[]>();
  for (const e of events)
    (byLink.get(e.backlinkId) ?? byLink.set(e.backlinkId, []).get(e.backlinkId)!).push(e);
  const totals: MoneyReport['totals'] = {};
  const vendorWaste = new Map<
    string,
    { vendor: string; currency: string; wastedMicros: number; links: Set<number> }
  >();
  const daily = new Map<string, MoneyReport['daily'][number]>();
  for (let d = from; d <= today; d = addDays(d, 1))
    daily.set(d, { day: d, live: 0, devalued: 0, lost: 0, other: 0, wastedMicros: {} });
  for (const l of links) {
    const start = l.boughtOn ?? l.createdAt.slice(0, 10);
    const end = l.paidUntil && l.paidUntil < today ? l.paidUntil : today;
    const cost = dailyCostMicros(l);
    const currency = l.currency ?? '—';
    const t = (totals[currency] ??= {
      paidMicros: 0,
      liveDays: 0,
      costPerLiveDayMicros: null,
      wastedMicros: 0,
    });
    const statuses = dailyStatus(byLink.get(l.id) ?? [], start < from ? start : from, end);
    for (const [day, status] of statuses) {
      if (day < start) continue;
      t.paidMicros += cost;
      // Archived links still count in what was paid (money spent is spent), not in money wasted: that
      // figure is about links that need attention, and the owner has dealt with these.
      const wasted = (status === 'lost' || status === 'devalued') && !l.archivedAt;
      if (status === 'live') t.liveDays++;
      if (wasted) {
        t.wastedMicros += cost;
        const key = `${l.vendor ?? '(no vendor)'}\n${currency}`;
        const v = vendorWaste.get(key) ?? {
          vendor: l.vendor ?? '(no vendor)',
          currency,
          wastedMicros: 0,
          links: new Set<number>(),
        };
        v.wastedMicros += cost;
        v.links.add(l.id);
        vendorWaste.set(key, v);
      }
      const row = daily.get(day);
      if (row) {
        if (status === 'live' || status === 'devalued' || status === 'lost') row[status]++;
        else row.other++;
        if (wasted) row.wastedMicros[currency] = (row.wastedMicros[currency] ?? 0) + cost;
      }
    }
  }
  for (const t of Object.values(totals))
    t.costPerLiveDayMicros = t.liveDays > 0 ? t.paidMicros / t.liveDays : null;
  const horizon = addDays(today, 14);
  const renewalsDue = links
    .filter((l) => l.paidUntil && l.paidUntil >= today && l.paidUntil <= horizon && renewable(l))
    .map((l) => ({ id: l.id, paidUntil: l.paidUntil!, vendor: l.vendor, status: l.status ?? null }))
    .sort((a, b) => a.paidUntil.localeCompare(b.paidUntil));
  const reliability = new Map<string, { vendor: string; bought: number; lostWithin90Days: number }>();
  for (const l of links) {
    if (!l.boughtOn || !l.vendor) continue;
    const r = reliability.get(l.vendor) ?? { vendor: l.vendor, bought: 0, lostWithin90Days: 0 };
    r.bought++;
    const limit = `${addDays(l.boughtOn, 90)}T23:59:59.999Z`;
    if ((byLink.get(l.id) ?? []).some((e) => e.to === 'lost' && e.at <= limit)) r.lostWithin90Days++;
    reliability.set(l.vendor, r);
  }
  return {
    totals,
    wastedByVendor: [...vendorWaste.values()]
      .map((v) => ({
        vendor: v.vendor,
        currency: v.currency,
        wastedMicros: Math.round(v.wastedMicros),
        links: v.links.size,
      }))
      .sort((a, b) => b.wastedMicros - a.wastedMicros),
    daily: [...daily.values()],
    renewalsDue,
    vendorReliability: [...reliability.values()]
      .map((r) => ({ ...r, share: r.lostWithin90Days / r.bought }))
      .sort((a, b) => b.share - a.share),
  };
}

/** A link as the "money told straight" views need it: what was paid, and its current confirmed state. */
export interface DeadLinkInput extends MoneyLink {
  donorUrl: string;
  status: Status;
  /** When the current state was confirmed (ISO time). */
  statusSince: string | null;
  archivedAt: string | null;
}

export interface DeadLink {
  id: number;
  donorUrl: string;
  vendor: string | null;
  status: 'lost' | 'devalued';
  billing: 'one-off' | 'monthly';
  /** The price paid (one-off) or the monthly fee; null when the owner recorded no price. */
  priceMicros: number | null;
  currency: string | null;
  /** The day (in the site's zone) the loss was confirmed, and whole days since then. */
  since: string | null;
  days: number | null;
  /** A monthly fee still running after the loss: not archived and paid on (no end date, or it ends today or later). */
  stillPaying: boolean;
}

export interface DeadLinkTotals {
  currency: string;
  links: number;
  /** Prices of one-off links now lost or devalued: what was paid for them, not a share of it. */
  oneOffMicros: number;
  /** Monthly fees of dead links, and the part of them still being paid each month. */
  monthlyMicros: number;
  stillPayingMonthlyMicros: number;
}

/**
 * The lost and devalued links with the money as the owner paid it: the whole price of a one-off link,
 * the monthly fee of a monthly one, since when it is dead, and whether its fee is still running.
 * Archived links are left out (the owner has dealt with them). Newest loss first. `dayOf` turns an ISO
 * time into the site's day. The pro-rated "paid for dead days" stays in moneyReport as a secondary figure.
 */
export function deadLinks(
  links: DeadLinkInput[],
  today: string,
  dayOf: (iso: string) => string,
): { links: DeadLink[]; totals: DeadLinkTotals[] } {
  const out: DeadLink[] = [];
  for (const l of links) {
    if (l.archivedAt || (l.status !== 'lost' && l.status !== 'devalued')) continue;
    const since = l.statusSince ? dayOf(l.statusSince) : null;
    out.push({
      id: l.id,
      donorUrl: l.donorUrl,
      vendor: l.vendor,
      status: l.status,
      billing: l.billing,
      priceMicros: l.priceMicros,
      currency: l.currency,
      since,
      days: since ? Math.max(0, days(since, today)) : null,
      stillPaying: l.billing === 'monthly' && (l.paidUntil === null || l.paidUntil >= today),
    });
  }
  out.sort((a, b) => (b.since ?? '').localeCompare(a.since ?? '') || a.id - b.id);
  const totals = new Map<string, DeadLinkTotals>();
  for (const l of out) {
    const currency = l.currency ?? '—';
    const t = totals.get(currency) ?? {
      currency,
      links: 0,
      oneOffMicros: 0,
      monthlyMicros: 0,
      stillPayingMonthlyMicros: 0,
    };
    t.links++;
    const price = l.priceMicros ?? 0;
    if (l.billing === 'one-off') t.oneOffMicros += price;
    else {
      t.monthlyMicros += price;
      if (l.stillPaying) t.stillPayingMonthlyMicros += price;
    }
    totals.set(currency, t);
  }
  return { links: out, totals: [...totals.values()] };
}

/** `day` plus `n` calendar months, kept within the month (31 Jan + 1 month = 28 or 29 Feb). */
function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * What was paid for a link so far: a one-off price once; a monthly fee once per month started from the
 * purchase, up to the day it is paid until (a month starting that day is not paid), or up to today when
 * no end was recorded (the fee is paid at the start of each month, so the current month counts).
 */
export function spentMicros(l: MoneyLink, today: string): number {
  if (!l.priceMicros) return 0;
  if (l.billing === 'one-off') return l.priceMicros;
  const start = l.boughtOn ?? l.createdAt.slice(0, 10);
  const end = l.paidUntil ?? addDays(today, 1);
  let months = 1;
  while (addMonths(start, months) < end) months++;
  return l.priceMicros * months;
}

export interface VendorRow {
  /** null: links recorded without a vendor. */
  vendor: string | null;
  links: number;
  /** Links now lost or devalued, and their share of the vendor's links. */
  dead: number;
  lossRate: number;
  /** Per currency (never added across currencies): all paid so far, and the part paid for links now dead. */
  spent: { currency: string; micros: number }[];
  spentOnDead: { currency: string; micros: number }[];
  /**
   * Median days from purchase to loss, with live links counted as alive so far (a Kaplan–Meier estimate,
   * so young links do not make a vendor look worse or better than it is). `atLeast`: fewer than half of
   * the links have died yet, so the median is longer than the longest time observed, `days`. null: no links.
   */
  lifetime: { days: number; atLeast: boolean } | null;
}

/**
 * Kaplan–Meier median of lifetimes where some are still running (censored): at each day a link died,
 * survival falls by the share of links still under watch that died that day; the median is the first day
 * survival reaches one half. See https://en.wikipedia.org/wiki/Kaplan%E2%80%93Meier_estimator.
 */
export function medianLifetime(items: { days: number; died: boolean }[]): VendorRow['lifetime'] {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => a.days - b.days);
  let survival = 1;
  for (let i = 0; i < sorted.length;) {
    const t = sorted[i]!.days;
    const atRisk = sorted.length - i;
    let deaths = 0;
    for (; i < sorted.length && sorted[i]!.days === t; i++) if (sorted[i]!.died) deaths++;
    survival *= 1 - deaths / atRisk;
    if (survival <= 0.5) return { days: t, atLeast: false };
  }
  return { days: sorted.at(-1)!.days, atLeast: true };
}

/**
 * The vendor table: per vendor, links bought, how many are now lost or devalued, what was spent in all
 * and on the dead ones, and how long its links live. Archived links count: this is the vendor's record,
 * and archiving a dead link must not clean it. A link's life runs from its purchase (or the day it was
 * entered) to the day its loss was confirmed; `dayOf` turns an ISO time into the site's day.
 */
export function vendorTable(
  links: DeadLinkInput[],
  today: string,
  dayOf: (iso: string) => string,
): VendorRow[] {
  const groups = new Map<string | null, DeadLinkInput[]>();
  for (const l of links) (groups.get(l.vendor) ?? groups.set(l.vendor, []).get(l.vendor)!).push(l);
  const add = (into: Map<string, number>, currency: string | null, micros: number) => {
    if (micros > 0) into.set(currency ?? '—', (into.get(currency ?? '—') ?? 0) + micros);
  };
  const list = (m: Map<string, number>) =>
    [...m]
      .map(([currency, micros]) => ({ currency, micros: Math.round(micros) }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
  const rows: VendorRow[] = [];
  for (const [vendor, group] of groups) {
    const spent = new Map<string, number>();
    const spentOnDead = new Map<string, number>();
    const lives: { days: number; died: boolean }[] = [];
    let dead = 0;
    for (const l of group) {
      const paid = spentMicros(l, today);
      add(spent, l.currency, paid);
      const start = l.boughtOn ?? l.createdAt.slice(0, 10);
      const died = l.status === 'lost' || l.status === 'devalued';
      if (died) {
        dead++;
        add(spentOnDead, l.currency, paid);
      }
      // A dead link whose loss has no date cannot say how long it lived; it still counts as dead above.
      const end = died ? (l.statusSince ? dayOf(l.statusSince) : null) : today;
      if (end) lives.push({ days: Math.max(0, days(start, end)), died });
    }
    rows.push({
      vendor,
      links: group.length,
      dead,
      lossRate: dead / group.length,
      spent: list(spent),
      spentOnDead: list(spentOnDead),
      lifetime: medianLifetime(lives),
    });
  }
  return rows.sort(
    (a, b) => b.lossRate - a.lossRate || b.links - a.links || (a.vendor ?? '').localeCompare(b.vendor ?? ''),
  );
}
