// Reads the organic results from a Yandex result page.
import type { AnyNode, Element } from 'domhandler';
import { yandexBlock } from './blocked.ts';
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
  urlParam,
  walk,
  type SerpLink,
  type SerpParse,
} from './page.ts';

/**
 * Yandex lists every block of the page as an `li.serp-item` in `#search-result` (`.serp-list`). An organic
 * result's title is `a.OrganicTitle-Link` around an <h2> (2019+; `a.organic__url` before). Wizards (maps,
 * videos, images, companies, quick answers) carry `data-fast-wzrd`; ads (Yandex Direct) carry
 * `data-fast-name="direct"`, a `label_theme_direct` label, the word "Реклама", or a click link through
 * yabs.yandex.*, and those markers move between layouts, so any one of them marks the item as an ad.
 */
const AD_LABELS = new Set(['реклама', 'ad', 'advertisement', 'промо']);
const AD_CLASS = /label_theme_direct|^serp-adv/i;
const AD_HOST = /(^|\.)(yabs\.yandex\.[a-z.]+|an\.yandex\.ru)$/;
const YANDEX_HOST = /(^|\.)(yandex\.[a-z.]+|ya\.ru)$/;
// Yandex's own verticals linked from the page; never an organic result.
const INTERNAL_PATH =
  /^\/(search|images|video|maps|clck|showcaptcha|checkcaptcha|tune|support\/search)(\/|$)/;

/** The result's real URL: /clck/ redirects unwrapped where they carry it; ads and Yandex's own search pages
 * give null. (Organic links on the page point straight at the site; Yandex swaps in a counter on click.) */
export function yandexTarget(href: string | undefined, pageUrl: string): string | null {
  const u = resolveHref(href, pageUrl);
  if (!u) return null;
  if (AD_HOST.test(u.hostname)) return null;
  const page = safeUrl(pageUrl);
  const own = u.host === page?.host || YANDEX_HOST.test(u.hostname);
  if (own && u.pathname.startsWith('/clck/')) {
    const fromParam = urlParam(u, 'url');
    if (fromParam) return fromParam;
    // /clck/redir/dtype=…/*https://site/ : the target follows the asterisk.
    const star = u.href.indexOf('/*');
    const target = star === -1 ? null : safeUrl(decodeURIComponent(u.href.slice(star + 2)));
    return target && /^https?:$/.test(target.protocol) ? target.href : null;
  }
  if (own && INTERNAL_PATH.test(u.pathname)) return null;
  return u.href;
}

function isAd(item: Element, pageUrl: string): boolean {
  if (/direct/.test(item.attribs['data-fast-name'] ?? '')) return true;
  let ad = false;
  walk(item, false, (el, inTitle) => {
    const link = el.name === 'a' ? resolveHref(el.attribs.href, pageUrl) : null;
    // The label is a short text of its own; the title itself may well be the word "Реклама".
    const title = inTitle || el.name === 'h2' || el.name === 'a';
    const label = !title && el.children.some((c) => isText(c) && AD_LABELS.has(c.data.trim().toLowerCase()));
    ad ||=
      label || (link !== null && AD_HOST.test(link.hostname)) || classList(el).some((c) => AD_CLASS.test(c));
    return ad ? SKIP : title;
  });
  return ad;
}

function isText(node: AnyNode): node is AnyNode & { data: string } {
  return (node.type as string) === 'text';
}

/** The title link of one item: an <a> holding an <h2> (or the link inside an <h2>), else the titled class. */
function titleLink(item: Element): { link: Element; title: Element } | null {
  let found: { link: Element; title: Element } | null = null;
  walk<{ link: Element | null; h2: Element | null }>(item, { link: null, h2: null }, (el, ctx) => {
    if (found) return SKIP;
    const isLink = el.name === 'a' && el.attribs.href !== undefined;
    if (isLink && ctx.h2) found = { link: el, title: ctx.h2 };
    else if (el.name === 'h2' && ctx.link) found = { link: ctx.link, title: el };
    else if (isLink && classList(el).some((c) => c === 'OrganicTitle-Link' || c === 'organic__url'))
      found = { link: el, title: el };
    if (found) return SKIP;
    if (isLink) return { link: el, h2: null };
    return el.name === 'h2' ? { link: null, h2: el } : ctx;
  });
  return found;
}

const NO_RESULTS = /ничего не нашлось|ничего не найдено|nothing found|no results found/i;

export function parseYandexSerp(html: string, pageUrl: string): SerpParse {
  const doc = parseHtml(html);
  const facts = pageFacts(doc);
  const list =
    facts.ids.get('search-result') ?? facts.classes.get('serp-list') ?? facts.classes.get('content__left');
  const blocked = yandexBlock({ facts, pageUrl, hasResultList: list !== undefined });
  if (blocked) return { kind: 'blocked', reason: blocked };
  if (!list)
    return {
      kind: 'unrecognised',
      reason: `not a Yandex result page: no result list (#search-result, .serp-list); title "${facts.title.slice(0, 80)}"`,
    };

  const items: SerpLink[] = [];
  walk(list, null, (el) => {
    if (!classList(el).includes('serp-item')) return null;
    // An item is read whole here; items nested in it (never seen, but possible) are not read again.
    if (el.attribs['data-fast-wzrd'] || isAd(el, pageUrl)) return SKIP;
    const found = titleLink(el);
    const url = found && yandexTarget(found.link.attribs.href, pageUrl);
    if (found && url) items.push({ url, title: textOf(found.title) || null });
    return SKIP;
  });

  const nextUrl = nextPageUrl(facts.anchors, pageUrl, {
    path: /\/(yand)?search\/?$/,
    offset: 'p',
    query: 'text',
    firstOffset: 0,
  });
  const results = dedupe(items);
  if (results.length === 0 && !NO_RESULTS.test(facts.text))
    return {
      kind: 'unrecognised',
      reason:
        'a Yandex page with a result list but no organic result and no "nothing found" notice: the layout may have changed',
    };
  return { kind: 'results', items: results, nextUrl };
}
