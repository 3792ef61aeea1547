// Reads the organic results from a Bing result page.
import { bingBlock } from './blocked.ts';
import {
  classList,
  dedupe,
  nextPageUrl,
  pageFacts,
  parseHtml,
  resolveHref,
  safeUrl,
  SKIP,
  textOf,
  walk,
  type SerpLink,
  type SerpParse,
} from './page.ts';

/**
 * Bing has kept one shape since 2009: `#b_results` holds one <li> per block; organic results are
 * `li.b_algo` with the title link in an <h2>. Ads are `li.b_ad` (top and bottom), answers (videos, images,
 * "People also ask", maps, related searches) are `li.b_ans`, the pager is `li.b_pag`.
 */
const SKIP_CLASSES = ['b_ad', 'b_adTop', 'b_adBottom', 'b_ans', 'b_pag', 'b_msg', 'b_vidAns'];

// Bing's own pages and ad clicks; never an organic result.
const INTERNAL_PATH = /^\/(search|images|videos|maps|news|shop|travel|aclick|aclk|fd|rewards|account)(\/|$)/;
const BING_HOST = /(^|\.)bing\.com$/;

/**
 * The result's real URL. Since 2023 Bing links results through /ck/a?…&u=a1<base64url of the URL>; the
 * target is recoverable from `u`. Ads (/aclick) and Bing's own pages give null.
 */
export function bingTarget(href: string | undefined, pageUrl: string): string | null {
  const u = resolveHref(href, pageUrl);
  if (!u) return null;
  const page = safeUrl(pageUrl);
  const own = u.host === page?.host || BING_HOST.test(u.hostname);
  if (own && u.pathname === '/ck/a') return unwrapClick(u.searchParams.get('u'));
  if (own && INTERNAL_PATH.test(u.pathname)) return null;
  return u.href;
}

function unwrapClick(u: string | null): string | null {
  if (!u || !u.startsWith('a1')) return null;
  let decoded: string;
  try {
    decoded = Buffer.from(u.slice(2), 'base64url').toString('utf8');
  } catch {
    return null;
  }
  const target = safeUrl(decoded);
  return target && (target.protocol === 'http:' || target.protocol === 'https:') ? target.href : null;
}

const NO_RESULTS = /there are no results for|нет результатов для|no results found for/i;

export function parseBingSerp(html: string, pageUrl: string): SerpParse {
  const doc = parseHtml(html);
  const facts = pageFacts(doc);
  const list = facts.ids.get('b_results');
  const blocked = bingBlock({ facts, pageUrl, hasResultList: list !== undefined });
  if (blocked) return { kind: 'blocked', reason: blocked };
  if (!list)
    return {
      kind: 'unrecognised',
      reason: `not a Bing result page: no result list (#b_results); title "${facts.title.slice(0, 80)}"`,
    };

  const items: SerpLink[] = [];
  // Context: inside an organic block, and whether its title link was already taken (deep links follow it).
  walk<{ algo: { done: boolean } | null; h2: boolean }>(list, { algo: null, h2: false }, (el, ctx) => {
    const classes = classList(el);
    if (classes.some((c) => SKIP_CLASSES.includes(c))) return SKIP;
    if (!ctx.algo) return classes.includes('b_algo') ? { algo: { done: false }, h2: false } : ctx;
    if (el.name === 'h2') return { ...ctx, h2: true };
    if (ctx.h2 && el.name === 'a' && el.attribs.href !== undefined && !ctx.algo.done) {
      ctx.algo.done = true;
      const url = bingTarget(el.attribs.href, pageUrl);
      if (url) items.push({ url, title: textOf(el) || null });
      return SKIP;
    }
    return ctx;
  });

  const nextUrl = nextPageUrl(facts.anchors, pageUrl, {
    path: /\/search$/,
    offset: 'first',
    query: 'q',
    firstOffset: 1,
  });
  const results = dedupe(items);
  const nothing = facts.classes.has('b_no') || NO_RESULTS.test(facts.text);
  if (results.length === 0 && !nothing)
    return {
      kind: 'unrecognised',
      reason:
        'a Bing page with a result list but no organic result and no "no results" notice: the layout may have changed',
    };
  return { kind: 'results', items: results, nextUrl };
}
