// Microsoft Advertising: the CSV and ZIP readers, and the submit → poll → download flow against a local stand-in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createMicrosoftAdsPlatform,
  MSADS_COLUMNS,
  parseMsCsv,
  reportTimeZone,
} from '../../../src/ads/platforms/microsoft-ads.ts';
import { AdsError, type AdAccount, type PlatformDeps, type PullResult } from '../../../src/ads/types.ts';
import { FakeClock, localServer } from '../../helpers.ts';
import {
  buildZip,
  microsoftAdsHandler,
  type MsAdsServerOptions,
  type MsReportRow,
} from '../../servers/microsoft-ads.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/ads/${name}`, import.meta.url), 'utf8');

const CLIENT_ID = '4c0b021f-e5b5-4f5f-8c23-bc1d6e5b1d2a';
const REFRESH_TOKEN = 'M.C5-configured-refresh-token-7f3a';
const DEVELOPER_TOKEN = 'BBD37VB98-dev-token';
const CUSTOMER_ID = '251186883';
const ACCOUNT_ID = '141454913';

const account: AdAccount = {
  id: 1,
  siteId: 1,
  platform: 'microsoft-ads',
  externalId: ACCOUNT_ID,
  name: 'Bing · studio',
  currency: 'USD',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
};

const msRow = (
  day: string,
  campaignId: string,
  spend: string,
  over: Partial<MsReportRow> = {},
): MsReportRow => ({
  day,
  campaignId,
  campaignName: `Campaign ${campaignId}`,
  impressions: 1000,
  clicks: 40,
  spend,
  conversions: '2.00',
  revenue: '150.25',
  ...over,
});

const rows: MsReportRow[] = [
  msRow('2026-11-19', '55', '9.99'),
  msRow('2026-11-20', '55', '12.34'),
  msRow('2026-11-20', '56', '0.07', {
    campaignName: 'Motion, "design"',
    conversions: '0.00',
    revenue: '0.00',
  }),
  msRow('2026-11-21', '55', '1096.10'),
];

async function msads(
  opts: Partial<MsAdsServerOptions> = {},
  clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z')),
) {
  const server = microsoftAdsHandler({
    rows,
    clientId: CLIENT_ID,
    refreshToken: REFRESH_TOKEN,
    developerToken: DEVELOPER_TOKEN,
    customerId: CUSTOMER_ID,
    accountIds: [ACCOUNT_ID],
    now: () => clock.t,
    ...opts,
  });
  const base = await localServer(server);
  const sleeps: number[] = [];
  const deps = (settings: Record<string, unknown> = {}): PlatformDeps => ({
    fetch: globalThis.fetch,
    now: clock.now,
    // The fake clock moves as the connector waits, so a token can expire during a long queue.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    settings: {
      baseUrl: base,
      tokenUrl: `${base}token`,
      clientId: CLIENT_ID,
      refreshToken: REFRESH_TOKEN,
      developerToken: DEVELOPER_TOKEN,
      customerId: CUSTOMER_ID,
      ...settings,
    },
  });
  return { server, base, deps, clock, sleeps, platform: createMicrosoftAdsPlatform() };
}

const pull = { account, from: '2026-11-20', to: '2026-11-21', resume: null };

async function failure(p: Promise<unknown>): Promise<AdsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdsError);
  return err as AdsError;
}

function okRows(result: PullResult) {
  expect(result.status).toBe('ok');
  return result.status === 'ok' ? result.rows : [];
}

describe('parseMsCsv()', () => {
  it('reads a report with a BOM by column name, money exactly into micros, quoted commas and thousands', () => {
    expect(parseMsCsv(fixture('msads-campaign-daily.csv'))).toEqual([
      {
        day: '2026-11-20',
        campaignId: '571543153',
        campaignName: 'Brand — Search',
        impressions: 1204,
        clicks: 87,
        costMicros: 1_096_100_000,
        conversions: 4,
        conversionValueMicros: 12_480_500_000,
      },
      {
        day: '2026-11-20',
        campaignId: '571615527',
        campaignName: 'Motion, design "studio"',
        impressions: 310,
        clicks: 12,
        costMicros: 18_070_000,
        conversions: 0,
        conversionValueMicros: 0,
      },
      {
        day: '2026-11-21',
        campaignId: '571543153',
        campaignName: 'Brand — Search',
        impressions: 998,
        clicks: 61,
        costMicros: 845_500_000,
        conversions: 2.5,
        conversionValueMicros: 0,
      },
      {
        day: '2026-11-21',
        campaignId: '571615527',
        campaignName: 'Motion, design "studio"',
        impressions: 0,
        clicks: 0,
        costMicros: 0,
        conversions: 0,
        conversionValueMicros: 0,
      },
    ]);
  });

  it('skips the report header and footer and reads M/D/YYYY days', () => {
    const parsed = parseMsCsv(fixture('msads-campaign-daily-with-header.csv'));
    expect(parsed.map((r) => [r.day, r.costMicros, r.conversionValueMicros])).toEqual([
      ['2026-11-20', 1_096_100_000, 12_480_500_000],
      ['2026-11-21', 845_500_000, 0],
    ]);
  });

  it('reads columns in any order and treats missing Conversions and Revenue as zero', () => {
    const text =
      '"Spend","Clicks","Impressions","CampaignName","CampaignId","TimePeriod"\n"3.5","2","30","A","9","2026-11-20"\n';
    expect(parseMsCsv(text)).toEqual([
      {
        day: '2026-11-20',
        campaignId: '9',
        campaignName: 'A',
        impressions: 30,
        clicks: 2,
        costMicros: 3_500_000,
        conversions: 0,
        conversionValueMicros: 0,
      },
    ]);
  });

  it('reads an empty file as no rows', () => {
    expect(parseMsCsv('\uFEFF')).toEqual([]);
  });

  it('calls a missing column, a bad number, a bad day, a short row and a cut-off quote malformed', () => {
    const header = '"TimePeriod","CampaignId","CampaignName","Impressions","Clicks","Spend"\r\n';
    const cases: [string, RegExp][] = [
      [
        '"TimePeriod","CampaignId","CampaignName","Impressions","Clicks"\r\n"2026-11-20","1","A","1","1"',
        /Spend/,
      ],
      [`${header}"2026-11-20","1","A","1","1","12,3x"`, /Spend "12,3x"/],
      [`${header}"2026-11-20","1","A","1.5","1","1"`, /Impressions "1\.5"/],
      [`${header}"2026-02-30","1","A","1","1","1"`, /TimePeriod "2026-02-30"/],
      [`${header}"2026-11-20","1","A","1"`, /4 cells/],
      [`${header}"2026-11-20","1","A`, /quoted cell/],
      ['"Report Name: x"\r\n"Rows: 3"\r\n', /TimePeriod/],
    ];
    for (const [text, message] of cases) {
      const err = (() => {
        try {
          parseMsCsv(text);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AdsError);
      expect((err as AdsError).kind).toBe('malformed');
      expect((err as AdsError).message).toMatch(message);
    }
  });
});

describe('microsoftAds.pullDaily()', () => {
  it('submits a daily campaign report for the account, polls through Pending, downloads and reads the ZIP', async () => {
    const { server, deps, sleeps, platform } = await msads({ pendingPolls: 2 });
    const result = await platform.pullDaily(pull, deps());
    expect(
      okRows(result).map((r) => [r.day, r.campaignId, r.costMicros, r.conversions, r.conversionValueMicros]),
    ).toEqual([
      ['2026-11-20', '55', 12_340_000, 2, 150_250_000],
      ['2026-11-20', '56', 70_000, 0, 0],
      ['2026-11-21', '55', 1_096_100_000, 2, 150_250_000],
    ]);
    expect(okRows(result)[1]!.campaignName).toBe('Motion, "design"');
    expect(result.status === 'ok' && result.account).toEqual({ currency: 'USD' });
    expect(server.submits).toHaveLength(1);
    const submit = server.submits[0]!;
    expect(submit.headers.developertoken).toBe(DEVELOPER_TOKEN);
    expect(submit.headers.customerid).toBe(CUSTOMER_ID);
    expect(submit.headers.customeraccountid).toBe(ACCOUNT_ID);
    expect(submit.headers.authorization).toMatch(/^Bearer EwB4A8l6BAAU-fake-/);
    expect(submit.body.ReportRequest).toMatchObject({
      Type: 'CampaignPerformanceReportRequest',
      Format: 'Csv',
      Aggregation: 'Daily',
      ExcludeReportHeader: true,
      ExcludeReportFooter: true,
      ExcludeColumnHeaders: false,
      Columns: [...MSADS_COLUMNS],
      Scope: { AccountIds: [141454913] },
      Time: {
        CustomDateRangeStart: { Day: 20, Month: 11, Year: 2026 },
        CustomDateRangeEnd: { Day: 21, Month: 11, Year: 2026 },
        ReportTimeZone: 'MoscowStPetersburgVolgograd',
      },
    });
    expect(server.polls).toHaveLength(3);
    expect(sleeps).toEqual([2000, 4000]);
    const form = server.tokenRequests[0]!;
    expect(Object.fromEntries(form)).toEqual({
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      scope: 'https://ads.microsoft.com/msads.manage offline_access',
    });
  });

  it('reads US-formatted days from the report', async () => {
    const { deps, platform } = await msads({ dateFormat: 'us' });
    expect(okRows(await platform.pullDaily(pull, deps())).map((r) => r.day)).toEqual([
      '2026-11-20',
      '2026-11-20',
      '2026-11-21',
    ]);
  });

  it('returns no rows when the report succeeds without a download URL', async () => {
    const { server, deps, platform } = await msads({ rows: [] });
    expect(await platform.pullDaily(pull, deps())).toEqual({ status: 'ok', rows: [] });
    expect(server.downloads).toEqual([]);
  });

  it('ends pending at the queue bound and the next run polls the same request instead of submitting again', async () => {
    const { server, deps, sleeps, platform } = await msads({ pendingPolls: 10 });
    const first = await platform.pullDaily(pull, deps({ maxQueueWaitSeconds: 10 }));
    expect(first.status).toBe('pending');
    if (first.status !== 'pending') return;
    expect(first.resume).toEqual({ reportRequestId: server.polls[0], from: '2026-11-20', to: '2026-11-21' });
    expect(first.message).toMatch(/still building report .* after 10 s; the next run picks it up/);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    server.setPendingPolls(0);
    const second = await platform.pullDaily(
      { ...pull, resume: first.resume },
      deps({ maxQueueWaitSeconds: 600 }),
    );
    expect(okRows(second)).toHaveLength(3);
    expect(server.submits).toHaveLength(1);
    expect(new Set(server.polls).size).toBe(1);
  });

  it('does not resume a request made for another window', async () => {
    const { server, deps, platform } = await msads({ pendingPolls: 0 });
    const first = await platform.pullDaily({ ...pull, from: '2026-11-19' }, deps());
    expect(okRows(first)).toHaveLength(4);
    const resume = { reportRequestId: server.polls[0], from: '2026-11-19', to: pull.to };
    expect(okRows(await platform.pullDaily({ ...pull, resume }, deps()))).toHaveLength(3);
    expect(server.submits).toHaveLength(2);
  });

  it('with no queue wait allowed, polls once and ends pending', async () => {
    const { server, deps, sleeps, platform } = await msads({ pendingPolls: 1 });
    const result = await platform.pullDaily(pull, deps({ maxQueueWaitSeconds: 0 }));
    expect(result.status).toBe('pending');
    expect(server.polls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('submits anew when the resumed request is unknown to Microsoft', async () => {
    const { server, deps, platform } = await msads();
    const resume = { reportRequestId: '29999999999_gone', from: pull.from, to: pull.to };
    expect(okRows(await platform.pullDaily({ ...pull, resume }, deps()))).toHaveLength(3);
    expect(server.polls[0]).toBe('29999999999_gone');
    expect(server.submits).toHaveLength(1);
  });

  it('reuses the access token across pulls and refreshes it once when Microsoft calls it expired', async () => {
    const { server, deps, platform } = await msads({ pendingPolls: 0 });
    await platform.pullDaily(pull, deps());
    await platform.pullDaily(pull, deps());
    expect(server.tokenRequests).toHaveLength(1);
    server.faults.push('expired-token');
    expect(okRows(await platform.pullDaily(pull, deps()))).toHaveLength(3);
    expect(server.tokenRequests).toHaveLength(2);
    // The refresh token Microsoft rotated in is the one used next.
    expect(server.tokenRequests[1]!.get('refresh_token')).toMatch(/^M\.C5-rotated-1-/);
  });

  it('asks for a new token when the cached one is about to run out', async () => {
    const { server, deps, clock, platform } = await msads({ pendingPolls: 0, tokenTtlS: 3600 });
    await platform.pullDaily(pull, deps());
    clock.advance(56 * 60_000);
    await platform.pullDaily(pull, deps());
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('reports a revoked refresh token as an auth error naming what to do, without any secret', async () => {
    const { server, deps, platform } = await msads();
    server.tokenFaults.push('invalid-grant');
    const err = await failure(platform.pullDaily(pull, deps({ clientSecret: 'client-secret-xyz' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^Microsoft Advertising: the Microsoft token endpoint .* HTTP 400 invalid_grant: AADSTS70000/,
    );
    expect(err.message).toMatch(/providers\.microsoftAds\.refreshToken/);
    for (const secret of [REFRESH_TOKEN, DEVELOPER_TOKEN, 'client-secret-xyz'])
      expect(err.message).not.toContain(secret);
  });

  it('names missing credentials before calling anyone', async () => {
    const { server, deps, platform } = await msads();
    const err = await failure(
      platform.pullDaily(pull, deps({ developerToken: undefined, refreshToken: '' })),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /providers\.microsoftAds\.refreshToken, providers\.microsoftAds\.developerToken/,
    );
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('turns CallRateExceeded (117) into a quota error with Microsoft’s text and a retry hint', async () => {
    const { server, deps, platform } = await msads();
    server.faults.push('call-rate');
    const err = await failure(platform.pullDaily(pull, deps()));
    expect(err.kind).toBe('quota');
    expect(err.message).toMatch(/CallRateExceeded \(117\): You have exceeded the number of calls/);
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('surfaces an operation error such as UserIsNotAuthorized (106) as auth with its TrackingId', async () => {
    const { deps, platform } = await msads({ accountIds: ['999'] });
    const err = await failure(platform.pullDaily(pull, deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/UserIsNotAuthorized \(106\).*TrackingId 91726173/);
    expect(err.message).toMatch(/cannot read account 141454913 under customer 251186883/);
  });

  it('reports a wrong developer token (105) as auth after one fresh token does not help', async () => {
    const { server, deps, platform } = await msads();
    const err = await failure(platform.pullDaily(pull, deps({ developerToken: 'wrong-dev-token' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/InvalidCredentials \(105\).*developerToken/);
    expect(err.message).not.toContain('wrong-dev-token');
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('fails with Microsoft’s status when the report cannot be built', async () => {
    const { server, deps, platform } = await msads({ pendingPolls: 1 });
    server.faults.push('report-error');
    const err = await failure(platform.pullDaily(pull, deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/could not build report .* \(status Error\)/);
  });

  it('calls a cut-off answer, a broken ZIP and a broken CSV malformed', async () => {
    for (const setup of [
      (s: ReturnType<typeof microsoftAdsHandler>) => s.faults.push('malformed-json'),
      (s: ReturnType<typeof microsoftAdsHandler>) => s.downloadFaults.push('bad-zip'),
      (s: ReturnType<typeof microsoftAdsHandler>) => s.downloadFaults.push('malformed-csv'),
    ]) {
      const { server, deps, platform } = await msads({ pendingPolls: 0 });
      setup(server);
      const err = await failure(platform.pullDaily(pull, deps()));
      expect(err.kind).toBe('malformed');
    }
  });

  it('does not show the pre-signed download link when the download is refused', async () => {
    const { server, deps, platform } = await msads({ pendingPolls: 0 });
    server.downloadFaults.push('expired-link');
    const err = await failure(platform.pullDaily(pull, deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/HTTP 403/);
    expect(err.message).not.toMatch(/sig=|fAkEsIgNaTuRe/);
  });

  it('refuses an account number where the numeric account id belongs', async () => {
    const { server, deps, platform } = await msads();
    const err = await failure(
      platform.pullDaily({ ...pull, account: { ...account, externalId: 'B012XYZ7' } }, deps()),
    );
    expect(err.message).toMatch(/numeric account ID/);
    expect(server.submits).toHaveLength(0);
  });

  it('maps IANA zones to Microsoft report time zones', () => {
    expect(reportTimeZone('Europe/Moscow')).toBe('MoscowStPetersburgVolgograd');
    expect(reportTimeZone('Asia/Yekaterinburg')).toBe('Ekaterinburg');
    expect(reportTimeZone('America/Los_Angeles')).toBe('PacificTimeUSCanadaTijuana');
    expect(reportTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });
});
