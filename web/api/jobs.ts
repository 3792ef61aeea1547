// /api/jobs: run history as JSON, and POST /api/jobs/run to start a job (bearer token or CSRF token).
import { Hono } from 'hono';
import { listRuns } from '../../src/db/job-runs.ts';
import type { Env } from '../types.ts';

export const jobsApi = new Hono<Env>()
  .get('/', async (c) => {
    const { sql } = c.get('deps');
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    return c.json({
      runs: await listRuns(sql, { siteId: c.get('site')?.id ?? null, job: c.req.query('job'), limit }),
    });
  })
  .post('/run', async (c) => {
    const { runNow } = c.get('deps');
    const body = (await c.req.json().catch(() => null)) as { job?: unknown; site?: unknown } | null;
    if (!body || typeof body.job !== 'string')
      return c.json({ error: 'send JSON {"job": "name", "site": "name or null"}' }, 400);
    if (!runNow)
      return c.json({ error: 'no scheduler attached to this dashboard (started with "serve")' }, 409);
    const r = runNow(body.job, typeof body.site === 'string' ? body.site : null);
    if (r === 'unknown') return c.json({ error: `no job "${body.job}" for that site` }, 404);
    if (r === 'busy') return c.json({ error: 'already running' }, 409);
    return c.json({ started: body.job }, 202);
  });
