// Job: crawl each site and audit it (src/crawl, src/audit); the Site audit page shows the results.
import { crawlSettingsFrom, crawlSite } from '../src/crawl/crawler.ts';
import type { Job } from './types.ts';

export const crawlSiteJob: Job = {
  name: 'crawl-site',
  description:
    'Crawls the site (robots.txt, sitemaps, redirects, charsets) and runs the audit rules; compares with the last crawl',
  scope: 'site',
  defaultSchedule: '0 4 * * 1',
  async run(ctx) {
    const site = ctx.site!;
    const settings = crawlSettingsFrom(ctx.siteConfig?.crawl ?? {});
    const r = await crawlSite(
      {
        db: ctx.db,
        now: ctx.now,
        log: ctx.log,
        signal: ctx.signal,
        browser: ctx.browser,
        progress: ctx.progress,
      },
      { siteId: site.id, runId: ctx.runId, startUrl: site.baseUrl, settings },
    );
    if (r.status === 'interrupted')
      throw new Error(
        `crawl stopped after ${r.pages} pages; what was crawled is saved as crawl #${r.crawlId}`,
      );
    return {
      pages: r.pages,
      urls: r.urls,
      errors: r.issues.error,
      warnings: r.issues.warning,
      notices: r.issues.notice,
      health: r.health ?? 0,
    };
  },
};
