// Donor pages for the backlink benchmark: ~20 KB articles, each carrying (or not) a link to the target in one of several ways.
import type { Outcome } from '../../../src/backlinks/verdict.ts';

/** The page every donor links to: what the benchmark's backlinks are bought for. */
export const TARGET_URL = 'https://studio.example/';
export const PAGES_PER_HOST = 10;
const TARGET_PAGE_BYTES = 20_000;

/**
 * How a donor page carries the link. Shares of all pages (by a hash of host and page, so the same every run):
 * 1% answer 404, 2% have no link, 10% rel=nofollow, 5% inside <noindex>, 4% added by an inline script,
 * 4% added by an external script, the rest a plain link in the article.
 */
export const VARIANTS = [
  'not-found',
  'no-link',
  'nofollow',
  'noindex',
  'inline-script',
  'external-script',
  'plain',
] as const;
export type Variant = (typeof VARIANTS)[number];
const SHARES: [Variant, number][] = [
  ['not-found', 0.01],
  ['no-link', 0.02],
  ['nofollow', 0.1],
  ['noindex', 0.05],
  ['inline-script', 0.04],
  ['external-script', 0.04],
];

/**
 * What the monitor must conclude per variant. Static: a link written by a script is not a link in the HTML
 * (missing); rendered: it is there, but only after JavaScript, which Yandex does not run (devalued).
 * A 404 is never rendered: the static check already says "gone".
 */
export const EXPECTED: Record<Variant, { static: Outcome; rendered: Outcome }> = {
  'not-found': { static: 'gone', rendered: 'gone' },
  'no-link': { static: 'missing', rendered: 'missing' },
  nofollow: { static: 'devalued', rendered: 'devalued' },
  noindex: { static: 'devalued', rendered: 'devalued' },
  'inline-script': { static: 'missing', rendered: 'devalued' },
  'external-script': { static: 'missing', rendered: 'devalued' },
  plain: { static: 'live', rendered: 'live' },
};

/** mulberry32: tiny, fast and good enough to pick words; the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

/** The variant of page `page` (0-based) of donor host `host` (0-based). Pure. */
export function variantOf(host: number, page: number): Variant {
  const draw = prng(Math.imul(host + 1, 0x9e3779b1) ^ Math.imul(page + 1, 0x85ebca6b))();
  let floor = 0;
  for (const [variant, share] of SHARES) {
    floor += share;
    if (draw < floor) return variant;
  }
  return 'plain';
}

const TOPICS = (
  'kitchen garden bathroom terrace staircase attic roof window floor lighting insulation heating ' +
  'furniture storage workshop fence driveway balcony facade hallway'
).split(' ');
const ADJECTIVES = (
  'quiet bright durable careful modern classic simple local honest warm practical elegant sturdy ' +
  'seasonal affordable detailed patient tidy clear small'
).split(' ');
const VERBS = (
  'builds repairs measures plans finishes protects restores paints installs checks explains prepares ' +
  'replaces improves designs inspects'
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
  'In small flats',
  'According to our readers',
];
const SITE_WORDS = ['Home', 'House', 'Nest', 'Build', 'Craft', 'Room', 'Yard', 'Attic', 'Porch', 'Beam'];
const SITE_SUFFIXES = ['Journal', 'Notes', 'Weekly', 'Digest', 'Review', 'Insider', 'Diary', 'Gazette'];
const AUTHORS = ['Anna Petrova', 'James Miller', 'Olga Smirnova', 'Tom Baker', 'Maria Rossi', 'Ivan Sokolov'];
/** Outbound links an article cites; anchors only, never loaded by the benchmark. */
const CITED = [
  'https://en.wikipedia.org/wiki/Home_improvement',
  'https://www.energy.gov/energysaver/insulation',
  'https://www.bbc.co.uk/news/business',
  'https://www.houzz.com/ideabooks',
];

const article = (word: string): string => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** A fixed pool of sentences, built once: pages pick from it, which keeps rendering cheap and text varied. */
const SENTENCES: readonly string[] = (() => {
  const random = prng(0x11ee);
  const out: string[] = [];
  for (let i = 0; i < 400; i++) {
    const tail =
      random() < 0.5
        ? `with ${article(pick(ADJECTIVES, random))} ${pick(TOPICS, random)} and ${article(pick(ADJECTIVES, random))} finish`
        : `so the ${pick(TOPICS, random)} stays ${pick(ADJECTIVES, random)} for years`;
    out.push(
      `${pick(OPENERS, random)}, the ${pick(ADJECTIVES, random)} team ${pick(VERBS, random)} the ${pick(TOPICS, random)} ${tail}.`,
    );
  }
  return out;
})();

export function siteName(host: number): string {
  const random = prng(host * 7919 + 3);
  return `${pick(SITE_WORDS, random)} ${pick(SITE_SUFFIXES, random)}`;
}

function titleOf(host: number, page: number): string {
  const random = prng(host * 104_729 + page * 31 + 7);
  const topic = pick(TOPICS, random);
  return `How a ${pick(ADJECTIVES, random)} ${topic} renovation pays off: ${pick(ADJECTIVES, random)} ideas for ${topic}s`;
}

export function pagePath(host: number, page: number): string {
  const slug = titleOf(host, page)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `/blog/${slug.slice(0, 60)}-${page + 1}/`;
}

/** The sentence that carries the bought link, as the variant writes it. */
function linkSentence(variant: Variant, random: () => number): string {
  const anchor = pick(
    ['renovation studio', 'Studio Example', 'kitchen design studio', 'this studio'],
    random,
  );
  const plain = `<a href="${TARGET_URL}">${anchor}</a>`;
  switch (variant) {
    case 'nofollow':
      return `Our readers recommend <a href="${TARGET_URL}" rel="nofollow">${anchor}</a> for plans like these.`;
    case 'noindex':
      return `Our readers recommend <noindex>${plain}</noindex> for plans like these.`;
    case 'inline-script':
      // Written by a small script right after its slot, as ad and partner widgets do.
      return (
        `Our readers recommend <span id="partner-slot"></span> for plans like these.` +
        `<script>(function(){var a=document.createElement('a');a.href='${TARGET_URL}';` +
        `a.textContent='${anchor}';document.getElementById('partner-slot').appendChild(a);})();</script>`
      );
    case 'external-script':
      return `Our readers recommend <span id="partner-slot" data-anchor="${anchor}"></span> for plans like these.`;
    case 'no-link':
      return `Our readers recommend ${anchor} for plans like these.`;
    default:
      return `Our readers recommend ${plain} for plans like these.`;
  }
}

function paragraph(random: () => number, extra?: string): string {
  const sentences: string[] = [];
  const count = 4 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) sentences.push(pick(SENTENCES, random));
  if (extra) sentences.splice(Math.floor(random() * sentences.length), 0, extra);
  return `<p>${sentences.join(' ')}</p>`;
}

/**
 * Renders page `page` of donor host `host` served at `origin` (e.g. `http://127.0.0.5:4000`): a blog
 * article of about 20 KB with nav, byline, images, outbound citations, related posts, comments, sidebar and
 * footer, a stylesheet and a site script. Only same-origin subresources: the benchmark stays on loopback.
 */
export function renderDonorPage(host: number, page: number, origin: string): string {
  const random = prng(Math.imul(host + 1, 0x27d4eb2f) ^ (page + 1));
  const variant = variantOf(host, page);
  const name = siteName(host);
  const title = titleOf(host, page);
  const path = pagePath(host, page);
  const author = pick(AUTHORS, random);
  const date = `2024-${String(1 + (page % 12)).padStart(2, '0')}-${String(1 + ((host + page) % 28)).padStart(2, '0')}`;
  const nav = TOPICS.slice(0, 8)
    .map((topic) => `<li><a href="/category/${topic}/">${topic[0]!.toUpperCase()}${topic.slice(1)}</a></li>`)
    .join('');
  const related = [1, 2, 3, 4, 5]
    .map((step) => (page + step) % PAGES_PER_HOST)
    .map((p) => `<li><a href="${pagePath(host, p)}">${titleOf(host, p)}</a></li>`)
    .join('');
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: title,
    datePublished: date,
    author: { '@type': 'Person', name: author },
    publisher: { '@type': 'Organization', name },
    mainEntityOfPage: `${origin}${path}`,
  });
  const head =
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${title} | ${name}</title>\n` +
    `<meta name="description" content="${pick(SENTENCES, random)}">\n` +
    `<link rel="canonical" href="${origin}${path}">\n` +
    `<meta property="og:type" content="article">\n<meta property="og:title" content="${title}">\n` +
    `<meta property="og:url" content="${origin}${path}">\n` +
    `<meta property="og:image" content="${origin}/img/hero-${page}.png">\n` +
    `<link rel="stylesheet" href="/assets/site.css">\n` +
    `<style>.hero{aspect-ratio:16/9;background:#eee}.byline{color:#666;font-size:.9em}</style>\n` +
    `<script type="application/ld+json">${jsonLd}</script>\n` +
    `<script>window.dataLayer=window.dataLayer||[];function track(){dataLayer.push(arguments)}track('page','${path}');</script>\n` +
    `</head>\n<body class="post">\n` +
    `<header class="site-header"><a href="/" class="logo"><img src="/img/logo.png" alt="${name}" width="160" height="40"></a>\n` +
    `<nav aria-label="Categories"><ul>${nav}</ul></nav>\n` +
    `<form class="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form></header>\n` +
    `<main class="layout">\n<article class="entry">\n<h1>${title}</h1>\n` +
    `<p class="byline">By <a href="/author/${author.toLowerCase().replace(' ', '-')}/">${author}</a> · ` +
    `<time datetime="${date}">${date}</time> · 6 min read</p>\n` +
    `<figure><img class="hero" src="/img/hero-${page}.png" alt="${title}" loading="lazy"><figcaption>Photo: ${name}</figcaption></figure>\n`;
  const comments = [0, 1, 2]
    .map(
      (i) =>
        `<li class="comment"><p class="who">${pick(AUTHORS, random)} wrote:</p>${paragraph(random)}` +
        `<a href="${path}#reply-${i}" class="reply">Reply</a></li>`,
    )
    .join('\n');
  const footer =
    `<aside class="related"><h2>Read next</h2><ul>${related}</ul></aside>\n` +
    `<section class="comments"><h2>Comments</h2><ol>\n${comments}\n</ol></section>\n</article>\n` +
    `<aside class="sidebar"><h2>Popular</h2><ul>${related}</ul>\n` +
    `<h2>Newsletter</h2><form action="/subscribe" method="post"><input type="email" name="email"><button>Subscribe</button></form>\n` +
    `<h2>Tags</h2><p class="tags">${TOPICS.map((t) => `<a href="/tag/${t}/">${t}</a>`).join(' ')}</p></aside>\n</main>\n` +
    `<footer class="site-footer"><p>© 2024 ${name}. <a href="/about/">About</a> · <a href="/privacy/">Privacy</a> · ` +
    `<a href="/advertise/">Advertise with us</a></p></footer>\n` +
    `<script src="/assets/site.js" defer></script>\n` +
    (variant === 'external-script' ? `<script src="/assets/partner.js" defer></script>\n` : '') +
    `</body>\n</html>\n`;

  const parts = [head];
  let size = head.length + footer.length;
  // The bought link sits early in the article, where sellers put it: the second to fourth paragraph.
  const linkAt = 1 + Math.floor(random() * 3);
  for (let section = 0; size < TARGET_PAGE_BYTES || section <= linkAt; section++) {
    const chunk: string[] = [];
    if (section > 0 && section % 3 === 0) chunk.push(`<h2>${pick(SENTENCES, random).split(',')[0]}</h2>`);
    if (section % 4 === 2) {
      chunk.push(
        `<figure><img src="/img/photo-${section}.png" alt="Example ${section}" loading="lazy"></figure>`,
      );
    }
    const cite =
      section % 5 === 4 ? `Read more in <a href="${pick(CITED, random)}">this guide</a>.` : undefined;
    chunk.push(paragraph(random, section === linkAt ? linkSentence(variant, random) : cite));
    const text = chunk.join('\n') + '\n';
    parts.push(text);
    size += text.length;
  }
  parts.push(footer);
  return parts.join('');
}
