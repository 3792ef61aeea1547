// Queries for ad spend: accounts, campaigns, daily rows (replaced per account and window), syncs.
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';
import { messages, type Messages } from '../i18n/index.ts';
import { AD_PLATFORMS, platformById } from './registry.ts';
import type { AdAccount, DailyRow, Platform } from './types.ts';

interface AccountDbRow {
  id: number;
  site_id: number;
  platform: Platform;
  external_id: string;
  name: string;
  currency: string;
  time_zone: string;
  cost_includes_vat: number;
  monthly_budget_micros: number | null;
  credentials: string;
  lookback_days: number | null;
}

function toAccount(r: AccountDbRow): AdAccount {
  return {
    id: r.id,
    siteId: r.site_id,
    platform: r.platform,
    externalId: r.external_id,
    name: r.name,
    currency: r.currency,
    timeZone: r.time_zone,
    costIncludesVat: r.cost_includes_vat === 1,
    monthlyBudgetMicros: r.monthly_budget_micros,
    credentials: JSON.parse(r.credentials) as AdAccount['credentials'],
    lookbackDays: r.lookback_days,
  };
}

export type AccountInput = Omit<AdAccount, 'id' | 'siteId'>;

// `ORDER BY … , id`: two accounts of one platform may share a name; the order must not depend on the backend.
const LIST_ACCOUNTS = 'SELECT * FROM ad_accounts WHERE site_id = ? ORDER BY platform, name, id';

export async function listAccounts(sql: Sql, siteId: number): Promise<AdAccount[]> {
  return (await sql.all<AccountDbRow>(LIST_ACCOUNTS, [siteId])).map(toAccount);
}

export async function getAccount(sql: Sql, id: number): Promise<AdAccount | undefined> {
  const r = await sql.get<AccountDbRow>('SELECT * FROM ad_accounts WHERE id = ?', [id]);
  return r ? toAccount(r) : undefined;
}

export async function findAccount(
  sql: Sql,
  platform: Platform,
  externalId: string,
): Promise<AdAccount | undefined> {
  const r = await sql.get<AccountDbRow>('SELECT * FROM ad_accounts WHERE platform = ? AND external_id = ?', [
    platform,
    externalId,
  ]);
  return r ? toAccount(r) : undefined;
}

/** The words of accountProblems(): English for the CLI, the visitor's language for the dashboard. */
export type AccountProblemWords = Messages['ads']['problems'];

/** Checks an account as a person typed it (CLI flags, the web form); returns problems, one per field. */
export function accountProblems(
  a: Partial<AccountInput>,
  say: AccountProblemWords = messages('en').ads.problems,
): string[] {
  const problems: string[] = [];
  // The database takes any name since migration 015: the registry is the one list of platforms.
  const platform = a.platform ? platformById(a.platform) : undefined;
  if (!platform) problems.push(say.platform(AD_PLATFORMS.map((p) => p.id).join(', ')));
  if (!a.externalId?.trim()) problems.push(say.externalIdEmpty);
  else if (platform?.externalId && !platform.externalId.valid(platform.externalId.normalise(a.externalId)))
    problems.push(say.externalId(platform.name, a.externalId, platform.externalId.rule));
  if (!a.name?.trim()) problems.push(say.nameEmpty);
  if (!a.currency || !/^[A-Z]{3}$/.test(a.currency)) problems.push(say.currency(a.currency ?? ''));
  if (!a.timeZone) problems.push(say.timeZoneEmpty);
  else
    try {
      new Intl.DateTimeFormat('en', { timeZone: a.timeZone });
    } catch {
      problems.push(say.timeZone(a.timeZone));
    }
  if (a.monthlyBudgetMicros != null && !(a.monthlyBudgetMicros >= 0)) problems.push(say.budgetNegative);
  for (const [k, v] of Object.entries(a.credentials ?? {}))
    if (!v || typeof v !== 'object' || !/^[A-Z_][A-Z0-9_]*$/.test(v.env ?? ''))
      problems.push(say.credential(k));
  if (
    a.lookbackDays != null &&
    !(Number.isInteger(a.lookbackDays) && a.lookbackDays >= 1 && a.lookbackDays <= 90)
  )
    problems.push(say.lookback);
  return problems;
}

/** An account's id as the platform's API wants it ("123-456-7890" → "1234567890" for Google Ads). */
export function normalisedExternalId(platform: Platform, typed: string): string {
  return platformById(platform)?.externalId?.normalise(typed) ?? typed.trim();
}

export async function insertAccount(sql: Sql, siteId: number, a: AccountInput, now: Date): Promise<number> {
  const problems = accountProblems(a);
  if (problems.length) throw new Error(`Ad account not added: ${problems.join('; ')}`);
  return (await sql.get<{ id: number }>(
    `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, cost_includes_vat,
           monthly_budget_micros, credentials, lookback_days, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      siteId,
      a.platform,
      normalisedExternalId(a.platform, a.externalId),
      a.name.trim(),
      a.currency,
      a.timeZone,
      a.costIncludesVat ? 1 : 0,
      a.monthlyBudgetMicros,
      JSON.stringify(a.credentials ?? {}),
      a.lookbackDays,
      now.toISOString(),
    ],
  ))!.id;
}

export async function updateAccountFacts(
  sql: Sql,
  id: number,
  facts: { currency?: string; timeZone?: string; name?: string },
): Promise<void> {
  await sql.run(
    `UPDATE ad_accounts SET currency = coalesce(?, currency), time_zone = coalesce(?, time_zone),
       name = coalesce(?, name) WHERE id = ?`,
    [facts.currency ?? null, facts.timeZone ?? null, facts.name ?? null, id],
  );
}

/** The settings a person may change after adding an account (platform, id and currency are the platform's). */
export type AccountSettings = Pick<
  AccountInput,
  'name' | 'timeZone' | 'costIncludesVat' | 'monthlyBudgetMicros' | 'lookbackDays' | 'credentials'
>;

/** Replaces an account's editable settings as a whole (the REST API's PUT); checked like a new account. */
export async function updateAccountSettings(sql: Sql, id: number, s: AccountSettings): Promise<boolean> {
  const current = await getAccount(sql, id);
  if (!current) return false;
  const problems = accountProblems({ ...current, ...s });
  if (problems.length) throw new Error(`Ad account ${id} not changed: ${problems.join('; ')}`);
  await sql.run(
    `UPDATE ad_accounts SET name = ?, time_zone = ?, cost_includes_vat = ?, monthly_budget_micros = ?,
       credentials = ?, lookback_days = ? WHERE id = ?`,
    [
      s.name.trim(),
      s.timeZone,
      s.costIncludesVat ? 1 : 0,
      s.monthlyBudgetMicros,
      JSON.stringify(s.credentials),
      s.lookbackDays,
      id,
    ],
  );
  return true;
}

export async function setBudget(sql: Sql, id: number, micros: number | null): Promise<void> {
  await sql.run('UPDATE ad_accounts SET monthly_budget_micros = ? WHERE id = ?', [micros, id]);
}

export async function deleteAccount(sql: Sql, siteId: number, id: number): Promise<boolean> {
  return (await sql.run('DELETE FROM ad_accounts WHERE id = ? AND site_id = ?', [id, siteId])).changes > 0;
}

/**
 * Replaces an account's rows between two days (inclusive) with `rows`, in one transaction: rows that
 * vanished upstream (a campaign's day revised to nothing) vanish here too. Returns rows written.
 */
export async function replaceWindow(
  sql: Sql,
  accountId: number,
  from: string,
  to: string,
  rows: readonly DailyRow[],
  source: 'api' | 'import',
): Promise<number> {
  const del = 'DELETE FROM ad_stats WHERE account_id = ? AND day BETWEEN ? AND ?';
  // The table is named in the upsert's SET and WHERE: PostgreSQL finds a bare column ambiguous there.
  const campaign = `INSERT INTO ad_campaigns (account_id, campaign_id, name) VALUES (?, ?, ?)
     ON CONFLICT (account_id, campaign_id) DO UPDATE SET name = excluded.name WHERE ad_campaigns.name != excluded.name`;
  const insert = `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, conversions,
       conversion_value_micros, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, day, campaign_id) DO UPDATE SET
       impressions = ad_stats.impressions + excluded.impressions, clicks = ad_stats.clicks + excluded.clicks,
       cost_micros = ad_stats.cost_micros + excluded.cost_micros, conversions = ad_stats.conversions + excluded.conversions,
       conversion_value_micros = ad_stats.conversion_value_micros + excluded.conversion_value_micros`;
  return sql.transaction(async (tx) => {
    await tx.run(del, [accountId, from, to]);
    const names = new Map<string, string>();
    for (const r of rows) {
      if (r.day < from || r.day > to)
        throw new Error(`row for ${r.day} is outside the window ${from}…${to} being replaced`);
      names.set(r.campaignId, r.campaignName);
      // Two rows for one campaign and day (an export split by device or network) add up.
      await tx.run(insert, [
        accountId,
        r.day,
        r.campaignId,
        r.impressions,
        r.clicks,
        r.costMicros,
        r.conversions,
        r.conversionValueMicros,
        source,
      ]);
    }
    for (const [id, name] of names) await tx.run(campaign, [accountId, id, name]);
    return rows.length;
  });
}

export interface SyncRow {
  id: number;
  accountId: number;
  kind: 'api' | 'import';
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed' | 'pending';
  dateFrom: string;
  dateTo: string;
  rows: number | null;
  error: string | null;
  resume: unknown;
}

export async function startSync(
  sql: Sql,
  accountId: number,
  kind: 'api' | 'import',
  from: string,
  to: string,
  runId: number | null,
  now: Date,
): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO ad_syncs (account_id, run_id, kind, started_at, status, date_from, date_to)
     VALUES (?, ?, ?, ?, 'running', ?, ?) RETURNING id`,
    [accountId, runId, kind, now.toISOString(), from, to],
  ))!.id;
}

export async function finishSync(
  sql: Sql,
  id: number,
  outcome: { status: 'ok' | 'failed' | 'pending'; rows?: number; error?: string; resume?: unknown },
  now: Date,
): Promise<void> {
  await sql.run(
    'UPDATE ad_syncs SET finished_at = ?, status = ?, rows = ?, error = ?, resume = ? WHERE id = ?',
    [
      now.toISOString(),
      outcome.status,
      outcome.rows ?? null,
      outcome.error ?? null,
      outcome.resume === undefined ? null : JSON.stringify(outcome.resume),
      id,
    ],
  );
}

export async function listSyncs(sql: Sql, accountId: number, limit = 20): Promise<SyncRow[]> {
  return (
    await sql.all<SyncRow & { resume: string | null }>(
      `SELECT id, account_id AS accountId, kind, started_at AS startedAt, finished_at AS finishedAt, status,
              date_from AS dateFrom, date_to AS dateTo, rows, error, resume
       FROM ad_syncs WHERE account_id = ? ORDER BY id DESC LIMIT ?`,
      [accountId, limit],
    )
  ).map((r) => ({ ...r, resume: r.resume ? (JSON.parse(r.resume) as unknown) : null }));
}

/** The latest sync, if it ended pending: what the next run resumes (the same report request). */
export async function pendingResume(
  sql: Sql,
  accountId: number,
): Promise<{ from: string; to: string; resume: unknown } | null> {
  const r = await sql.get<{ status: string; dateFrom: string; dateTo: string; resume: string | null }>(
    `SELECT status, date_from AS dateFrom, date_to AS dateTo, resume FROM ad_syncs
     WHERE account_id = ? AND kind = 'api' AND status != 'running' ORDER BY id DESC LIMIT 1`,
    [accountId],
  );
  if (!r || r.status !== 'pending' || !r.resume) return null;
  return { from: r.dateFrom, to: r.dateTo, resume: JSON.parse(r.resume) as unknown };
}
