// Operations endpoints: /healthz for load balancers (no login, says nothing but health) and /metrics
// for Prometheus (install-wide, so admins and the API token only; web/access.ts declares both).
import { Hono } from 'hono';
import { storeOf } from '../src/db/store/sqlite.ts';
import { checkHealth } from '../src/ops/health.ts';
import { collectMetrics, EXPOSITION_CONTENT_TYPE, renderExposition } from '../src/ops/metrics.ts';
import type { AppDeps, Env } from './types.ts';

/** Mounted before the login, host and language middleware: a load balancer probes by IP address, with
 * no cookie and no Host of ours, and the answer names nothing of the install. */
export function healthRoute(deps: Pick<AppDeps, 'db' | 'sql' | 'now' | 'queue'>) {
  return new Hono().get('/healthz', async (c) => {
    const { code, body } = await checkHealth(deps.sql ?? storeOf(deps.db), deps.now(), undefined, deps.queue);
    return c.json(body, code);
  });
}

export const metricsPage = new Hono<Env>().get('/metrics', async (c) => {
  const { sql, now, queue } = c.get('deps');
  return c.body(renderExposition(await collectMetrics(sql, now(), { queue })), 200, {
    'Content-Type': EXPOSITION_CONTENT_TYPE,
  });
});
