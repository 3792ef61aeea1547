// A two-site dashboard with accounts, for the authorisation tests: studio and bakery each with a link, a
// keyword, a competitor, an ad account, a report and an alert; an admin, an editor and a viewer of the
// studio; and requests carrying a session and a CSRF token the way a browser would.
import { insertAccount } from '../../src/ads/store.ts';
import { hashPassword } from '../../src/auth/password.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { addUser } from '../../src/auth/users.ts';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import { recordAlert } from '../../src/db/alerts.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { addCompetitor, insertKeywords } from '../../src/rank/store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { ROUTES, type RouteRule } from '../../web/access.ts';
import { createApp } from '../../web/app.ts';
import { csrfToken } from '../../web/auth.ts';
import { FakeClock, tempDir, seedSitesIn, siteByName, testConfig, testStoreAndDb } from '../helpers.ts';

export const SITES = ['studio', 'bakery'] as const;
export type SiteName = (typeof SITES)[number];
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const KEY = Buffer.alloc(32, 7);
const CSRF_RAW = 'c'.repeat(43);

export interface Objects {
  site: number;
  backlink: number;
  keyword: number;
  competitor: number;
  adAccount: number;
  report: number;
  notice: number;
}

async function seedSite(sql: Sql, name: SiteName, now: Date): Promise<Objects> {
  const site = (await siteByName(sql, name))!.id;
  const [backlink] = await insertBacklinks(
    sql,
    site,
    [
      {
        donorUrl: `https://donor.example/${name}`,
        target: `https://${name}.example/`,
        targetKind: 'url',
        expectedAnchor: name,
        kind: 'bought',
        vendor: 'Sape',
        priceMicros: 900_000_000,
        currency: 'RUB',
        billing: 'monthly',
        boughtOn: '2026-11-01',
        paidUntil: '2026-12-05',
        tags: [],
        notes: null,
        brand: null,
      },
    ],
    now,
  );
  const [keyword] = await insertKeywords(
    sql,
    site,
    [{ query: `${name} keyword`, engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru', tags: [] }],
    now,
  );
  const competitor = await addCompetitor(sql, site, `rival-${name}.example`, null, now);
  const adAccount = await insertAccount(
    sql,
    site,
    {
      platform: 'yandex-direct',
      externalId: `${name}-direct`,
      name: `Direct ${name}`,
      currency: 'RUB',
      timeZone: 'Europe/Moscow',
      costIncludesVat: true,
      monthlyBudgetMicros: 100_000_000_000,
      credentials: {},
      lookbackDays: null,
    },
    now,
  );
  const { id: report } = (await sql.get<{ id: number }>(
    `INSERT INTO reports (site_id, week, week_from, week_to, created_at, subject, html, email_html, text, data, pdf)
     VALUES (?, '2026-W47', '2026-11-16', '2026-11-22', ?, ?, ?, '<p>email</p>', 'text', '{}', ?)
     RETURNING id`,
    [
      site,
      now.toISOString(),
      `${name}: week 2026-W47`,
      `<!doctype html><html><head><style>h1{color:red}</style></head><body><h1>REPORT-OF-${name}</h1></body></html>`,
      Buffer.from('%PDF-1.4 fake'),
    ],
  ))!;
  const notice = await recordAlert(
    sql,
    {
      siteId: site,
      kind: 'backlink',
      severity: 'warning',
      message: `${name} link lost`,
      channel: 'email',
      recipient: 'x@example.com',
    },
    now,
  );
  return {
    site,
    backlink: backlink!,
    keyword: keyword!,
    competitor,
    adAccount,
    report,
    notice,
  };
}

export async function setup() {
  // `db`: the SQLite connection on a SQLite run (the same database as `sql`), a stand-in on PostgreSQL.
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const objects = {
    studio: await seedSite(sql, 'studio', clock.now()),
    bakery: await seedSite(sql, 'bakery', clock.now()),
  } as Record<SiteName, Objects>;
  const passwordHash = await hashPassword('a long password 1', CHEAP);
  const mk = (email: string, role: 'admin' | 'editor' | 'viewer', siteIds: number[] = []) =>
    addUser(sql, { email, role, siteIds, passwordHash }, clock.now());
  const users = {
    admin: await mk('owner@studio.example', 'admin'),
    editor: await mk('marketer@studio.example', 'editor', [objects.studio.site]),
    viewer: await mk('client@studio.example', 'viewer', [objects.studio.site]),
  };
  const app = createApp({
    db,
    sql,
    evidenceDir: tempDir(),
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    secretKey: KEY,
    runNow: () => 'started',
    recheck: async () => ({ status: 'started' }),
  });
  const cookieOf = async (who: keyof typeof users | null) => {
    const parts = [`pw_csrf=${CSRF_RAW}`];
    if (who) {
      const token = await createSession(sql, users[who].id, {
        now: clock.now(),
        policy: { idleMinutes: 60, absoluteHours: 8 },
        stage: 'full',
        ip: '127.0.0.1',
        userAgent: 'test',
      });
      parts.push(`pw_session=${token}`);
    }
    return parts.join('; ');
  };
  return { app, sql, db, clock, objects, users, cookieOf, csrf: csrfToken(KEY, CSRF_RAW) };
}

export type Setup = Awaited<ReturnType<typeof setup>>;

/** A concrete request for a route, about one site's objects. */
export function requestFor(rule: RouteRule, s: Setup, site: SiteName, cookie: string) {
  const o = s.objects[site];
  const kind = typeof rule.site === 'object' ? rule.site.id : null;
  const id = kind && kind !== 'share' ? o[kind as keyof Objects] : 0;
  let path = rule.path
    .replace(/:id(\{[^}]*\})?/, String(id))
    .replace(/:check(\{[^}]*\})?/, '1')
    .replace(':token', 'x'.repeat(43))
    .replace(':name', 'app.css');
  if (rule.site === 'query') path += `?site=${site}`;
  const headers: Record<string, string> = { cookie, 'x-csrf-token': s.csrf, host: '127.0.0.1' };
  if (rule.method === 'GET') return { path, init: { headers } };
  let body: string;
  if (rule.site === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ job: 'check-backlinks', site });
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams({ _csrf: s.csrf, site });
    if (kind === 'notice') form.set('do', `acknowledge:${o.notice}`);
    body = form.toString();
  }
  return { path, init: { method: 'POST', headers, body } };
}

export const bySite = (rule: RouteRule) => rule.site !== 'none';
export { ROUTES };
