// GET /api/audit/trend: health score and issue counts per crawl for one site, for the Site audit charts.
import { Hono } from 'hono';
import { healthTrend } from '../../src/audit/queries.ts';
import { listEvents } from '../../src/db/events.ts';
import { dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export const auditApi = new Hono<Env>().get('/trend', (c) => {
  const { db } = c.get('deps');
  const site = c.get('site');
  if (!site) return c.json({ error: 'no site configured' }, 404);
  const trend = healthTrend(db, site.id);
  const labels = trend.map((t) => dayIn(new Date(t.startedAt), site.timeZone));
  return c.json({
    site: site.name,
    labels,
    crawls: trend.map((t) => t.crawlId),
    events: labels.length
      ? listEvents(db, site.id, labels[0]!, labels[labels.length - 1]!).map((e) => ({
          day: e.day,
          title: e.title,
        }))
      : [],
    charts: {
      health: {
        type: 'line',
        yTitle: 'health score',
        yMax: 100,
        datasets: [{ label: 'Site health', data: trend.map((t) => t.health) }],
      },
      issues: {
        type: 'bar',
        stacked: true,
        yTitle: 'issues',
        datasets: [
          { label: 'errors', data: trend.map((t) => t.error) },
          { label: 'warnings', data: trend.map((t) => t.warning) },
          { label: 'notices', data: trend.map((t) => t.notice) },
        ],
      },
    },
  });
});
