// The Ads fixture shared by the English and Russian tests: two accounts in RUB and USD with 60 days of
// statistics, a pending and a failed sync, two anomalies and an event, on a fixed clock.
import { expect } from 'vitest';
import { finishSync, insertAccount, replaceWindow, startSync } from '../../src/ads/store.ts';
import type { AccountInput } from '../../src/ads/store.ts';
import type { DailyRow } from '../../src/ads/types.ts';
import { addDays } from '../../src/util/days.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

export const XSS = '<script>alert(1)</script>';
export const TODAY = '2026-11-20';
export const FROM = addDays(TODAY, -29); // the default 30-day range
export const PREV_FROM = addDays(TODAY, -59);
export const M = 1_000_000;
/** Intl separates groups, units and range dashes with no-break and thin spaces; compare with plain ones. */
export const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

export type Dataset = { key?: string; label: string; data: (number | null)[]; stack?: string };
export type Chart = { type: string; stacked?: boolean; yTitle: string; datasets: Dataset[] };
export type Trend = {
  labels: string[];
  events: { day: string; title: string }[];
  currency: string | null;
  currencies: string[];
  perCurrency: boolean;
  converted: boolean;
  charts: Record<'spend' | 'cpc' | 'cpa' | 'roas', Chart>;
};

export const account = (over: Partial<AccountInput>): AccountInput => ({
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Direct main',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: true,
  monthlyBudgetMicros: 100_000 * M,
  credentials: {},
  lookbackDays: null,
  ...over,
});

export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function row(
  day: string,
  campaignId: string,
  campaignName: string,
  rub: number,
  clicks: number,
): DailyRow {
  return {
    day,
    campaignId,
    campaignName,
    impressions: clicks * 20,
    clicks,
    costMicros: rub * M,
    conversions: 2,
    conversionValueMicros: rub * 4 * M,
  };
}

/**
 * Yandex Direct in RUB: campaign 1 (a hostile name) 1,000 a day now and 800 a day before; campaign 2 234 a
 * day in the current 30 days only. Google Ads in USD: 100 a day throughout, with a 2,000 budget that the
 * month's pace overruns by half.
 */
export async function setup(configOverrides: Record<string, unknown> = {}) {
  // 09:00 UTC: 12:00 in Moscow, 04:00 in New York — 2026-11-20 in both.
  const clock = new FakeClock(Date.parse(`${TODAY}T09:00:00Z`));
  const config = testConfig({
    sites: [
      { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
      { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'Asia/Yekaterinburg' },
    ],
    ...configOverrides,
  });
  const { db, sql } = await testStoreDeps(config, clock);
  const site = (await siteByName(sql, 'studio'))!;
  const direct = await insertAccount(sql, site.id, account({}), clock.now());
  const google = await insertAccount(
    sql,
    site.id,
    account({
      platform: 'google-ads',
      externalId: '123-456-7890',
      name: 'Google US',
      currency: 'USD',
      timeZone: 'America/New_York',
      costIncludesVat: false,
      monthlyBudgetMicros: 2_000 * M,
    }),
    clock.now(),
  );
  await replaceWindow(
    sql,
    direct,
    PREV_FROM,
    TODAY,
    days(PREV_FROM, TODAY).flatMap((d) =>
      d < FROM
        ? [row(d, '1', XSS, 800, 40)]
        : [row(d, '1', XSS, 1000, 50), row(d, '2', 'Бренд "поиск"', 234, 20)],
    ),
    'import',
  );
  await replaceWindow(
    sql,
    google,
    PREV_FROM,
    TODAY,
    days(PREV_FROM, TODAY).map((d) => row(d, '77', 'Search US', 100, 25)),
    'api',
  );
  const s1 = await startSync(sql, direct, 'api', '2026-11-17', TODAY, null, clock.now());
  await finishSync(sql, s1, { status: 'pending', resume: { reportName: 'r1' } }, clock.now());
  const s2 = await startSync(sql, google, 'api', '2026-11-06', TODAY, null, clock.now());
  await finishSync(
    sql,
    s2,
    { status: 'failed', error: 'Google Ads: the refresh token has expired (invalid_grant)' },
    clock.now(),
  );
  const anomaly = `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await sql.run(anomaly, [
    direct,
    '1',
    '2026-11-12',
    'ctr-drop',
    0.01,
    0.05,
    -5,
    `2026-11-12 ${XSS} (Direct main): CTR drop`,
    clock.now().toISOString(),
  ]);
  await sql.run(anomaly, [
    google,
    '77',
    '2026-11-19',
    'spend-spike',
    900 * M,
    100 * M,
    9,
    '2026-11-19 Search US (Google US): spend spike',
    clock.now().toISOString(),
  ]);
  await sql.run('INSERT INTO events (site_id, day, title, created_at) VALUES (?, ?, ?, ?)', [
    site.id,
    '2026-11-10',
    'Raised bids',
    clock.now().toISOString(),
  ]);
  const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
  return { app, sql, site, clock, ids: { direct, google } };
}

export type App = ReturnType<typeof createApp>;
export const text = async (r: Response | Promise<Response>) => (await r).text();
export const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;

/** Posts forms with the session cookie and CSRF token of a first visit; `headers` go with every request. */
export async function formPoster(app: App, headers: Record<string, string> = {}) {
  const res = await app.request('/ads', { headers });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, site: 'studio', ...fields }).toString(),
    });
}

/** One currency's cards. */
export function cardsOf(html: string, currency: string): string {
  const at = html.indexOf(`<section class="cards" data-currency="${currency}"`);
  expect(at).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf('</section>', at));
}
