// The Ads page's accounts section: each account with its credentials, last sync and monthly budget form,
// and the form that adds one; the credential rules and amount parsing its POST handlers share (web/pages/ads.ts).
import type { Context } from 'hono';
import { html } from 'hono/html';
import { listAccounts, listSyncs, type SyncRow } from '../../src/ads/store.ts';
import { AD_PLATFORMS, platformById } from '../../src/ads/registry.ts';
import { decimalToMicros, type Platform } from '../../src/ads/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { csrfField, readOnlyNote } from '../layout.ts';
import { mayWrite } from '../access.ts';
import type { Env } from '../types.ts';

/** The words and Formatter of the request. */
const sayFor = (c: Context<Env>) => ({ t: c.get('t').ads, fmt: c.get('fmt') });

/** Per-account credentials a platform reads: the secret settings its file declares. */
export const credentialKeys = (platform: Platform): readonly string[] =>
  platformById(platform)?.secrets ?? [];
/** Every credential any platform reads, each once, in the registry's order. */
export const allCredentialKeys = () => [...new Set(AD_PLATFORMS.flatMap((p) => p.secrets))];
const credentialExample = (key: string) =>
  AD_PLATFORMS.map((p) => p.secretExamples[key]).find(Boolean) ?? 'ENV_VAR_NAME';
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
/**
 * An environment variable's name, or the secret pasted in its place? Tokens are long runs of letters and
 * digits; names are words joined by underscores. A long name without an underscore, or with a long run
 * of digits, is refused rather than stored in the database in clear.
 */
export const looksLikeSecret = (s: string) =>
  !ENV_NAME.test(s) || (s.length >= 20 && !s.includes('_')) || /[0-9]{6,}/.test(s) || /[A-Z0-9]{24,}/.test(s);

export const ACCOUNT_FIELDS = [
  'platform',
  'external_id',
  'name',
  'currency',
  'time_zone',
  'vat',
  'budget',
  'lookback',
];

/** A budget as the input shows it back: a plain decimal the form parses again, not a display. */
const decimal = (micros: number | null) => (micros === null ? '' : String(micros / 1e6));

export interface FormState {
  status: 400 | 409;
  form: 'account' | 'budget';
  /** The account whose budget form failed. */
  accountId?: number;
  errors: string[];
  values: Record<string, string>;
}

/**
 * An account's last sync: its status, when, the days and rows it covered. A failure is said in the
 * reader's language; what the platform (or the network) answered stays as it came, under Details.
 */
function syncCell(c: Context<Env>, syncs: SyncRow[]) {
  const { t, fmt } = sayFor(c);
  const last = syncs[0];
  if (!last) return html`<span class="muted">${t.sync.never}</span>`;
  const lastOk = syncs.find((x) => x.status === 'ok');
  const cls = { ok: 'ok', failed: 'failed', pending: 'interrupted', running: 'running' }[last.status];
  const summary =
    last.status === 'pending'
      ? html`<br><small class="warn">${t.sync.pending}</small>`
      : last.status === 'failed'
        ? html`<br><small class="bad-text">${last.kind === 'import' ? t.sync.importFailed : t.sync.pullFailed}</small>`
        : '';
  return html`<span class="status ${cls}">${t.sync.status[last.status]}</span> ${t.sync.kind[last.kind]} ${fmt.dateTime(last.finishedAt ?? last.startedAt)}
<br><small>${fmt.dayRange(last.dateFrom, last.dateTo)}${last.rows !== null ? `, ${t.sync.rows(last.rows)}` : ''}</small>
${summary}
${last.error ? html`<details class="upstream"><summary>${t.sync.details}</summary><small>${last.error}</small></details>` : ''}
${last.status !== 'ok' && lastOk ? html`<br><small class="muted">${t.sync.lastGood(fmt.dateTime(lastOk.finishedAt))}</small>` : ''}`;
}

/** A command to copy: machine text, never translated. */
export const command = (text: string) => html`<code>${text}</code>`;
export const addCommand = (site: SiteRow) =>
  command(
    `promowatch ads accounts add --platform yandex-direct --id LOGIN --name NAME --currency RUB --site ${site.name}`,
  );
export const importCommand = (site: SiteRow) =>
  command(`promowatch ads import FILE --platform P --site ${site.name}`);

export async function accountsSection(c: Context<Env>, site: SiteRow, state?: FormState) {
  const { t } = sayFor(c);
  const w = t.accounts;
  const { sql } = c.get('deps');
  const accounts = await listAccounts(sql, site.id);
  // Each account's last ten syncs, read before the table is drawn.
  const syncs = new Map<number, SyncRow[]>();
  for (const a of accounts) syncs.set(a.id, await listSyncs(sql, a.id, 10));
  const val = (k: string) => (state?.form === 'account' ? (state.values[k] ?? '') : '');
  const errors = (form: FormState['form'], accountId?: number) =>
    state?.form === form && state.accountId === accountId
      ? html`<div class="flash bad" role="alert">${form === 'account' ? w.notAdded : w.budgetNotSet}:<ul>${state.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
      : '';
  const lang = c.get('lang');
  const platform = val('platform') || 'yandex-direct';
  // Budgets and the add form are for those whose changes would not be refused; others read the budget.
  const writer = mayWrite(c, site.id);
  const fmt = c.get('fmt');
  return html`<section id="accounts"><h2>${w.heading}</h2>
${errors('budget', state?.accountId)}
${
  accounts.length
    ? html`<div class="table-wrap"><table><thead><tr><th>${w.account}</th><th>${w.currencyZone}</th><th>${w.vat}</th><th>${w.credentials}</th><th>${w.lastSync}</th><th>${w.budget}</th></tr></thead><tbody>
${accounts.map(
  (
    a,
  ) => html`<tr><td>${a.name}<br><small>${platformById(a.platform)?.label[lang] ?? a.platform} · ${a.externalId}</small></td>
<td>${a.currency}<br><small>${a.timeZone}</small></td><td>${a.costIncludesVat ? w.vatIncluded : w.vatExcluded}</td>
<td>${Object.keys(a.credentials).length ? html`${Object.entries(a.credentials).map(([k, ref]) => html`<small>${k} ← $${ref.env}</small><br>`)}` : html`<small class="muted">${w.fromConfig}</small>`}</td>
<td>${syncCell(c, syncs.get(a.id)!)}</td>
<td>${
    writer
      ? html`<form method="post" action="/ads/accounts/${a.id}/budget" class="inline">${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
<label>${a.currency} <input type="text" name="budget" size="10" inputmode="decimal" placeholder="${w.budgetNone}" value="${state?.form === 'budget' && state.accountId === a.id ? (state.values.budget ?? '') : decimal(a.monthlyBudgetMicros)}"></label>
<button type="submit">${w.setBudget}</button></form>`
      : a.monthlyBudgetMicros === null
        ? w.budgetNone
        : fmt.money(a.monthlyBudgetMicros, a.currency)
  }</td></tr>`,
)}
</tbody></table></div>`
    : ''
}
${
  writer
    ? html`<h3>${w.addHeading}</h3>
${errors('account')}
<form method="post" action="/ads/accounts" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>${w.platform} <select name="platform">${AD_PLATFORMS.map((p) => html`<option value="${p.id}"${p.id === platform ? html` selected` : ''}>${p.label[lang]}</option>`)}</select></label>
  <label>${w.externalId} <input type="text" name="external_id" required maxlength="100" placeholder="${w.externalIdPlaceholder}" value="${val('external_id')}"></label>
  <label>${w.name} <input type="text" name="name" required maxlength="200" value="${val('name')}"></label>
  <label>${w.currency} <input type="text" name="currency" required size="4" maxlength="3" placeholder="RUB" value="${val('currency')}"></label>
  <label>${w.timeZone} <input type="text" name="time_zone" required value="${val('time_zone') || site.timeZone}"></label>
  <label><input type="checkbox" name="vat" value="1"${val('vat') ? html` checked` : ''}> ${w.costIncludesVat}</label>
  <label>${w.monthlyBudget} <input type="text" name="budget" size="10" inputmode="decimal" placeholder="${w.optional}" value="${val('budget')}"></label>
  <label>${w.lookback} <input type="text" name="lookback" size="3" placeholder="${w.lookbackDefault}" value="${val('lookback')}"></label>
  <fieldset class="credentials"><legend>${w.credentialsLegend}</legend>
  ${allCredentialKeys().map(
    (k) =>
      html`<label>${w.envVar(k)} <small>(${AD_PLATFORMS.filter((p) => p.secrets.includes(k))
        .map((p) => p.label[lang])
        .join(
          ', ',
        )})</small> <input type="text" name="cred_${k}" size="26" pattern="[A-Z_][A-Z0-9_]*" placeholder="${credentialExample(k)}" autocomplete="off" value="${val(`cred_${k}`)}"></label>`,
  )}
  </fieldset>
  <button type="submit">${w.submit}</button>
</form>
<p class="hint">${w.tokenHint}</p>
<p class="hint">${w.cliAdd} ${addCommand(site)}<br>${w.cliRemove} ${command('promowatch ads accounts remove --account ID')}</p>`
    : readOnlyNote(c)
}
</section>`;
}

/** An amount as typed ("150 000", "1500,50") → micros; '' → null; undefined when it is no amount. */
export function parseAmount(text: string | undefined): number | null | undefined {
  const t = (text ?? '').replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (t === '' || t === 'none') return null;
  const m = decimalToMicros(t);
  return m === null || m < 0 ? undefined : m;
}
