// `npm run bench:scale`: backlink checks through the queue on a network-bound world (every donor page
// answers after 100–300 ms), with 1, 2 and 4 `promowatch worker` processes on PostgreSQL, and the same
// workload on SQLite with the in-process queue. Prints throughput side by side with what should stay flat
// as workers are added (queue latency, database rows written per check) and the SQLite : PostgreSQL ratio.
//
// Options: --quick (100 links on 20 hosts, a smoke run), --workers 1,2,4, --concurrency N (tasks at once
// per process, default 16), --no-sqlite, --timeout S (per run, default 600). Needs PostgreSQL's binaries
// (Debian: apt-get install postgresql); starts and removes its own throwaway cluster.
// Exits 1 when a link was not checked exactly once or concluded other than its page was built for.
// Timings are reported, never enforced.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { FULL, liveChildren, QUICK, runScale, type ScaleOptions } from './scale/bench.ts';
import type { RunResult } from './scale/runs.ts';

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
    else if (flag === '--concurrency') o.concurrency = integer(flag, argv[++i], 1, 64);
    else if (flag === '--timeout') o.timeoutSeconds = integer(flag, argv[++i], 1, 24 * 3600);
    else if (flag === '--workers')
      o.workers = (argv[++i] ?? '').split(',').map((part) => integer(flag, part, 1, 8));
    else throw new Error(`bench:scale: unknown option "${flag}"`);
  }
  return o;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printTable(runs: RunResult[]): void {
  const header = [
    'run',
    'checks',
    'seconds',
    'checks/s',
    'latency p50 ms',
    'p95 ms',
    'data rows/s',
    'rows/check',
    'queue rows/s',
  ];
  const rows = runs.map((r) => [
    r.label,
    String(r.correct.checks),
    fixed(r.seconds, 1),
    fixed(r.checksPerSecond, 1),
    fixed(r.latencyP50),
    fixed(r.latencyP95),
    fixed(r.dataRowsPerSecond),
    fixed(r.dataRowsPerCheck, 1),
    r.queueRowsPerSecond === null ? '—' : fixed(r.queueRowsPerSecond),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
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
  printTable(report.runs);

  const sqlite = report.runs.find((r) => r.processes === 1 && r.queueRowsPerSecond === null);
  const pgOne = report.runs.find((r) => r.processes === 1 && r.queueRowsPerSecond !== null);
  const pgRuns = report.runs.filter((r) => r.queueRowsPerSecond !== null);
  console.log('');
  if (sqlite && pgOne)
    console.log(
      `SQLite in-process : PostgreSQL 1 worker = ${fixed(sqlite.checksPerSecond, 1)} : ${fixed(pgOne.checksPerSecond, 1)} checks/s ` +
        `= ${fixed(sqlite.checksPerSecond / pgOne.checksPerSecond, 2)}`,
    );
  if (pgOne)
    for (const r of pgRuns.filter((r) => r !== pgOne))
      console.log(
        `PostgreSQL ${r.processes} workers : 1 worker = ${fixed(r.checksPerSecond / pgOne.checksPerSecond, 2)}× throughput ` +
          `(ideal ${r.processes}×), latency p95 ${fixed(r.latencyP95)} vs ${fixed(pgOne.latencyP95)} ms, ` +
          `rows/check ${fixed(r.dataRowsPerCheck, 1)} vs ${fixed(pgOne.dataRowsPerCheck, 1)}`,
      );
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
