// The benchmark's data: one site whose bought links sit on `pages` pages of each donor host, stored through
// the same data layer on SQLite and PostgreSQL, plus the job run the checks belong to.
import { insertBacklinks } from '../../../src/backlinks/store.ts';
import type { Outcome } from '../../../src/backlinks/verdict.ts';
import type { Sql } from '../../../src/db/store/types.ts';
import { EXPECTED, pagePath, TARGET_URL, variantOf } from '../links/donor-pages.ts';

export const SITE = { name: 'studio', baseUrl: TARGET_URL, timeZone: 'UTC' };

export interface WorldLink {
  id: number;
  host: number;
  donorUrl: string;
  expected: Outcome;
}

export interface World {
  siteId: number;
  runId: number;
  /** Ordered so consecutive links are on different hosts, as the monitor orders a run's checks. */
  links: WorldLink[];
}

/** Host h's page p, for h < origins.length and p < pages; host-interleaved order. */
export function donorLinks(origins: readonly string[], pages: number) {
  const out: Omit<WorldLink, 'id'>[] = [];
  for (let page = 0; page < pages; page++)
    for (let host = 0; host < origins.length; host++)
      out.push({
        host,
        donorUrl: `${origins[host]!}${pagePath(host, page)}`,
        expected: EXPECTED[variantOf(host, page)].static,
      });
  return out;
}

export async function seedWorld(
  sql: Sql,
  origins: readonly string[],
  pages: number,
  now: Date,
): Promise<World> {
  const at = now.toISOString();
  const site = await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [SITE.name, SITE.baseUrl, SITE.timeZone, at],
  );
  const siteId = site!.id;
  const links = donorLinks(origins, pages);
  const ids = await insertBacklinks(
    sql,
    siteId,
    links.map((link) => ({
      donorUrl: link.donorUrl,
      target: TARGET_URL,
      targetKind: 'url' as const,
      expectedAnchor: null,
      kind: 'bought' as const,
      vendor: null,
      priceMicros: null,
      currency: null,
      billing: 'one-off' as const,
      boughtOn: null,
      paidUntil: null,
      tags: [],
      notes: null,
      brand: null,
    })),
    now,
  );
  const run = await sql.get<{ id: number }>(
    `INSERT INTO job_runs (job, site_id, trigger, started_at, status, pid) VALUES (?, ?, 'cli', ?, 'running', ?)
     RETURNING id`,
    ['check-backlinks', siteId, at, process.pid],
  );
  return { siteId, runId: run!.id, links: links.map((link, i) => ({ ...link, id: ids[i]! })) };
}

export interface Correctness {
  links: number;
  /** Stored checks of this run, in all. */
  checks: number;
  /** Links with no check in this run, and links with more than one. */
  unchecked: number;
  checkedTwice: number;
  /** Checks whose outcome differs from what the donor page was built to give. */
  wrong: number;
  examples: string[];
}

/** Every link checked once in the run, with the outcome its page was built for. */
export async function correctness(sql: Sql, world: World): Promise<Correctness> {
  const rows = await sql.all<{ id: number; n: number; outcome: string }>(
    `SELECT backlink_id AS id, count(*) AS n, min(outcome) AS outcome FROM backlink_checks
      WHERE run_id = ? GROUP BY backlink_id`,
    [world.runId],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const checks = rows.reduce((sum, r) => sum + Number(r.n), 0);
  const examples: string[] = [];
  let unchecked = 0;
  let wrong = 0;
  for (const link of world.links) {
    const row = byId.get(link.id);
    if (!row) unchecked++;
    else if (row.outcome !== link.expected) {
      wrong++;
      if (examples.length < 5) examples.push(`${link.donorUrl}: ${row.outcome}, expected ${link.expected}`);
    }
  }
  return {
    links: world.links.length,
    checks,
    unchecked,
    checkedTwice: rows.filter((r) => Number(r.n) > 1).length,
    wrong,
    examples,
  };
}
