// The browser fetcher: the same FetchResult as plain HTTP, plus the document as Chromium has it once
// its scripts ran, so a crawl of a JavaScript-built site reads pages with the same code.
import { isHtmlDocument, type Fetcher } from '../fetch/http-fetcher.ts';
import type { BrowserPool } from './launcher.ts';

/**
 * Fetches with `http` first: status, headers, redirects and the raw body (its charset, its size) are
 * what the server sent, which a browser hides. HTML answers are then opened in Chromium and the result
 * carries the rendered document in `rendered`; a failed rendering is reported there, not thrown, so the
 * page keeps what plain HTTP got.
 */
export function browserFetcher(browser: BrowserPool, http: Fetcher): Fetcher {
  return {
    async fetch(url, opts) {
      const res = await http.fetch(url, opts);
      if (!isHtmlDocument(res)) return res;
      try {
        return { ...res, rendered: { html: await render(browser, url, opts.timeoutMs ?? 15_000) } };
      } catch (err) {
        return { ...res, rendered: { error: err instanceof Error ? err.message : String(err) } };
      }
    },
  };
}

async function render(browser: BrowserPool, url: string, timeoutMs: number): Promise<string> {
  return browser.withContext(async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    return page.content();
  });
}
