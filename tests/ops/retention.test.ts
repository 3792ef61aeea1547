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
import type { Sql } from '../../src/db/store/types.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const NOW = new Date('2026-11-27T03:30:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

/** INSERT … RETURNING id on either backend. */
async function insertId(sql: Sql, statement: string, params: unknown[]): Promise<number> {
  return (await sql.get<{ id: number }>(`${statement} RETURNING id`, params))!.id;
}

async function world() {
  const clock = new FakeClock(NOW.getTime());
  const config = testConfig({
    retention: { jobRunsDays: 30, resultPageBodiesDays: 60, backlinkScreenshotsDays: 90 },
  });
  const deps = await testStoreDeps(config, clock);
  const { sql } = deps;
  const site = (await siteByName(sql, 'studio'))!.id;
  const run = (startedAt: string, finishedAt: string | null, status: string) =>
    sql.run(
      `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, pid) VALUES ('uptime', ?, 'schedule', ?, ?, ?, 1)`,
      [site, startedAt, finishedAt, status],
    );
  await run(daysAgo(45), daysAgo(45).replace(/\d\d\.\d{3}Z$/, '10.000Z'), 'ok');
  await run(daysAgo(40), daysAgo(40).replace(/\d\d\.\d{3}Z$/, '20.000Z'), 'failed');
  await run(daysAgo(40), null, 'running');
  await run(daysAgo(5), daysAgo(5).replace(/\d\d\.\d{3}Z$/, '05.000Z'), 'ok');

  const kw = await insertId(
    sql,
    `INSERT INTO keywords (site_id, query, engine, device, region, created_at) VALUES (?, 'монтаж видео', 'yandex', 'desktop', '213', ?)`,
    [site, daysAgo(300)],
  );
  const page = (day: string, fetchedAt: string) =>
    insertId(
      sql,
      `INSERT INTO serp_pages (keyword_id, day, source, fetched_at, depth, raw) VALUES (?, ?, 'serp-yandex', ?, 100, ?)`,
      [kw, day, fetchedAt, Buffer.from([0x1f, 0x8b, 0x00])],
    );
  const oldPage = await page(daysAgo(90).slice(0, 10), daysAgo(90));
  await page(daysAgo(10).slice(0, 10), daysAgo(10));
  await sql.run(
    `INSERT INTO serp_results (page_id, position, url, domain, root) VALUES (?, 1, 'https://studio.example/', 'studio.example', 'studio.example')`,
    [oldPage],
  );

  const backlink = (donor: string) =>
    insertId(
      sql,
      `INSERT INTO backlinks (site_id, donor_url, target, target_kind, kind, billing, created_at) VALUES (?, ?, 'https://studio.example/', 'url', 'bought', 'one-off', ?)`,
      [site, donor, daysAgo(400)],
    );
  const link = await backlink('https://donor.example/a');
  // SQLite: the evidence folder beside the database file, as an install has it; PostgreSQL has no such
  // file, so the job is told its folder (JobContext.evidenceDir).
  const evidenceDir = deps.evidenceDir ?? join(dirname(deps.db.name), 'evidence');
  const evidence = join(evidenceDir, String(site));
  mkdirSync(evidence, { recursive: true });
  const check = (id: number, at: string, shot: string) =>
    sql.run(
      `INSERT INTO backlink_checks (backlink_id, checked_at, mode, outcome, screenshot) VALUES (?, ?, 'rendered', ?, ?)`,
      [id, at, 'live', shot],
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
  await check(link, daysAgo(200), files.change);
  await sql.run(
    `INSERT INTO backlink_events (backlink_id, at, from_status, to_status) VALUES (?, ?, 'unchecked', 'live')`,
    [link, daysAgo(200)],
  );
  await check(link, daysAgo(150), files.plain);
  await check(link, daysAgo(20), files.recent);
  // A second link whose only (old) check is its latest: its screenshot stays.
  const quiet = await backlink('https://donor.example/b');
  await check(quiet, daysAgo(300), files.latestOld);
  return { sql, deps, config, files, evidenceDir };
}

describe('retention', () => {
  it('prunes each kind of data after its own number of days, keeping the evidence a claim rests on', async () => {
    const { sql, config, files, evidenceDir } = await world();
    const pruned = await pruneOldData(sql, NOW, config.retention, evidenceDir);
    expect(pruned).toEqual({
      jobRuns: 2,
      uptimeChecks: 0,
      crawls: 0,
      resultPageBodies: 1,
      backlinkScreenshots: 1,
    });
    expect(
      (await sql.all<{ status: string }>(`SELECT status FROM job_runs ORDER BY started_at`)).map(
        (r) => r.status,
      ),
    ).toEqual(['running', 'ok']);
    expect(
      (
        await sql.all<{ gone: number }>(
          `SELECT CASE WHEN raw IS NULL THEN 1 ELSE 0 END AS gone FROM serp_pages ORDER BY fetched_at`,
        )
      ).map((r) => r.gone),
    ).toEqual([1, 0]);
    // The positions read from the page stay; only its body goes.
    expect(await sql.get(`SELECT count(*) AS n FROM serp_results`)).toEqual({ n: 1 });
    expect(existsSync(files.plain)).toBe(false);
    expect([files.change, files.recent, files.latestOld].map(existsSync)).toEqual([true, true, true]);
    expect(await sql.get(`SELECT count(*) AS n FROM backlink_checks WHERE screenshot IS NOT NULL`)).toEqual({
      n: 3,
    });
  });

  it('keeps for ever what is set to null', async () => {
    const { sql, config, evidenceDir } = await world();
    const keepAll = {
      ...config.retention,
      jobRunsDays: null,
      resultPageBodiesDays: null,
      backlinkScreenshotsDays: null,
    };
    expect(await pruneOldData(sql, NOW, keepAll, evidenceDir)).toMatchObject({
      jobRuns: 0,
      resultPageBodies: 0,
      backlinkScreenshots: 0,
    });
  });

  it('never lowers the counters of /metrics: what it prunes is added to the pruned totals', async () => {
    const { sql, config, evidenceDir } = await world();
    const counters = async () =>
      Object.fromEntries(
        (await collectMetrics(sql, NOW))
          .filter((m) => m.type !== 'gauge')
          .flatMap((m) =>
            m.samples.map((s) => [`${m.name}${s.suffix ?? ''}${JSON.stringify(s.labels ?? {})}`, s.value]),
          ),
      );
    const before = await counters();
    await pruneOldData(sql, NOW, config.retention, evidenceDir);
    expect(await counters()).toEqual(before);
    expect(before['promowatch_job_duration_seconds_sum{"job":"uptime"}']).toBe(35);
  });

  it('is run by db-maintenance, which reports what it pruned', async () => {
    const { deps } = await world();
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
