// What retention removed, added up in `meta`, so the counters of /metrics (computed from stored rows)
// never go down when the nightly maintenance prunes old rows: Prometheus would read a drop as a
// restart and draw a spike.
import type { Sql } from '../db/store/types.ts';

const KEY = 'ops.pruned_totals';

export interface PrunedTotals {
  /** "job\tstatus" → runs removed. */
  jobRuns: Record<string, number>;
  /** job → seconds and count of finished runs removed (the job duration summary). */
  jobSeconds: Record<string, { sum: number; count: number }>;
  crawlPages: number;
}

/** The totals so far, as /metrics adds them to the stored rows. */
export async function readPrunedTotals(sql: Sql): Promise<PrunedTotals> {
  return parseTotals(
    (await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [KEY]))?.value,
  );
}

function parseTotals(raw: string | undefined): PrunedTotals {
  const empty: PrunedTotals = { jobRuns: {}, jobSeconds: {}, crawlPages: 0 };
  if (!raw) return empty;
  try {
    return { ...empty, ...(JSON.parse(raw) as Partial<PrunedTotals>) };
  } catch {
    return empty;
  }
}

/** Folds what is about to be deleted into the totals; call inside the pruning transaction (with its `tx`). */
export async function addPrunedTotals(sql: Sql, add: PrunedTotals): Promise<void> {
  const t = await readPrunedTotals(sql);
  for (const [k, n] of Object.entries(add.jobRuns)) t.jobRuns[k] = (t.jobRuns[k] ?? 0) + n;
  for (const [k, v] of Object.entries(add.jobSeconds)) {
    const cur = t.jobSeconds[k] ?? { sum: 0, count: 0 };
    t.jobSeconds[k] = { sum: cur.sum + v.sum, count: cur.count + v.count };
  }
  t.crawlPages += add.crawlPages;
  await sql.run(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    [KEY, JSON.stringify(t)],
  );
}
