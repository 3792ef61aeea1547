// Stores a platform's UI export for one ad account: the file's date range is replaced in one transaction
// (the file is the truth for those days), and the import is recorded like a sync. All or nothing.
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { parseAdsExport } from './imports/index.ts';
import { finishSync, listAccounts, replaceWindow, startSync } from './store.ts';
import { platformName } from './registry.ts';
import type { AdAccount, Platform } from './types.ts';

export type AdsImportResult =
  { account: AdAccount; rows: number; from: string; to: string; warnings: string[] } | { errors: string[] };

/** The account a file goes to: named by id or external id, or the site's only account of the platform. */
export async function pickAccount(
  sql: Sql,
  site: SiteRow,
  platform: Platform,
  ref?: string,
): Promise<AdAccount | string> {
  const accounts = (await listAccounts(sql, site.id)).filter((a) => a.platform === platform);
  const name = platformName(platform);
  if (ref !== undefined) {
    const a = accounts.find(
      (x) => String(x.id) === ref || x.externalId === ref || x.externalId === ref.replace(/-/g, ''),
    );
    return a ?? `no ${name} account "${ref}" for site ${site.name}; see: promowatch ads accounts`;
  }
  if (accounts.length === 1) return accounts[0]!;
  return accounts.length === 0
    ? `site ${site.name} has no ${name} account yet: add one with promowatch ads accounts add`
    : `site ${site.name} has ${accounts.length} ${name} accounts: say which with --account`;
}

export async function importAdsFile(
  sql: Sql,
  site: SiteRow,
  bytes: Uint8Array,
  platform: Platform,
  accountRef: string | undefined,
  now: Date,
): Promise<AdsImportResult> {
  const account = await pickAccount(sql, site, platform, accountRef);
  if (typeof account === 'string') return { errors: [account] };
  const parsed = parseAdsExport(bytes, platform, { currency: account.currency });
  if (parsed.errors.length) return { errors: parsed.errors.map((e) => `line ${e.line}: ${e.message}`) };
  if (parsed.rows.length === 0 || !parsed.range) return { errors: ['the file has no daily rows'] };
  if (parsed.currency && parsed.currency !== account.currency)
    return {
      errors: [
        `the file is in ${parsed.currency} but account ${account.name} is in ${account.currency}: money is never mixed across currencies`,
      ],
    };
  const { from, to } = parsed.range;
  const rows = await sql.transaction(async (tx) => {
    const syncId = await startSync(tx, account.id, 'import', from, to, null, now);
    const n = await replaceWindow(tx, account.id, from, to, parsed.rows, 'import');
    await finishSync(tx, syncId, { status: 'ok', rows: n }, now);
    return n;
  });
  return { account, rows, from, to, warnings: parsed.warnings };
}
