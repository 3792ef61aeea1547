// Reads the organic results from a Google result page (desktop, mobile and the no-JavaScript layout).
import type { Element } from 'domhandler';
import { googleBlock } from './blocked.ts';
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
 * Google's class names are minified and change every year or two; what has held since 2010 is that an
 * organic result's title is an <h3> inside its link (or, until 2019, the link inside an <h3>), and on the
 * mobile layout a `role="heading"` element inside the link. Everything around the organic list is told
 * apart by the few stable ids, attributes and element names below.
 */
const SKIP_IDS = new Set([
  'tads', // top ads ("Sponsored")
  'tadsb', // bottom ads
  'bottomads',
  'tvcap', // ads and shopping units above the results
  'taw',
  'rhs', // knowledge panel, right column
  'botstuff', // "More results", related searches
  'extrares',
  'lu_map', // local pack map
]);
const SKIP_CLASSES = [
  'ads-ad',
  'ads-fr',
  'commercial-unit-desktop-top',
  'commercial-unit-desktop-rhs',
  'commercial-unit-mobile-top',
  'commercial-unit-mobile-bottom',
  'cu-container',
  'pla-unit', // shopping ads
  'related-question-pair', // "People also ask"
];
// Carousels: top stories, videos, tweets, "People also search for"; accordions: "People also ask".
const SKIP_TAGS = new Set([
  'g-scrolling-carousel',
  'g-section-with-header',
  'g-accordion-expander',
  'g-inner-card',
  'video-voyager',
]);
const SKIP_ATTRS = ['data-text-ad', 'data-initq', 'data-pla'];

function skipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.name)) return true;
  const a = el.attribs;
  if (a.id && SKIP_IDS.has(a.id)) return true;
  if (a['aria-label'] === 'Ads') return true;
  if (SKIP_ATTRS.some((name) => a[name] !== undefined)) return true;
  return classList(el).some((c) => SKIP_CLASSES.includes(c));
}

// Google's own pages (verticals, ads, settings) linked from the result page; never an organic result.
const INTERNAL_PATH =
  /^\/(search|imgres|aclk|pagead|travel|shopping|sorry|webhp|setprefs|preferences|advanced_search)(\/|$)/;
const GOOGLE_HOST = /(^|\.)google\.[a-z.]+$/;
const AD_HOST = /(^|\.)(googleadservices\.com|doubleclick\.net|googlesyndication\.com)$/;

/** The result's real URL: /url?q= redirects unwrapped; ads and Google's own pages give null. */
export function googleTarget(href: string | undefined, pageUrl: string): string | null {
  const u = resolveHref(href, pageUrl);
  if (!u) return null;
  if (AD_HOST.test(u.hostname)) return null;
  const page = safeUrl(pageUrl);
  const own = u.host === page?.host || GOOGLE_HOST.test(u.hostname);
  if (own && u.pathname === '/url') return urlParam(u, 'q', 'url');
  if (own && INTERNAL_PATH.test(u.pathname)) return null;
  return u.href;
}

const RESULT_LISTS = ['rso', 'search', 'ires', 'center_col', 'main'];
const NO_RESULTS =
  /did not match any documents|no results found for|ne correspond à aucun document|ничего не найдено|keine mit deiner suchanfrage übereinstimmenden|no ha obtenido ningún resultado/i;

export function parseGoogleSerp(html: string, pageUrl: string): SerpParse {
  const doc = parseHtml(html);
  const facts = pageFacts(doc);
  const hasResultList = ['rso', 'search', 'ires'].some((id) => facts.ids.has(id));
  const blocked = googleBlock({ facts, pageUrl, hasResultList });
  if (blocked) return { kind: 'blocked', reason: blocked };
  const list = RESULT_LISTS.map((id) => facts.ids.get(id)).find((el) => el !== undefined);
  if (!list)
    return {
      kind: 'unrecognised',
      reason: `not a Google result page: no result list (#${RESULT_LISTS.join(', #')}); title "${facts.title.slice(0, 80)}"`,
    };

  const items: SerpLink[] = [];
  const taken = new Set<Element>();
  const add = (link: Element, title: Element) => {
    taken.add(link);
    const url = googleTarget(link.attribs.href, pageUrl);
    if (url) items.push({ url, title: textOf(title) || null });
  };
  // Context: the <a href> and the <h3> we are inside, if any.
  walk<{ link: Element | null; h3: Element | null }>(list, { link: null, h3: null }, (el, ctx) => {
    if (skipped(el)) return SKIP;
    if (el.name === 'a' && el.attribs.href !== undefined) {
      if (!ctx.h3) return { link: el, h3: null };
      // 2010–2019 layout: <h3 class="r"><a href>title</a></h3>.
      add(el, el);
      return SKIP;
    }
    const heading = el.name === 'h3' || (el.attribs.role === 'heading' && ctx.link !== null);
    if (heading && ctx.link) {
      if (!taken.has(ctx.link)) add(ctx.link, el);
      return SKIP;
    }
    if (el.name === 'h3') return { link: null, h3: el };
    return ctx;
  });

  const nextUrl = nextPageUrl(facts.anchors, pageUrl, {
    path: /\/search$/,
    offset: 'start',
    query: 'q',
    firstOffset: 0,
  });
  const results = dedupe(items);
  if (results.length === 0 && !NO_RESULTS.test(facts.text))
    return {
      kind: 'unrecognised',
      reason:
        'a Google page with a result list but no organic result and no "no results" notice: the layout may have changed',
    };
  return { kind: 'results', items: results, nextUrl };
}
