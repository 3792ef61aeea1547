// Meta: the insights page parser, conversions without double counting, paging, tokens and throttling.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meta, parseInsightsPage, parseMetaError, rateLimitWaitMs } from '../../../src/ads/platforms/meta.ts';
import { AdsError, type AdAccount, type PlatformDeps, type PullResult } from '../../../src/ads/types.ts';
import { FakeClock, localServer } from '../../helpers.ts';
import { metaHandler, type MetaInsightRow, type MetaServerOptions } from '../../servers/meta.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/ads/${name}`, import.meta.url), 'utf8');

const TOKEN = 'EAAGm0PX4ZCpsBAfake-system-user-token-9f2c';
const ACT = '1234567890';

const account: AdAccount = {
  id: 1,
  siteId: 1,
  platform: 'meta',
  externalId: `act_${ACT}`,
  name: 'Meta · studio',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
};

const insight = (day: string, campaignId: string, spend: string, leads?: string): MetaInsightRow => ({
  campaign_id: campaignId,
  campaign_name: `Campaign ${campaignId}`,
  impressions: '1000',
  clicks: '25',
  spend,
  ...(leads ? { actions: [{ action_type: 'lead', value: leads }] } : {}),
  date_start: day,
  date_stop: day,
});

/** Five rows over three days; two fall outside the 20th–21st. */
const rows: MetaInsightRow[] = [
  insight('2026-11-19', '101', '5'),
  insight('2026-11-20', '101', '100.5', '3'),
  insight('2026-11-20', '102', '0.07'),
  insight('2026-11-21', '101', '99.99', '1'),
  insight('2026-11-22', '101', '7'),
];

async function graph(opts: Partial<MetaServerOptions> = {}) {
  const server = metaHandler({ accessToken: TOKEN, accounts: { [ACT]: rows }, ...opts });
  const base = await localServer(server);
  const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
  const sleeps: number[] = [];
  const deps = (settings: Record<string, unknown> = {}): PlatformDeps => ({
    fetch: globalThis.fetch,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    settings: { baseUrl: base, accessToken: TOKEN, ...settings },
  });
  return { server, base, deps, sleeps };
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

describe('parseInsightsPage()', () => {
  it('reads string numbers, spend exactly into micros, and one conversion type per group', () => {
    const page = parseInsightsPage(fixture('meta-insights-page1.json'));
    expect(page.rows).toEqual([
      {
        day: '2026-11-20',
        campaignId: '23851234567890123',
        campaignName: 'Лиды — квиз',
        impressions: 361324,
        clicks: 812,
        costMicros: 5_339_500_000,
        // "lead" already holds the pixel and on-Facebook leads: 14, not 14 + 9 + 5.
        conversions: 14,
        conversionValueMicros: 0,
      },
      {
        day: '2026-11-20',
        campaignId: '23851234567890456',
        campaignName: 'Shop — retargeting',
        impressions: 48210,
        clicks: 1093,
        costMicros: 1_234_560_000,
        conversions: 7,
        conversionValueMicros: 45_990_500_000,
      },
    ]);
    expect(page.next).toMatch(
      /^https:\/\/graph\.facebook\.com\/v21\.0\/act_1234567890\/insights\?.*after=MQZDZD$/,
    );
  });

  it('reads the last page (no next), rows without actions, and pixel-only purchases', () => {
    const page = parseInsightsPage(JSON.parse(fixture('meta-insights-page2.json')) as unknown);
    expect(page.next).toBeNull();
    expect(page.rows.map((r) => [r.costMicros, r.conversions, r.conversionValueMicros])).toEqual([
      [10_000, 0, 0],
      [96_100_000, 2, 1_999_990_000],
    ]);
  });

  it('sums exactly the configured action types when a list is given', () => {
    const page = parseInsightsPage(fixture('meta-insights-page1.json'), [
      'offsite_conversion.fb_pixel_purchase',
      'offsite_conversion.fb_pixel_lead',
    ]);
    expect(page.rows.map((r) => [r.conversions, r.conversionValueMicros])).toEqual([
      [9, 0],
      [6, 39_990_500_000],
    ]);
  });

  it('reads an empty answer as no rows', () => {
    expect(parseInsightsPage('{"data":[]}')).toEqual({ rows: [], next: null });
  });

  it('calls cut-off JSON, a missing data list, a multi-day row and a bad spend malformed', () => {
    const row = { campaign_id: '1', date_start: '2026-11-20', date_stop: '2026-11-20', spend: '1' };
    const cases: [unknown, RegExp][] = [
      ['{"data":[{"campaign_id":"1","spend":"3', /not JSON/],
      [{ error: { message: 'x' } }, /no "data" list/],
      [{ data: [{ ...row, date_stop: '2026-11-26' }] }, /not one day/],
      [{ data: [{ ...row, spend: '1,5' }] }, /spend "1,5"/],
      [{ data: [{ ...row, campaign_id: undefined }] }, /no campaign_id/],
      [{ data: [{ ...row, impressions: '-3' }] }, /impressions "-3"/],
    ];
    for (const [json, message] of cases) {
      const err = (() => {
        try {
          parseInsightsPage(json);
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

describe('Meta error and throttle readers', () => {
  it('parseMetaError() reads code, subcode and trace id', () => {
    expect(parseMetaError(fixture('meta-error-expired-token.json'))).toEqual({
      message: expect.stringMatching(/^Error validating access token: Session has expired/),
      type: 'OAuthException',
      code: 190,
      subcode: 463,
      fbtraceId: 'A1b2C3d4E5f6G7h8',
    });
    expect(parseMetaError('<html>502</html>')).toEqual({});
  });

  it('rateLimitWaitMs() prefers Retry-After, else the longest BUC estimate in minutes', () => {
    const now = new Date('2026-11-27T06:00:00Z');
    const buc = JSON.stringify({
      '1234': [
        { type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 3 },
        { type: 'ads_management', call_count: 5, estimated_time_to_regain_access: 0 },
      ],
    });
    expect(rateLimitWaitMs(new Headers({ 'x-business-use-case-usage': buc }), now)).toBe(180_000);
    expect(rateLimitWaitMs(new Headers({ 'x-business-use-case-usage': buc, 'retry-after': '7' }), now)).toBe(
      7_000,
    );
    expect(rateLimitWaitMs(new Headers({ 'x-business-use-case-usage': 'not json' }), now)).toBeUndefined();
    expect(rateLimitWaitMs(new Headers(), now)).toBeUndefined();
  });
});

describe('meta.pullDaily()', () => {
  it('asks for daily campaign insights in the window and follows paging.next to the last page', async () => {
    const { server, deps } = await graph();
    const result = await meta.pullDaily(pull, deps({ pageSize: 2 }));
    expect(okRows(result).map((r) => [r.day, r.campaignId, r.costMicros, r.conversions])).toEqual([
      ['2026-11-20', '101', 100_500_000, 3],
      ['2026-11-20', '102', 70_000, 0],
      ['2026-11-21', '101', 99_990_000, 1],
    ]);
    expect(server.requests).toHaveLength(2);
    const first = server.requests[0]!;
    expect(first.path).toBe(`/v21.0/act_${ACT}/insights`);
    expect(Object.fromEntries(first.query)).toEqual({
      level: 'campaign',
      time_increment: '1',
      time_range: '{"since":"2026-11-20","until":"2026-11-21"}',
      fields: 'campaign_id,campaign_name,impressions,clicks,spend,actions,action_values',
      limit: '2',
    });
    expect(server.requests[1]!.query.get('after')).toBeTruthy();
  });

  it('sends the token only as a bearer header, never in a URL, even when paging.next carries one', async () => {
    // Next links that carry the token: the connector strips it before following them.
    const { server, deps } = await graph({ tokenInNext: true });
    await meta.pullDaily(pull, deps({ pageSize: 1 }));
    for (const r of server.requests) {
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.query.get('access_token')).toBeNull();
    }
    expect(server.requests).toHaveLength(3);
  });

  it('uses the configured API version and accepts the account id without act_', async () => {
    const { server, deps } = await graph();
    await meta.pullDaily(
      { ...pull, account: { ...account, externalId: ACT } },
      deps({ apiVersion: 'v22.0' }),
    );
    expect(server.requests[0]!.path).toBe(`/v22.0/act_${ACT}/insights`);
  });

  it('reports an expired token (190/463) as auth with Meta’s text and what to do, without the token', async () => {
    const { server, deps } = await graph();
    server.faults.push('expired-token');
    const err = await failure(meta.pullDaily(pull, deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^Meta: Graph API answered HTTP 400: Error validating access token: Session has expired/,
    );
    expect(err.message).toMatch(/code 190, subcode 463, fbtrace_id AbCdEfGh12-fake/);
    expect(err.message).toMatch(/providers\.meta\.accessToken/);
    expect(err.message).not.toContain(TOKEN);
  });

  it('keeps a pasted-wrong token out of the message even when Meta echoes it', async () => {
    const { deps } = await graph();
    const err = await failure(meta.pullDaily(pull, deps({ accessToken: 'paste-of-the-app-secret-77' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/Malformed access token \*\*\*/);
    expect(err.message).not.toContain('paste-of-the-app-secret-77');
  });

  it('reports a missing ads_read permission as auth naming the account', async () => {
    const { server, deps } = await graph();
    server.faults.push('permission');
    const err = await failure(meta.pullDaily(pull, deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/ads_read on ad account act_1234567890/);
  });

  it('waits out a short throttle once, as long as the BUC header says, then carries on', async () => {
    const { server, deps, sleeps } = await graph();
    server.faults.push('rate-limit');
    expect(okRows(await meta.pullDaily(pull, deps()))).toHaveLength(3);
    expect(sleeps).toEqual([60_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up with a quota error at once when the throttle outlasts the allowed wait', async () => {
    const { server, deps, sleeps } = await graph();
    server.faults.push('rate-limit-long');
    const err = await failure(meta.pullDaily(pull, deps()));
    expect(err.kind).toBe('quota');
    expect(err.retryAfterMs).toBe(30 * 60_000);
    expect(err.message).toMatch(/\(#17\) User request limit reached/);
    expect(sleeps).toEqual([]);
  });

  it('waits only once per pull: a throttled retry is a quota error', async () => {
    const { server, deps, sleeps } = await graph();
    server.faults.push('account-rate-limit', 'account-rate-limit');
    const err = await failure(meta.pullDaily(pull, deps()));
    expect(err.kind).toBe('quota');
    expect(err.message).toMatch(/too many calls from this ad-account.*code 80000/);
    expect(sleeps).toEqual([30_000]);
  });

  it('waits only once per pull: a throttle on a later page is a quota error', async () => {
    const { server, deps, sleeps } = await graph();
    server.faults.push('account-rate-limit', 'none', 'rate-limit');
    const err = await failure(meta.pullDaily(pull, deps({ pageSize: 1 })));
    expect(err.kind).toBe('quota');
    expect(err.retryAfterMs).toBe(60_000);
    expect(sleeps).toEqual([30_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('calls a cut-off page malformed and a server failure Meta’s side', async () => {
    const { server, deps } = await graph();
    server.faults.push('malformed');
    expect((await failure(meta.pullDaily(pull, deps()))).kind).toBe('malformed');
    server.faults.push('server-error');
    const err = await failure(meta.pullDaily(pull, deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/An unknown error occurred.*Meta's side/);
  });

  it('does not follow a paging.next that leads to another host', async () => {
    const { server, deps } = await graph();
    server.faults.push('foreign-next');
    const err = await failure(meta.pullDaily(pull, deps({ pageSize: 1 })));
    expect(err.message).toMatch(/paging\.next leads to https:\/\/graph\.evil\.example/);
    expect(server.requests).toHaveLength(1);
  });

  it('stops after a bounded number of pages', async () => {
    const many = Array.from({ length: 205 }, (_, i) => insight('2026-11-20', String(1000 + i), '1'));
    const { deps } = await graph({ accounts: { [ACT]: many } });
    const err = await failure(meta.pullDaily(pull, deps({ pageSize: 1 })));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/past 200/);
  });

  it('surfaces Meta’s own message for an unknown ad account', async () => {
    const { deps } = await graph();
    const err = await failure(
      meta.pullDaily({ ...pull, account: { ...account, externalId: 'act_42' } }, deps()),
    );
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/Object with ID 'act_42' does not exist/);
  });

  it('names a missing token before calling anyone', async () => {
    const { server, deps } = await graph();
    const err = await failure(meta.pullDaily(pull, deps({ accessToken: '' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/providers\.meta\.accessToken/);
    expect(server.requests).toHaveLength(0);
  });
});
