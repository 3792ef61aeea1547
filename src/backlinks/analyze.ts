// Reads one donor page for the backlink monitor: is the link we paid for there, and how does it sit?
// One pass over htmlparser2's tokenizer, with no DOM and no element stack: linear even on a hostile 5 MB page.
import { createHash } from 'node:crypto';
import { Tokenizer } from 'htmlparser2';
import { normalizeUrl, type Normalized } from '../crawl/url.ts';
import type { DonorFacts, FoundLink, LinkContext, TargetSpec } from './types.ts';

const MAX_ANCHOR = 300;
const MAX_SNIPPET = 500;
/** Raw text kept per open link or title; enough for the clipped values, bounded on hostile pages. */
const MAX_KEPT = 4000;
/** Links kept per match kind; a page with more is a link farm, and more rows would only cost memory. */
const MAX_LINKS = 1000;
/** Elements whose text a reader does not see (brand mentions count visible text only). */
const HIDDEN = new Set(['noscript', 'template']);
/** Elements the tokenizer reads as raw text up to their own end tag. */
const RAW = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
/** The only elements whose attributes are read; the attributes of every other tag are skipped unbuilt. */
const READ_ATTRIBUTES = new Set(['a', 'area', 'img', 'base', 'link', 'meta']);
const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

// Bounded character classes keep these linear: each scan stops at the next "<", ">" or quote.
const COMMENT_A = /<a\s([^<>]{0,4000})>/gi;
/** How far past a commented-out <a …> its anchor text and </a> are looked for. */
const COMMENT_WINDOW = 1000;
const IMG_ALT = /<img\s[^<>]*?\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
// In scripts: href=... (also inside escaped HTML strings), or any quoted absolute or protocol-relative URL.
const SCRIPT_URL =
  /\bhref\s*=\s*\\?["']([^"'\s<>]{1,2048})|(["'`])((?:https?:)?(?:\\?\/){2}[^"'`\s<>]{1,2048})\2/gi;
const SCRIPT_ANCHOR = /^[^<>]{0,300}>([^<>]{1,300})<\/a/i;

const urlOf = (r: Normalized) => (r.ok ? r.url : null);
const tokens = (s: string | null | undefined) => (s ?? '').toLowerCase().split(/\s+/).filter(Boolean);
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');
/** The few entities that matter in markup read by regex (comments), where no parser decodes them. */
const ENTITIES: Record<string, string> = { amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' };
const decodeBasic = (s: string) =>
  s.replace(/&(amp|quot|#39|lt|gt);/g, (e, name: string) => ENTITIES[name] ?? e);

function attrOf(attrs: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? decodeBasic(m[1] ?? m[2] ?? m[3] ?? '') : null;
}

/** Host of a normalised URL, without a leading "www." or a trailing dot. */
function bareHost(url: string): string {
  const host = /^https?:\/\/(?:[^@/?]*@)?(\[[^\]]*\]|[^/?:]*)/.exec(url)?.[1] ?? '';
  return host.replace(/^www\./, '').replace(/\.$/, '');
}

/** The URL as the owner thinks of it: scheme, "www." and a trailing slash are spelling, not a different page. */
function exactKey(url: string): string {
  const rest = url.replace(/^https?:\/\/(?:[^@/?]*@)?(?:www\.)?/, '');
  const q = rest.indexOf('?');
  return q < 0 ? rest.replace(/\/+$/, '') : rest.slice(0, q).replace(/\/+$/, '') + rest.slice(q);
}

export function targetSpec(target: string): TargetSpec {
  const raw = target.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  // "studio.example" or "www.studio.example/" is a domain; "studio.example/page" is a URL without a scheme.
  const isDomain = !hasScheme && /^[^/?#]+\/?$/.test(raw);
  const n = normalizeUrl(hasScheme ? raw : `https://${raw}`);
  const domain = n.ok ? bareHost(n.url) : '';
  const valid =
    n.ok &&
    !/^https?:\/\/[^/?]*@/.test(n.url) &&
    /^(?:[a-z0-9_-]+\.)+[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(domain);
  if (!valid)
    throw new Error(
      `Backlink target must be a URL like "https://studio.example/page" or a domain like "studio.example", got "${target}"`,
    );
  return { url: isDomain ? null : n.url, domain };
}

/** A link being read: `image` says an <img> was seen, `inner` is the escaped content for the snippet. */
type OpenLink = Omit<FoundLink, 'anchor' | 'snippet'> & Record<'tag' | 'text' | 'alt' | 'inner', string>;

function openTag(name: string, attribs: Record<string, string>): string {
  let s = `<${name}`;
  for (const [k, v] of Object.entries(attribs)) {
    if (s.length > MAX_SNIPPET) break;
    s += v === '' ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`;
  }
  return `${s}>`;
}

function countMentions(text: string, brand: string): number {
  const words = brand.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
  // Not inside a longer word, in any script: "Кадр" counts in «Кадр», not in "Кадровик".
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu');
  return text.match(re)?.length ?? 0;
}

type Located = Pick<FoundLink, 'href' | 'match'>;
type Unplaced = Omit<FoundLink, 'context'>;

/** Links written inside an HTML comment, read by regex since no parser sees them as markup. */
function commentLinks(text: string, locate: (href: string) => Located | null): Unplaced[] {
  const found: Unplaced[] = [];
  for (const m of text.matchAll(COMMENT_A)) {
    const hit = locate(attrOf(m[1]!, 'href') ?? '');
    if (hit === null) continue;
    // The content ends at the next <a> or </a> within a bounded window: linear even on "<a <a <a …".
    const after = m.index + m[0].length;
    const window = text.slice(after, after + COMMENT_WINDOW);
    const stop = /<\/a\s*>|<a[\s>]/i.exec(window);
    const inner = stop ? window.slice(0, stop.index) : '';
    const alts = [...inner.matchAll(IMG_ALT)].map((a) => a[1] ?? a[2] ?? a[3] ?? '');
    const words = collapse(decodeBasic(inner.replace(/<[^<>]*>/g, ' ')));
    const end = after + inner.length + (stop?.[0].startsWith('</') ? stop[0].length : 0);
    found.push({
      ...hit,
      anchor: clip(collapse(`${words} ${decodeBasic(alts.join(' '))}`), MAX_ANCHOR),
      image: alts.length > 0 && words === '',
      rel: tokens(attrOf(m[1]!, 'rel')),
      snippet: clip(collapse(text.slice(m.index, end)), MAX_SNIPPET),
    });
  }
  return found;
}

/** URLs written in a script (document.write, JSON, config): not links until JavaScript runs. */
function scriptLinks(code: string, locate: (href: string) => Located | null): Unplaced[] {
  const found: Unplaced[] = [];
  for (const m of code.matchAll(SCRIPT_URL)) {
    // JSON and JS strings escape slashes ("https:\/\/…").
    const hit = locate((m[1] ?? m[3] ?? '').replace(/\\\//g, '/').replace(/\\+$/, ''));
    if (hit === null) continue;
    const end = m.index + m[0].length;
    const text = m[1] === undefined ? null : SCRIPT_ANCHOR.exec(code.slice(end, end + 700));
    const anchor = clip(collapse(text?.[1] ?? ''), MAX_ANCHOR);
    const snippet = clip(collapse(code.slice(Math.max(0, m.index - 100), end + 200)), MAX_SNIPPET);
    found.push({ ...hit, anchor, image: false, rel: [], snippet });
  }
  return found;
}

export function analyzeDonorPage(
  html: string,
  pageUrl: string,
  target: TargetSpec,
  opts: { brand?: string } = {},
): DonorFacts {
  const page = normalizeUrl(pageUrl);
  const pageHost = page.ok ? bareHost(page.url) : '';
  // The HTML spec requires <base> before any URL-bearing element, so links are resolved as they come
  // (https://html.spec.whatwg.org/multipage/semantics.html#the-base-element).
  let base = page.ok ? page.url : undefined;
  let baseSeen = false;
  const targetKey = target.url === null ? null : exactKey(target.url);
  const facts: DonorFacts = {
    links: [],
    best: null,
    externalLinks: 0,
    baseHref: null,
    canonical: null,
    metaRobots: {},
    title: null,
    brandMentions: 0,
    htmlHash: createHash('sha256').update(html, 'utf8').digest('hex'),
  };
  const exact: FoundLink[] = [];
  const domain: FoundLink[] = [];
  /** How many of each context are open, counted from the tags as written. */
  const depth = { noindexTag: 0, noindexComment: 0, iframe: 0, form: 0, hidden: 0 };
  let [inHead, inBody, afterBody] = [false, false, false];
  let open: OpenLink | null = null;
  let raw: { tag: string; text: string } | null = null;
  const visible: string[] = [];
  const brand = opts.brand?.trim() ?? '';

  const resolve = (href: string) => urlOf(normalizeUrl(href, base));
  const classify = (url: string): FoundLink['match'] | null => {
    const host = bareHost(url);
    if (host !== target.domain && !host.endsWith(`.${target.domain}`)) return null;
    return targetKey !== null && exactKey(url) === targetKey ? 'exact' : 'domain';
  };
  const locate = (href: string): Located | null => {
    const url = resolve(href);
    const match = url === null ? null : classify(url);
    return url === null || match === null ? null : { href: url, match };
  };
  const context = (extra: Partial<LinkContext> = {}): LinkContext => ({
    inNoindexTag: depth.noindexTag > 0,
    inNoindexComment: depth.noindexComment > 0,
    inComment: false,
    inScript: false,
    inIframe: depth.iframe > 0,
    inForm: depth.form > 0,
    outsideBody: inHead || afterBody,
    ...extra,
  });
  const record = (link: FoundLink) => {
    const list = link.match === 'exact' ? exact : domain;
    if (list.length < MAX_LINKS) list.push(link);
  };
  const finishOpen = () => {
    if (!open) return;
    const { tag, text: raw, inner, alt, image, ...link } = open;
    const text = collapse(raw);
    record({
      ...link,
      anchor: clip(collapse(`${text} ${alt}`), MAX_ANCHOR),
      image: image && text === '',
      snippet: clip(`${tag}${collapse(inner)}</a>`, MAX_SNIPPET),
    });
    open = null;
  };

  // A donor that is the target's own site can link to it with a relative href.
  const pageIsTarget = pageHost === target.domain || pageHost.endsWith(`.${target.domain}`);
  /** A relative href without <base> stays on the page's host: neither external nor to the target. Most
   * hrefs are such, and this spares them URL parsing. Conservative: any ":" or a leading "//" parses. */
  const staysOnPage = (href: string) =>
    page.ok &&
    !pageIsTarget &&
    facts.baseHref === null &&
    !href.includes(':') &&
    !/^[\t\n\f\r ]*[\\/][\t\n\r]*[\\/]/.test(href);

  const onLink = (name: 'a' | 'area', a: Record<string, string>) => {
    if (staysOnPage(a.href ?? '')) return;
    const url = resolve(a.href ?? '');
    if (url === null) return;
    if (name === 'a' && bareHost(url) !== pageHost) facts.externalLinks++;
    const match = classify(url);
    if (match === null || (match === 'exact' ? exact : domain).length >= MAX_LINKS) return;
    const link = { href: url, match, rel: tokens(a.rel), context: context(), image: false };
    const tag = openTag(name, a);
    // An image map's <area> is void: its alt is its anchor.
    if (name === 'area')
      record({ ...link, anchor: clip(collapse(a.alt ?? ''), MAX_ANCHOR), snippet: clip(tag, MAX_SNIPPET) });
    else open = { ...link, tag, text: '', alt: '', inner: '' };
  };

  // Every context is read from the tags as written, never from an element stack: Yandex reads <noindex> and
  // </noindex> as plain markers whatever the nesting, an unclosed one runs to the end
  // (https://yandex.ru/support/webmaster/ru/adding-site/indexing-prohibition), and "after </body>" means the
  // literal tag. htmlparser2's Parser keeps its stack with Array#unshift, quadratic on deeply unclosed markup.
  const openElement = (name: string, a: Record<string, string>, selfClosing: boolean) => {
    if (brand) visible.push(' ');
    if (RAW.has(name) && !selfClosing) raw = { tag: name, text: '' };
    if (HIDDEN.has(name)) depth.hidden++;
    if (name === 'a') {
      // An <a> inside an open <a> ends the first one, as browsers do.
      finishOpen();
      if (a.href !== undefined) onLink('a', a);
    } else if (name === 'area' && a.href !== undefined) onLink('area', a);
    else if (name === 'img' && open) {
      open.image = true;
      if (a.alt) open.alt += ` ${a.alt}`;
      if (open.inner.length < MAX_SNIPPET) open.inner += openTag('img', a);
    } else if (name === 'base' && !baseSeen && a.href !== undefined) {
      baseSeen = true;
      facts.baseHref = urlOf(normalizeUrl(a.href, page.ok ? page.url : undefined));
      base = facts.baseHref ?? base;
    } else if (name === 'link' && facts.canonical === null && tokens(a.rel).includes('canonical'))
      facts.canonical = resolve(a.href ?? '');
    else if (name === 'meta') {
      const key = (a.name ?? '').trim().toLowerCase();
      if (key !== 'robots' && key !== 'googlebot' && key !== 'yandex') return;
      const prev = facts.metaRobots[key];
      const content = (a.content ?? '').trim();
      facts.metaRobots[key] = prev === undefined ? content : `${prev}, ${content}`;
    } else if (name === 'body') {
      inHead = false;
      inBody = true;
    }
    // A <head> written after <body> (a widget's stray markup) does not start a head, as in browsers.
    else if (name === 'head') inHead = !inBody;
    else if (name === 'noindex') depth.noindexTag++;
    else if (name === 'iframe' || name === 'form') depth[name]++;
  };
  const closeElement = (name: string) => {
    if (brand) visible.push(' ');
    if (raw?.tag === name) endRaw();
    if (HIDDEN.has(name) && depth.hidden > 0) depth.hidden--;
    if (name === 'a') finishOpen();
    else if (name === 'head') inHead = false;
    else if (name === 'body' || name === 'html') afterBody = true;
    else if (name === 'noindex' && depth.noindexTag > 0) depth.noindexTag--;
    else if ((name === 'iframe' || name === 'form') && depth[name] > 0) depth[name]--;
  };
  const endRaw = () => {
    if (raw?.tag === 'title' && facts.title === null) facts.title = clip(collapse(raw.text), 1000);
    if (raw?.tag === 'script')
      for (const link of scriptLinks(raw.text, locate))
        record({ ...link, context: context({ inScript: true }) });
    raw = null;
  };
  const onText = (data: string) => {
    if (raw) {
      if (raw.tag === 'script') raw.text += data;
      else if (raw.tag === 'title') raw.text = clip(raw.text + data.slice(0, MAX_KEPT), MAX_KEPT);
      return;
    }
    // One text chunk can be the rest of a 5 MB page: only a bounded head of it is kept.
    if (open && open.text.length < MAX_KEPT) {
      open.text += data.slice(0, MAX_KEPT);
      if (open.inner.length < MAX_SNIPPET) open.inner += escapeText(data.slice(0, MAX_SNIPPET));
    }
    if (brand && depth.hidden === 0) visible.push(data);
  };
  const onComment = (data: string) => {
    // <!--noindex--> … <!--/noindex-->: Yandex's markers in a form that keeps the HTML valid.
    const marker = /^\s*(\/?)\s*noindex\s*$/i.exec(data);
    if (marker === null)
      for (const link of commentLinks(data, locate))
        record({ ...link, context: context({ inComment: true }) });
    else if (!marker[1]) depth.noindexComment++;
    else if (depth.noindexComment > 0) depth.noindexComment--;
  };

  let tag = '';
  let readAttributes = false;
  let attrs: Record<string, string> = {};
  let attr = '';
  let value = '';
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname: (start, end) => {
        tag = html.slice(start, end).toLowerCase();
        readAttributes = READ_ATTRIBUTES.has(tag);
        attrs = readAttributes ? (Object.create(null) as Record<string, string>) : NO_ATTRIBUTES;
      },
      onattribname: (start, end) => {
        if (!readAttributes) return;
        attr = html.slice(start, end).toLowerCase();
        value = '';
      },
      onattribdata: (start, end) => {
        if (readAttributes) value += html.slice(start, end);
      },
      onattribentity: (cp) => {
        if (readAttributes) value += String.fromCodePoint(cp);
      },
      // The first of repeated attributes wins, as in browsers.
      onattribend: () => {
        if (readAttributes) attrs[attr] ??= value;
      },
      onopentagend: () => openElement(tag, attrs, false),
      onselfclosingtag: () => openElement(tag, attrs, true),
      onclosetag: (start, end) => closeElement(html.slice(start, end).toLowerCase()),
      // Text matters only inside a raw-text element or a link, or when brand mentions are counted.
      ontext: (start, end) => {
        if (raw || open || brand) onText(html.slice(start, end));
      },
      ontextentity: (cp) => {
        if (raw || open || brand) onText(String.fromCodePoint(cp));
      },
      oncomment: (start, end, offset) => onComment(html.slice(start, end - offset)),
      oncdata: (start, end, offset) => onComment(html.slice(start, end - offset)),
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  if (raw) endRaw();
  finishOpen();

  const clean = (l: FoundLink) => !Object.values(l.context).some(Boolean);
  facts.links = [...exact, ...domain];
  facts.best = exact.find(clean) ?? exact[0] ?? domain.find(clean) ?? domain[0] ?? null;
  if (brand) facts.brandMentions = countMentions(visible.join(''), brand);
  return facts;
}
