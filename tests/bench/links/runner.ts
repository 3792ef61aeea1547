// Bench runner: promowatch's backlink monitor on a job file's links, in its own process so its peak RSS is its own.
//
// Usage: runner.ts <job.json>. Sets up a temporary SQLite file with one site and the job's backlinks, runs
// checkSiteBacklinks once (timed), and prints one JSON line: checks, seconds, byOutcome, maxRssMb, …
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, LaunchOptions } from 'playwright-core';
import { checkSiteBacklinks, type BacklinkSettings } from '../../../src/backlinks/monitor.ts';
import { insertBacklinks } from '../../../src/backlinks/store.ts';
import type { Outcome } from '../../../src/backlinks/verdict.ts';
import { BrowserPool, CHROMIUM_ARGS, findChromium, isExecutable } from '../../../src/browser/launcher.ts';
import { closeDatabase, openDatabase } from '../../../src/db/open.ts';
import { syncSites } from '../../../src/db/sites.ts';
import { storeOf } from '../../../src/db/store/sqlite.ts';
import { createLogger } from '../../../src/util/log.ts';
import { TARGET_URL } from './donor-pages.ts';
import { chromiumPids, cpuSecondsOf } from './proc.ts';

export interface CheckJob {
  links: { donorUrl: string; expected: Outcome }[];
  /** Indexes into `links` of the ones to check (all are stored either way); null: all of them. */
  only: number[] | null;
  settings: BacklinkSettings;
  /** Give the monitor a BrowserPool (one Chromium, launched before the clock starts). */
  browser: boolean;
}

/**
 * launchChromium's options (PROMOWATCH_CHROMIUM picks the binary, as in promowatch), plus a host-resolver rule that answers "not found" for every name: donor pages
 * link to other sites, and nothing Chromium does (DNS prefetch included) may leave loopback. The donors are
 * addressed by IP, which the rule leaves alone.
 */
async function launchOffline(onLaunch: (what: string) => void): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const found = findChromium({
    env: process.env,
    playwrightPath: () => chromium.executablePath(),
    isExecutable,
  });
  const options: LaunchOptions = {
    executablePath: found.path,
    headless: true,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.*'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
  const browser = await chromium.launch(options);
  onLaunch(`${found.path} ${browser.version()}`);
  return browser;
}

async function main(): Promise<void> {
  const jobFile = process.argv[2];
  if (!jobFile) throw new Error('usage: runner.ts <job.json>');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as CheckJob;
  const dir = mkdtempSync(join(tmpdir(), 'promowatch-bench-links-'));
  const db = openDatabase(join(dir, 'bench.db'));
  let chromiumUsed: string | null = null;
  const browser = job.browser
    ? new BrowserPool(() => launchOffline((what) => (chromiumUsed = what)))
    : undefined;
  // Ctrl-C reaches the runner too: close Chromium and the temporary files before going.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void (browser?.close() ?? Promise.resolve()).finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(1);
      });
    });
  }
  try {
    // A fixed start that advances with the real elapsed time: check timings stay real, the day does not
    // depend on when the benchmark runs.
    const started = performance.now();
    const clock = () => new Date(Date.parse('2026-11-27T09:00:00Z') + (performance.now() - started));
    const now = clock();
    const [site] = await syncSites(
      storeOf(db),
      [{ name: 'studio', baseUrl: TARGET_URL, timeZone: 'UTC' }],
      now,
    );
    const ids = await insertBacklinks(
      storeOf(db),
      site!.id,
      job.links.map((link) => ({
        donorUrl: link.donorUrl,
        target: TARGET_URL,
        targetKind: 'url',
        expectedAnchor: null,
        kind: 'bought',
        vendor: null,
        priceMicros: null,
        currency: null,
        billing: 'one-off',
        boughtOn: null,
        paidUntil: null,
        tags: [],
        notes: null,
        brand: null,
      })),
      now,
    );
    let browserLaunchSeconds: number | null = null;
    if (browser) {
      const t = performance.now();
      await browser.withContext(async (context) => void (await context.newPage()));
      browserLaunchSeconds = (performance.now() - t) / 1000;
    }
    const only = job.only?.map((index) => ids[index]!);
    const deps = { sql: storeOf(db), db, now: clock, log: createLogger({ level: 'warn' }), browser };
    const chromiumAtStart = cpuSecondsOf(chromiumPids(process.pid));
    const cpuAtStart = process.cpuUsage();
    const t0 = performance.now();
    const summary = await checkSiteBacklinks(deps, site!, job.settings, only);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const chromiumCpuSeconds = browser ? cpuSecondsOf(chromiumPids(process.pid)) - chromiumAtStart : null;

    const expected = new Map(job.links.map((link, i) => [ids[i]!, link.expected]));
    const rows = db
      .prepare(
        `SELECT b.id, b.donor_url AS url, c.outcome, c.reasons FROM backlink_checks c JOIN backlinks b ON b.id = c.backlink_id`,
      )
      .all() as { id: number; url: string; outcome: string; reasons: string }[];
    const wrong = rows.filter((row) => row.outcome !== expected.get(row.id));
    process.stdout.write(
      JSON.stringify({
        checks: summary.checked,
        rendered: summary.rendered,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        chromiumCpuSeconds,
        byOutcome: summary.byOutcome,
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        browserLaunchSeconds,
        chromium: chromiumUsed,
        wrong: wrong.length + Math.max(0, (only?.length ?? ids.length) - rows.length),
        wrongExamples: wrong
          .slice(0, 5)
          .map((row) => `${row.url}: ${row.outcome} (${row.reasons}), expected ${expected.get(row.id)}`),
      }) + '\n',
    );
  } finally {
    await browser?.close();
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
