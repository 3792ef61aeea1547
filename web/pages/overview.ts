// Overview page: what needs attention, per site or for all sites at once (an agency's morning view). The
// data comes from src/overview/attention.ts; this file only renders it, in a compact grid of panels so
// that lost links, drops and a budget overrun sit on the first screen. Uptime has its own page (uptime.ts).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { ruleText } from '../../src/audit/explain.ts';
import type { DeadLinkTotals } from '../../src/backlinks/money.ts';
import { formatter } from '../../src/i18n/index.ts';
import {
  allClear,
  allSitesAttention,
  siteAttention,
  type SiteAttention,
} from '../../src/overview/attention.ts';
import type { KeywordMove } from '../../src/rank/movers.ts';
import { emptyState, layout } from '../layout.ts';
import { jobName } from './jobs.ts';
import type { Env } from '../types.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A link to a page of `site`, whatever site the switcher shows (the all-sites view links to each). */
const hrefFor = (site: string, path: string, hash = '') =>
  `${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site)}${hash}`;

/** Dead links listed on the Overview; the rest are one click away on the Backlinks page. */
const DEAD_SHOWN = 12;

/** A donor URL as a person reads it: no scheme, no "www.". */
const shortUrl = (url: string) => url.replace(/^https?:\/\/(www\.)?/, '');

function panel(kind: string, heading: string, body: Html) {
  return html`<section class="panel" data-panel="${kind}"><h2>${heading}</h2>${body}</section>`;
}

function siteBlock(c: Context<Env>, a: SiteAttention, grouped: boolean) {
  const all = c.get('t');
  const t = all.overview.attention;
  // Each site's days and times in its own zone: the all-sites view mixes sites.
  const fmt = formatter(c.get('lang'), a.site.timeZone);
  const now = c.get('deps').now();
  const href = (path: string, hash = '') => hrefFor(a.site.name, path, hash);
  const money = (micros: number | null, currency: string | null) =>
    micros === null || !currency ? t.dead.noPrice : fmt.money(micros, currency);
  // This year's days without the year: the panel stays one line a link more often.
  const day = (d: string) => (d.slice(0, 4) === a.today.slice(0, 4) ? fmt.dayShort(d) : fmt.day(d));
  const position = (p: number | null) => (p === null ? t.movers.notInTop : fmt.number(p, 1));
  const panels: Html[] = [];
  const clear: string[] = [];

  if (a.dead.links.length) {
    const totals = (x: DeadLinkTotals) =>
      [
        x.oneOffMicros ? fmt.money(x.oneOffMicros, x.currency) : '',
        x.monthlyMicros ? t.dead.perMonth(fmt.money(x.monthlyMicros, x.currency)) : '',
      ]
        .filter(Boolean)
        .join(' + ');
    const still = a.dead.totals
      .filter((x) => x.stillPayingMonthlyMicros > 0)
      .map((x) => fmt.money(x.stillPayingMonthlyMicros, x.currency));
    panels.push(
      panel(
        'dead',
        t.dead.heading,
        html`<p class="total"><strong>${t.dead.paidForDead(a.dead.totals.map(totals).filter(Boolean).join('; ') || '—')}</strong>${still.length ? html`; <span class="bad-text">${t.dead.stillPaying(still.join(' + '))}</span>` : ''}</p>
<ul class="items links">${a.dead.links.slice(0, DEAD_SHOWN).map(
          (l) =>
            html`<li><a class="clip" href="${href(`/backlinks/${l.id}`)}" title="${l.donorUrl}">${shortUrl(l.donorUrl)}</a><strong class="money">${l.billing === 'monthly' && l.priceMicros !== null ? t.dead.perMonth(money(l.priceMicros, l.currency)) : money(l.priceMicros, l.currency)}</strong>
<small><span class="sev ${l.status === 'lost' ? 'error' : 'warning'}">${t.dead.status[l.status]}</span> ${l.vendor ?? t.dead.noVendor}${l.since ? html` · ${t.dead.since(day(l.since), l.days ?? 0)}` : ''}${l.billing === 'monthly' ? html` · ${l.stillPaying ? html`<span class="bad-text">${t.dead.feeRunning}</span>` : t.dead.stopped}` : ''}</small></li>`,
        )}</ul>
${a.dead.links.length > DEAD_SHOWN ? html`<p><a href="${href('/backlinks')}">${t.dead.more(a.dead.links.length - DEAD_SHOWN)}</a></p>` : ''}`,
      ),
    );
  } else clear.push(t.clearNames.dead);

  const m = a.movers;
  if (m.losses.length || m.gains.length || m.enteredTop10.length || m.leftTop10.length) {
    // A query tracked on several engines or devices says which one moved.
    const shown = [...m.losses, ...m.gains];
    const twice = new Set(
      shown.filter((k, i) => shown.findIndex((x) => x.query === k.query) !== i).map((k) => k.query),
    );
    const which = (k: KeywordMove) =>
      twice.has(k.query)
        ? html` <small class="muted">${(all.common.engines as Record<string, string>)[k.engine] ?? k.engine}, ${(all.common.devices as Record<string, string>)[k.device] ?? k.device}</small>`
        : '';
    const move = (k: KeywordMove) =>
      html`<li><a class="clip" href="${href(`/rankings/keywords/${k.keywordId}`)}">${k.query}</a>${which(k)} <small>${position(k.before)} → ${position(k.after)}</small> <span class="change ${k.change < 0 ? 'down' : 'up'}">${fmt.signed(k.change, 1)}</span></li>`;
    const names = (ks: KeywordMove[]) =>
      ks
        .slice(0, 6)
        .map(
          (k, i) =>
            html`${i ? ', ' : ''}<a href="${href(`/rankings/keywords/${k.keywordId}`)}">${k.query}</a>`,
        );
    panels.push(
      panel(
        'movers',
        t.movers.heading,
        html`${m.losses.length ? html`<h3>${t.movers.losses}</h3><ul class="items" data-moves="losses">${m.losses.map(move)}</ul>` : ''}
${m.gains.length ? html`<h3>${t.movers.gains}</h3><ul class="items" data-moves="gains">${m.gains.map(move)}</ul>` : ''}
${m.leftTop10.length ? html`<p><strong>${t.movers.left}:</strong> ${names(m.leftTop10)}</p>` : ''}
${m.enteredTop10.length ? html`<p><strong>${t.movers.entered}:</strong> ${names(m.enteredTop10)}</p>` : ''}`,
      ),
    );
  } else clear.push(t.clearNames.movers);

  if (a.pacing.some((p) => p.pacing.alert || (p.pacing.overBy ?? 0) > 0) || a.anomalies.length) {
    const platforms = all.ads.platforms as Record<string, string>;
    panels.push(
      panel(
        'ads',
        t.ads.heading,
        html`<ul class="items">${a.pacing.map(({ account, pacing: p }) => {
          const budget = p.budgetMicros!;
          const cur = account.currency;
          // Spend already past the budget is said as a fact; a forecast past it as what is coming.
          const verdict =
            p.monthToDateMicros > budget
              ? html`<strong class="bad-text">${t.ads.overSpent(fmt.percent(p.monthToDateMicros / budget - 1))}</strong>`
              : p.alert
                ? html`<strong class="bad-text">${t.ads.over(fmt.percent(p.overBy!))}</strong>`
                : (p.overBy ?? 0) > 0
                  ? html`<span class="warn">${t.ads.overWithinMargin(fmt.percent(p.overBy!))}</span>`
                  : html`<span class="change up">${t.ads.under(fmt.percent(p.forecastMicros / budget))}</span>`;
          return html`<li class="${p.alert || p.monthToDateMicros > budget ? 'over' : ''}"><a href="${href('/ads', '#pacing')}">${account.name}</a> <small>${platforms[account.platform] ?? account.platform}</small><br>${verdict}<br><small>${t.ads.spent(fmt.money(p.monthToDateMicros, cur), fmt.money(budget, cur))} · ${t.ads.forecast(fmt.money(p.forecastMicros, cur))}</small></li>`;
        })}</ul>
${a.anomalies.length ? html`<p><a href="${href('/ads', '#anomalies')}">${t.ads.anomalies(a.anomalies.length)}</a></p>` : ''}`,
      ),
    );
  } else clear.push(t.clearNames.ads);

  if (a.renewals.length)
    panels.push(
      panel(
        'renewals',
        t.renewals.heading,
        html`<ul class="items">${a.renewals.map(
          (r) =>
            html`<li><a class="clip" href="${href(`/backlinks/${r.id}`)}" title="${r.donorUrl}">${shortUrl(r.donorUrl)}</a> <small>${t.renewals.paidUntil(day(r.paidUntil))} · ${r.vendor ?? t.dead.noVendor}${r.priceMicros !== null && r.currency ? html` · ${r.billing === 'monthly' ? t.dead.perMonth(fmt.money(r.priceMicros, r.currency)) : fmt.money(r.priceMicros, r.currency)}` : ''}</small></li>`,
        )}</ul>`,
      ),
    );
  else clear.push(t.clearNames.renewals);

  if (a.audit && a.audit.count > 0) {
    const crawl = a.audit.crawlId;
    panels.push(
      panel(
        'audit',
        t.audit.heading,
        html`<p><a href="${href(`/audit?crawl=${crawl}`)}">${t.audit.count(a.audit.count)}</a></p>
<ul class="items">${a.audit.issues.map(
          (i) =>
            html`<li><span class="sev error">${ruleText(i.rule, all.audit).name}</span> <a class="clip" href="${href(`/audit/page?crawl=${crawl}&url=${encodeURIComponent(i.url)}`)}">${i.url}</a></li>`,
        )}</ul>`,
      ),
    );
  } else clear.push(t.clearNames.audit);

  if (a.failedJobs.length || a.failingProviders.length) {
    const failures = all.rankings.failures as Record<string, string>;
    panels.push(
      panel(
        'jobs',
        t.jobs.heading,
        html`<ul class="items">${a.failedJobs.map(
          (r) =>
            html`<li><a href="${href('/jobs')}">${t.jobs.failed(jobName(all.jobs, r.job), fmt.relative(r.startedAt, now))}</a>${r.error ? html`<br><small class="clip" title="${r.error}">${r.error}</small>` : ''}</li>`,
        )}${a.failingProviders.map(
          (p) =>
            html`<li><a href="${href('/rankings')}">${t.jobs.provider(p.source, p.keywords, p.kind && Object.hasOwn(failures, p.kind) ? failures[p.kind]! : p.error.slice(0, 120))}</a></li>`,
        )}</ul>`,
      ),
    );
  } else clear.push(t.clearNames.jobs);

  const uptimeBad = a.uptime.up < a.uptime.total;
  const status = html`<p class="status-line">
<a href="${href('/alerts')}" class="${a.openAlerts ? 'bad-text' : ''}">${a.openAlerts ? t.alerts.open(a.openAlerts) : t.alerts.none}</a>
· <a href="${href('/uptime')}" class="${uptimeBad ? 'bad-text' : ''}">${a.uptime.total ? t.uptime(a.uptime.up, a.uptime.total) : t.noUptime}</a>
${panels.length && clear.length ? html`· <span class="muted">${t.clearLine(clear.join(', '))}</span>` : ''}
</p>`;
  const heading = grouped
    ? html`<h2 class="site-name"><a href="${href('/')}" title="${t.openSite}">${a.site.name}</a> <small>${a.site.baseUrl}</small></h2>`
    : '';
  if (grouped && allClear(a))
    return html`<section class="attention clear" data-site="${a.site.name}">${heading}<p class="status-line"><span>${t.siteClear}</span> · <a href="${href('/uptime')}">${a.uptime.total ? t.uptime(a.uptime.up, a.uptime.total) : t.noUptime}</a></p></section>`;
  return html`<section class="attention" data-site="${a.site.name}">${heading}
${status}
${panels.length ? html`<div class="panels">${panels}</div>` : html`<p class="all-clear">${t.siteClear}</p>`}</section>`;
}

export const overviewPage = new Hono<Env>().get('/', async (c) => {
  const { config, now } = c.get('deps');
  const sites = c.get('sites');
  const { common, overview } = c.get('t');
  // No site chosen and several configured: the agency's view of every site at once.
  if (sites.length > 1 && !c.req.query('site')) {
    c.set('site', null);
    const all = await allSitesAttention({ sql: c.get('deps').sql, config, now: now() }, sites);
    return layout(c, overview.attention.allSites, html`${all.map((a) => siteBlock(c, a, true))}`);
  }
  const site = c.get('site');
  if (!site) return layout(c, overview.title, emptyState(common.noSite, common.noSiteHint));
  const attention = await siteAttention({ sql: c.get('deps').sql, config, now: now() }, site);
  return layout(c, overview.title, siteBlock(c, attention, false));
});
