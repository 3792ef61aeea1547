// Ad spend core: the window replace, syncs with a failing account, pending reports, currencies, pacing, anomalies.
import { describe, expect, it } from 'vitest';
import { accountAlerts } from '../../src/ads/alerts.ts';
import { alertText } from '../../src/notify/text.ts';
import { adsTable, convertRows } from '../../src/ads/analysis.ts';
import { findAnomalies, robustScore, type DayStats } from '../../src/ads/anomalies.ts';
import { pacing } from '../../src/ads/pacing.ts';
import { insertAccount, listSyncs, replaceWindow, type AccountInput } from '../../src/ads/store.ts';
import { syncSiteAds, type SyncDeps } from '../../src/ads/sync.ts';
import { platformById } from '../../src/ads/registry.ts';
import { AdsError, decimalToMicros, type AdPlatform, type DailyRow } from '../../src/ads/types.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { addDays } from '../../src/util/days.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

const account = (over: Partial<AccountInput> = {}): AccountInput => ({
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Direct · studio',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
  ...over,
});

const row = (day: string, campaignId: string, costRub: number, over: Partial<DailyRow> = {}): DailyRow => ({
  day,
  campaignId,
  campaignName: `Campaign ${campaignId}`,
  impressions: 1000,
  clicks: 50,
  costMicros: costRub * 1_000_000,
  conversions: 2,
  conversionValueMicros: costRub * 3_000_000,
  ...over,
});

function setup() {
  const { db } = tempDb();
  const config = testConfig({
    sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
  });
  const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
  const deps = testDeps(db, config, clock);
  const site = getSiteByName(db, 'studio')!;
  return { db, config, clock, deps, site };
}

describe('replaceWindow()', () => {
  it('replaces the window in one go: rows that vanished upstream vanish here', () => {
    const { db, site, clock } = setup();
    const id = insertAccount(db, site.id, account(), clock.now());
    replaceWindow(
      db,
      id,
      '2026-11-01',
      '2026-11-03',
      [row('2026-11-01', '1', 100), row('2026-11-02', '1', 200), row('2026-11-03', '2', 50)],
      'api',
    );
    replaceWindow(db, id, '2026-11-02', '2026-11-03', [row('2026-11-02', '1', 210)], 'api');
    const rows = db.prepare('SELECT day, campaign_id, cost_micros FROM ad_stats ORDER BY day').all();
    expect(rows).toEqual([
      { day: '2026-11-01', campaign_id: '1', cost_micros: 100_000_000 },
      { day: '2026-11-02', campaign_id: '1', cost_micros: 210_000_000 },
    ]);
  });

  it('writes nothing when a row falls outside the window', () => {
    const { db, site, clock } = setup();
    const id = insertAccount(db, site.id, account(), clock.now());
    replaceWindow(db, id, '2026-11-01', '2026-11-01', [row('2026-11-01', '1', 100)], 'api');
    expect(() =>
      replaceWindow(
        db,
        id,
        '2026-11-01',
        '2026-11-01',
        [row('2026-11-01', '1', 5), row('2026-11-09', '1', 5)],
        'api',
      ),
    ).toThrow(/outside the window/);
    expect(db.prepare('SELECT cost_micros FROM ad_stats').pluck().all()).toEqual([100_000_000]);
  });
});

describe('syncSiteAds()', () => {
  function platform(id: AdPlatform['id'], answer: AdPlatform['pullDaily']): AdPlatform {
    return { ...platformById(id)!, defaultLookbackDays: 3, pullDaily: answer };
  }

  it('one account with an expired token fails alone; the others are stored; each sync is recorded', async () => {
    const { db, site, clock, deps: base } = setup();
    insertAccount(db, site.id, account(), clock.now());
    insertAccount(
      db,
      site.id,
      account({ platform: 'google-ads', externalId: '1234567890', name: 'Google · studio', currency: 'USD' }),
      clock.now(),
    );
    const seen: { from: string; to: string }[] = [];
    const deps: SyncDeps = {
      ...base,
      runId: null,
      platforms: [
        platform('yandex-direct', async (req) => {
          seen.push({ from: req.from, to: req.to });
          return { status: 'ok', rows: [row(req.from, '7', 10), row(req.to, '7', 20)] };
        }),
        platform('google-ads', async () => {
          throw new AdsError(
            platformById('google-ads')!,
            'auth',
            'UNAUTHENTICATED: Request had invalid authentication credentials.',
          );
        }),
      ],
    };
    const out = await syncSiteAds(deps, site, {});
    expect(out.map((o) => [o.account.platform, o.status, o.rows])).toEqual([
      ['google-ads', 'failed', 0],
      ['yandex-direct', 'ok', 2],
    ]);
    expect(out[0]!.error).toBe(
      'Google · studio: Google Ads: UNAUTHENTICATED: Request had invalid authentication credentials.',
    );
    expect(seen).toEqual([{ from: '2026-11-18', to: '2026-11-20' }]); // 3-day lookback in the account's zone
    const syncs = db.prepare('SELECT status, rows, error FROM ad_syncs ORDER BY account_id').all();
    expect(syncs).toEqual([
      { status: 'ok', rows: 2, error: null },
      { status: 'failed', rows: null, error: out[0]!.error },
    ]);
  });

  it('a report still queued ends the run "pending", and the next run asks for the same report', async () => {
    const { db, site, clock, deps: base } = setup();
    const id = insertAccount(db, site.id, account(), clock.now());
    const resumes: unknown[] = [];
    let queued = true;
    const deps: SyncDeps = {
      ...base,
      runId: null,
      platforms: [
        platform('yandex-direct', async (req) => {
          resumes.push(req.resume);
          if (queued)
            return {
              status: 'pending',
              resume: { reportName: 'r-1' },
              message: 'report still in the queue after 300 s',
            };
          return { status: 'ok', rows: [row(req.from, '1', 5)] };
        }),
      ],
    };
    expect((await syncSiteAds(deps, site, {}))[0]).toMatchObject({ status: 'pending', from: '2026-11-18' });
    clock.advance(3 * 86_400_000);
    queued = false;
    const second = (await syncSiteAds(deps, site, {}))[0]!;
    expect(second).toMatchObject({ status: 'ok', from: '2026-11-18', to: '2026-11-20' });
    expect(resumes).toEqual([null, { reportName: 'r-1' }]);
    expect(listSyncs(db, id).map((s) => s.status)).toEqual(['ok', 'pending']);
  });
});

describe('currencies', () => {
  it('keeps accounts in different currencies apart, and converts only with rates from the config', () => {
    const { db, site, clock } = setup();
    const rub = insertAccount(db, site.id, account(), clock.now());
    const usd = insertAccount(
      db,
      site.id,
      account({ platform: 'google-ads', externalId: '1234567890', currency: 'USD' }),
      clock.now(),
    );
    replaceWindow(db, rub, '2026-11-01', '2026-11-01', [row('2026-11-01', '1', 9000)], 'api');
    replaceWindow(db, usd, '2026-11-01', '2026-11-01', [row('2026-11-01', '5', 100)], 'api');
    const rows = adsTable(db, site.id, '2026-11-01', '2026-11-30', 'month', 'total');
    expect(rows.map((r) => [r.currency, r.costMicros])).toEqual([
      ['RUB', 9_000_000_000],
      ['USD', 100_000_000],
    ]);
    expect(() => convertRows(rows, { base: 'RUB', rates: {} })).toThrow(/no exchange rate for USD/);
    const converted = convertRows(rows, { base: 'RUB', rates: { USD: 90 } });
    expect(converted).toHaveLength(1);
    expect(converted[0]).toMatchObject({ currency: 'RUB', costMicros: 18_000_000_000, clicks: 100 });
  });

  it('reads decimal money exactly into micros', () => {
    expect(decimalToMicros('974.79')).toBe(974_790_000);
    expect(decimalToMicros('0.1')).toBe(100_000);
    expect(decimalToMicros('12')).toBe(12_000_000);
    expect(decimalToMicros('1,5')).toBeNull();
  });
});

describe('pacing()', () => {
  it("forecasts from the last week's pace and warns past the margin", () => {
    const daily = new Map<string, number>();
    for (let d = 1; d <= 19; d++)
      daily.set(`2026-11-${String(d).padStart(2, '0')}`, (d <= 12 ? 4000 : 8000) * 1e6);
    const p = pacing(daily, '2026-11-20', 150_000 * 1e6, 10);
    // Through the 19th: 12 × 4000 + 7 × 8000 = 104,000; 11 days left at 8,000 → 192,000.
    expect(p.completeMicros).toBe(104_000 * 1e6);
    expect(p.forecastMicros).toBe(192_000 * 1e6);
    expect(p.alert).toBe(true);
    expect(pacing(daily, '2026-11-20', 200_000 * 1e6, 10).alert).toBe(false);
  });
});

describe('findAnomalies()', () => {
  const series = (days: number, end: string, f: (d: string, i: number) => DayStats | null) => {
    const m = new Map<string, DayStats>();
    for (let i = 0; i < days; i++) {
      const d = addDays(end, -i);
      const v = f(d, i);
      if (v) m.set(d, v);
    }
    return m;
  };
  const normal = (i: number): DayStats => ({
    impressions: 2000 + (i % 5) * 40,
    clicks: 80 + (i % 3),
    costMicros: (5000 + (i % 7) * 90) * 1e6,
    conversions: 4,
  });

  it('flags a spend spike against the same weekday of the previous 8 weeks, and only that', () => {
    const s = series(70, '2026-11-20', (_d, i) =>
      i === 0 ? { ...normal(i), costMicros: 21_000 * 1e6, conversions: 4 } : normal(i),
    );
    const found = findAnomalies('c1', s, ['2026-11-20']);
    expect(found.map((a) => a.kind)).toContain('spend-spike');
    expect(findAnomalies('c1', s, ['2026-11-19'])).toEqual([]);
  });

  it('flags an active campaign with no impressions, and not one with too little history', () => {
    const s = series(70, '2026-11-20', (_d, i) => (i === 0 ? null : normal(i)));
    expect(findAnomalies('c1', s, ['2026-11-20'])).toEqual([
      expect.objectContaining({ kind: 'zero-impressions', day: '2026-11-20' }),
    ]);
    const short = series(30, '2026-11-20', (_d, i) => (i === 0 ? null : normal(i)));
    expect(findAnomalies('c1', short, ['2026-11-20'])).toEqual([]);
  });

  it('flags a CTR collapse and a CPA jump', () => {
    const s = series(70, '2026-11-20', (_d, i) =>
      i === 0 ? { impressions: 2100, clicks: 12, costMicros: 5200 * 1e6, conversions: 0 } : normal(i),
    );
    const kinds = findAnomalies('c1', s, ['2026-11-20']).map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ctr-drop', 'cpa-jump']));
  });

  it('scores robustly: one earlier spike does not hide the next', () => {
    const history = [100, 102, 98, 101, 500, 99, 100, 103];
    expect(robustScore(400, history).score).toBeGreaterThan(3.5);
  });
});

describe('accountAlerts()', () => {
  it('raises each anomaly once and a budget warning once a month', () => {
    const { db, site, clock } = setup();
    const id = insertAccount(db, site.id, account({ monthlyBudgetMicros: 100_000 * 1e6 }), clock.now());
    const rows: DailyRow[] = [];
    for (let i = 1; i <= 80; i++) {
      const day = addDays('2026-11-19', -i + 1);
      rows.push(row(day, '1', i === 1 ? 30_000 : 5000));
    }
    replaceWindow(db, id, rows.at(-1)!.day, '2026-11-19', rows, 'api');
    const acc = { ...account({ monthlyBudgetMicros: 100_000 * 1e6 }), id, siteId: site.id };
    const first = accountAlerts(db, 'studio', acc, {}, clock.now());
    expect(first.messages.map((m) => m.kind)).toEqual(['anomaly', 'budget']);
    expect(alertText(first.messages[0]!, { lang: 'en', timeZone: 'UTC' }).lines[0]).toMatch(
      /^19 Nov 2026 Campaign 1 .*spend spike — ₽30,000 against a usual ₽5,000$/,
    );
    expect(alertText(first.messages[0]!, { lang: 'ru', timeZone: 'UTC' }).lines[0]).toMatch(
      /^19 нояб\. 2026 г\. Campaign 1 .*всплеск расхода — 30\u00a0000\u00a0₽ при обычных 5\u00a0000\u00a0₽$/,
    );
    const again = accountAlerts(db, 'studio', acc, {}, clock.now());
    expect(again.messages).toEqual([]);
  });

  it('names the seven days its budget pace comes from early in a month too, when they reach into the last', () => {
    const { db, site } = setup();
    const budget = { monthlyBudgetMicros: 100_000 * 1e6 };
    const id = insertAccount(db, site.id, account(budget), new Date('2026-10-01T09:00:00Z'));
    const rows: DailyRow[] = [];
    for (let day = '2026-10-20'; day <= '2026-11-04'; day = addDays(day, 1)) rows.push(row(day, '1', 5000));
    replaceWindow(db, id, '2026-10-20', '2026-11-04', rows, 'api');
    const acc = { ...account(budget), id, siteId: site.id };
    // Noon on 4 November in Moscow: three complete days (the fewest a "heading over" alert waits for),
    // the pace of 28 October – 3 November.
    const { messages } = accountAlerts(db, 'studio', acc, {}, new Date('2026-11-04T09:00:00Z'));
    const lines = messages
      .filter((m) => m.kind === 'budget')
      .map((m) => alertText(m, { lang: 'en', timeZone: 'Europe/Moscow' }).lines[1]);
    expect(lines).toEqual([
      'At the pace of the last 7 days (₽5,000 a day) the month ends at ₽150,000: 50% over budget.',
    ]);
  });
});
