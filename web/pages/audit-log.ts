// The Audit log page, for admins: who changed what and when, filtered by person, site, action and
// period, newest first, a page at a time.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  auditChoices,
  HIDDEN,
  listAudit,
  type AuditFilter,
  type AuditRow,
} from '../../src/audit-log/store.ts';
import { addDays } from '../../src/util/days.ts';
import { errorPage, layout } from '../layout.ts';
import type { Env } from '../types.ts';
import { mayManageUsers } from './users.ts';

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a calendar day starts in a time zone (two passes settle a DST change on that day). */
export function dayStart(day: string, timeZone: string): string {
  const wall = (t: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(t))
        .map((x) => [x.type, x.value]),
    );
    return Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`);
  };
  const target = Date.parse(`${day}T00:00:00Z`);
  let t = target;
  for (let i = 0; i < 2; i++) t -= wall(t) - target;
  return new Date(t).toISOString();
}

interface Query {
  who: string;
  site: string;
  action: string;
  from: string;
  to: string;
  page: number;
}

function readQuery(c: Context<Env>): Query {
  const q = (k: string) => (c.req.query(k) ?? '').slice(0, 200);
  const page = Number(q('page'));
  return {
    who: q('who'),
    site: q('in'),
    action: q('action'),
    from: DAY.test(q('from')) ? q('from') : '',
    to: DAY.test(q('to')) ? q('to') : '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

function href(q: Query, page: number): string {
  const p = new URLSearchParams();
  if (q.who) p.set('who', q.who);
  if (q.site) p.set('in', q.site);
  if (q.action) p.set('action', q.action);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/audit-log?${s}` : '/audit-log';
}

function detailsText(c: Context<Env>, d: AuditRow['details']): string {
  if (!d) return '';
  const t = c.get('t').auditLog;
  return Object.entries(d)
    .map(
      ([k, v]) => `${k}: ${v === HIDDEN ? `(${t.hidden})` : typeof v === 'string' ? v : JSON.stringify(v)}`,
    )
    .join('; ');
}

function actorText(c: Context<Env>, actor: string): string {
  const a = c.get('t').auditLog.actors;
  return actor === 'cli'
    ? a.cli
    : actor === 'system'
      ? a.system
      : actor === 'dashboard'
        ? a.dashboard
        : actor === 'api token'
          ? a.apiToken
          : actor;
}

// Note: the site filter is "in", not "site": `?site=` is the dashboard's site switcher, which would
// answer 404 for a site that is no longer configured but still named in old entries.
export const auditLogPage = new Hono<Env>().get('/audit-log', async (c) => {
  if (!(await mayManageUsers(c))) return errorPage(c, 403, null);
  const t = c.get('t').auditLog;
  const fmt = c.get('fmt');
  const { sql, config } = c.get('deps');
  const q = readQuery(c);
  const sites = c.get('sites');
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const chosenSite = sites.find((s) => s.name === q.site);
  const filter: AuditFilter = {
    ...(q.who ? { actor: q.who } : {}),
    ...(chosenSite ? { siteId: chosenSite.id } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.from ? { from: dayStart(q.from, config.timeZone) } : {}),
    ...(q.to ? { to: dayStart(addDays(q.to, 1), config.timeZone) } : {}),
  };
  const { rows, total } = await listAudit(sql, filter, {
    limit: PAGE_SIZE,
    offset: (q.page - 1) * PAGE_SIZE,
  });
  const choices = await auditChoices(sql);
  const filtered = Object.keys(filter).length > 0;
  const first = (q.page - 1) * PAGE_SIZE + 1;
  const last = first + rows.length - 1;
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}"${value === chosen ? html` selected` : ''}>${label}</option>`;
  const body = html`<p>${t.intro}</p>
<form method="get" action="/audit-log" class="filters">
<label>${t.filters.person} <select name="who">${option('', t.filters.anyone, q.who)}${choices.actors.map((a) => option(a, actorText(c, a), q.who))}</select></label>
<label>${t.filters.site} <select name="in">${option('', t.filters.anySite, q.site)}${sites.map((s) => option(s.name, s.name, q.site))}</select></label>
<label>${t.filters.action} <select name="action">${option('', t.filters.anyAction, q.action)}${choices.actions.map((a) => option(a, a, q.action))}</select></label>
<label>${t.filters.from} <input type="date" name="from" value="${q.from}"></label>
<label>${t.filters.to} <input type="date" name="to" value="${q.to}"></label>
<button type="submit">${t.filters.apply}</button>${filtered ? html` <a href="/audit-log">${t.filters.reset}</a>` : ''}
</form>
${
  rows.length === 0
    ? html`<p class="empty">${filtered ? t.emptyFiltered : t.empty}</p>`
    : html`<div class="table-wrap"><table class="audit-log"><thead><tr><th>${t.columns.when}</th><th>${t.columns.who}</th><th>${t.columns.action}</th><th>${t.columns.site}</th><th>${t.columns.target}</th><th>${t.columns.details}</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td><time datetime="${r.at}">${fmt.dateTime(r.at)}</time></td><td>${actorText(c, r.actor)}</td><td><code>${r.action}</code></td><td>${r.siteId === null ? '' : (siteName.get(r.siteId) ?? `#${r.siteId}`)}</td><td>${r.targetType ?? ''}${r.targetId ? ` #${r.targetId}` : ''}</td><td class="details">${detailsText(c, r.details)}</td></tr>`,
)}
</tbody></table></div>
<p class="hint pager">${t.shown(fmt, first, last, total)}${q.page > 1 ? html` · <a href="${href(q, q.page - 1)}" rel="prev">${t.newer}</a>` : ''}${last < total ? html` · <a href="${href(q, q.page + 1)}" rel="next">${t.older}</a>` : ''}</p>`
}`;
  return layout(c, t.title, body);
});
