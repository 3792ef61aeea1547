// The demo's simulated ad market: the studio's Yandex Direct and Google Ads accounts and what their
// campaigns did on each of the last 120 days. Deterministic (seeded hashes, no Math.random): weekday
// seasonality, daily noise, bids raised across the Direct account nine days ago (this month's pace runs a
// quarter over its budget) and one day, five days ago, when a Google Ads search campaign spent three to
// four times its usual. The simulated APIs (ads-apis.ts) serve it to the real platform clients.
import type { FakeCampaignDay, FakeCustomer } from './servers/google-ads.ts';
import type { DirectCampaignDay } from './servers/yandex-direct.ts';
import { pacing, pacingFrom } from '../ads/pacing.ts';
import type { AccountInput } from '../ads/store.ts';
import type { DailyRow, Platform } from '../ads/types.ts';
import { addDays } from '../util/days.ts';

/** Days with campaign activity, the simulated today included. */
export const ADS_HISTORY_DAYS = 120;
/** Days before today on which Direct's bids were raised, and on which the spend spike happened. */
export const BIDS_RAISED_AGE = 9;
export const SPIKE_AGE = 5;
/** How far this month's forecast runs over the Direct budget, and the share of its budget Google Ads uses. */
export const DIRECT_OVER_BUDGET = 0.25;
export const GOOGLE_BUDGET_USE = 0.85;

// Both accounts report in Moscow time: UTC+3 all year since 2014, so a day starts at 21:00 UTC.
const TZ = 'Europe/Moscow';
const UTC_OFFSET = '+03:00';

interface CampaignSpec {
  id: string;
  name: string;
  /** A usual weekday: impressions, CTR, cost per click and conversion rate, value of a conversion. */
  impressions: number;
  ctr: number;
  cpc: number;
  cr: number;
  value: number;
}

interface AccountSpec {
  platform: Platform;
  externalId: string;
  name: string;
  currency: string;
  /** Its bids went up BIDS_RAISED_AGE days ago. */
  bidsRaised: boolean;
  campaigns: CampaignSpec[];
}

const DIRECT: AccountSpec = {
  platform: 'yandex-direct',
  externalId: 'kadr-studio',
  name: 'Кадр — Директ',
  currency: 'RUB',
  bidsRaised: true,
  campaigns: [
    // prettier-ignore
    { id: '70412583', name: 'Поиск — видеопродакшн', impressions: 3200, ctr: 0.055, cpc: 38, cr: 0.06, value: 2_600 },
    // prettier-ignore
    { id: '70412591', name: 'Поиск — моушн-дизайн', impressions: 2100, ctr: 0.05, cpc: 41, cr: 0.07, value: 2_200 },
    // prettier-ignore
    { id: '70419904', name: 'РСЯ — ретаргетинг', impressions: 48_000, ctr: 0.0045, cpc: 9, cr: 0.04, value: 1_000 },
    // prettier-ignore
    { id: '70420117', name: 'Бренд — Кадр', impressions: 380, ctr: 0.18, cpc: 7, cr: 0.14, value: 500 },
  ],
};

const GOOGLE: AccountSpec = {
  platform: 'google-ads',
  externalId: '4817302659',
  name: 'Kadr Studio — Google Ads',
  currency: 'USD',
  bidsRaised: false,
  campaigns: [
    // prettier-ignore
    { id: '21873340512', name: 'Search — motion design studio', impressions: 1400, ctr: 0.06, cpc: 2.1, cr: 0.03, value: 420 },
    // prettier-ignore
    { id: '21880195437', name: 'Performance Max — explainer videos', impressions: 9000, ctr: 0.011, cpc: 0.85, cr: 0.018, value: 300 },
  ],
};

const SPIKE_CAMPAIGN = GOOGLE.campaigns[0]!;

/** Monday … Sunday: a studio's clients search on working days. */
const WEEKDAY = [1, 1.05, 1.05, 1, 0.9, 0.6, 0.65];

/** One campaign's day: money in micros of the account's currency, cost without VAT. */
export interface CampaignDay {
  campaignId: string;
  campaignName: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  valueMicros: number;
}

export interface AdsWorld {
  today: string;
  firstDay: string;
  bidsRaisedDay: string;
  spike: { day: string; platform: Platform; campaignId: string; campaignName: string };
  /** The two accounts as the demo adds them (monthly budgets included). */
  accounts: AccountInput[];
  /** The Google Ads customer as the API describes it (FROM customer). */
  googleCustomers: Record<string, FakeCustomer>;
  /** Every campaign of an account on a day, as the platform measures it at `at` (today's day so far;
   * nothing for days after `at` or before the first day). */
  rows(platform: Platform, day: string, at: Date): DailyRow[];
  /** The same for Yandex Direct's stand-in: cost with VAT, as Direct keeps it. */
  directDays(clientLogin: string, day: string, at: Date): DirectCampaignDay[];
  /** The same for the Google Ads stand-in. */
  googleDays(customerId: string, day: string, at: Date): FakeCampaignDay[];
}

/** 32-bit murmur-style hash of a string, as a number in [0, 1). */
function unit(...parts: string[]): number {
  let h = 0x2f6b7a1d;
  for (const ch of parts.join('\u0000')) {
    h = Math.imul(h ^ ch.codePointAt(0)!, 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** 1 ± amplitude, uniform, the same for the same campaign, day and quantity. */
const jitter = (amplitude: number, ...key: string[]) => 1 + amplitude * (2 * unit(...key) - 1);

const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
const cents = (units: number) => Math.round(units * 100) * 10_000;

/**
 * A campaign's whole day. Impressions follow the weekday with a slow growth (a tenth over the 120 days);
 * noise is ±4 % on impressions and conversion rate, ±3 % on CTR and CPC. Raised bids: 15 % dearer
 * clicks, 3 % more impressions and CTR from higher places. Noise and raise stay small enough that no day
 * but the spike reaches the anomaly detector's "half again the usual" for spend or cost per conversion
 * (src/ads/anomalies.ts; the worst other day, over four years of start dates, is 1.42 ×). The spike: a
 * broad-match query trending for a day, 3.4 × the impressions, clicks at the usual price, leads at a
 * slightly worse rate (so the cost per lead stays within reason and only the spend is flagged).
 */
function fullDay(
  w: { today: string; bidsRaisedDay: string; spikeDay: string },
  account: AccountSpec,
  c: CampaignSpec,
  day: string,
): CampaignDay {
  const age = (Date.parse(`${w.today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;
  const growth = 1 + 0.1 * (1 - age / ADS_HISTORY_DAYS);
  const raised = account.bidsRaised && day >= w.bidsRaisedDay;
  const spike = c === SPIKE_CAMPAIGN && day === w.spikeDay;
  const impressions = Math.round(
    c.impressions *
      WEEKDAY[weekday(day)]! *
      growth *
      jitter(0.04, c.id, day, 'impressions') *
      (raised ? 1.03 : 1) *
      (spike ? 3.4 : 1),
  );
  const clicks = Math.round(
    impressions * c.ctr * jitter(0.03, c.id, day, 'ctr') * (raised ? 1.03 : 1) * (spike ? 1.06 : 1),
  );
  const costMicros = cents(clicks * c.cpc * jitter(0.03, c.id, day, 'cpc') * (raised ? 1.15 : 1));
  const expected = clicks * c.cr * jitter(0.04, c.id, day, 'cr') * (spike ? 0.8 : 1);
  // Direct counts whole goal completions; Google Ads' data-driven attribution hands out fractions.
  const conversions =
    account.platform === 'yandex-direct' ? Math.round(expected) : Math.round(expected * 100) / 100;
  return {
    campaignId: c.id,
    campaignName: c.name,
    impressions,
    clicks,
    costMicros,
    conversions,
    valueMicros: cents(conversions * c.value),
  };
}

/** The part of `day` that has passed at `at`: 0 before it starts, 1 once it is over. */
function dayShare(day: string, at: Date): number {
  const start = Date.parse(`${day}T00:00:00${UTC_OFFSET}`);
  return Math.min(1, Math.max(0, (at.getTime() - start) / 86_400_000));
}

/** What the platform has counted of a day by the time `share` of it has passed. */
function soFar(d: CampaignDay, share: number, wholeConversions: boolean): CampaignDay {
  if (share >= 1) return d;
  const conversions = wholeConversions
    ? Math.floor(d.conversions * share)
    : Math.round(d.conversions * share * 100) / 100;
  return {
    ...d,
    impressions: Math.round(d.impressions * share),
    clicks: Math.round(d.clicks * share),
    costMicros: Math.round((d.costMicros * share) / 10_000) * 10_000,
    conversions,
    valueMicros:
      d.conversions > 0 ? Math.round((d.valueMicros * conversions) / d.conversions / 10_000) * 10_000 : 0,
  };
}

/** The simulated ad market as it stands on `today` (YYYY-MM-DD in Moscow). */
export function adsWorld(opts: { today: string }): AdsWorld {
  const today = opts.today;
  const w = {
    today,
    bidsRaisedDay: addDays(today, -BIDS_RAISED_AGE),
    spikeDay: addDays(today, -SPIKE_AGE),
  };
  const firstDay = addDays(today, -(ADS_HISTORY_DAYS - 1));
  const specs = [DIRECT, GOOGLE];
  const spec = (platform: Platform) => specs.find((a) => a.platform === platform);

  function days(account: AccountSpec, day: string, at: Date): CampaignDay[] {
    if (day < firstDay || day > today) return [];
    const share = dayShare(day, at);
    if (share <= 0) return [];
    return account.campaigns.map((c) =>
      soFar(fullDay(w, account, c, day), share, account.platform === 'yandex-direct'),
    );
  }

  const spend = (account: AccountSpec, day: string) =>
    account.campaigns.reduce((s, c) => s + fullDay(w, account, c, day).costMicros, 0);

  /**
   * The month-end forecast the dashboard and the budget alert (pacing()) make today, from the same days
   * they read: pacingFrom(today) on, so early in a month the last week's pace reaches into the previous
   * one (with only this month's days the pace of the 2nd–7th came out a seventh per day short, and the
   * budget made from it up to ten times too small). Today's share of a day does not move it.
   */
  function forecast(account: AccountSpec): number {
    const daily = new Map<string, number>();
    for (let d = pacingFrom(today); d <= today; d = addDays(d, 1)) daily.set(d, spend(account, d));
    return pacing(daily, today, null).forecastMicros;
  }

  /** A budget this month's forecast runs `over` past (negative: stays under), rounded as people round budgets. */
  function budget(account: AccountSpec, over: number, step: number): number {
    const unitMicros = step * 1_000_000;
    return Math.round(forecast(account) / (1 + over) / unitMicros) * unitMicros;
  }

  const account = (a: AccountSpec, monthlyBudgetMicros: number): AccountInput => ({
    platform: a.platform,
    externalId: a.externalId,
    name: a.name,
    currency: a.currency,
    timeZone: TZ,
    costIncludesVat: false,
    monthlyBudgetMicros,
    credentials: {},
    lookbackDays: null,
  });

  return {
    today,
    firstDay,
    bidsRaisedDay: w.bidsRaisedDay,
    spike: {
      day: w.spikeDay,
      platform: GOOGLE.platform,
      campaignId: SPIKE_CAMPAIGN.id,
      campaignName: SPIKE_CAMPAIGN.name,
    },
    accounts: [
      account(DIRECT, budget(DIRECT, DIRECT_OVER_BUDGET, 5000)),
      account(GOOGLE, budget(GOOGLE, GOOGLE_BUDGET_USE - 1, 100)),
    ],
    googleCustomers: {
      [GOOGLE.externalId]: { currencyCode: GOOGLE.currency, timeZone: TZ, descriptiveName: GOOGLE.name },
    },
    rows(platform, day, at) {
      const a = spec(platform);
      return (a ? days(a, day, at) : []).map(({ valueMicros, ...d }) => ({
        day,
        ...d,
        conversionValueMicros: valueMicros,
      }));
    },
    directDays(clientLogin, day, at) {
      if (clientLogin !== DIRECT.externalId) return [];
      return days(DIRECT, day, at).map((d) => ({
        campaignId: d.campaignId,
        campaignName: d.campaignName,
        impressions: d.impressions,
        clicks: d.clicks,
        // Direct keeps cost with its 20 % VAT; the account asks without (IncludeVAT: NO). Whole kopecks
        // × 1.2 are whole micros, and Direct's VAT-free figure comes back exactly as ours.
        costMicros: (d.costMicros * 6) / 5,
        conversions: d.conversions,
        revenueMicros: d.valueMicros,
      }));
    },
    googleDays(customerId, day, at) {
      if (customerId !== GOOGLE.externalId) return [];
      return days(GOOGLE, day, at).map((d) => ({
        id: d.campaignId,
        name: d.campaignName,
        impressions: d.impressions,
        clicks: d.clicks,
        costMicros: d.costMicros,
        conversions: d.conversions,
        // The API's conversions_value is a double in currency units; ours are whole cents.
        conversionsValue: d.valueMicros / 1_000_000,
      }));
    },
  };
}
