// Reads the organic results from a Yandex result page: the desktop and mobile layouts from 2016 to today.
import type { AnyNode, Element } from 'domhandler';
import { yandexBlock } from './blocked.ts';
import {
  classList,
  dedupe,
  isElement,
  MAX_TITLE,
  nextPageUrl,
  pageFacts,
  parseHtml,
  resolveHref,
  safeUrl,
  SKIP,
  urlParam,
  walk,
  type SerpLink,
  type SerpParse,
} from './page.ts';

/**
 * Every block of a Yandex result page is a `.serp-item` in the result list (`#search-result`, `.serp-list`):
 * organic results, Yandex Direct ads, and wizards — Yandex's own blocks (Market offers, maps and companies,
 * images, videos, news, real estate, facts, Yandex Q…). The rules below come from real pages of 2016–2022,
 * desktop and mobile; tests/fixtures/serp/yandex/README.md lists what each of our fixtures reproduces.
 *
 * Positions. Yandex prints counters into its pages — `aria-posinset` on the 2016 blocks, a visually hidden
 * digit inside each title (`.a11y-hidden`, 2016–2021) with a matching `accesskey` — but they number blocks,
 * not organic results: a wizard takes a number (a 50-result page holds exactly 50 organic results and the
 * counters run to 51 around a Market block), in 2018 the four Direct ads above the results carried 1–4,
 * and in 2020–2021 the digits appear on some results only, skip values and disagree with the accesskey.
 * So a result's position is its place among the organic results in the page's order (also the order of
 * Yandex's `data-cid` block ids, which start again on each page the mobile "ещё" appends), and the
 * counters are cut out of the titles. A wizard never takes a position, numbered or not: it is not a
 * document of the index (Yandex's own XML search API returns the organic documents without them too).
 * Yandex's services do rank as ordinary results — a Maps organisation page, a Market catalogue page, a
 * Timetables route — and those count; only a wizard's markers or a link to a Yandex search page
 * (`?text=`) tell a wizard apart.
 */
const AD_LABELS = new Set(['реклама', 'ad', 'advertisement', 'промо']);
const AD_CLASS = /label_theme_direct|^serp-adv|^t-construct-adapter__adv$/i;
const AD_HOST = /(^|\.)(yabs\.yandex\.[a-z.]+|an\.yandex\.ru)$/;
// The query's words are highlighted with these; a snippet saying "Реклама" is not an ad label.
const HIGHLIGHT = new Set(['b', 'strong', 'em', 'mark']);

/**
 * Wizard markers. Since 2019 every wizard carries `data-fast-wzrd` or `data-fast-name` (companies, images,
 * videowiz, realty, ecommerce_constr, market_constr, entity_search, related_discovery, q…) and organic
 * results carry neither. In 2016–2018 the block's classes say it: `z-` blocks (z-market, z-images, z-news,
 * z-video, z-companies, z-tournament…), the `t-construct-adapter__` of a wizard kind, Market, news and
 * company templates, right-column and divided cards; and a link into a Yandex service is marked
 * `…_target_vertical-service`.
 */
const WIZARD_CLASS =
  /^(z-|t-(market|images|news|companies|video|sport)|template-(object-badge|fact)$|zalogin|card__(narrow|divided|colorize|hidden)$)/;
const WIZARD_ADAPTER =
  /^t-construct-adapter__(market-|images|video(?!thumb)|free-video|videowiz|news|companies|tours|tournament|sport|entity|[a-z-]*fact$|units-converter|calculator|ugc|demolition|app-search|realty|auto-regions|post-indexes)/;
const VERTICAL_LINK = /_target_vertical-service$/;

const YANDEX_HOST = /(^|\.)(yandex\.[a-z.]+|ya\.ru)$/;
// The search itself (not a service on a subdomain such as rasp.yandex.ru or market.yandex.ru).
const SEARCH_HOST = /^((www|m)\.)?(yandex\.[a-z.]+|ya\.ru)$/;
const INTERNAL_PATH =
  /^\/(search|yandsearch|touchsearch|images|video|clck|showcaptcha|checkcaptcha|tune|support\/search)(\/|$)/;
const TURBO_HOST = /(^|\.)turbopages\.org$/;

/**
 * The result's real URL: /clck/ redirects, Turbo copies and the warning page before a dangerous site are
 * unwrapped to the site's own address; ads and Yandex's own search pages give null. (Organic links on the
 * page point straight at the site; Yandex swaps in a counter on click.)
 */
export function yandexTarget(href: string | undefined, pageUrl: string): string | null {
  const u = resolveHref(href, pageUrl);
  if (!u) return null;
  if (AD_HOST.test(u.hostname)) return null;
  // Turbo pages (mobile, 2017–2022) are Yandex's fast copy of a site's page; the position is the site's.
  if (TURBO_HOST.test(u.hostname)) return turboOrigin(u.pathname) ?? u.href;
  const page = safeUrl(pageUrl);
  if (u.host !== page?.host && !YANDEX_HOST.test(u.hostname)) return u.href;
  if (u.pathname.startsWith('/clck/')) {
    const fromParam = urlParam(u, 'url');
    if (fromParam) return fromParam;
    // /clck/redir/dtype=…/*https://site/ : the target follows the asterisk.
    const star = u.href.indexOf('/*');
    const target = star === -1 ? null : safeUrl(decodeURIComponent(u.href.slice(star + 2)));
    return target && /^https?:$/.test(target.protocol) ? target.href : null;
  }
  if (/^\/(search\/infected|safety)\/?$/.test(u.pathname)) return urlParam(u, 'url');
  if (u.pathname === '/turbo' || u.pathname.startsWith('/turbo/'))
    return urlParam(u, 'text') ?? turboOrigin(u.pathname.slice('/turbo'.length));
  // Yandex's search pages (web, images, video, maps, news, Market, products, collections, ads) carry the
  // query in `text`: a wizard's link, never a document.
  if (u.searchParams.has('text')) return null;
  const searchHost = u.host === page?.host || SEARCH_HOST.test(u.hostname);
  if (searchHost && INTERNAL_PATH.test(u.pathname)) return null;
  return u.href;
}

/** `/<host>/s/<path>` (turbopages.org and yandex.ru/turbo/) is the Turbo copy of https://<host>/<path>. */
function turboOrigin(path: string): string | null {
  const m = /^\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/s\/(.*)$/i.exec(path);
  const target = m ? safeUrl(`https://${m[1]}/${m[2]}`) : null;
  return target?.href ?? null;
}

function isText(node: AnyNode): node is AnyNode & { data: string } {
  return (node.type as string) === 'text';
}

function isAd(item: Element, pageUrl: string): boolean {
  if (/direct/.test(item.attribs['data-fast-name'] ?? '')) return true;
  let ad = false;
  walk(item, false, (el, inTitle) => {
    const link = el.name === 'a' ? resolveHref(el.attribs.href, pageUrl) : null;
    // The label is a short text of its own; the title itself may well be the word "Реклама".
    const title = inTitle || el.name === 'h2' || el.name === 'a';
    const label =
      !title &&
      !HIGHLIGHT.has(el.name) &&
      el.children.some((c) => isText(c) && AD_LABELS.has(c.data.trim().toLowerCase()));
    ad ||=
      label || (link !== null && AD_HOST.test(link.hostname)) || classList(el).some((c) => AD_CLASS.test(c));
    return ad ? SKIP : title;
  });
  return ad;
}

function isWizard(item: Element): boolean {
  const a = item.attribs;
  if (a['data-fast-wzrd'] !== undefined || a['data-fast-name'] !== undefined) return true;
  return classList(item).some((c) => WIZARD_CLASS.test(c) || WIZARD_ADAPTER.test(c));
}

/** A block of a title row and a widget row (news, music, a map, a showcase): `composite` in 2017–2021,
 * `template-composite` in 2016. Built around a Yandex service, it is that service's wizard; around a
 * site (an Instagram profile with its posts), an organic result. */
function isComposite(item: Element): boolean {
  if (classList(item).includes('template-composite')) return true;
  const first = item.children.find(isElement);
  return first !== undefined && classList(first).includes('composite');
}

const TITLE_LINK = ['OrganicTitle-Link', 'organic__url', 'serp-item__title-link'];

/**
 * The title of one block: the link holding the <h2> (2019+), the link inside the <h2> (before), or a
 * title-classed link. An <h2> with no link in it (a result Yandex flags as dangerous, some mobile
 * snippets) is the title of a result whose address sits elsewhere in the block.
 */
function titleOf(item: Element): { link: Element | null; title: Element } | null {
  let found: { link: Element | null; title: Element } | null = null;
  let bare: Element | null = null;
  walk<{ link: Element | null; h2: Element | null }>(item, { link: null, h2: null }, (el, ctx) => {
    if (found) return SKIP;
    if (classList(el).includes('serp-item')) return SKIP; // a block nested in this one is its own
    // 2016: a clickable favicon link before the title link.
    if (classList(el).some((c) => /^favicon/i.test(c))) return SKIP;
    const isLink = el.name === 'a' && el.attribs.href !== undefined;
    if (isLink && (ctx.h2 || classList(el).some((c) => TITLE_LINK.includes(c))))
      found = { link: el, title: el };
    else if (el.name === 'h2' && ctx.link) found = { link: ctx.link, title: el };
    if (found) return SKIP;
    if (isLink) return { link: el, h2: null };
    if (el.name !== 'h2') return ctx;
    bare ??= el;
    return { link: null, h2: el };
  });
  return found ?? (bare ? { link: null, title: bare } : null);
}

// Where a block whose title has no link keeps the address: the "go to the site anyway" link of a flagged
// result, else the green path under the title (its last link is the page, the first the site).
const ADDRESS_HOLDERS = ['template-infected__unsafe', 'organic__path', 'Organic-Path', 'serp-url'];

function addressBesideTitle(item: Element, pageUrl: string): string | null {
  for (const holder of ADDRESS_HOLDERS) {
    let links: Element[] | null = null;
    walk(item, null, (el) => {
      if (links) return SKIP;
      if (!classList(el).includes(holder)) return null;
      const found: Element[] = [];
      walk(el, null, (a) => (a.name === 'a' && a.attribs.href ? (found.push(a), SKIP) : null));
      links = found;
      return SKIP;
    });
    const last = (links as Element[] | null)?.at(-1);
    const url = last && yandexTarget(last.attribs.href, pageUrl);
    // A Yandex address beside a linkless title is a wizard's (an organisation card opening in place).
    if (url) return YANDEX_HOST.test(new URL(url).hostname) ? null : url;
  }
  return null;
}

// The element holding just the title's words, where the layout has one.
const TITLE_TEXT = [
  'OrganicTitle-LinkText',
  'organic__url-text',
  'serp-item__title-inner-link',
  'OrganicTitleContentSpan',
  'organic__title',
];
// Never part of a title: the hidden counters, the favicon, and the path and rating that some layouts draw
// inside the title link.
const NOT_TITLE =
  /^(a11y-hidden|A11yHidden|serp-item__number|b-serp-item__number|favicon|Favicon|path|Path|organic__path|OrganicSubtitle|organic__subtitle|OfferReviews|Extralinks)$/;
const NO_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg']);

const isTitleText = (el: Element) => classList(el).some((c) => TITLE_TEXT.includes(c));

function titleText(title: Element): string | null {
  let root: Element | null = isTitleText(title) ? title : null;
  walk(title, null, (el) => {
    if (root) return SKIP;
    if (isTitleText(el)) root = el;
    return root ? SKIP : null;
  });
  root ??= title;
  let out = '';
  const stack: AnyNode[] = [root];
  while (stack.length && out.length <= MAX_TITLE * 2) {
    const node = stack.pop()!;
    if (isText(node)) out += node.data;
    else if (isElement(node) && !NO_TEXT.has(node.name) && !classList(node).some((c) => NOT_TITLE.test(c))) {
      if (node.name === 'br') out += ' ';
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  const text = out.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text;
}

/** One block's organic result, or null for an ad, a wizard or a block without an address. */
function organicResult(item: Element, pageUrl: string): SerpLink | null {
  if (isAd(item, pageUrl) || isWizard(item)) return null;
  // A page without a <title> is listed with its address alone, in the green path.
  const found = titleOf(item);
  if (found?.link && classList(found.link).some((c) => VERTICAL_LINK.test(c))) return null;
  const url = found?.link
    ? yandexTarget(found.link.attribs.href, pageUrl)
    : addressBesideTitle(item, pageUrl);
  if (!url) return null;
  if (isComposite(item) && YANDEX_HOST.test(new URL(url).hostname)) return null;
  return { url, title: found ? titleText(found.title) : null };
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
    // A block is read whole here; blocks nested in it are not read again.
    const result = organicResult(el, pageUrl);
    if (result) items.push(result);
    return SKIP;
  });

  // The touch (mobile) layout pages through /search/touch/.
  const nextUrl = nextPageUrl(facts.anchors, pageUrl, {
    path: /\/(yand)?search(\/touch)?\/?$/,
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
