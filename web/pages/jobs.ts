// Jobs page: each job's schedule, last and next run, a "run now" button, and the run history with errors.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { listAlerts } from '../../src/db/alerts.ts';
import { lastRun, listRuns } from '../../src/db/job-runs.ts';
import { describeNextRun, planRuns } from '../../jobs/scheduler.ts';
import { csrfField, fmtDuration, fmtTime, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

export const jobsPage = new Hono<Env>()
  .get('/jobs', (c) => {
    const { db, config, jobs, now, runNow } = c.get('deps');
    const site = c.get('site');
    const tz = site?.timeZone ?? config.timeZone;
    const plan = planRuns({ db, config }, jobs).filter((p) => p.site === null || p.site.id === site?.id);
    const runs = listRuns(db, { siteId: site?.id ?? null, limit: 100 });
    const alerts = listAlerts(db, site?.id ?? null, 20);
    const flash = c.req.query('started');
    return layout(
      c,
      'Jobs',
      html`
${flash ? html`<p class="flash">Started ${flash}. Reload to see it finish.</p>` : ''}
<section>
<h2>Schedule</h2>
<table><thead><tr><th>Job</th><th>Site</th><th>Schedule</th><th>Last run</th><th>Next run</th><th></th></tr></thead><tbody>
${plan.map((p) => {
  const last = lastRun(db, p.job.name, p.site?.id ?? null);
  const next = describeNextRun(p, now());
  return html`<tr>
<td><strong>${p.job.name}</strong><br><small>${p.job.description}</small></td>
<td>${p.site?.name ?? 'all'}</td>
<td><code>${p.schedule}</code> <small>${p.timeZone}</small>${p.enabled ? '' : html` <em>(disabled)</em>`}</td>
<td>${last ? html`<span class="status ${last.status}">${last.status}</span> ${fmtTime(last.startedAt, tz)}` : 'never'}</td>
<td>${next ? fmtTime(next.toISOString(), tz) : '—'}</td>
<td>${
    runNow
      ? html`<form method="post" action="/jobs/run">${csrfField(c)}<input type="hidden" name="job" value="${p.job.name}"><input type="hidden" name="site" value="${p.site?.name ?? ''}"><button type="submit">Run now</button></form>`
      : ''
  }</td>
</tr>`;
})}
</tbody></table>
</section>
<section>
<h2>History</h2>
<table><thead><tr><th>#</th><th>Job</th><th>Site</th><th>Trigger</th><th>Started</th><th>Took</th><th>Status</th><th>Counts</th><th>Error</th></tr></thead><tbody>
${runs.map(
  (r) => html`<tr class="${r.status === 'failed' || r.status === 'interrupted' ? 'bad' : ''}">
<td>${r.id}</td><td>${r.job}</td><td>${r.siteName ?? 'all'}</td><td>${r.trigger}</td><td>${fmtTime(r.startedAt, tz)}</td>
<td>${fmtDuration(r.startedAt, r.finishedAt)}</td><td><span class="status ${r.status}">${r.status}</span></td>
<td>${Object.entries(r.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}</td><td class="error">${r.error ?? ''}</td></tr>`,
)}
</tbody></table>
${runs.length === 0 ? html`<p class="hint">No runs yet.</p>` : ''}
</section>
<section>
<h2>Alerts</h2>
${
  alerts.length === 0
    ? html`<p class="hint">No alerts raised.</p>`
    : html`<table><thead><tr><th>Raised</th><th>Kind</th><th>Message</th><th>Channel</th><th>Delivered</th><th>Last error</th></tr></thead><tbody>
${alerts.map((a) => html`<tr class="${a.deliveredAt ? '' : 'bad'}"><td>${fmtTime(a.raisedAt, tz)}</td><td>${a.kind}</td><td>${a.message}</td><td>${a.channel} → ${a.recipient}</td><td>${a.deliveredAt ? fmtTime(a.deliveredAt, tz) : `no (${a.attempts} attempts)`}</td><td>${a.lastError ?? ''}</td></tr>`)}
</tbody></table>`
}
</section>`,
    );
  })
  .post('/jobs/run', async (c) => {
    const { runNow } = c.get('deps');
    const body = await c.req.parseBody();
    const job = String(body.job ?? '');
    const site = body.site ? String(body.site) : null;
    if (!runNow)
      return c.text(
        'This dashboard has no scheduler attached (started with "serve"); use "promowatch run" instead',
        409,
      );
    const r = runNow(job, site);
    if (r === 'unknown') return c.text(`No job "${job}"${site ? ` for site "${site}"` : ''}`, 404);
    if (r === 'busy') return c.text(`${job} is already running${site ? ` for ${site}` : ''}`, 409);
    return c.redirect(siteHref(c, `/jobs?started=${encodeURIComponent(job)}`), 303);
  });
