// The weekly report's data, built from a database seeded through each area's own store functions.
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount, replaceWindow, type AccountInput } from '../../src/ads/store.ts';
import type { DailyRow } from '../../src/ads/types.ts';
import type { CheckResult } from '../../src/backlinks/check.ts';
import { getBacklink, insertBacklinks, recordCheck } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import type { Outcome } from '../../src/backlinks/verdict.ts';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { addEvent } from '../../src/db/events.ts';
import { finishRun, tryStartRun } from '../../src/db/job-runs.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import { insertKeywords, observationWriter } from '../../src/rank/store.ts';
import type { Observation } from '../../src/rank/types.ts';
import { CTR_CURVES } from '../../src/rank/visibility.ts';
import { buildReport } from '../../src/report/build.ts';
import type { ReportData } from '../../src/report/types.ts';
import { parseWeek } from '../../src/report/week.ts';
import { addDays } from '../../src/util/days.ts';
import { memoryLogger } from '../../src/util/log.ts';
import {
  FakeClock,
  localServer,
  seedSitesIn,
  siteByName,
  suiteSetup,
  testConfig,
  testStore,
} from '../helpers.ts';

const W47 = parseWeek('2026-W47'); // Monday 16 to Sunday 22 November 2026; W46 is 9–15 November
const NOW = new Date('2026-11-23T06:00:00Z');
const RUB = 1_000_000;

let sql: Sql;
let studio: SiteRow;
let bakery: SiteRow;
let report: ReportData;
let base: string;
const ids: Record<string, number> = {};

// ── rank tracking ────────────────────────────────────────────────────────────────────────────────
// Each keyword: [query, observations as [day, source, position | 'out' | 'failed']], volume 100 each.
type Seen = [string, string, number | 'out' | 'failed'];
const KEYWORDS: [string, Seen[]][] = [
  // Its earlier day in W46 (50) is not its end of the week; 8 → 3 is +5.
  [
    'alpha',
    [
      ['2026-11-09', 'serpapi', 50],
      ['2026-11-15', 'serpapi', 8],
      ['2026-11-16', 'serpapi', 1],
      ['2026-11-22', 'serpapi', 3],
    ],
  ],
  [
    'bravo',
    [
      ['2026-11-15', 'serpapi', 15],
      ['2026-11-22', 'serpapi', 9],
    ],
  ], // +6, entered the top 10
  [
    'charlie',
    [
      ['2026-11-15', 'serpapi', 'out'],
      ['2026-11-22', 'serpapi', 40],
    ],
  ], // entered the top 100: +61
  [
    'delta',
    [
      ['2026-11-15', 'serpapi', 5],
      ['2026-11-22', 'serpapi', 'out'],
    ],
  ], // fell out: -96, left the top 10
  [
    'echo',
    [
      ['2026-11-15', 'serpapi', 4],
      ['2026-11-17', 'serpapi', 'failed'],
      ['2026-11-22', 'serpapi', 12],
    ],
  ], // -8
  [
    'foxtrot',
    [
      ['2026-11-15', 'serpapi', 20],
      ['2026-11-22', 'serpapi', 20],
    ],
  ], // no move
  // Its last look of W47 failed: the end of its week is 20 November (25), never the failure.
  [
    'golf',
    [
      ['2026-11-10', 'serpapi', 'failed'],
      ['2026-11-15', 'serpapi', 30],
      ['2026-11-20', 'serpapi', 25],
      ['2026-11-22', 'browser', 'failed'],
    ],
  ],
  // Two sources on the 22nd: the result page (priority 30) beats Search Console's average (10).
  [
    'hotel',
    [
      ['2026-11-15', 'serpapi', 9],
      ['2026-11-22', 'gsc', 2],
      ['2026-11-22', 'serpapi', 7],
    ],
  ],
  [
    'india',
    [
      ['2026-11-15', 'serpapi', 50],
      ['2026-11-22', 'serpapi', 49],
    ],
  ], // +1: sixth gain, not shown
  ['juliet', [['2026-11-22', 'serpapi', 2]]], // new this week: no move
];
const TARGETS: Record<string, string> = {
  echo: 'https://studio.example/echo',
  // The same page written differently: not a mismatch.
  foxtrot: 'https://www.Studio.example/f/',
};
const URLS: Record<string, string> = {
  echo: 'https://studio.example/other',
  foxtrot: 'https://studio.example/f',
};

async function seedRankings(now: Date) {
  const keywordIds = await insertKeywords(
    sql,
    studio.id,
    KEYWORDS.map(([query]) => ({
      query,
      engine: 'google' as const,
      device: 'desktop' as const,
      gl: 'ru',
      hl: 'ru',
      volume: 100,
      targetUrl: TARGETS[query] ?? null,
    })),
    now,
  );
  const write = observationWriter(sql, null, now);
  for (const [i, [query, seen]] of KEYWORDS.entries()) {
    ids[query] = keywordIds[i]!;
    for (const [day, source, p] of seen) {
      const o: Observation = {
        keywordId: keywordIds[i]!,
        day,
        source,
        state: p === 'failed' ? 'failed' : p === 'out' ? 'not-in-top' : 'ranked',
        position: typeof p === 'number' ? p : null,
        url: typeof p === 'number' ? (URLS[query] ?? `https://studio.example/${query}`) : null,
        depth: 100,
        error: p === 'failed' ? 'serpapi: quota exhausted' : null,
      };
      await write(o);
    }
  }
  await rebuildRankSummary(sql, studio.id);
}

// ── backlinks ────────────────────────────────────────────────────────────────────────────────────
const link = (donorUrl: string, over: Partial<BacklinkInput>): BacklinkInput => ({
  donorUrl,
  target: 'https://studio.example/',
  targetKind: 'url',
  expectedAnchor: null,
  kind: 'bought',
  vendor: 'Links & Co',
  priceMicros: null,
  currency: 'RUB',
  billing: 'monthly',
  boughtOn: '2026-10-01',
  paidUntil: null,
  tags: [],
  notes: null,
  brand: null,
  ...over,
});

const checkResult = (outcome: Outcome, reasons: string[]) =>
  ({
    mode: 'static',
    verdict: {
      outcome,
      reasons,
      google: { passes: outcome === 'live', reasons },
      yandex: { passes: outcome === 'live', reasons },
    },
    facts: { link: null, hidden: null },
    donor: null,
    http: { status: 200, finalUrl: null, redirects: [], headers: {} },
    screenshot: null,
    error: null,
  }) as unknown as CheckResult;

async function check(id: number, at: string, outcome: Outcome, reasons: string[] = []) {
  await recordCheck(sql, (await getBacklink(sql, id))!, checkResult(outcome, reasons), new Date(at), null, {
    checks: 2,
    hoursApart: 6,
  });
}

async function seedBacklinks(now: Date) {
  const [lost, devalued, recovered, fresh, , dueLost, archived] = await insertBacklinks(
    sql,
    studio.id,
    [
      // 3,650 RUB a month: 120 RUB a day.
      link('https://donor-one.example/post', { priceMicros: 3650 * RUB }),
      // 365 USD for a year: 1 USD a day.
      link('https://donor-two.example/review', {
        vendor: null,
        priceMicros: 365 * RUB,
        currency: 'USD',
        billing: 'one-off',
        paidUntil: '2027-10-01',
      }),
      link('https://donor-three.example/', { priceMicros: 1825 * RUB, paidUntil: '2026-11-30' }),
      // Checked for the first time this week: live, but not "recovered".
      link('https://donor-six.example/', { boughtOn: '2026-11-18' }),
      // Bought after the week: not counted in it.
      link('https://donor-four.example/', { boughtOn: '2026-12-01', paidUntil: '2026-12-31' }),
      // 365 RUB a month (12 a day), paid until 28 November: lost this week, so not to be renewed.
      link('https://donor-five.example/', { priceMicros: 365 * RUB, paidUntil: '2026-11-28' }),
      // Lost before the week and archived by the owner: out of the dead links and of money wasted.
      link('https://donor-seven.example/', { priceMicros: 5000 * RUB, billing: 'one-off' }),
    ],
    now,
  );
  for (const id of [lost!, devalued!, recovered!, dueLost!, archived!])
    await check(id, '2026-11-01T09:00:00Z', 'live');
  await check(dueLost!, '2026-11-19T06:00:00Z', 'missing', ['no link to the target on the page']);
  await check(dueLost!, '2026-11-19T14:00:00Z', 'missing', ['no link to the target on the page']);
  await check(archived!, '2026-11-05T06:00:00Z', 'gone', ['HTTP 404']);
  await check(archived!, '2026-11-05T14:00:00Z', 'gone', ['HTTP 404']);
  await sql.run(`UPDATE backlinks SET archived_at = ? WHERE id = ?`, ['2026-11-10T12:00:00Z', archived!]);
  // Lost after two failing checks 8 hours apart on 17 November.
  await check(lost!, '2026-11-17T10:00:00Z', 'missing', ['no link to the target on the page']);
  await check(lost!, '2026-11-17T18:00:00Z', 'missing', ['no link to the target on the page']);
  await check(devalued!, '2026-11-20T09:00:00Z', 'devalued', ['rel="nofollow"']);
  // Lost in W46, back at 01:00 Moscow time on Monday 16 November (still Sunday in UTC).
  await check(recovered!, '2026-11-10T06:00:00Z', 'gone', ['HTTP 404']);
  await check(recovered!, '2026-11-10T14:00:00Z', 'gone', ['HTTP 404']);
  await check(recovered!, '2026-11-15T22:00:00Z', 'live');
  await check(fresh!, '2026-11-19T09:00:00Z', 'live');
  Object.assign(ids, { lost: lost!, devalued: devalued!, recovered: recovered!, dueLost: dueLost! });
}

// ── ads ──────────────────────────────────────────────────────────────────────────────────────────
const account = (over: Partial<AccountInput>): AccountInput => ({
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

const adRow = (day: string, costMicros: number, over: Partial<DailyRow> = {}): DailyRow => ({
  day,
  campaignId: '1',
  campaignName: 'Brand',
  impressions: 1000,
  clicks: 50,
  costMicros,
  conversions: 2,
  conversionValueMicros: costMicros * 3,
  ...over,
});

async function seedAds(now: Date) {
  const direct = await insertAccount(sql, studio.id, account({ monthlyBudgetMicros: 25_000 * RUB }), now);
  const google = await insertAccount(
    sql,
    studio.id,
    account({ platform: 'google-ads', externalId: '123-456-7890', name: 'Google · studio', currency: 'USD' }),
    now,
  );
  // 1,000 RUB a day through 15 November, 1,200 RUB a day in W47.
  const rows: DailyRow[] = [];
  for (let day = '2026-11-01'; day <= '2026-11-22'; day = addDays(day, 1))
    rows.push(adRow(day, (day <= '2026-11-15' ? 1000 : 1200) * RUB));
  await replaceWindow(sql, direct, '2026-11-01', '2026-11-22', rows, 'api');
  await replaceWindow(
    sql,
    google,
    '2026-11-18',
    '2026-11-18',
    [
      adRow('2026-11-18', 50 * RUB, {
        impressions: 200,
        clicks: 10,
        conversions: 0,
        conversionValueMicros: 0,
      }),
    ],
    'api',
  );
  const anomaly = (...args: unknown[]) =>
    sql.run(
      `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
       VALUES (?, '1', ?, 'spend-spike', 9000000000, 3000000000, 5, ?, ?)`,
      args,
    );
  await anomaly(direct, '2026-11-19', '2026-11-19 Brand (Direct · studio): spend spike', now.toISOString());
  await anomaly(direct, '2026-11-12', '2026-11-12 Brand (Direct · studio): spend spike', now.toISOString());
}

// ── site audit ───────────────────────────────────────────────────────────────────────────────────
let version = 1;
async function seedCrawls(clock: FakeClock) {
  const crawl = async (at: string, v: number) => {
    version = v;
    clock.t = Date.parse(at);
    return auditSite(
      { sql, now: clock.now, log: memoryLogger() },
      {
        siteId: studio.id,
        startUrl: base,
        settings: auditSettingsFrom({
          requestsPerSecond: 0,
          useSitemaps: false,
          thresholds: { thinContentWords: 0 },
        }),
      },
    );
  };
  ids.crawl1 = (await crawl('2026-10-25T10:00:00Z', 1)).crawlId;
  ids.crawl2 = (await crawl('2026-11-08T10:00:00Z', 1)).crawlId;
  ids.crawl3 = (await crawl('2026-11-20T10:00:00Z', 2)).crawlId;
  // Finished after the week (Monday 01:00 in Moscow): not this week's crawl.
  ids.crawl4 = (await crawl('2026-11-22T22:00:00Z', 3)).crawlId;
}

// ── jobs and events ──────────────────────────────────────────────────────────────────────────────
async function run(job: string, siteId: number | null, at: string, error: string | null) {
  const r = await tryStartRun(
    sql,
    { job, siteId, trigger: 'schedule', pid: 1, isLive: () => false },
    new Date(at),
  );
  if (!r.started) throw new Error('run not started');
  await finishRun(
    sql,
    r.id,
    error ? { status: 'failed', error } : { status: 'ok' },
    new Date(Date.parse(at) + 60_000),
  );
}

async function seedJobsAndEvents(now: Date) {
  await run('check-backlinks', studio.id, '2026-11-18T07:00:00Z', 'donor-one.example: connection refused');
  await run('db-maintenance', null, '2026-11-21T00:30:00Z', 'disk full');
  await run('check-backlinks', studio.id, '2026-11-19T07:00:00Z', null); // ok: not a failure
  await run('check-backlinks', studio.id, '2026-11-10T07:00:00Z', 'an older failure');
  await run('check-backlinks', bakery.id, '2026-11-18T07:00:00Z', "the other site's failure");
  await run('crawl-site', studio.id, '2026-11-22T21:30:00Z', 'Monday already in Moscow');
  await addEvent(sql, { siteId: studio.id, day: '2026-11-12', title: 'Site relaunch' }, now);
  await addEvent(sql, { siteId: null, day: '2026-11-20', title: 'Core update' }, now);
  await addEvent(sql, { siteId: bakery.id, day: '2026-11-20', title: 'Bakery opens' }, now);
  await addEvent(sql, { siteId: studio.id, day: '2026-11-01', title: 'Too early' }, now);
}

beforeAll(() =>
  suiteSetup(async () => {
    base = await localServer((req, res) => {
      const page = (title: string, links = '') =>
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<html lang="en"><head><title>${title}</title><meta name="description" content="${req.url}: a description of reasonable length for this test page, long enough."><meta name="viewport" content="width=device-width"><link rel="canonical" href="${base}${req.url!.slice(1)}"></head><body><h1>${title}</h1>${links}</body></html>`,
          );
      if (req.url === '/')
        return page(
          'The home page of the weekly report test site',
          version === 1 ? '<a href="/a">a</a><a href="/broken">b</a>' : '<a href="/a">a</a>',
        );
      if (req.url === '/a')
        return version === 2 ? page('') : page('Page A of the weekly report test site, as it was');
      res.writeHead(404).end();
    });
    sql = await testStore();
    const clock = new FakeClock(Date.parse('2026-10-01T00:00:00Z'));
    const config = testConfig({
      sites: [
        { name: 'studio', baseUrl: base, timeZone: 'Europe/Moscow' },
        { name: 'bakery', baseUrl: base, timeZone: 'Asia/Yekaterinburg' },
      ],
    });
    await seedSitesIn(sql, config.sites, clock.now());
    studio = (await siteByName(sql, 'studio'))!;
    bakery = (await siteByName(sql, 'bakery'))!;
    const now = clock.now();
    await seedRankings(now);
    await seedBacklinks(now);
    await seedAds(now);
    await seedCrawls(clock);
    await seedJobsAndEvents(now);
    report = await buildReport(sql, studio, W47, {
      now: NOW,
      curve: CTR_CURVES.sistrix,
      curveName: 'sistrix',
    });
  }),
);

describe('buildReport()', () => {
  it('names the site and the week, and stamps when it was built', async () => {
    expect(report.site).toEqual({ id: studio.id, name: 'studio', baseUrl: base, timeZone: 'Europe/Moscow' });
    expect(report.week).toEqual(W47);
    expect(report.generatedAt).toBe('2026-11-23T06:00:00.000Z');
  });

  it('gives the visibility index at the last observed day of each week, with the 14-day series', async () => {
    const v = report.visibility!;
    const c = CTR_CURVES.sistrix;
    expect(v.curve).toBe('sistrix');
    // 22 November: alpha 3, bravo 9, hotel 7 (its result page, not the average of 2), juliet 2 earn clicks;
    // nine keywords observed (golf's failed look is not an observation), all of volume 100.
    expect(v.now).toBe(Math.round((100 * 100 * (c[2]! + c[8]! + c[6]! + c[1]!)) / 9) / 100);
    // 15 November: alpha 8, delta 5, echo 4, hotel 9 among nine keywords.
    expect(v.before).toBe(Math.round((100 * 100 * (c[7]! + c[4]! + c[3]! + c[8]!)) / 9) / 100);
    expect(v.change).toBe(Math.round((v.now! - v.before!) * 100) / 100);
    expect(v.series.map((p) => p.day)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => addDays('2026-11-09', i)),
      ...Array.from({ length: 7 }, (_, i) => addDays('2026-11-16', i)),
    ]);
    expect(v.series.filter((p) => p.index !== null).map((p) => p.day)).toEqual([
      '2026-11-09',
      '2026-11-15',
      '2026-11-16',
      '2026-11-20',
      '2026-11-22',
    ]);
    expect(v.series.at(-1)!.index).toBe(v.now);
  });

  it('lists the top five gains and losses, counting a fall out of the top 100 as a loss and an entry as a gain', async () => {
    const v = report.visibility!;
    const brief = (m: (typeof v.gains)[number]) => [m.query, m.before, m.after, m.change];
    expect(v.gains.map(brief)).toEqual([
      ['charlie', null, 40, 61],
      ['bravo', 15, 9, 6],
      ['alpha', 8, 3, 5],
      ['golf', 30, 25, 5],
      ['hotel', 9, 7, 2],
    ]);
    expect(v.losses.map(brief)).toEqual([
      ['delta', 5, null, -96],
      ['echo', 4, 12, -8],
    ]);
    expect(v.gains[0]).toMatchObject({
      keywordId: ids.charlie,
      engine: 'google',
      region: 'gl=ru;hl=ru',
      device: 'desktop',
    });
  });

  it('lists keywords that entered and left the top 10, ranking URLs that miss the target, and failed checks', async () => {
    const v = report.visibility!;
    expect(v.enteredTop10.map((m) => m.query)).toEqual(['bravo']);
    expect(v.leftTop10.map((m) => m.query)).toEqual(['echo', 'delta']);
    expect(v.mismatches).toEqual([
      { query: 'echo', url: 'https://studio.example/other', target: 'https://studio.example/echo' },
    ]);
    // echo on the 17th and golf on the 22nd; golf's failure on the 10th was the week before.
    expect(v.failedChecks).toBe(2);
  });

  it('reports backlink changes of the week by the site clock, with their reasons', async () => {
    const b = report.backlinks!;
    expect(b.lost[0]).toEqual({
      backlinkId: ids.lost,
      donorUrl: 'https://donor-one.example/post',
      target: 'https://studio.example/',
      vendor: 'Links & Co',
      at: '2026-11-17T18:00:00.000Z',
      reasons: ['no link to the target on the page'],
      // What was paid, as paid: the monthly fee.
      priceMicros: 3650 * RUB,
      currency: 'RUB',
      billing: 'monthly',
    });
    expect(b.lost.map((e) => e.backlinkId)).toEqual([ids.lost, ids.dueLost]);
    expect(b.devalued.map((e) => [e.backlinkId, e.vendor, e.reasons])).toEqual([
      [ids.devalued, null, ['rel="nofollow"']],
    ]);
    expect(b.recovered.map((e) => [e.backlinkId, e.at, e.reasons])).toEqual([
      [ids.recovered, '2026-11-15T22:00:00.000Z', []],
    ]);
  });

  it('tells the money of links dead at the week end as it was paid, per currency, archived links aside', async () => {
    const b = report.backlinks!;
    expect(b.dead).toEqual([
      { currency: 'USD', links: 1, oneOffMicros: 365 * RUB, monthlyMicros: 0, stillPayingMonthlyMicros: 0 },
      {
        currency: 'RUB',
        links: 2,
        oneOffMicros: 0,
        monthlyMicros: (3650 + 365) * RUB,
        stillPayingMonthlyMicros: (3650 + 365) * RUB,
      },
    ]);
  });

  it('keeps the pro-rated cost of the dead days of the week per currency, renewals due, and live links', async () => {
    const b = report.backlinks!;
    // Lost link: 17–22 November at 120 RUB a day; lost this week: 19–22 at 12 RUB a day; devalued link:
    // 20–22 November at 1 USD a day. The archived link lost all week counts for nothing.
    expect(b.wasted).toEqual([
      { currency: 'RUB', micros: (720 + 48) * RUB },
      { currency: 'USD', micros: 3 * RUB },
    ]);
    // The link lost this week is due too (28 November), but renewing it would pay for nothing.
    expect(b.renewalsDue).toEqual([
      {
        backlinkId: ids.recovered,
        donorUrl: 'https://donor-three.example/',
        paidUntil: '2026-11-30',
        vendor: 'Links & Co',
      },
    ]);
    expect([b.live, b.total]).toEqual([2, 6]);
  });

  it('totals ads per currency against the previous week, never adding currencies together', async () => {
    const a = report.ads!;
    expect(a.totals).toEqual([
      {
        currency: 'RUB',
        spendMicros: 8400 * RUB,
        prevSpendMicros: 7000 * RUB,
        spendChange: 8400 / 7000 - 1,
        impressions: 7000,
        clicks: 350,
        conversions: 14,
        valueMicros: 25_200 * RUB,
        ctr: 0.05,
        cpcMicros: 24 * RUB,
        cpaMicros: 600 * RUB,
        roas: 3,
      },
      {
        currency: 'USD',
        spendMicros: 50 * RUB,
        prevSpendMicros: 0,
        spendChange: null,
        impressions: 200,
        clicks: 10,
        conversions: 0,
        valueMicros: 0,
        ctr: 0.05,
        cpcMicros: 5 * RUB,
        cpaMicros: null,
        roas: 0,
      },
    ]);
    expect(a.daily.filter((d) => d.currency === 'USD').map((d) => [d.day, d.micros])).toEqual([
      ['2026-11-16', 0],
      ['2026-11-17', 0],
      ['2026-11-18', 50 * RUB],
      ['2026-11-19', 0],
      ['2026-11-20', 0],
      ['2026-11-21', 0],
      ['2026-11-22', 0],
    ]);
    expect(a.daily.filter((d) => d.currency === 'RUB').every((d) => d.micros === 1200 * RUB)).toBe(true);
  });

  it("paces each account's month at the week's end and lists the week's anomalies", async () => {
    const a = report.ads!;
    // Through 21 November: 15 × 1,000 + 6 × 1,200 RUB; the pace of 15–21 November over the 9 days left.
    const forecast = Math.round(22_200 * RUB + ((1000 + 6 * 1200) * RUB * 9) / 7);
    expect(a.pacing).toEqual([
      {
        account: 'Google · studio',
        platform: 'google-ads',
        currency: 'USD',
        monthToDateMicros: 50 * RUB,
        budgetMicros: null,
        forecastMicros: Math.round(50 * RUB + (50 * RUB * 9) / 7),
        overBy: null,
        alert: false,
      },
      {
        account: 'Direct · studio',
        platform: 'yandex-direct',
        currency: 'RUB',
        monthToDateMicros: 23_400 * RUB,
        budgetMicros: 25_000 * RUB,
        forecastMicros: forecast,
        overBy: forecast / (25_000 * RUB) - 1,
        alert: true,
      },
    ]);
    expect(a.anomalies).toEqual([
      // The facts, with the campaign's name: the report words them in its own language.
      {
        day: '2026-11-19',
        account: 'Direct · studio',
        campaign: 'Brand',
        kind: 'spend-spike',
        value: 9000 * RUB,
        baseline: 3000 * RUB,
        currency: 'RUB',
      },
    ]);
  });

  it("compares the latest crawl finished by the week's end with the one before", async () => {
    const h = report.health!;
    expect(h.crawlDay).toBe('2026-11-20');
    // 2 pages (home, a), a with errors (no title, no h1) → 50; before: 3 pages, the 404 one bad → 66.7.
    expect([h.score, h.previousScore, h.change, h.pages]).toEqual([50, 66.7, -16.7, 2]);
    // Page a also lost its h1 (a warning): new, but not critical.
    expect(h.newCritical).toEqual([{ rule: 'title-missing', title: 'Title missing', url: `${base}a` }]);
    expect(h.fixed).toEqual([{ rule: 'status-4xx', title: 'Page answers 4xx', count: 1 }]);
    expect(h.trend).toEqual([
      { day: '2026-10-25', score: 66.7 },
      { day: '2026-11-08', score: 66.7 },
      { day: '2026-11-20', score: 50 },
    ]);
  });

  it("lists the week's failed runs of the site's jobs and the install-wide ones, with their errors", async () => {
    expect(report.jobFailures).toEqual([
      {
        job: 'check-backlinks',
        at: '2026-11-18T07:01:00.000Z',
        error: 'donor-one.example: connection refused',
      },
      { job: 'db-maintenance', at: '2026-11-21T00:31:00.000Z', error: 'disk full' },
    ]);
  });

  it("carries the site's and everyone's events of both weeks", async () => {
    expect(report.events).toEqual([
      { day: '2026-11-12', title: 'Site relaunch' },
      { day: '2026-11-20', title: 'Core update' },
    ]);
  });

  it('records the language it is to be written in: English unless told', async () => {
    expect(report.lang).toBe('en');
    expect((await buildReport(sql, studio, W47, { now: NOW, lang: 'ru' })).lang).toBe('ru');
  });

  it('leaves every section empty for a week before anything was tracked', async () => {
    const empty = await buildReport(sql, studio, parseWeek('2025-W01'), { now: NOW });
    expect([empty.visibility, empty.backlinks, empty.ads, empty.health]).toEqual([null, null, null, null]);
    expect(empty.jobFailures).toEqual([]);
    expect(empty.events).toEqual([]);
  });

  it('leaves every section empty for a site that tracks nothing', async () => {
    const empty = await buildReport(sql, bakery, W47, { now: NOW });
    expect([empty.visibility, empty.backlinks, empty.ads, empty.health]).toEqual([null, null, null, null]);
    // Only the install-wide failure and its own: never the other site's.
    expect(empty.jobFailures.map((f) => f.error)).toEqual(["the other site's failure", 'disk full']);
  });
});
