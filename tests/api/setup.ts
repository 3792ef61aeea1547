// A two-site install with users, keys and some data, for the /api/v1 tests.
import { createApiKey, type KeyScope } from '../../src/auth/api-keys.ts';
import { addUser } from '../../src/auth/users.ts';
import { recordAlert } from '../../src/db/alerts.ts';
import { addEvent } from '../../src/db/events.ts';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import { addCompetitor, insertKeywords } from '../../src/rank/store.ts';
import { saveReport } from '../../src/report/store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import type { AppDeps } from '../../web/types.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

export async function apiSetup(extra: Partial<AppDeps> = {}) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  // On PostgreSQL `db` is noSqliteDb(): a test that still reads through it fails saying so.
  const { db, sql } = await testStoreDeps(config, clock);
  const studio = (await siteByName(sql, 'studio'))!;
  const bakery = (await siteByName(sql, 'bakery'))!;
  const hash = 'scrypt$1024$8$1$c2FsdA$aGFzaA';
  const owner = await addUser(
    sql,
    { email: 'owner@studio.example', role: 'admin', passwordHash: hash },
    clock.now(),
  );
  const now = clock.now();
  await insertKeywords(
    sql,
    studio.id,
    [
      { query: 'видеопродакшн москва', engine: 'yandex', device: 'desktop', lr: 213, tags: ['video'] },
      { query: 'motion design studio', engine: 'google', device: 'desktop', gl: 'ru', hl: 'en' },
      { query: 'съёмка рекламы', engine: 'yandex', device: 'mobile', lr: 213 },
    ],
    now,
  );
  await insertKeywords(
    sql,
    bakery.id,
    [{ query: 'торт на заказ', engine: 'yandex', device: 'desktop', lr: 54 }],
    now,
  );
  await addCompetitor(sql, studio.id, 'rival.example', 'Rival', now);
  const [linkA] = await insertBacklinks(
    sql,
    studio.id,
    [link('https://blog.example/top', 'https://studio.example/')],
    now,
  );
  const [linkB] = await insertBacklinks(
    sql,
    bakery.id,
    [link('https://food.example/cakes', 'bakery.example')],
    now,
  );
  await addEvent(sql, { siteId: studio.id, day: '2026-11-10', title: 'Site relaunch' }, now);
  const alertA = await recordAlert(
    sql,
    {
      siteId: studio.id,
      kind: 'backlink-lost',
      severity: 'warning',
      message: 'A link is gone',
      channel: 'email',
      recipient: 'a@b.c',
    },
    now,
  );
  const alertB = await recordAlert(
    sql,
    {
      siteId: bakery.id,
      kind: 'backlink-lost',
      severity: 'warning',
      message: 'A link is gone',
      channel: 'email',
      recipient: 'a@b.c',
    },
    now,
  );
  const crawl = (await sql.get<{ id: number }>(
    `INSERT INTO crawls (site_id, start_url, started_at, finished_at, status, pages, health)
     VALUES (?, 'https://studio.example/', ?, ?, 'ok', 12, 87.5) RETURNING id`,
    [studio.id, now.toISOString(), now.toISOString()],
  ))!.id;
  const report = (
    await saveReport(
      sql,
      {
        siteId: studio.id,
        week: { week: '2026-W47', from: '2026-11-16', to: '2026-11-22' } as never,
        subject: 'studio: week 47',
        html: '<p>Report</p>',
        emailHtml: '<p>Report</p>',
        text: 'Report',
        data: { lang: 'en' } as never,
        pdf: Buffer.from('%PDF-1.4 test'),
      },
      now,
    )
  ).id;
  const keyword = (await sql.get<{ id: number }>('SELECT MIN(id) AS id FROM keywords WHERE site_id = ?', [
    studio.id,
  ]))!.id;
  const key = async (scope: KeyScope, siteIds: number[] = []) =>
    (await createApiKey(sql, { userId: owner.id, name: `${scope} key`, scope, siteIds }, clock.now())).key;
  const app = createApp({
    db,
    sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    ...extra,
  });
  const call = (key: string | null, path: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...((init.headers as Record<string, string>) ?? {}),
      },
    });
  return {
    db,
    sql,
    clock,
    app,
    call,
    key,
    owner,
    studio,
    bakery,
    linkA: linkA!,
    linkB: linkB!,
    alertA,
    alertB,
    crawl,
    report,
    keyword,
  };
}

function link(donorUrl: string, target: string) {
  return {
    donorUrl,
    target,
    targetKind: target.startsWith('http') ? ('url' as const) : ('domain' as const),
    expectedAnchor: null,
    kind: 'bought' as const,
    vendor: 'Links.example',
    priceMicros: 1_500_000_000,
    currency: 'RUB',
    billing: 'one-off' as const,
    boughtOn: '2026-10-01',
    paidUntil: null,
    tags: [],
    notes: null,
    brand: null,
  };
}
