// What an audit rule family is: rules described once, page checks as pure functions, crawl-wide checks as SQL.
import type { CrawledPage } from '../crawl/page-record.ts';
import type { Sql } from '../db/store/types.ts';
import type { FamilyId, RuleId } from '../i18n/messages/audit-rules.ts';

export type Severity = 'error' | 'warning' | 'notice';

/**
 * A rule: its stable id (stored in crawl_issues.rule) and severity. Its words — name, what it means, how
 * to fix it — are in the catalogue under audit.rules[id] (src/i18n/messages/audit-rules.ts); `title` is
 * the English name, for the CLI and whatever speaks English only.
 */
export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  title: string;
}

/** Thresholds; defaults are close to Screaming Frog's (see src/audit/thresholds.ts). */
export interface Thresholds {
  titleMinChars: number;
  titleMaxChars: number;
  descriptionMinChars: number;
  descriptionMaxChars: number;
  h1MaxChars: number;
  thinContentWords: number;
  slowTtfbMs: number;
  largeHtmlBytes: number;
  deepPageDepth: number;
  imageMaxBytes: number;
  nearDuplicateBits: number;
  urlMaxChars: number;
}

/** Everything the page rules may look at for one fetched HTML page: what the crawl hands over. */
export type PageFacts = CrawledPage;

export interface IssueInput {
  rule: string;
  details?: string;
}

/** How much of the site a crawl saw, for rules that judge by what is absent (no inlinks). */
export interface CrawlExtent {
  /** Every page the crawl found was fetched: none left by crawl.maxPages or by a stop. */
  complete: boolean;
}

export interface RuleFamily {
  /** Stable id; its name in each language is audit.families[id] in the catalogue. */
  id: FamilyId;
  rules: RuleInfo[];
  /** Pure: facts in, issues out. */
  page?(facts: PageFacts, t: Thresholds): IssueInput[];
  /** After the crawl: SQL over the whole crawl, inserting into crawl_issues (inside finishCrawl's transaction). */
  crawl?(sql: Sql, crawlId: number, t: Thresholds, crawl: CrawlExtent): Promise<void>;
}
