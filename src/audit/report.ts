// One crawl as a plain JSON document (for `promowatch crawl --json` and scripts): pages and issues.
import type { Sql } from '../db/store/types.ts';
import { SITEMAP_DEPTH } from '../crawl/store.ts';
import { MAX_REDIRECT_HOPS } from './redirect-chains.ts';

export interface ReportPage {
  url: string;
  status: number | null;
  finalUrl: string | null;
  redirects: { url: string; status: number | null; location: string }[];
  title: string | null;
  canonical: string | null;
  robots: string | null;
  noindex: boolean;
  depth: number | null;
  inSitemap: boolean;
  blockedByRobots: boolean;
  skipped: string | null;
  error: string | null;
}

export interface ReportIssue {
  rule: string;
  severity: string;
  url: string | null;
  details: string | null;
}

export async function crawlReport(
  sql: Sql,
  crawlId: number,
): Promise<{ pages: ReportPage[]; issues: ReportIssue[] }> {
  const rows = await sql.all<Record<string, string | number | null>>(
    `SELECT url, status, final_url, location, title, canonical, meta_robots, x_robots_tag, noindex, depth, in_sitemap, state, skip_reason, error
       FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' ORDER BY depth, id`,
    [crawlId],
  );
  const byUrl = new Map(rows.map((r) => [r.url as string, r]));
  // A chain is listed once, from the URL it starts at; a URL inside it lists only its own hop (listing
  // the rest of the chain from every URL in it made an endless chain's output quadratic).
  const redirectTargets = new Set(rows.map((r) => r.location as string | null));
  const pages = rows.map((r): ReportPage => {
    const redirects: ReportPage['redirects'] = [];
    let hop: Record<string, string | number | null> | undefined = r;
    const seen = new Set<string>();
    const most = redirectTargets.has(r.url as string) ? 1 : MAX_REDIRECT_HOPS + 1;
    while (hop?.location && !seen.has(hop.url as string) && redirects.length < most) {
      seen.add(hop.url as string);
      redirects.push({
        url: hop.url as string,
        status: hop.status as number | null,
        location: hop.location as string,
      });
      hop = byUrl.get(hop.location as string);
    }
    const robots = [r.meta_robots, r.x_robots_tag ? `X-Robots-Tag: ${r.x_robots_tag}` : null]
      .filter(Boolean)
      .join('; ');
    return {
      url: r.url as string,
      status: r.status as number | null,
      // No final URL for a redirect whose chain has no end (loop, or too long to follow).
      finalUrl:
        (r.final_url as string | null) ?? (r.state === 'done' && !r.location ? (r.url as string) : null),
      redirects,
      title: r.title as string | null,
      canonical: r.canonical as string | null,
      robots: robots || null,
      noindex: r.noindex === 1,
      depth: (r.depth as number) >= SITEMAP_DEPTH ? null : (r.depth as number),
      inSitemap: r.in_sitemap === 1,
      blockedByRobots: r.state === 'blocked',
      skipped: r.state === 'skipped' ? (r.skip_reason as string) : null,
      error: r.error as string | null,
    };
  });
  const issues = await sql.all<ReportIssue>(
    `SELECT i.rule, i.severity, u.url, i.details FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ?
       ORDER BY CASE i.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.rule, u.url NULLS FIRST, i.id`,
    [crawlId],
  );
  return { pages, issues };
}
