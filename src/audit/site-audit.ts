// The site audit: a crawl with the audit as its consumer. Page rules judge each page's facts as the
// crawl stores them; when the crawl ends, the crawl-wide rules run over what it stored (finish.ts).
import {
  crawlSite,
  DEFAULT_CRAWL_SETTINGS,
  definedOnly,
  type CrawlConsumer,
  type CrawlDeps,
  type CrawlInput,
  type CrawlSettings,
  type PageIssue,
} from '../crawl/crawler.ts';
import { storeOf } from '../db/store/sqlite.ts';
import type { Sql } from '../db/store/types.ts';
import { finishCrawl, type CrawlSummary } from './finish.ts';
import { FAMILIES } from './rules/index.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { PageFacts, RuleFamily, Thresholds } from './types.ts';

/** The crawl's settings and the audit's thresholds, as a site's `crawl` config section holds them. */
export interface AuditSettings extends CrawlSettings {
  thresholds: Thresholds;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  ...DEFAULT_CRAWL_SETTINGS,
  thresholds: DEFAULT_THRESHOLDS,
};

export interface AuditDeps extends Omit<CrawlDeps, 'consumer'> {
  /**
   * The store the audit's rules and summary run on, over the crawl's database (ctx.sql, rt.sql). A
   * caller holding only the SQLite `db` (tests, the benchmark) gets that connection's one store.
   */
  sql?: Sql;
  families?: readonly RuleFamily[];
}

export interface AuditInput extends CrawlInput {
  settings: AuditSettings;
}

/** The issues the families' page rules find on one page, with each rule's severity. */
export function auditPage(
  families: readonly RuleFamily[],
  thresholds: Thresholds,
  page: PageFacts,
): PageIssue[] {
  const issues: PageIssue[] = [];
  for (const fam of families)
    for (const issue of fam.page?.(page, thresholds) ?? []) {
      const info = fam.rules.find((r) => r.id === issue.rule)!;
      issues.push({ rule: issue.rule, severity: info.severity, details: issue.details ?? null });
    }
  return issues;
}

/** Crawls the site and audits it; returns the crawl's summary (issues by severity, health). */
export async function auditSite(deps: AuditDeps, input: AuditInput): Promise<CrawlSummary> {
  const families = deps.families ?? FAMILIES;
  const thresholds = input.settings.thresholds;
  const sql = deps.sql ?? storeOf(deps.db!);
  let summary: CrawlSummary | undefined;
  const consumer: CrawlConsumer = {
    page: (page) => auditPage(families, thresholds, page),
    end: async (outcome) => {
      summary = await finishCrawl(sql, outcome.crawlId, families, thresholds, {
        ...outcome,
        now: deps.now(),
      });
    },
  };
  await crawlSite({ ...deps, consumer }, input);
  return summary!;
}

/** Full settings from the config's partial ones (site.crawl), defaults filling the gaps. */
export function auditSettingsFrom(
  partial: Partial<Omit<AuditSettings, 'thresholds'>> & { thresholds?: Partial<Thresholds> } = {},
): AuditSettings {
  const { thresholds, ...rest } = partial;
  return {
    ...DEFAULT_AUDIT_SETTINGS,
    ...definedOnly(rest),
    thresholds: { ...DEFAULT_THRESHOLDS, ...definedOnly(thresholds ?? {}) },
  };
}
