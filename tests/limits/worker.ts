// One worker process of tests/limits/processes.test.ts, standing in for a `promowatch worker` on another
// machine: it opens the shared PostgreSQL database and either
//   fetch URL_FILE CONCURRENCY MIN_GAP_MS — fetches every URL in the JSON file through a host slot, 6 at a
//     time inside this process, and prints {"served": n} when done; or
//   quota TRIES LIMIT — races TRIES reservations of one unit (10 at a time) against a day limit of
//     LIMIT and prints {"granted": n}.
// Usage: node --import tsx tests/limits/worker.ts DATABASE_URL fetch|quota …
import { readFileSync } from 'node:fs';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { hostKey, withSlot } from '../../src/limits/host-slots.ts';
import { reserve } from '../../src/limits/quota.ts';

/** Runs `jobs` with at most `width` at once. */
async function pool<T>(width: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

async function fetchAll(sql: Sql, urls: string[], concurrency: number, minGapMs: number) {
  const now = () => new Date();
  const statuses = await pool(
    6,
    urls.map(
      (url) => () =>
        withSlot(
          sql,
          hostKey(new URL(url).pathname.split('/')[1]!),
          { concurrency, minGapMs, leaseMs: 30_000 },
          { now },
          async () => {
            // The moment this request starts, as the server's record of starts reads it.
            const res = await fetch(url, { headers: { 'x-started-at': String(Date.now()) } });
            await res.arrayBuffer();
            return res.status;
          },
        ),
    ),
  );
  return { served: statuses.filter((s) => s === 200).length };
}

async function reserveRace(sql: Sql, tries: number, limit: number) {
  const now = new Date('2026-11-01T08:00:00Z');
  const got = await pool(
    10,
    Array.from({ length: tries }, () => () => reserve(sql, 'race-api', 1, { day: limit }, now)),
  );
  return { granted: got.filter((g) => g.granted).length };
}

const [url, mode, ...args] = process.argv.slice(2);
const sql = await openStore({ kind: 'postgres', url: url! });
try {
  const result =
    mode === 'fetch'
      ? await fetchAll(
          sql,
          JSON.parse(readFileSync(args[0]!, 'utf8')) as string[],
          Number(args[1]),
          Number(args[2]),
        )
      : await reserveRace(sql, Number(args[0]), Number(args[1]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await sql.close();
}
