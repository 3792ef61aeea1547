// The check-backlinks job with a queue (one `links` task per link, worked by the in-process queue as
// `promowatch start` works it) stores exactly what the same job stores inline, on both stores: every
// check, every link's state, every change, and the run's counts.
import { afterAll, describe, expect, it } from 'vitest';
import { checkBacklinksJob } from '../../jobs/check-backlinks.ts';
import { runJob, type RunnerDeps } from '../../jobs/runner.ts';
import { linkCheckTask } from '../../src/backlinks/link-check-task.ts';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { FakeClock, localServer, runnerDeps, seedSitesIn, testConfig } from '../helpers.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const TARGET = 'https://studio.example/';
const page = (body: string, head = '') =>
  `<html><head><title>Donor</title>${head}</head><body><p>Article text.</p>${body}</body></html>`;

/** A donor host whose pages say, by their path, what became of the link. */
function donorHandler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const html = (b: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(b);
  const kind = req.url!.split('/')[1];
  if (req.url === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nDisallow: /private/\n');
  if (kind === 'live' || kind === 'private') return html(page(`<a href="${TARGET}">motion design</a>`));
  if (kind === 'nofollow') return html(page(`<a href="${TARGET}" rel="nofollow">motion design</a>`));
  if (kind === 'noindex')
    return html(page(`<a href="${TARGET}">x</a>`, '<meta name="robots" content="noindex">'));
  if (kind === 'removed') return html(page('<p>No link any more.</p>'));
  res.writeHead(404).end('not found');
}

const KINDS = ['live', 'live', 'nofollow', 'removed', 'gone', 'noindex', 'private', 'live'];

function inputs(hosts: string[]): BacklinkInput[] {
  return hosts.flatMap((base, h) =>
    KINDS.map((kind, i) => ({
      donorUrl: `${base}${kind}/page-${h}-${i}`,
      target: TARGET,
      targetKind: 'url' as const,
      expectedAnchor: null,
      kind: 'bought' as const,
      vendor: i % 2 ? 'Sape' : 'Miralinks',
      priceMicros: 500_000_000 + i * 1_000_000,
      currency: 'RUB',
      billing: 'monthly' as const,
      boughtOn: '2026-10-01',
      paidUntil: null,
      tags: [],
      notes: null,
      brand: null,
    })),
  );
}

/** Everything a run stored, without row ids: checks, links' states, changes, and the run. */
export async function storedResults(sql: Sql) {
  return {
    checks: await sql.all(
      `SELECT b.donor_url AS donor, c.run_id AS "runId", c.checked_at AS at, c.mode, c.outcome, c.reasons,
         c.google_passes AS g, c.google_reasons AS gr, c.yandex_passes AS y, c.yandex_reasons AS yr,
         c.http_status AS status, c.final_url AS "finalUrl", c.redirects, c.html_hash AS hash, c.link,
         c.external_links AS ext, c.brand_mentions AS brand, c.screenshot, c.error
       FROM backlink_checks c JOIN backlinks b ON b.id = c.backlink_id ORDER BY b.donor_url, c.id`,
    ),
    links: await sql.all(
      `SELECT donor_url AS donor, status, status_since AS since, status_reasons AS reasons, google_passes AS g,
         yandex_passes AS y, fail_streak AS streak, fail_since AS "failSince", last_checked_at AS "checkedAt"
       FROM backlinks ORDER BY donor_url`,
    ),
    events: await sql.all(
      `SELECT b.donor_url AS donor, e.at, e.from_status AS "from", e.to_status AS "to", e.reasons
       FROM backlink_events e JOIN backlinks b ON b.id = e.backlink_id ORDER BY b.donor_url, e.id`,
    ),
    runs: await sql.all(`SELECT job, status, counts, error FROM job_runs ORDER BY id`),
  };
}

describe.each(BACKENDS)('the check-backlinks job through the queue on $name', (backend) => {
  /** A fresh store with the studio site and the same links, and the deps that run jobs on it. */
  async function world(hosts: string[]): Promise<{ sql: Sql; deps: RunnerDeps; site: SiteRow }> {
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig({
      sites: [
        {
          name: 'studio',
          baseUrl: TARGET,
          timeZone: 'Europe/Moscow',
          backlinks: { minDelayMs: 30, timeoutMs: 3000, render: 'never', confirmChecks: 1 },
        },
      ],
    });
    // Each world its own store of the backend under test; nothing reaches the SQLite connection.
    const { sql } = await backend.open();
    const [site] = await seedSitesIn(sql, config.sites, clock.now());
    const base = runnerDeps(sql, config, clock);
    await insertBacklinks(sql, site!.id, inputs(hosts), clock.now());
    return { sql, deps: base, site: site! };
  }

  it('stores the same checks, states and changes as the inline run, and counts the same', async () => {
    const hosts = await Promise.all([1, 2, 3].map(() => localServer(donorHandler)));
    const inline = await world(hosts);
    const queued = await world(hosts);
    const registry = new TaskRegistry();
    registry.register(linkCheckTask);
    const queue = new InProcessQueue({
      registry,
      deps: { sql: queued.sql, log: memoryLogger(), now: queued.deps.now, fetch },
    });
    const stop = new AbortController();
    const working = queue.work(['links'], 4, stop.signal);
    try {
      const a = await runJob(inline.deps, checkBacklinksJob, inline.site, 'cli');
      const b = await runJob({ ...queued.deps, queue }, checkBacklinksJob, queued.site, 'cli');
      expect(a).toMatchObject({ status: 'ok', counts: { checked: 24, failing: 9, changes: 24 } });
      expect(b).toMatchObject({ status: 'ok', counts: (a as { counts: object }).counts });
      const want = await storedResults(inline.sql);
      expect(want.checks).toHaveLength(24);
      expect(await storedResults(queued.sql)).toEqual(want);
      // One task per link, each done once.
      expect(
        (await queue.depth()).filter((d) => d.kind === 'links' && d.count > 0).map((d) => [d.state, d.count]),
      ).toEqual([['completed', 24]]);
    } finally {
      stop.abort();
      await working;
      await queue.close();
      if (backend.name === 'postgres') {
        await inline.sql.close();
        await queued.sql.close();
      }
    }
  }, 60_000);
});
