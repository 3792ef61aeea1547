// The Overview's attention data (src/overview/attention.ts) on a seeded database with a fixed clock, its
// all-sites grouping, and the page that renders it in English and Russian.
import { describe, expect, it } from 'vitest';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { recordAlert } from '../../src/db/alerts.ts';
import { finishRun, tryStartRun } from '../../src/db/job-runs.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { formatter } from '../../src/i18n/index.ts';
import { allClear, allSitesAttention, siteAttention } from '../../src/overview/attention.ts';
import { insertKeywords } from '../../src/rank/store.ts';
import { addDays } from '../../src/util/days.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { englishLeaks } from '../i18n/english-leaks.ts';
import { visibleText } from '../i18n/english-left.ts';
import { FakeClock, seedSitesIn, siteByName, testConfig, testStoreAndDb } from '../helpers.ts';
import { account, days, row } from './ads-setup.ts';

const M = 1_000_000;
const TODAY = '2026-11-20';
const nb = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ');

const link = (over: Partial<BacklinkInput>): BacklinkInput => ({
  donorUrl: 'https://donor.example/',
  target: 'https://studio.example/',
  targetKind: 'url',
  expectedAnchor: null,
  kind: 'guest-post',
  vendor: null,
  priceMicros: null,
  currency: 'RUB',
  billing: 'one-off',
  boughtOn: '2026-09-01',
  paidUntil: null,
  tags: [],
  notes: null,
  brand: null,
  ...over,
});

async function setState(sql: Sql, id: number, status: string, since: string, archived = false) {
  await sql.run(`UPDATE backlinks SET status = ?, status_since = ?, archived_at = ? WHERE id = ?`, [
    status,
    since,
    archived ? '2026-11-19T10:00:00Z' : null,
    id,
  ]);
}

async function observe(
  sql: Sql,
  keywordId: number,
  day: string,
  source: string,
  position: number | null,
  error?: string,
) {
  await sql.run(
    `INSERT INTO rank_observations (keyword_id, day, source, priority, state, position, url, error, error_kind)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    [
      keywordId,
      day,
      source,
      source === 'browser' ? 1 : 2,
      error ? 'failed' : position === null ? 'not-in-top' : 'ranked',
      position,
      error ?? null,
      error ? 'quota' : null,
    ],
  );
}

/**
 * Two sites, bakery listed first and quiet; studio with one of everything the Overview looks for: lost
 * one-off and monthly links (and an archived one), a renewal, a keyword drop and a gain, a Direct budget
 * overrun next to an account on track, a new audit error, a failed job, a failing provider, open alerts.
 */
async function seeded() {
  const { sql, db } = await testStoreAndDb();
  // 09:00 UTC is noon in Moscow.
  const clock = new FakeClock(Date.parse(`${TODAY}T09:00:00Z`));
  const config = testConfig({
    sites: [
      { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'Asia/Yekaterinburg' },
      { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    ],
  });
  await seedSitesIn(sql, config.sites, clock.now());
  const studio = (await siteByName(sql, 'studio'))!;
  const now = clock.now();

  const [press, monthly, archived, renewal, lostPaid] = (await insertBacklinks(
    sql,
    studio.id,
    [
      link({
        donorUrl: 'https://vesti.example/pr',
        kind: 'press-release',
        vendor: 'PR-Wire',
        priceMicros: 8000 * M,
      }),
      link({ donorUrl: 'https://blogi.example/a', vendor: 'Sape', priceMicros: 400 * M, billing: 'monthly' }),
      link({ donorUrl: 'https://arhiv.example/x', vendor: 'Sape', priceMicros: 5000 * M }),
      link({
        donorUrl: 'https://katalog.example/r',
        vendor: 'Miralinks',
        priceMicros: 1500 * M,
        paidUntil: '2026-11-28',
      }),
      link({
        donorUrl: 'https://forum.example/z',
        vendor: 'Miralinks',
        priceMicros: 3000 * M,
        paidUntil: '2026-11-25',
      }),
    ],
    now,
  )) as [number, number, number, number, number];
  await setState(sql, press!, 'lost', '2026-11-15T06:00:00Z');
  await setState(sql, monthly!, 'devalued', '2026-11-05T06:00:00Z');
  await setState(sql, archived!, 'lost', '2026-11-10T06:00:00Z', true);
  await setState(sql, renewal!, 'live', '2026-09-02T06:00:00Z');
  await setState(sql, lostPaid!, 'lost', '2026-11-18T06:00:00Z');

  const [video, motion, steady] = (await insertKeywords(
    sql,
    studio.id,
    ['видеопродакшн', 'motion design', 'corporate video'].map((query) => ({
      query,
      engine: 'yandex' as const,
      lr: 213,
      device: 'desktop' as const,
      targetUrl: null,
      tags: [],
      volume: null,
    })),
    now,
  )) as [number, number, number];
  await observe(sql, video, '2026-11-13', 'browser', 3);
  await observe(sql, video, TODAY, 'browser', 15);
  await observe(sql, video, TODAY, 'dataforseo', null, 'Payment required: balance is 0');
  await observe(sql, motion, '2026-11-13', 'browser', 20);
  await observe(sql, motion, TODAY, 'browser', 8);
  await observe(sql, steady, '2026-11-13', 'browser', 5);
  await observe(sql, steady, TODAY, 'browser', 5);

  // Direct: 5,000 ₽ a day against 100,000 ₽ a month heads for 150,000 ₽. Google: 100 $ a day of 10,000 $.
  const direct = await insertAccount(sql, studio.id, account({}), now);
  const google = await insertAccount(
    sql,
    studio.id,
    account({
      platform: 'google-ads',
      externalId: '123-456-7890',
      name: 'Google US',
      currency: 'USD',
      monthlyBudgetMicros: 10_000 * M,
    }),
    now,
  );
  const from = '2026-10-20';
  await replaceWindow(
    sql,
    direct,
    from,
    TODAY,
    days(from, TODAY).map((d) => row(d, '1', 'Brand', d === TODAY ? 2500 : 5000, 50)),
    'import',
  );
  await replaceWindow(
    sql,
    google,
    from,
    TODAY,
    days(from, TODAY).map((d) => row(d, '7', 'Search US', 100, 20)),
    'import',
  );

  // Two crawls: /contacts/ lost its title since the previous one; /about/ had its error in both.
  const crawl = async (startedAt: string, pages: [string, string | null][]) => {
    const { id } = (await sql.get<{ id: number }>(
      `INSERT INTO crawls (site_id, start_url, started_at, finished_at, status, pages) VALUES (?, ?, ?, ?, 'ok', ?)
       RETURNING id`,
      [studio.id, 'https://studio.example/', startedAt, startedAt, pages.length],
    ))!;
    for (const [url, rule] of pages) {
      const { id: urlId } = (await sql.get<{ id: number }>(
        `INSERT INTO crawl_urls (crawl_id, url, kind, depth, state, status) VALUES (?, ?, 'page', 0, 'done', 200)
         RETURNING id`,
        [id, url],
      ))!;
      if (rule)
        await sql.run(
          `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity) VALUES (?, ?, ?, 'error')`,
          [id, urlId, rule],
        );
    }
    return id;
  };
  await crawl('2026-11-13T03:00:00Z', [
    ['https://studio.example/about/', 'title-missing'],
    ['https://studio.example/contacts/', null],
  ]);
  const latestCrawl = await crawl('2026-11-20T03:00:00Z', [
    ['https://studio.example/about/', 'title-missing'],
    ['https://studio.example/contacts/', 'title-missing'],
  ]);

  // The audit job failed an hour ago; the uptime job of last month failed too but ran fine since.
  const run = async (job: string, at: Date, status: 'ok' | 'failed') => {
    const r = await tryStartRun(
      sql,
      { job, siteId: studio.id, trigger: 'cli', pid: process.pid, isLive: () => false },
      at,
    );
    if (!r.started) throw new Error('run not started');
    await finishRun(
      sql,
      r.id,
      { status, ...(status === 'failed' ? { error: 'robots.txt answered 503' } : {}) },
      at,
    );
  };
  await run('uptime', new Date(Date.parse(`${TODAY}T09:00:00Z`) - 20 * 86_400_000), 'failed');
  await run('uptime', new Date(Date.parse(`${TODAY}T07:00:00Z`)), 'ok');
  await run('audit', new Date(Date.parse(`${TODAY}T08:00:00Z`)), 'failed');

  // Two open alerts (one sent through two channels counts once) and an acknowledged one.
  // One message's deliveries share a notice key, as notify() writes them.
  const alert = async (message: string, channel: string) =>
    await recordAlert(
      sql,
      {
        siteId: studio.id,
        kind: 'backlink',
        severity: 'warning',
        message,
        channel,
        recipient: 'x',
        notice: message,
      },
      now,
    );
  await alert('Link lost: vesti.example', 'email');
  await alert('Link lost: vesti.example', 'telegram');
  await alert('Budget', 'email');
  const acked = await alert('Old news', 'email');
  await sql.run(`UPDATE alerts SET acknowledged_at = ? WHERE id = ?`, [now.toISOString(), acked]);

  const app = createApp({
    db,
    sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    runNow: () => 'started',
  });
  return {
    sql,
    config,
    clock,
    app,
    studio,
    ids: { press, monthly, archived, renewal, lostPaid, video, motion, latestCrawl },
  };
}

describe('siteAttention()', () => {
  it('tells lost one-off and monthly links with their money, leaving out the archived one', async () => {
    const { sql, config, clock, studio, ids } = await seeded();
    const a = await siteAttention({ sql, config, now: clock.now() }, studio);
    expect(a.today).toBe(TODAY);
    expect(a.dead.links.map((l) => [l.id, l.status, l.priceMicros, l.since, l.days, l.stillPaying])).toEqual([
      [ids.lostPaid, 'lost', 3000 * M, '2026-11-18', 2, false],
      [ids.press, 'lost', 8000 * M, '2026-11-15', 5, false],
      [ids.monthly, 'devalued', 400 * M, '2026-11-05', 15, true],
    ]);
    expect(a.dead.totals).toEqual([
      {
        currency: 'RUB',
        links: 3,
        oneOffMicros: 11_000 * M,
        monthlyMicros: 400 * M,
        stillPayingMonthlyMicros: 400 * M,
      },
    ]);
    // The lost link paid until the 25th is not a renewal; the live one paid until the 28th is.
    expect(a.renewals.map((r) => r.id)).toEqual([ids.renewal]);
  });

  it('finds the drop, the gain and the keywords crossing the top 10 since last week', async () => {
    const { sql, config, clock, studio, ids } = await seeded();
    const m = (await siteAttention({ sql, config, now: clock.now() }, studio)).movers;
    expect(m.losses.map((k) => [k.keywordId, k.before, k.after, k.change])).toEqual([
      [ids.video, 3, 15, -12],
    ]);
    expect(m.gains.map((k) => [k.keywordId, k.change])).toEqual([[ids.motion, 12]]);
    expect(m.leftTop10.map((k) => k.query)).toEqual(['видеопродакшн']);
    expect(m.enteredTop10.map((k) => k.query)).toEqual(['motion design']);
  });

  it('flags the Direct overrun and not the account on track', async () => {
    const { sql, config, clock, studio } = await seeded();
    const p = (await siteAttention({ sql, config, now: clock.now() }, studio)).pacing;
    const byName = Object.fromEntries(p.map((x) => [x.account.name, x.pacing]));
    expect(byName['Direct main']).toMatchObject({
      alert: true,
      monthToDateMicros: 97_500 * M,
      forecastMicros: 150_000 * M,
    });
    expect(byName['Google US']).toMatchObject({ alert: false });
  });

  it('reports the new audit error, the failing job and provider, and open alerts counted once', async () => {
    const { sql, config, clock, studio, ids } = await seeded();
    const a = await siteAttention({ sql, config, now: clock.now() }, studio);
    expect(a.audit).toMatchObject({ crawlId: ids.latestCrawl, count: 1 });
    expect(a.audit!.issues.map((i) => i.url)).toEqual(['https://studio.example/contacts/']);
    expect(a.failedJobs.map((r) => r.job)).toEqual(['audit']);
    expect(a.failingProviders).toEqual([
      {
        source: 'dataforseo',
        day: TODAY,
        keywords: 1,
        kind: 'quota',
        error: 'Payment required: balance is 0',
      },
    ]);
    expect(a.openAlerts).toBe(2);
    expect(allClear(a)).toBe(false);
  });

  it('groups all sites with the ones needing attention first and the quiet ones all clear', async () => {
    const { sql, config, clock } = await seeded();
    const sites = await Promise.all(['bakery', 'studio'].map(async (n) => (await siteByName(sql, n))!));
    const all = await allSitesAttention({ sql, config, now: clock.now() }, sites);
    expect(all.map((a) => [a.site.name, allClear(a)])).toEqual([
      ['studio', false],
      ['bakery', true],
    ]);
    // Each site in its own zone: Yekaterinburg is already on the 20th too, at 14:00.
    expect(all[1]!.today).toBe(TODAY);
    expect(addDays(all[1]!.today, 0)).toBe(TODAY);
  });
});

describe('Overview page', () => {
  it('says a budget already spent past as over, a forecast past it as heading over', async () => {
    const { app, sql } = await seeded();
    const text = async () => nb(visibleText(await (await app.request('/?site=studio')).text()));
    expect(await text()).toContain('heading over budget by 50%');
    expect(await text()).not.toContain('over budget: spent');
    // Twice the spend: 195,000 ₽ spent of 100,000 ₽ by the 20th is a fact, not a forecast.
    await sql.run(
      `UPDATE ad_stats SET cost_micros = cost_micros * 2
       WHERE account_id = (SELECT id FROM ad_accounts WHERE name = 'Direct main')`,
    );
    expect(await text()).toContain('over budget: spent 95% more than the budget');
    expect(await text()).not.toContain('heading over budget');
  });

  it('shows one site with money, drops, the overrun and links to each detail', async () => {
    const { app, ids } = await seeded();
    const html = await (await app.request('/?site=studio')).text();
    const text = nb(visibleText(html));
    const f = formatter('en', 'Europe/Moscow');
    expect(text).toContain(
      nb(`Paid for links now dead: ${f.money(11_000 * M, 'RUB')} + ${f.money(400 * M, 'RUB')}/month`),
    );
    expect(text).toContain(nb(`still paying ${f.money(400 * M, 'RUB')}/month`));
    expect(text).toContain(nb(f.money(8000 * M, 'RUB')));
    expect(text).toContain('PR-Wire · since 15 Nov (5 days)');
    expect(text).not.toContain('arhiv.example');
    expect(text).toContain('heading over budget by 50%');
    expect(text).toContain('1 new error since the previous crawl');
    expect(text).toContain('dataforseo failed for 1 keyword');
    expect(text).toContain('2 open alerts');
    for (const href of [
      `/backlinks/${ids.press}?site=studio`,
      `/backlinks/${ids.renewal}?site=studio`,
      `/rankings/keywords/${ids.video}?site=studio`,
      '/ads?site=studio#pacing',
      `/audit?crawl=${ids.latestCrawl}&amp;site=studio`,
      '/jobs?site=studio',
      '/alerts?site=studio',
      '/uptime?site=studio',
    ])
      expect(html).toContain(`href="${href}"`);
    // The panels come in order of weight: the money first, then rankings, then ads.
    const order = [...html.matchAll(/data-panel="(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['dead', 'movers', 'ads', 'renewals', 'audit', 'jobs']);
  });

  it('lists every site when none is chosen, the quiet one in a single line', async () => {
    const { app } = await seeded();
    const html = await (await app.request('/')).text();
    expect(html).toMatch(/<h1>All sites<\/h1>/);
    expect(
      [...html.matchAll(/<section class="attention( clear)?" data-site="(\w+)"/g)].map((m) => [m[2], !!m[1]]),
    ).toEqual([
      ['studio', false],
      ['bakery', true],
    ]);
    expect(html).toContain('<option value="" selected>All sites</option>');
    // The switcher's "All sites" sends an empty site: the same view, not an unknown site.
    expect((await app.request('/?site=')).status).toBe(200);
  });

  it('speaks Russian with no English catalogue text left', async () => {
    const { app } = await seeded();
    for (const path of ['/', '/?site=studio', '/uptime?site=studio']) {
      const html = await (await app.request(path, { headers: { 'accept-language': 'ru' } })).text();
      expect(englishLeaks(nb(visibleText(html)))).toEqual([]);
    }
    const text = nb(
      visibleText(
        await (await app.request('/?site=studio', { headers: { 'accept-language': 'ru' } })).text(),
      ),
    );
    expect(text).toContain('Заплачено за ссылки, которых больше нет');
    expect(text).toContain('грозит перерасход бюджета на 50');
    expect(text).toContain('2 открытых оповещения');
  });
});
