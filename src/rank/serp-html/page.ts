// What the Google, Yandex and Bing result-page parsers share: the answer type, a bounded parse into a DOM,
// one pass that gathers the page's facts, a linear tree walk, and the link helpers.
import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { tagLimitCut } from '../../crawl/extract.ts';

/** An organic result as it appears on the page: the real target URL and the visible title. */
export interface SerpLink {
  url: string;
  title: string | null;
}

/** What a result page turned out to be. A page that is neither a result list nor a known block is
 * `unrecognised`, never "zero results": a changed layout must not look like a site that fell out of the top. */
export type SerpParse =
  | { kind: 'results'; items: SerpLink[]; nextUrl: string | null }
  | { kind: 'blocked'; reason: string }
  | { kind: 'unrecognised'; reason: string };

/**
 * Start tags read at most. A real result page has 500–2,500 (20,000 would be a very long one); htmlparser2
 * keeps its element stack with Array#unshift, so thousands of unclosed nested tags cost quadratic time.
 * Organic results sit near the top, so a page past the limit is read up to it.
 */
export const MAX_TAGS = 60_000;
/** Visible text kept for phrase checks (captcha wording, "no results" notices). */
const MAX_TEXT = 50_000;
/** Longest title returned; a result title is at most a few hundred characters. */
export const MAX_TITLE = 300;

const NO_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

/** The page's DOM, read with htmlparser2 (not parse5: nested <div>s cost parse5 quadratic time too). */
export function parseHtml(html: string): Document {
  const cut = tagLimitCut(html, MAX_TAGS);
  return parseDocument(cut === -1 ? html : html.slice(0, cut));
}

export function isElement(node: AnyNode): node is Element {
  return 'attribs' in node;
}

export function classList(el: Element): string[] {
  const c = el.attribs.class;
  return c ? c.split(/\s+/).filter(Boolean) : [];
}

export const SKIP = Symbol('skip');

/**
 * Visits the elements under `root` in document order, without recursion (a hostile page may nest tens of
 * thousands deep). `visit` returns the context its children see, or SKIP to leave them out. Each element is
 * visited once, so a walk costs linear time whatever the markup.
 */
export function walk<C>(root: ParentNode, ctx: C, visit: (el: Element, ctx: C) => C | typeof SKIP): void {
  const stack: Array<[AnyNode, C]> = [];
  for (let i = root.children.length - 1; i >= 0; i--) stack.push([root.children[i]!, ctx]);
  while (stack.length) {
    const [node, c] = stack.pop()!;
    if (!isElement(node)) continue;
    const next = visit(node, c);
    if (next === SKIP) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, next]);
  }
}

/** The element's text as a reader sees it: scripts and styles left out, white space collapsed, clipped. */
export function textOf(root: Element, max = MAX_TITLE): string {
  let out = '';
  const stack: AnyNode[] = [root];
  while (stack.length && out.length <= max * 2) {
    const node = stack.pop()!;
    if ((node.type as string) === 'text') out += (node as unknown as { data: string }).data;
    else if (isElement(node) && !NO_TEXT.has(node.name)) {
      if (node.name === 'br') out += ' ';
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  const text = out.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Everything the block checks and the layout checks need, gathered in one pass over the page. */
export interface PageFacts {
  title: string;
  /** The first element with each id. */
  ids: Map<string, Element>;
  /** The first element with each class. */
  classes: Map<string, Element>;
  formActions: string[];
  /** src of scripts and frames, and title of frames. */
  embeds: string[];
  /** Every <a href> in the page, for finding the next-page link. */
  anchors: Element[];
  /** The page's visible text, collapsed, up to MAX_TEXT characters. */
  text: string;
}

export function pageFacts(doc: Document): PageFacts {
  const facts: PageFacts = {
    title: '',
    ids: new Map(),
    classes: new Map(),
    formActions: [],
    embeds: [],
    anchors: [],
    text: '',
  };
  let text = '';
  const stack: AnyNode[] = [];
  for (let i = doc.children.length - 1; i >= 0; i--) stack.push(doc.children[i]!);
  while (stack.length) {
    const node = stack.pop()!;
    if ((node.type as string) === 'text') {
      if (text.length < MAX_TEXT) text += ` ${(node as unknown as { data: string }).data}`;
      continue;
    }
    if (!isElement(node)) continue;
    const a = node.attribs;
    if (a.id && !facts.ids.has(a.id)) facts.ids.set(a.id, node);
    for (const c of classList(node)) if (!facts.classes.has(c)) facts.classes.set(c, node);
    if (node.name === 'title' && !facts.title) facts.title = textOf(node);
    else if (node.name === 'form' && a.action) facts.formActions.push(a.action);
    else if ((node.name === 'script' || node.name === 'iframe') && facts.embeds.length < 500) {
      if (a.src) facts.embeds.push(a.src);
      if (a.title) facts.embeds.push(a.title);
    } else if (node.name === 'a' && a.href !== undefined) facts.anchors.push(node);
    if (NO_TEXT.has(node.name)) {
      // Elements inside still count (a <noscript> may hold a captcha form), their text does not.
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i]!;
        if (isElement(child)) stack.push(child);
      }
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  facts.text = text.replace(/\s+/g, ' ').trim();
  return facts;
}

/** An absolute http(s) URL for a link as written on the page, or null (javascript:, mailto:, "#", junk). */
export function resolveHref(href: string | undefined, base: string): URL | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || h.startsWith('#')) return null;
  try {
    const u = new URL(h, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

export function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A parameter holding an absolute http(s) URL (a redirect's target), or null. */
export function urlParam(u: URL, ...names: string[]): string | null {
  for (const name of names) {
    const v = u.searchParams.get(name);
    if (!v) continue;
    const target = safeUrl(v);
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) return target.href;
  }
  return null;
}

const norm = (q: string | null) => (q ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The next result page: among the page's own links to the same search (same origin, path and query text),
 * the one whose offset parameter is the smallest above the current page's. This reads every layout's
 * pager the same way ("Next", "More results", page numbers) without depending on its wording or classes.
 */
export function nextPageUrl(
  anchors: Element[],
  pageUrl: string,
  opts: { path: RegExp; offset: string; query: string; firstOffset: number },
): string | null {
  const page = safeUrl(pageUrl);
  if (!page) return null;
  const current = Number(page.searchParams.get(opts.offset) ?? opts.firstOffset);
  const query = norm(page.searchParams.get(opts.query));
  let best: { n: number; url: string } | null = null;
  for (const a of anchors) {
    const u = resolveHref(a.attribs.href, pageUrl);
    if (!u || u.origin !== page.origin || !opts.path.test(u.pathname)) continue;
    const raw = u.searchParams.get(opts.offset);
    if (raw === null || !/^\d+$/.test(raw)) continue;
    const n = Number(raw);
    if (n <= current || (query && norm(u.searchParams.get(opts.query)) !== query)) continue;
    if (!best || n < best.n) best = { n, url: u.href };
  }
  return best?.url ?? null;
}

/** Keeps the first appearance of each URL: a page listed twice (a featured snippet, then the same result
 * again) holds one position. */
export function dedupe(items: SerpLink[]): SerpLink[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.url) && (seen.add(i.url), true));
}
