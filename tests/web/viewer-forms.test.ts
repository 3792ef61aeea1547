// A page shows a write control only to someone whose press would not be refused: a viewer and a read-only
// share link get every page of their site without one form or link to a write route (the language and
// logout forms aside), and are told in one quiet line that changes are an editor's; an editor gets the
// same pages with the forms.
import { beforeAll, describe, expect, it } from 'vitest';
import { createShareLink } from '../../src/auth/share-links.ts';
import { insertBacklinks, setArchived } from '../../src/backlinks/store.ts';
import { en, ru } from '../../src/i18n/messages/access.ts';
import { pathPattern, ruleFor, type RouteRule } from '../../web/access.ts';
import { suiteSetup } from '../helpers.ts';
import { requestFor, ROUTES, setup, type Setup } from './access-setup.ts';

let s: Setup;
let shareCookie: string;
beforeAll(async () => {
  s = await suiteSetup(setup);
  // An archived link, so the archived list has a row (and, for an editor, its "bring back" button).
  const [archived] = await insertBacklinks(
    s.sql,
    s.objects.studio.site,
    [
      {
        donorUrl: 'https://old-donor.example/post',
        target: 'https://studio.example/',
        targetKind: 'url',
        expectedAnchor: null,
        kind: 'bought',
        vendor: 'Miralinks',
        priceMicros: 1_500_000_000,
        currency: 'RUB',
        billing: 'one-off',
        boughtOn: '2026-10-01',
        paidUntil: null,
        tags: [],
        notes: null,
        brand: null,
      },
    ],
    s.clock.now(),
  );
  await setArchived(s.sql, [archived!], s.clock.now());
  const { token } = await createShareLink(s.sql, { siteId: s.objects.studio.site, by: null }, s.clock.now());
  shareCookie = `pw_csrf=${'c'.repeat(43)}; pw_share=${token}`;
});

/** The pages a viewer of the studio may open: every GET route that reads a site. */
const PAGES = ROUTES.filter((r) => r.method === 'GET' && r.need === 'read' && r.site !== 'none');

/** Where a page's controls lead: each POST form's action, each link's address (paths only). */
function controls(html: string) {
  const path = (u: string) => u.replace(/&amp;/g, '&').split(/[?#]/)[0]!;
  const posts = [...html.matchAll(/<form\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /method="post"/i.test(tag))
    .map((tag) => path(/action="([^"]*)"/.exec(tag)?.[1] ?? ''));
  const links = [...html.matchAll(/<a\b[^>]*\bhref="(\/[^"]*)"/g)].map((m) => path(m[1]!));
  return { posts, links };
}

/** Columns of a page's tables with no heading and nothing in any row: where a button used to be. */
function emptyColumns(html: string): number[] {
  const cells = (row: string, tag: 'th' | 'td') =>
    row
      .split(new RegExp(`<${tag}\\b[^>]*>`))
      .slice(1)
      .map((x) => x.replace(new RegExp(`</${tag}>[\\s\\S]*$`), '').trim());
  const found: number[] = [];
  for (const [table] of html.matchAll(/<table\b[\s\S]*?<\/table>/g)) {
    const head = cells(/<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '', 'th');
    const rows = [...table.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!, 'td'));
    const body = rows.filter((r) => r.length > 0);
    head.forEach((h, i) => {
      if (h === '' && body.length > 0 && body.every((r) => (r[i] ?? '') === '')) found.push(i);
    });
  }
  return found;
}

/** A form posting here would be refused to a viewer: anything but the public routes (language, logout). */
const refusedPost = (path: string) => ruleFor('POST', path)?.rule.need !== 'public';
/** A link here leads to a write (the delete confirmation) or admin page, or names a write route. */
function refusedLink(path: string) {
  const get = ruleFor('GET', path)?.rule;
  if (get) return get.need === 'write' || get.need === 'admin';
  return ROUTES.some((r: RouteRule) => r.need === 'write' && pathPattern(r.path).test(path));
}

/** Each page as the cookie's holder sees it, for the studio; `?site=` empty too (the "All sites" choice). */
async function pagesAs(cookie: string) {
  const seen: { address: string; html: string }[] = [];
  for (const rule of PAGES) {
    const req = requestFor(rule, s, 'studio', cookie);
    const addresses =
      rule.site === 'query' ? [req.path, req.path.replace('site=studio', 'site=')] : [req.path];
    for (const address of addresses) {
      const res = await s.app.request(address, req.init);
      if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      expect(res.status, address).toBeLessThan(500);
      seen.push({ address, html: await res.text() });
    }
  }
  // The Alerts page's own "all sites" scope lists every site the asker sees, row by row.
  const all = await s.app.request('/alerts?scope=all', { headers: { cookie } });
  seen.push({ address: '/alerts?scope=all', html: await all.text() });
  return seen;
}

describe.each([
  ['a viewer', () => s.cookieOf('viewer')],
  ['a share link', () => shareCookie],
])('%s', (_who, cookie) => {
  it('is shown no form and no link that leads to a write', async () => {
    const pages = await pagesAs(await cookie());
    expect(pages.length).toBeGreaterThan(10);
    const refused: Record<string, string[]> = {};
    for (const { address, html } of pages) {
      const { posts, links } = controls(html);
      const found = [...posts.filter(refusedPost).map((p) => `form ${p}`), ...links.filter(refusedLink)];
      if (emptyColumns(html).length) found.push(`empty columns ${emptyColumns(html).join(', ')}`);
      if (found.length) refused[address] = found;
    }
    expect(refused).toEqual({});
  });

  it('is told where changes are made, where the forms were', async () => {
    for (const address of ['/uptime', '/backlinks', '/rankings', '/ads', '/alerts']) {
      const html = await (
        await s.app.request(`${address}?site=studio`, { headers: { cookie: await cookie() } })
      ).text();
      expect(html, address).toContain(en.readOnly);
    }
  });

  it('is told so in Russian too', async () => {
    const res = await s.app.request('/rankings?site=studio', {
      headers: { cookie: await cookie(), 'accept-language': 'ru-RU,ru;q=0.9' },
    });
    const html = await res.text();
    expect(html).toContain(ru.readOnly);
    expect(html).not.toContain(en.readOnly);
  });
});

describe('an editor of the site', () => {
  it('is shown the forms on the same pages', async () => {
    const pages = await pagesAs(await s.cookieOf('editor'));
    const reached = new Set<string>();
    for (const { html } of pages) {
      const { posts, links } = controls(html);
      for (const p of posts.filter(refusedPost)) reached.add(`POST ${ruleFor('POST', p)!.rule.path}`);
      for (const l of links.filter(refusedLink)) reached.add(`GET ${ruleFor('GET', l)!.rule.path}`);
      expect(html).not.toContain(en.readOnly);
    }
    const ID = ':id{[0-9]+}';
    expect([...reached].sort()).toEqual(
      [
        'POST /events',
        'POST /jobs/run',
        'POST /alerts/state',
        'POST /backlinks',
        'POST /backlinks/selected',
        `POST /backlinks/${ID}/edit`,
        `POST /backlinks/${ID}/archive`,
        `POST /backlinks/${ID}/recheck`,
        `GET /backlinks/${ID}/delete`,
        'POST /rankings/keywords',
        'POST /rankings/competitors',
        `POST /rankings/competitors/${ID}/delete`,
        'POST /ads/accounts',
        `POST /ads/accounts/${ID}/budget`,
        'GET /share',
      ].sort(),
    );
  });
});
