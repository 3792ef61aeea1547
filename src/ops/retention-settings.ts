// The retention settings and their defaults, apart from src/ops/retention.ts so the config schema can
// read them without importing the pruning code.

/** Days to keep each kind of data; null keeps it for ever. */
export interface RetentionSettings {
  jobRunsDays: number | null;
  uptimeChecksDays: number | null;
  crawlsDays: number | null;
  resultPageBodiesDays: number | null;
  backlinkScreenshotsDays: number | null;
}

/**
 * The first three are the values db-maintenance had built in before they became settings. Crawls are
 * the largest rows by far; a year of weekly crawls keeps the trend, and the latest two per site are
 * always kept so the comparison survives a long pause. Result-page bodies (gzipped, kept as evidence of
 * a position; the positions themselves stay) and backlink screenshots were kept for ever until then:
 * 400 days keeps a year-on-year look, and a link's screenshots of a change of state and of its latest
 * check are never pruned (src/backlinks/evidence.ts: what a refund claim rests on).
 */
export const RETENTION_DEFAULTS: RetentionSettings = {
  jobRunsDays: 180,
  uptimeChecksDays: 400,
  crawlsDays: 400,
  resultPageBodiesDays: 400,
  backlinkScreenshotsDays: 400,
};
