// GET /api/overview: the Uptime page's chart data for one site (uptime, response time, job runs, events).
// Datasets carry a stable `key` (the dashboard script colours by it) and a `label` in the visitor's language.
import { Hono } from 'hono';
import { listEvents } from '../../src/db/events.ts';
import { runsByDay } from '../../src/db/job-runs.ts';
import { uptimeByDay } from '../../src/uptime/checks.ts';
import { lastDays } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export const overviewApi = new Hono<Env>().get('/', async (c) => {
  const { now } = c.get('deps');
  const site = c.get('site');
  if (!site) return c.json({ error: 'no site configured' }, 404);
  const { overview, jobs } = c.get('t');
  const t = overview.series;
  const days = Math.min(365, Math.max(7, Number(c.req.query('days') ?? 30) || 30));
  const labels = lastDays(now(), site.timeZone, days);
  // Query a day wider on each side; grouping by local day drops what falls outside.
  const from = new Date(Date.parse(`${labels[0]}T00:00:00Z`) - 86_400_000);
  const to = new Date(Date.parse(`${labels[labels.length - 1]}T00:00:00Z`) + 2 * 86_400_000);
  const uptime = new Map(
    (await uptimeByDay(c.get('deps').sql, site.id, site.timeZone, from, to)).map((d) => [d.day, d]),
  );
  const runs = await runsByDay(c.get('deps').sql, site.id, site.timeZone, from, to);
  const round = (x: number | null | undefined) =>
    x === null || x === undefined ? null : Math.round(x * 10) / 10;
  return c.json({
    site: site.name,
    timeZone: site.timeZone,
    labels,
    events: (await listEvents(c.get('deps').sql, site.id, labels[0]!, labels[labels.length - 1]!)).map(
      (e) => ({
        day: e.day,
        title: e.title,
      }),
    ),
    charts: {
      responseTime: {
        type: 'line',
        yTitle: t.ms,
        datasets: [
          { key: 'ttfb', label: t.ttfb, data: labels.map((d) => round(uptime.get(d)?.avgTtfbMs)) },
          { key: 'p95', label: t.p95, data: labels.map((d) => round(uptime.get(d)?.p95TotalMs)) },
        ],
      },
      uptime: {
        type: 'bar',
        yTitle: t.uptimeAxis,
        yMax: 100,
        datasets: [
          {
            key: 'uptime',
            label: t.uptime,
            data: labels.map((d) => {
              const u = uptime.get(d);
              return u ? round((100 * u.okChecks) / u.checks) : null;
            }),
          },
        ],
      },
      jobRuns: {
        type: 'bar',
        stacked: true,
        yTitle: t.runs,
        datasets: (['ok', 'failed', 'interrupted'] as const).map((status) => ({
          key: status,
          label: jobs.statuses[status],
          data: labels.map((d) => runs.get(d)?.[status] ?? 0),
        })),
      },
    },
  });
});
