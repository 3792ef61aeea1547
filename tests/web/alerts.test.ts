// The Alerts page: one row per message with its deliveries, filters and paging, acknowledge / resolve /
// reopen behind CSRF, the open count in the navigation, links to the detail, and the page in Russian.
import { describe, expect, it } from 'vitest';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import { countOpenAlerts, recordAlert, setNoticeState } from '../../src/db/alerts.ts';
import { notify } from '../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../src/notify/index.ts';
import type { AlertFacts } from '../../src/notify/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { PAGE_SIZE } from '../../web/pages/alerts.ts';
import { englishIn, readable } from '../i18n/english-left.ts';
import { FakeClock, seedSitesIn, siteByName, testConfig, testStoreAndDb } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const EN = { 'accept-language': 'en' };
const FORM = 'application/x-www-form-urlencoded';

const lost: AlertFacts = {
  type: 'links',
  to: 'lost',
  links: [
    {
      donorUrl: 'https://blog.example/post',
      target: 'https://studio.example/',
      vendor: 'Miralinks',
      reasons: ['removed'],
    },
  ],
};
const budget: AlertFacts = {
  type: 'budget',
  level: 'over',
  platform: 'yandex-direct',
  account: 'Кадр — Директ',
  currency: 'RUB',
  day: '2026-11-20',
  spentMicros: 65_000e6,
  budgetMicros: 60_000e6,
  paceDays: 7,
  dailyMicros: 3_000e6,
  forecastMicros: 95_000e6,
  overBy: 95 / 60 - 1,
};

async function setup() {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const studio = (await siteByName(sql, 'studio'))!;
  const bakery = (await siteByName(sql, 'bakery'))!;
  const [linkId] = await insertBacklinks(
    sql,
    studio.id,
    [
      {
        donorUrl: 'https://blog.example/post',
        target: 'https://studio.example/',
        targetKind: 'url',
        expectedAnchor: null,
        kind: 'guest-post',
        vendor: 'Miralinks',
        priceMicros: 8_000e6,
        currency: 'RUB',
        billing: 'one-off',
        boughtOn: '2026-10-01',
        paidUntil: null,
        tags: [],
        notes: null,
        brand: null,
      },
    ],
    clock.now(),
  );

  // The lost link goes through two channels, one of which refuses it: one message, two deliveries.
  const channels: ChannelConfig[] = [
    { type: 'webhook', name: 'team-hook', url: { env: 'HOOK' } },
    { type: 'slack', name: 'marketing', webhookUrl: { env: 'SLACK' } },
  ];
  const message: AlertMessage = {
    siteName: 'studio',
    kind: 'lost-backlink',
    severity: 'critical',
    facts: lost,
  };
  await notify(
    sql,
    channels,
    studio.id,
    message,
    {
      fetch: async (url) =>
        String(url).includes('slack') ? new Response('no_service', { status: 404 }) : new Response('ok'),
      secret: (ref) => (ref.env === 'SLACK' ? 'https://hooks.slack.test/T1' : 'https://hook.test/1'),
      now: clock.now,
      log: memoryLogger(),
      locale: { lang: 'en', timeZone: 'Europe/Moscow' },
    },
    { retries: 0 },
  );
  clock.advance(3_600_000);
  await recordAlert(
    sql,
    {
      siteId: studio.id,
      kind: 'budget',
      severity: 'critical',
      message: 'Over budget',
      channel: 'dashboard',
      recipient: 'dashboard',
      facts: budget,
    },
    clock.now(),
  );
  clock.advance(3_600_000);
  // A row from before migration 013 kept no facts: it shows as sent, and links the area's page.
  const jobFailure = await recordAlert(
    sql,
    {
      siteId: bakery.id,
      kind: 'job-failure',
      severity: 'warning',
      message: 'bakery: job crawl-site failed\nRun #4 failed: timeout',
      channel: 'dashboard',
      recipient: 'dashboard',
    },
    clock.now(),
  );
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  const get = async (path: string, headers: Record<string, string> = EN) => {
    const res = await app.request(path, { headers });
    expect(res.status).toBe(200);
    return res.text();
  };
  return { sql, app, clock, studio, bakery, linkId: linkId!, jobFailure, get };
}

const rows = (html: string) => [...html.matchAll(/<tr[^>]* id="alert-(\d+)"/g)].map((m) => Number(m[1]));

/** Cookies the app set plus the CSRF token of the page. */
async function session(app: Awaited<ReturnType<typeof setup>>['app'], path: string) {
  const res = await app.request(path, { headers: EN });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, token };
}

describe('the Alerts page', () => {
  it('lists every message once, newest first, with each channel and its delivery or error', async () => {
    const { get } = await setup();
    const html = await get('/alerts');
    expect(rows(html)).toHaveLength(3);
    // Newest first: the job failure, the budget, the lost link.
    const order = [
      'job crawl-site failed',
      'has spent more than its monthly budget',
      'bought link confirmed lost',
    ].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const lostRow = html.slice(html.indexOf('bought link confirmed lost'));
    expect(lostRow.match(/team-hook → /g)).toHaveLength(1);
    expect(lostRow).toMatch(/team-hook → URL in \$HOOK: delivered 27 Nov 2026, 12:00/);
    expect(lostRow).toMatch(/marketing → [^<]*: not delivered \(1 attempt\): [^<]*404/);
  });

  it('filters by site, kind, severity, state and period, and pages', async () => {
    const { get, sql, studio, clock } = await setup();
    expect(rows(await get('/alerts?scope=studio'))).toHaveLength(2);
    expect(rows(await get('/alerts?site=bakery'))).toHaveLength(1);
    expect(rows(await get('/alerts?scope=all&kind=budget'))).toHaveLength(1);
    expect(rows(await get('/alerts?severity=warning'))).toHaveLength(1);
    expect(rows(await get('/alerts?from=2026-11-28'))).toHaveLength(0);
    expect(rows(await get('/alerts?from=2026-11-27&to=2026-11-27'))).toHaveLength(3);
    expect(rows(await get('/alerts?to=2026-11-26'))).toHaveLength(0);
    const first = rows(await get('/alerts?scope=studio'))[1]!;
    await setNoticeState(sql, [first], 'acknowledge', 'cli', clock.now());
    expect(rows(await get('/alerts?state=acknowledged'))).toEqual([first]);
    expect(rows(await get('/alerts?state=open'))).toHaveLength(2);

    for (let i = 0; i < PAGE_SIZE + 5; i++)
      await recordAlert(
        sql,
        {
          siteId: studio.id,
          kind: 'anomaly',
          severity: 'info',
          message: `n${i}`,
          channel: 'dashboard',
          recipient: 'dashboard',
        },
        clock.now(),
      );
    const one = await get('/alerts?kind=anomaly');
    expect(rows(one)).toHaveLength(PAGE_SIZE);
    expect(one).toContain('href="/alerts?scope=all&amp;kind=anomaly&amp;page=2"');
    expect(rows(await get('/alerts?kind=anomaly&page=2'))).toHaveLength(5);
  });

  it('acknowledges, resolves and reopens a message on every channel, only with the form token', async () => {
    const { app, sql, get, clock } = await setup();
    const [, , lostId] = rows(await get('/alerts'));
    const s = await session(app, '/alerts');
    const post = (fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      return app.request('/alerts/state', {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': FORM, ...EN, ...headers },
        body: body.toString(),
      });
    };
    const refused = await post({ _csrf: 'forged', do: `acknowledge:${lostId}` });
    expect(refused.status).toBe(403);
    expect(await countOpenAlerts(sql, null)).toBe(3);

    clock.advance(60_000);
    const ok = await post({ _csrf: s.token, do: `acknowledge:${lostId}`, back: '/alerts?scope=studio' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/alerts?scope=studio&done=acknowledge&n=1');
    const stored = await sql.all(
      'SELECT channel, acknowledged_by AS "by", acknowledged_at AS "at" FROM alerts WHERE kind = ? ORDER BY id',
      ['lost-backlink'],
    );
    expect(stored).toEqual([
      { channel: 'team-hook', by: 'dashboard', at: '2026-11-27T11:01:00.000Z' },
      { channel: 'marketing', by: 'dashboard', at: '2026-11-27T11:01:00.000Z' },
    ]);
    const page = await get('/alerts?scope=studio&done=acknowledge&n=1');
    expect(page).toContain('1 alert acknowledged.');
    expect(page).toMatch(/Acknowledged by the dashboard, 27 Nov 2026/);

    // A selection: resolve all three, then reopen one.
    const all = rows(await get('/alerts'));
    expect((await post({ _csrf: s.token, do: 'resolve', ids: all.map(String) })).status).toBe(303);
    expect(await countOpenAlerts(sql, null)).toBe(0);
    expect(rows(await get('/alerts?state=resolved'))).toHaveLength(3);
    await post({ _csrf: s.token, do: 'reopen', ids: [String(lostId)] });
    expect(rows(await get('/alerts?state=open'))).toEqual([lostId]);
    expect((await post({ _csrf: s.token, do: 'resolve' })).status).toBe(400);
  });

  it('shows the open count of the chosen site beside "Alerts" in the navigation', async () => {
    const { sql, get, clock, bakery } = await setup();
    const badge = (html: string) =>
      /href="\/alerts\?site=[^"]*"[^>]*>Alerts <span[^>]*>(\d+)<\/span>/.exec(html)?.[1];
    expect(badge(await get('/?site=studio'))).toBe('2');
    expect(badge(await get('/jobs?site=bakery'))).toBe('1');
    const [id] = rows(await get('/alerts?scope=bakery'));
    await setNoticeState(sql, [id!], 'resolve', 'cli', clock.now());
    expect(badge(await get('/jobs?site=bakery'))).toBeUndefined();
    expect(await countOpenAlerts(sql, [bakery.id])).toBe(0);
  });

  it('links each message to its detail: the link, the ads page, else the area page', async () => {
    const { get, linkId } = await setup();
    const html = await get('/alerts');
    expect(html).toContain(`href="/backlinks/${linkId}?site=studio"`);
    expect(html).toContain('href="/ads?site=studio"');
    expect(html).toContain('href="/jobs?site=bakery"');
  });

  it('speaks Russian, the messages with facts worded again in Russian, and leaves no English', async () => {
    const { get } = await setup();
    const html = await get('/alerts?scope=studio', RU);
    expect(html).toContain('Рекламный аккаунт «Кадр — Директ» (Яндекс Директ) превысил месячный бюджет');
    expect(html).toMatch(/>Оповещения <span[^>]*title="2 новых оповещения"/);
    expect(englishIn(readable(html))).toEqual([]);
    // (The bakery's stored job failure is in the bakery's language, English: data, shown as sent.)
    const done = await get('/alerts?scope=studio&done=resolve&n=3', RU);
    expect(done).toContain('Решено: 3 оповещения.');
    expect(englishIn(readable(done))).toEqual([]);
  });
});
