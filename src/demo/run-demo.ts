// `promowatch demo`: starts the simulated world, runs every job into data/demo.db (with a backfilled
// history driven by a simulated clock), and serves the dashboard with the scheduler attached.
import { existsSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { JOB_NAMES, JOBS } from '../../jobs/index.ts';
import { runJob, type RunnerDeps } from '../../jobs/runner.ts';
import { Scheduler } from '../../jobs/scheduler.ts';
import { BrowserPool } from '../browser/launcher.ts';
import { makeSecretResolver, validateConfig } from '../config/load.ts';
import { insertBacklinks } from '../backlinks/store.ts';
import { addEvent } from '../db/events.ts';
import { closeDatabase, openDatabase, type Db } from '../db/open.ts';
import { syncSites } from '../db/sites.ts';
import { addDays, dayIn } from '../util/days.ts';
import { createLogger, type Logger } from '../util/log.ts';
import type { Progress } from '../util/progress.ts';
import { serveDashboard } from '../cli/serve-dashboard.ts';
import { DONOR_CASES } from './donors.ts';
import { defaultScenario, startWorld, type World } from './world.ts';

export interface DemoOptions {
  dbPath: string;
  port: number;
  host?: string;
  log?: Logger;
  now?: Date;
  /** Days of history to backfill (checks every 8 hours). */
  days?: number;
  progress?: (label: string, total: number) => Progress;
}

export interface RunningDemo {
  url: string;
  dbPath: string;
  close(): Promise<void>;
}

const TZ = 'Europe/Moscow';
// The simulated sites live on this machine: no need to be gentle with them. Their pages are a few
// sentences each, so the thin-content check is switched off (a real config option) to let the
// problems the simulation plants stand out.
const DEMO_CRAWL = { requestsPerSecond: 0, concurrency: 8, thresholds: { thinContentWords: 0 } };
// Donor pages are simulated too: no delay between requests, no start jitter.
// The backfill renders each donor once (and again when its HTML changes) and keeps no screenshots: a
// screenshot taken today must not pose as evidence from weeks ago. The last check, today, renders all
// of them and keeps the screenshots.
const DEMO_BACKLINKS = {
  minDelayMs: 0,
  jitterSeconds: 0,
  timeoutMs: 5000,
  renderEveryDays: 60,
  screenshots: false,
};

/** The demo recreates its database on each start: it refuses to delete a file that is not its own. */
export function assertDemoDatabase(file: string): void {
  if (!existsSync(file)) return;
  let isDemo = false;
  try {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      // Marked by the demo, or (written before the mark existed) watching only simulated loopback sites.
      isDemo =
        db.prepare(`SELECT 1 FROM meta WHERE key = 'demo'`).get() !== undefined ||
        ((db.prepare(`SELECT COUNT(*) FROM sites`).pluck().get() as number) > 0 &&
          db
            .prepare(`SELECT COUNT(*) FROM sites WHERE base_url NOT LIKE 'http://127.0.0.1:%'`)
            .pluck()
            .get() === 0);
    } finally {
      db.close();
    }
  } catch {
    isDemo = false;
  }
  if (!isDemo)
    throw new Error(
      `${file} exists and is not a demo database; the demo will not overwrite it (pass another --db)`,
    );
}

export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  assertDemoDatabase(opts.dbPath);
  const now = opts.now ?? new Date();
  const world = await startWorld(defaultScenario(now), now);
  for (const suffix of ['', '-wal', '-shm']) rmSync(opts.dbPath + suffix, { force: true });
  const db = openDatabase(opts.dbPath);
  let scheduler: Scheduler | null = null;
  try {
    return await bootDemo(opts, now, world, db, (s) => (scheduler = s));
  } catch (err) {
    // Nothing keeps running after a failed start (e.g. the dashboard port is taken).
    await (scheduler as Scheduler | null)?.stop(0, 0);
    await world.close();
    closeDatabase(db);
    throw err;
  }
}

async function bootDemo(
  opts: DemoOptions,
  now: Date,
  world: World,
  db: Db,
  onScheduler: (s: Scheduler) => void,
): Promise<RunningDemo> {
  const log = opts.log ?? createLogger({ level: 'warn' });
  const days = opts.days ?? 28;
  db.prepare(`INSERT INTO meta (key, value) VALUES ('demo', ?)`).run(now.toISOString());
  const studio = world.sites.find((s) => s.name === 'studio')!;
  const bakery = world.sites.find((s) => s.name === 'bakery')!;
  const config = validateConfig(
    {
      timeZone: TZ,
      sites: [
        {
          name: 'studio',
          baseUrl: studio.url,
          timeZone: TZ,
          uptime: {
            paths: [
              '/',
              '/portfolio/',
              '/services/motion-design/',
              '/blog/',
              '/ru/',
              '/ru/o-studii/',
              '/contacts/',
            ],
            timeoutMs: 5000,
          },
          crawl: DEMO_CRAWL,
          backlinks: DEMO_BACKLINKS,
        },
        {
          name: 'bakery',
          baseUrl: bakery.url,
          timeZone: TZ,
          uptime: { paths: ['/', '/menu/', '/contacts/'], timeoutMs: 5000 },
          crawl: DEMO_CRAWL,
        },
      ],
      web: { host: opts.host ?? '127.0.0.1', port: opts.port },
    },
    JOB_NAMES,
  );
  const sites = syncSites(db, config.sites, now);
  const browser = new BrowserPool();
  // During the backfill the clock reads the simulated instant plus the real time since it was set,
  // so run durations stay real.
  let simulated = now.getTime();
  let setAt = performance.now();
  const clock = () => new Date(simulated + (performance.now() - setAt));
  const deps: RunnerDeps = {
    db,
    config,
    now: clock,
    fetch: globalThis.fetch,
    log,
    browser,
    secret: makeSecretResolver({}, 'the demo (it uses no secrets)'),
  };
  const studioRow = sites.find((s) => s.name === 'studio')!;
  const today = dayIn(now, TZ);
  addEvent(db, { siteId: studioRow.id, day: addDays(today, -6), title: 'Site relaunch (new hosting)' }, now);
  addEvent(db, { siteId: studioRow.id, day: addDays(today, -3), title: 'Press release published' }, now);
  // The links the studio bought, bought five weeks ago (monthly ones paid up to a date, some due soon).
  insertBacklinks(
    db,
    studioRow.id,
    DONOR_CASES.map((d, i) => ({
      donorUrl: `${world.donors[i]}${d.path}`,
      target: studio.url,
      targetKind: 'url' as const,
      expectedAnchor: d.anchor,
      kind: d.kind,
      vendor: d.vendor,
      priceMicros: d.price * 1_000_000,
      currency: 'RUB',
      billing: d.billing,
      boughtOn: addDays(today, -35 + (i % 4)),
      paidUntil: d.billing === 'monthly' ? addDays(today, i % 3 === 0 ? 6 : 25) : null,
      tags: [d.kind === 'press-release' ? 'pr' : 'seo'],
      notes: `Demo case: ${d.note}`,
      brand: d.kind === 'press-release' ? 'Kadr' : null,
    })),
    new Date(now.getTime() - 35 * 86_400_000),
  );

  // Backfill: run the site jobs at simulated instants over the last `days` days — uptime every 8 hours,
  // a crawl each week — and the world answers as it would have then (slower before the relaunch, an
  // outage, different pages and problems). Every number stored is measured, nothing is made up.
  const day = 86_400_000;
  const start = now.getTime() - days * day;
  const plan: { t: number; job: string }[] = [];
  for (let t = start; t <= now.getTime(); t += 8 * 3_600_000) plan.push({ t, job: 'uptime' });
  for (let t = now.getTime() - 2 * 3_600_000; t >= start; t -= 24 * 3_600_000)
    plan.push({ t, job: 'check-backlinks' });
  for (let age = Math.floor(days / 7) * 7 - 7; age >= 0; age -= 7)
    plan.push({ t: now.getTime() - age * day - 3_600_000, job: 'crawl-site' });
  plan.sort((a, b) => a.t - b.t);
  const progress = opts.progress?.('simulated history', plan.length);
  for (const step of plan) {
    simulated = step.t;
    setAt = performance.now();
    world.setClock(new Date(step.t));
    const job = JOBS.find((j) => j.name === step.job)!;
    // Sites are independent (an agency's clients): run the job for all of them at once.
    await Promise.all(sites.map((site) => runJob(deps, job, site, 'demo')));
    // Evidence screenshots of the backfill are not kept: they would all show today's page.
    progress?.tick();
  }
  progress?.done();
  simulated = now.getTime();
  setAt = performance.now();
  world.setClock(null);
  const studioBacklinks = config.sites[0]!.backlinks;
  Object.assign(studioBacklinks, { render: 'always', screenshots: true });
  await runJob(
    deps,
    JOBS.find((j) => j.name === 'check-backlinks')!,
    studioRow,
    'demo',
  );
  Object.assign(studioBacklinks, { render: 'fallback', renderEveryDays: 7 });
  for (const job of JOBS.filter((j) => j.scope === 'global')) await runJob(deps, job, null, 'demo');

  // From here on the clock is real and the scheduler keeps the demo alive like `start` would.
  deps.now = () => new Date();
  const scheduler = new Scheduler(deps, JOBS);
  onScheduler(scheduler);
  await scheduler.start();
  const server = await serveDashboard(
    {
      db,
      config,
      jobs: JOBS,
      now: deps.now,
      log,
      auth: null,
      demo: true,
      runNow: (job, site) => {
        const p = scheduler.find(job, site);
        if (!p) return 'unknown';
        if (scheduler.isRunning(p)) return 'busy';
        void scheduler.trigger(p, 'manual');
        return 'started';
      },
    },
    opts.host ?? '127.0.0.1',
    opts.port,
  );
  return {
    url: server.url,
    dbPath: opts.dbPath,
    async close() {
      await scheduler.stop(5000, 1000);
      await server.close();
      await world.close();
      await browser.close();
      closeDatabase(db);
    },
  };
}
