import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { NAV } from '../../web/layout.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

function setup() {
  const { db } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  testDeps(db, config, clock);
  const log = memoryLogger();
  const app = createApp({ db, config, jobs: JOBS, now: clock.now, log, auth: null });
  return { app, db, log };
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
    const { app } = setup();
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
    const { app } = setup();
    const res = await app.request('/backlinks?site=nope', { headers: RU });
    const html = await res.clone().text();
    expect(await read(res)).toMatchObject({ status: 404, lang: 'ru', nav: NAV.length });
    expect(html).toContain('Неизвестный сайт «nope»');
  });

  it('shows an unknown report inside the layout with status 404', async () => {
    const { app } = setup();
    expect(await read(await app.request('/reports/999', { headers: RU }))).toMatchObject({
      status: 404,
      h1: 'Не найдено',
      nav: NAV.length,
    });
  });

  it('answers JSON for unknown API addresses', async () => {
    const { app } = setup();
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('shows a failure inside the layout with status 500 and logs it, even when the database is gone', async () => {
    const { app, db, log } = setup();
    db.close();
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
