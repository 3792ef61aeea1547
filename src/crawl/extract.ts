// Reads the facts an audit needs from one HTML document in a single pass (src/crawl/html-scan.ts, which
// gives htmlparser2's events at a fraction of its cost): no DOM is built, so a page costs little memory
// and time whatever its size.
import { parseRefresh } from '../fetch/http-fetcher.ts';
import { scanHtml, type TagAttrs } from './html-scan.ts';
import { wordFacts } from './word-facts.ts';

export { scanWords } from './word-facts.ts';

export type LinkKind = 'a' | 'img' | 'css' | 'js' | 'iframe' | 'media' | 'other';

export interface LinkFact {
  href: string;
  kind: LinkKind;
  /** Anchor text (with the alt of images inside the link) for <a>; alt text for <img>. */
  text: string;
  rel: string;
  /** <img> only: false when the alt attribute is absent (an empty alt="" is a deliberate choice). */
  hasAlt?: boolean;
}

export interface HtmlFacts {
  title: string | null;
  titleCount: number;
  metaDescription: string | null;
  metaDescriptionCount: number;
  /** content of <meta name="robots|googlebot|yandex|bingbot">, by lower-case name. */
  metaRobots: Record<string, string>;
  metaRefresh: { seconds: number; url: string | null } | null;
  canonicals: string[];
  hreflang: { lang: string; href: string }[];
  baseHref: string | null;
  lang: string | null;
  viewport: string | null;
  h1: string[];
  links: LinkFact[];
  linksDropped: number;
  /** The page had more than maxTags tags; only the part before the cut was read. */
  tagsCut: boolean;
  wordCount: number;
  /** sha1 of the visible text's words, lower-cased: equal for pages with the same text. */
  contentHash: string;
  /** 64-bit simhash of word 3-shingles, as 16 hex digits: near-equal for near-duplicate text. */
  simhash: string;
}

export interface ExtractOptions {
  maxLinks?: number;
  /** Tags read at most; see tagLimitCut(). */
  maxTags?: number;
}

/**
 * Where to cut a document so that it holds at most `maxTags` start tags, or -1 when it has fewer.
 * htmlparser2's Parser slowed down quadratically on many unclosed nested elements (80,000 took 1.5 s,
 * a hostile 5 MB page minutes); the scanner is linear, but a page past the limit is still read up to the
 * limit and says so, which bounds the facts kept (and the SERP parser relies on the same cut).
 */
export function tagLimitCut(html: string, maxTags: number): number {
  // What /<[a-zA-Z]/g would match, found with indexOf: a third of the regular expression's time.
  let n = 0;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    const c = html.charCodeAt(at + 1) | 0x20;
    if (c >= 0x61 && c <= 0x7a && ++n > maxTags) return at;
  }
  return -1;
}

const SKIP_TEXT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'title',
  'textarea',
  'select',
]);
const MAX_KEPT_TEXT = 1000;
const ATTR_TAGS: ReadonlySet<string> = new Set([
  ...['html', 'meta', 'link', 'base', 'a', 'area', 'img', 'script', 'iframe'],
  ...['video', 'audio', 'source', 'embed'],
]);
const ROBOTS_NAMES = new Set(['robots', 'googlebot', 'yandex', 'bingbot']);
function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_KEPT_TEXT ? t.slice(0, MAX_KEPT_TEXT) : t;
}

export function extractHtml(html: string, opts: ExtractOptions = {}): HtmlFacts {
  const maxLinks = opts.maxLinks ?? 5000;
  const facts: HtmlFacts = {
    title: null,
    titleCount: 0,
    metaDescription: null,
    metaDescriptionCount: 0,
    metaRobots: {},
    metaRefresh: null,
    canonicals: [],
    hreflang: [],
    baseHref: null,
    lang: null,
    viewport: null,
    h1: [],
    links: [],
    linksDropped: 0,
    tagsCut: false,
    wordCount: 0,
    contentHash: '',
    simhash: '',
  };
  let skipDepth = 0;
  let titleText: string | null = null;
  let h1Text: string | null = null;
  let anchor: LinkFact | null = null;
  let anchorText = '';
  // Visible text is collected and tokenised once at the end: one native lower-casing and one regex
  // pass over the page beat doing both per text event.
  const chunks: string[] = [];

  const addLink = (l: LinkFact) => {
    if (!l.href) return;
    if (facts.links.length >= maxLinks) facts.linksDropped++;
    else facts.links.push(l);
  };
  const cut = tagLimitCut(html, opts.maxTags ?? 30_000);
  if (cut >= 0) facts.tagsCut = true;
  scanHtml(
    html,
    cut >= 0 ? cut : html.length,
    {
      open(name: string, a: TagAttrs | null) {
        if (a !== null) onTagWithAttrs(name, a);
        else if (name === 'title') {
          facts.titleCount++;
          if (facts.titleCount === 1) titleText = '';
        } else if (name === 'h1') h1Text = '';
        if (SKIP_TEXT.has(name)) skipDepth++;
      },
      text(data: string) {
        if (titleText !== null) titleText += data;
        if (h1Text !== null) h1Text += data;
        if (anchor) anchorText += data;
        if (skipDepth === 0) chunks.push(data);
      },
      close(name: string) {
        if (SKIP_TEXT.has(name) && skipDepth > 0) skipDepth--;
        if (name === 'title' && titleText !== null) {
          facts.title = clip(titleText);
          titleText = null;
        } else if (name === 'h1' && h1Text !== null) {
          facts.h1.push(clip(h1Text));
          h1Text = null;
        } else if (name === 'a' && anchor) {
          anchor.text = clip(anchorText);
          addLink(anchor);
          anchor = null;
        }
        // A word never continues across an element boundary like </p> or <br>.
        if (skipDepth === 0) chunks.push(' ');
      },
    },
    ATTR_TAGS,
  );

  /** The tags whose attributes carry facts. */
  function onTagWithAttrs(name: string, a: TagAttrs): void {
    switch (name) {
      case 'html':
        if (a.lang !== undefined && facts.lang === null) facts.lang = a.lang.trim();
        break;
      case 'meta': {
        const metaName = (a.name ?? '').toLowerCase();
        const equiv = (a.httpEquiv ?? '').toLowerCase();
        if (metaName === 'description') {
          facts.metaDescriptionCount++;
          if (facts.metaDescription === null) facts.metaDescription = clip(a.content ?? '');
        } else if (ROBOTS_NAMES.has(metaName)) {
          const prev = facts.metaRobots[metaName];
          facts.metaRobots[metaName] = prev ? `${prev}, ${a.content ?? ''}` : (a.content ?? '');
        } else if (metaName === 'viewport') facts.viewport = a.content ?? '';
        else if (equiv === 'refresh' && facts.metaRefresh === null)
          facts.metaRefresh = parseRefresh(a.content ?? '');
        break;
      }
      case 'link': {
        const rel = (a.rel ?? '').toLowerCase().split(/\s+/);
        const href = a.href ?? '';
        if (rel.includes('canonical')) facts.canonicals.push(href.trim());
        else if (rel.includes('alternate') && a.hreflang !== undefined)
          facts.hreflang.push({ lang: a.hreflang.trim().toLowerCase(), href: href.trim() });
        else if (rel.includes('stylesheet')) addLink({ href, kind: 'css', text: '', rel: '' });
        else if (rel.includes('icon')) addLink({ href, kind: 'other', text: '', rel: '' });
        break;
      }
      case 'base':
        if (facts.baseHref === null && a.href) facts.baseHref = a.href.trim();
        break;
      case 'a':
      case 'area':
        if (a.href !== undefined) {
          anchor = { href: a.href, kind: 'a', text: '', rel: (a.rel ?? '').toLowerCase() };
          anchorText = '';
          if (name === 'area') {
            anchor.text = a.alt ?? '';
            addLink(anchor);
            anchor = null;
          }
        }
        break;
      case 'img':
        if (a.src)
          addLink({ href: a.src, kind: 'img', text: a.alt ?? '', rel: '', hasAlt: a.alt !== undefined });
        if (anchor && a.alt) anchorText += ` ${a.alt}`;
        break;
      case 'script':
        if (a.src) addLink({ href: a.src, kind: 'js', text: '', rel: '' });
        break;
      case 'iframe':
        if (a.src) addLink({ href: a.src, kind: 'iframe', text: '', rel: '' });
        break;
      case 'video':
      case 'audio':
      case 'source':
      case 'embed':
        if (a.src) addLink({ href: a.src, kind: 'media', text: '', rel: '' });
        break;
    }
  }
  const words = wordFacts(chunks.join(''));
  facts.wordCount = words.wordCount;
  facts.contentHash = words.contentHash;
  facts.simhash = words.simhash;
  return facts;
}

/** Bits that differ between two simhashes (0–64). */
export function simhashDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
