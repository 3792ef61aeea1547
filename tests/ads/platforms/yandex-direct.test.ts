import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIRECT_FIELD_NAMES,
  parseDirectError,
  parseDirectTsv,
  yandexDirect,
  type DirectResume,
} from '../../../src/ads/platforms/yandex-direct.ts';
import { insertAccount, listSyncs } from '../../../src/ads/store.ts';
import { syncSiteAds, type SyncDeps } from '../../../src/ads/sync.ts';
import { AdsError, type AdAccount, type PlatformDeps, type PullResult } from '../../../src/ads/types.ts';
import { makeSecretResolver } from '../../../src/config/load.ts';
import {
  closedPortUrl,
  FakeClock,
  localServer,
  siteByName,
  testConfig,
  testStoreDeps,
} from '../../helpers.ts';
import {
  buildDirectTsv,
  yandexDirectHandler,
  type DirectCampaignDay,
  type YandexDirectServerOptions,
} from '../../../src/demo/servers/yandex-direct.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/ads/${name}`, import.meta.url), 'utf8');

const TOKEN = 'y0_AgAAAAB-direct-token-7Qx2';
const LOGIN = 'studio-direct';

function account(extra: Partial<AdAccount> = {}): AdAccount {
  return {
    id: 1,
    siteId: 1,
    platform: 'yandex-direct',
    externalId: LOGIN,
    name: 'Studio Direct',
    currency: 'RUB',
    timeZone: 'Europe/Moscow',
    costIncludesVat: true,
    monthlyBudgetMicros: null,
    credentials: {},
    lookbackDays: null,
    ...extra,
  };
}

/** Two campaigns a day; the search one has goals, the network one has none (`--`). */
function campaigns(login: string, day: string): DirectCampaignDay[] {
  const d = Number(day.slice(8));
  return [
    {
      campaignId: '70001',
      campaignName: `${login === LOGIN ? 'Поиск' : 'Other'} — видеостудия «Луч»`,
      impressions: 2000 + d,
      clicks: 40 + d,
      costMicros: 1_200_000_000 + d * 120_000_000,
      conversions: d,
      revenueMicros: d * 5_000_000_000,
    },
    {
      campaignId: '70002',
      campaignName: 'РСЯ / ретаргетинг',
      impressions: 18_000,
      clicks: 90,
      costMicros: 600_000_000,
      conversions: null,
      revenueMicros: null,
    },
  ];
}

async function direct(opts: Partial<YandexDirectServerOptions> = {}) {
  const server = yandexDirectHandler({
    token: TOKEN,
    clientLogins: [LOGIN, 'bakery-direct'],
    data: campaigns,
    retryIn: 7,
    ...opts,
  });
  const base = await localServer(server);
  const clock = new FakeClock(Date.parse('2026-09-04T06:00:00Z'));
  const sleeps: number[] = [];
  const deps = (settings: Record<string, unknown> = {}, signal?: AbortSignal): PlatformDeps => ({
    fetch: globalThis.fetch,
    now: clock.now,
    signal,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    settings: { baseUrl: base, token: TOKEN, ...settings },
  });
  return { server, base, deps, sleeps };
}

const window = { from: '2026-09-01', to: '2026-09-03', resume: null };

async function failure(p: Promise<unknown>): Promise<AdsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdsError);
  return err as AdsError;
}

function rowsOf(result: PullResult) {
  expect(result.status).toBe('ok');
  return result.status === 'ok' ? result.rows : [];
}

describe('parseDirectTsv()', () => {
  it('reads the title, column header, rows and total line, keeping Cyrillic names and reading -- as 0', async () => {
    const rows = parseDirectTsv(fixture('yandex-direct-report.tsv'));
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      day: '2026-09-01',
      campaignId: '70001',
      campaignName: 'Поиск — видеостудия',
      impressions: 2328,
      clicks: 40,
      costMicros: 974_790_000,
      conversions: 3,
      conversionValueMicros: 15_000_000_000,
    });
    expect(rows[1]).toMatchObject({
      campaignName: 'РСЯ / ретаргетинг «Лето»',
      conversions: 0,
      conversionValueMicros: 0,
    });
    expect(rows[3]).toMatchObject({ campaignName: 'Brand: studio', impressions: 0, costMicros: 0 });
  });

  it('reads a report without title and total lines (the skip headers promowatch sends)', async () => {
    expect(parseDirectTsv(fixture('yandex-direct-report-bare.tsv'))).toEqual(
      parseDirectTsv(fixture('yandex-direct-report.tsv')).slice(0, 2),
    );
  });

  it('takes the requested column order when the column header is skipped, even without the Revenue column', async () => {
    expect(parseDirectTsv(fixture('yandex-direct-report-no-header.tsv'))).toEqual([
      {
        day: '2026-09-01',
        campaignId: '70001',
        campaignName: 'Поиск — видеостудия',
        impressions: 2328,
        clicks: 40,
        costMicros: 974_790_000,
        conversions: 0,
        conversionValueMicros: 0,
      },
      {
        day: '2026-09-02',
        campaignId: '70001',
        campaignName: 'Поиск — видеостудия',
        impressions: 2101,
        clicks: 37,
        costMicros: 901_120_000,
        conversions: 2,
        conversionValueMicros: 0,
      },
    ]);
  });

  it('maps columns by header name and reads currency amounts when money is not in micros', async () => {
    expect(parseDirectTsv(fixture('yandex-direct-report-rubles.tsv'), { moneyInMicros: false })).toEqual([
      {
        day: '2026-09-01',
        campaignId: '70001',
        campaignName: 'Поиск — видеостудия',
        impressions: 2328,
        clicks: 40,
        costMicros: 974_790_000,
        conversions: 0,
        conversionValueMicros: 0,
      },
      {
        day: '2026-09-02',
        campaignId: '70004',
        campaignName: 'Бренд',
        impressions: 12,
        clicks: 0,
        costMicros: 500_000,
        conversions: 0,
        conversionValueMicros: 0,
      },
    ]);
  });

  it('names the line and the value of a malformed row', async () => {
    const err = (() => {
      try {
        parseDirectTsv(fixture('yandex-direct-report-malformed.tsv'));
      } catch (e) {
        return e as AdsError;
      }
    })();
    expect(err).toBeInstanceOf(AdsError);
    expect(err?.kind).toBe('malformed');
    expect(err?.message).toBe('Yandex Direct: report line 4: Impressions "2l01" is not a whole number');
  });

  it('calls a report whose total line disagrees with its rows cut off', async () => {
    expect(() => parseDirectTsv(fixture('yandex-direct-report-cut.tsv'))).toThrow(
      /"Total rows: 4" but holds 1 rows/,
    );
  });

  it('refuses a row with too few cells, a bad date and a header without the needed columns', async () => {
    const header = DIRECT_FIELD_NAMES.join('\t');
    for (const [text, why] of [
      [`${header}\n2026-09-01\t70001\tПоиск`, /report line 2: 3 columns where the report has 8/],
      [`${header}\n2026-13-01\t70001\tx\t1\t1\t1\t1\t1`, /report line 2: Date "2026-13-01"/],
      ['Day\tCampaign\tCost\n', /report line 1: the column header .* lacks Date, CampaignId, CampaignName/],
      [`${header}\n2026-09-01\t70001\tx\t1\t1\t12.5\t1\t1`, /Cost "12.5" is not a whole number of micros/],
    ] as const)
      expect(() => parseDirectTsv(text)).toThrow(why);
  });

  it('reads an empty report (a column header and nothing else) as no rows', async () => {
    expect(parseDirectTsv(`${DIRECT_FIELD_NAMES.join('\t')}\n`)).toEqual([]);
  });

  it('reads back what the stand-in writes, in every layout and both money forms', async () => {
    const rows = ['2026-09-01', '2026-09-02'].flatMap((day) =>
      campaigns(LOGIN, day).map((r) => ({ ...r, day })),
    );
    const expected = parseDirectTsv(buildDirectTsv(rows));
    expect(expected).toHaveLength(4);
    for (const title of [undefined, 'x (2026-09-01 - 2026-09-02)'])
      for (const columnHeader of [true, false])
        for (const summary of [true, false])
          for (const moneyInMicros of [true, false])
            expect(
              parseDirectTsv(buildDirectTsv(rows, { title, columnHeader, summary, moneyInMicros }), {
                moneyInMicros,
              }),
            ).toEqual(expected);
  });
});

describe('parseDirectError()', () => {
  it('reads the request id, code, message and detail', async () => {
    expect(parseDirectError(fixture('yandex-direct-error-token.json'))).toEqual({
      requestId: '8695244274068608439',
      code: 53,
      message: 'Authorization error',
      detail: 'OAuth token is invalid or expired',
    });
    expect(parseDirectError(fixture('yandex-direct-error-points.json'))?.code).toBe(152);
  });

  it('returns null for a body that is not the documented error shape', async () => {
    for (const body of ['', '<html>502</html>', '{"result":{}}', '{"error":"x"}'])
      expect(parseDirectError(body)).toBeNull();
  });
});

describe('yandexDirect.pullDaily()', () => {
  it('repeats the identical request while the report is queued, sleeping retryIn each time', async () => {
    const { server, deps, sleeps } = await direct({ queueRounds: 2 });
    const rows = rowsOf(await yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect(server.requests.map((r) => r.status)).toEqual([201, 202, 200]);
    expect(new Set(server.requests.map((r) => r.raw)).size).toBe(1);
    expect(sleeps).toEqual([7000, 7000]);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      day: '2026-09-01',
      campaignId: '70001',
      campaignName: 'Поиск — видеостудия «Луч»',
      impressions: 2001,
      clicks: 41,
      costMicros: 1_320_000_000,
      conversions: 1,
      conversionValueMicros: 5_000_000_000,
    });
    expect(rows[1]).toMatchObject({ campaignId: '70002', conversions: 0, conversionValueMicros: 0 });
  });

  it('takes a report built online at once without sleeping', async () => {
    const { server, deps, sleeps } = await direct({ queueRounds: 0 });
    expect(rowsOf(await yandexDirect.pullDaily({ account: account(), ...window }, deps()))).toHaveLength(6);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('sends the token, the client login and the documented report headers and body', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    await yandexDirect.pullDaily({ account: account(), ...window }, deps());
    const sent = server.requests[0]!;
    expect(sent.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'client-login': LOGIN,
      'accept-language': 'en',
      processingmode: 'auto',
      returnmoneyinmicros: 'true',
      skipreportheader: 'true',
      skipcolumnheader: 'false',
      skipreportsummary: 'true',
    });
    const body = JSON.parse(sent.raw) as { params: Record<string, unknown> };
    expect(body.params).toMatchObject({
      SelectionCriteria: { DateFrom: '2026-09-01', DateTo: '2026-09-03' },
      FieldNames: [...DIRECT_FIELD_NAMES],
      ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
      DateRangeType: 'CUSTOM_DATE',
      Format: 'TSV',
      IncludeVAT: 'YES',
      IncludeDiscount: 'NO',
    });
    expect(body.params.ReportName).toMatch(/^promowatch 2026-09-01 2026-09-03 /);
  });

  it('gives every new window its own report name', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    await yandexDirect.pullDaily({ account: account(), ...window }, deps());
    await yandexDirect.pullDaily({ account: account(), ...window }, deps());
    const [a, b] = server.requests.map((r) => r.reportName);
    expect(a).not.toBe(b);
  });

  it('asks for costs with or without VAT as the account counts them', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    const withVat = rowsOf(await yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    const withoutVat = rowsOf(
      await yandexDirect.pullDaily({ account: account({ costIncludesVat: false }), ...window }, deps()),
    );
    expect(
      server.requests.map((r) => (JSON.parse(r.raw) as { params: { IncludeVAT: string } }).params.IncludeVAT),
    ).toEqual(['YES', 'NO']);
    expect(withVat[0]!.costMicros).toBe(1_320_000_000);
    expect(withoutVat[0]!.costMicros).toBe(1_100_000_000);
  });

  it('ends pending when the queue outlasts the bound, and the next run fetches the same report', async () => {
    const { server, deps, sleeps } = await direct({ queueRounds: 3, retryIn: 60 });
    const first = await yandexDirect.pullDaily(
      { account: account(), ...window },
      deps({ maxQueueWaitSeconds: 90 }),
    );
    expect(first.status).toBe('pending');
    if (first.status !== 'pending') return;
    expect(first.message).toMatch(
      /still being built after 60 s of waiting \(the bound is 90 s\); the next run/,
    );
    expect(sleeps).toEqual([60_000]);
    // The resume travels through the database as JSON.
    const resume = JSON.parse(JSON.stringify(first.resume)) as DirectResume;
    const name = server.requests[0]!.reportName;
    expect(resume).toMatchObject({ reportName: name, from: '2026-09-01', to: '2026-09-03' });

    const second = await yandexDirect.pullDaily(
      { account: account(), ...window, resume },
      deps({ maxQueueWaitSeconds: 90 }),
    );
    expect(rowsOf(second)).toHaveLength(6);
    expect(server.requests.map((r) => [r.reportName, r.status])).toEqual([
      [name, 201],
      [name, 202],
      [name, 202],
      [name, 200],
    ]);
    expect(new Set(server.requests.map((r) => r.raw)).size).toBe(1);
  });

  it('waits at most 300 s in the queue when no bound is configured', async () => {
    const { deps, sleeps } = await direct({ queueRounds: 100, retryIn: 60 });
    const result = await yandexDirect.pullDaily({ account: account(), ...window }, deps());
    expect(result.status).toBe('pending');
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(300_000);
  });

  it('starts a new report when the resume was for another window or VAT rule', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    const body = (vat: string) =>
      JSON.stringify({
        params: { ...JSON.parse(server.requests[0]?.raw ?? '{"params":{}}').params, IncludeVAT: vat },
      });
    await yandexDirect.pullDaily({ account: account(), ...window }, deps());
    const old = server.requests[0]!.reportName!;
    const stale: DirectResume = { reportName: old, from: '2026-08-30', to: '2026-09-01', body: body('YES') };
    await yandexDirect.pullDaily({ account: account(), ...window, resume: stale }, deps());
    const otherVat: DirectResume = {
      reportName: old,
      from: '2026-09-01',
      to: '2026-09-03',
      body: body('YES'),
    };
    await yandexDirect.pullDaily(
      { account: account({ costIncludesVat: false }), ...window, resume: otherVat },
      deps(),
    );
    const names = server.requests.map((r) => r.reportName);
    expect(new Set(names).size).toBe(3);
  });

  it('reports a malformed TSV row with its line', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    server.faults.push('malformed-row');
    const err = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect(err.kind).toBe('malformed');
    expect(err.message).toBe('Yandex Direct: report line 2: 3 columns where the report has 8');
  });

  it("calls an expired token an auth failure in Yandex's own words, without the token", async () => {
    const { server, deps } = await direct();
    server.faults.push('expired-token');
    const err = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^Yandex Direct: error 53 "Authorization error: OAuth token is invalid or expired" for client login "studio-direct" \(HTTP 400, request_id \d+\); the token in providers\.yandexDirect\.token/,
    );
    expect(err.message).not.toContain(TOKEN);
  });

  it('keeps a Russian error message intact when asked for Russian', async () => {
    const { deps } = await direct();
    const err = await failure(
      yandexDirect.pullDaily(
        { account: account(), ...window },
        deps({ token: 'y0_wrong-token', language: 'ru' }),
      ),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('"Ошибка авторизации: OAuth-токен недействителен или просрочен"');
  });

  it("calls a login outside the token owner's clients an auth failure naming the login", async () => {
    const { deps } = await direct();
    const err = await failure(
      yandexDirect.pullDaily({ account: account({ externalId: 'someone-else' }), ...window }, deps()),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/error 54 .* for client login "someone-else".*no rights to "someone-else"/);
  });

  it('calls spent points and a full report queue quota, and server trouble http', async () => {
    const { server, deps } = await direct({ queueRounds: 0 });
    server.faults.push('no-points', 'report-limit', 'server-error', 'gateway-timeout');
    const points = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect([points.kind, points.retryAfterMs]).toEqual(['quota', 3_600_000]);
    expect(points.message).toContain('error 152 "Not enough Yandex units');
    const queue = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect([queue.kind, queue.retryAfterMs]).toEqual(['quota', 60_000]);
    expect(queue.message).toContain('error 9000');
    const server500 = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect(server500.kind).toBe('http');
    expect(server500.message).toContain('error 1000 "Server temporarily unavailable');
    const gateway = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps()));
    expect(gateway.kind).toBe('http');
    expect(gateway.message).toMatch(/HTTP 502 .*a shorter window/);
  });

  it('refuses a report holding a day outside the window asked for', async () => {
    const { deps } = await direct();
    const d = deps();
    const tsv = `${DIRECT_FIELD_NAMES.join('\t')}\n2026-08-31\t70001\tПоиск\t1\t1\t10000\t--\t--\n`;
    d.fetch = () => Promise.resolve(new Response(tsv, { status: 200 }));
    const err = await failure(yandexDirect.pullDaily({ account: account(), ...window }, d));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/holds a row for 2026-08-31, outside the 2026-09-01…2026-09-03 asked for/);
  });

  it('asks for a token before sending anything when none is configured', async () => {
    const { server, deps } = await direct();
    const err = await failure(yandexDirect.pullDaily({ account: account(), ...window }, deps({ token: '' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('set providers.yandexDirect.token');
    expect(server.requests).toHaveLength(0);
  });

  it('calls an unreachable server a network failure', async () => {
    const { deps } = await direct();
    const err = await failure(
      yandexDirect.pullDaily({ account: account(), ...window }, deps({ baseUrl: await closedPortUrl() })),
    );
    expect(err.kind).toBe('network');
  });

  it('stops waiting in the queue when the run is aborted', async () => {
    const { server, deps } = await direct({ queueRounds: 5 });
    const controller = new AbortController();
    const d = deps({}, controller.signal);
    const sleep = d.sleep;
    d.sleep = async (ms, signal) => {
      controller.abort(new Error('run cancelled'));
      await sleep(ms, signal);
    };
    await expect(yandexDirect.pullDaily({ account: account(), ...window }, d)).rejects.toThrow(
      'run cancelled',
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('IncludeVAT through syncSiteAds()', () => {
  it("sends the account's own IncludeVAT on every request: queued retries, the pending report resumed, lookback re-pulls and a --from --to pull", async () => {
    const server = yandexDirectHandler({
      token: TOKEN,
      clientLogins: [LOGIN, 'bakery-direct'],
      data: campaigns,
      queueRounds: 3,
      retryIn: 60,
    });
    const url = await localServer(server);
    const config = testConfig({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
      providers: { yandexDirect: { baseUrl: url, token: { env: 'DIRECT_TOKEN' } } },
    });
    const clock = new FakeClock(Date.parse('2026-09-04T06:00:00Z'));
    const base = await testStoreDeps(config, clock);
    const { sql } = base;
    const site = (await siteByName(sql, 'studio'))!;
    const common = { currency: 'RUB', timeZone: 'Europe/Moscow', monthlyBudgetMicros: null, credentials: {} };
    const withVat = await insertAccount(
      sql,
      site.id,
      {
        ...common,
        platform: 'yandex-direct',
        externalId: LOGIN,
        name: 'A with VAT',
        costIncludesVat: true,
        lookbackDays: null,
      },
      clock.now(),
    );
    await insertAccount(
      sql,
      site.id,
      {
        ...common,
        platform: 'yandex-direct',
        externalId: 'bakery-direct',
        name: 'B without VAT',
        costIncludesVat: false,
        lookbackDays: null,
      },
      clock.now(),
    );
    const deps: SyncDeps = {
      ...base,
      secret: makeSecretResolver({ DIRECT_TOKEN: TOKEN }, 'test'),
      runId: null,
      platforms: [yandexDirect],
      sleep: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
    };

    // Run 1 (the job): each report is still queued after 60 s; the run ends pending.
    const first = await syncSiteAds(deps, site, { maxQueueWaitSeconds: 60 });
    expect(first.map((o) => o.status)).toEqual(['pending', 'pending']);
    // Run 2, three hours later: the same reports asked for again until they are ready.
    clock.advance(3 * 3_600_000);
    const second = await syncSiteAds(deps, site, { maxQueueWaitSeconds: 600 });
    expect(second.map((o) => o.status)).toEqual(['ok', 'ok']);
    // Run 3: a fresh lookback re-pull; then `promowatch ads pull --from --to` (a range).
    clock.advance(3 * 3_600_000);
    await syncSiteAds(deps, site, { maxQueueWaitSeconds: 600 });
    await syncSiteAds(
      deps,
      site,
      { maxQueueWaitSeconds: 600 },
      { range: { from: '2026-08-01', to: '2026-08-31' } },
    );
    expect((await listSyncs(sql, withVat)).map((x) => [x.status, x.dateFrom, x.dateTo])).toEqual([
      ['ok', '2026-08-01', '2026-08-31'],
      ['ok', '2026-09-02', '2026-09-04'],
      ['ok', '2026-09-02', '2026-09-04'],
      ['pending', '2026-09-02', '2026-09-04'],
    ]);

    const sent = server.requests.map((r) => ({
      login: String(r.headers['client-login']),
      status: r.status,
      name: r.reportName,
      vat: (JSON.parse(r.raw) as { params: { IncludeVAT: string } }).params.IncludeVAT,
    }));
    // Every kind of request went out: 201 and 202 answers, the resumed report, four reports per account.
    expect(new Set(sent.map((r) => r.status))).toEqual(new Set([201, 202, 200]));
    for (const login of [LOGIN, 'bakery-direct'])
      expect(new Set(sent.filter((r) => r.login === login).map((r) => r.name)).size).toBe(3);
    expect(sent.filter((r) => r.login === LOGIN).map((r) => r.vat)).toEqual(
      Array(sent.filter((r) => r.login === LOGIN).length).fill('YES'),
    );
    expect(sent.filter((r) => r.login === 'bakery-direct').map((r) => r.vat)).toEqual(
      Array(sent.filter((r) => r.login === 'bakery-direct').length).fill('NO'),
    );
  });
});
