// GET /metrics: install-wide figures in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), read from the
// database, so every process on it (start, serve replicas) reports the same numbers.
import { countOpenAlerts } from '../db/alerts.ts';
import type { Sql } from '../db/store/types.ts';
import type { TaskQueue } from '../queue/types.ts';
import { heartbeatAge, HEARTBEAT_STALE_AFTER_MS, readHeartbeat } from './heartbeat.ts';
import { readPrunedTotals } from './pruned-totals.ts';

export type MetricType = 'counter' | 'gauge' | 'summary';

export interface Sample {
  /** The sample's own name when it differs from the metric's (`_sum`, `_count` of a summary). */
  suffix?: '_sum' | '_count';
  labels?: Record<string, string>;
  value: number;
}

export interface Metric {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** Where queued work waits: the in-memory queue of `promowatch start` (SQLite), or pg-boss (PostgreSQL). */
export type QueueBackend = 'in-process' | 'pg-boss';

/** The queue's name as /healthz and /metrics say it. */
export function queueBackend(queue: Pick<TaskQueue, 'backend'> | undefined): QueueBackend {
  return queue?.backend === 'postgres' ? 'pg-boss' : 'in-process';
}

const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/**
 * Every metric, from the stored rows plus what retention pruned (src/ops/pruned-totals.ts), so the
 * counters only go up. Two documented exceptions: a rank check that failed and then succeeded on the
 * same keyword, day and source is stored once, as the success; and deleting a site deletes its rows.
 */
export async function collectMetrics(
  sql: Sql,
  now: Date,
  options: { queue?: TaskQueue } = {},
): Promise<Metric[]> {
  const openAlerts = await countOpenAlerts(sql, null);
  // Job runs go through the in-process runner whichever queue is attached (jobs/runner.ts).
  const queue: QueueBackend = 'in-process';
  const tasks = options.queue ? await options.queue.depth() : null;
  const taskBackend = queueBackend(options.queue);
  const pruned = await readPrunedTotals(sql);

  const runs = new Map<string, number>();
  for (const r of await sql.all<{ job: string; status: string; n: number }>(
    `SELECT job, status, count(*) AS n FROM job_runs WHERE status <> 'running' GROUP BY job, status`,
  ))
    add(runs, `${r.job}\t${r.status}`, r.n);
  for (const [k, n] of Object.entries(pruned.jobRuns)) add(runs, k, n);

  const seconds = new Map<string, { sum: number; count: number }>(
    Object.entries(pruned.jobSeconds).map(([k, v]) => [k, { ...v }]),
  );
  // The times are ISO text: each dialect reads them as instants its own way, to the millisecond.
  const took =
    sql.dialect === 'postgres'
      ? `EXTRACT(EPOCH FROM (CAST(finished_at AS timestamptz) - CAST(started_at AS timestamptz)))`
      : `(unixepoch(finished_at, 'subsec') - unixepoch(started_at, 'subsec'))`;
  for (const r of await sql.all<{ job: string; sum: number; count: number }>(
    `SELECT job, CAST(sum(${took}) AS DOUBLE PRECISION) AS sum, count(*) AS count
     FROM job_runs WHERE finished_at IS NOT NULL GROUP BY job`,
  )) {
    const cur = seconds.get(r.job) ?? { sum: 0, count: 0 };
    seconds.set(r.job, { sum: cur.sum + r.sum, count: cur.count + r.count });
  }

  const rankErrors = await sql.all<{ provider: string; n: number }>(
    `SELECT source AS provider, count(*) AS n FROM rank_observations WHERE state = 'failed' GROUP BY source`,
  );
  const adErrors = await sql.all<{ provider: string; n: number }>(
    `SELECT a.platform AS provider, count(*) AS n FROM ad_syncs s JOIN ad_accounts a ON a.id = s.account_id
     WHERE s.status = 'failed' GROUP BY a.platform`,
  );
  const sent = await sql.all<{ channel: string; n: number }>(
    `SELECT channel, count(*) AS n FROM alerts WHERE delivered_at IS NOT NULL GROUP BY channel`,
  );
  const failedDeliveries = await sql.all<{ channel: string; n: number }>(
    `SELECT channel, count(*) AS n FROM alerts WHERE delivered_at IS NULL AND attempts > 0 GROUP BY channel`,
  );
  const crawlPages =
    (await sql.get<{ n: number }>(`SELECT coalesce(sum(pages), 0) AS n FROM crawls`))!.n + pruned.crawlPages;
  const running = (await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM job_runs WHERE status = 'running'`,
  ))!.n;
  const age = heartbeatAge(await readHeartbeat(sql), now);

  const sorted = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  return [
    {
      name: 'promowatch_job_runs_total',
      help: 'Finished job runs by job and how they ended (ok, failed, interrupted).',
      type: 'counter',
      samples: sorted([...runs], ([k]) => k).map(([k, n]) => {
        const [job, status] = k.split('\t') as [string, string];
        return { labels: { job, status }, value: n };
      }),
    },
    {
      name: 'promowatch_job_duration_seconds',
      help: 'How long finished job runs took, by job.',
      type: 'summary',
      samples: sorted([...seconds], ([k]) => k).flatMap(([job, v]): Sample[] => [
        { suffix: '_sum', labels: { job }, value: v.sum },
        { suffix: '_count', labels: { job }, value: v.count },
      ]),
    },
    {
      name: 'promowatch_provider_errors_total',
      help: 'Failed provider requests as stored: rank checks by source, ad syncs by platform.',
      type: 'counter',
      samples: [
        ...sorted(rankErrors, (r) => r.provider).map((r) => ({
          labels: { area: 'rank', provider: r.provider },
          value: r.n,
        })),
        ...sorted(adErrors, (r) => r.provider).map((r) => ({
          labels: { area: 'ads', provider: r.provider },
          value: r.n,
        })),
      ],
    },
    {
      name: 'promowatch_alerts_sent_total',
      help: 'Alert messages delivered, by notification channel.',
      type: 'counter',
      samples: sorted(sent, (r) => r.channel).map((r) => ({ labels: { channel: r.channel }, value: r.n })),
    },
    {
      name: 'promowatch_alert_deliveries_failing',
      help: 'Alert messages tried but not delivered yet, by notification channel.',
      type: 'gauge',
      samples: sorted(failedDeliveries, (r) => r.channel).map((r) => ({
        labels: { channel: r.channel },
        value: r.n,
      })),
    },
    {
      name: 'promowatch_alerts_open',
      help: 'Alerts neither acknowledged nor resolved.',
      type: 'gauge',
      samples: [{ value: openAlerts }],
    },
    {
      name: 'promowatch_crawl_pages_total',
      help: 'Pages fetched by site crawls.',
      type: 'counter',
      samples: [{ value: crawlPages }],
    },
    {
      name: 'promowatch_queue_jobs',
      help: 'Job runs waiting or running, by state and queue backend.',
      type: 'gauge',
      samples: [
        // The in-process runner never queues: a run whose previous run is still going is skipped.
        { labels: { backend: queue, state: 'queued' }, value: 0 },
        { labels: { backend: queue, state: 'running' }, value: running },
      ],
    },
    ...(tasks === null
      ? []
      : [
          {
            name: 'promowatch_queue_tasks',
            help: 'Queued tasks by queue backend, kind and state (waiting, running and finished).',
            type: 'gauge' as const,
            samples: sorted(tasks, (r) => `${r.kind}\t${r.state}`).map((r) => ({
              labels: { backend: taskBackend, kind: r.kind, state: r.state },
              value: r.count,
            })),
          },
        ]),
    {
      name: 'promowatch_scheduler_up',
      help: '1 while a scheduler beats on this database within the stale limit, else 0.',
      type: 'gauge',
      samples: [{ value: age !== null && age < HEARTBEAT_STALE_AFTER_MS ? 1 : 0 }],
    },
    {
      name: 'promowatch_scheduler_heartbeat_age_seconds',
      help: "Seconds since the scheduler's last heartbeat (absent when no scheduler runs).",
      type: 'gauge',
      samples: age === null ? [] : [{ value: age / 1000 }],
    },
  ];
}

/** A label value escaped as the format asks: backslash, double quote and line feed. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function number(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The text format: HELP and TYPE before each family's samples, one sample a line, a final newline. */
export function renderExposition(metrics: Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels ?? {});
      const body = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      lines.push(`${m.name}${s.suffix ?? ''}${body} ${number(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
