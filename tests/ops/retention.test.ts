import { storeOf } from '../../src/db/store/sqlite.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbMaintenanceJob } from '../../jobs/db-maintenance.ts';
import { runJob } from '../../jobs/runner.ts';
import { ConfigError, validateConfig } from '../../src/config/load.ts';
import { collectMetrics } from '../../src/ops/metrics.ts';
import { pruneOldData, RETENTION_DEFAULTS } from '../../src/ops/retention.ts';
import { JOB_NAMES } from '../../jobs/index.ts';
import { formatter, messages } from '../../src/i18n/index.ts';
import { FakeClock, tempDb, testConfig, testDeps, siteNamed } from '../helpers.ts';

const NOW = new Date('2026-11-27T03:30:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function world() {
  const { db } = tempDb();
  const clock = new FakeClock(NOW.getTime());
  const config = testConfig({
    retention: { jobRunsDays: 30, resultPageBodiesDays: 60, backlinkScreenshotsDays: 90 },
  });
  const deps = testDeps(db, config, clock);
  const site = siteNamed(db, 'studio')!.id;
  const run = db.prepare(
    `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, pid) VALUES ('uptime', ?, 'schedule', ?, ?, ?, 1)`,
  );
  run.run(site, daysAgo(45), daysAgo(45).replace(/\d\d\.\d{3}Z$/, '10.000Z'), 'ok');
  run.run(site, daysAgo(40), daysAgo(40).replace(/\d\d\.\d{3}Z$/, '20.000Z'), 'failed');
  run.run(site, daysAgo(40), null, 'running');
  run.run(site, daysAgo(5), daysAgo(5).replace(/\d\d\.\d{3}Z$/, '05.000Z'), 'ok');

  const kw = db
    .prepare(
      `INSERT INTO keywords (site_id, query, engine, device, region, created_at) VALUES (?, 'монтаж видео', 'yandex', 'desktop', '213', ?)`,
    )
    .run(site, daysAgo(300)).lastInsertRowid;
  const page = db.prepare(
    `INSERT INTO serp_pages (keyword_id, day, source, fetched_at, depth, raw) VALUES (?, ?, 'serp-yandex', ?, 100, x'1f8b00')`,
  );
  const oldPage = page.run(kw, daysAgo(90).slice(0, 10), daysAgo(90)).lastInsertRowid;
  page.run(kw, daysAgo(10).slice(0, 10), daysAgo(10));
  db.prepare(
    `INSERT INTO serp_results (page_id, position, url, domain, root) VALUES (?, 1, 'https://studio.example/', 'studio.example', 'studio.example')`,
  ).run(oldPage);

  const link = db
    .prepare(
      `INSERT INTO backlinks (site_id, donor_url, target, target_kind, kind, billing, created_at) VALUES (?, 'https://donor.example/a', 'https://studio.example/', 'url', 'bought', 'one-off', ?)`,
    )
    .run(site, daysAgo(400)).lastInsertRowid;
  const evidence = join(dirname(db.name), 'evidence', String(site));
  mkdirSync(evidence, { recursive: true });
  const check = db.prepare(
    `INSERT INTO backlink_checks (backlink_id, checked_at, mode, outcome, screenshot) VALUES (?, ?, 'rendered', ?, ?)`,
  );
  const shot = (name: string) => {
    const f = join(evidence, `${name}.png`);
    writeFileSync(f, 'png');
    return f;
  };
  const files = {
    change: shot('change'),
    plain: shot('plain'),
    latestOld: shot('latest'),
    recent: shot('recent'),
  };
  check.run(link, daysAgo(200), 'live', files.change);
  db.prepare(
    `INSERT INTO backlink_events (backlink_id, at, from_status, to_status) VALUES (?, ?, 'unchecked', 'live')`,
  ).run(link, daysAgo(200));
  check.run(link, daysAgo(150), 'live', files.plain);
  check.run(link, daysAgo(20), 'live', files.recent);
  // A second link whose only (old) check is its latest: its screenshot stays.
  const quiet = db
    .prepare(
      `INSERT INTO backlinks (site_id, donor_url, target, target_kind, kind, billing, created_at) VALUES (?, 'https://donor.example/b', 'https://studio.example/', 'url', 'bought', 'one-off', ?)`,
    )
    .run(site, daysAgo(400)).lastInsertRowid;
  check.run(quiet, daysAgo(300), 'live', files.latestOld);
  return { db, deps, config, files };
}

describe('retention', () => {
  it('prunes each kind of data after its own number of days, keeping the evidence a claim rests on', () => {
    const { db, config, files } = world();
    const pruned = pruneOldData(db, NOW, config.retention);
    expect(pruned).toEqual({
      jobRuns: 2,
      uptimeChecks: 0,
      crawls: 0,
      resultPageBodies: 1,
      backlinkScreenshots: 1,
    });
    expect(db.prepare(`SELECT status FROM job_runs ORDER BY started_at`).pluck().all()).toEqual([
      'running',
      'ok',
    ]);
    expect(db.prepare(`SELECT raw IS NULL FROM serp_pages ORDER BY fetched_at`).pluck().all()).toEqual([
      1, 0,
    ]);
    // The positions read from the page stay; only its body goes.
    expect(db.prepare(`SELECT count(*) FROM serp_results`).pluck().get()).toBe(1);
    expect(existsSync(files.plain)).toBe(false);
    expect([files.change, files.recent, files.latestOld].map(existsSync)).toEqual([true, true, true]);
    expect(
      db.prepare(`SELECT count(*) FROM backlink_checks WHERE screenshot IS NOT NULL`).pluck().get(),
    ).toBe(3);
  });

  it('keeps for ever what is set to null', () => {
    const { db, config } = world();
    const keepAll = {
      ...config.retention,
      jobRunsDays: null,
      resultPageBodiesDays: null,
      backlinkScreenshotsDays: null,
    };
    expect(pruneOldData(db, NOW, keepAll)).toMatchObject({
      jobRuns: 0,
      resultPageBodies: 0,
      backlinkScreenshots: 0,
    });
  });

  it('never lowers the counters of /metrics: what it prunes is added to the pruned totals', async () => {
    const { db, config } = world();
    const counters = async () =>
      Object.fromEntries(
        (await collectMetrics(storeOf(db), NOW))
          .filter((m) => m.type !== 'gauge')
          .flatMap((m) =>
            m.samples.map((s) => [`${m.name}${s.suffix ?? ''}${JSON.stringify(s.labels ?? {})}`, s.value]),
          ),
      );
    const before = await counters();
    pruneOldData(db, NOW, config.retention);
    expect(await counters()).toEqual(before);
    expect(before['promowatch_job_duration_seconds_sum{"job":"uptime"}']).toBe(35);
  });

  it('is run by db-maintenance, which reports what it pruned', async () => {
    const { deps } = world();
    const r = await runJob(deps, dbMaintenanceJob, null, 'manual');
    expect(r).toMatchObject({
      status: 'ok',
      counts: { prunedRuns: 2, prunedResultPageBodies: 1, prunedBacklinkScreenshots: 1, prunedCrawls: 0 },
    });
  });
});

describe('config retention', () => {
  it('defaults to the days db-maintenance kept before they were settings', () => {
    expect(testConfig().retention).toEqual(RETENTION_DEFAULTS);
    expect(RETENTION_DEFAULTS).toMatchObject({ jobRunsDays: 180, uptimeChecksDays: 400, crawlsDays: 400 });
  });

  it('refuses a number of days that would empty the tables, naming the field', () => {
    const base = testConfig();
    try {
      validateConfig({ sites: base.sites, retention: { crawlsDays: 0 } }, JOB_NAMES);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        'Config: retention.crawlsDays must be a number of days (7 or more), or null to keep for ever, got 0',
      ]);
    }
  });

  it('is described on the Jobs page with the configured days, in both languages', () => {
    const keep = { ...RETENTION_DEFAULTS, crawlsDays: null, resultPageBodiesDays: 90 };
    expect(messages('en').jobs.descriptions['db-maintenance'](formatter('en'), keep)).toMatch(
      /^Prunes job history older than 180 days, uptime checks older than 400 days, result-page bodies older than 90 days, link screenshots older than 400 days; keeps crawls for ever; /,
    );
    expect(messages('ru').jobs.descriptions['db-maintenance'](formatter('ru'), keep)).toMatch(
      /^Удаляет историю запусков старше 180 дней, проверки доступности старше 400 дней, страницы выдачи старше 90 дней, скриншоты ссылок старше 400 дней; всегда хранит обходы; /,
    );
  });
});
