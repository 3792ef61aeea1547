// The one authorisation check: every route of the app is declared, and with accounts each declaration
// holds against real requests — anonymous refused, another site's things 404, a viewer's writes 403.
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable, ruleFor } from '../../web/access.ts';
import { suiteSetup } from '../helpers.ts';
import { bySite, requestFor, ROUTES, setup, type Setup } from './access-setup.ts';

let s: Setup;
beforeAll(async () => {
  s = await suiteSetup(setup);
});

const key = (method: string, path: string) => `${method} ${path}`;
const guarded = ROUTES.filter((r) => r.need !== 'public');
const reads = guarded.filter((r) => r.method === 'GET' && r.need === 'read' && bySite(r));
const writes = guarded.filter((r) => r.need === 'write');

describe('the route table', () => {
  it('declares every route of the app, and only routes the app has', () => {
    const app = new Set(s.app.routes.filter((r) => r.method !== 'ALL').map((r) => key(r.method, r.path)));
    // One table for the whole app: the dashboard's routes and the REST API's (declared as registered).
    const table = new Set(routeTable().map((r) => key(r.method, r.path)));
    expect(table.size, 'each route declared once').toBe(routeTable().length);
    expect(
      [...app].filter((k) => !table.has(k)),
      'routes with no access declaration',
    ).toEqual([]);
    expect(
      [...table].filter((k) => !app.has(k)),
      'declarations of routes that do not exist',
    ).toEqual([]);
  });

  it('matches a request to its own route, parameters included', () => {
    expect(ruleFor('GET', '/backlinks/12/evidence/3')).toMatchObject({
      rule: { path: '/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}' },
      params: { id: '12', check: '3' },
    });
    expect(ruleFor('GET', '/backlinks/archived')?.rule.path).toBe('/backlinks/archived');
    expect(ruleFor('HEAD', '/reports/7/pdf')?.rule.path).toBe('/reports/:id/pdf');
    expect(ruleFor('GET', '/backlinks/abc')).toBeNull();
    expect(ruleFor('DELETE', '/backlinks/1')).toBeNull();
    expect(ruleFor('PUT', '/api/v1/backlinks/5/archived')).toMatchObject({
      rule: { need: 'write', site: { id: 'backlink' } },
      params: { id: '5' },
    });
    expect(ruleFor('GET', '/api/v1/sites/studio/keywords')).toMatchObject({
      rule: { need: 'read', site: 'path' },
      params: { site: 'studio' },
    });
  });
});

describe('with accounts', () => {
  it('refuses an anonymous request on every guarded route: login for pages, 401 for the API', async () => {
    for (const rule of guarded) {
      const { path, init } = requestFor(rule, s, 'studio', await s.cookieOf(null));
      const res = await s.app.request(path, init);
      const what = `${rule.method} ${path}`;
      if (path.startsWith('/api/')) expect(res.status, what).toBe(401);
      else if (rule.method === 'GET') {
        expect(res.status, what).toBe(303);
        expect(res.headers.get('location'), what).toMatch(/^\/login\?next=/);
      } else expect(res.status, what).toBe(401);
    }
  });

  it('names no site to someone not logged in, even on the pages anyone may open', async () => {
    for (const path of ['/login', '/login?site=bakery', '/login?site=nope', `/s/${'x'.repeat(43)}`]) {
      const res = await s.app.request(path, { headers: { cookie: await s.cookieOf(null) } });
      const text = await res.text();
      expect(text, path).not.toContain('value="studio"');
      expect(text, path).not.toContain('value="bakery"');
    }
  });

  it("answers 404 to a viewer of the studio for every one of the bakery's pages, exports, files and API answers", async () => {
    expect(reads.length).toBeGreaterThan(25);
    const cookie = await s.cookieOf('viewer');
    for (const rule of reads) {
      const { path, init } = requestFor(rule, s, 'bakery', cookie);
      const res = await s.app.request(path, init);
      expect(res.status, `${rule.method} ${path}`).toBe(404);
      expect(await res.text(), path).not.toContain('REPORT-OF-bakery');
    }
  });

  it('lets the same viewer read the studio (the 404s above are about the site, not the route)', async () => {
    const cookie = await s.cookieOf('viewer');
    for (const path of ['/?site=studio', '/backlinks?site=studio', `/reports/${s.objects.studio.report}`]) {
      const res = await s.app.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
    }
    const own = await s.app.request(`/backlinks/${s.objects.studio.backlink}`, { headers: { cookie } });
    expect(own.status).toBe(200);
  });

  it('refuses every write to a viewer with 403, on their own site', async () => {
    const cookie = await s.cookieOf('viewer');
    for (const rule of writes) {
      const { path, init } = requestFor(rule, s, 'studio', cookie);
      const res = await s.app.request(path, init);
      expect(res.status, `${rule.method} ${path}`).toBe(403);
    }
  });

  it("lets an editor write on their site and answers 404 for the bakery's", async () => {
    const cookie = await s.cookieOf('editor');
    for (const rule of writes) {
      const other = requestFor(rule, s, 'bakery', cookie);
      const res = await s.app.request(other.path, other.init);
      expect(res.status, `bakery: ${rule.method} ${other.path}`).toBe(404);
    }
    for (const rule of writes) {
      const own = requestFor(rule, s, 'studio', cookie);
      const res = await s.app.request(own.path, own.init);
      expect([403, 401], `studio: ${rule.method} ${own.path}`).not.toContain(res.status);
    }
    // A real change goes through: the studio's alert is acknowledged.
    const ack = requestFor(
      writes.find((r) => r.path === '/alerts/state')!,
      s,
      'studio',
      cookie,
    );
    expect((await s.app.request(ack.path, ack.init)).status).toBe(303);
  });

  it('offers "Run now" only where the press would be allowed', async () => {
    const runs = async (who: 'viewer' | 'editor' | 'admin') => {
      const html = await (
        await s.app.request('/jobs?site=studio', { headers: { cookie: await s.cookieOf(who) } })
      ).text();
      return [...html.matchAll(/name="site" value="([^"]*)"><button/g)].map((m) => m[1]);
    };
    expect(await runs('viewer')).toEqual([]);
    const editor = await runs('editor');
    expect(editor.length).toBeGreaterThan(0);
    expect(editor.every((site) => site === 'studio')).toBe(true);
    expect(await runs('admin')).toContain('');
  });

  it('keeps users and admin pages to admins (403 for an editor)', async () => {
    const res = await s.app.request('/users', { headers: { cookie: await s.cookieOf('editor') } });
    expect(res.status).toBe(403);
    expect((await s.app.request('/users', { headers: { cookie: await s.cookieOf('admin') } })).status).toBe(
      200,
    );
  });

  it('still refuses a cookie session a write without the CSRF token', async () => {
    const cookie = await s.cookieOf('editor');
    const res = await s.app.request('/events', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ site: 'studio', day: '2026-11-20', title: 'x' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('editor rights');
  });

  it("never shows a viewer the bakery: not in the site switcher, not in the overview's all sites", async () => {
    const cookie = await s.cookieOf('viewer');
    for (const path of ['/', '/?site=', '/backlinks', '/alerts', '/api/sites']) {
      const res = await s.app.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).not.toContain('bakery');
      expect(text, path).toContain('studio');
    }
    // The admin sees both, the overview as all sites.
    const admin = await (await s.app.request('/', { headers: { cookie: await s.cookieOf('admin') } })).text();
    expect(admin).toContain('bakery');
  });
});
