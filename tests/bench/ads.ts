// `npm run bench:ads`: imports a Yandex Direct Reports TSV of 1,000,000 daily campaign rows and measures the
// rows per second, then loads the Ads page and its JSON endpoints with autocannon over 3 years × 200
// campaigns and prints p50/p95/p99 against the bounds (≥ 200,000 rows/s; p95 < 150 ms).
//
// Environment: BENCH_CAMPAIGNS and BENCH_DAYS size the import (800 × 1,250 = 1,000,000 rows: one agency
// account over 3.4 years); BENCH_CONNECTIONS (10) and BENCH_SECONDS (10) shape the load; BENCH_ONLY=ingest
// or BENCH_ONLY=load runs one half; BENCH_CPU_PROF=DIR profiles the dashboard process into DIR.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { JOB_NAMES } from '../../jobs/index.ts';
import { importAdsFile } from '../../src/ads/import-apply.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { parseAdsExport } from '../../src/ads/imports/index.ts';
import { parseDirectTsv } from '../../src/ads/platforms/yandex-direct.ts';
import { insertAccount, replaceWindow, type AccountInput } from '../../src/ads/store.ts';
import { validateConfig } from '../../src/config/load.ts';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { syncSites } from '../../src/db/sites.ts';
import { directReportTsv } from './ads/direct-tsv.ts';
import { seedDashboard } from './ads/seed.ts';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 800);
const DAYS = Number(process.env.BENCH_DAYS ?? 1250);
const ONLY = process.env.BENCH_ONLY;
const TARGET_ROWS_PER_SECOND = 200_000;
const TARGET_P95_MS = 150;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LOAD_CAMPAIGNS = 200;
const LOAD_DAYS = 3 * 365;

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

const direct = (over: Partial<AccountInput> = {}): AccountInput => ({
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Директ — студия',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
  ...over,
});

const TODAY = '2026-11-27';
const NOW = new Date(`${TODAY}T09:00:00Z`);
const dir = mkdtempSync(join(os.tmpdir(), 'promowatch-bench-ads-'));
const configInput = {
  sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
};
const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en-US');
try {
  // A fixed day: the figures must not depend on the date the benchmark runs (a month's length, DST).
  const today = TODAY;
  if (ONLY !== 'load') await ingest(today);
  if (ONLY !== 'ingest') await load();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Wall and CPU seconds of `f` (CPU over all threads: on a busy machine it shows what waiting added). */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const used = process.cpuUsage(c);
  return { value, wall: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function ingest(today: string): Promise<void> {
  const config = validateConfig(configInput, JOB_NAMES);
  const db = openDatabase(join(dir, 'ingest.db'));
  const [site] = await syncSites(storeOf(db), config.sites, NOW);
  await insertAccount(storeOf(db), site!.id, direct(), NOW);
  const file = join(dir, 'direct-report.tsv');
  writeFileSync(file, directReportTsv(CAMPAIGNS, DAYS, today));
  const rows = CAMPAIGNS * DAYS;

  // What `promowatch ads import report.tsv --platform yandex-direct` does: read the file, decode and
  // parse it, replace the account's rows for the file's days in one transaction, record the import.
  const importFile = async () => {
    const bytes = readFileSync(file);
    const result = await importAdsFile(storeOf(db), site!, bytes, 'yandex-direct', undefined, NOW);
    if ('errors' in result) throw new Error(`import refused: ${result.errors.slice(0, 3).join('; ')}`);
    if (result.rows !== rows) throw new Error(`import stored ${result.rows} rows, expected ${rows}`);
    return { bytes, result };
  };
  const first = await timed(importFile);
  const { bytes } = first.value;
  const stored = db.prepare('SELECT count(*) FROM ad_stats').pluck().get() as number;
  if (stored !== rows) throw new Error(`ad_stats holds ${stored} rows, expected ${rows}`);
  const again = await timed(importFile);
  console.log(
    `\nImport: Yandex Direct Reports TSV (title, header, "--" cells, "Total rows"), one account, ${CAMPAIGNS} campaigns × ${DAYS} days = ${rows.toLocaleString('en-US')} rows, ${(bytes.length / 2 ** 20).toFixed(1)} MB`,
  );
  console.log(
    '  promowatch ads import (importAdsFile: read, decode, parse, replace the window, record the import):',
  );
  let met = true;
  for (const [label, t] of [
    ['into an empty account', first],
    ['the same file again (1,000,000 rows deleted first)', again],
  ] as const) {
    met &&= rows / t.wall >= TARGET_ROWS_PER_SECOND;
    console.log(
      `    ${label.padEnd(56)} ${t.wall.toFixed(2).padStart(5)} s = ${rate(rows, t.wall).padStart(9)} rows/s (CPU ${t.cpu.toFixed(2)} s)`,
    );
  }
  console.log(
    `  bound: ≥ ${TARGET_ROWS_PER_SECOND.toLocaleString('en-US')} rows/s → ${met ? 'met' : 'NOT met'}`,
  );

  // Where the time goes: the steps one at a time, over the same bytes.
  console.log('  parts, each timed alone:');
  const part = (label: string, t: { wall: number; cpu: number }) =>
    console.log(
      `    ${label.padEnd(56)} ${t.wall.toFixed(2).padStart(5)} s = ${rate(rows, t.wall).padStart(9)} rows/s (CPU ${t.cpu.toFixed(2)} s)`,
    );
  const parsed = await timed(() => parseAdsExport(bytes, 'yandex-direct', { currency: 'RUB' }));
  part('parseAdsExport (the file importer, src/ads/imports)', parsed);
  const api = await timed(() => parseDirectTsv(bytes.toString('utf8')));
  if (api.value.length !== rows) throw new Error(`parseDirectTsv read ${api.value.length} rows`);
  part("parseDirectTsv (the API pull's parser, for comparison)", api);
  const range = parsed.value.range!;
  const fresh = await insertAccount(storeOf(db), site!.id, direct({ externalId: 'studio-direct-2' }), NOW);
  part(
    'replaceWindow into an empty account',
    await timed(() => replaceWindow(storeOf(db), fresh, range.from, range.to, parsed.value.rows, 'import')),
  );
  closeDatabase(db);
  rmSync(file, { force: true });
}

async function load(): Promise<void> {
  const config = validateConfig(configInput, JOB_NAMES);
  const dbFile = join(dir, 'load.db');
  const db = openDatabase(dbFile);
  const t0 = performance.now();
  const seeded = await seedDashboard(db, config, LOAD_CAMPAIGNS, LOAD_DAYS, NOW);
  console.log(
    `\nDashboard: ${seeded.accounts} accounts (Yandex Direct in RUB, Google Ads in USD), ${seeded.campaigns} campaigns × ${LOAD_DAYS} days = ${seeded.rows.toLocaleString('en-US')} rows of ad_stats, ${seeded.anomalies} anomalies; seeded through replaceWindow in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  closeDatabase(db);

  const profileDir = process.env.BENCH_CPU_PROF;
  const child = fork(
    fileURLToPath(new URL('./dashboard-server.ts', import.meta.url)),
    [dbFile, JSON.stringify(configInput), NOW.toISOString()],
    {
      execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const url = (
    await new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}`)));
    })
  ).replace(/\/$/, '');
  try {
    const targets = [
      '/ads?site=studio',
      '/ads?site=studio&days=365&period=week&group=campaign',
      '/api/ads/trend?site=studio&days=365',
      '/api/ads/trend?site=studio&days=1095&period=month&group=campaign',
      '/api/ads/campaigns?site=studio',
      '/api/ads/pacing?site=studio',
      '/api/ads/anomalies?site=studio',
    ];
    // Each answers 200 with the data seeded, or the figures below would time an error page.
    for (const path of targets) {
      const r = await fetch(`${url}${path}`);
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}: ${body.slice(0, 200)}`);
      if (path.startsWith('/ads') && !body.includes('Директ'))
        throw new Error(`${path}: no campaigns on the page`);
    }
    // The dashboard caches what it reads until the database changes; the first request after a write
    // (a pull, an import) computes everything. Measured here by writing from another connection.
    const writer = openDatabase(dbFile);
    const cold = async (path: string) => {
      writer
        .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)`)
        .run(String(Math.random()));
      const t = performance.now();
      const r = await fetch(`${url}${path}`);
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
      `\nLoad: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per endpoint, dashboard in its own process; p95 interpolated between p90 and p97.5`,
    );
    console.log(
      `  ${'endpoint'.padEnd(68)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  errors`,
    );
    let allMet = true;
    for (const path of targets) {
      const r = await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: SECONDS });
      const p95 = percentile95(r);
      const bad = r.errors + r.timeouts + (r.non2xx ?? 0);
      if (p95 >= TARGET_P95_MS || bad > 0) allMet = false;
      console.log(
        `  ${path.padEnd(68)} ${r.requests.average.toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(7)} ${p95.toFixed(0).padStart(7)} ${String(r.latency.p99).padStart(7)}  ${bad}`,
      );
    }
    console.log(
      `  bound: p95 < ${TARGET_P95_MS} ms on every endpoint, no errors → ${allMet ? 'met' : 'NOT met'}`,
    );
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ stop: true });
    await exited;
  }
}

/** autocannon reports p90 and p97.5 but not p95: interpolated between them (said in the output). */
function percentile95(r: autocannon.Result): number {
  const l = r.latency as unknown as Record<string, number>;
  const p90 = l.p90 ?? 0;
  const p975 = l.p97_5 ?? l.p99 ?? 0;
  return p90 + ((95 - 90) / (97.5 - 90)) * (p975 - p90);
}
