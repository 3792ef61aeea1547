// `promowatch demo`: starts the simulated world, runs every job into data/demo.db (with a backfilled
// history driven by a simulated clock), and serves the dashboard with the scheduler attached.
// Just over 400 lines: the demo's run in order (world, config, backfill, jobs, serve) reads best as one story;
// its data (config, links, inbox) already lives in demo-config.ts, demo-links.ts and demo-inbox.ts.
import { existsSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { JOBS } from '../../../jobs/index.ts';
import { checkSomeBacklinksJob } from '../../../jobs/check-backlinks.ts';
import { runJob, sqlOf, type RunnerDeps } from '../../../jobs/runner.ts';
import { Scheduler } from '../../../jobs/scheduler.ts';
import { AD_PLATFORMS } from '../../ads/platforms/index.ts';
import { insertAccount } from '../../ads/store.ts';
import { syncSiteAds } from '../../ads/sync.ts';
import { BrowserPool } from '../../browser/launcher.ts';
import { makeSecretResolver, validateConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { addEvent } from '../../db/events.ts';
import { addCompetitor, insertKeywords } from '../../rank/store.ts';
import { closeDatabase, openDatabase, type Db } from '../../db/open.ts';
import { syncSites } from '../../db/sites.ts';
import { storeOf } from '../../db/store/sqlite.ts';
import { addDays, dayIn } from '../../util/days.ts';
import { createLogger, type Logger } from '../../util/log.ts';
import type { Progress } from '../../util/progress.ts';
import { programTaskKinds } from '../../queue/kinds.ts';
import { InProcessQueue } from '../../queue/in-process.ts';
import { serveDashboard } from '../serve-dashboard.ts';
import { demoConfig, TZ } from './demo-config.ts';
import { tidyEarlierAlerts } from './demo-inbox.ts';
import { seedShareLinks } from './demo-shares.ts';
import { addDemoPeople, type DemoPerson } from './demo-people.ts';
import { archiveSponsorship, boughtLinks } from './demo-links.ts';
import { DEMO_ADS_ENV, startAdsApis, type AdsApis } from '../../demo/ads-apis.ts';
import { ADS_HISTORY_DAYS, adsWorld, BIDS_RAISED_AGE, type AdsWorld } from '../../demo/ads-world.ts';
import { DEMO_API_ENV, startSearchApis, type SearchApis } from '../../demo/search-apis.ts';
import { importDemoSearchExport } from '../../demo/search-export.ts';
import { HISTORY_DAYS, searchWorld, type SearchWorld } from '../../demo/search-world.ts';
import { defaultScenario, startWorld, type World } from '../../demo/world.ts';

export interface DemoOptions {
  dbPath: string;
  port: number;
  host?: string;
  log?: Logger;
  /**
   * The demo's "now": the simulated history ends here and the demo's clock (jobs, scheduler, dashboard,
   * the simulated sites and APIs) runs on from it at real speed; only node-cron's ticks keep to the
   * machine's clock. Default: the real time. Tests fix it so that what they expect does not depend on
   * the day they run (see demoNowOn()).
   */
  now?: Date;
  /** Days of history to backfill (checks every 8 hours). */
  days?: number;
  /** Days of rankings to backfill (one check a day); default 90. */
  rankDays?: number;
  progress?: (label: string, total: number) => Progress;
  /** Adds the demo's people (admin, marketer, bakery client; demo-people.ts): the dashboard then asks
   * for a login. `promowatch demo` turns it on; tests that browse without logging in leave it off. */
  people?: boolean;
}

export interface RunningDemo {
  url: string;
  /** The studio's weekly report on the dashboard, when one was made. */
  reportUrl: string | null;
  /** A read-only share link to that report, as a client would be sent it (only a fresh demo has one:
   * the token is not kept, so a copy of its database cannot print it again). */
  shareUrl?: string | null;
  dbPath: string;
  /** The configuration the demo runs on (plain JSON): the simulated servers' addresses among it. */
  config: Config;
  /** Who can log in, with the passwords made up for this run (none unless `people` was asked for). */
  people?: DemoPerson[];
  close(): Promise<void>;
}

/**
 * The instant a demo on a fixed `day` (YYYY-MM-DD) starts at: noon in Moscow, the demo's zone, so that
 * today's ad spend and checks so far are half a day's whatever the machine's zone. `source` names where
 * the day came from, for the error.
 */
export function demoNowOn(day: string, source: string): Date {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T12:00:00+03:00`) : NaN;
  // 2027-02-30 either fails to parse or rolls over into March: both are refused.
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day)
    throw new Error(`${source} must be a date YYYY-MM-DD, got "${day}"`);
  return new Date(t);
}

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

/**
 * When the rankings backfill checks: 07:00 in Moscow (UTC+3 all year since 2014) on each of the last
 * `days` days, the latest one at or before `now` (before 07:00 today's check has not happened yet).
 */
export function rankCheckTimes(now: Date, days: number): Date[] {
  const today = dayIn(now, TZ);
  const times: Date[] = [];
  for (let age = days; age >= 0; age--) {
    const t = Date.parse(`${addDays(today, -age)}T04:00:00Z`);
    if (t <= now.getTime()) times.push(new Date(t));
  }
  return times.slice(Math.max(0, times.length - days));
}

/** The simulated world the demo measures: sites and donors, the search and ad markets and their APIs. */
interface Simulation {
  world: World;
  search: SearchWorld;
  apis: SearchApis;
  rankChecks: Date[];
  ads: AdsWorld;
  adsApis: AdsApis;
  /** The demo's clock once the backfill is over. */
  live: () => Date;
}

export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  assertDemoDatabase(opts.dbPath);
  const started = performance.now();
  const now = opts.now ?? new Date();
  // What the demo's clock reads once no simulated instant is set: the real time, or on a fixed day the
  // time since the start added to it (a dashboard on the real clock would judge a fixed day's data by
  // today's date: a budget pace from the wrong month, charts ending weeks after the data).
  const live = opts.now ? () => new Date(now.getTime() + (performance.now() - started)) : () => new Date();
  const world = await startWorld(defaultScenario(now), now, live);
  const rankChecks = rankCheckTimes(now, opts.rankDays ?? HISTORY_DAYS);
  const search = searchWorld({
    studioUrl: world.sites.find((s) => s.name === 'studio')!.url,
    today: dayIn(now, TZ),
    lastCheckDay: dayIn(rankChecks.at(-1) ?? now, TZ),
  });
  const ads = adsWorld({ today: dayIn(now, TZ) });
  let apis: SearchApis | null = null;
  let adsApis: AdsApis | null = null;
  let db: Db | null = null;
  let scheduler: Scheduler | null = null;
  try {
    [apis, adsApis] = await Promise.all([startSearchApis(search, TZ, live), startAdsApis(ads, live)]);
    for (const suffix of ['', '-wal', '-shm']) rmSync(opts.dbPath + suffix, { force: true });
    db = openDatabase(opts.dbPath);
    return await bootDemo(
      opts,
      now,
      { world, search, apis, rankChecks, ads, adsApis, live },
      db,
      (s) => (scheduler = s),
    );
  } catch (err) {
    // Nothing keeps running after a failed start (e.g. the dashboard port is taken).
    await (scheduler as Scheduler | null)?.stop(0, 0);
    await (apis as SearchApis | null)?.close();
    await (adsApis as AdsApis | null)?.close();
    await world.close();
    if (db) closeDatabase(db);
    throw err;
  }
}

async function bootDemo(
  opts: DemoOptions,
  now: Date,
  sim: Simulation,
  db: Db,
  onScheduler: (s: Scheduler) => void,
): Promise<RunningDemo> {
  const { world, search, apis, adsApis } = sim;
  const log = opts.log ?? createLogger({ level: 'warn' });
  const days = opts.days ?? 28;
  db.prepare(`INSERT INTO meta (key, value) VALUES ('demo', ?)`).run(now.toISOString());
  const studio = world.sites.find((s) => s.name === 'studio')!;
  const bakery = world.sites.find((s) => s.name === 'bakery')!;
  const config = demoConfig({
    studioUrl: studio.url,
    bakeryUrl: bakery.url,
    host: opts.host ?? '127.0.0.1',
    port: opts.port,
    providers: { ...apis.providers, ...adsApis.providers },
  });
  const sites = await syncSites(storeOf(db), config.sites, now);
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
    secret: makeSecretResolver(
      { ...DEMO_API_ENV, ...DEMO_ADS_ENV },
      'the demo (made-up values its simulated APIs accept)',
    ),
  };
  const studioRow = sites.find((s) => s.name === 'studio')!;
  const today = dayIn(now, TZ);
  await addEvent(
    storeOf(db),
    { siteId: studioRow.id, day: search.relaunchDay, title: 'Перезапуск сайта (новый хостинг)' },
    now,
  );
  // The marketer's own notes, as the studio would type them: the press release on the day it was bought
  // (its link died four days later), and the Direct bid raise three days before the relaunch.
  await addEvent(
    storeOf(db),
    { siteId: studioRow.id, day: addDays(today, -16), title: 'Вышел пресс-релиз' },
    now,
  );
  await addEvent(
    storeOf(db),
    { siteId: studioRow.id, day: addDays(today, -BIDS_RAISED_AGE), title: 'Повысили ставки в Директе' },
    now,
  );
  const enterBought = boughtLinks(storeOf(db), studioRow.id, world, studio.url, now);
  await enterBought(now.getTime() - 35 * 86_400_000);
  // The keywords and competitors the studio has been tracking since before the first check.
  const trackedSince = new Date(now.getTime() - (HISTORY_DAYS + 1) * 86_400_000);
  await insertKeywords(storeOf(db), studioRow.id, search.keywords, trackedSince);
  for (const c of search.competitors)
    await addCompetitor(storeOf(db), studioRow.id, c.domain, c.name, trackedSince);
  // The studio's Yandex Direct and Google Ads accounts, added when their campaigns started.
  const adsSince = new Date(now.getTime() - ADS_HISTORY_DAYS * 86_400_000);
  for (const account of sim.ads.accounts) await insertAccount(storeOf(db), studioRow.id, account, adsSince);

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
    await enterBought(step.t);
    world.setClock(new Date(step.t));
    const job = JOBS.find((j) => j.name === step.job)!;
    // Sites are independent (an agency's clients): run the job for all of them at once.
    await Promise.all(sites.map((site) => runJob(deps, job, site, 'demo')));
    // Evidence screenshots of the backfill are not kept: they would all show today's page.
    progress?.tick();
  }
  progress?.done();
  await enterBought(now.getTime());

  // Rankings: the track-rankings job once a day at 07:00 Moscow time over the last 90 days; the SERP and
  // Search Console APIs answer as the simulated market stood on that day. It runs after the site jobs,
  // not beside them: its result pages keep the event loop busy, and run alongside they added 5–10 ms on
  // average (up to 50) to the response times the uptime checks measured.
  const rankJob = JOBS.find((j) => j.name === 'track-rankings')!;
  const rankProgress = opts.progress?.('simulated rankings', sim.rankChecks.length);
  for (const at of sim.rankChecks) {
    simulated = at.getTime();
    setAt = performance.now();
    apis.setClock(at);
    // One commit per simulated day: the job commits each result page on its own, and each such commit
    // rewrites some hundred pages of the results' domain index (one commit a page made the backfill
    // about a third slower). Nothing else uses the database yet; the job runs on the transaction's
    // handle, so its own transactions become savepoints.
    await storeOf(db).transaction((tx) => runJob({ ...deps, sql: tx }, rankJob, studioRow, 'demo'));
    rankProgress?.tick();
  }
  rankProgress?.done();
  apis.setClock(null);
  await importDemoSearchExport(storeOf(db), studioRow, search, now);

  // Ads: when promowatch started watching them, BIDS_RAISED_AGE + 1 days ago, the accounts' whole history
  // was pulled at once, as `promowatch ads pull --from --to` does: syncSiteAds with a range, called
  // directly rather than through the job runner (no pull-ads run, no alerts for days long gone). Direct
  // queues a report that long; its retryIn is waited on the simulated clock, not the real one. Then the
  // pull-ads job ran once a day, and the spend spike and the budget warning were raised by the run that
  // would have seen them first.
  const adsStart = now.getTime() - (BIDS_RAISED_AGE + 1) * day;
  simulated = adsStart;
  setAt = performance.now();
  adsApis.setClock(new Date(adsStart));
  const pulled = await syncSiteAds(
    {
      ...deps,
      sql: storeOf(db),
      runId: null,
      platforms: AD_PLATFORMS,
      sleep: async (ms) => {
        simulated += ms;
        adsApis.setClock(clock());
      },
    },
    studioRow,
    config.sites[0]!.ads,
    { range: { from: sim.ads.firstDay, to: dayIn(new Date(adsStart), TZ) } },
  );
  const failed = pulled.find((o) => o.status !== 'ok');
  if (failed) throw new Error(`Demo: the first ads pull ended ${failed.status}: ${failed.error ?? ''}`);
  const adsJob = JOBS.find((j) => j.name === 'pull-ads')!;
  for (let age = BIDS_RAISED_AGE; age >= 0; age--) {
    simulated = now.getTime() - age * day;
    setAt = performance.now();
    adsApis.setClock(new Date(simulated));
    await runJob(deps, adsJob, studioRow, 'demo');
  }
  adsApis.setClock(null);
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
  // The sponsorship that ended: archived three days ago, its history kept, out of the lists and checks.
  await archiveSponsorship(storeOf(db), studioRow.id, world, new Date(now.getTime() - 3 * day));
  for (const job of JOBS.filter((j) => j.scope === 'global')) await runJob(deps, job, null, 'demo');
  // Last week's report for each site, made by the real job (the demo has no e-mail channel, so it is
  // archived, not sent): the studio's has every section; the bakery's says what it has no data for.
  const reportJob = JOBS.find((j) => j.name === 'weekly-report')!;
  await Promise.all(sites.map((site) => runJob(deps, reportJob, site, 'demo')));
  const studioReport = db
    .prepare('SELECT id FROM reports WHERE site_id = ? ORDER BY week DESC LIMIT 1')
    .pluck()
    .get(studioRow.id) as number | undefined;

  await tidyEarlierAlerts(db, now);
  const shareToken = await seedShareLinks(
    db,
    { studio: studioRow.id, bakery: sites.find((s) => s.name === 'bakery')!.id },
    studioReport,
    now,
  );
  const people = opts.people ? await addDemoPeople(storeOf(db), sites, now) : [];

  // From here on the clock is the live one and the scheduler keeps the demo alive like `start` would.
  deps.now = sim.live;
  const served = await serveDemo(deps, opts.host ?? '127.0.0.1', opts.port, onScheduler);
  return {
    url: served.url,
    reportUrl: studioReport ? `${served.url.replace(/\/$/, '')}/reports/${studioReport}` : null,
    shareUrl: shareToken ? `${served.url.replace(/\/$/, '')}/s/${shareToken}` : null,
    dbPath: opts.dbPath,
    config,
    people,
    async close() {
      await served.close();
      await apis.close();
      await adsApis.close();
      await world.close();
      await browser.close();
      closeDatabase(db);
    },
  };
}

/**
 * The dashboard over a demo database, with the scheduler attached and "Run now" and "Check now" wired to
 * it. startDemo() ends with it; the browser tests call it on copies of one demo built once per run
 * (tests/e2e/built-demo.ts), so that each test file does not replay the whole simulated history.
 */
export async function serveDemo(
  deps: RunnerDeps,
  host: string,
  port: number,
  onScheduler: (s: Scheduler) => void = () => {},
): Promise<{ url: string; close(): Promise<void> }> {
  // As in `promowatch start`: jobs fan their heavy work (link checks) out to the in-process queue.
  const registry = programTaskKinds();
  const queue = new InProcessQueue({
    registry,
    deps: { ...deps, sql: sqlOf(deps), now: () => deps.now() },
  });
  const stopQueue = new AbortController();
  const working = queue.work(registry.names(), 4, stopQueue.signal);
  const jobDeps: RunnerDeps = { ...deps, queue, now: () => deps.now() };
  const scheduler = await Scheduler.create(jobDeps, JOBS);
  onScheduler(scheduler);
  await scheduler.start();
  const server = await serveDashboard(
    {
      db: deps.db,
      sql: sqlOf(deps),
      ...(deps.evidenceDir ? { evidenceDir: deps.evidenceDir } : {}),
      config: deps.config,
      jobs: JOBS,
      now: deps.now,
      log: deps.log,
      auth: null,
      demo: true,
      runNow: (job, site) => {
        const p = scheduler.find(job, site);
        if (!p) return 'unknown';
        if (scheduler.isRunning(p)) return 'busy';
        void scheduler.trigger(p, 'manual');
        return 'started';
      },
      recheck: (site, ids) => runJob(jobDeps, checkSomeBacklinksJob(ids), site, 'manual'),
      queue,
    },
    host,
    port,
  );
  return {
    url: server.url,
    async close() {
      await scheduler.stop(5000, 1000);
      await server.close();
      stopQueue.abort();
      await working;
      await queue.close();
    },
  };
}
