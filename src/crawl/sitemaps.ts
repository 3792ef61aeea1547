// Finds a site's sitemaps (robots.txt Sitemap lines, else /sitemap.xml), follows sitemap indexes and
// .xml.gz files, and returns the page URLs they list, bounded in count and size.
import type { FetchResult } from '../fetch/http-fetcher.ts';
import { gunzipBounded, looksGzipped, parseSitemap } from './sitemap.ts';

export interface SitemapDiscovery {
  urls: string[];
  sitemaps: { url: string; status: number | null; entries: number; error: string | null }[];
  problems: string[];
}

const MAX_SITEMAPS = 50;
const MAX_SITEMAP_BYTES = 50 * 1024 * 1024; // the protocol's limit for one uncompressed file

export async function discoverSitemaps(
  site: URL,
  fromRobots: string[],
  fetch: (url: string) => Promise<FetchResult>,
  maxUrls: number,
): Promise<SitemapDiscovery> {
  const out: SitemapDiscovery = { urls: [], sitemaps: [], problems: [] };
  const queue = fromRobots.length > 0 ? [...fromRobots] : [new URL('/sitemap.xml', site).href];
  const seen = new Set<string>();
  const urls = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_SITEMAPS && urls.size < maxUrls) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    try {
      const res = await fetch(url);
      if (res.status !== 200) {
        out.sitemaps.push({ url, status: res.status, entries: 0, error: `answered ${res.status}` });
        // A missing /sitemap.xml we only guessed at is not a problem; one named in robots.txt is.
        if (fromRobots.includes(url))
          out.problems.push(`${url} (listed in robots.txt) answered ${res.status}`);
        continue;
      }
      const bytes = looksGzipped(res.body) ? gunzipBounded(res.body, MAX_SITEMAP_BYTES) : res.body;
      const parsed = parseSitemap(Buffer.from(bytes).toString('utf8'));
      out.sitemaps.push({
        url,
        status: res.status,
        entries: parsed.urls.length + parsed.sitemaps.length,
        error: parsed.errors[0] ?? null,
      });
      for (const e of parsed.errors) out.problems.push(`${url}: ${e}`);
      queue.push(...parsed.sitemaps);
      for (const u of parsed.urls) if (urls.size < maxUrls) urls.add(u);
    } catch (err) {
      out.sitemaps.push({ url, status: null, entries: 0, error: (err as Error).message });
      out.problems.push(`${url}: ${(err as Error).message}`);
    }
  }
  if (queue.length > 0 && seen.size >= MAX_SITEMAPS)
    out.problems.push(`more than ${MAX_SITEMAPS} sitemaps; the rest were not read`);
  out.urls = [...urls];
  return out;
}
