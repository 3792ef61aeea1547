// Issue 17's worker test for backlink checks: 500 bought links on 50 donor hosts (127.0.0.2 … 127.0.0.51,
// one port) — ten big donors with 30 links each and forty small ones with 5, as an agency's links
// bunch on a few platforms — some live, some removed, nofollow, noindex, moved elsewhere or gone, each
// page answering after 20–80 ms. Once the small donors are done, every task in flight is for one of the
// ten big ones: more tasks than hosts, so the per-host limit is what keeps requests apart. (a) The check-backlinks job inline on SQLite, in one process; (b) the same job on PostgreSQL
// fanning out one `links` task per link to three `promowatch worker --kinds links` processes, one of
// them killed with SIGKILL mid-run. Both must store the same results, row by row — nothing lost, nothing
// twice — and every donor host must see at most one request at a time, at least the configured delay
// apart, across all three workers (the server records both per host).
//
// Gaps are measured when requests *arrive* at this process's server: the workers are other processes,
// and on a machine shared by many, when the kernel lets sender and server run adds some milliseconds —
// hence the small tolerance.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBacklinksJob } from '../../jobs/check-backlinks.ts';
import { runJob, type RunOutcome } from '../../jobs/runner.ts';
import { linkCheckTask } from '../../src/backlinks/link-check-task.ts';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { openStore } from '../../src/db/store/open.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { FakeClock, tempDb, tempDir, testConfig, testDeps } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { startProcess, waitFor, type Proc } from './processes.ts';

const ENTRY = fileURLToPath(new URL('./links-worker-entry.ts', import.meta.url));
const TARGET = 'https://studio.example/';
const HOSTS = Array.from({ length: 50 }, (_, i) => `127.0.0.${i + 2}`);
/** Links per host: 30 on each of the first ten, 5 on the others. */
const linksOn = (h: number) => (h < 10 ? 30 : 5);
const LINKS = HOSTS.reduce((n, _, h) => n + linksOn(h), 0);
/** The site's minimum delay between two requests to one donor host; at most one at a time per host. */
const MIN_DELAY_MS = 300;
/** Room for when this busy machine lets the server see a request (see the top of the file). */
const TOLERANCE_MS = 60;
/** What became of a host's links, by position (repeating). */
const FATES = ['live', 'live', 'live', 'nofollow', 'removed', 'live', 'noindex', 'moved', 'gone', 'live'];

afterAll(stopPgServer);

interface HostRecord {
  inFlight: number;
  maxInFlight: number;
  arrivals: number[];
}

/** The 50 donor hosts on one port, recording per host the most requests at once and their arrivals. */
async function donors() {
  const record = new Map<string, HostRecord>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url!;
    if (url === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nDisallow: /private/\n');
    const host = req.socket.localAddress!.replace(/^::ffff:/, '');
    let r = record.get(host);
    if (!r) record.set(host, (r = { inFlight: 0, maxInFlight: 0, arrivals: [] }));
    r.arrivals.push(performance.now());
    r.maxInFlight = Math.max(r.maxInFlight, ++r.inFlight);
    const fate = url.split('/')[1];
    const page = (body: string, head = '') =>
      `<html><head><title>Статья</title>${head}</head><body><p>Текст статьи.</p>${body}</body></html>`;
    const answer = () => {
      r.inFlight--;
      const html = (b: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(b);
      if (fate === 'live') html(page(`<a href="${TARGET}">видеопродакшн</a>`));
      else if (fate === 'nofollow') html(page(`<a href="${TARGET}" rel="nofollow">видеопродакшн</a>`));
      else if (fate === 'noindex')
        html(page(`<a href="${TARGET}">видеопродакшн</a>`, '<meta name="robots" content="noindex">'));
      else if (fate === 'moved') html(page('<a href="https://competitor.example/">видеопродакшн</a>'));
      else if (fate === 'removed') html(page('<p>Ссылку сняли.</p>'));
      else res.writeHead(404).end('not found');
    };
    setTimeout(answer, 20 + Math.random() * 60);
  };
  const servers: Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer(handler);
      s.once('error', reject);
      s.listen(port, host, () => {
        servers.push(s);
        resolve((s.address() as { port: number }).port);
      });
    });
  const port = await listen(HOSTS[0]!, 0);
  for (const h of HOSTS.slice(1)) await listen(h, port);
  return {
    port,
    record,
    reset: () => record.clear(),
    close: () =>
      Promise.all(
        servers.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))),
      ),
  };
}

function inputs(port: number): BacklinkInput[] {
  return HOSTS.flatMap((host, h) =>
    Array.from({ length: linksOn(h) }, (_, i) => FATES[i % FATES.length]!).map((fate, i) => ({
      donorUrl: `http://${host}:${port}/${fate}/article-${h}-${i}`,
      target: TARGET,
      targetKind: 'url' as const,
      expectedAnchor: null,
      kind: 'bought' as const,
      vendor: ['Sape', 'Miralinks', 'GoGetLinks'][h % 3]!,
      priceMicros: (300 + 50 * i) * 1_000_000,
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

/** What the runs stored, by donor page: every check's content, each link's state, each change. Times
 * differ between the runs (the workers read the real clock), so they are compared by what they mean. */
async function stored(sql: Sql) {
  const checks = await sql.all<Record<string, unknown>>(
    `SELECT b.donor_url AS donor, c.mode, c.outcome, c.reasons, c.google_passes AS g, c.google_reasons AS gr,
       c.yandex_passes AS y, c.yandex_reasons AS yr, c.http_status AS status, c.final_url AS "finalUrl",
       c.redirects, c.html_hash AS hash, c.link, c.external_links AS ext, c.brand_mentions AS brand,
       c.screenshot, c.error
     FROM backlink_checks c JOIN backlinks b ON b.id = c.backlink_id ORDER BY b.donor_url, c.id`,
  );
  const links = await sql.all<Record<string, unknown>>(
    `SELECT donor_url AS donor, status, status_reasons AS reasons, google_passes AS g, yandex_passes AS y,
       fail_streak AS streak, status_since = last_checked_at AS "sinceThisCheck",
       (fail_since IS NULL) AS "noFailSince"
     FROM backlinks ORDER BY donor_url`,
  );
  const events = await sql.all<Record<string, unknown>>(
    `SELECT b.donor_url AS donor, e.from_status AS "from", e.to_status AS "to", e.reasons,
       e.at = b.last_checked_at AS "atTheCheck"
     FROM backlink_events e JOIN backlinks b ON b.id = e.backlink_id ORDER BY b.donor_url, e.id`,
  );
  // PostgreSQL answers a comparison with a boolean, SQLite with 0/1.
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])),
    );
  return { checks: norm(checks), links: norm(links), events: norm(events) };
}

function perHost(record: Map<string, HostRecord>) {
  return [...record].map(([host, r]) => {
    const a = [...r.arrivals].sort((x, y) => x - y);
    const gap = Math.min(...a.slice(1).map((v, i) => v - a[i]!));
    return { host, requests: a.length, maxInFlight: r.maxInFlight, minGap: gap };
  });
}

function summarize(rows: ReturnType<typeof perHost>) {
  return {
    hosts: rows.length,
    maxInFlight: Math.max(...rows.map((r) => r.maxInFlight)),
    minGapMs: Math.round(Math.min(...rows.map((r) => r.minGap))),
  };
}

function startWorker(env: NodeJS.ProcessEnv): Proc {
  return startProcess(['--import', 'tsx', ENTRY], env);
}

const SETTINGS = { minDelayMs: MIN_DELAY_MS, timeoutMs: 3000, render: 'never' as const, confirmChecks: 1 };

describe.runIf(pgAvailable())('backlink checks through three worker processes on PostgreSQL', () => {
  it(`store the same results for ${LINKS} links on ${HOSTS.length} hosts as one process on SQLite; a worker killed mid-run loses and duplicates nothing; hosts stay polite`, async () => {
    const world = await donors();
    const config = testConfig({
      sites: [{ name: 'studio', baseUrl: TARGET, timeZone: 'Europe/Moscow', backlinks: SETTINGS }],
    });
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    try {
      // (a) One process, SQLite, the checks inline.
      const { db } = tempDb({
        besidePostgres: 'the reference is one process on SQLite, which the workers must match',
      });
      const deps = testDeps(db, config, clock);
      const site = (await getSiteByName(storeOf(db), 'studio'))!;
      await insertBacklinks(storeOf(db), site.id, inputs(world.port), clock.now());
      let t0 = performance.now();
      const inline = await runJob(deps, checkBacklinksJob, site, 'cli');
      const inlineSeconds = (performance.now() - t0) / 1000;
      expect(inline).toMatchObject({ status: 'ok', counts: { checked: LINKS } });
      const inlineHosts = perHost(world.record);
      world.reset();

      // (b) PostgreSQL: the job fans out, three workers check.
      const url = await (await pgServer()).createDatabase();
      const sql = await openStore({ kind: 'postgres', url });
      await sql.run('INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?, ?)', [
        site.id,
        site.name,
        site.baseUrl,
        site.timeZone,
        clock.now().toISOString(),
      ]);
      await insertBacklinks(sql, site.id, inputs(world.port), clock.now());
      // The lease is the enqueuer's (pg-boss stores it with each task): 25 s here, so the killed worker's
      // tasks come back within the test instead of after the real 10 minutes — and longer than a host
      // stays blocked by a slot the killed worker held (2 × timeoutMs + 10 s: donorSlot()).
      const registry = new TaskRegistry();
      registry.register({ ...linkCheckTask, leaseSeconds: 25 });
      const queue = await PgBossQueue.open({
        url,
        registry,
        deps: { sql, log: memoryLogger(), now: () => new Date(), fetch },
      });
      const configFile = join(tempDir(), 'promowatch.config.json');
      writeFileSync(
        configFile,
        JSON.stringify({ sites: [{ name: 'studio', baseUrl: TARGET, timeZone: 'Europe/Moscow' }] }),
      );
      const env = {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        PROMOWATCH_CONFIG: configFile,
        PROMOWATCH_DATABASE_URL: url,
        PROMOWATCH_QUEUE_MAINTENANCE_SECONDS: '1',
        PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
        PROMOWATCH_WORKER_GRACE_SECONDS: '5',
      };
      try {
        const workers = [startWorker(env), startWorker(env), startWorker(env)];
        const [victim, ...survivors] = workers as [Proc, Proc, Proc];
        const logs = () => workers.map((w, i) => `--- worker ${i} ---\n${w.log()}`).join('\n');
        t0 = performance.now();
        const running: Promise<RunOutcome> = runJob(
          { ...deps, sql, queue, log: memoryLogger() },
          checkBacklinksJob,
          site,
          'cli',
        );
        // Mid-run: the victim has finished some tasks and holds up to twelve more, most of them with their
        // check already stored (links-worker-entry.ts).
        const done = (w: Proc) => (w.log().match(/ done in \d+ ms/g) ?? []).length;
        await waitFor('the first worker to finish 40 tasks', () => done(victim) >= 40, 60_000, logs);
        const storedBeforeKill = (await sql.get<{ n: number }>('SELECT count(*) AS n FROM backlink_checks'))!
          .n;
        expect(storedBeforeKill).toBeLessThan(LINKS);
        const killedAt = (performance.now() - t0) / 1000;
        victim.child.kill('SIGKILL');
        expect(await victim.exited).toBe(null);

        const queued = await running;
        const queuedSeconds = (performance.now() - t0) / 1000;
        for (const w of survivors) w.child.kill('SIGTERM');
        expect(await Promise.all(survivors.map((w) => w.exited))).toEqual([0, 0]);
        expect(queued, logs()).toMatchObject({ status: 'ok', counts: (inline as { counts: object }).counts });

        // Row by row, the same results; one check per link of this run, none left out.
        const want = await stored(storeOf(db));
        expect(want.checks).toHaveLength(LINKS);
        const got = await stored(sql);
        expect(got.checks).toHaveLength(LINKS);
        expect(got).toEqual(want);
        expect(await sql.all(`SELECT DISTINCT run_id AS "runId" FROM backlink_checks`)).toEqual([
          { runId: (queued as { runId: number }).runId },
        ]);
        // Every task completed once; the killed worker's came back after their leases ran out.
        const tasks = await sql.all<{ state: string; n: number; retried: number }>(
          `SELECT state::text AS state, count(*)::int AS n, count(*) FILTER (WHERE retry_count > 0)::int AS retried
             FROM pgboss.job WHERE name = 'links' GROUP BY state`,
        );
        expect(tasks.map((t) => [t.state, t.n])).toEqual([['completed', LINKS]]);
        const retried = tasks[0]!.retried;
        // (A survivor's task waiting for a host whose slot the dead worker still held may outlive its
        // lease too and be retried: the rows above are what shows nothing ran twice.)
        expect(retried).toBeGreaterThan(0);

        // Politeness held across the three workers, as it did in one process.
        const queuedHosts = perHost(world.record);
        console.log(
          `links-workers: inline SQLite ${inlineSeconds.toFixed(1)} s ${JSON.stringify(summarize(inlineHosts))}; ` +
            `3 workers on PostgreSQL (one killed at ${killedAt.toFixed(1)} s after ${storedBeforeKill} checks, ${retried} tasks retried) ` +
            `${queuedSeconds.toFixed(1)} s ${JSON.stringify(summarize(queuedHosts))}`,
        );
        // One process's limiter is tested in tests/backlinks/monitor.test.ts; here its gaps share this
        // process's event loop with the server that times them, so they are printed, not asserted.
        expect(inlineHosts).toHaveLength(HOSTS.length);
        for (const r of inlineHosts) expect(r.maxInFlight, `inline: most at once on ${r.host}`).toBe(1);
        expect(queuedHosts).toHaveLength(HOSTS.length);
        for (const r of queuedHosts) {
          expect(r.maxInFlight, `workers: most requests at once on ${r.host}`).toBe(1);
          expect(r.minGap, `workers: smallest gap on ${r.host}`).toBeGreaterThanOrEqual(
            MIN_DELAY_MS - TOLERANCE_MS,
          );
        }
      } finally {
        await queue.close();
        await sql.close();
      }
    } finally {
      await world.close();
    }
  }, 240_000);
});
