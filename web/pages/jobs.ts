// Jobs page: each job's schedule, last and next run, a "run now" button, and the run history with errors.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { listAlerts } from '../../src/db/alerts.ts';
import { lastRun, listRuns } from '../../src/db/job-runs.ts';
import type { Formatter, Messages } from '../../src/i18n/index.ts';
import { jobCountsText } from '../../src/i18n/job-counts.ts';
import { alertLocale } from '../../src/notify/text.ts';
import type { RetentionSettings } from '../../src/ops/retention-settings.ts';
import { describeNextRun, planRuns } from '../../jobs/scheduler.ts';
import type { Job } from '../../jobs/types.ts';
import { csrfField, layout, siteHref } from '../layout.ts';
import { mayWrite } from '../access.ts';
import type { Env } from '../types.ts';

type JobWords = Messages['jobs'];

/** A job's human name; a job the catalogue does not know (a plugin, a test) goes by its own name. */
export function jobName(t: JobWords, name: string): string {
  return Object.hasOwn(t.names, name) ? t.names[name as keyof JobWords['names']] : name;
}

function jobDescription(t: JobWords, fmt: Formatter, job: Job, keep: RetentionSettings): string {
  if (!Object.hasOwn(t.descriptions, job.name)) return job.description;
  const d = t.descriptions[job.name as keyof JobWords['descriptions']];
  return typeof d === 'string' ? d : d(fmt, keep);
}

function label<T extends Record<string, string>>(words: T, key: string): string {
  return Object.hasOwn(words, key) ? words[key as keyof T]! : key;
}

export const jobsPage = new Hono<Env>()
  .get('/jobs', async (c) => {
    const { sql, config, jobs, now, runNow } = c.get('deps');
    const site = c.get('site');
    const { common, jobs: t, alerts: a } = c.get('t');
    const fmt = c.get('fmt');
    const plan = (await planRuns({ sql, config }, jobs)).filter(
      (p) => p.site === null || p.site.id === site?.id,
    );
    const runs = await listRuns(sql, { siteId: site?.id ?? null, limit: 100 });
    const lasts = await Promise.all(plan.map((p) => lastRun(sql, p.job.name, p.site?.id ?? null)));
    const alerts = await listAlerts(sql, site?.id ?? null, 20);
    const siteNames = new Map(c.get('sites').map((s) => [s.id, s.name]));
    const flash = c.req.query('started');
    // The "run now" column only when some row's press would not be refused (web/access.ts).
    const runnable = (p: (typeof plan)[number]) => !!runNow && mayWrite(c, p.site?.id ?? null);
    const anyRunnable = plan.some(runnable);
    const status = (s: string) => html`<span class="status ${s}">${label(t.statuses, s)}</span>`;
    return layout(
      c,
      t.title,
      html`
${flash ? html`<p class="flash">${t.started(flash)}</p>` : ''}
<section>
<h2>${t.schedule}</h2>
<div class="table-wrap"><table><thead><tr><th>${t.columns.job}</th><th>${t.columns.site}</th><th>${t.columns.schedule}</th><th>${t.columns.lastRun}</th><th>${t.columns.nextRun}</th>${anyRunnable ? html`<th></th>` : ''}</tr></thead><tbody>
${plan.map((p, i) => {
  const last = lasts[i];
  const next = describeNextRun(p, now());
  return html`<tr>
<td><strong>${jobName(t, p.job.name)}</strong> <small><code>${p.job.name}</code></small><br><small>${jobDescription(t, fmt, p.job, config.retention)}</small></td>
<td>${p.site?.name ?? common.allSites}</td>
<td><code>${p.schedule}</code> <small>${p.timeZone}</small>${p.enabled ? '' : html` <em>${t.disabled}</em>`}</td>
<td>${last ? html`${status(last.status)} ${fmt.dateTime(last.startedAt)}` : t.never}</td>
<td>${next ? fmt.dateTime(next.toISOString()) : '—'}</td>
${
  anyRunnable
    ? html`<td>${
        runnable(p)
          ? html`<form method="post" action="/jobs/run">${csrfField(c)}<input type="hidden" name="job" value="${p.job.name}"><input type="hidden" name="site" value="${p.site?.name ?? ''}"><button type="submit">${t.runNow}</button></form>`
          : ''
      }</td>`
    : ''
}
</tr>`;
})}
</tbody></table></div>
</section>
<section>
<h2>${t.history}</h2>
<div class="table-wrap"><table><thead><tr><th>${t.columns.run}</th><th>${t.columns.job}</th><th>${t.columns.site}</th><th>${t.columns.trigger}</th><th>${t.columns.started}</th><th>${t.columns.took}</th><th>${t.columns.status}</th><th>${t.columns.counts}</th><th>${t.columns.error}</th></tr></thead><tbody>
${runs.map(
  (r) => html`<tr class="${r.status === 'failed' || r.status === 'interrupted' ? 'bad' : ''}">
<td>${r.id}</td><td title="${jobName(t, r.job)}">${r.job}</td><td>${r.siteName ?? common.allSites}</td><td>${label(t.triggers, r.trigger)}</td><td>${fmt.dateTime(r.startedAt)}</td>
<td>${r.finishedAt ? fmt.duration(Math.max(0, Date.parse(r.finishedAt) - Date.parse(r.startedAt))) : '—'}</td><td>${status(r.status)}</td>
<td>${jobCountsText(t, fmt, r.job, r.counts)}</td><td class="error">${r.error ?? ''}</td></tr>`,
)}
</tbody></table></div>
${runs.length === 0 ? html`<p class="hint">${t.noRuns}</p>` : ''}
</section>
<section>
<h2>${t.alerts}</h2>
${
  alerts.length === 0
    ? html`<p class="hint">${t.noAlerts}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>${t.columns.raised}</th><th>${t.columns.kind}</th><th>${t.columns.message}</th><th>${t.columns.channel}</th><th>${t.columns.delivered}</th><th>${t.columns.lastError}</th></tr></thead><tbody>
${alerts.map((x) => {
  // The message was worded when it was raised, in its site's language (src/notify/index.ts storedMessage).
  const lang = alertLocale(config, x.siteId === null ? null : (siteNames.get(x.siteId) ?? null)).lang;
  // Kept for the dashboard because no channel takes it: there was nothing to deliver.
  const kept = x.channel === 'dashboard' && x.recipient === 'dashboard';
  return html`<tr class="${x.deliveredAt || kept ? '' : 'bad'}"><td>${fmt.dateTime(x.raisedAt)}</td><td>${label(a.kinds, x.kind)}</td><td lang="${lang}">${x.message}</td><td>${kept ? t.dashboardOnly : `${x.channel} → ${x.recipient}`}</td><td>${x.deliveredAt ? fmt.dateTime(x.deliveredAt) : kept ? '—' : t.notDelivered(fmt, x.attempts)}</td><td>${x.lastError ?? ''}</td></tr>`;
})}
</tbody></table></div>`
}
</section>`,
    );
  })
  .post('/jobs/run', async (c) => {
    const { runNow } = c.get('deps');
    const t = c.get('t').jobs;
    const body = await c.req.parseBody();
    const job = String(body.job ?? '');
    const site = body.site ? String(body.site) : null;
    if (!runNow) return c.text(t.noScheduler, 409);
    const r = runNow(job, site);
    if (r === 'unknown') return c.text(t.unknownJob(job, site), 404);
    if (r === 'busy') return c.text(t.busy(job, site), 409);
    return c.redirect(siteHref(c, `/jobs?started=${encodeURIComponent(job)}`), 303);
  });
