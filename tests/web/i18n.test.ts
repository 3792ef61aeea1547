import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { pickLanguage } from '../../web/i18n.ts';
import type { AppDeps } from '../../web/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { FakeClock, seedSitesIn, testConfig, testStoreAndDb } from '../helpers.ts';

async function setup(extra: Partial<AppDeps> = {}, language: 'ru' | 'en' = 'en') {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  config.web.language = language;
  await seedSitesIn(sql, config.sites, clock.now());
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
  return { app };
}

const lang = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];

describe('the dashboard language', () => {
  it('comes from the cookie, then Accept-Language, then web.language', () => {
    expect(pickLanguage('en', 'ru-RU,ru;q=0.9', 'ru')).toBe('en');
    expect(pickLanguage(undefined, 'ru-RU,ru;q=0.9', 'en')).toBe('ru');
    expect(pickLanguage('klingon', 'de', 'ru')).toBe('ru');
  });

  it('opens in the browser language and in the config default otherwise', async () => {
    const { app } = await setup();
    const ru = await (
      await app.request('/', { headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } })
    ).text();
    expect(lang(ru)).toBe('ru');
    expect(ru).toContain('>Сводка</a>');
    expect(ru).toContain('>Аудит сайта</a>');
    const en = await (await app.request('/', { headers: { 'accept-language': 'de-DE' } })).text();
    expect(lang(en)).toBe('en');
    expect(en).toContain('>Overview</a>');
    const { app: ruApp } = await setup({}, 'ru');
    expect(lang(await (await ruApp.request('/')).text())).toBe('ru');
  });

  it('switches with the header form, keeps the choice in a cookie and goes back to the page', async () => {
    const { app } = await setup();
    const first = await app.request('/jobs?site=studio', { headers: { 'accept-language': 'en' } });
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const page = await first.text();
    const form = /<form class="lang-switcher"[\s\S]*?<\/form>/.exec(page)![0];
    const token = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const back = /name="back" value="([^"]+)"/.exec(form)![1]!.replace(/&amp;/g, '&');
    expect(back).toBe('/jobs?site=studio');
    const res = await app.request('/lang', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, lang: 'ru', back }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/jobs?site=studio');
    const chosen = res.headers.getSetCookie().find((c) => c.startsWith('promowatch_lang=ru'));
    expect(chosen).toMatch(/Max-Age=31536000/);
    const after = await app.request('/jobs?site=studio', {
      headers: { cookie: `${cookie}; promowatch_lang=ru`, 'accept-language': 'en' },
    });
    expect(lang(await after.text())).toBe('ru');
  });

  it('refuses a language it does not speak and a way back to another site', async () => {
    const { app } = await setup();
    const first = await app.request('/');
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const post = (fields: Record<string, string>) =>
      app.request('/lang', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      });
    expect((await post({ lang: 'de', back: '/' })).status).toBe(400);
    const away = await post({ lang: 'ru', back: '//evil.example/' });
    expect(away.headers.get('location')).toBe('/');
  });

  it('shows the login page and error pages in the chosen language', async () => {
    const { app } = await setup({ auth: { password: 'correct horse battery', sessionHours: 1 } });
    const login = await (await app.request('/login', { headers: { 'accept-language': 'ru' } })).text();
    expect(lang(login)).toBe('ru');
    expect(login).toContain('Пароль');
    expect(login).toContain('>Войти</button>');
    const { app: open } = await setup();
    const missing = await open.request('/no-such-page', { headers: { 'accept-language': 'ru' } });
    expect(missing.status).toBe(404);
    const body = await missing.text();
    expect(lang(body)).toBe('ru');
    expect(body).toContain('Не найдено');
    const site = await open.request('/?site=nope', { headers: { 'accept-language': 'ru' } });
    expect(site.status).toBe(404);
    expect(await site.text()).toContain('Неизвестный сайт «nope»');
  });
});
