import * as cheerio from 'cheerio';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import type { Db } from '../../src/db/open.ts';
import { openStore } from '../../src/db/store/open.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { NAV } from '../../web/layout.ts';
import {
  FakeClock,
  noSqliteDb,
  seedSitesIn,
  tempDb,
  TEST_BACKEND,
  testConfig,
  testStoreAndDb,
} from '../helpers.ts';

/**
 * A store of the run's backend that the test takes away itself ("the database is gone"): its own, since
 * the shared cleanup would close testStore()'s a second time.
 */
async function storeToLose(): Promise<{ sql: Sql; db: Db; lose: () => Promise<void> }> {
  if (TEST_BACKEND === 'postgres') {
    const { freshPgUrl } = await import('../pg/backends.ts');
    const sql = await openStore({ kind: 'postgres', url: await freshPgUrl() });
    let open = true;
    const lose = async () => {
      if (!open) return;
      open = false;
      await sql.close();
    };
    onTestFinished(lose);
    return { sql, db: noSqliteDb(), lose };
  }
  const { db } = tempDb();
  return { sql: storeOf(db), db, lose: async () => void db.close() };
}

async function setup(store?: { sql: Sql; db: Db }) {
  const { sql, db } = store ?? (await testStoreAndDb());
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const log = memoryLogger();
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log, auth: null });
  return { app, log };
}

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };

/** The page's language, title and whether it carries the whole navigation. */
async function read(res: Response) {
  const $ = cheerio.load(await res.text());
  return {
    status: res.status,
    lang: $('html').attr('lang'),
    h1: $('main h1').text().trim(),
    nav: $('nav a').length,
    switchers: $('.site-switcher, .lang-switcher').length,
  };
}

describe('error pages', () => {
  it('shows an unknown address inside the layout, in the visitor language, with status 404', async () => {
    const { app } = await setup();
    expect(await read(await app.request('/no/such/page', { headers: RU }))).toEqual({
      status: 404,
      lang: 'ru',
      h1: 'Не найдено',
      nav: NAV.length,
      switchers: 2,
    });
    expect((await read(await app.request('/no/such/page'))).h1).toBe('Not found');
  });

  it('shows an unknown site inside the layout with status 404', async () => {
    const { app } = await setup();
    const res = await app.request('/backlinks?site=nope', { headers: RU });
    const html = await res.clone().text();
    expect(await read(res)).toMatchObject({ status: 404, lang: 'ru', nav: NAV.length });
    expect(html).toContain('Неизвестный сайт «nope»');
  });

  it('shows an unknown report inside the layout with status 404', async () => {
    const { app } = await setup();
    expect(await read(await app.request('/reports/999', { headers: RU }))).toMatchObject({
      status: 404,
      h1: 'Не найдено',
      nav: NAV.length,
    });
  });

  it('answers JSON for unknown API addresses', async () => {
    const { app } = await setup();
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('shows a failure inside the layout with status 500 and logs it, even when the database is gone', async () => {
    const store = await storeToLose();
    const { app, log } = await setup(store);
    await store.lose();
    const page = await read(await app.request('/rankings', { headers: RU }));
    expect(page).toMatchObject({ status: 500, lang: 'ru', nav: NAV.length });
    expect(page.h1).toBe('Что-то пошло не так');
    expect(log.lines.join('\n')).toContain('GET /rankings failed');
    const api = await app.request('/api/overview');
    expect([api.status, await api.json()]).toEqual([
      500,
      { error: 'internal error; the server log has the details' },
    ]);
  });
});
