// Runs killed with SIGKILL under `serve` + system-cron `run`: every entry point must see them as interrupted.
// On PostgreSQL a run stays live while its run lock's lease lasts (jobs/runner.ts runLiveness: processes on
// other machines share the table, a pid means nothing there), so there the test lets the killed run's
// lease run out by hand — what the minutes after a crash do — before the next entry point.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tryStartRun } from '../../src/db/job-runs.ts';
import { syncSites } from '../../src/db/sites.ts';
import { processStartTime } from '../../src/util/process.ts';
import { deferred, describeSqliteOnly, localServer, siteByName, tempDir, testConfig } from '../helpers.ts';
import { testDatabase, type CliDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
/** A fixed moment long before any test runs: a heartbeat this old is stale whatever today is. */
const LONG_AGO = new Date('2001-02-03T04:05:06.000Z');

/** `promowatch ARGS` on the test's database: `--db FILE` on SQLite, PROMOWATCH_DATABASE_URL on PostgreSQL. */
function spawnCli(args: string[], dir: string, db: CliDatabase) {
  const child = spawn(
    process.execPath,
    [BIN, ...args, ...(db.backend === 'sqlite' ? ['--db', db.url] : [])],
    {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...(db.backend === 'postgres' ? db.env : {}) },
    },
  );
  const io = { out: '', err: '' };
  child.stdout.on('data', (d) => (io.out += d));
  child.stderr.on('data', (d) => (io.err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, io, exited };
}

async function readDb(db: CliDatabase) {
  const sql = await db.sql();
  return {
    runs: await sql.all<{ id: number; job: string; status: string; error: string | null }>(
      `SELECT id, job, status, error FROM job_runs ORDER BY id`,
    ),
    crawls: await sql.all<{ id: number; run_id: number; status: string }>(
      `SELECT id, run_id, status FROM crawls ORDER BY id`,
    ),
  };
}

/** A fresh database for the test's runs, in the test's folder on SQLite. */
const databaseIn = (dir: string) => testDatabase(join(dir, 'pw.db'));

/**
 * A site whose every answer hangs while `hang` is set (so a crawl sits in its first request), and a
 * one-page site otherwise. `requested` settles when a hanging request arrives: the crawl has started.
 */
async function stallingSite() {
  const state = { hang: true, requested: deferred() };
  const url = await localServer((req, res) => {
    if (state.hang) {
      state.requested.resolve();
      return; // never answered; the server's cleanup closes the socket
    }
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>The one page of this site</title>');
  });
  return { url, state };
}

function writeConfig(dir: string, siteUrl: string) {
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [
        {
          name: 'studio',
          baseUrl: siteUrl,
          timeZone: 'Europe/Moscow',
          crawl: { requestsPerSecond: 0, retries: 0, useSitemaps: false, parserThreads: 0 },
        },
      ],
      web: { port: 0 },
    }),
  );
}

/** Starts `promowatch run crawl-site`, waits until its crawl is fetching, and kills it with SIGKILL. */
async function killCrawlMidway(dir: string, db: CliDatabase, site: Awaited<ReturnType<typeof stallingSite>>) {
  site.state.hang = true;
  site.state.requested = deferred();
  const run = spawnCli(['run', 'crawl-site', '--site', 'studio'], dir, db);
  await Promise.race([
    site.state.requested.promise,
    run.exited.then(() => {
      throw new Error(`the run ended before it was killed: ${run.io.out} ${run.io.err}`);
    }),
  ]);
  run.child.kill('SIGKILL');
  await run.exited;
  const { runs, crawls } = await readDb(db);
  // Left exactly as a kill -9 leaves it: both rows still say "running".
  expect(runs.at(-1)!.status).toBe('running');
  expect(crawls.at(-1)!.status).toBe('running');
  site.state.hang = false;
  // PostgreSQL: the killed run's lease (≥ 90 s) runs out, as it does in the minutes after a crash.
  if (db.backend === 'postgres') await (await db.sql()).run('UPDATE run_locks SET lease_until_ms = 0');
  return { runId: runs.at(-1)!.id, crawlId: crawls.at(-1)!.id };
}

async function stop(child: ChildProcess, exited: Promise<number | null>) {
  child.kill('SIGTERM');
  return exited;
}

describe('a run killed with SIGKILL', () => {
  it('is recorded as interrupted, with its crawl, by the next `run`, which then runs', async () => {
    const dir = tempDir();
    const db = await databaseIn(dir);
    const site = await stallingSite();
    writeConfig(dir, site.url);
    const killed = await killCrawlMidway(dir, db, site);
    const next = spawnCli(['run', 'crawl-site', '--site', 'studio'], dir, db);
    expect(await next.exited).toBe(0);
    expect(next.io.out).toMatch(/crawl-site studio: ok/);
    const { runs, crawls } = await readDb(db);
    expect(runs.find((r) => r.id === killed.runId)).toMatchObject({
      status: 'interrupted',
      error: expect.stringMatching(/stopped before it finished/),
    });
    expect(crawls.find((c) => c.id === killed.crawlId)!.status).toBe('interrupted');
    expect(runs.at(-1)!.status).toBe('ok');
    expect(crawls.at(-1)!.status).toBe('ok');
  }, 60_000);

  it('is listed as interrupted by `jobs`', async () => {
    const dir = tempDir();
    const db = await databaseIn(dir);
    const site = await stallingSite();
    writeConfig(dir, site.url);
    const killed = await killCrawlMidway(dir, db, site);
    const jobs = spawnCli(['jobs'], dir, db);
    expect(await jobs.exited).toBe(0);
    expect(jobs.io.out).toMatch(/^crawl-site\s+studio\s+.*\s+interrupted\s+/m);
    const { runs, crawls } = await readDb(db);
    expect(runs.find((r) => r.id === killed.runId)!.status).toBe('interrupted');
    expect(crawls.find((c) => c.id === killed.crawlId)!.status).toBe('interrupted');
  }, 60_000);

  it('is recorded as interrupted when `serve` starts', async () => {
    const dir = tempDir();
    const db = await databaseIn(dir);
    const site = await stallingSite();
    writeConfig(dir, site.url);
    const killed = await killCrawlMidway(dir, db, site);
    const serve = spawnCli(['serve'], dir, db);
    await new Promise<void>((resolve, reject) => {
      serve.child.stdout.on('data', () => serve.io.out.includes('Dashboard:') && resolve());
      void serve.exited.then(() => reject(new Error(`serve ended: ${serve.io.err}`)));
    });
    try {
      const { runs, crawls } = await readDb(db);
      expect(runs.find((r) => r.id === killed.runId)!.status).toBe('interrupted');
      expect(crawls.find((c) => c.id === killed.crawlId)!.status).toBe('interrupted');
    } finally {
      expect(await stop(serve.child, serve.exited)).toBe(0);
    }
  }, 60_000);
});

describe('a running row whose pid now belongs to another live process', () => {
  it('does not make `run` skip: its stale heartbeat marks it interrupted and the job runs', async () => {
    const dir = tempDir();
    const db = await databaseIn(dir);
    const site = await stallingSite();
    site.state.hang = false;
    writeConfig(dir, site.url);
    // The row a killed run left, whose pid the OS has since given to a live process (this test's own),
    // with that process's true start time: only the heartbeat, silent since long ago, tells them apart
    // (on PostgreSQL: no run lock is held for it).
    const sql = await db.sql();
    await syncSites(sql, testConfig({ sites: [{ name: 'studio', baseUrl: site.url }] }).sites, LONG_AGO);
    await tryStartRun(
      sql,
      {
        job: 'uptime',
        siteId: (await siteByName(sql, 'studio'))!.id,
        trigger: 'cli',
        pid: process.pid,
        processStartedAt: processStartTime(process.pid),
        isLive: () => false,
      },
      LONG_AGO,
    );
    const run = spawnCli(['run', 'uptime', '--site', 'studio'], dir, db);
    expect(await run.exited).toBe(0);
    expect(run.io.out).not.toMatch(/skipped/);
    expect(run.io.out).toMatch(/uptime studio: ok/);
    expect((await readDb(db)).runs.map((r) => r.status)).toEqual(['interrupted', 'ok']);
  }, 60_000);
});

describeSqliteOnly(
  '`promowatch crawl` writes its ad hoc crawl into a SQLite file (--db), never the configured database',
  'an ad hoc `promowatch crawl` killed with SIGKILL',
  () => {
    it('leaves "running" at the next entry point, through the liveness its process recorded', async () => {
      const dir = tempDir();
      const db = await databaseIn(dir);
      const site = await stallingSite();
      writeConfig(dir, site.url);
      const crawl = spawnCli(['crawl', site.url], dir, db);
      await Promise.race([
        site.state.requested.promise,
        crawl.exited.then(() => {
          throw new Error(`the crawl ended before it was killed: ${crawl.io.out} ${crawl.io.err}`);
        }),
      ]);
      crawl.child.kill('SIGKILL');
      await crawl.exited;
      expect((await readDb(db)).crawls.at(-1)).toMatchObject({ run_id: null, status: 'running' });
      site.state.hang = false;
      const jobs = spawnCli(['jobs'], dir, db);
      expect(await jobs.exited).toBe(0);
      expect((await readDb(db)).crawls.at(-1)!.status).toBe('interrupted');
    }, 60_000);
  },
);
