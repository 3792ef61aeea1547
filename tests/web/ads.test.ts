// The Ads page and API: totals per currency (never summed unless converted), charts' JSON, pacing, the
// campaign table with period-over-period change, anomalies, accounts and their syncs, forms, CSV.
import { describe, expect, it } from 'vitest';
import {
  finishSync,
  getAccount,
  insertAccount,
  listAccounts,
  replaceWindow,
  startSync,
} from '../../src/ads/store.ts';
import type { AccountInput } from '../../src/ads/store.ts';
import type { DailyRow } from '../../src/ads/types.ts';
import { addEvent } from '../../src/db/events.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { addDays } from '../../src/util/days.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

const XSS = '<script>alert(1)</script>';
const TODAY = '2026-11-20';
const FROM = addDays(TODAY, -29); // the default 30-day range
const PREV_FROM = addDays(TODAY, -59);
const M = 1_000_000;

type Dataset = { label: string; data: (number | null)[]; stack?: string };
type Chart = { type: string; stacked?: boolean; yTitle: string; datasets: Dataset[] };
type Trend = {
  labels: string[];
  events: { day: string; title: string }[];
  currency: string | null;
  currencies: string[];
  perCurrency: boolean;
  converted: boolean;
  charts: Record<'spend' | 'cpc' | 'cpa' | 'roas', Chart>;
};

const account = (over: Partial<AccountInput>): AccountInput => ({
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

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function row(day: string, campaignId: string, campaignName: string, rub: number, clicks: number): DailyRow {
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
function setup(configOverrides: Record<string, unknown> = {}) {
  const { db } = tempDb();
  // 09:00 UTC: 12:00 in Moscow, 04:00 in New York — 2026-11-20 in both.
  const clock = new FakeClock(Date.parse(`${TODAY}T09:00:00Z`));
  const config = testConfig({
    sites: [
      { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
      { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'Asia/Yekaterinburg' },
    ],
    ...configOverrides,
  });
  testDeps(db, config, clock);
  const site = getSiteByName(db, 'studio')!;
  const direct = insertAccount(db, site.id, account({}), clock.now());
  const google = insertAccount(
    db,
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
  replaceWindow(
    db,
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
  replaceWindow(
    db,
    google,
    PREV_FROM,
    TODAY,
    days(PREV_FROM, TODAY).map((d) => row(d, '77', 'Search US', 100, 25)),
    'api',
  );
  const s1 = startSync(db, direct, 'api', '2026-11-17', TODAY, null, clock.now());
  finishSync(db, s1, { status: 'pending', resume: { reportName: 'r1' } }, clock.now());
  const s2 = startSync(db, google, 'api', '2026-11-06', TODAY, null, clock.now());
  finishSync(
    db,
    s2,
    { status: 'failed', error: 'Google Ads: the refresh token has expired (invalid_grant)' },
    clock.now(),
  );
  db.prepare(
    `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    direct,
    '1',
    '2026-11-12',
    'ctr-drop',
    0.01,
    0.05,
    -5,
    `2026-11-12 ${XSS} (Direct main): CTR drop`,
    clock.now().toISOString(),
  );
  db.prepare(
    `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    google,
    '77',
    '2026-11-19',
    'spend-spike',
    900 * M,
    100 * M,
    9,
    '2026-11-19 Search US (Google US): spend spike',
    clock.now().toISOString(),
  );
  addEvent(db, { siteId: site.id, day: '2026-11-10', title: 'Raised bids' }, clock.now());
  const app = createApp({ db, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
  return { app, db, site, clock, ids: { direct, google } };
}

type App = ReturnType<typeof createApp>;
const text = async (r: Response | Promise<Response>) => (await r).text();
const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;

async function formPoster(app: App) {
  const res = await app.request('/ads');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, site: 'studio', ...fields }).toString(),
    });
}

/** One currency's cards. */
function cardsOf(html: string, currency: string): string {
  const at = html.indexOf(`<section class="cards" data-currency="${currency}"`);
  expect(at).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf('</section>', at));
}

describe('Ads page', () => {
  it('shows cards, charts, pacing, the campaign table, anomalies and accounts with their last sync', async () => {
    const { app } = setup();
    const res = await app.request('/ads');
    expect(res.status).toBe(200);
    const html = await res.text();
    const rub = cardsOf(html, 'RUB');
    expect(rub).toContain('Spend (RUB)</span><span class="value">37,020 RUB');
    // 37,020 against 24,000 before.
    expect(rub).toContain('▲ +54 %');
    expect(rub).toContain('2,100'); // clicks: 70 a day
    expect(rub).toContain('17.63 RUB'); // CPC 37,020 / 2,100
    for (const name of ['spend', 'cpc', 'cpa', 'roas'])
      expect(html).toContain(
        `data-chart="${name}" data-src="/api/ads/trend?site=studio&amp;days=30&amp;period=day&amp;group=platform&amp;currency=RUB"`,
      );
    expect(html).toContain('id="pacing"');
    expect(html).toMatch(/<table class="campaigns">/);
    expect(html).toContain('2026-11-19 Search US (Google US): spend spike');
    // Newest first.
    expect(html.indexOf('spend spike')).toBeLessThan(html.indexOf('CTR drop'));
    expect(html).toContain('<span class="status interrupted">pending</span>');
    expect(html).toContain('The platform is still building the report');
    expect(html).toContain('the refresh token has expired (invalid_grant)');
    expect(html).toContain('action="/ads/accounts"');
    expect(html).toContain(`action="/ads/accounts/1/budget"`);
  });

  it('shows totals per currency and never adds RUB and USD together without rates', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads'));
    expect(cardsOf(html, 'RUB')).toContain('37,020 RUB');
    expect(cardsOf(html, 'USD')).toContain('Spend (USD)</span><span class="value">3,000 USD');
    expect(html).toContain('totals are shown per currency and never added together');
    expect(html).not.toContain('40,020'); // 37,020 + 3,000: a sum of two currencies
    expect(html).not.toMatch(/converted at the rates/);
    // The campaign table keeps each campaign in its own currency.
    expect(html).toContain('3,000 USD<br><small class="muted">before: 3,000 USD');
  });

  it('converts to the base currency with the config rates and says so', async () => {
    const { app } = setup({ currency: { base: 'RUB', rates: { USD: 90 }, asOf: '2026-11-01' } });
    const html = await text(app.request('/ads'));
    // 37,020 RUB + 3,000 USD × 90.
    expect(cardsOf(html, 'RUB')).toContain('Spend (RUB)</span><span class="value">307,020 RUB');
    expect(html).not.toContain('data-currency="USD"');
    expect(html).toContain('converted at the rates in the config (as of 2026-11-01): 1 USD = 90 RUB');
    expect(html).toContain('270,000 RUB<br><small class="muted">before: 270,000 RUB');
    // …and per currency again when asked.
    const apart = await text(app.request('/ads?convert=0'));
    expect(cardsOf(apart, 'USD')).toContain('3,000 USD');
    expect(apart).not.toContain('307,020');
  });

  it('keeps totals apart when a currency has no rate, and refuses an explicit conversion', async () => {
    const { app } = setup({ currency: { base: 'RUB', rates: { EUR: 100 } } });
    const html = await text(app.request('/ads'));
    expect(html).toContain('Totals stay per currency: no exchange rate for USD to RUB');
    expect(cardsOf(html, 'USD')).toContain('3,000 USD');
    const res = await app.request('/ads?convert=1');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('add currency.rates.USD to the config');
  });

  it('warns about an account heading over its budget, and not about one on track', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads'));
    const pacing = html.slice(
      html.indexOf('id="pacing"'),
      html.indexOf('</section>', html.indexOf('id="pacing"')),
    );
    // Google: 2,000 spent by the 20th, 100 a day → 3,000 by the 30th against 2,000.
    const google = pacing.slice(
      pacing.indexOf('Google US'),
      pacing.indexOf('</tr>', pacing.indexOf('Google US')),
    );
    expect(google).toContain('⚠ Heading over budget by 50 %');
    expect(google).toContain('<progress max="2000000000" value="2000000000"');
    expect(google).toContain('3,000 USD');
    const direct = pacing.slice(
      pacing.indexOf('Direct main'),
      pacing.indexOf('</tr>', pacing.indexOf('Direct main')),
    );
    expect(direct).not.toContain('Heading over budget');
    expect(direct).toContain('On track: 37 % of budget');
  });

  it('escapes hostile campaign names in the table, the anomalies and the charts', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads?group=campaign'));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Бренд &quot;поиск&quot;');
    expect(html).not.toContain(XSS);
  });

  it('compares each campaign with the previous equal-length period and sorts by spend within a currency', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads'));
    const table = html.slice(
      html.indexOf('<table class="campaigns">'),
      html.indexOf('</table>', html.indexOf('<table class="campaigns">')),
    );
    const names = [...table.matchAll(/<tr><td>([^<]+)<br>/g)].map((m) => m[1]);
    expect(names).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;', 'Бренд &quot;поиск&quot;', 'Search US']);
    expect(table).toContain(
      '30,000 RUB<br><small class="muted">before: 24,000 RUB</small></td>\n<td>+25 %</td>',
    );
    expect(table).toMatch(/7,020 RUB<br><small class="muted">before: 0 RUB<\/small><\/td>\n<td>new<\/td>/);
    expect(html).toContain(`${FROM} … ${TODAY}, compared with ${PREV_FROM} … ${addDays(FROM, -1)}`);
  });

  it('says how to add an account or import a file when a site has none', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads?site=bakery'));
    expect(html).toContain('No ad accounts yet.');
    expect(html).toContain('promowatch ads accounts add');
    expect(html).toContain('promowatch ads import FILE --platform P --site bakery');
    expect(html).not.toContain('data-chart=');
    expect(html).toContain('action="/ads/accounts"');
  });

  it('says so when a range has no statistics, and refuses bad filters', async () => {
    const { app } = setup();
    const html = await text(app.request('/ads?from=2024-01-01&to=2024-01-31'));
    expect(html).toContain('No ad statistics from 2024-01-01 to 2024-01-31');
    expect(html).not.toContain('data-chart=');
    expect((await app.request('/ads?group=keyword')).status).toBe(400);
    expect((await app.request('/ads?from=2026-11-10&to=2026-11-01')).status).toBe(400);
    expect((await app.request('/ads?platform=tiktok')).status).toBe(400);
  });
});

describe('Ads API', () => {
  it('gives per-day spend stacked per currency, never summed, and says it is per currency', async () => {
    const { app } = setup();
    const data = await json<Trend>(app.request('/api/ads/trend?days=30'));
    expect(data.labels).toHaveLength(30);
    expect(data.labels.at(-1)).toBe(TODAY);
    expect(data.perCurrency).toBe(true);
    expect(data.currency).toBeNull();
    expect(data.currencies).toEqual(['RUB', 'USD']);
    expect(data.converted).toBe(false);
    const spend = data.charts.spend;
    expect(spend.stacked).toBe(true);
    expect(spend.datasets.map((d) => [d.label, d.stack])).toEqual([
      ['yandex-direct (RUB)', 'RUB'],
      ['google-ads (USD)', 'USD'],
    ]);
    expect(spend.datasets[0]!.data.every((x) => x === 1234)).toBe(true);
    expect(spend.datasets[1]!.data.every((x) => x === 100)).toBe(true);
    expect(data.charts.cpc.datasets.map((d) => [d.label, d.data.at(-1)])).toEqual([
      ['RUB', 17.63], // 1,234 / 70 clicks
      ['USD', 4],
    ]);
    expect(data.events).toEqual([{ day: '2026-11-10', title: 'Raised bids' }]);
  });

  it('sums a week, stacks campaigns, and converts when asked', async () => {
    const { app } = setup({ currency: { base: 'RUB', rates: { USD: 90 } } });
    const weekly = await json<Trend>(
      app.request('/api/ads/trend?days=30&period=week&group=campaign&convert=0&currency=RUB'),
    );
    expect(weekly.labels[0]).toBe('2026-10-19'); // the Monday of 2026-10-22's week
    expect(weekly.labels.at(-1)).toBe('2026-11-16');
    const at = weekly.labels.indexOf('2026-11-09');
    expect(weekly.charts.spend.datasets.map((d) => [d.label, d.data[at]])).toEqual([
      [`${XSS} · Direct main`, 7000],
      ['Бренд "поиск" · Direct main', 1638],
    ]);
    expect(weekly.currency).toBe('RUB');
    const converted = await json<Trend>(app.request('/api/ads/trend?days=30'));
    expect(converted.converted).toBe(true);
    expect(converted.perCurrency).toBe(false);
    expect(converted.currency).toBe('RUB');
    expect(converted.charts.spend.datasets.map((d) => [d.label, d.data.at(-1)])).toEqual([
      ['google-ads', 9000],
      ['yandex-direct', 1234],
    ]);
  });

  it('pages the campaign table with both periods and the changes', async () => {
    const { app } = setup();
    const data = await json<{
      total: number;
      pages: number;
      previous: { from: string; to: string };
      campaigns: {
        name: string;
        currency: string;
        current: { costMicros: number; clicks: number };
        previous: { costMicros: number };
        change: { spend: number | null; clicks: number | null };
      }[];
    }>(app.request('/api/ads/campaigns?pageSize=1'));
    expect(data.total).toBe(3);
    expect(data.pages).toBe(3);
    expect(data.previous).toEqual({ from: PREV_FROM, to: addDays(FROM, -1) });
    expect(data.campaigns).toHaveLength(1);
    const [top] = data.campaigns;
    expect(top!.name).toBe(XSS);
    expect(top!.current.costMicros).toBe(30_000 * M);
    expect(top!.previous.costMicros).toBe(24_000 * M);
    expect(top!.change.spend).toBeCloseTo(0.25);
    expect(top!.change.clicks).toBeCloseTo(0.25);
    const second = await json<typeof data>(app.request('/api/ads/campaigns?pageSize=1&page=3'));
    expect(second.campaigns[0]!.currency).toBe('USD');
  });

  it('gives pacing per account and the anomalies newest first', async () => {
    const { app, ids } = setup();
    const pacing = await json<{
      accounts: { id: number; alert: boolean; overBy: number; forecastMicros: number }[];
    }>(app.request('/api/ads/pacing'));
    const google = pacing.accounts.find((a) => a.id === ids.google)!;
    expect([google.alert, google.overBy, google.forecastMicros]).toEqual([true, 0.5, 3_000 * M]);
    expect(pacing.accounts.find((a) => a.id === ids.direct)!.alert).toBe(false);
    const anomalies = await json<{ anomalies: { day: string; kind: string; campaign: string }[] }>(
      app.request('/api/ads/anomalies'),
    );
    expect(anomalies.anomalies.map((a) => [a.day, a.kind, a.campaign])).toEqual([
      ['2026-11-19', 'spend-spike', 'Search US'],
      ['2026-11-12', 'ctr-drop', XSS],
    ]);
  });

  it('refuses a conversion the config cannot make and unknown values', async () => {
    const { app } = setup();
    const res = await app.request('/api/ads/trend?convert=1');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('"currency"');
    expect((await app.request('/api/ads/trend?period=hour')).status).toBe(400);
    expect((await app.request('/api/ads/campaigns?days=5000')).status).toBe(400);
    expect((await app.request('/api/ads/pacing?platform=tiktok')).status).toBe(400);
  });
});

describe('Ads account forms', () => {
  it('adds an account with credentials as environment variable names', async () => {
    const { app, db, site } = setup();
    const post = await formPoster(app);
    const res = await post('/ads/accounts', {
      platform: 'yandex-direct',
      external_id: 'client-two',
      name: 'Direct client 2',
      currency: 'rub',
      time_zone: 'Europe/Moscow',
      vat: '1',
      budget: '150 000',
      cred_token: 'DIRECT_TOKEN_CLIENT2',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('added=1');
    const added = listAccounts(db, site.id).find((a) => a.externalId === 'client-two')!;
    expect(added.credentials).toEqual({ token: { env: 'DIRECT_TOKEN_CLIENT2' } });
    expect([added.currency, added.costIncludesVat, added.monthlyBudgetMicros]).toEqual([
      'RUB',
      true,
      150_000 * M,
    ]);
    const dup = await post('/ads/accounts', {
      platform: 'yandex-direct',
      external_id: 'client-two',
      name: 'Again',
      currency: 'RUB',
      time_zone: 'Europe/Moscow',
    });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('is already added');
  });

  it('re-shows the form with its errors for a bad currency, escaping what was typed', async () => {
    const { app, db, site } = setup();
    const post = await formPoster(app);
    const res = await post('/ads/accounts', {
      platform: 'meta',
      external_id: 'act_1',
      name: XSS,
      currency: 'rubles',
      time_zone: 'Mars/Olympus',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Account not added');
    expect(html).toContain('currency &quot;RUBLES&quot; must be a three-letter ISO 4217 code');
    expect(html).toContain('is not an IANA zone');
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain(XSS);
    expect(listAccounts(db, site.id)).toHaveLength(2);
  });

  it('refuses a secret pasted where an environment variable name belongs, and never shows it back', async () => {
    const { app, db, site } = setup();
    const post = await formPoster(app);
    for (const secret of [
      'AQAAAAAAbcdEFgh123-xyz',
      'y0_AgAAAAB1234567890',
      'AKIAIOSFODNN7EXAMPLE',
      'F4DCC3B5AA765D61D8327DEB882CF99A',
    ]) {
      const res = await post('/ads/accounts', {
        platform: 'yandex-direct',
        external_id: 'client-3',
        name: 'Client 3',
        currency: 'RUB',
        time_zone: 'Europe/Moscow',
        cred_token: secret,
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('never the secret itself');
      expect(html).not.toContain(secret);
    }
    // A credential the platform does not read is refused too.
    const meta = await post('/ads/accounts', {
      platform: 'meta',
      external_id: 'act_9',
      name: 'Meta',
      currency: 'USD',
      time_zone: 'UTC',
      cred_token: 'META_TOKEN',
    });
    expect(meta.status).toBe(400);
    expect(await meta.text()).toContain('token is not a credential of Meta (it reads accessToken)');
    expect(listAccounts(db, site.id)).toHaveLength(2);
  });

  it('sets, refuses and clears a monthly budget', async () => {
    const { app, db, ids } = setup();
    const post = await formPoster(app);
    expect((await post(`/ads/accounts/${ids.google}/budget`, { budget: '2500,50' })).status).toBe(303);
    expect(getAccount(db, ids.google)!.monthlyBudgetMicros).toBe(2_500_500_000);
    const bad = await post(`/ads/accounts/${ids.google}/budget`, { budget: 'lots' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Google US: monthly budget must be an amount');
    expect(getAccount(db, ids.google)!.monthlyBudgetMicros).toBe(2_500_500_000);
    expect((await post(`/ads/accounts/${ids.google}/budget`, { budget: '' })).status).toBe(303);
    expect(getAccount(db, ids.google)!.monthlyBudgetMicros).toBeNull();
    expect((await post(`/ads/accounts/${ids.google}/budget`, { site: 'bakery', budget: '1' })).status).toBe(
      404,
    );
  });

  it('refuses a form without its CSRF token', async () => {
    const { app, db, site, ids } = setup();
    const res = await app.request('/ads/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        site: 'studio',
        platform: 'meta',
        external_id: 'act_5',
        name: 'x',
        currency: 'USD',
        time_zone: 'UTC',
      }).toString(),
    });
    expect(res.status).toBe(403);
    const budget = await app.request(`/ads/accounts/${ids.google}/budget`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'site=studio&budget=1',
    });
    expect(budget.status).toBe(403);
    expect(listAccounts(db, site.id)).toHaveLength(2);
    expect(getAccount(db, ids.google)!.monthlyBudgetMicros).toBe(2_000 * M);
  });
});

describe('Ads CSV export', () => {
  it('exports the campaign table with both periods and the change', async () => {
    const { app } = setup();
    const res = await app.request('/ads/export.csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`studio-ads-${FROM}-${TODAY}.csv`);
    const csv = new TextDecoder().decode(await res.arrayBuffer()).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'platform,account,campaign_id,campaign,currency,from,to,impressions,clicks,spend,ctr,cpc,conversions,cpa,conversion_value,roas,prev_impressions,prev_clicks,prev_spend,prev_ctr,prev_cpc,prev_conversions,prev_cpa,prev_roas,spend_change,clicks_change,ctr_change,cpc_change,conversions_change,cpa_change,roas_change',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      new RegExp(
        `^yandex-direct,Direct main,1,${XSS.replace(/[()]/g, '\\$&')},RUB,${FROM},${TODAY},30000,1500,30000,0\\.05,20,60,500,120000,4,`,
      ),
    );
    expect(lines[1]).toContain(',0.25,0.25,0,0,0,0.25,0');
    expect(csv).toContain('"Бренд ""поиск""",RUB');
  });
});
