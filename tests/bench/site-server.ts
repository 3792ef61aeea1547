// Deterministic generated website on 127.0.0.1 for the crawl benchmark: pages rendered on request from their number.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** Links every page carries in its header navigation (page numbers; 0 is `/`). */
const NAV_PAGES = [0, 1, 2, 3, 4, 5] as const;
const NAV_LABELS = ['Home', 'Services', 'Pricing', 'Blog', 'About us', 'Contact'] as const;
/** Links in the article body and the "related" list; with 6 nav and 2 footer links a page has 22. */
const CONTENT_LINKS = 14;
/**
 * Chance that a pseudo-random link slot points at a page that does not exist. About 11 of a page's 22 links
 * are pseudo-random, so 2% of them is about 1% of all links.
 */
const MISSING_LINK_CHANCE = 0.02;
const TARGET_PAGE_BYTES = 25_000;
const IMAGES_PER_PAGE = 3;

/** The smallest valid PNG (1x1, transparent): the shared `/img/logo.png`. */
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const ROBOTS_TXT = 'User-agent: *\nAllow: /\n';
const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
  '<body><h1>Not found</h1><p>There is no page at this address.</p></body></html>\n';

/** mulberry32: tiny, fast and good enough to pick words and links; the same seed gives the same sequence. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

const NOUNS = (
  'garden kitchen window roof staircase terrace workshop studio furniture lamp floor ceiling door ' +
  'fence driveway bathroom cabinet table shelf wall client project estimate warranty schedule ' +
  'budget material finish colour surface team season delivery installation repair design sketch ' +
  'sample quote neighbourhood'
).split(' ');
const ADJECTIVES = (
  'quiet bright durable careful modern classic simple generous local honest warm practical elegant ' +
  'sturdy seasonal affordable detailed patient tidy clear'
).split(' ');
const VERBS = (
  'builds repairs measures plans finishes delivers protects restores paints installs checks ' +
  'explains prepares cleans replaces improves designs inspects'
).split(' ');
const OPENERS = [
  'In most homes',
  'Every spring',
  'On a typical visit',
  'Before the first cut',
  'After the survey',
  'For older houses',
  'When the weather turns',
  'Once the quote is signed',
  'Along the coast',
  'In small flats',
];

const withArticle = (word: string): string => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** A fixed pool of sentences, built once: pages pick from it, which keeps rendering cheap and text varied. */
const SENTENCES: readonly string[] = (() => {
  const random = prng(0x5eed);
  const sentences: string[] = [];
  for (let i = 0; i < 400; i++) {
    const parts = [
      pick(OPENERS, random),
      `the ${pick(ADJECTIVES, random)} ${pick(NOUNS, random)}`,
      `${pick(VERBS, random)} the ${pick(NOUNS, random)}`,
      random() < 0.5
        ? `with ${withArticle(pick(ADJECTIVES, random))} ${pick(NOUNS, random)} and ${withArticle(pick(ADJECTIVES, random))} ${pick(NOUNS, random)}`
        : `so the ${pick(NOUNS, random)} stays ${pick(ADJECTIVES, random)} for years`,
    ];
    sentences.push(`${parts[0]}, ${parts.slice(1).join(' ')}.`);
  }
  return sentences;
})();

function pagePath(n: number): string {
  return n === 0 ? '/' : `/p/${n}/`;
}

function titleOf(n: number): string {
  const random = prng(n * 7919 + 17);
  const words = `${pick(ADJECTIVES, random)} ${pick(NOUNS, random)} ${pick(NOUNS, random)}`;
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} — page ${n}`;
}

/**
 * The body's links for page n: its children 2n and 2n+1 (so a BFS from `/` reaches every page, as in a
 * binary heap rooted at page 1, which `/` links to in its nav), its parent, then pseudo-random pages;
 * a pseudo-random slot is sometimes a link to `/missing/<k>/`, drawn from a small pool so the same broken
 * links recur across pages as they do on real sites.
 */
function contentLinks(n: number, pages: number, random: () => number): string[] {
  const links: string[] = [];
  const children = n === 0 ? [1, 2] : [2 * n, 2 * n + 1];
  for (const child of children) if (child < pages) links.push(pagePath(child));
  if (n >= 2) links.push(pagePath(Math.floor(n / 2)));
  const missingPool = Math.max(10, Math.floor(pages / 100));
  while (links.length < CONTENT_LINKS) {
    if (random() < MISSING_LINK_CHANCE) links.push(`/missing/${Math.floor(random() * missingPool)}/`);
    else links.push(pagePath(Math.floor(random() * pages)));
  }
  return links;
}

/** Anchor text for a body link: the target's title, as a CMS would write it. */
function linkText(href: string): string {
  if (href === '/') return 'our home page';
  const n = Number(href.split('/')[2]);
  return href.startsWith('/p/') ? titleOf(n) : 'the archived article';
}

function paragraph(random: () => number, link?: { href: string; text: string }): string {
  const count = 4 + Math.floor(random() * 5);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(pick(SENTENCES, random));
  if (link) {
    const at = Math.floor(random() * sentences.length);
    sentences.splice(at, 0, `See <a href="${link.href}">${link.text}</a> for details.`);
  }
  return `<p>${sentences.join(' ')}</p>`;
}

/**
 * Renders page n of a site with `pages` pages (0 is `/`, others `/p/<n>/`). Pure: the same arguments always
 * give the same string. `origin` (e.g. `http://127.0.0.1:8080`) makes the canonical link absolute.
 */
export function renderPage(n: number, pages: number, origin = ''): string {
  const random = prng(Math.imul(n + 1, 0x9e3779b1) ^ pages);
  const title = titleOf(n);
  const links = contentLinks(n, pages, random);
  // Half of the body links sit inside paragraphs, the rest in a "related pages" list, as on a blog.
  const inline = links.slice(0, Math.ceil(links.length / 2));
  const related = links.slice(inline.length);
  const nav = NAV_PAGES.filter((p) => p < pages)
    .map((p, i) => `<li><a href="${pagePath(p)}">${NAV_LABELS[i]}</a></li>`)
    .join('');

  const head =
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${title}</title>\n` +
    `<meta name="description" content="${pick(SENTENCES, random)}">\n` +
    `<link rel="canonical" href="${origin}${pagePath(n)}">\n</head>\n<body>\n` +
    `<header class="site-header"><img src="/img/logo.png" alt="Logo" width="120" height="40">\n` +
    `<nav aria-label="Main"><ul>${nav}</ul></nav></header>\n` +
    `<main>\n<article>\n<h1>${title}</h1>\n`;
  const footer =
    `</article>\n<aside><h2>Related pages</h2><ul>` +
    related.map((href, i) => `<li><a href="${href}">Related reading ${i + 1}</a></li>`).join('') +
    `</ul></aside>\n</main>\n<footer><p>© Example Builders. <a href="/">Home</a> · ` +
    `<a href="${pagePath(Math.min(1, pages - 1))}">Privacy</a></p></footer>\n</body>\n</html>\n`;

  const parts = [head];
  let size = head.length + footer.length;
  let images = 1;
  let section = 0;
  while (size < TARGET_PAGE_BYTES) {
    const chunk: string[] = [];
    if (section % 3 === 0) chunk.push(`<h2>${pick(SENTENCES, random).split(',')[0]}</h2>`);
    if (images < IMAGES_PER_PAGE && section % 4 === 1) {
      chunk.push(
        `<figure><img src="/img/logo.png" alt="Example ${images}"><figcaption>Example</figcaption></figure>`,
      );
      images++;
    }
    const href = inline[section];
    chunk.push(paragraph(random, href === undefined ? undefined : { href, text: linkText(href) }));
    const text = chunk.join('\n') + '\n';
    parts.push(text);
    size += text.length;
    section++;
  }
  // Short pages (never with the default size) still carry every link.
  for (const href of inline.slice(section)) parts.push(`<p><a href="${href}">More</a></p>\n`);
  parts.push(footer);
  return parts.join('');
}

/** Page number for a request path, or null when the path is not one of the site's pages. */
function pageNumber(path: string, pages: number): number | null {
  if (path === '/') return 0;
  const match = /^\/p\/([1-9][0-9]*)\/$/.exec(path);
  if (!match) return null;
  const n = Number(match[1]);
  return n < pages ? n : null;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length });
  // node:http drops the body itself for HEAD requests.
  res.end(bytes);
}

export function createSiteServer(pages: number): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'GET or HEAD only\n');
    if (path === '/robots.txt') return send(res, 200, 'text/plain; charset=utf-8', ROBOTS_TXT);
    if (path === '/img/logo.png') return send(res, 200, 'image/png', LOGO_PNG);
    const n = pageNumber(path, pages);
    if (n === null) return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND_HTML);
    const address = server.address() as AddressInfo;
    send(res, 200, 'text/html; charset=utf-8', renderPage(n, pages, `http://127.0.0.1:${address.port}`));
  });
  // Keep idle pooled connections for the whole run: with Node's 5 s default, or even 60 s, a client whose
  // event loop is busy (linkinator at 10,000 pages) reuses a socket the server is just closing and reports
  // the page broken ("other side closed"), which would be noise in the benchmark, not a crawler's result.
  server.keepAliveTimeout = 600_000;
  return server;
}

function parsePagesArg(argv: readonly string[]): number {
  const at = argv.indexOf('--pages');
  if (at === -1) return 10_000;
  const pages = Number(argv[at + 1]);
  if (!Number.isInteger(pages) || pages < 2) {
    throw new Error(`site-server: --pages must be an integer of at least 2, got "${argv[at + 1] ?? ''}"`);
  }
  return pages;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const pages = parsePagesArg(argv);
  const server = createSiteServer(pages);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The benchmark driver passes this so the server never outlives it, even if the driver is SIGKILLed.
  if (argv.includes('--exit-on-stdin-close')) {
    process.stdin.on('close', () => process.exit(0)).resume();
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
  process.stdout.write(`READY http://127.0.0.1:${port}/\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
