// `npm run bench:scale`: backlink checks through the queue on a network-bound world (every donor page
// answers after 100–300 ms), with 1, 2 and 4 `promowatch worker` processes on PostgreSQL, and the same
// workload on SQLite with the in-process queue. Prints throughput side by side with what should stay flat
// as workers are added (queue latency, database rows written per check) and the SQLite : PostgreSQL ratio.
//
// Options: --quick (100 links on 20 hosts, a smoke run), --workers 1,2,4, --modes live,prefilled (workers
// running while the job fans out, and workers started on a full queue), --concurrency N (tasks at once
// per process, default 16), --no-sqlite, --timeout S (per run, default 600). Needs PostgreSQL's binaries
// (Debian: apt-get install postgresql); starts and removes its own throwaway cluster.
// Exits 1 when a link was not checked exactly once or concluded other than its page was built for.
// Timings are reported, never enforced.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { FULL, liveChildren, QUICK, runScale, type ScaleOptions } from './scale/bench.ts';
import type { Mode, RunResult } from './scale/runs.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function parseOptions(argv: readonly string[]): ScaleOptions {
  const o: ScaleOptions = { ...(argv.includes('--quick') ? QUICK : FULL) };
  const integer = (flag: string, text: string | undefined, min: number, max: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`bench:scale: ${flag} needs a whole number from ${min} to ${max}, got "${text ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') continue;
    else if (flag === '--no-sqlite') o.sqlite = false;
    else if (flag === '--modes') {
      const modes = (argv[++i] ?? '').split(',');
      if (modes.some((m) => m !== 'live' && m !== 'prefilled') || modes.length === 0)
        throw new Error(`bench:scale: --modes takes live, prefilled or both; got "${argv[i] ?? ''}"`);
      o.modes = modes as Mode[];
    } else if (flag === '--concurrency') o.concurrency = integer(flag, argv[++i], 1, 64);
    else if (flag === '--timeout') o.timeoutSeconds = integer(flag, argv[++i], 1, 24 * 3600);
    else if (flag === '--workers')
      o.workers = (argv[++i] ?? '').split(',').map((part) => integer(flag, part, 1, 8));
    else throw new Error(`bench:scale: unknown option "${flag}"`);
  }
  return o;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printTable(runs: RunResult[], columns: [string, (r: RunResult) => string][]): void {
  const header = ['run', ...columns.map(([name]) => name)];
  const rows = runs.map((r) => [r.label, ...columns.map(([, cell]) => cell(r))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const ROWS: [string, (r: RunResult) => string][] = [
  ['data rows/s', (r) => fixed(r.dataRowsPerSecond)],
  ['rows/check', (r) => fixed(r.dataRowsPerCheck, 1)],
  ['queue rows/s', (r) => (r.queueRowsPerSecond === null ? '—' : fixed(r.queueRowsPerSecond))],
];

const LIVE: [string, (r: RunResult) => string][] = [
  ['checks', (r) => String(r.correct.checks)],
  ['seconds', (r) => fixed(r.seconds, 1)],
  ['enqueue s', (r) => fixed(r.enqueueSeconds, 1)],
  ['checks/s', (r) => fixed(r.checksPerSecond, 1)],
  ['latency p50 ms', (r) => fixed(r.latencyP50)],
  ['p95 ms', (r) => fixed(r.latencyP95)],
  ...ROWS,
];

const PREFILLED: [string, (r: RunResult) => string][] = [
  ['checks', (r) => String(r.correct.checks)],
  ['work s', (r) => fixed(r.workSeconds, 1)],
  ['checks/s', (r) => fixed(r.workChecksPerSecond, 1)],
  ...ROWS,
];

/** SQLite : PostgreSQL with one worker, and N workers : one, for one mode's runs. */
function printRatios(runs: RunResult[], rate: (r: RunResult) => number): void {
  const sqlite = runs.find((r) => r.queueRowsPerSecond === null);
  const pg = runs.filter((r) => r.queueRowsPerSecond !== null);
  const one = pg.find((r) => r.processes === 1);
  if (sqlite && one)
    console.log(
      `  SQLite in-process : PostgreSQL 1 worker = ${fixed(rate(sqlite), 1)} : ${fixed(rate(one), 1)} checks/s = ${fixed(rate(sqlite) / rate(one), 2)}`,
    );
  if (one)
    for (const r of pg.filter((r) => r !== one))
      console.log(
        `  PostgreSQL ${r.processes} workers : 1 worker = ${fixed(rate(r) / rate(one), 2)}× the checks/s (ideal ${r.processes}×)`,
      );
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const cpus = os.cpus();
  console.log(
    `Machine: ${cpus.length} CPUs, ${cpus[0]?.model.trim() ?? 'unknown model'}, Node ${process.version}`,
  );
  // Donor servers, PostgreSQL, the workers and this driver share those CPUs; other load skews the figures.
  console.log(
    `         load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} before the run`,
  );
  console.log(
    `World:   ${o.hosts * o.pages} backlinks on ${o.hosts} donor hosts × ${o.pages} pages (127.0.0.2…), ` +
      `each page and robots.txt answering after ${o.latencyMs[0]}–${o.latencyMs[1]} ms`,
  );
  console.log(
    `Per host: 1 request at a time, starts ≥ ${o.minDelayMs} ms apart (held through the database across processes)`,
  );
  console.log(
    `Per process: ${o.concurrency} tasks at once (promowatch worker --concurrency ${o.concurrency})`,
  );
  // With one request at a time per host, a host's pages take at least pages × max(gap, latency) in all.
  const perHostSeconds = (o.pages * Math.max(o.minDelayMs, (o.latencyMs[0] + o.latencyMs[1]) / 2)) / 1000;
  console.log(
    `Bound:   politeness alone allows ~${fixed((o.hosts * o.pages) / perHostSeconds)} checks/s ` +
      `(${o.pages} pages × ${Math.max(o.minDelayMs, (o.latencyMs[0] + o.latencyMs[1]) / 2)} ms per host, hosts in parallel); ` +
      `latency alone ~${fixed(o.concurrency / ((o.latencyMs[0] + o.latencyMs[1]) / 2 / 1000))} checks/s per process\n`,
  );

  const report = await runScale(ROOT, o, (line) => console.log(line));
  const live = report.runs.filter((r) => r.mode === 'live');
  const prefilled = report.runs.filter((r) => r.mode === 'prefilled');
  if (live.length) {
    console.log(
      '\nWorkers running while the job fans out (as in production): first enqueue → last task done',
    );
    printTable(live, LIVE);
    printRatios(live, (r) => r.checksPerSecond);
  }
  if (prefilled.length) {
    console.log(
      '\nWorkers started on a full queue (what they manage when fed): first task start → last done',
    );
    printTable(prefilled, PREFILLED);
    printRatios(prefilled, (r) => r.workChecksPerSecond);
  }
  console.log('');
  let bad = false;
  for (const r of report.runs) {
    const c = r.correct;
    if (c.unchecked || c.checkedTwice || c.wrong || c.checks !== c.links) {
      bad = true;
      console.log(
        `${r.label}: ${c.unchecked} links unchecked, ${c.checkedTwice} checked twice, ${c.wrong} wrong` +
          (c.examples.length ? `, e.g. ${c.examples.join('; ')}` : ''),
      );
    }
  }
  if (!bad)
    console.log(
      `Every run checked each of the ${report.links} links exactly once, with the expected outcome.`,
    );
  return bad ? 1 : 0;
}

process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.on(signal, () => {
    console.error(`\nbench:scale: ${signal}, stopping the workers, donors and PostgreSQL`);
    process.exit(code);
  });

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
