// A new ad platform is one file and one line: the made-up platform in ./fake-ads.ts is added to the list
// in src/ads/platforms/index.ts — here by vi.mock, the same one line a newcomer writes there — and shows
// up, with nothing else edited, in the config schema and example, the account form, the spend chart's
// colours, the CLI-facing checks and the pull-ads job.
import { describe, expect, it, vi } from 'vitest';
import { JOB_NAMES } from '../../../jobs/index.ts';
import { pullAdsJob } from '../../../jobs/pull-ads.ts';
import { runJob } from '../../../jobs/runner.ts';
import { accountProblems, insertAccount, listAccounts } from '../../../src/ads/store.ts';
import { exampleConfig } from '../../../src/config/example.ts';
import { ConfigError, makeSecretResolver, validateConfig } from '../../../src/config/load.ts';
import { memoryLogger } from '../../../src/util/log.ts';
import { createApp } from '../../../web/app.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../../helpers.ts';
import { formPoster, json, text } from '../../web/ads-setup.ts';
import { fakeAds, fakeAdsCalls } from './fake-ads.ts';

// The one line: the registry with the fake platform added to it.
vi.mock('../../../src/ads/platforms/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/ads/platforms/index.ts')>();
  const { fakeAds } = await import('./fake-ads.ts');
  return { AD_PLATFORMS: [...real.AD_PLATFORMS, fakeAds] };
});

const SITES = [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/', timeZone: 'Europe/Moscow' }];

function configError(input: Record<string, unknown>): string[] {
  try {
    validateConfig({ sites: SITES, ...input }, JOB_NAMES);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('a platform added to the registry', () => {
  it('is validated in the config: its providers block, its secrets and its lookback', async () => {
    const config = validateConfig(
      {
        sites: [{ ...SITES[0], ads: { lookbackDays: { 'fake-ads': 5 } } }],
        providers: { fakeAds: { apiKey: { env: 'FAKE_ADS_KEY' }, agency: 'north' } },
      },
      JOB_NAMES,
    );
    expect(config.providers.fakeAds).toEqual({ apiKey: { env: 'FAKE_ADS_KEY' }, agency: 'north' });
    expect(configError({ providers: { fakeAds: { apiKey: 'sk-live-123' } } })).toEqual([
      expect.stringMatching(/^Config: providers\.fakeAds\.apiKey is a literal secret/),
    ]);
    expect(configError({ providers: { fakeAds: { apiKey: { env: 'K' }, region: 'eu' } } })).toEqual([
      expect.stringContaining(
        'providers.fakeAds has unknown key "region" (expected: baseUrl, apiKey, agency)',
      ),
    ]);
    expect(configError({ sites: [{ ...SITES[0], ads: { lookbackDays: { 'fake-ads': 500 } } }] })).toEqual([
      expect.stringContaining('sites[0].ads.lookbackDays.fake-ads'),
    ]);
  });

  it('is in the example config `promowatch init` writes, which the schema takes', async () => {
    const example = exampleConfig([]) as { providers: Record<string, unknown> };
    expect(example.providers.fakeAds).toEqual({ apiKey: { env: 'FAKE_ADS_KEY' } });
    expect(validateConfig(example, []).providers.fakeAds).toEqual({ apiKey: { env: 'FAKE_ADS_KEY' } });
  });

  it('is checked in code: its id rule applies, and a name no platform has is refused with the list', async () => {
    const base = {
      externalId: 'FA-77',
      name: 'Fake',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      costIncludesVat: false,
      monthlyBudgetMicros: null,
      credentials: {},
      lookbackDays: null,
    };
    expect(accountProblems({ ...base, platform: 'fake-ads' })).toEqual([]);
    expect(accountProblems({ ...base, platform: 'fake-ads', externalId: '77' })).toEqual([
      'Fake Ads account id "77" must be like fa-123',
    ]);
    expect(accountProblems({ ...base, platform: 'tiktok-ads' })).toEqual([
      'platform must be one of google-ads, yandex-direct, microsoft-ads, meta, fake-ads',
    ]);
  });

  it('is offered in the account form, in both languages, with its own credential', async () => {
    const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
    const config = testConfig();
    const { db, sql } = await testStoreDeps(config, clock);
    const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
    const en = await text(app.request('/ads?site=studio'));
    expect(en).toContain('<option value="fake-ads">Fake Ads</option>');
    expect(en).toMatch(/name="cred_apiKey"[^>]*placeholder="FAKE_ADS_KEY"/);
    const ru = await text(app.request('/ads?site=studio', { headers: { 'accept-language': 'ru' } }));
    expect(ru).toContain('<option value="fake-ads">Фейк Реклама</option>');

    const post = await formPoster(app);
    const fields = {
      platform: 'fake-ads',
      external_id: 'FA-77',
      name: 'Fake EU',
      currency: 'EUR',
      time_zone: 'Europe/Berlin',
    };
    const refused = await post('/ads/accounts', { ...fields, cred_token: 'DIRECT_TOKEN_X' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('apiKey');
    const added = await post('/ads/accounts', { ...fields, cred_apiKey: 'FAKE_ADS_KEY_EU' });
    expect(added.status).toBe(303);
    expect(await listAccounts(sql, (await siteByName(sql, 'studio'))!.id)).toEqual([
      expect.objectContaining({
        platform: 'fake-ads',
        externalId: 'fa-77',
        credentials: { apiKey: { env: 'FAKE_ADS_KEY_EU' } },
      }),
    ]);
  });

  it('is pulled by the pull-ads job with its settings, and drawn in its colour on the spend chart', async () => {
    const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
    const config = testConfig({ providers: { fakeAds: { apiKey: { env: 'FAKE_ADS_KEY' } } } });
    const deps = {
      ...(await testStoreDeps(config, clock)),
      secret: makeSecretResolver({ FAKE_ADS_KEY: 'k-1' }, 'test'),
    };
    const { db, sql } = deps;
    const site = (await siteByName(sql, 'studio'))!;
    await insertAccount(
      sql,
      site.id,
      {
        platform: 'fake-ads',
        externalId: 'fa-1',
        name: 'Fake EU',
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        costIncludesVat: false,
        monthlyBudgetMicros: null,
        credentials: {},
        lookbackDays: null,
      },
      clock.now(),
    );
    fakeAdsCalls.length = 0;
    const outcome = await runJob(deps, pullAdsJob, site, 'cli');
    expect(outcome).toMatchObject({ status: 'ok', counts: { accounts: 1, rows: 1 } });
    expect(fakeAdsCalls).toEqual([
      { from: '2026-11-19', to: '2026-11-20', settings: expect.objectContaining({ apiKey: 'k-1' }) },
    ]);
    expect(await sql.all('SELECT day, campaign_id, cost_micros, source FROM ad_stats')).toEqual([
      { day: '2026-11-20', campaign_id: 'f1', cost_micros: 4_500_000_000, source: 'api' },
    ]);

    const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
    const trend = await json<{ charts: { spend: { datasets: Record<string, unknown>[] } } }>(
      app.request('/api/ads/trend?site=studio&days=7&period=day&group=platform'),
    );
    expect(trend.charts.spend.datasets).toEqual([
      expect.objectContaining({ key: 'fake-ads', label: 'Fake Ads', colour: fakeAds.colour }),
    ]);
  });

  it('leaves an account of a platform no longer in the list unpulled, saying which platforms there are', async () => {
    const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
    const deps = await testStoreDeps(testConfig(), clock);
    const { sql } = deps;
    const site = (await siteByName(sql, 'studio'))!;
    // Written before the platform's file was removed: the database takes any name since migration 015.
    await sql.run(
      `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at)
       VALUES (?, 'gone-ads', 'g-1', 'Old one', 'EUR', 'UTC', '2026-01-01T00:00:00Z')`,
      [site.id],
    );
    const outcome = await runJob(deps, pullAdsJob, site, 'cli');
    expect(outcome.status).toBe('failed');
    expect(await sql.all('SELECT status, error FROM ad_syncs')).toEqual([
      {
        status: 'failed',
        error:
          'Old one (gone-ads): "gone-ads" is not an ad platform this promowatch knows (known: google-ads, yandex-direct, microsoft-ads, meta, fake-ads); remove the account or upgrade',
      },
    ]);
  });
});
