// The Ads page's sections: the cards per currency, budget pacing, the campaign table, anomalies and the
// chart frames. web/pages/ads.ts puts them together with the filter form and the accounts section.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Metrics } from '../../src/ads/analysis.ts';
import { change, sortCampaigns, type CampaignSort } from '../../src/ads/campaign-sort.ts';
import type { AnomalyRow, PacingRow } from '../../src/ads/current.ts';
import type { CampaignRow, CurrencyTotals } from '../../src/ads/report-data.ts';
import { viewQuery, type AdsView } from '../../src/ads/report-view.ts';
import type { Formatter, Messages } from '../../src/i18n/index.ts';
import { campaignOrder } from '../views/ads.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 100;

/** What the page's parts speak with: the area's words, the shared ones, and the request's Formatter. */
export interface Say {
  t: Messages['ads'];
  common: Messages['common'];
  fmt: Formatter;
}
export const sayFor = (c: Context<Env>): Say => ({
  t: c.get('t').ads,
  common: c.get('t').common,
  fmt: c.get('fmt'),
});

/** The display helpers of one request: the Formatter keeps one Intl.NumberFormat per option set. */
function shows(fmt: Formatter) {
  return {
    /** Spend, budgets, costs per click: kopecks only where they matter (Formatter.money). */
    money: (micros: number | null, currency: string) => (micros === null ? '—' : fmt.money(micros, currency)),
    count: (n: number) => fmt.number(n, 2),
    pct: (x: number | null, digits = 0) => (x === null ? '—' : fmt.percent(x, digits)),
    ratio: (x: number | null) => (x === null ? '—' : fmt.fixed(x, 2)),
  };
}

/** Change against the previous period: ▲/▼ and a colour saying whether it is good (null: neither). */
function delta(
  s: Say,
  now: number | null,
  before: number | null,
  goodWhenUp: boolean | null,
  beforeShown: string,
) {
  const d = change(now, before);
  if (d === null)
    return before === 0 && now !== null && now > 0
      ? html` <small class="change">${s.t.cards.new}</small>`
      : '';
  if (Math.abs(d) < 0.0005) return html` <small class="change">=</small>`;
  const cls = goodWhenUp === null ? '' : d > 0 === goodWhenUp ? 'up' : 'down';
  return html` <small class="${cls ? `change ${cls}` : 'change'}" title="${s.t.cards.previousPeriod(beforeShown)}">${d > 0 ? '▲' : '▼'} ${s.fmt.signedPercent(d, d > -0.1 && d < 0.1 ? 1 : 0)}</small>`;
}

export function chart(name: string, title: string, src: string, wide = false) {
  return html`<figure class="${wide ? 'chart wide' : 'chart'}"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/**
 * A currency's cards. Sums (spend, clicks, conversions, CPC) include today so far; CTR, CPA and ROAS count
 * complete days only: conversions of today arrive later than its cost, and a half day read as a ratio
 * drags ROAS towards 0.
 */
export function cards(s: Say, totals: CurrencyTotals) {
  const { t } = s;
  const { currency: cur, current, complete, previous: before } = totals;
  const show = shows(s.fmt);
  const card = (
    label: string,
    text: (m: Metrics) => string,
    value: (m: Metrics) => number | null,
    goodWhenUp: boolean | null,
    now = current,
  ) =>
    html`<div class="card"><span class="label">${label}</span><span class="value">${text(now)}${delta(s, value(now), value(before), goodWhenUp, text(before))}</span></div>`;
  return html`<section class="cards" data-currency="${cur}" aria-label="${t.cards.totalsIn(cur)}">
  ${card(
    t.cards.spend(cur),
    (m) => show.money(m.costMicros, cur),
    (m) => m.costMicros,
    null,
  )}
  ${card(
    t.cards.clicks,
    (m) => show.count(m.clicks),
    (m) => m.clicks,
    true,
  )}
  ${card(
    t.cards.ctr,
    (m) => show.pct(m.ctr, 2),
    (m) => m.ctr,
    true,
    complete,
  )}
  ${card(
    t.cards.cpc(cur),
    (m) => show.money(m.cpcMicros, cur),
    (m) => m.cpcMicros,
    false,
  )}
  ${card(
    t.cards.conversions,
    (m) => show.count(m.conversions),
    (m) => m.conversions,
    true,
  )}
  ${card(
    t.cards.cpa(cur),
    (m) => show.money(m.cpaMicros, cur),
    (m) => m.cpaMicros,
    false,
    complete,
  )}
  ${card(
    t.cards.roas,
    (m) => show.ratio(m.roas),
    (m) => m.roas,
    true,
    complete,
  )}
</section>`;
}

export function pacingSection(s: Say, rows: readonly PacingRow[]) {
  if (!rows.length) return '';
  const { t, fmt } = s;
  const { money } = shows(fmt);
  const percent = (x: number) => fmt.percent(x, 0);
  return html`<section id="pacing"><h2>${t.pacing.heading}</h2>
<div class="table-wrap"><table class="pacing"><thead><tr><th>${t.pacing.account}</th><th>${t.pacing.monthToDate}</th><th>${t.pacing.budget}</th><th>${t.pacing.forecast}</th><th>${t.pacing.verdict}</th></tr></thead><tbody>
${[...rows]
  // Accounts heading over budget first: the warning is what this block is read for.
  .sort((x, y) => Number(y.pacing.alert) - Number(x.pacing.alert))
  .map(({ account: a, pacing: p, today, marginPercent }) => {
    const cur = a.currency;
    const budget = p.budgetMicros;
    const verdict =
      budget === null
        ? html`<span class="muted">${t.pacing.noBudget}</span>`
        : p.alert
          ? html`<strong class="bad-text" role="alert">${t.pacing.over(percent(p.overBy!))}</strong>`
          : p.overBy! > 0
            ? html`<span class="warn">${t.pacing.overWithinMargin(percent(p.overBy!), percent(marginPercent / 100))}</span>`
            : html`<span class="change up">${t.pacing.onTrack(percent(p.forecastMicros / budget))}</span>`;
    // data-label: at phone width each row becomes a card whose cells name themselves (app.css).
    return html`<tr class="${p.alert ? 'bad' : ''}"><td class="account">${a.name}<br><small>${t.platforms[a.platform]} · ${t.pacing.monthDay(fmt.month(p.month), Number(today.slice(8)), p.daysInMonth)}</small></td>
<td data-label="${t.pacing.monthToDate}">${money(p.monthToDateMicros, cur)}${budget ? html`<br><progress max="${budget}" value="${Math.min(p.monthToDateMicros, budget)}" aria-label="${t.pacing.spentOfBudget}">${percent(p.monthToDateMicros / budget)}</progress> <small>${percent(p.monthToDateMicros / budget)}</small>` : ''}</td>
<td data-label="${t.pacing.budget}">${money(budget, cur)}</td>
<td data-label="${t.pacing.forecast}">${money(p.forecastMicros, cur)}${budget ? html`<br><meter min="0" max="${Math.max(budget, p.forecastMicros)}" high="${budget}" optimum="0" value="${p.forecastMicros}" aria-label="${t.pacing.forecastAgainstBudget}"></meter>` : ''}<br><small>${t.pacing.pace(money(p.recentDailyMicros, cur), Math.min(7, p.completeDays) || 1)}</small></td>
<td class="verdict">${verdict}</td></tr>`;
  })}
</tbody></table></div>
<p class="hint">${t.pacing.hint}</p>
</section>`;
}

function campaignCell(
  s: Say,
  r: CampaignRow,
  text: (m: Metrics) => string,
  value: (m: Metrics) => number | null,
  goodWhenUp: boolean | null,
) {
  return html`<td>${text(r.current)}${delta(s, value(r.current), value(r.previous), goodWhenUp, text(r.previous))}</td>`;
}

export function campaignTable(c: Context<Env>, v: AdsView, all: readonly CampaignRow[]) {
  const s = sayFor(c);
  const { t, fmt } = s;
  const show = shows(fmt);
  const { sort, desc, page } = campaignOrder(c);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const shown = sortCampaigns(all, sort, desc).slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const here = (extra: Record<string, string | number | undefined>) =>
    `/ads?${viewQuery(v, extra)}#campaigns`;
  const sortLink = (by: CampaignSort, label: string) => {
    const nextDesc = by === sort ? !desc : by !== 'name';
    return html`<a href="${here({ sort: by, dir: nextDesc ? 'desc' : 'asc' })}">${label}${by === sort ? (desc ? ' ↓' : ' ↑') : ''}</a>`;
  };
  const w = t.campaigns;
  return html`<section id="campaigns"><h2>${w.heading}</h2>
<p><a href="/ads/export.csv?${viewQuery(v, { sort, dir: desc ? 'desc' : 'asc' })}">${s.common.downloadCsv}</a> · ${w.count(all.length)} · ${w.compared(fmt.dayRange(v.from, v.to), fmt.dayRange(v.prevFrom, v.prevTo))}${pages > 1 ? html` · ${w.pageOf(page, pages)}` : ''}</p>
<div class="table-wrap"><table class="campaigns"><thead><tr><th>${sortLink('name', w.campaign)}</th><th>${sortLink('spend', w.spend)}</th><th>${sortLink('change', w.spendChange)}</th><th>${sortLink('clicks', w.clicks)}</th><th>${sortLink('ctr', t.cards.ctr)}</th><th>${sortLink('cpc', w.cpc)}</th><th>${sortLink('conversions', w.conversions)}</th><th>${sortLink('cpa', w.cpa)}</th><th>${sortLink('roas', w.roas)}</th></tr></thead><tbody>
${shown.map((r) => {
  const n = r.current;
  const p = r.previous;
  const d = change(n.costMicros, p.costMicros);
  return html`<tr><td>${r.name}<br><small>${r.account} · ${t.platforms[r.platform]}</small></td>
<td>${show.money(n.costMicros, r.currency)}<br><small class="muted">${w.before(show.money(p.costMicros, r.currency))}</small></td>
<td>${d === null ? (p.costMicros === 0 && n.costMicros > 0 ? t.cards.new : '—') : fmt.signedPercent(d, 0)}</td>
${campaignCell(
  s,
  r,
  (m) => show.count(m.clicks),
  (m) => m.clicks,
  true,
)}${campaignCell(
    s,
    r,
    (m) => show.pct(m.ctr, 2),
    (m) => m.ctr,
    true,
  )}${campaignCell(
    s,
    r,
    (m) => show.money(m.cpcMicros, r.currency),
    (m) => m.cpcMicros,
    false,
  )}
${campaignCell(
  s,
  r,
  (m) => show.count(m.conversions),
  (m) => m.conversions,
  true,
)}${campaignCell(
    s,
    r,
    (m) => show.money(m.cpaMicros, r.currency),
    (m) => m.cpaMicros,
    false,
  )}${campaignCell(
    s,
    r,
    (m) => show.ratio(m.roas),
    (m) => m.roas,
    true,
  )}</tr>`;
})}
</tbody></table></div>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page - 1 })}">${w.previous}</a>` : ''} ${page < pages ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page + 1 })}">${w.next}</a>` : ''}</p>`
    : ''
}
</section>`;
}

/** What an anomaly was, from its stored figures, in the reader's language and the account's currency. */
function anomalyText(s: Say, a: AnomalyRow): string {
  const { t, fmt } = s;
  if (a.value === null || a.baseline === null) return a.message;
  switch (a.kind) {
    case 'spend-spike':
    case 'cpa-jump':
      return t.anomalies.against(fmt.money(a.value, a.currency), fmt.money(a.baseline, a.currency));
    case 'ctr-drop':
      return t.anomalies.against(fmt.percent(a.value, 2), fmt.percent(a.baseline, 2));
    case 'zero-impressions':
      return t.anomalies.usualImpressions(Math.round(a.baseline));
    default:
      // A kind this page does not know yet: the words it was recorded with.
      return a.message;
  }
}

export function anomaliesSection(s: Say, anomalies: readonly AnomalyRow[]) {
  if (!anomalies.length) return '';
  const { t, fmt } = s;
  const kinds: Record<string, string> = t.anomalies.kinds;
  return html`<section id="anomalies"><h2>${t.anomalies.heading}</h2><div class="table-wrap"><table><thead><tr><th>${t.anomalies.day}</th><th>${t.anomalies.what}</th><th>${t.anomalies.campaign}</th><th>${t.anomalies.details}</th></tr></thead><tbody>
${anomalies.map((a) => html`<tr><td>${fmt.day(a.day)}</td><td><span class="sev warning" data-kind="${a.kind}">${kinds[a.kind] ?? a.kind}</span></td><td>${a.campaign}<br><small>${a.account} · ${t.platforms[a.platform]}</small></td><td>${anomalyText(s, a)}</td></tr>`)}
</tbody></table></div></section>`;
}
