// `npm run bench:crawl`: promowatch's crawler against linkinator and Crawlee on a generated site on 127.0.0.1.
//
// Options: --pages N (site size and page cap, default 10000), --only promowatch,crawlee,linkinator,
// --skip-big (no 100,000-page run), --big-pages N, --repeat N (runs per tool; the median by pages/s is
// shown), --timeout S (per run, default 1800). Exits 1 when the peers cannot be installed or a tool fails;
// targets are reported, not enforced.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRunner, runStreamed, startSiteServer, stopAllChildren, type RunnerResult } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOOLS = ['promowatch', 'crawlee', 'linkinator'] as const;
type Tool = (typeof TOOLS)[number];
const PEERS = ['linkinator@7', 'crawlee@3'];

/**
 * The targets the crawler is held to (issue 15): pages/s with the full audit and SQLite on the
 * 10,000-page site, ratios to the peers in the same run, peak RSS of the promowatch runner at 10,000
 * and at 100,000 pages.
 */
const TARGETS = { pagesPerSecond: 2000, vsCrawlee: 1.5, vsLinkinator: 3, rssMb: 250, bigRssMb: 300 };

function runnerCommand(tool: Tool, url: string, maxPages: number): string[] {
  const args = [url, String(maxPages)];
  if (tool === 'promowatch') {
    return [process.execPath, '--import', 'tsx', 'tests/bench/peers/promowatch.ts', ...args];
  }
  // The peers are plain ESM: no tsx loader in their process, so it costs them neither time nor memory.
  return [process.execPath, `tests/bench/peers/${tool}.mjs`, ...args];
}

interface Options {
  pages: number;
  bigPages: number;
  only: Tool[];
  skipBig: boolean;
  repeat: number;
  timeoutSeconds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    pages: 10_000,
    bigPages: 100_000,
    only: [...TOOLS],
    skipBig: false,
    repeat: 1,
    timeoutSeconds: 1800,
  };
  const integer = (flag: string, text: string | undefined, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`bench:crawl: ${flag} needs an integer of at least ${min}, got "${text ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--skip-big') options.skipBig = true;
    else if (flag === '--pages') options.pages = integer(flag, argv[++i], 2);
    else if (flag === '--big-pages') options.bigPages = integer(flag, argv[++i], 2);
    else if (flag === '--repeat') options.repeat = integer(flag, argv[++i], 1);
    else if (flag === '--timeout') options.timeoutSeconds = integer(flag, argv[++i], 1);
    else if (flag === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((name) => !(TOOLS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) {
        throw new Error(
          `bench:crawl: --only takes a comma list of ${TOOLS.join(', ')}; got "${argv[i] ?? ''}"`,
        );
      }
      // Canonical order, promowatch first, whatever order the list was given in.
      options.only = TOOLS.filter((tool) => names.includes(tool));
    } else throw new Error(`bench:crawl: unknown option "${flag}"`);
  }
  return options;
}

function printMachine(): void {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2));
  console.log(`Machine: ${cpus.length} CPUs, ${cpus[0]?.model.trim() ?? 'unknown model'}`);
  console.log(`         ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}`);
  // Everything here shares those CPUs with the site server; other load skews the figures.
  console.log(`         load average ${load.join(' ')} before the run`);
}

/** Installs the peers into .bench-peers (outside the project's dependencies) when one is missing. */
async function ensurePeers(tools: readonly Tool[]): Promise<void> {
  const needed = tools.filter((tool) => tool !== 'promowatch');
  const dir = join(ROOT, '.bench-peers');
  if (needed.every((tool) => existsSync(join(dir, 'node_modules', tool)))) return;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const args = ['install', '--prefix', '.bench-peers', '--no-save', '--no-audit', '--no-fund', ...PEERS];
  console.log(`Installing ${PEERS.join(' and ')} into .bench-peers (npm ${args.join(' ')})`);
  const exit = await runStreamed(ROOT, 'npm', 'npm', args);
  const missing = needed.filter((tool) => !existsSync(join(dir, 'node_modules', tool)));
  if (exit.code !== 0 || missing.length > 0) {
    const what =
      exit.code !== 0 ? `npm exited with code ${exit.code ?? exit.signal}` : `${missing.join(', ')} missing`;
    console.error(
      `bench:crawl: could not install ${PEERS.join(', ')} into .bench-peers (${what}). ` +
        'They come from the npm registry: check the [npm] lines above, then run npm run bench:crawl again.',
    );
    process.exit(1);
  }
  console.log(`Installed the peers in ${exit.seconds.toFixed(1)} s`);
}

const pagesPerSecond = (result: RunnerResult): number =>
  result.seconds > 0 ? result.pages / result.seconds : 0;

/** Runs a tool `repeat` times; returns the median run by pages/s, or the first failure. */
async function measure(
  tool: Tool,
  url: string,
  maxPages: number,
  options: Options,
): Promise<RunnerResult | string> {
  const runs: RunnerResult[] = [];
  for (let run = 1; run <= options.repeat; run++) {
    const label = options.repeat > 1 ? ` (run ${run} of ${options.repeat})` : '';
    console.log(`Running ${tool} on ${url} with maxPages ${maxPages}${label}…`);
    const outcome = await runRunner(ROOT, tool, runnerCommand(tool, url, maxPages), options.timeoutSeconds);
    if (!outcome.ok) return outcome.reason;
    runs.push(outcome.result);
    const { pages, seconds, maxRssMb } = outcome.result;
    // promowatch's runner also reports its CPU seconds (all threads): the figure to compare on a busy machine.
    const { cpuSeconds } = outcome.result as { cpuSeconds?: number };
    const cpu = cpuSeconds === undefined ? '' : `, CPU ${cpuSeconds.toFixed(1)} s`;
    console.log(`  ${pages} pages in ${seconds.toFixed(1)} s, peak RSS ${maxRssMb} MB${cpu}`);
  }
  runs.sort((a, b) => pagesPerSecond(a) - pagesPerSecond(b));
  return runs[Math.floor((runs.length - 1) / 2)]!;
}

function printTable(rows: [Tool, RunnerResult | string][]): void {
  const header = ['tool', 'pages', 'requests', 'seconds', 'pages/s', 'peak RSS MB'];
  const lines = rows.map(([tool, result]) =>
    typeof result === 'string'
      ? [tool, 'FAILED', '', '', '', '']
      : [
          tool,
          String(result.pages),
          String(result.requests),
          result.seconds.toFixed(1),
          pagesPerSecond(result).toFixed(1),
          String(result.maxRssMb),
        ],
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  console.log(`\n${format(header)}`);
  for (const line of lines) console.log(format(line));
  for (const [tool, result] of rows) if (typeof result === 'string') console.log(`${tool} FAILED: ${result}`);
}

const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');

function printTargets(results: Map<Tool, RunnerResult | string>): void {
  const ours = results.get('promowatch');
  console.log('');
  if (typeof ours !== 'object') {
    console.log(`Targets: not judged (promowatch ${ours === undefined ? 'not run' : 'failed'})`);
    return;
  }
  const rate = pagesPerSecond(ours);
  console.log(
    `${'promowatch pages/s'.padEnd(32)}${rate.toFixed(1)} (target ≥ ${TARGETS.pagesPerSecond}): ${verdict(rate >= TARGETS.pagesPerSecond)}`,
  );
  for (const [peer, target] of [
    ['crawlee', TARGETS.vsCrawlee],
    ['linkinator', TARGETS.vsLinkinator],
  ] as const) {
    const theirs = results.get(peer);
    const label = `promowatch ÷ ${peer} pages/s`.padEnd(32);
    if (typeof theirs !== 'object' || pagesPerSecond(theirs) === 0) {
      console.log(
        `${label}n/a (${peer} ${theirs === undefined ? 'not run' : 'failed'}); target ≥ ${target}×`,
      );
      continue;
    }
    const ratio = pagesPerSecond(ours) / pagesPerSecond(theirs);
    console.log(`${label}${ratio.toFixed(2)}× (target ≥ ${target}×): ${verdict(ratio >= target)}`);
  }
  const rss = `promowatch peak RSS`.padEnd(32);
  console.log(
    `${rss}${ours.maxRssMb} MB (bound ≤ ${TARGETS.rssMb} MB): ${verdict(ours.maxRssMb <= TARGETS.rssMb)}`,
  );
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  printMachine();
  await ensurePeers(options.only);

  const site = await startSiteServer(ROOT, options.pages);
  console.log(`\nSite: ${options.pages} pages at ${site.url}`);
  const results = new Map<Tool, RunnerResult | string>();
  for (const tool of options.only) results.set(tool, await measure(tool, site.url, options.pages, options));
  await site.stop();

  printTable([...results]);
  printTargets(results);
  let failed = [...results.values()].some((result) => typeof result === 'string');

  if (options.skipBig || !options.only.includes('promowatch')) {
    console.log(`\nBig run skipped (${options.skipBig ? '--skip-big' : 'promowatch not selected'})`);
    return failed ? 1 : 0;
  }
  const bigSite = await startSiteServer(ROOT, options.bigPages);
  console.log(`\nBig site: ${options.bigPages} pages at ${bigSite.url}`);
  const big = await measure('promowatch', bigSite.url, options.bigPages, options);
  await bigSite.stop();
  if (typeof big === 'string') {
    console.log(`promowatch FAILED on the big site: ${big}`);
    failed = true;
  } else {
    console.log(
      `promowatch on ${options.bigPages} pages: ${big.pages} pages, ${pagesPerSecond(big).toFixed(1)} pages/s (target ≥ ${TARGETS.pagesPerSecond})`,
    );
    const met = verdict(big.maxRssMb <= TARGETS.bigRssMb);
    console.log(`promowatch peak RSS: ${big.maxRssMb} MB (bound ≤ ${TARGETS.bigRssMb} MB): ${met}`);
  }
  return failed ? 1 : 0;
}

// The site server and any runner must not outlive the driver, however it ends.
process.on('exit', stopAllChildren);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    console.error(`\nbench:crawl: ${signal}, stopping the site server and runners`);
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
