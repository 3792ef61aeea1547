// The demo's simulated ad market, and the simulated APIs that serve it to the real platform clients.
import { describe, expect, it } from 'vitest';
import { findAnomalies, type Anomaly, type DayStats } from '../../src/ads/anomalies.ts';
import { pacing, pacingFrom } from '../../src/ads/pacing.ts';
import { AD_PLATFORMS } from '../../src/ads/platforms/index.ts';
import { insertAccount } from '../../src/ads/store.ts';
import { syncSiteAds } from '../../src/ads/sync.ts';
import type { Platform } from '../../src/ads/types.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { DEMO_ADS_ENV, startAdsApis } from '../../src/demo/ads-apis.ts';
import {
  ADS_HISTORY_DAYS,
  adsWorld,
  BIDS_RAISED_AGE,
  SPIKE_AGE,
  type AdsWorld,
} from '../../src/demo/ads-world.ts';
import { addDays } from '../../src/util/days.ts';
import { FakeClock, onCleanup, testConfig, testStoreDeps } from '../helpers.ts';

const TODAY = '2026-11-27';
/** Long after every simulated day: each one is complete. */
const LATER = new Date('2100-01-01T00:00:00Z');
const noonIn = (day: string) => new Date(`${day}T12:00:00+03:00`);

const daysBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};
const cost = (w: AdsWorld, platform: Platform, day: string, at = LATER) =>
  w.rows(platform, day, at).reduce((s, r) => s + r.costMicros, 0);

/** Each campaign's series of whole days, as the anomaly detector reads it from the database. */
function series(w: AdsWorld, platform: Platform): Map<string, Map<string, DayStats>> {
  const out = new Map<string, Map<string, DayStats>>();
  for (const day of daysBetween(w.firstDay, w.today))
    for (const r of w.rows(platform, day, LATER)) {
      if (!out.has(r.campaignId)) out.set(r.campaignId, new Map());
      out.get(r.campaignId)!.set(day, r);
    }
  return out;
}

/** What the detector finds on the last two weeks' complete days, for both accounts. */
function anomalies(w: AdsWorld): (Anomaly & { platform: Platform })[] {
  const judged = daysBetween(addDays(w.today, -14), addDays(w.today, -1));
  return (['yandex-direct', 'google-ads'] as const).flatMap((platform) =>
    [...series(w, platform)].flatMap(([id, s]) =>
      findAnomalies(id, s, judged).map((a) => ({ ...a, platform })),
    ),
  );
}

/**
 * The dashboard's pacing for an account as stored at `at` (today's spend so far), from the same days the
 * dashboard reads (web/api/ads.ts): back a week into the previous month early in a month.
 */
function pacingAt(w: AdsWorld, platform: Platform, at: Date) {
  const account = w.accounts.find((a) => a.platform === platform)!;
  const daily = new Map(daysBetween(pacingFrom(w.today), w.today).map((d) => [d, cost(w, platform, d, at)]));
  return pacing(daily, w.today, account.monthlyBudgetMicros);
}

describe('adsWorld()', () => {
  const world = adsWorld({ today: TODAY });

  it('has a Yandex Direct account in RUB with four campaigns and a Google Ads one in USD with two', () => {
    expect(
      world.accounts.map((a) => [a.platform, a.currency, a.timeZone, a.costIncludesVat, a.externalId]),
    ).toEqual([
      ['yandex-direct', 'RUB', 'Europe/Moscow', false, 'kadr-studio'],
      ['google-ads', 'USD', 'Europe/Moscow', false, '4817302659'],
    ]);
    expect(world.rows('yandex-direct', TODAY, LATER).map((r) => r.campaignName)).toEqual([
      'Поиск — видеопродакшн',
      'Поиск — моушн-дизайн',
      'РСЯ — ретаргетинг',
      'Бренд — Кадр',
    ]);
    expect(world.rows('google-ads', TODAY, LATER).map((r) => r.campaignName)).toEqual([
      'Search — motion design studio',
      'Performance Max — explainer videos',
    ]);
    expect(world.googleCustomers['4817302659']).toEqual({
      currencyCode: 'USD',
      timeZone: 'Europe/Moscow',
      descriptiveName: 'Kadr Studio — Google Ads',
    });
  });

  it('has 120 days of activity, nothing before them, and only the part of a day that has passed', () => {
    expect(world.firstDay).toBe(addDays(TODAY, -(ADS_HISTORY_DAYS - 1)));
    for (const day of daysBetween(world.firstDay, TODAY)) {
      expect(world.rows('yandex-direct', day, LATER)).toHaveLength(4);
      expect(world.rows('google-ads', day, LATER)).toHaveLength(2);
    }
    expect(world.rows('yandex-direct', addDays(world.firstDay, -1), LATER)).toEqual([]);
    // At noon in Moscow: today is half spent, tomorrow does not exist yet, yesterday is whole.
    const noon = noonIn(TODAY);
    expect(world.rows('google-ads', addDays(TODAY, 1), LATER)).toEqual([]);
    expect(world.rows('google-ads', TODAY, new Date(`${TODAY}T00:00:00+03:00`))).toEqual([]);
    expect(world.rows('google-ads', addDays(TODAY, -1), noon)).toEqual(
      world.rows('google-ads', addDays(TODAY, -1), LATER),
    );
    const half = cost(world, 'yandex-direct', TODAY, noon) / cost(world, 'yandex-direct', TODAY);
    expect(half).toBeGreaterThan(0.48);
    expect(half).toBeLessThan(0.52);
    expect(cost(world, 'yandex-direct', TODAY, noonIn(addDays(TODAY, -1)))).toBe(0);
  });

  it('is deterministic, with daily noise and quieter weekends', () => {
    const again = adsWorld({ today: TODAY });
    for (const day of daysBetween(addDays(TODAY, -30), TODAY))
      for (const p of ['yandex-direct', 'google-ads'] as const)
        expect(again.rows(p, day, noonIn(TODAY))).toEqual(world.rows(p, day, noonIn(TODAY)));
    expect(again.accounts).toEqual(world.accounts);
    // Two Mondays a week apart differ; Saturdays spend less than the Mondays around them.
    const monday = '2026-11-02';
    expect(cost(world, 'google-ads', monday)).not.toBe(cost(world, 'google-ads', addDays(monday, 7)));
    for (const week of [0, 7, 14, 21]) {
      const m = addDays(monday, week);
      expect(cost(world, 'yandex-direct', addDays(m, 5))).toBeLessThan(0.8 * cost(world, 'yandex-direct', m));
    }
  });

  it('keeps money in whole cents and hands Direct its cost with 20 % VAT', () => {
    for (const day of [world.firstDay, world.spike.day, TODAY]) {
      const net = world.rows('yandex-direct', day, noonIn(TODAY));
      const gross = world.directDays('kadr-studio', day, noonIn(TODAY));
      expect(gross.map((g) => g.costMicros)).toEqual(net.map((r) => (r.costMicros * 6) / 5));
      for (const r of [...net, ...world.rows('google-ads', day, noonIn(TODAY))]) {
        expect(r.costMicros % 10_000).toBe(0);
        expect(r.conversionValueMicros % 10_000).toBe(0);
      }
    }
    expect(world.directDays('someone-else', TODAY, LATER)).toEqual([]);
    expect(world.googleDays('1234567890', TODAY, LATER)).toEqual([]);
  });

  it('has one spend spike, five days ago, and nothing else the anomaly detector flags', () => {
    expect(world.spike).toMatchObject({ day: addDays(TODAY, -SPIKE_AGE), platform: 'google-ads' });
    expect(anomalies(world)).toEqual([
      expect.objectContaining({
        platform: 'google-ads',
        campaignId: world.spike.campaignId,
        day: world.spike.day,
        kind: 'spend-spike',
      }),
    ]);
    // The story holds whatever day the demo starts on: every other day of a year.
    for (let i = 0; i < 365; i += 2) {
      const w = adsWorld({ today: addDays('2027-01-01', i) });
      const found = anomalies(w);
      expect(found.map((a) => [w.today, a.kind, a.day])).toEqual([[w.today, 'spend-spike', w.spike.day]]);
      const ratio = found[0]!.value / found[0]!.baseline;
      expect(ratio).toBeGreaterThan(3);
      expect(ratio).toBeLessThan(4.5);
    }
  });

  it('raised Direct bids nine days ago: the month runs 20–30 % over its budget, Google Ads within its own', () => {
    const before = daysBetween(addDays(world.bidsRaisedDay, -14), addDays(world.bidsRaisedDay, -1));
    const after = daysBetween(world.bidsRaisedDay, addDays(TODAY, -1));
    const mean = (days: string[]) =>
      days.reduce((s, d) => s + cost(world, 'yandex-direct', d), 0) / days.length;
    expect(world.bidsRaisedDay).toBe(addDays(TODAY, -BIDS_RAISED_AGE));
    expect(mean(after) / mean(before)).toBeGreaterThan(1.15);
    // On every day of a leap year and the day after it: the 1st, the first week (whose pace reaches
    // into the previous month), the 29th of February and the 31st of December included.
    const off: string[] = [];
    for (let i = 0; i < 367; i++) {
      const w = adsWorld({ today: addDays('2028-01-01', i) });
      const direct = pacingAt(w, 'yandex-direct', noonIn(w.today));
      const google = pacingAt(w, 'google-ads', noonIn(w.today));
      if (!direct.alert || direct.overBy! <= 0.2 || direct.overBy! >= 0.3 || google.overBy! >= 0)
        off.push(`${w.today}: Direct ${direct.overBy!.toFixed(3)}, Google Ads ${google.overBy!.toFixed(3)}`);
    }
    expect(off).toEqual([]);
  });
});

describe('startAdsApis()', () => {
  it('serves the simulation to the real Google Ads and Yandex Direct clients, the long report through the queue', async () => {
    const world = adsWorld({ today: TODAY });
    const apis = await startAdsApis(world, () => noonIn(TODAY));
    onCleanup(() => apis.close());
    const config = testConfig({ providers: apis.providers });
    const clock = new FakeClock(noonIn(TODAY).getTime());
    const deps = await testStoreDeps(config, clock);
    const { sql } = deps;
    const site = (await getSiteByName(sql, 'studio'))!;
    for (const a of world.accounts) await insertAccount(sql, site.id, a, clock.now());
    apis.setClock(clock.now());
    const waits: number[] = [];
    const pull = (range?: { from: string; to: string }) =>
      syncSiteAds(
        {
          ...deps,
          runId: null,
          secret: makeSecretResolver(DEMO_ADS_ENV, 'test'),
          platforms: AD_PLATFORMS,
          sleep: async (ms) => void waits.push(ms),
        },
        site,
        config.sites[0]!.ads,
        range ? { range } : {},
      );

    const first = await pull({ from: world.firstDay, to: addDays(TODAY, 3) });
    expect(first.map((o) => [o.account.platform, o.status, o.rows, o.error])).toEqual([
      ['google-ads', 'ok', 2 * ADS_HISTORY_DAYS, undefined],
      ['yandex-direct', 'ok', 4 * ADS_HISTORY_DAYS, undefined],
    ]);
    // 120 days are queued by Direct once (retryIn 1 s); the daily window of three days is built at once.
    expect(waits).toEqual([1000]);
    const daily = await pull();
    expect(daily.map((o) => [o.account.platform, o.status, o.from, o.to])).toEqual([
      ['google-ads', 'ok', addDays(TODAY, -13), TODAY],
      ['yandex-direct', 'ok', addDays(TODAY, -2), TODAY],
    ]);
    expect(waits).toEqual([1000]);

    // What the clients stored is the simulation as it stood at noon, to the micro.
    const ids = new Map(world.accounts.map((a, i) => [a.platform, i + 1]));
    for (const platform of ['yandex-direct', 'google-ads'] as const) {
      const stored = await sql.all(
        `SELECT day, s.campaign_id AS "campaignId", c.name AS "campaignName", impressions, clicks,
                cost_micros AS "costMicros", conversions, conversion_value_micros AS "conversionValueMicros"
         FROM ad_stats s JOIN ad_campaigns c USING (account_id, campaign_id)
         WHERE account_id = ? ORDER BY day, s.campaign_id`,
        [ids.get(platform)],
      );
      const expected = daysBetween(world.firstDay, TODAY).flatMap((d) =>
        world.rows(platform, d, clock.now()).sort((a, b) => a.campaignId.localeCompare(b.campaignId)),
      );
      expect(stored).toEqual(expected);
    }
  });
});
