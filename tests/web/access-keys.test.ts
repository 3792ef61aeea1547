// The one authorisation check judges API keys too: every /api/v1 route of its table, walked with keys of
// different scopes, owners and site restrictions, answers 401/403/404 in the API's one error shape.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type KeyScope } from '../../src/auth/api-keys.ts';
import { addEvent } from '../../src/db/events.ts';
import { routeTable, type RouteRule } from '../../web/access.ts';
import { suiteSetup } from '../helpers.ts';
import { setup, SITES, type Objects, type Setup, type SiteName } from './access-setup.ts';

type Extra = { crawl: number; event: number };
let s: Setup;
const extra = {} as Record<SiteName, Extra>;

beforeAll(async () => {
  s = await suiteSetup(setup);
  // What the by-site routes with an id of their own need: an audit crawl and an event on each site.
  for (const name of SITES) {
    const site = s.objects[name].site;
    const now = s.clock.now();
    const { id: crawl } = (await s.sql.get<{ id: number }>(
      `INSERT INTO crawls (site_id, start_url, started_at, finished_at, status, pages, health)
       VALUES (?, ?, ?, ?, 'ok', 3, 90) RETURNING id`,
      [site, `https://${name}.example/`, now.toISOString(), now.toISOString()],
    ))!;
    extra[name] = {
      crawl,
      event: await addEvent(s.sql, { siteId: site, day: '2026-11-20', title: 'x' }, now),
    };
  }
});

const v1 = routeTable().filter((r) => r.path.startsWith('/api/v1/'));
const guarded = v1.filter((r) => r.need !== 'public');
const writes = guarded.filter((r) => r.need === 'write');
const bySite = guarded.filter((r) => r.site !== 'none');

/** An id in the path by what the route names: its own kind, or the thing after the site's name. */
function idFor(rule: RouteRule, o: Objects, e: Extra): number {
  if (typeof rule.site === 'object') return o[rule.site.id as keyof Objects];
  const thing = /\/(\w[\w-]*)\/:id/.exec(rule.path)?.[1];
  const byThing: Record<string, number> = {
    keywords: o.keyword,
    competitors: o.competitor,
    events: e.event,
    audits: e.crawl,
  };
  return byThing[thing ?? ''] ?? 0;
}

/** A concrete request for a v1 route about one site's things, with a key (or headers of a browser). */
async function call(rule: RouteRule, site: SiteName, headers: Record<string, string>) {
  const path = rule.path
    .replace(':site', site)
    .replace(':id', String(idFor(rule, s.objects[site], extra[site])))
    .replace(':domain', `rival-${site}.example`);
  const init: RequestInit = { method: rule.method, headers: { ...headers } };
  if (rule.method !== 'GET') {
    init.body = '{}';
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await s.app.request(path, init);
  const json = res.headers.get('content-type')?.includes('json');
  return {
    what: `${rule.method} ${path}`,
    status: res.status,
    code: json ? ((await res.json()) as { error?: { code?: string } }).error?.code : undefined,
  };
}

async function keyOf(who: keyof Setup['users'], scope: KeyScope, siteIds: number[] = []) {
  const userId = s.users[who].id;
  return {
    authorization: `Bearer ${(await createApiKey(s.sql, { userId, name: 'walk', scope, siteIds }, s.clock.now())).key}`,
  };
}

describe('/api/v1 in the one route table', () => {
  it('declares a scope and a site for every route, and by-site routes cover every kind of id', () => {
    expect(guarded.length).toBeGreaterThanOrEqual(30);
    expect(writes.length).toBeGreaterThanOrEqual(12);
    const kinds = new Set(bySite.map((r) => (typeof r.site === 'object' ? r.site.id : r.site)));
    expect([...kinds].sort()).toEqual(['adAccount', 'backlink', 'notice', 'path', 'report']);
  });

  it('refuses every route without a key, and a logged-in browser too (keys only), with 401', async () => {
    const anonymous: Record<string, string>[] = [
      {},
      { cookie: await s.cookieOf('admin') },
      { authorization: 'Bearer pw_nope' },
    ];
    for (const headers of anonymous) {
      for (const rule of guarded) {
        const r = await call(rule, 'studio', headers);
        expect([r.what, r.status, r.code]).toEqual([r.what, 401, 'unauthorized']);
      }
    }
  });

  it('opens the document and its docs page without a key', async () => {
    for (const rule of v1.filter((r) => r.need === 'public'))
      expect((await call(rule, 'studio', {})).status, rule.path).toBe(200);
  });

  it('gives a read key 403 on every write route, and a viewer’s write key too (capped by its owner)', async () => {
    for (const headers of [await keyOf('admin', 'read'), await keyOf('viewer', 'write')]) {
      for (const rule of writes) {
        const r = await call(rule, 'studio', headers);
        expect([r.what, r.status, r.code]).toEqual([r.what, 403, 'forbidden']);
      }
    }
  });

  it('answers 404 on every route about a site outside the key (narrowed key, or its owner’s sites)', async () => {
    const narrowed = await keyOf('admin', 'write', [s.objects.studio.site]);
    const editors = await keyOf('editor', 'write');
    const viewers = await keyOf('viewer', 'read');
    for (const headers of [narrowed, editors, viewers]) {
      for (const rule of bySite.filter((r) => headers !== viewers || r.need === 'read')) {
        const r = await call(rule, 'bakery', headers);
        expect([r.what, r.status, r.code]).toEqual([r.what, 404, 'not_found']);
      }
    }
  });

  it('lets the same keys through on their own site (the 404s above are about the site)', async () => {
    // Reads first: the writes below remove some of what they read (a keyword, an event).
    for (const headers of [await keyOf('viewer', 'read'), await keyOf('editor', 'read')]) {
      for (const rule of guarded.filter((r) => r.need === 'read')) {
        const r = await call(rule, 'studio', headers);
        expect([r.what, r.status]).toEqual([r.what, 200]);
      }
    }
    const narrowed = await keyOf('admin', 'write', [s.objects.studio.site]);
    for (const rule of writes) {
      const r = await call(rule, 'studio', narrowed);
      expect([401, 403, 404], r.what).not.toContain(r.status);
    }
  });

  it('lists only the sites a key reaches', async () => {
    const sites = guarded.find((r) => r.path === '/api/v1/sites')!;
    const res = await s.app.request('/api/v1/sites', { headers: await keyOf('editor', 'read') });
    expect(sites).toBeDefined();
    const body = (await res.json()) as { items: { name: string }[] };
    expect(body.items.map((x) => x.name)).toEqual(['studio']);
  });
});
