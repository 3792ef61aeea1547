// `npm run bench:links`: promowatch's backlink monitor on 2,000 backlinks over 200 donor hosts on 127.0.0.0/8.
//
// Options: --links N (default 2000; 10 per donor host, so N/10 hosts), --only static,rendered,
// --render-concurrency 4,8 (one rendered run per value; the best is judged), --repeat N (runs per
// configuration; the median by seconds is shown), --timeout S (per run, default 600), --cpu-prof (profiles
// each runner into a temporary folder it names). PROMOWATCH_CHROMIUM picks the browser, as in promowatch.
// Exits 1 when a run fails or concludes other than a donor page was built for; targets are reported, not
// enforced.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BacklinkSettings } from '../../src/backlinks/monitor.ts';
import { EXPECTED, PAGES_PER_HOST, pagePath, variantOf } from './links/donor-pages.ts';
import { runChecks, startDonorServer, stopAllChildren } from './links/processes.ts';
import { printMachine, printTable, printTargets, type Run } from './links/report.ts';
import type { CheckJob } from './links/runner.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODES = ['static', 'rendered'] as const;
type Mode = (typeof MODES)[number];
/** The job files handed to the runners; removed on exit, however the driver ends. */
let jobsDir: string | null = null;
/** Rendered runs check one link per donor host, up to this many. */
const RENDERED_LINKS = 200;

const STATIC_SETTINGS = { minDelayMs: 200, render: 'never', concurrency: 32, jitterSeconds: 0 } as const;
const renderedSettings = (concurrency: number): BacklinkSettings => ({
  minDelayMs: 0,
  render: 'always',
  concurrency,
  screenshots: false,
  jitterSeconds: 0,
});

interface Options {
  links: number;
  only: Mode[];
  renderConcurrency: number[];
  repeat: number;
  timeoutSeconds: number;
  cpuProf: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    links: 2000,
    only: [...MODES],
    renderConcurrency: [4, 8],
    repeat: 1,
    timeoutSeconds: 600,
    cpuProf: false,
  };
  const integer = (flag: string, text: string | undefined, min: number, max = Infinity): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new Error(`bench:links: ${flag} needs an integer ${range}, got "${text ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    // 250 hosts fit in 127.0.0.2…127.0.0.251.
    if (flag === '--links') options.links = integer(flag, argv[++i], 1, 250 * PAGES_PER_HOST);
    else if (flag === '--repeat') options.repeat = integer(flag, argv[++i], 1);
    else if (flag === '--timeout') options.timeoutSeconds = integer(flag, argv[++i], 1);
    else if (flag === '--cpu-prof') options.cpuProf = true;
    else if (flag === '--render-concurrency') {
      const text = argv[++i] ?? '';
      options.renderConcurrency = text.split(',').map((part) => integer(flag, part, 1, 64));
    } else if (flag === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      if (names.length === 0 || names.some((name) => !(MODES as readonly string[]).includes(name))) {
        throw new Error(
          `bench:links: --only takes a comma list of ${MODES.join(', ')}; got "${argv[i] ?? ''}"`,
        );
      }
      options.only = MODES.filter((mode) => names.includes(mode));
    } else throw new Error(`bench:links: unknown option "${flag}"`);
  }
  return options;
}

/** Link i is page i % 10 of host i / 10: ten links per donor host, hosts filled in order. */
function jobFor(mode: Mode, origins: string[], links: number, settings: BacklinkSettings): CheckJob {
  const all = Array.from({ length: links }, (_, i) => {
    const host = Math.floor(i / PAGES_PER_HOST);
    const page = i % PAGES_PER_HOST;
    return {
      donorUrl: `${origins[host]!}${pagePath(host, page)}`,
      expected: EXPECTED[variantOf(host, page)][mode],
    };
  });
  if (mode === 'static') return { links: all, only: null, settings, browser: false };
  // One link per host (page host % 10, so every kind of page comes up), all on distinct hosts.
  const only: number[] = [];
  for (let host = 0; host < origins.length && only.length < RENDERED_LINKS; host++) {
    const index = host * PAGES_PER_HOST + (host % PAGES_PER_HOST);
    only.push(Math.min(index, links - 1));
  }
  return { links: all, only: [...new Set(only)], settings, browser: true };
}

/** Runs one configuration `repeat` times; returns the median run by seconds, or the first failure. */
async function measure(label: string, jobFile: string, options: Options, profiles: string | null) {
  const runs: Exclude<Run['outcome'], string>[] = [];
  for (let run = 1; run <= options.repeat; run++) {
    console.log(`Running ${label}${options.repeat > 1 ? ` (run ${run} of ${options.repeat})` : ''}…`);
    const flags = profiles ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [];
    const outcome = await runChecks(ROOT, label, jobFile, options.timeoutSeconds, flags);
    if (!outcome.ok) return outcome.reason;
    const { checks, seconds, cpuSeconds, maxRssMb, browserLaunchSeconds, chromium } = outcome.result;
    const launch =
      browserLaunchSeconds === null
        ? ''
        : `; ${chromium ?? 'Chromium'} launched ${browserLaunchSeconds.toFixed(1)} s before`;
    const cpu = `${cpuSeconds.toFixed(2)} CPU s`;
    console.log(`  ${checks} checks in ${seconds.toFixed(2)} s (${cpu}), peak RSS ${maxRssMb} MB${launch}`);
    runs.push({ result: outcome.result, children: outcome.children });
  }
  runs.sort((a, b) => a.result.seconds - b.result.seconds);
  return runs[Math.floor((runs.length - 1) / 2)]!;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  printMachine();
  const hosts = Math.ceil(options.links / PAGES_PER_HOST);
  const donors = await startDonorServer(ROOT, hosts);
  const first = donors.origins[0]!;
  const where = first.includes('127.0.0.1:')
    ? `${hosts} ports of 127.0.0.1`
    : `127.0.0.2…, port ${new URL(first).port}`;
  console.log(`\nDonors: ${options.links} pages on ${hosts} hosts (${where})`);
  // Kept after the run, for `node --cpu-prof` output to be opened in Chrome DevTools.
  const profiles = options.cpuProf ? mkdtempSync(join(tmpdir(), 'promowatch-bench-links-profiles-')) : null;

  const dir = (jobsDir = mkdtempSync(join(tmpdir(), 'promowatch-bench-jobs-')));
  const runs: Run[] = [];
  try {
    for (const mode of options.only) {
      const settingsList =
        mode === 'static'
          ? [{ concurrency: STATIC_SETTINGS.concurrency, settings: STATIC_SETTINGS }]
          : options.renderConcurrency.map((n) => ({ concurrency: n, settings: renderedSettings(n) }));
      for (const { concurrency, settings } of settingsList) {
        const job = jobFor(mode, donors.origins, options.links, settings);
        const file = join(dir, `${mode}-${concurrency}.json`);
        writeFileSync(file, JSON.stringify(job));
        const label = `${mode} c=${concurrency}`;
        runs.push({ label, mode, concurrency, outcome: await measure(label, file, options, profiles) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await donors.stop();
  }

  const perHost = Math.min(PAGES_PER_HOST, options.links);
  const boundSeconds = ((perHost - 1) * STATIC_SETTINGS.minDelayMs) / 1000;
  printTable(runs);
  printTargets(runs, {
    seconds: boundSeconds,
    text: `(${perHost} links per host − 1) × ${STATIC_SETTINGS.minDelayMs} ms = ${boundSeconds.toFixed(2)} s (hosts in parallel)`,
  });
  if (profiles) console.log(`\nCPU profiles of the runners (open in Chrome DevTools): ${profiles}`);
  const failed = runs.some((run) => typeof run.outcome === 'string' || run.outcome.result.wrong > 0);
  return failed ? 1 : 0;
}

// The donor servers and any runner must not outlive the driver, however it ends.
process.on('exit', () => {
  stopAllChildren();
  if (jobsDir) rmSync(jobsDir, { recursive: true, force: true });
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    console.error(`\nbench:links: ${signal}, stopping the donor servers and runners`);
    process.exit(code);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
