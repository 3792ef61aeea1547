// What the backlink benchmark prints: the machine, the table of runs, and each target met or NOT met.
import os from 'node:os';
import type { RunnerResult } from './processes.ts';
import type { ChildMemory } from './proc.ts';

/** Static: total time within this factor of the politeness bound. Rendered: pages/s and the runner's RSS. */
export const TARGETS = { staticVsBound: 1.3, renderedPagesPerSecond: 4, renderedRssMb: 600 };

export interface Run {
  label: string;
  mode: 'static' | 'rendered';
  concurrency: number;
  outcome: { result: RunnerResult; children: ChildMemory | null } | string;
}

export function printMachine(): void {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2));
  console.log(`Machine: ${cpus.length} CPUs, ${cpus[0]?.model.trim() ?? 'unknown model'}`);
  console.log(`         ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}`);
  // The donor servers, the runner and Chromium share those CPUs; other load skews the figures.
  console.log(`         load average ${load.join(' ')} before the run`);
}

export const perSecond = (result: RunnerResult): number =>
  result.seconds > 0 ? result.checks / result.seconds : 0;

const OUTCOME_ORDER = ['live', 'devalued', 'missing', 'gone', 'inconclusive'];

function outcomes(byOutcome: Record<string, number>): string {
  const keys = Object.keys(byOutcome).sort((a, b) => OUTCOME_ORDER.indexOf(a) - OUTCOME_ORDER.indexOf(b));
  return keys.map((key) => `${key} ${byOutcome[key]}`).join(', ');
}

export function printTable(runs: Run[]): void {
  const header = [
    'run',
    'checks',
    'rendered',
    'seconds',
    'checks/s',
    'CPU s',
    'Chromium CPU s',
    'RSS MB',
    'Chromium MB',
    'outcomes',
  ];
  const lines = runs.map(({ label, outcome }) => {
    if (typeof outcome === 'string') return [label, 'FAILED', ...header.slice(2).map(() => '')];
    const { result, children } = outcome;
    return [
      label,
      String(result.checks),
      String(result.rendered),
      result.seconds.toFixed(2),
      perSecond(result).toFixed(1),
      result.cpuSeconds.toFixed(2),
      result.chromiumCpuSeconds === null ? '—' : result.chromiumCpuSeconds.toFixed(2),
      String(result.maxRssMb),
      children ? `${children.rssMb} / ${children.pssMb}` : '—',
      outcomes(result.byOutcome),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 || column === cells.length - 1
          ? cell.padEnd(widths[column]!)
          : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  console.log(`\n${format(header)}`);
  for (const line of lines) console.log(format(line));
  console.log(
    '\nCPU s: user + system time of the process running the monitor during the check; Chromium CPU s: the same\n' +
      'for its Chromium processes (from /proc). On a loaded machine these are steadier than seconds.\n' +
      'RSS MB: peak RSS of the process running the monitor (process.resourceUsage().maxRSS). Chromium MB: peak\n' +
      'total RSS / PSS of the Chromium processes that run started, sampled from /proc every 250 ms (RSS counts\n' +
      'shared pages once per process, PSS shares them out); not part of RSS MB. "—": no browser, or no /proc.',
  );
  for (const { label, outcome } of runs) {
    if (typeof outcome === 'string') console.log(`${label} FAILED: ${outcome}`);
    else if (outcome.result.wrong > 0) {
      console.log(`${label}: ${outcome.result.wrong} checks concluded other than the page was built for:`);
      for (const example of outcome.result.wrongExamples) console.log(`  ${example}`);
    }
  }
}

const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');

/** Prints the targets; `bound` is the static run's lower bound in seconds. */
export function printTargets(runs: Run[], bound: { seconds: number; text: string }): void {
  console.log('');
  const staticRun = runs.find((run) => run.mode === 'static');
  if (staticRun) {
    if (typeof staticRun.outcome === 'string') console.log('Static: not judged (the run failed)');
    else {
      const { result } = staticRun.outcome;
      const ratio = bound.seconds > 0 ? result.seconds / bound.seconds : Infinity;
      console.log(`Static: bound ${bound.text}`);
      console.log(
        `        ${result.seconds.toFixed(2)} s = ${ratio.toFixed(2)}× the bound, ${perSecond(result).toFixed(0)} checks/s ` +
          `(target ≤ ${TARGETS.staticVsBound}×): ${verdict(ratio <= TARGETS.staticVsBound)}`,
      );
    }
  }
  const rendered = runs.filter((run) => run.mode === 'rendered');
  if (rendered.length === 0) return;
  const ok = rendered.flatMap((run) => (typeof run.outcome === 'string' ? [] : [{ run, ...run.outcome }]));
  if (ok.length === 0) {
    console.log('Rendered: not judged (every run failed)');
    return;
  }
  const best = ok.reduce((a, b) => (perSecond(b.result) > perSecond(a.result) ? b : a));
  const rate = perSecond(best.result);
  console.log(`Rendered: best is concurrency ${best.run.concurrency}, ${best.result.chromium ?? 'Chromium'}`);
  console.log(
    `        ${rate.toFixed(1)} pages/s (target ≥ ${TARGETS.renderedPagesPerSecond}): ` +
      verdict(rate >= TARGETS.renderedPagesPerSecond),
  );
  console.log(
    `        peak RSS ${best.result.maxRssMb} MB of the checking process (bound ≤ ${TARGETS.renderedRssMb} MB): ` +
      verdict(best.result.maxRssMb <= TARGETS.renderedRssMb),
  );
  const chromium = best.children
    ? `${best.children.rssMb} MB RSS summed over ${best.children.processes} processes, ${best.children.pssMb} MB PSS`
    : 'not measured (no /proc on this system)';
  console.log(`        Chromium's own processes, not included above: ${chromium}`);
}
