// Share links in the dashboard: made on the Share page by an editor, opened by someone without an
// account; a report link shows that report and nothing else, a site link one site read-only; revoked,
// nothing at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { createShareLink } from '../../src/auth/share-links.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, seedSitesIn, siteByName, suiteSetup, testConfig, testStoreAndDb } from '../helpers.ts';
import { requestFor, ROUTES, setup, type Setup } from './access-setup.ts';

let s: Setup;
beforeAll(async () => {
  s = await suiteSetup(setup);
});

const FORM = 'application/x-www-form-urlencoded';

/** Posts a form as the given cookie's holder, CSRF token included. */
function post(path: string, cookie: string, fields: Record<string, string>) {
  return s.app.request(path, {
    method: 'POST',
    headers: { cookie, 'content-type': FORM },
    body: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
  });
}

/** Opens a share link the way a client's browser would; returns the cookie it is given and where it goes. */
async function open(token: string) {
  const res = await s.app.request(`/s/${token}`, { headers: { cookie: 'pw_csrf=' + 'c'.repeat(43) } });
  const share = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('pw_share='));
  return { res, cookie: [`pw_csrf=${'c'.repeat(43)}`, share].filter(Boolean).join('; ') };
}

async function makeReportLink(): Promise<{ token: string; id: number }> {
  const editor = await s.cookieOf('editor');
  const res = await post('/share', editor, {
    site: 'studio',
    what: String(s.objects.studio.report),
    label: 'Клиент: пекарня',
    days: '30',
  });
  expect(res.status).toBe(200);
  const html = await res.text();
  const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(html)![1]!;
  const id = Number(/data-share="(\d+)"/.exec(html)![1]);
  return { token, id };
}

describe('a report share link', () => {
  it('shows that report and nothing else; revoked, it shows nothing', async () => {
    const { token, id } = await makeReportLink();
    const { res, cookie } = await open(token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/reports/${s.objects.studio.report}`);

    const report = await s.app.request(`/reports/${s.objects.studio.report}`, { headers: { cookie } });
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('REPORT-OF-studio');
    expect(
      (await s.app.request(`/reports/${s.objects.studio.report}/pdf`, { headers: { cookie } })).status,
    ).toBe(200);

    // Every other route, the same site's included, is as if it did not exist.
    for (const rule of ROUTES.filter((r) => r.need !== 'public')) {
      for (const site of ['studio', 'bakery'] as const) {
        if (rule.report && site === 'studio') continue;
        const req = requestFor(rule, s, site, cookie);
        const res = await s.app.request(req.path, req.init);
        expect(res.status, `${rule.method} ${req.path}`).toBe(404);
        const text = await res.text();
        expect(text, req.path).not.toContain('REPORT-OF');
        // An unknown-site page repeats the name asked for; nothing else may name the other site.
        if (!req.path.includes('bakery')) expect(text, req.path).not.toContain('bakery');
      }
    }

    const revoked = await post(`/share/${id}/revoke`, await s.cookieOf('editor'), { site: 'studio' });
    expect(revoked.status).toBe(303);
    const after = await s.app.request(`/reports/${s.objects.studio.report}`, { headers: { cookie } });
    expect(after.status).not.toBe(200);
    expect(await after.text()).not.toContain('REPORT-OF');
    const again = await open(token);
    expect(again.res.status).toBe(404);
    const text = await again.res.text();
    expect(text).not.toContain('studio');
    expect(again.cookie).not.toContain('pw_share');
  });
});

describe('a site share link', () => {
  it("opens one site's dashboard read-only: the other site 404, every write unreachable", async () => {
    const { token } = await createShareLink(
      s.sql,
      { siteId: s.objects.studio.site, by: null },
      s.clock.now(),
    );
    const { res, cookie } = await open(token);
    expect(res.headers.get('location')).toBe('/');
    const home = await s.app.request('/', { headers: { cookie } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('read-only shared view');
    expect(html).not.toContain('bakery');
    expect(html).not.toContain('href="/share');
    const own = await s.app.request(`/reports/${s.objects.studio.report}`, { headers: { cookie } });
    expect(own.status).toBe(200);
    const other = await s.app.request(`/reports/${s.objects.bakery.report}`, { headers: { cookie } });
    expect(other.status).toBe(404);
    for (const rule of ROUTES.filter((r) => r.need === 'write' || r.need === 'admin' || r.need === 'login')) {
      const req = requestFor(rule, s, 'studio', cookie);
      const res = await s.app.request(req.path, req.init);
      expect([403, 404], `${rule.method} ${req.path}`).toContain(res.status);
    }
  });

  it('expires: past its date the link opens nothing', async () => {
    const { token } = await createShareLink(
      s.sql,
      { siteId: s.objects.studio.site, by: null, expiresAt: new Date(s.clock.t + 60_000) },
      s.clock.now(),
    );
    const { cookie } = await open(token);
    expect((await s.app.request('/', { headers: { cookie } })).status).toBe(200);
    s.clock.advance(60_000);
    const res = await s.app.request('/', { headers: { cookie } });
    expect(res.status).toBe(303);
    expect((await open(token)).res.status).toBe(404);
  });
});

describe('before any account exists', () => {
  it('works with the one shared password too: the link opens its site, not the other', async () => {
    const { sql, db, clock } = await suiteSetup(async () => {
      const { sql, db } = await testStoreAndDb();
      const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
      await seedSitesIn(sql, testConfig().sites, clock.now());
      return { sql, db, clock };
    });
    const app = createApp({
      db,
      sql,
      config: testConfig(),
      jobs: JOBS,
      now: clock.now,
      log: memoryLogger(),
      auth: { password: 'a shared password', sessionHours: 12 },
    });
    const bakery = (await siteByName(sql, 'bakery'))!;
    const { token } = await createShareLink(sql, { siteId: bakery.id, by: null }, clock.now());
    const opened = await app.request(`/s/${token}`);
    expect(opened.status).toBe(303);
    const cookie = opened.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const home = await app.request('/', { headers: { cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).not.toContain('studio');
    expect((await app.request('/?site=studio', { headers: { cookie } })).status).toBe(404);
    expect((await app.request('/share', { headers: { cookie } })).status).toBe(404);
    // Without the link, the password is still asked for.
    expect((await app.request('/')).status).toBe(303);
  });
});

describe('the Share page', () => {
  it('lists what each link opens, who made it, and whether it still works; viewers may not use it', async () => {
    await makeReportLink();
    const page = await s.app.request('/share?site=studio', {
      headers: { cookie: await s.cookieOf('editor') },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('marketer@studio.example');
    expect(html).toContain('Report 2026-W47');
    expect(html).toContain('Клиент: пекарня');
    expect(
      (await s.app.request('/share?site=studio', { headers: { cookie: await s.cookieOf('viewer') } })).status,
    ).toBe(403);
    // An editor of the studio cannot revoke the bakery's links.
    const { id } = await createShareLink(s.sql, { siteId: s.objects.bakery.site, by: null }, s.clock.now());
    expect((await post(`/share/${id}/revoke`, await s.cookieOf('editor'), { site: 'studio' })).status).toBe(
      404,
    );
  });

  it('speaks Russian', async () => {
    const res = await s.app.request('/share?site=studio', {
      headers: { cookie: await s.cookieOf('editor'), 'accept-language': 'ru' },
    });
    const html = await res.text();
    expect(html).toContain('Ссылки для просмотра');
    expect(html).toContain('Создать ссылку');
  });
});
