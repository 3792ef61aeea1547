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
  renewalsDue: { id: number; paidUntil: string; vendor: string | null }[];
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
      const wasted = status === 'lost' || status === 'devalued';
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
    .filter((l) => l.paidUntil && l.paidUntil >= today && l.paidUntil <= horizon)
    .map((l) => ({ id: l.id, paidUntil: l.paidUntil!, vendor: l.vendor }))
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
