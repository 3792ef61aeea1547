// GET /api/audit/trend: health score and issue counts per crawl for one site, for the Site audit charts.
// Keys stay English; axis titles and dataset labels follow the request's language (`key` is each
// dataset's stable name, which the dashboard script picks its colour by).
import { Hono } from 'hono';
import { healthTrend } from '../../src/audit/queries.ts';
import { listEvents } from '../../src/db/events.ts';
import { dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export const auditApi = new Hono<Env>().get('/trend', async (c) => {
  const site = c.get('site');
  if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
  const t = c.get('t').audit.axis;
  const trend = await healthTrend(c.get('deps').sql, site.id);
  const labels = trend.map((p) => dayIn(new Date(p.startedAt), site.timeZone));
  return c.json({
    site: site.name,
    labels,
    crawls: trend.map((p) => p.crawlId),
    events: labels.length
      ? (await listEvents(c.get('deps').sql, site.id, labels[0]!, labels[labels.length - 1]!)).map((e) => ({
          day: e.day,
          title: e.title,
        }))
      : [],
    charts: {
      health: {
        type: 'line',
        yTitle: t.health,
        yMax: 100,
        datasets: [{ key: 'health', label: t.siteHealth, data: trend.map((p) => p.health) }],
      },
      issues: {
        type: 'bar',
        stacked: true,
        yTitle: t.issues,
        datasets: [
          { key: 'errors', label: t.errors, data: trend.map((p) => p.error) },
          { key: 'warnings', label: t.warnings, data: trend.map((p) => p.warning) },
          { key: 'notices', label: t.notices, data: trend.map((p) => p.notice) },
        ],
      },
    },
  });
});
