// Ads page: budget pacing first, then spend and results per currency against the previous period, charts, the
// campaign table, anomalies (web/pages/ads-sections.ts), the accounts section (web/pages/ads-accounts.ts)
// and its forms, and the CSV download (web/pages/ads-export.ts).
// Every word comes from src/i18n/messages/ads.ts; numbers, money and dates from the request's Formatter.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
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
import { formatter } from '../../src/i18n/index.ts';
import { anomalyRows, pacingRows } from '../../src/ads/current.ts';
import { cachedCampaigns, cachedTotals } from '../../src/ads/report-data.ts';
import { GRANULARITIES, GROUPS, viewQuery, type AdsView } from '../../src/ads/report-view.ts';
import { adsView, PERIOD_DAYS } from '../views/ads.ts';
import { adsExport } from './ads-export.ts';
import { anomaliesSection, campaignTable, cards, chart, pacingSection, sayFor } from './ads-sections.ts';
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
import { mayWrite } from '../access.ts';
import type { Env } from '../types.ts';

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

async function adsPage(c: Context<Env>, site: SiteRow, v: AdsView, state?: FormState) {
  const { sql, config, now } = c.get('deps');
  const s = sayFor(c);
  const { t, fmt } = s;
  const accounts = await listAccounts(sql, site.id);
  const accountsHtml = await accountsSection(c, site, state);
  const totals = await cachedTotals(sql, v);
  const campaigns = await cachedCampaigns(sql, v);
  const hasData = totals.some((x) => x.current.costMicros > 0 || x.current.impressions > 0);
  const pacing = await pacingRows(sql, config, site, now(), v.platform);
  const anomalies = await anomalyRows(sql, site.id, 50, v.platform);
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
    ? html`<section class="empty"><p>${t.empty.noAccounts}</p>${mayWrite(c, site.id) ? html`<p class="hint">${t.empty.noAccountsHint}<br>${addCommand(site)}<br>${importCommand(site)}</p>` : ''}</section>`
    : !hasData
      ? html`<section class="empty"><p>${t.empty.noStats(fmt.dayRange(v.from, v.to), v.platform ? (t.platforms[v.platform] ?? v.platform) : null)}</p><p class="hint">${t.empty.noStatsHint} ${importCommand(site)}</p></section>`
      : html`<p class="hint">${t.notes.range(fmt.dayRange(v.from, v.to), fmt.dayRange(v.prevFrom, v.prevTo))} ${accounts.some((a) => a.costIncludesVat) ? t.notes.vat : ''}${v.to >= v.today && v.from < v.today ? html` ${t.notes.todaySoFar(fmt.day(addDays(v.today, -1)))}` : ''}</p>
${totals.map((x) => html`${perCurrency ? html`<h2>${t.notes.inCurrency(x.currency)}</h2>` : ''}${cards(s, x)}${chartsFor(perCurrency ? x.currency : null)}`)}`
}
${hasData ? campaignTable(c, v, campaigns) : ''}
${anomaliesSection(s, anomalies)}
${accountsHtml}`,
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

async function pageOr400(c: Context<Env>, site: SiteRow, state?: FormState) {
  const v = await adsView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  return adsPage(c, site, v, state);
}

export const adsPages = new Hono<Env>()
  .get('/ads', async (c) => {
    const site = c.get('site');
    const { common } = c.get('t');
    if (!site) return layout(c, common.nav.ads, emptyState(common.noSite, common.noSiteHint));
    return pageOr400(c, site);
  })
  .post('/ads/accounts', async (c) => {
    const { sql, now } = c.get('deps');
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
    const existing = await findAccount(sql, platform, externalId);
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
    await insertAccount(sql, site.id, input, now());
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}&added=1#accounts`, 303);
  })
  .post('/ads/accounts/:id{[0-9]+}/budget', async (c) => {
    const { sql } = c.get('deps');
    const { t, common } = sayFor(c);
    const { site, values } = await formSite(c);
    if (!site) return c.text(common.errors.unknownSite(values.site ?? ''), 400);
    const account = await getAccount(sql, Number(c.req.param('id')));
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
    await setBudget(sql, account.id, budget);
    return c.redirect(`/ads?site=${encodeURIComponent(site.name)}#pacing`, 303);
  })
  .route('/', adsExport);
