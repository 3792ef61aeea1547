// Ads page: budget pacing first, then spend and results per currency against the previous period, charts, the
// campaign table, anomalies, the accounts section (web/pages/ads-accounts.ts) and its forms, CSV.
// Every word comes from src/i18n/messages/ads.ts; numbers, money and dates from the request's Formatter.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Metrics } from '../../src/ads/analysis.ts';
import {
  accountProblems,
  findAccount,
  getAccount,
  insertAccount,
  listAccounts,
  normalisedExternalId,
  setBudget,
  type AccountInput,
} from '../../src/ads/store.ts';
import { AD_PLATFORMS, platformById } from '../../src/ads/registry.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { addDays } from '../../src/util/days.ts';
import { formatter, type Formatter, type Messages } from '../../src/i18n/index.ts';
import { change, sortCampaigns, type CampaignSort } from '../../src/ads/campaign-sort.ts';
import { anomalyRows, pacingRows, type AnomalyRow, type PacingRow } from '../../src/ads/current.ts';
import {
  cachedCampaigns,
  cachedTotals,
  type CampaignRow,
  type CurrencyTotals,
} from '../../src/ads/report-data.ts';
import { GRANULARITIES, GROUPS, viewQuery, type AdsView } from '../../src/ads/report-view.ts';
import { csvDownload } from '../csv.ts';
import { adsView, campaignJson, campaignOrder, PERIOD_DAYS } from '../views/ads.ts';
import {
  accountsSection,
  ACCOUNT_FIELDS,
  allCredentialKeys,
  addCommand,
  command,
  credentialKeys,
  importCommand,
  looksLikeSecret,
  parseAmount,
  type FormState,
} from './ads-accounts.ts';
import { emptyState, layout } from '../layout.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 100;

/** What the page's parts speak with: the area's words, the shared ones, and the request's Formatter. */
interface Say {
  t: Messages['ads'];
  common: Messages['common'];
  fmt: Formatter;
}
const sayFor = (c: Context<Env>): Say => ({
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

function chart(name: string, title: string, src: string, wide = false) {
  return html`<figure class="${wide ? 'chart wide' : 'chart'}"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/**
 * A currency's cards. Sums (spend, clicks, conversions, CPC) include today so far; CTR, CPA and ROAS count
 * complete days only: conversions of today arrive later than its cost, and a half day read as a ratio
 * drags ROAS towards 0.
 */
function cards(s: Say, totals: CurrencyTotals) {
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

function pacingSection(s: Say, rows: readonly PacingRow[]) {
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

function campaignTable(c: Context<Env>, v: AdsView, all: readonly CampaignRow[]) {
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

function filterForm(c: Context<Env>, v: AdsView) {
  const { t, common } = sayFor(c);
  const f = t.filter;
  const sel = (name: string, options: readonly (readonly [string, string])[], value: string) =>
    html`<select name="${name}">${options.map(([o, label]) => html`<option value="${o}"${o === value ? html` selected` : ''}>${label}</option>`)}</select>`;
  return html`<form method="get" action="/ads" class="inline">
  <input type="hidden" name="site" value="${v.site.name}">
  <label>${f.period} ${sel('days', [...PERIOD_DAYS.map((d) => [String(d), f.lastDays(d)] as const), ['', f.custom]], v.days === null ? '' : String(v.days))}</label>
  <label>${f.from} <input type="date" name="from" value="${v.days === null ? v.from : ''}"></label>
  <label>${f.to} <input type="date" name="to" value="${v.days === null ? v.to : ''}"></label>
  <label>${f.by} ${sel(
    'period',
    GRANULARITIES.map((g) => [g, f.granularity[g]] as const),
    v.period,
  )}</label>
  <label>${f.stackBy} ${sel(
    'group',
    GROUPS.map((g) => [g, f.groups[g]] as const),
    v.group,
  )}</label>
  <label>${f.platform} ${sel('platform', [['', common.all], ...AD_PLATFORMS.map((p) => [p.id, p.label[c.get('lang')]] as const)], v.platform ?? '')}</label>
  ${
    v.canConvert
      ? html`<label>${f.currency} ${sel(
          'convert',
          [
            ['0', f.perCurrency],
            ['1', f.converted],
          ],
          v.conversion ? '1' : '0',
        )}</label>`
      : ''
  }
  <button type="submit">${common.show}</button>
</form>`;
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

function anomaliesSection(s: Say, anomalies: readonly AnomalyRow[]) {
  if (!anomalies.length) return '';
  const { t, fmt } = s;
  const kinds: Record<string, string> = t.anomalies.kinds;
  return html`<section id="anomalies"><h2>${t.anomalies.heading}</h2><div class="table-wrap"><table><thead><tr><th>${t.anomalies.day}</th><th>${t.anomalies.what}</th><th>${t.anomalies.campaign}</th><th>${t.anomalies.details}</th></tr></thead><tbody>
${anomalies.map((a) => html`<tr><td>${fmt.day(a.day)}</td><td><span class="sev warning" data-kind="${a.kind}">${kinds[a.kind] ?? a.kind}</span></td><td>${a.campaign}<br><small>${a.account} · ${t.platforms[a.platform]}</small></td><td>${anomalyText(s, a)}</td></tr>`)}
</tbody></table></div></section>`;
}

function adsPage(c: Context<Env>, site: SiteRow, v: AdsView, state?: FormState) {
  const { db, config, now } = c.get('deps');
  const s = sayFor(c);
  const { t, fmt } = s;
  const accounts = listAccounts(db, site.id);
  const totals = cachedTotals(db, v);
  const campaigns = cachedCampaigns(db, v);
  const hasData = totals.some((x) => x.current.costMicros > 0 || x.current.impressions > 0);
  const pacing = pacingRows(db, config, site, now(), v.platform);
  const anomalies = anomalyRows(db, site.id, 50, v.platform);
  const conv = v.conversion;
  const chartsFor = (cur: string | null) => {
    const src = `/api/ads/trend?${viewQuery(v, { currency: cur ?? undefined })}`;
    const unit = cur ?? conv?.base ?? '';
    return html`<section class="charts"${cur ? html` data-currency="${cur}"` : ''}>
  ${chart('spend', t.charts.spendBy(v.group, v.period, unit), src, true)}
  ${chart('cpc', t.charts.cpc(unit), src)}
  ${chart('cpa', t.charts.cpa(unit), src)}
  ${chart('roas', t.charts.roas, src)}
</section>`;
  };
  const perCurrency = totals.length > 1;
  const added = c.req.query('added');
  if (state) c.status(state.status);
  return layout(
    c,
    s.common.nav.ads,
    html`
${added ? html`<p class="flash">${t.notes.added} ${t.notes.importExport} ${importCommand(site)}</p>` : ''}
${pacingSection(s, pacing)}
${filterForm(c, v)}
${
  conv
    ? html`<p class="note">${t.notes.converted(
        conv.base,
        conv.asOf ? fmt.day(conv.asOf) : null,
        Object.entries(conv.rates)
          .map(([k, r]) => `1 ${k} = ${fmt.number(r, 6)} ${conv.base}`)
          .join(', '),
      )}</p>`
    : v.conversionNote
      ? html`<p class="note warn">${v.conversionNote}</p>`
      : perCurrency
        ? html`<p class="note">${t.notes.perCurrency(totals.map((x) => x.currency))} ${t.notes.oneTotal} ${command('"currency": {"base": "…", "rates": {…}}')}</p>`
        : ''
}
${
  accounts.length === 0
    ? html`<section class="empty"><p>${t.empty.noAccounts}</p><p class="hint">${t.empty.noAccountsHint}<br>${addCommand(site)}<br>${importCommand(site)}</p></section>`
    : !hasData
      ? html`<section class="empty"><p>${t.empty.noStats(fmt.dayRange(v.from, v.to), v.platform ? (t.platforms[v.platform] ?? v.platform) : null)}</p><p class="hint">${t.empty.noStatsHint} ${importCommand(site)}</p></section>`
      : html`<p class="hint">${t.notes.range(fmt.dayRange(v.from, v.to), fmt.dayRange(v.prevFrom, v.prevTo))} ${accounts.some((a) => a.costIncludesVat) ? t.notes.vat : ''}${v.to >= v.today && v.from < v.today ? html` ${t.notes.todaySoFar(fmt.day(addDays(v.today, -1)))}` : ''}</p>
${totals.map((x) => html`${perCurrency ? html`<h2>${t.notes.inCurrency(x.currency)}</h2>` : ''}${cards(s, x)}${chartsFor(perCurrency ? x.currency : null)}`)}`
}
${hasData ? campaignTable(c, v, campaigns) : ''}
${anomaliesSection(s, anomalies)}
${accountsSection(c, site, state)}`,
  );
}

/** The site a form names (field "site"), made the request's site so the page renders for it. */
async function formSite(c: Context<Env>) {
  const body = await c.req.parseBody();
  const site = c.get('sites').find((s) => s.name === body.site) ?? null;
  if (site) {
    c.set('site', site);
    // Dates on the re-shown page in that site's zone, not the zone of the site the URL named.
    c.set('fmt', formatter(c.get('lang'), site.timeZone));
  }
  const values: Record<string, string> = {};
  for (const [k, x] of Object.entries(body)) if (typeof x === 'string' && k !== '_csrf') values[k] = x;
  return { site, values };
}

function pageOr400(c: Context<Env>, site: SiteRow, state?: FormState) {
  const v = adsView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  return adsPage(c, site, v, state);
}

export const adsPages = new Hono<Env>()
  .get('/ads', (c) => {
    const site = c.get('site');
    const { common } = c.get('t');
    if (!site) return layout(c, common.nav.ads, emptyState(common.noSite, common.noSiteHint));
    return pageOr400(c, site);
  })
  .post('/ads/accounts', async (c) => {
    const { db, now } = c.get('deps');
    const { t, common } = sayFor(c);
    const { site, values } = await formSite(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    const given = (k: string) => values[k]?.trim() ?? '';
    const platform = given('platform');
    const known = platformById(platform);
    const platformLabel = known?.label[c.get('lang')] ?? platform;
    const problems: string[] = [];
    const kept = Object.fromEntries(ACCOUNT_FIELDS.map((k) => [k, values[k] ?? '']));
    const credentials: Record<string, { env: string }> = {};
    for (const key of allCredentialKeys()) {
      const env = given(`cred_${key}`);
      if (!env) continue;
      if (looksLikeSecret(env)) {
        // Said without repeating what was typed, and not kept in the re-shown form: it may be the secret.
        problems.push(t.form.secretPasted(key));
        continue;
      }
      kept[`cred_${key}`] = env;
      if (known && !credentialKeys(platform).includes(key))
        problems.push(t.form.notCredentialOf(key, platformLabel, credentialKeys(platform).join(', ')));
      else credentials[key] = { env };
    }
    const budget = parseAmount(values.budget);
    if (budget === undefined) problems.push(t.form.budgetAmount);
    const lookback = given('lookback');
    const input: AccountInput = {
      platform,
      externalId: given('external_id'),
      name: given('name'),
      currency: given('currency').toUpperCase(),
      timeZone: given('time_zone'),
      costIncludesVat: values.vat === '1' || values.vat === 'on',
      monthlyBudgetMicros: budget ?? null,
      credentials,
      lookbackDays: lookback ? Number(lookback) : null,
    };
    problems.push(...accountProblems(input, t.problems));
    if (problems.length)
      return pageOr400(c, site, { status: 400, form: 'account', errors: problems, values: kept });
    const externalId = normalisedExternalId(platform, input.externalId);
    const existing = findAccount(db, platform, externalId);
    if (existing)
      return pageOr400(c, site, {
        status: 409,
        form: 'account',
        errors: [
          existing.siteId === site.id
            ? t.form.alreadyAdded(platformLabel, externalId)
            : t.form.alreadyAddedElsewhere(platformLabel, externalId),
        ],
        values: kept,
      });
    insertAccount(db, site.id, input, now());
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}&added=1#accounts`, 303);
  })
  .post('/ads/accounts/:id{[0-9]+}/budget', async (c) => {
    const { db } = c.get('deps');
    const { t, common } = sayFor(c);
    const { site, values } = await formSite(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    const account = getAccount(db, Number(c.req.param('id')));
    if (!account || account.siteId !== site.id) return c.text(t.form.noSuchAccount, 404);
    const budget = parseAmount(values.budget);
    if (budget === undefined)
      return pageOr400(c, site, {
        status: 400,
        form: 'budget',
        accountId: account.id,
        errors: [t.form.budgetInvalid(account.name)],
        values: { budget: values.budget ?? '' },
      });
    setBudget(db, account.id, budget);
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}#pacing`, 303);
  })
  .get('/ads/export.csv', (c) => {
    const site = c.get('site');
    if (!site) return c.text(c.get('t').common.noSite, 404);
    const v = adsView(c, site);
    if (typeof v === 'string') return c.text(v, 400);
    const { sort, desc } = campaignOrder(c);
    const num = (micros: number | null) => (micros === null ? null : micros / 1e6);
    const rows: Record<CsvColumn, unknown>[] = sortCampaigns(cachedCampaigns(c.get('deps').db, v), sort, desc)
      .map(campaignJson)
      .map((r) => ({
        platform: r.platform,
        account: r.account,
        campaign_id: r.campaignId,
        campaign: r.name,
        currency: r.currency,
        from: v.from,
        to: v.to,
        impressions: r.current.impressions,
        clicks: r.current.clicks,
        spend: num(r.current.costMicros),
        ctr: r.current.ctr,
        cpc: num(r.current.cpcMicros),
        conversions: r.current.conversions,
        cpa: num(r.current.cpaMicros),
        conversion_value: num(r.current.valueMicros),
        roas: r.current.roas,
        prev_impressions: r.previous.impressions,
        prev_clicks: r.previous.clicks,
        prev_spend: num(r.previous.costMicros),
        prev_ctr: r.previous.ctr,
        prev_cpc: num(r.previous.cpcMicros),
        prev_conversions: r.previous.conversions,
        prev_cpa: num(r.previous.cpaMicros),
        prev_roas: r.previous.roas,
        spend_change: r.change.spend,
        clicks_change: r.change.clicks,
        ctr_change: r.change.ctr,
        cpc_change: r.change.cpc,
        conversions_change: r.change.conversions,
        cpa_change: r.change.cpa,
        roas_change: r.change.roas,
      }));
    // The header row in the reader's language: the writer takes rows keyed by the names it prints.
    const head = c.get('t').ads.csv;
    return csvDownload(
      c,
      `${site.name}-ads-${v.from}-${v.to}.csv`,
      rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((k) => [head[k], r[k]]))),
      CSV_COLUMNS.map((k) => head[k]),
    );
  });

type CsvColumn = (typeof CSV_COLUMNS)[number];
const CSV_COLUMNS = [
  'platform',
  'account',
  'campaign_id',
  'campaign',
  'currency',
  'from',
  'to',
  'impressions',
  'clicks',
  'spend',
  'ctr',
  'cpc',
  'conversions',
  'cpa',
  'conversion_value',
  'roas',
  'prev_impressions',
  'prev_clicks',
  'prev_spend',
  'prev_ctr',
  'prev_cpc',
  'prev_conversions',
  'prev_cpa',
  'prev_roas',
  'spend_change',
  'clicks_change',
  'ctr_change',
  'cpc_change',
  'conversions_change',
  'cpa_change',
  'roas_change',
] as const satisfies readonly (keyof Messages['ads']['csv'])[];
