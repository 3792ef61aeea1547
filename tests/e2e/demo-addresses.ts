// Every GET route of the dashboard and a real address for each on the demo's data, for tests that walk all pages.
import { JOBS } from '../../jobs/index.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { API_V1_ROUTES } from '../../web/api/v1/index.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';
import { valueOf } from './built-demo.ts';

/** Every GET route the dashboard has (read from the app itself, so a new page is covered or fails). */
export function dashboardRoutes(): string[] {
  // Only built to list its routes: no request reaches this database (so a PostgreSQL run may open it too).
  const { db } = tempDb({ besidePostgres: 'the app is built only to list its routes' });
  const clock = new FakeClock(0);
  const config = testConfig();
  testDeps(db, config, clock);
  const app = createApp({ db, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
}

/** Routes that are not pages a person reads: files, data for scripts, downloads. */
export const NOT_PAGES = new Set([
  '/static/:name',
  // The second login step: only with a password just checked; without, a redirect to /login.
  '/login/code',
  // Opening a share link: a redirect to what it shares (its page is /share's list).
  '/s/:token',
  '/reports/:id/report.css',
  '/reports/:id/pdf',
  '/audit/export.csv',
  '/backlinks/export.csv',
  '/rankings/export.csv',
  '/ads/export.csv',
  '/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}',
  '/backlinks/:id{[0-9]+}/evidence.zip',
  '/backlinks/evidence.zip',
  '/api/jobs',
  '/api/rankings/keywords',
  '/api/rankings/keywords/:id{[0-9]+}/history',
  '/api/ads/campaigns',
  '/api/ads/pacing',
  '/api/ads/anomalies',
  '/api/sites',
  '/api/overview',
  '/api/audit/trend',
  '/api/backlinks/trend',
  '/api/rankings/trend',
  '/api/ads/trend',
  // Operations: JSON for load balancers, text for Prometheus.
  '/healthz',
  '/metrics',
  // The REST API (/api/v1): JSON for scripts, and its docs page rendered from the OpenAPI document.
  ...API_V1_ROUTES.filter((r) => r.method === 'GET').map((r) => `/api/v1${r.path}`),
]);

/**
 * A real address for each page route on the demo's data (ids and query values from its database).
 * `links` is how many link pages to take: each state (live, devalued, lost…) once, then the first ones.
 */
export async function pageAddresses(sql: Sql, links = Infinity): Promise<Map<string, string[]>> {
  const one = async <T>(q: string) => (await valueOf<T | undefined>(sql, q)) ?? (null as T);
  const studio = await one<number>(`SELECT id FROM sites WHERE name = 'studio'`);
  const linkRows = await sql.all<{ id: number; state: string | null }>(
    `SELECT id, status AS state FROM backlinks WHERE site_id = ? ORDER BY id`,
    [studio],
  );
  const byState = new Map<string | null, number>();
  for (const l of linkRows) if (!byState.has(l.state)) byState.set(l.state, l.id);
  const linkIds = [...new Set([...byState.values(), ...linkRows.map((l) => l.id)])].slice(0, links);
  const keyword = await one<number>(`SELECT id FROM keywords WHERE site_id = ${studio} ORDER BY id LIMIT 1`);
  const failedKeyword = await one<number | null>(
    `SELECT keyword_id FROM rank_observations WHERE state = 'failed' ORDER BY keyword_id LIMIT 1`,
  );
  const report = await one<number>(
    `SELECT id FROM reports WHERE site_id = ${studio} ORDER BY id DESC LIMIT 1`,
  );
  const rule = await one<string>(
    `SELECT rule FROM crawl_issues WHERE crawl_id = (SELECT MAX(id) FROM crawls WHERE site_id = ${studio}) ORDER BY rule LIMIT 1`,
  );
  const page = await one<string>(
    `SELECT url FROM crawl_urls WHERE kind = 'page' AND state = 'done' AND crawl_id = (SELECT MAX(id) FROM crawls WHERE site_id = ${studio}) ORDER BY url LIMIT 1`,
  );
  const check = await one<number | null>(
    `SELECT id FROM backlink_checks WHERE screenshot IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  const checkLink = check
    ? await one<number>(`SELECT backlink_id FROM backlink_checks WHERE id = ${check}`)
    : null;
  const q = (path: string) => `${path}${path.includes('?') ? '&' : '?'}site=studio`;
  return new Map<string, string[]>([
    ['/', [q('/'), '/']],
    ['/uptime', [q('/uptime')]],
    ['/login', ['/login']],
    ['/account', ['/account']],
    ['/account/keys', ['/account/keys']],
    ['/users', ['/users']],
    ['/share', [q('/share')]],
    ['/audit-log', ['/audit-log', '/audit-log?action=backlink']],
    ['/jobs', [q('/jobs')]],
    ['/alerts', [q('/alerts'), '/alerts?scope=all']],
    ['/audit', [q('/audit')]],
    ['/audit/rule', [q(`/audit/rule?rule=${encodeURIComponent(rule)}`)]],
    ['/audit/pages', [q('/audit/pages')]],
    ['/audit/page', [q(`/audit/page?url=${encodeURIComponent(page)}`)]],
    ['/backlinks', [q('/backlinks')]],
    ['/backlinks/:id{[0-9]+}', linkIds.map((id) => q(`/backlinks/${id}`))],
    ['/backlinks/:id{[0-9]+}/delete', [q(`/backlinks/${linkIds[0]}/delete`)]],
    ['/backlinks/archived', [q('/backlinks/archived')]],
    ['/rankings', [q('/rankings')]],
    [
      '/rankings/keywords/:id{[0-9]+}',
      [keyword, failedKeyword].filter(Boolean).map((id) => q(`/rankings/keywords/${id}`)),
    ],
    ['/ads', [q('/ads')]],
    ['/reports', [q('/reports')]],
    ['/reports/:id', [`/reports/${report}`]],
    ['/no-such-page', ['/no-such-page', '/audit?site=no-such-site']],
    // Not pages (in NOT_PAGES), but read by the language checks: a screenshot and the charts' data.
    [
      '/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}',
      check ? [q(`/backlinks/${checkLink}/evidence/${check}`)] : [],
    ],
    ['/api/overview', [q('/api/overview')]],
    ['/api/audit/trend', [q('/api/audit/trend')]],
    ['/api/backlinks/trend', [q('/api/backlinks/trend')]],
    ['/api/rankings/trend', [q('/api/rankings/trend')]],
    ['/api/ads/trend', [q('/api/ads/trend')]],
  ]);
}
