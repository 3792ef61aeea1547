// The demo's operations endpoints: /healthz with the demo's scheduler beating, /metrics over its history
// (job runs, provider failures, alerts, crawls), and a backup of the running demo.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/ops/backup.ts';
import { describeSqliteOnly, suiteSetup, tempDir } from '../helpers.ts';
import { openBuiltDemo, valueOf, type OpenedDemo } from './built-demo.ts';

let demo: OpenedDemo;

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo('2026-11-01');
    }),
  180_000,
);

afterAll(async () => {
  await demo?.close();
});

/** Samples of a metric family by their label text, from the exposition format. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

describe('demo operations', () => {
  it('answers /healthz ok with the demo scheduler beating', async () => {
    const res = await fetch(new URL('healthz', demo.url));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: { scheduler: { lastHeartbeat: string | null } };
    };
    expect(body.status).toBe('ok');
    expect(body.checks.scheduler.lastHeartbeat).not.toBeNull();
  });

  it('reports its history on /metrics: runs of every job, failures of a rank source, crawl pages', async () => {
    const res = await fetch(new URL('metrics', demo.url));
    expect(res.status).toBe(200);
    const text = await res.text();
    const runs = samples(text, 'promowatch_job_runs_total');
    const jobsSeen = new Set([...runs.keys()].map((k) => /job="([^"]+)"/.exec(k)![1]));
    expect([...jobsSeen].sort()).toEqual(
      expect.arrayContaining(['check-backlinks', 'crawl-site', 'db-maintenance', 'track-rankings', 'uptime']),
    );
    const stored = await valueOf<number>(demo.sql, `SELECT count(*) FROM job_runs WHERE status <> 'running'`);
    expect([...runs.values()].reduce((a, b) => a + b, 0)).toBe(stored);
    const failedRank = await valueOf<number>(
      demo.sql,
      `SELECT count(*) FROM rank_observations WHERE state = 'failed'`,
    );
    const rankErrors = [...samples(text, 'promowatch_provider_errors_total')]
      .filter(([k]) => k.includes('area="rank"'))
      .reduce((a, [, v]) => a + v, 0);
    expect(rankErrors).toBe(failedRank);
    expect(failedRank).toBeGreaterThan(0);
    expect(samples(text, 'promowatch_crawl_pages_total').get('')).toBeGreaterThan(0);
    expect(samples(text, 'promowatch_scheduler_up').get('')).toBe(1);
  });
});

describeSqliteOnly(
  'the online backup API copies the SQLite file; PostgreSQL is backed up with pg_dump, which promowatch does not run',
  'the demo backup',
  () => {
    it('backs up the running demo into a file that opens whole', async () => {
      const facts = await backupDatabase(demo.dbPath, join(tempDir(), 'demo-backup.db'));
      expect(facts.rows.sites).toBe(2);
      expect(facts.rows.jobRuns).toBeGreaterThan(10);
    });
  },
);
