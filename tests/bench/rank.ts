// `npm run bench:rank`: imports 2,000 keywords × 365 days of positions (730,000 rows) and measures the rows
// per second, then loads the Rankings page and its JSON endpoints with autocannon and prints p50/p95/p99
// against the bounds (≥ 200,000 rows/s; p95 < 150 ms).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { JOB_NAMES } from '../../jobs/index.ts';
import { validateConfig } from '../../src/config/load.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { syncSites } from '../../src/db/sites.ts';
import { applyPositionsImport } from '../../src/rank/import-apply.ts';
import { addCompetitor } from '../../src/rank/store.ts';
import { addDays } from '../../src/util/days.ts';

const KEYWORDS = Number(process.env.BENCH_KEYWORDS ?? 2000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const TARGET_ROWS_PER_SECOND = 200_000;
const TARGET_P95_MS = 150;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const cpus = os.cpus();
console.log(
  `Machine: ${cpus.length} CPUs, ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
);
console.log(
  `         load average ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')} before the run`,
);

// A tracker export in our long format: the kind of file `promowatch rank import` reads.
function positionsCsv(today: string): Buffer {
  const lines = ['keyword,engine,device,region,date,position,url'];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < KEYWORDS; k++) {
    const yandex = k % 2 === 1;
    const region = yandex ? 'lr=213' : 'gl=ru;hl=ru';
    const query = `${yandex ? 'видеопродакшн' : 'video production'} ${k} ${k % 3 === 0 ? 'москва' : 'studio'}`;
    let pos = 5 + Math.floor(rnd() * 80);
    for (let d = 0; d < DAYS; d++) {
      pos = Math.max(1, Math.min(130, pos + Math.round((rnd() - 0.52) * 4)));
      const cell = pos > 100 ? '-' : String(pos);
      const url = pos > 100 ? '' : `https://studio.example/p/${k % 50}/`;
      lines.push(
        `${query},${yandex ? 'yandex' : 'google'},desktop,${region},${addDays(today, d - DAYS + 1)},${cell},${url}`,
      );
    }
  }
  // CRLF, as spreadsheet programs and our own CSV exports write it.
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

const dir = mkdtempSync(join(os.tmpdir(), 'promowatch-bench-rank-'));
const dbFile = join(dir, 'bench.db');
const configInput = {
  sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'UTC' }],
};
try {
  const config = validateConfig(configInput, JOB_NAMES);
  const db = openDatabase(dbFile);
  const [site] = await syncSites(storeOf(db), config.sites, new Date());
  const today = new Date().toISOString().slice(0, 10);
  const bytes = positionsCsv(today);
  console.log(
    `\nImport: ${KEYWORDS} keywords × ${DAYS} days = ${KEYWORDS * DAYS} rows, ${(bytes.length / 2 ** 20).toFixed(1)} MB CSV`,
  );
  const t0 = performance.now();
  const result = await applyPositionsImport(storeOf(db), site!, bytes, {}, new Date());
  const seconds = (performance.now() - t0) / 1000;
  if ('errors' in result) throw new Error(`import refused: ${result.errors.slice(0, 3).join('; ')}`);
  const rate = result.observations / seconds;
  console.log(
    `  promowatch rank import: ${result.observations} rows in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} rows/s (parse, validate, insert, daily summary, best positions)`,
  );
  console.log(
    `  bound: ≥ ${TARGET_ROWS_PER_SECOND.toLocaleString('en-US')} rows/s → ${rate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'}`,
  );
  await addCompetitor(storeOf(db), site!.id, 'rival.example', null, new Date());
  const firstKeyword = db.prepare('SELECT min(id) FROM keywords').pluck().get() as number;
  closeDatabase(db);

  const child = fork(
    fileURLToPath(new URL('./dashboard-server.ts', import.meta.url)),
    [dbFile, JSON.stringify(configInput)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}`)));
  });
  const targets = [
    '/rankings?site=studio',
    '/rankings?site=studio&sort=position&page=3',
    '/api/rankings/trend?site=studio&days=365',
    '/api/rankings/trend?site=studio&days=90&engine=yandex&curve=seranking',
    '/api/rankings/keywords?site=studio',
    `/api/rankings/keywords/${firstKeyword}/history?site=studio`,
  ];
  // The dashboard caches what it reads until the database changes; the first request after a write
  // (a job's run, an import) computes everything. Measured here by writing from another connection.
  const writer = openDatabase(dbFile);
  const cold = async (path: string) => {
    writer.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)`).run(String(Math.random()));
    const t = performance.now();
    const r = await fetch(`${url.replace(/\/$/, '')}${path}`);
    await r.arrayBuffer();
    return performance.now() - t;
  };
  console.log(`\nFirst request after a write (nothing cached yet), median of 5:`);
  for (const path of targets) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await cold(path));
    times.sort((a, b) => a - b);
    console.log(`  ${path.padEnd(68)} ${times[2]!.toFixed(0).padStart(5)} ms`);
  }
  closeDatabase(writer);
  console.log(
    `\nLoad: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per endpoint, dashboard in its own process`,
  );
  console.log(
    `  ${'endpoint'.padEnd(68)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  errors`,
  );
  let allMet = true;
  for (const path of targets) {
    const r = await autocannon({
      url: `${url.replace(/\/$/, '')}${path}`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const p95 =
      (r.latency as unknown as Record<string, number>).p97_5 !== undefined
        ? percentile(r, 95)
        : percentile(r, 95);
    const bad = r.errors + r.timeouts + (r.non2xx ?? 0);
    if (p95 >= TARGET_P95_MS || bad > 0) allMet = false;
    console.log(
      `  ${path.padEnd(68)} ${r.requests.average.toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(7)} ${p95.toFixed(0).padStart(7)} ${String(r.latency.p99).padStart(7)}  ${bad}`,
    );
  }
  console.log(
    `  bound: p95 < ${TARGET_P95_MS} ms on every endpoint, no errors → ${allMet ? 'met' : 'NOT met'}`,
  );
  child.kill();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** autocannon reports p90 and p97.5 but not p95: interpolate between them (documented in the output). */
function percentile(r: autocannon.Result, p: 95): number {
  const l = r.latency as unknown as Record<string, number>;
  const p90 = l.p90 ?? 0;
  const p975 = l.p97_5 ?? l.p99 ?? 0;
  return p90 + ((p - 90) / (97.5 - 90)) * (p975 - p90);
}
