import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_QUERY,
  campaignDailyQuery,
  createGoogleAds,
  googleAds,
  parseCustomer,
  parseGoogleAdsError,
  parseSearchStream,
} from '../../../src/ads/platforms/google-ads.ts';
import { AdsError, type AdAccount, type PlatformDeps, type PullRequest } from '../../../src/ads/types.ts';
import { closedPortUrl, FakeClock, localServer } from '../../helpers.ts';
import {
  googleAdsHandler,
  type FakeCampaignDay,
  type GoogleAdsServerOptions,
} from '../../../src/demo/servers/google-ads.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/ads/${name}`, import.meta.url), 'utf8');

const CLIENT_ID = '1234-abc.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-client-secret-7f3a';
const REFRESH_TOKEN = '1//0g-refresh-token-9Qx2';
const DEVELOPER_TOKEN = 'dev-TOKEN-22-chars-abcd';
const CUSTOMER = '1234567890';
const MANAGED = '5556667777';
const MANAGER = '9998887777';

const account: AdAccount = {
  id: 1,
  siteId: 1,
  platform: 'google-ads',
  externalId: CUSTOMER,
  name: 'Studio',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
};
const week: PullRequest = { account, from: '2026-09-01', to: '2026-09-07', resume: null };

const brand = (over: Partial<FakeCampaignDay> = {}): FakeCampaignDay => ({
  id: '20734516832',
  name: 'Поиск — видеостудия',
  impressions: 1000,
  clicks: 80,
  costMicros: 2_500_000_000,
  conversions: 4,
  conversionsValue: 1234.56,
  ...over,
});
const pmax = (over: Partial<FakeCampaignDay> = {}): FakeCampaignDay => ({
  id: '20734516899',
  name: 'PMax | Brand "Луч"',
  impressions: 212,
  clicks: 0,
  costMicros: 1_480_000,
  conversions: 0,
  conversionsValue: 0,
  ...over,
});

/** Two campaigns on 1, 2 and 5 September; nothing on the other days. */
function activity(customerId: string, day: string): FakeCampaignDay[] {
  if (customerId === MANAGED) return day === '2026-09-02' ? [brand()] : [];
  if (day === '2026-09-01') return [brand(), pmax()];
  if (day === '2026-09-02') return [brand({ impressions: 900, clicks: 70, conversionsValue: 0.1 })];
  if (day === '2026-09-05') return [pmax({ impressions: 0, costMicros: 0 }), brand({ conversions: 1.5 })];
  if (day === '2026-08-31' || day === '2026-09-08') return [brand({ costMicros: 999 })];
  return [];
}

async function ads(
  opts: Partial<GoogleAdsServerOptions> = {},
  clock = new FakeClock(Date.parse('2026-09-08T06:00:00Z')),
) {
  const server = googleAdsHandler({
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN },
    customers: {
      [CUSTOMER]: { currencyCode: 'RUB', timeZone: 'Europe/Moscow', descriptiveName: 'Видеостудия «Луч»' },
      [MANAGED]: {
        currencyCode: 'USD',
        timeZone: 'America/New_York',
        descriptiveName: 'Client',
        manager: MANAGER,
      },
    },
    rows: activity,
    batchSize: 2,
    now: () => clock.t,
    ...opts,
  });
  const base = await localServer(server);
  const sleeps: number[] = [];
  const deps = (settings: Record<string, unknown> = {}): PlatformDeps => ({
    fetch: globalThis.fetch,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    settings: {
      baseUrl: base,
      tokenUrl: `${base}token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: REFRESH_TOKEN,
      ...settings,
    },
  });
  return { server, base, deps, clock, sleeps, platform: createGoogleAds() };
}

async function failure(p: Promise<unknown>): Promise<AdsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdsError);
  return err as AdsError;
}

function thrown(fn: () => unknown): AdsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdsError);
    return e as AdsError;
  }
  throw new Error('expected an AdsError');
}

describe('Google Ads parsers', () => {
  it('parseSearchStream() merges the batches, reads int64 strings and counts omitted metrics as 0', () => {
    expect(parseSearchStream(fixture('google-ads-search-stream.json'))).toEqual([
      {
        day: '2026-09-01',
        campaignId: '20734516832',
        campaignName: 'Поиск — видеостудия',
        impressions: 1000,
        clicks: 80,
        costMicros: 2_500_000_000,
        conversions: 4,
        conversionValueMicros: 1_234_560_000,
      },
      {
        day: '2026-09-01',
        campaignId: '20734516899',
        campaignName: 'PMax | Brand "Луч"',
        impressions: 212,
        clicks: 3,
        costMicros: 1_480_000,
        conversions: 0.5,
        conversionValueMicros: 0,
      },
      {
        day: '2026-09-03',
        campaignId: '20734516832',
        campaignName: 'Поиск — видеостудия',
        impressions: 7,
        clicks: 0,
        costMicros: 9_007_199_254_740_991,
        conversions: 1.3333333333333333,
        conversionValueMicros: 33_333_333,
      },
      {
        day: '2026-09-03',
        campaignId: '20734516899',
        campaignName: 'PMax | Brand "Луч"',
        impressions: 0,
        clicks: 0,
        costMicros: 0,
        conversions: 0,
        conversionValueMicros: 0,
      },
    ]);
  });

  it('parseSearchStream() turns conversion values into micros by rounding the exact double', () => {
    const row = (value: unknown) =>
      JSON.stringify([
        {
          results: [
            {
              campaign: { id: '1', name: 'c' },
              segments: { date: '2026-09-01' },
              metrics: { conversionsValue: value },
            },
          ],
        },
      ]);
    const micros = (value: unknown) => parseSearchStream(row(value))[0]!.conversionValueMicros;
    expect(micros(1234.56)).toBe(1_234_560_000);
    expect(micros(0.1)).toBe(100_000);
    expect(micros(2.9999999999999996)).toBe(3_000_000);
    expect(micros(0.0000004)).toBe(0);
    expect(micros(0.0000006)).toBe(1);
    expect(micros(19.99)).toBe(19_990_000);
    expect(micros('7.25')).toBe(7_250_000);
  });

  it('parseSearchStream() reads a stream without results, and an empty array, as no rows', () => {
    expect(parseSearchStream(fixture('google-ads-search-stream-empty.json'))).toEqual([]);
    expect(parseSearchStream('[]')).toEqual([]);
  });

  it('parseSearchStream() calls cut-off JSON, a non-array and unreadable numbers malformed', () => {
    const bodies = [
      '[{"results":[{"campaign":{"resourceName":"customers/',
      '{"results":[]}',
      '[{"results":{}}]',
      '[{"results":[{"campaign":{"id":"1"},"segments":{"date":"01.09.2026"}}]}]',
      '[{"results":[{"campaign":{"id":"1"},"segments":{"date":"2026-09-01"},"metrics":{"clicks":"8O"}}]}]',
      '[{"results":[{"campaign":{"id":"1"},"segments":{"date":"2026-09-01"},"metrics":{"costMicros":"9007199254740993"}}]}]',
      '[{"results":[{"campaign":{"id":"1"},"segments":{"date":"2026-09-01"},"metrics":{"conversions":"4"}}]}]',
    ];
    for (const body of bodies) expect(thrown(() => parseSearchStream(body)).kind, body).toBe('malformed');
    expect(thrown(() => parseSearchStream(bodies[4]!)).message).toBe(
      'Google Ads: row 0 (campaign 1, 2026-09-01) metrics.clicks is not a whole number: "8O"',
    );
  });

  it('parseSearchStream() throws the error a stream broke off with, in its own words', () => {
    const err = thrown(() => parseSearchStream(fixture('google-ads-search-stream-broken-off.json')));
    expect(err.kind).toBe('http');
    expect(err.message).toBe(
      'Google Ads: searchStream answered HTTP 503 UNAVAILABLE: InternalError.TRANSIENT_ERROR: The request failed due to a transient error. Please retry. (request id h3Kq7Xw0aB9c2DdE4fG6hA)',
    );
  });

  it('parseCustomer() reads the currency, time zone and descriptive name', () => {
    expect(parseCustomer(fixture('google-ads-customer.json'))).toEqual({
      currency: 'RUB',
      timeZone: 'Europe/Moscow',
      name: 'Видеостудия «Луч»',
    });
    expect(parseCustomer(fixture('google-ads-search-stream-empty.json'))).toEqual({});
  });

  it('parseGoogleAdsError() names each failure by its error code and keeps the request id', () => {
    expect(parseGoogleAdsError(fixture('google-ads-error-query.json'))).toEqual({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'Request contains an invalid argument.',
      failures: [
        {
          errorCode: 'QueryError.UNRECOGNIZED_FIELD',
          message: "Unrecognized field in the query: 'metrics.cost'.",
        },
      ],
      requestId: 'C2xOo0uW2nQk0tLr4i9c3A',
    });
    expect(parseGoogleAdsError(fixture('google-ads-error-permission.json'))?.failures[0]?.errorCode).toBe(
      'AuthorizationError.USER_PERMISSION_DENIED',
    );
  });

  it("parseGoogleAdsError() reads a quota failure's retryDelay as milliseconds", () => {
    const e = parseGoogleAdsError(fixture('google-ads-error-quota.json'));
    expect(e?.retryDelayMs).toBe(40_591_000);
    expect(e?.failures).toEqual([
      {
        errorCode: 'QuotaError.RESOURCE_EXHAUSTED',
        message: 'Too many requests. Retry in 40591 seconds.',
        retryDelayMs: 40_591_000,
      },
    ]);
  });

  it("parseGoogleAdsError() reads an error wrapped in the stream's array and Google's ErrorInfo reason", () => {
    expect(parseGoogleAdsError(fixture('google-ads-error-unauthenticated.json'))).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      reason: 'ACCESS_TOKEN_EXPIRED',
      failures: [],
    });
    expect(parseGoogleAdsError(fixture('google-ads-search-stream.json'))).toBeUndefined();
    expect(parseGoogleAdsError('<html>502</html>')).toBeUndefined();
  });

  it('campaignDailyQuery() asks for the daily metrics between two days and refuses anything but days', () => {
    expect(campaignDailyQuery('2026-09-01', '2026-09-07')).toBe(
      "SELECT segments.date, campaign.id, campaign.name, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2026-09-01' AND '2026-09-07'",
    );
    expect(() => campaignDailyQuery("2026-09-01' OR '1'='1", '2026-09-07')).toThrow(AdsError);
  });
});

describe('googleAds.pullDaily()', () => {
  it("is the 'google-ads' platform with a 14-day lookback", () => {
    expect(googleAds).toMatchObject({ id: 'google-ads', name: 'Google Ads', defaultLookbackDays: 14 });
  });

  it('returns every campaign day in the window from several batches, and the account facts', async () => {
    const t = await ads();
    const result = await t.platform.pullDaily(week, t.deps());
    expect(result).toEqual({
      status: 'ok',
      account: { currency: 'RUB', timeZone: 'Europe/Moscow', name: 'Видеостудия «Луч»' },
      rows: [
        {
          day: '2026-09-01',
          campaignId: '20734516832',
          campaignName: 'Поиск — видеостудия',
          impressions: 1000,
          clicks: 80,
          costMicros: 2_500_000_000,
          conversions: 4,
          conversionValueMicros: 1_234_560_000,
        },
        {
          day: '2026-09-01',
          campaignId: '20734516899',
          campaignName: 'PMax | Brand "Луч"',
          impressions: 212,
          clicks: 0,
          costMicros: 1_480_000,
          conversions: 0,
          conversionValueMicros: 0,
        },
        {
          day: '2026-09-02',
          campaignId: '20734516832',
          campaignName: 'Поиск — видеостудия',
          impressions: 900,
          clicks: 70,
          costMicros: 2_500_000_000,
          conversions: 4,
          conversionValueMicros: 100_000,
        },
        {
          day: '2026-09-05',
          campaignId: '20734516899',
          campaignName: 'PMax | Brand "Луч"',
          impressions: 0,
          clicks: 0,
          costMicros: 0,
          conversions: 0,
          conversionValueMicros: 0,
        },
        {
          day: '2026-09-05',
          campaignId: '20734516832',
          campaignName: 'Поиск — видеостудия',
          impressions: 1000,
          clicks: 80,
          costMicros: 2_500_000_000,
          conversions: 1.5,
          conversionValueMicros: 1_234_560_000,
        },
      ],
    });
    expect(t.server.requests.map((r) => [r.version, r.customerId, r.query])).toEqual([
      ['v26', CUSTOMER, CUSTOMER_QUERY],
      ['v26', CUSTOMER, campaignDailyQuery('2026-09-01', '2026-09-07')],
    ]);
  });

  it('sends the configured API version, and reads a customer id typed with dashes', async () => {
    const t = await ads();
    const req = { ...week, account: { ...account, externalId: '123-456-7890' } };
    await t.platform.pullDaily(req, t.deps({ apiVersion: 'v25' }));
    expect(t.server.requests.map((r) => `${r.version}/${r.customerId}`)).toEqual([
      `v25/${CUSTOMER}`,
      `v25/${CUSTOMER}`,
    ]);
  });

  it('sends no developer-token header unless one is configured, and then sends it', async () => {
    const t = await ads();
    await t.platform.pullDaily(week, t.deps());
    expect(t.server.requests.every((r) => !('developer-token' in r.headers))).toBe(true);
    expect(t.server.requests.every((r) => !('login-customer-id' in r.headers))).toBe(true);
    expect(t.server.requests[0]!.headers['content-type']).toBe('application/json');

    const legacy = await ads({ developerToken: DEVELOPER_TOKEN });
    await legacy.platform.pullDaily(week, legacy.deps({ developerToken: DEVELOPER_TOKEN }));
    expect(legacy.server.requests.map((r) => r.headers['developer-token'])).toEqual([
      DEVELOPER_TOKEN,
      DEVELOPER_TOKEN,
    ]);
  });

  it("reports the server's DEVELOPER_TOKEN_PARAMETER_MISSING with what to set", async () => {
    const t = await ads({ developerToken: DEVELOPER_TOKEN });
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toContain(
      'HTTP 400 INVALID_ARGUMENT: RequestError.DEVELOPER_TOKEN_PARAMETER_MISSING: The developer-token parameter is required for all requests.',
    );
    expect(err.message).toContain('set providers.googleAds.developerToken');
  });

  it('reaches a client account through its manager with login-customer-id', async () => {
    const t = await ads();
    const req = { ...week, account: { ...account, externalId: MANAGED } };
    const result = await t.platform.pullDaily(req, t.deps({ loginCustomerId: MANAGER }));
    expect(result.status === 'ok' && result.rows.map((r) => r.day)).toEqual(['2026-09-02']);
    expect(result.status === 'ok' && result.account).toEqual({
      currency: 'USD',
      timeZone: 'America/New_York',
      name: 'Client',
    });
    expect(t.server.requests.map((r) => r.headers['login-customer-id'])).toEqual([MANAGER, MANAGER]);
  });

  it('reports USER_PERMISSION_DENIED as an auth error that points at loginCustomerId', async () => {
    const t = await ads();
    const req = { ...week, account: { ...account, externalId: MANAGED } };
    const err = await failure(t.platform.pullDaily(req, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^Google Ads: customer 555-666-7777: searchStream answered HTTP 403 PERMISSION_DENIED: AuthorizationError\.USER_PERMISSION_DENIED: User doesn't have permission to access customer\./,
    );
    expect(err.message).toContain("set providers.googleAds.loginCustomerId to the manager's 10-digit id");
  });

  it('reports a Cloud project with only Test access as an auth error saying how to get more', async () => {
    const t = await ads();
    t.server.faults.push('not-approved');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain(
      'AuthorizationError.CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION: The Google Cloud project is only approved for use with test accounts.',
    );
    expect(err.message).toContain('apply for Explorer or Basic access');
  });

  it('asks for one token and reuses it for a second pull', async () => {
    const t = await ads();
    await t.platform.pullDaily(week, t.deps());
    await t.platform.pullDaily(week, t.deps());
    expect(t.server.tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(t.server.tokenRequests[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(t.server.requests).toHaveLength(4);
    expect(new Set(t.server.requests.map((r) => r.headers.authorization)).size).toBe(1);
  });

  it('asks for a new token once the cached one nears its expiry', async () => {
    const t = await ads();
    await t.platform.pullDaily(week, t.deps());
    t.clock.advance((3599 - 300 + 1) * 1000);
    await t.platform.pullDaily(week, t.deps());
    expect(t.server.tokenRequests).toHaveLength(2);
  });

  it('refreshes the token once and retries when the API answers 401 UNAUTHENTICATED', async () => {
    const t = await ads();
    await t.platform.pullDaily(week, t.deps());
    t.server.faults.push('expired-token');
    const result = await t.platform.pullDaily(week, t.deps());
    expect(result.status === 'ok' && result.rows).toHaveLength(5);
    expect(t.server.tokenRequests).toHaveLength(2);
    expect(t.server.requests).toHaveLength(5);
  });

  it('gives up with an auth error, in the API’s words, when a fresh token is refused too', async () => {
    const t = await ads();
    t.server.faults.push('expired-token', 'expired-token');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^Google Ads: customer 123-456-7890: searchStream answered HTTP 401 UNAUTHENTICATED: AuthenticationError\.OAUTH_TOKEN_EXPIRED: OAuth token in the header has expired\. \(request id fakeReq2-\w+\) — a freshly issued access token was refused too/,
    );
    expect(t.server.tokenRequests).toHaveLength(2);
  });

  it('reports a revoked refresh token as an auth error that says to authorise again', async () => {
    const t = await ads();
    t.server.tokenFaults.push('invalid-grant');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      `Google Ads: the Google token endpoint ${t.base.replace(/\/$/, '')} answered HTTP 400 invalid_grant: Token has been expired or revoked. (the refresh token was revoked or has expired (tokens of a Cloud project left in "Testing" last 7 days): authorise promowatch again and put the new refresh token in providers.googleAds.refreshToken)`,
    );
    expect(t.server.requests).toHaveLength(0);
  });

  it('reports a wrong client secret as an auth error naming the settings to check', async () => {
    const t = await ads();
    const err = await failure(t.platform.pullDaily(week, t.deps({ clientSecret: 'GOCSPX-wrong-one' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain(
      'answered HTTP 401 invalid_client: Unauthorized (check providers.googleAds.clientId and clientSecret)',
    );
  });

  it('waits out a 429 as long as Retry-After says and then reads the rows', async () => {
    const t = await ads();
    t.server.faults.push({ kind: 'rate-limit', retryAfterS: 7, retryDelayS: 3 });
    const result = await t.platform.pullDaily(week, t.deps());
    expect(result.status === 'ok' && result.rows).toHaveLength(5);
    expect(t.sleeps).toEqual([7000]);
  });

  it("waits as long as the failure's retryDelay says when there is no Retry-After", async () => {
    const t = await ads();
    t.server.faults.push({ kind: 'rate-limit', retryDelayS: 3 });
    await t.platform.pullDaily(week, t.deps());
    expect(t.sleeps).toEqual([3000]);
  });

  it('backs off twice at most, then gives up with a quota error in the API’s words', async () => {
    const t = await ads();
    for (let i = 0; i < 3; i++) t.server.faults.push({ kind: 'rate-limit', retryAfterS: 1 });
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(t.sleeps).toEqual([1000, 1000]);
    expect(err.kind).toBe('quota');
    expect(err.message).toMatch(
      /^Google Ads: customer 123-456-7890: searchStream answered HTTP 429 RESOURCE_EXHAUSTED: QuotaError\.RESOURCE_TEMPORARILY_EXHAUSTED: Too many requests in a short amount of time\. .* — the next run retries$/,
    );
    expect(t.server.requests).toHaveLength(3);
  });

  it('backs off 10 s and then 20 s when the API gives no wait', async () => {
    const t = await ads();
    t.server.faults.push({ kind: 'rate-limit' }, { kind: 'rate-limit' });
    const result = await t.platform.pullDaily(week, t.deps());
    expect(result.status).toBe('ok');
    expect(t.sleeps).toEqual([10_000, 20_000]);
  });

  it('does not wait at all when the API asks for longer than a minute', async () => {
    const t = await ads();
    t.server.faults.push('daily-quota');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(t.sleeps).toEqual([]);
    expect(err.kind).toBe('quota');
    expect(err.retryAfterMs).toBe(40_591_000);
    expect(err.message).toContain(
      'QuotaError.RESOURCE_EXHAUSTED: Too many requests. Retry in 40591 seconds.',
    );
  });

  it('keeps all waits of one pull within a minute', async () => {
    const t = await ads();
    t.server.faults.push({ kind: 'rate-limit', retryAfterS: 45 }, { kind: 'rate-limit', retryAfterS: 30 });
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(t.sleeps).toEqual([45_000]);
    expect(err.kind).toBe('quota');
    expect(err.retryAfterMs).toBe(30_000);
  });

  it('surfaces a query error with its error code and message', async () => {
    const t = await ads();
    t.server.faults.push('query-error');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(
      /^Google Ads: customer 123-456-7890: searchStream answered HTTP 400 INVALID_ARGUMENT: QueryError\.UNRECOGNIZED_FIELD: Unrecognized field in the query: 'metrics\.cost'\. \(request id fakeReq1-\w+\)$/,
    );
  });

  it('calls a cut-off answer malformed', async () => {
    const t = await ads();
    t.server.faults.push('malformed');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain('searchStream answered with something that is not a JSON array');
  });

  it('reports a stream that breaks off after its first batch instead of returning part of the rows', async () => {
    const t = await ads();
    t.server.faults.push('fail-mid-stream');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toContain(
      'answered HTTP 503 UNAVAILABLE: InternalError.TRANSIENT_ERROR: The request failed due to a transient error. Please retry.',
    );
  });

  it("reports a 500 as the API's error on Google's side", async () => {
    const t = await ads();
    t.server.faults.push('server-error');
    const err = await failure(t.platform.pullDaily(week, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(
      /HTTP 500 INTERNAL: InternalError\.INTERNAL_ERROR: An internal error has occurred\. \(request id [^)]+\) — Google's side; the next run retries$/,
    );
  });

  it('points at apiVersion when a sunset version answers 404', async () => {
    const t = await ads();
    const err = await failure(t.platform.pullDaily(week, t.deps({ apiVersion: 'v21' })));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('searchStream answered HTTP 404: <!DOCTYPE html>');
    expect(err.message).toContain('check providers.googleAds.apiVersion ("v21"; v26 is current)');
  });

  it('refuses rows outside the asked window rather than storing them', async () => {
    const base = await localServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/token') return res.end('{"access_token":"ya29.t","expires_in":3599}');
        const customerQuery = body.includes('FROM customer');
        res.end(fixture(customerQuery ? 'google-ads-customer.json' : 'google-ads-search-stream.json'));
      });
    });
    const err = await failure(
      createGoogleAds().pullDaily(
        { ...week, from: '2026-09-02', to: '2026-09-03' },
        {
          fetch: globalThis.fetch,
          now: () => new Date('2026-09-08T06:00:00Z'),
          sleep: async () => {},
          settings: {
            baseUrl: base,
            tokenUrl: `${base}token`,
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            refreshToken: REFRESH_TOKEN,
          },
        },
      ),
    );
    expect(err.kind).toBe('malformed');
    expect(err.message).toBe(
      'Google Ads: searchStream answered a row for 2026-09-01, outside 2026-09-02…2026-09-03',
    );
  });

  it('keeps secrets out of messages even when servers echo them back', async () => {
    const echo = await localServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ access_token: 'ya29.echoed-access-token', expires_in: 3599 }));
        }
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              code: 400,
              status: 'INVALID_ARGUMENT',
              message: 'bad',
              details: [
                {
                  '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
                  errors: [
                    {
                      errorCode: { requestError: 'INVALID_INPUT' },
                      message: `got ${req.headers.authorization} and ${req.headers['developer-token']}`,
                    },
                  ],
                },
              ],
            },
          }),
        );
      });
    });
    const tokenEcho = await localServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: 'invalid_request', error_description: `no: ${decodeURIComponent(body)}` }),
        );
      });
    });
    const deps = (tokenUrl: string): PlatformDeps => ({
      fetch: globalThis.fetch,
      now: () => new Date('2026-09-08T06:00:00Z'),
      sleep: async () => {},
      settings: {
        baseUrl: echo,
        tokenUrl,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: REFRESH_TOKEN,
        developerToken: DEVELOPER_TOKEN,
      },
    });
    const apiErr = await failure(createGoogleAds().pullDaily(week, deps(`${echo}token`)));
    const tokenErr = await failure(createGoogleAds().pullDaily(week, deps(`${tokenEcho}token`)));
    expect(apiErr.message).toContain('RequestError.INVALID_INPUT: got Bearer *** and ***');
    expect(tokenErr.message).toContain('no: grant_type=refresh_token&refresh_token=***');
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, DEVELOPER_TOKEN, 'ya29.echoed-access-token'])
      expect(`${apiErr.message}\n${tokenErr.message}`).not.toContain(secret);
  });

  it('says which settings to set when there are no credentials', async () => {
    const err = await failure(
      createGoogleAds().pullDaily(week, {
        fetch: globalThis.fetch,
        now: () => new Date('2026-09-08T06:00:00Z'),
        sleep: async () => {},
        settings: { clientId: CLIENT_ID },
      }),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'Google Ads: no credentials: set providers.googleAds.clientId, clientSecret and refreshToken',
    );
  });

  it('refuses an external id that is not a 10-digit customer id before asking anything', async () => {
    const t = await ads();
    const req = { ...week, account: { ...account, externalId: 'act_123' } };
    const err = await failure(t.platform.pullDaily(req, t.deps()));
    expect(err.message).toContain('"act_123" is not a 10-digit Google Ads customer id');
    expect(t.server.tokenRequests).toHaveLength(0);
  });

  it('reports an unreachable token endpoint as a network error', async () => {
    const dead = await closedPortUrl();
    const err = await failure(
      createGoogleAds().pullDaily(week, {
        fetch: globalThis.fetch,
        now: () => new Date('2026-09-08T06:00:00Z'),
        sleep: async () => {},
        settings: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          refreshToken: REFRESH_TOKEN,
          tokenUrl: `${dead}token`,
        },
      }),
    );
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/could not be reached: .*ECONNREFUSED/);
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    const t = await ads();
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(t.platform.pullDaily(week, { ...t.deps(), signal: controller.signal })).rejects.toThrow(
      'shutting down',
    );
    expect(t.server.tokenRequests).toHaveLength(0);
  });

  it('stops waiting out a rate limit when the caller aborts during the wait', async () => {
    const t = await ads();
    t.server.faults.push({ kind: 'rate-limit', retryAfterS: 5 });
    const controller = new AbortController();
    const deps = {
      ...t.deps(),
      signal: controller.signal,
      sleep: async () => controller.abort(new Error('shutting down')),
    };
    await expect(t.platform.pullDaily(week, deps)).rejects.toThrow('shutting down');
    expect(t.server.requests).toHaveLength(1);
  });
});
