// The Ads page and API: totals per currency (never summed unless converted), charts' JSON, pacing, the
// campaign table with period-over-period change, anomalies, accounts and their syncs, forms, CSV.
import { describe, expect, it } from 'vitest';
import { getAccount, listAccounts, replaceWindow } from '../../src/ads/store.ts';
import { addDays } from '../../src/util/days.ts';
import {
  cardsOf,
  formPoster,
  FROM,
  json,
  M,
  plain,
  PREV_FROM,
  row,
  setup,
  text,
  TODAY,
  XSS,
  type Trend,
} from './ads-setup.ts';

describe('Ads page', () => {
  it('shows cards, charts, pacing, the campaign table, anomalies and accounts with their last sync', async () => {
    const { app } = await setup();
    const res = await app.request('/ads');
    expect(res.status).toBe(200);
    const html = await res.text();
    const rub = cardsOf(html, 'RUB');
    expect(rub).toContain('Spend (RUB)</span><span class="value">₽37,020');
    // 37,020 against 24,000 before.
    expect(rub).toContain('▲ +54%');
    expect(rub).toContain('2,100'); // clicks: 70 a day
    expect(rub).toContain('₽17.63'); // CPC 37,020 / 2,100
    for (const name of ['spend', 'cpc', 'cpa', 'roas'])
      expect(html).toContain(
        `data-chart="${name}" data-src="/api/ads/trend?site=studio&amp;days=30&amp;period=day&amp;group=platform&amp;currency=RUB"`,
      );
    expect(html).toContain('id="pacing"');
    expect(html).toMatch(/<table class="campaigns">/);
    // Said from the stored figures, in the account's currency.
    expect(html).toContain(
      '19 Nov 2026</td><td><span class="sev warning" data-kind="spend-spike">spend spike',
    );
    expect(html).toContain('$900 against a usual $100');
    expect(html).toContain('1% against a usual 5%');
    // Newest first.
    expect(html.indexOf('spend spike')).toBeLessThan(html.indexOf('CTR drop'));
    expect(html).toContain('<span class="status interrupted">pending</span>');
    expect(html).toContain('The platform is still building the report');
    // A failure is summarised in the reader's words; what the platform said stays beside it as it came.
    expect(html).toContain('Could not pull the statistics');
    expect(html).toMatch(
      /<details class="upstream"><summary>Details<\/summary><small>Google Ads: the refresh token has expired \(invalid_grant\)<\/small><\/details>/,
    );
    expect(html).toContain('action="/ads/accounts"');
    expect(html).toContain(`action="/ads/accounts/1/budget"`);
  });

  it('shows totals per currency and never adds RUB and USD together without rates', async () => {
    const { app } = await setup();
    const html = await text(app.request('/ads'));
    expect(cardsOf(html, 'RUB')).toContain('₽37,020');
    expect(cardsOf(html, 'USD')).toContain('Spend (USD)</span><span class="value">$3,000');
    expect(html).toContain('totals are shown per currency and never added together');
    expect(html).not.toContain('40,020'); // 37,020 + 3,000: a sum of two currencies
    expect(html).not.toMatch(/converted at the rates/);
    // The campaign table keeps each campaign in its own currency.
    expect(html).toContain('$3,000<br><small class="muted">before: $3,000');
  });

  it('converts to the base currency with the config rates and says so', async () => {
    const { app } = await setup({ currency: { base: 'RUB', rates: { USD: 90 }, asOf: '2026-11-01' } });
    const html = await text(app.request('/ads'));
    // 37,020 RUB + 3,000 USD × 90.
    expect(cardsOf(html, 'RUB')).toContain('Spend (RUB)</span><span class="value">₽307,020');
    expect(html).not.toContain('data-currency="USD"');
    expect(html).toContain('converted at the rates in the config (as of 1 Nov 2026): 1 USD = 90 RUB');
    expect(html).toContain('₽270,000<br><small class="muted">before: ₽270,000');
    // …and per currency again when asked.
    const apart = await text(app.request('/ads?convert=0'));
    expect(cardsOf(apart, 'USD')).toContain('$3,000');
    expect(apart).not.toContain('307,020');
  });

  it('keeps totals apart when a currency has no rate, and refuses an explicit conversion', async () => {
    const { app } = await setup({ currency: { base: 'RUB', rates: { EUR: 100 } } });
    const html = await text(app.request('/ads'));
    expect(html).toContain('Totals stay per currency: no exchange rate for USD to RUB');
    expect(cardsOf(html, 'USD')).toContain('$3,000');
    const res = await app.request('/ads?convert=1');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('add currency.rates.USD to the config');
  });

  it('warns about an account heading over its budget, and not about one on track', async () => {
    const { app } = await setup();
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
    expect(google).toContain('⚠ Heading over budget by 50%');
    expect(google).toContain('<progress max="2000000000" value="2000000000"');
    expect(google).toContain('$3,000');
    expect(google).toContain('Nov 2026, day 20 of 30');
    const direct = pacing.slice(
      pacing.indexOf('Direct main'),
      pacing.indexOf('</tr>', pacing.indexOf('Direct main')),
    );
    expect(direct).not.toContain('Heading over budget');
    expect(direct).toContain('On track: 37% of budget');
  });

  it('escapes hostile campaign names in the table, the anomalies and the charts', async () => {
    const { app } = await setup();
    const html = await text(app.request('/ads?group=campaign'));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Бренд &quot;поиск&quot;');
    expect(html).not.toContain(XSS);
  });

  it('compares each campaign with the previous equal-length period and sorts by spend within a currency', async () => {
    const { app } = await setup();
    const html = await text(app.request('/ads'));
    const table = html.slice(
      html.indexOf('<table class="campaigns">'),
      html.indexOf('</table>', html.indexOf('<table class="campaigns">')),
    );
    const names = [...table.matchAll(/<tr><td>([^<]+)<br>/g)].map((m) => m[1]);
    expect(names).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;', 'Бренд &quot;поиск&quot;', 'Search US']);
    expect(table).toContain('₽30,000<br><small class="muted">before: ₽24,000</small></td>\n<td>+25%</td>');
    expect(table).toMatch(/₽7,020<br><small class="muted">before: ₽0<\/small><\/td>\n<td>new<\/td>/);
    // 2026-10-22 … 2026-11-20 against 2026-09-22 … 2026-10-21.
    expect(plain(html)).toContain('3 campaigns · 22 Oct – 20 Nov 2026, compared with 22 Sept – 21 Oct 2026');
  });

  it('says how to add an account or import a file when a site has none', async () => {
    const { app } = await setup();
    const html = await text(app.request('/ads?site=bakery'));
    expect(html).toContain('No ad accounts yet.');
    expect(html).toContain('promowatch ads accounts add');
    expect(html).toContain('promowatch ads import FILE --platform P --site bakery');
    expect(html).not.toContain('data-chart=');
    expect(html).toContain('action="/ads/accounts"');
  });

  it('says so when a range has no statistics, and refuses bad filters', async () => {
    const { app } = await setup();
    const html = await text(app.request('/ads?from=2024-01-01&to=2024-01-31'));
    expect(plain(html)).toContain('No ad statistics for 1 – 31 Jan 2024.');
    expect(html).not.toContain('data-chart=');
    expect((await app.request('/ads?group=keyword')).status).toBe(400);
    expect((await app.request('/ads?from=2026-11-10&to=2026-11-01')).status).toBe(400);
    expect((await app.request('/ads?platform=tiktok')).status).toBe(400);
  });
});

describe('Ads API', () => {
  it('gives per-day spend stacked per currency, never summed, and says it is per currency', async () => {
    const { app } = await setup();
    const data = await json<Trend>(app.request('/api/ads/trend?days=30'));
    expect(data.labels).toHaveLength(30);
    expect(data.labels.at(-1)).toBe(TODAY);
    expect(data.perCurrency).toBe(true);
    expect(data.currency).toBeNull();
    expect(data.currencies).toEqual(['RUB', 'USD']);
    expect(data.converted).toBe(false);
    const spend = data.charts.spend;
    expect(spend.stacked).toBe(true);
    // `key` picks the platform's colour; `label` is its name for the reader.
    expect(spend.datasets.map((d) => [d.key, d.label, d.stack])).toEqual([
      ['yandex-direct', 'Yandex Direct (RUB)', 'RUB'],
      ['google-ads', 'Google Ads (USD)', 'USD'],
    ]);
    expect(spend.yTitle).toBe('spend, each in its own currency (a stack per currency)');
    expect(spend.datasets[0]!.data.every((x) => x === 1234)).toBe(true);
    expect(spend.datasets[1]!.data.every((x) => x === 100)).toBe(true);
    expect(data.charts.cpc.datasets.map((d) => [d.label, d.data.at(-1)])).toEqual([
      ['RUB', 17.63], // 1,234 / 70 clicks
      ['USD', 4],
    ]);
    expect(data.events).toEqual([{ day: '2026-11-10', title: 'Raised bids' }]);
  });

  it("leaves today's half day out of CPA and ROAS, and marks it partial where it is drawn", async () => {
    const { app, sql, ids } = await setup();
    // Noon today: half a day's cost, and none of its conversions reported yet.
    await replaceWindow(
      sql,
      ids.direct,
      TODAY,
      TODAY,
      [{ ...row(TODAY, '1', XSS, 500, 25), conversions: 0, conversionValueMicros: 0 }],
      'api',
    );
    const data = await json<Trend & { partialIndex: number | null }>(
      app.request('/api/ads/trend?days=30&currency=RUB'),
    );
    expect(data.partialIndex).toBe(29);
    // Spend and CPC keep today so far (drawn dashed); the ratios stop yesterday, at their usual value.
    expect(data.charts.spend.datasets[0]!.data.at(-1)).toBe(500);
    expect(data.charts.cpc.datasets[0]!.data.at(-1)).toBe(20);
    expect(data.charts.roas.datasets[0]!.data.slice(-2)).toEqual([4, null]);
    expect(data.charts.cpa.datasets[0]!.data.slice(-2)).toEqual([308.5, null]);
    // By week, the week holding today counts its complete days only: ROAS stays 4, not dragged down.
    const weekly = await json<Trend & { partialIndex: number | null }>(
      app.request('/api/ads/trend?days=30&period=week&currency=RUB'),
    );
    expect(weekly.partialIndex).toBe(weekly.labels.length - 1);
    expect(weekly.charts.roas.datasets[0]!.data.at(-1)).toBe(4);
    // A range that ended before today has nothing partial.
    const past = await json<Trend & { partialIndex: number | null }>(
      app.request(`/api/ads/trend?from=${FROM}&to=${addDays(TODAY, -1)}&currency=RUB`),
    );
    expect(past.partialIndex).toBeNull();
    expect(past.charts.roas.datasets[0]!.data.at(-1)).toBe(4);
    // The cards: ROAS and CPA over complete days, spend with today so far, and the page says so.
    const page = await text(app.request('/ads'));
    const rub = cardsOf(page, 'RUB');
    expect(rub).toContain('ROAS (value ÷ spend)</span><span class="value">4.00');
    expect(rub).toContain('Spend (RUB)</span><span class="value">₽36,286'); // 37,020 − 1,234 + 500
    expect(plain(page)).toContain('CTR, CPA and ROAS count complete days, up to 19 Nov 2026.');
  });

  it('sums a week, stacks campaigns, and converts when asked', async () => {
    const { app } = await setup({ currency: { base: 'RUB', rates: { USD: 90 } } });
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
    expect(converted.charts.spend.datasets.map((d) => [d.key, d.label, d.data.at(-1)])).toEqual([
      ['google-ads', 'Google Ads', 9000],
      ['yandex-direct', 'Yandex Direct', 1234],
    ]);
    expect(converted.charts.cpc.yTitle).toBe('cost per click, RUB');
  });

  it('pages the campaign table with both periods and the changes', async () => {
    const { app } = await setup();
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
    const { app, ids } = await setup();
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
    const { app } = await setup();
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
    const { app, sql, site } = await setup();
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
    const added = (await listAccounts(sql, site.id)).find((a) => a.externalId === 'client-two')!;
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
    const { app, sql, site } = await setup();
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
    expect(await listAccounts(sql, site.id)).toHaveLength(2);
  });

  it('refuses a secret pasted where an environment variable name belongs, and never shows it back', async () => {
    const { app, sql, site } = await setup();
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
    expect(await meta.text()).toContain('token is not a credential of Meta Ads (it reads accessToken)');
    expect(await listAccounts(sql, site.id)).toHaveLength(2);
  });

  it('sets, refuses and clears a monthly budget', async () => {
    const { app, sql, ids } = await setup();
    const post = await formPoster(app);
    expect((await post(`/ads/accounts/${ids.google}/budget`, { budget: '2500,50' })).status).toBe(303);
    expect((await getAccount(sql, ids.google))!.monthlyBudgetMicros).toBe(2_500_500_000);
    const bad = await post(`/ads/accounts/${ids.google}/budget`, { budget: 'lots' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Google US: monthly budget must be an amount');
    expect((await getAccount(sql, ids.google))!.monthlyBudgetMicros).toBe(2_500_500_000);
    expect((await post(`/ads/accounts/${ids.google}/budget`, { budget: '' })).status).toBe(303);
    expect((await getAccount(sql, ids.google))!.monthlyBudgetMicros).toBeNull();
    expect((await post(`/ads/accounts/${ids.google}/budget`, { site: 'bakery', budget: '1' })).status).toBe(
      404,
    );
  });

  it('refuses a form without its CSRF token', async () => {
    const { app, sql, site, ids } = await setup();
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
    expect(await listAccounts(sql, site.id)).toHaveLength(2);
    expect((await getAccount(sql, ids.google))!.monthlyBudgetMicros).toBe(2_000 * M);
  });
});

describe('Ads CSV export', () => {
  it('exports the campaign table with both periods and the change', async () => {
    const { app } = await setup();
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
