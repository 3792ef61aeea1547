// `promowatch crawl <url>`: an ad hoc crawl and audit without a config, like linkinator; summary or JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crawlReport } from '../../audit/report.ts';
import { ruleText } from '../../audit/explain.ts';
import type { Severity } from '../../audit/types.ts';
import { BrowserPool } from '../../browser/launcher.ts';
import { auditSettingsFrom, auditSite } from '../../audit/site-audit.ts';
import { closeDatabase, openDatabase } from '../../db/open.ts';
import { storeOf } from '../../db/store/sqlite.ts';
import { messages } from '../../i18n/index.ts';
import { createLogger } from '../../util/log.ts';
import { createProgress } from '../../util/progress.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

function positiveInt(name: string, raw: unknown, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${String(raw)}"`);
  return n;
}

export const crawlCommand: Command = {
  name: 'crawl',
  summary: 'crawl and audit a site now, without a config (exit 1 when errors are found)',
  usage:
    'promowatch crawl <url> [--max-pages N] [--render] [--json] [--concurrency N] [--rps N] [--external] [--db FILE]',
  help: `  <url>             where to start; the crawl stays on its host
  --max-pages N     stop after N pages (default 10000)
  --render          read each page after JavaScript runs (headless Chromium)
  --json            print one JSON document: {summary, pages[], issues[]}
  --concurrency N   requests at once (default 4)
  --rps N           requests per second at most (default 10; 0 = no limit)
  --external        also check links to other sites
  --db FILE         keep the crawl in this SQLite file (default: a temporary one, deleted)
  -h, --help        show this help

robots.txt is obeyed (user-agent token "promowatch"). Exit code 0 when no error-level issue was
found, 1 when one was, 2 for a usage error.`,
  options: {
    'max-pages': { type: 'string' },
    render: { type: 'boolean' },
    json: { type: 'boolean' },
    concurrency: { type: 'string' },
    rps: { type: 'string' },
    external: { type: 'boolean' },
    db: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: { min: 1, max: 1 },
  async run(values, [url], io) {
    let start: URL;
    try {
      start = new URL(url!);
      if (start.protocol !== 'http:' && start.protocol !== 'https:') throw new Error();
    } catch {
      throw new UsageError(`"${url}" is not an absolute http(s) URL`);
    }
    const rps = values.rps === undefined ? undefined : Number(values.rps);
    if (rps !== undefined && (!Number.isFinite(rps) || rps < 0))
      throw new UsageError(`--rps must be a number ≥ 0, got "${String(values.rps)}"`);
    const settings = auditSettingsFrom({
      maxPages: positiveInt('max-pages', values['max-pages'], 10_000_000),
      concurrency: positiveInt('concurrency', values.concurrency, 128),
      requestsPerSecond: rps,
      render: Boolean(values.render),
      checkExternal: Boolean(values.external),
    });
    const tempDir = values.db ? null : mkdtempSync(join(tmpdir(), 'promowatch-crawl-'));
    const dbFile = values.db ? resolve(values.db as string) : join(tempDir!, 'crawl.db');
    const db = openDatabase(dbFile);
    const sql = storeOf(db);
    const browser = new BrowserPool();
    const abort = new AbortController();
    void io.stopSignal.then(() => abort.abort(new Error('interrupted')));
    try {
      const log = createLogger({ level: values.json ? 'error' : 'warn' });
      const summary = await auditSite(
        {
          db,
          sql,
          now: () => new Date(),
          log,
          signal: abort.signal,
          browser,
          progress: values.json
            ? undefined
            : (label, total) => createProgress({ label, total, log: io.err, stream: process.stderr }),
        },
        { siteId: null, startUrl: start.href, settings },
      );
      const report = await crawlReport(sql, summary.crawlId);
      if (values.json) {
        io.out(JSON.stringify({ summary, ...report }));
      } else {
        // The summary speaks English, from the English catalogue (the words the dashboard uses too).
        const t = messages('en').audit;
        io.out(t.cli.crawled(summary.pages, summary.urls, start.host, summary.seconds, summary.health));
        io.out(
          t.cli.counts(
            summary.issues.error,
            summary.issues.warning,
            summary.issues.notice,
            summary.leftUnvisited,
            summary.complete,
          ),
        );
        const byRule = new Map<string, { n: number; example: string | null; severity: Severity }>();
        for (const i of report.issues) {
          const e = byRule.get(i.rule) ?? { n: 0, example: i.url, severity: i.severity as Severity };
          e.n++;
          byRule.set(i.rule, e);
        }
        for (const [rule, e] of byRule)
          io.out(
            t.cli.ruleLine(t.severity[e.severity] ?? e.severity, e.n, ruleText(rule, t).name, e.example),
          );
        if (values.db) io.out(t.cli.details(dbFile, summary.crawlId));
      }
      return summary.issues.error > 0 || summary.status !== 'ok' ? EXIT.failed : EXIT.ok;
    } finally {
      await browser.close();
      closeDatabase(db);
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  },
};
