// Ads page: spend and results per currency against the previous period, charts, budget pacing, the
// campaign table, anomalies, accounts with their last sync, adding an account and setting a budget, CSV.
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
  listSyncs,
  setBudget,
  type AccountInput,
} from '../../src/ads/store.ts';
import { decimalToMicros, PLATFORM_LABELS, PLATFORMS, type Platform } from '../../src/ads/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import {
  adsView,
  anomalyRows,
  cachedCampaigns,
  cachedTotals,
  campaignJson,
  campaignOrder,
  change,
  GRANULARITIES,
  GROUPS,
  pacingRows,
  PERIOD_DAYS,
  sortCampaigns,
  viewQuery,
  type AdsView,
  type CampaignRow,
  type CampaignSort,
  type PacingRow,
} from '../api/ads.ts';
import { csvDownload } from '../csv.ts';
import { csrfField, emptyState, fmtTime, layout } from '../layout.ts';
import type { Env } from '../types.ts';

const PAGE_SIZE = 100;

/** Per-account credentials a platform reads (the secret fields of providers.<platform> in the config). */
const CREDENTIAL_KEYS: Record<Platform, readonly string[]> = {
  'google-ads': ['clientSecret', 'refreshToken', 'developerToken'],
  'yandex-direct': ['token'],
  'microsoft-ads': ['refreshToken', 'developerToken'],
  meta: ['accessToken'],
};
const ALL_CREDENTIAL_KEYS = [...new Set(Object.values(CREDENTIAL_KEYS).flat())];
const CREDENTIAL_EXAMPLES: Record<string, string> = {
  clientSecret: 'GOOGLE_ADS_CLIENT_SECRET',
  refreshToken: 'ADS_REFRESH_TOKEN',
  developerToken: 'ADS_DEVELOPER_TOKEN',
  token: 'DIRECT_TOKEN_CLIENT2',
  accessToken: 'META_ACCESS_TOKEN',
};
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
/**
 * An environment variable's name, or the secret pasted in its place? Tokens are long runs of letters and
 * digits; names are words joined by underscores. A long name without an underscore, or with a long run
 * of digits, is refused rather than stored in the database in clear.
 */
const looksLikeSecret = (s: string) =>
  !ENV_NAME.test(s) || (s.length >= 20 && !s.includes('_')) || /[0-9]{6,}/.test(s) || /[A-Z0-9]{24,}/.test(s);

const ACCOUNT_FIELDS = [
  'platform',
  'external_id',
  'name',
  'currency',
  'time_zone',
  'vat',
  'budget',
  'lookback',
];

const pct = (x: number | null, digits = 0) => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);
// One formatter each, made once: Number#toLocaleString with options builds a new Intl.NumberFormat per
// call, which was most of the time a 100-campaign page took to render.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const UP_TO_2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
/** Spend and budgets, as fmtMoney (src/ads/alerts.ts) words them in alerts: whole units. */
const money = (micros: number | null, currency: string) =>
  micros === null ? '—' : `${WHOLE.format(micros / 1e6)} ${currency}`;
/** Cost per click or conversion: small amounts need their kopecks. */
const money2 = (micros: number | null, currency: string) =>
  micros === null ? '—' : `${CENTS.format(micros / 1e6)} ${currency}`;
const count = (n: number) => UP_TO_2.format(n);
const ratio = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const decimal = (micros: number | null) => (micros === null ? '' : String(micros / 1e6));

/** Change against the previous period: ▲/▼ and a colour saying whether it is good (null: neither). */
function delta(now: number | null, before: number | null, goodWhenUp: boolean | null, beforeShown: string) {
  const d = change(now, before);
  if (d === null)
    return before === 0 && now !== null && now > 0 ? html` <small class="change">new</small>` : '';
  if (Math.abs(d) < 0.0005) return html` <small class="change">=</small>`;
  const cls = goodWhenUp === null ? '' : d > 0 === goodWhenUp ? 'up' : 'down';
  return html` <small class="${cls ? `change ${cls}` : 'change'}" title="previous period: ${beforeShown}">${d > 0 ? '▲ +' : '▼ −'}${Math.abs(d * 100).toFixed(d > -0.1 && d < 0.1 ? 1 : 0)} %</small>`;
}

function chart(name: string, title: string, src: string, wide = false) {
  return html`<figure class="${wide ? 'chart wide' : 'chart'}"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

function cards(cur: string, now: Metrics, before: Metrics) {
  const card = (
    label: string,
    show: (m: Metrics) => string,
    value: (m: Metrics) => number | null,
    goodWhenUp: boolean | null,
  ) =>
    html`<div class="card"><span class="label">${label}</span><span class="value">${show(now)}${delta(value(now), value(before), goodWhenUp, show(before))}</span></div>`;
  return html`<section class="cards" data-currency="${cur}" aria-label="Totals in ${cur}">
  ${card(
    `Spend (${cur})`,
    (m) => money(m.costMicros, cur),
    (m) => m.costMicros,
    null,
  )}
  ${card(
    'Clicks',
    (m) => count(m.clicks),
    (m) => m.clicks,
    true,
  )}
  ${card(
    'CTR',
    (m) => pct(m.ctr, 2),
    (m) => m.ctr,
    true,
  )}
  ${card(
    `CPC (${cur})`,
    (m) => money2(m.cpcMicros, cur),
    (m) => m.cpcMicros,
    false,
  )}
  ${card(
    'Conversions',
    (m) => count(m.conversions),
    (m) => m.conversions,
    true,
  )}
  ${card(
    `CPA (${cur})`,
    (m) => money2(m.cpaMicros, cur),
    (m) => m.cpaMicros,
    false,
  )}
  ${card(
    'ROAS (value ÷ spend)',
    (m) => ratio(m.roas),
    (m) => m.roas,
    true,
  )}
</section>`;
}

function pacingSection(rows: readonly PacingRow[]) {
  if (!rows.length) return '';
  return html`<section id="pacing"><h2>Budget pacing this month</h2>
<table class="pacing"><thead><tr><th>Account</th><th>Month to date</th><th>Monthly budget</th><th>Forecast to month end</th><th>Verdict</th></tr></thead><tbody>
${rows.map(({ account: a, pacing: p, today, marginPercent }) => {
  const cur = a.currency;
  const budget = p.budgetMicros;
  const verdict =
    budget === null
      ? html`<span class="muted">No monthly budget set</span>`
      : p.alert
        ? html`<strong class="bad-text" role="alert">⚠ Heading over budget by ${Math.round(p.overBy! * 100)} %</strong>`
        : p.overBy! > 0
          ? html`<span class="warn">Forecast ${Math.round(p.overBy! * 100)} % over budget (within the ${marginPercent} % margin)</span>`
          : html`<span class="change up">On track: ${Math.round((p.forecastMicros / budget) * 100)} % of budget</span>`;
  return html`<tr class="${p.alert ? 'bad' : ''}"><td>${a.name}<br><small>${PLATFORM_LABELS[a.platform]} · ${p.month}, day ${Number(today.slice(8))} of ${p.daysInMonth}</small></td>
<td>${money(p.monthToDateMicros, cur)}${budget ? html`<br><progress max="${budget}" value="${Math.min(p.monthToDateMicros, budget)}" aria-label="spent of budget">${pct(p.monthToDateMicros / budget)}</progress> <small>${pct(p.monthToDateMicros / budget)}</small>` : ''}</td>
<td>${money(budget, cur)}</td>
<td>${money(p.forecastMicros, cur)}${budget ? html`<br><meter min="0" max="${Math.max(budget, p.forecastMicros)}" high="${budget}" optimum="0" value="${p.forecastMicros}" aria-label="forecast against budget"></meter>` : ''}<br><small>at ${money(p.recentDailyMicros, cur)} a day (last ${Math.min(7, p.completeDays) || 1} day(s))</small></td>
<td>${verdict}</td></tr>`;
})}
</tbody></table>
<p class="hint">The forecast is the spend through yesterday plus the last week's daily pace for the days left; today counts as a full day at that pace.</p>
</section>`;
}

interface FormState {
  status: 400 | 409;
  form: 'account' | 'budget';
  /** The account whose budget form failed. */
  accountId?: number;
  errors: string[];
  values: Record<string, string>;
}

function campaignCell(
  r: CampaignRow,
  show: (m: Metrics) => string,
  value: (m: Metrics) => number | null,
  goodWhenUp: boolean | null,
) {
  return html`<td>${show(r.current)}${delta(value(r.current), value(r.previous), goodWhenUp, show(r.previous))}</td>`;
}

function campaignTable(c: Context<Env>, v: AdsView, all: readonly CampaignRow[]) {
  const { sort, desc, page } = campaignOrder(c);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const shown = sortCampaigns(all, sort, desc).slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const here = (extra: Record<string, string | number | undefined>) =>
    `/ads?${viewQuery(v, extra)}#campaigns`;
  const sortLink = (s: CampaignSort, label: string) => {
    const nextDesc = s === sort ? !desc : s !== 'name';
    return html`<a href="${here({ sort: s, dir: nextDesc ? 'desc' : 'asc' })}">${label}${s === sort ? (desc ? ' ↓' : ' ↑') : ''}</a>`;
  };
  return html`<section id="campaigns"><h2>Campaigns</h2>
<p><a href="/ads/export.csv?${viewQuery(v, { sort, dir: desc ? 'desc' : 'asc' })}">Download (CSV)</a> · ${all.length} campaign(s) · ${v.from} … ${v.to}, compared with ${v.prevFrom} … ${v.prevTo}${pages > 1 ? html` · page ${page} of ${pages}` : ''}</p>
<table class="campaigns"><thead><tr><th>${sortLink('name', 'Campaign')}</th><th>${sortLink('spend', 'Spend')}</th><th>${sortLink('change', 'Spend change')}</th><th>${sortLink('clicks', 'Clicks')}</th><th>${sortLink('ctr', 'CTR')}</th><th>${sortLink('cpc', 'CPC')}</th><th>${sortLink('conversions', 'Conversions')}</th><th>${sortLink('cpa', 'CPA')}</th><th>${sortLink('roas', 'ROAS')}</th></tr></thead><tbody>
${shown.map((r) => {
  const n = r.current;
  const p = r.previous;
  const d = change(n.costMicros, p.costMicros);
  return html`<tr><td>${r.name}<br><small>${r.account} · ${PLATFORM_LABELS[r.platform]}</small></td>
<td>${money(n.costMicros, r.currency)}<br><small class="muted">before: ${money(p.costMicros, r.currency)}</small></td>
<td>${d === null ? (p.costMicros === 0 && n.costMicros > 0 ? 'new' : '—') : `${d > 0 ? '+' : d < 0 ? '−' : ''}${Math.abs(d * 100).toFixed(0)} %`}</td>
${campaignCell(
  r,
  (m) => count(m.clicks),
  (m) => m.clicks,
  true,
)}${campaignCell(
    r,
    (m) => pct(m.ctr, 2),
    (m) => m.ctr,
    true,
  )}${campaignCell(
    r,
    (m) => money2(m.cpcMicros, r.currency),
    (m) => m.cpcMicros,
    false,
  )}
${campaignCell(
  r,
  (m) => count(m.conversions),
  (m) => m.conversions,
  true,
)}${campaignCell(
    r,
    (m) => money2(m.cpaMicros, r.currency),
    (m) => m.cpaMicros,
    false,
  )}${campaignCell(
    r,
    (m) => ratio(m.roas),
    (m) => m.roas,
    true,
  )}</tr>`;
})}
</tbody></table>
${
  pages > 1
    ? html`<p class="pager">${page > 1 ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page - 1 })}">← previous</a>` : ''} ${page < pages ? html`<a href="${here({ sort, dir: desc ? 'desc' : 'asc', page: page + 1 })}">next →</a>` : ''}</p>`
    : ''
}
</section>`;
}

function syncCell(c: Context<Env>, site: SiteRow, accountId: number) {
  const syncs = listSyncs(c.get('deps').db, accountId, 10);
  const last = syncs[0];
  if (!last) return html`<span class="muted">never pulled or imported</span>`;
  const lastOk = syncs.find((s) => s.status === 'ok');
  const cls = { ok: 'ok', failed: 'failed', pending: 'interrupted', running: 'running' }[last.status];
  return html`<span class="status ${cls}">${last.status}</span> ${last.kind} ${fmtTime(last.finishedAt ?? last.startedAt, site.timeZone)}
<br><small>${last.dateFrom} … ${last.dateTo}${last.rows !== null ? `, ${last.rows} row(s)` : ''}</small>
${last.status === 'pending' ? html`<br><small class="warn">The platform is still building the report; the next run picks it up.</small>` : ''}
${last.error ? html`<br><small class="bad-text">${last.error}</small>` : ''}
${last.status !== 'ok' && lastOk ? html`<br><small class="muted">last good: ${fmtTime(lastOk.finishedAt, site.timeZone)}</small>` : ''}`;
}

function accountsSection(c: Context<Env>, site: SiteRow, state?: FormState) {
  const accounts = listAccounts(c.get('deps').db, site.id);
  const val = (k: string) => (state?.form === 'account' ? (state.values[k] ?? '') : '');
  const errors = (form: FormState['form'], accountId?: number) =>
    state?.form === form && state.accountId === accountId
      ? html`<div class="flash bad" role="alert">${form === 'account' ? 'Account not added' : 'Budget not set'}:<ul>${state.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
      : '';
  const platform = val('platform') || 'yandex-direct';
  return html`<section id="accounts"><h2>Ad accounts</h2>
${errors('budget', state?.accountId)}
${
  accounts.length
    ? html`<table><thead><tr><th>Account</th><th>Currency · time zone</th><th>VAT in cost</th><th>Credentials</th><th>Last sync</th><th>Monthly budget</th></tr></thead><tbody>
${accounts.map(
  (a) => html`<tr><td>${a.name}<br><small>${PLATFORM_LABELS[a.platform]} · ${a.externalId}</small></td>
<td>${a.currency}<br><small>${a.timeZone}</small></td><td>${a.costIncludesVat ? 'included' : 'not included'}</td>
<td>${Object.keys(a.credentials).length ? html`${Object.entries(a.credentials).map(([k, ref]) => html`<small>${k} ← $${ref.env}</small><br>`)}` : html`<small class="muted">from the config</small>`}</td>
<td>${syncCell(c, site, a.id)}</td>
<td><form method="post" action="/ads/accounts/${a.id}/budget" class="inline">${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
<label>${a.currency} <input type="text" name="budget" size="10" inputmode="decimal" placeholder="none" value="${state?.form === 'budget' && state.accountId === a.id ? (state.values.budget ?? '') : decimal(a.monthlyBudgetMicros)}"></label>
<button type="submit">Set</button></form></td></tr>`,
)}
</tbody></table>`
    : ''
}
<h3>Add an account</h3>
${errors('account')}
<form method="post" action="/ads/accounts" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>Platform <select name="platform">${PLATFORMS.map((p) => html`<option value="${p}"${p === platform ? html` selected` : ''}>${PLATFORM_LABELS[p]}</option>`)}</select></label>
  <label>External id <input type="text" name="external_id" required maxlength="100" placeholder="client login, customer id, act_…" value="${val('external_id')}"></label>
  <label>Name <input type="text" name="name" required maxlength="200" value="${val('name')}"></label>
  <label>Currency <input type="text" name="currency" required size="4" maxlength="3" placeholder="RUB" value="${val('currency')}"></label>
  <label>Time zone <input type="text" name="time_zone" required value="${val('time_zone') || site.timeZone}"></label>
  <label><input type="checkbox" name="vat" value="1"${val('vat') ? html` checked` : ''}> Cost includes VAT</label>
  <label>Monthly budget <input type="text" name="budget" size="10" inputmode="decimal" placeholder="optional" value="${val('budget')}"></label>
  <label>Lookback days <input type="text" name="lookback" size="3" placeholder="default" value="${val('lookback')}"></label>
  <fieldset class="credentials"><legend>Credentials for this account only: the <em>names</em> of environment variables (otherwise providers.&lt;platform&gt; in the config is used)</legend>
  ${ALL_CREDENTIAL_KEYS.map(
    (k) =>
      html`<label>${k} env var <small>(${PLATFORMS.filter((p) => CREDENTIAL_KEYS[p].includes(k))
        .map((p) => PLATFORM_LABELS[p])
        .join(
          ', ',
        )})</small> <input type="text" name="cred_${k}" size="26" pattern="[A-Z_][A-Z0-9_]*" placeholder="${CREDENTIAL_EXAMPLES[k] ?? 'ENV_VAR_NAME'}" autocomplete="off" value="${val(`cred_${k}`)}"></label>`,
  )}
  </fieldset>
  <button type="submit">Add account</button>
</form>
<p class="hint">Never paste a token here: put it in the environment of the promowatch process and give the variable's name; the pull-ads job reads it when it runs. From the command line: <code>promowatch ads accounts add --platform yandex-direct --id LOGIN --name NAME --currency RUB --site ${site.name}</code>; remove an account with <code>promowatch ads accounts remove --account ID</code>.</p>
</section>`;
}

function filterForm(v: AdsView) {
  const sel = (name: string, options: readonly (readonly [string, string])[], value: string) =>
    html`<select name="${name}">${options.map(([o, label]) => html`<option value="${o}"${o === value ? html` selected` : ''}>${label}</option>`)}</select>`;
  return html`<form method="get" action="/ads" class="inline">
  <input type="hidden" name="site" value="${v.site.name}">
  <label>Period ${sel('days', [...PERIOD_DAYS.map((d) => [String(d), `last ${d} days`] as const), ['', 'from … to']], v.days === null ? '' : String(v.days))}</label>
  <label>From <input type="date" name="from" value="${v.days === null ? v.from : ''}"></label>
  <label>To <input type="date" name="to" value="${v.days === null ? v.to : ''}"></label>
  <label>By ${sel(
    'period',
    GRANULARITIES.map((g) => [g, g] as const),
    v.period,
  )}</label>
  <label>Stack by ${sel(
    'group',
    GROUPS.map((g) => [g, g] as const),
    v.group,
  )}</label>
  <label>Platform ${sel('platform', [['', 'all'], ...PLATFORMS.map((p) => [p, PLATFORM_LABELS[p]] as const)], v.platform ?? '')}</label>
  ${
    v.canConvert
      ? html`<label>Currency ${sel(
          'convert',
          [
            ['0', 'per currency'],
            ['1', 'converted'],
          ],
          v.conversion ? '1' : '0',
        )}</label>`
      : ''
  }
  <button type="submit">Show</button>
</form>`;
}

function adsPage(c: Context<Env>, site: SiteRow, v: AdsView, state?: FormState) {
  const { db, config, now } = c.get('deps');
  const accounts = listAccounts(db, site.id);
  const totals = cachedTotals(db, v);
  const campaigns = cachedCampaigns(db, v);
  const hasData = totals.some((t) => t.current.costMicros > 0 || t.current.impressions > 0);
  const pacing = pacingRows(db, config, site, now(), v.platform);
  const anomalies = anomalyRows(db, site.id, 50, v.platform);
  const conv = v.conversion;
  const chartsFor = (cur: string | null) => {
    const src = `/api/ads/trend?${viewQuery(v, { currency: cur ?? undefined })}`;
    const unit = cur ?? conv?.base ?? '';
    return html`<section class="charts"${cur ? html` data-currency="${cur}"` : ''}>
  ${chart('spend', `Spend by ${v.group} per ${v.period}, ${unit}`, src, true)}
  ${chart('cpc', `Cost per click, ${unit}`, src)}
  ${chart('cpa', `Cost per conversion, ${unit}`, src)}
  ${chart('roas', 'ROAS (conversion value ÷ spend)', src)}
</section>`;
  };
  const perCurrency = totals.length > 1;
  const added = c.req.query('added');
  if (state) c.status(state.status);
  return layout(
    c,
    'Ads',
    html`
${added ? html`<p class="flash">Account added. The pull-ads job pulls its statistics on its next run (or use “Run now” on the Jobs page); a platform's export can be imported with <code>promowatch ads import FILE --platform P --site ${site.name}</code>.</p>` : ''}
${filterForm(v)}
${
  conv
    ? html`<p class="note">Amounts in ${conv.base}, converted at the rates in the config (as of ${conv.asOf ?? 'no date given'}): ${Object.entries(
        conv.rates,
      )
        .map(([k, r]) => `1 ${k} = ${r} ${conv.base}`)
        .join(', ')}.</p>`
    : v.conversionNote
      ? html`<p class="note warn">${v.conversionNote}</p>`
      : perCurrency
        ? html`<p class="note">Accounts in ${totals.map((t) => t.currency).join(' and ')}: totals are shown per currency and never added together. Add <code>"currency": {"base": "…", "rates": {…}}</code> to the config to see one total.</p>`
        : ''
}
${
  accounts.length === 0
    ? emptyState(
        'No ad accounts yet.',
        `Add one below, or from the command line: promowatch ads accounts add --platform yandex-direct --id LOGIN --name NAME --currency RUB --site ${site.name} — or import a platform's export: promowatch ads import FILE --platform P --site ${site.name}`,
      )
    : !hasData
      ? emptyState(
          `No ad statistics from ${v.from} to ${v.to}${v.platform ? ` for ${PLATFORM_LABELS[v.platform]}` : ''}.`,
          `The pull-ads job fills this from the platforms' APIs; or import an export: promowatch ads import FILE --platform P --site ${site.name}`,
        )
      : html`<p class="hint">${v.from} … ${v.to} against the ${v.prevFrom} … ${v.prevTo} before it. ${accounts.some((a) => a.costIncludesVat) ? 'Accounts marked “VAT included” report cost with VAT.' : ''}</p>
${totals.map((t) => html`${perCurrency ? html`<h2>In ${t.currency}</h2>` : ''}${cards(t.currency, t.current, t.previous)}${chartsFor(perCurrency ? t.currency : null)}`)}`
}
${pacingSection(pacing)}
${hasData ? campaignTable(c, v, campaigns) : ''}
${
  anomalies.length
    ? html`<section id="anomalies"><h2>Anomalies</h2><table><thead><tr><th>Day</th><th>What</th><th>Campaign</th><th>Message</th></tr></thead><tbody>
${anomalies.map((a) => html`<tr><td>${a.day}</td><td><span class="sev warning">${a.kind}</span></td><td>${a.campaign}<br><small>${a.account} · ${PLATFORM_LABELS[a.platform]}</small></td><td>${a.message}</td></tr>`)}
</tbody></table></section>`
    : ''
}
${accountsSection(c, site, state)}`,
  );
}

/** The site a form names (field "site"), made the request's site so the page renders for it. */
async function formSite(c: Context<Env>) {
  const body = await c.req.parseBody();
  const site = c.get('sites').find((s) => s.name === body.site) ?? null;
  if (site) c.set('site', site);
  const values: Record<string, string> = {};
  for (const [k, x] of Object.entries(body)) if (typeof x === 'string' && k !== '_csrf') values[k] = x;
  return { site, values };
}

function pageOr400(c: Context<Env>, site: SiteRow, state?: FormState) {
  const v = adsView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  return adsPage(c, site, v, state);
}

/** An amount as typed ("150 000", "1500,50") → micros; '' → null; undefined when it is no amount. */
function parseAmount(text: string | undefined): number | null | undefined {
  const t = (text ?? '').replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (t === '' || t === 'none') return null;
  const m = decimalToMicros(t);
  return m === null || m < 0 ? undefined : m;
}

export const adsPages = new Hono<Env>()
  .get('/ads', (c) => {
    const site = c.get('site');
    if (!site) return layout(c, 'Ads', emptyState('No site is configured yet.', ''));
    return pageOr400(c, site);
  })
  .post('/ads/accounts', async (c) => {
    const { db, now } = c.get('deps');
    const { site, values } = await formSite(c);
    if (!site) return c.text(`Unknown site "${values.site ?? ''}"`, 400);
    const given = (k: string) => values[k]?.trim() ?? '';
    const platform = given('platform') as Platform;
    const problems: string[] = [];
    const kept = Object.fromEntries(ACCOUNT_FIELDS.map((k) => [k, values[k] ?? '']));
    const credentials: Record<string, { env: string }> = {};
    for (const key of ALL_CREDENTIAL_KEYS) {
      const env = given(`cred_${key}`);
      if (!env) continue;
      if (looksLikeSecret(env)) {
        // Said without repeating what was typed, and not kept in the re-shown form: it may be the secret.
        problems.push(
          `${key} env var must be the name of an environment variable like DIRECT_TOKEN_CLIENT2 (capitals, digits, underscores), never the secret itself: put the secret in the server's environment and give its name here`,
        );
        continue;
      }
      kept[`cred_${key}`] = env;
      if (PLATFORMS.includes(platform) && !CREDENTIAL_KEYS[platform].includes(key))
        problems.push(
          `${key} is not a credential of ${PLATFORM_LABELS[platform]} (it reads ${CREDENTIAL_KEYS[platform].join(', ')})`,
        );
      else credentials[key] = { env };
    }
    const budget = parseAmount(values.budget);
    if (budget === undefined) problems.push(`monthly budget must be an amount like 150000 or 1500.50`);
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
    problems.push(...accountProblems(input));
    if (problems.length)
      return pageOr400(c, site, { status: 400, form: 'account', errors: problems, values: kept });
    const externalId = platform === 'google-ads' ? input.externalId.replace(/-/g, '') : input.externalId;
    const existing = findAccount(db, platform, externalId);
    if (existing)
      return pageOr400(c, site, {
        status: 409,
        form: 'account',
        errors: [
          `${PLATFORM_LABELS[platform]} account ${externalId} is already added${existing.siteId === site.id ? '' : ' (to another site)'}`,
        ],
        values: kept,
      });
    insertAccount(db, site.id, input, now());
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}&added=1#accounts`, 303);
  })
  .post('/ads/accounts/:id{[0-9]+}/budget', async (c) => {
    const { db } = c.get('deps');
    const { site, values } = await formSite(c);
    if (!site) return c.text(`Unknown site "${values.site ?? ''}"`, 400);
    const account = getAccount(db, Number(c.req.param('id')));
    if (!account || account.siteId !== site.id) return c.text('No such ad account for this site', 404);
    const budget = parseAmount(values.budget);
    if (budget === undefined)
      return pageOr400(c, site, {
        status: 400,
        form: 'budget',
        accountId: account.id,
        errors: [`${account.name}: monthly budget must be an amount like 150000 or 1500.50 (empty for none)`],
        values: { budget: values.budget ?? '' },
      });
    setBudget(db, account.id, budget);
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}#pacing`, 303);
  })
  .get('/ads/export.csv', (c) => {
    const site = c.get('site');
    if (!site) return c.text('No site', 404);
    const v = adsView(c, site);
    if (typeof v === 'string') return c.text(v, 400);
    const { sort, desc } = campaignOrder(c);
    const num = (micros: number | null) => (micros === null ? null : micros / 1e6);
    const rows = sortCampaigns(cachedCampaigns(c.get('deps').db, v), sort, desc)
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
    return csvDownload(c, `${site.name}-ads-${v.from}-${v.to}.csv`, rows, CSV_COLUMNS);
  });

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
];
