// The Alerts page: every message raised, once however many channels it went through, with its
// deliveries and its state; filters, paging, and acknowledge / resolve / reopen (one or a selection).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { findBacklinkId } from '../../src/backlinks/store.ts';
import { ALERT_KINDS } from '../../src/config/schema.ts';
import {
  ALERT_STATES,
  DASHBOARD_ACTOR,
  listNotices,
  setNoticeState,
  type AlertState,
  type Notice,
  type NoticeFilter,
} from '../../src/db/alerts.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { alertLocale, alertText } from '../../src/notify/text.ts';
import type { AlertFacts, AlertKind } from '../../src/notify/types.ts';
import { startOfDayIn } from '../../src/report/week.ts';
import { addDays } from '../../src/util/days.ts';
import { csrfField, errorPage, layout, readOnlyNote } from '../layout.ts';
import { mayWrite, visibleSiteIds } from '../access.ts';
import type { Env } from '../types.ts';

export const PAGE_SIZE = 50;
const SEVERITIES = ['critical', 'warning', 'info'] as const;
const ACTIONS = ['acknowledge', 'resolve', 'reopen'] as const;
type Action = (typeof ACTIONS)[number];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The pill colour of each state, as the Jobs page colours run statuses. */
const STATE_CLASS: Record<AlertState, string> = {
  open: 'failed',
  acknowledged: 'interrupted',
  resolved: 'ok',
};

interface Query {
  /** 'all', or the name of one site. */
  scope: string;
  kind: string;
  severity: string;
  state: string;
  from: string;
  to: string;
  page: number;
}

/**
 * The filters as asked. Without `scope`, a `site` in the address (the site switcher, the navigation)
 * shows that site; with neither, all sites: an agency's morning look across its installs.
 */
function readQuery(c: Context<Env>): Query {
  const q = (k: string) => c.req.query(k) ?? '';
  const scope = q('scope') || (c.req.query('site') !== undefined ? (c.get('site')?.name ?? 'all') : 'all');
  const day = (k: string) => (DAY.test(q(k)) ? q(k) : '');
  return {
    scope,
    kind: (ALERT_KINDS as readonly string[]).includes(q('kind')) ? q('kind') : '',
    severity: (SEVERITIES as readonly string[]).includes(q('severity')) ? q('severity') : '',
    state: (ALERT_STATES as readonly string[]).includes(q('state')) ? q('state') : '',
    from: day('from'),
    to: day('to'),
    page: Math.max(1, Math.floor(Number(q('page')) || 1)),
  };
}

function toFilter(q: Query, sites: SiteRow[], timeZone: string, all: number[] | null): NoticeFilter | null {
  const site = sites.find((s) => s.name === q.scope);
  if (q.scope !== 'all' && !site) return null;
  const f: NoticeFilter = { siteIds: site ? [site.id] : all };
  if (q.kind) f.kinds = [q.kind];
  if (q.severity) f.severities = [q.severity];
  if (q.state) f.states = [q.state as AlertState];
  // The period is whole days in the chosen site's zone (the install's for all sites), both ends included.
  if (q.from) f.from = startOfDayIn(q.from, timeZone).toISOString();
  if (q.to) f.until = startOfDayIn(addDays(q.to, 1), timeZone).toISOString();
  return f;
}

function queryString(q: Query, over: Partial<Query> = {}): string {
  const all = { ...q, ...over };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(all))
    if (v !== '' && !(k === 'page' && v === 1)) params.set(k, String(v));
  const s = params.toString();
  return s ? `/alerts?${s}` : '/alerts';
}

/** The page that shows what an alert is about: the link itself when it names one, else the area's page. */
export async function detailHref(
  sql: Sql,
  n: Pick<Notice, 'kind' | 'facts'>,
  site: SiteRow | null,
): Promise<string> {
  const withSite = (path: string) =>
    site ? `${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site.name)}` : path;
  const facts = n.facts as AlertFacts | null;
  const first = facts?.type === 'digest' ? facts.items[0] : facts;
  if (first?.type === 'links' && site) {
    const ids = await Promise.all(first.links.map((l) => findBacklinkId(sql, site.id, l.donorUrl, l.target)));
    if (facts?.type !== 'digest' && ids.length === 1 && ids[0] !== undefined)
      return withSite(`/backlinks/${ids[0]}`);
    return withSite(`/backlinks?status=${first.to === 'recovered' ? 'live' : first.to}`);
  }
  const byFacts: Partial<Record<AlertFacts['type'], string>> = {
    links: '/backlinks',
    renewals: '/backlinks',
    'ad-anomalies': '/ads',
    budget: '/ads',
    'site-issues': '/audit',
    'job-failed': '/jobs',
  };
  const byKind: Record<AlertKind, string> = {
    'lost-backlink': '/backlinks',
    'devalued-backlink': '/backlinks',
    'recovered-backlink': '/backlinks',
    'renewal-due': '/backlinks',
    budget: '/ads',
    anomaly: '/ads',
    'site-issue': '/audit',
    'job-failure': '/jobs',
    'weekly-report': '/reports',
  };
  const path = (first && byFacts[first.type]) ?? byKind[n.kind as AlertKind] ?? '/';
  return withSite(path);
}

/** `writer`: the list has the selection column and the buttons (someone may change some row's alert). */
async function row(
  c: Context<Env>,
  n: Notice,
  sitesById: Map<number, SiteRow>,
  showSite: boolean,
  writer: boolean,
) {
  const { sql, config } = c.get('deps');
  const { alerts: a } = c.get('t');
  const t = a.inbox;
  const fmt = c.get('fmt');
  const site = n.siteId === null ? null : (sitesById.get(n.siteId) ?? null);
  const kind = Object.hasOwn(a.kinds, n.kind) ? a.kinds[n.kind as AlertKind] : n.kind;
  // With its facts the message is worded again in the reader's language; older rows show the text as
  // it was sent, in its site's language.
  const words = n.facts
    ? alertText(
        {
          siteName: site?.name ?? null,
          kind: n.kind as AlertKind,
          severity: n.severity,
          facts: n.facts as AlertFacts,
        },
        { lang: c.get('lang'), timeZone: site?.timeZone ?? config.timeZone },
      )
    : null;
  const storedLang = alertLocale(config, site?.name ?? null).lang;
  const [title, ...rest] = words ? [words.title, ...words.lines] : n.message.split('\n');
  const who = (w: string | null) => (w === null ? '' : Object.hasOwn(t.who, w) ? t.who[w]! : w);
  const deliveries = n.deliveries.map((d) =>
    d.channel === 'dashboard' && d.recipient === 'dashboard'
      ? html`<li>${t.dashboardOnly}</li>`
      : html`<li class="${d.deliveredAt ? '' : 'error'}">${d.channel} → ${d.recipient}: ${
          d.deliveredAt ? t.delivered(fmt.dateTime(d.deliveredAt)) : t.notDelivered(fmt, d.attempts, d.error)
        }</li>`,
  );
  const state =
    n.state === 'resolved'
      ? t.resolvedBy(who(n.resolvedBy), fmt.dateTime(n.resolvedAt))
      : n.state === 'acknowledged'
        ? t.acknowledgedBy(who(n.acknowledgedBy), fmt.dateTime(n.acknowledgedAt))
        : '';
  // Per row: with all sites shown, an editor may change the alerts of the sites granted and no other.
  const mine = writer && mayWrite(c, n.siteId);
  const button = (action: Action) =>
    html`<button type="submit" name="do" value="${action}:${n.id}">${t[action]}</button>`;
  return html`<tr class="${n.state === 'open' && n.severity === 'critical' ? 'bad' : ''}" id="alert-${n.id}">
${writer ? html`<td>${mine ? html`<input type="checkbox" name="ids" value="${n.id}" aria-label="${t.select(n.id)}">` : ''}</td>` : ''}
<td>${fmt.dateTime(n.raisedAt)}</td>
${showSite ? html`<td>${site?.name ?? t.noSite}</td>` : ''}
<td><span class="status ${n.severity === 'critical' ? 'failed' : n.severity === 'warning' ? 'interrupted' : ''}">${a.severity[n.severity]}</span> ${kind}</td>
<td${words ? '' : html` lang="${storedLang}"`}><strong>${title}</strong>${
    rest.filter((l) => l.trim()).length
      ? html`<br><small class="lines">${rest.filter((l) => l.trim()).map((l, i) => html`${i ? html`<br>` : ''}${l}`)}</small>`
      : ''
  }<br><a href="${await detailHref(sql, n, site)}">${t.details}</a></td>
<td><ul class="deliveries">${deliveries}</ul></td>
<td><span class="status ${STATE_CLASS[n.state]}">${t.states[n.state]}</span>${state ? html`<br><small>${state}</small>` : ''}</td>
${writer ? html`<td>${mine ? (n.state === 'open' ? html`${button('acknowledge')} ${button('resolve')}` : n.state === 'acknowledged' ? html`${button('resolve')} ${button('reopen')}` : button('reopen')) : ''}</td>` : ''}
</tr>`;
}

export const alertsPage = new Hono<Env>()
  .get('/alerts', async (c) => {
    const { sql, config } = c.get('deps');
    const { common, alerts: a } = c.get('t');
    const t = a.inbox;
    const fmt = c.get('fmt');
    const sites = c.get('sites');
    const q = readQuery(c);
    const one = sites.find((s) => s.name === q.scope) ?? null;
    const filter = toFilter(q, sites, one?.timeZone ?? config.timeZone, visibleSiteIds(c));
    if (!filter) return errorPage(c, 404, common.errors.unknownSite(q.scope));
    const { total, notices } = await listNotices(sql, filter, {
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    const sitesById = new Map(sites.map((s) => [s.id, s]));
    const showSite = one === null;
    const flash = c.req.query('done');
    const changed = Number(c.req.query('n'));
    const select = (
      name: 'kind' | 'severity' | 'state',
      label: string,
      options: readonly string[],
      show: (o: string) => string,
    ) =>
      html`<label>${label} <select name="${name}"><option value="">${t.any[name]}</option>${options.map(
        (o) => html`<option value="${o}"${o === q[name] ? html` selected` : ''}>${show(o)}</option>`,
      )}</select></label>`;
    const first = (q.page - 1) * PAGE_SIZE + 1;
    const back = queryString(q);
    // Acknowledge / resolve only for those whose press would not be refused (web/access.ts).
    const writer = notices.some((n) => mayWrite(c, n.siteId));
    return layout(
      c,
      t.title,
      html`
${flash && (ACTIONS as readonly string[]).includes(flash) && Number.isInteger(changed) ? html`<p class="flash">${t.changed[flash as Action](fmt, changed)}</p>` : ''}
<form method="get" action="/alerts" class="inline filters">
  <label>${t.scope} <select name="scope"><option value="all">${t.allSites}</option>${sites.map(
    (s) => html`<option value="${s.name}"${s.name === q.scope ? html` selected` : ''}>${s.name}</option>`,
  )}</select></label>
  ${select('kind', t.kind, ALERT_KINDS, (k) => a.kinds[k as AlertKind])}
  ${select('severity', t.severity, SEVERITIES, (s) => a.severity[s as (typeof SEVERITIES)[number]])}
  ${select('state', t.state, ALERT_STATES, (s) => t.states[s as AlertState])}
  <label>${t.from} <input type="date" name="from" value="${q.from}"></label>
  <label>${t.to} <input type="date" name="to" value="${q.to}"></label>
  <button type="submit">${common.filter}</button>
</form>
${
  notices.length === 0
    ? html`<section class="empty"><p>${t.none}</p><p class="hint">${t.noneHint}</p></section>`
    : html`${
        writer
          ? html`<form method="post" action="/alerts/state">
${csrfField(c)}<input type="hidden" name="back" value="${back}">
<p class="inline">${t.withSelected} <button type="submit" name="do" value="acknowledge">${t.acknowledge}</button> <button type="submit" name="do" value="resolve">${t.resolve}</button> <button type="submit" name="do" value="reopen">${t.reopen}</button></p>`
          : ''
      }
<div class="table-wrap"><table class="alerts"><thead><tr>${writer ? html`<th></th>` : ''}<th>${t.columns.raised}</th>${showSite ? html`<th>${t.columns.site}</th>` : ''}<th>${t.kind}</th><th>${t.columns.alert}</th><th>${t.columns.deliveries}</th><th>${t.columns.state}</th>${writer ? html`<th></th>` : ''}</tr></thead><tbody>
${await Promise.all(notices.map((n) => row(c, n, sitesById, showSite, writer)))}
</tbody></table></div>
${writer ? html`</form>` : readOnlyNote(c)}
<p class="hint pager">${t.shown(fmt, first, first + notices.length - 1, total)}${
        q.page > 1 ? html` · <a href="${queryString(q, { page: q.page - 1 })}" rel="prev">${t.newer}</a>` : ''
      }${first + notices.length - 1 < total ? html` · <a href="${queryString(q, { page: q.page + 1 })}" rel="next">${t.older}</a>` : ''}</p>`
}`,
    );
  })
  .post('/alerts/state', async (c) => {
    const { sql, now } = c.get('deps');
    const t = c.get('t').alerts.inbox;
    const body = await c.req.parseBody({ all: true });
    const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
    const [action, single] = String(one(body.do) ?? '').split(':') as [string, string | undefined];
    if (!(ACTIONS as readonly string[]).includes(action)) return c.text(t.nothingSelected, 400);
    const picked = single !== undefined ? [single] : [body.ids ?? []].flat();
    const ids = picked.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);
    if (ids.length === 0) return c.text(t.nothingSelected, 400);
    const n = await setNoticeState(sql, ids, action as Action, DASHBOARD_ACTOR, now());
    // Back to the list as it was filtered; only a path on this page, never another site's address.
    const back = String(one(body.back) ?? '');
    const to = new URL(back.startsWith('/alerts') ? back : '/alerts', 'http://promowatch.invalid');
    to.searchParams.set('done', action);
    to.searchParams.set('n', String(n));
    return c.redirect(`/alerts${to.search}`, 303);
  });
