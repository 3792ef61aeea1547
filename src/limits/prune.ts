// Sweeps the limit tables (migration 017) of rows that no longer limit anything, so they stay small;
// the retention job can call it. Nothing here changes what any limit allows.
import type { Sql } from '../db/store/types.ts';

/** Rows that no longer limit anything: passed windows, slots whose lease ran out, buckets idle a day. */
export async function pruneLimits(sql: Sql, now: Date): Promise<void> {
  const t = now.getTime();
  await sql.run('DELETE FROM rate_windows WHERE reset_at_ms <= ?', [t]);
  await sql.run('DELETE FROM limit_holds WHERE lease_until_ms <= ?', [t]);
  // A day refills any bucket the code uses (the API keys' takes 30 s), and a new bucket starts full: nothing changes.
  await sql.run('DELETE FROM rate_buckets WHERE at_ms <= ?', [t - 86_400_000]);
}
