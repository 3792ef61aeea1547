// The demo's simulated world on 127.0.0.1: the studio's own site (portfolio, services, blog, Russian pages,
// one in windows-1251) and a second client's site, with response times and an outage that follow a
// simulated clock so a backfilled history has a shape worth charting.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeCp1251 } from './cp1251.ts';
import { startDonors } from './donors.ts';

interface Page {
  title: string;
  body: string;
  description?: string;
  robots?: string;
  lang?: string;
  charset?: 'utf-8' | 'windows-1251';
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Descriptions shared by pages on purpose: the audit should flag them as duplicates. */
const SERVICES_DESCRIPTION =
  'Motion design and video production studio in Moscow: explainers, ads, brand films.';

/**
 * The studio's site before and after its relaunch. It carries the problems a real small site has, so the
 * audit has something true to say: before the relaunch a broken portfolio link; after it a redirect
 * chain from the old address, a page that lost its title and a draft left noindex in the sitemap; all
 * along a duplicated description, an orphan landing page and a page in windows-1251.
 */
function studioPages(relaunched: boolean): Record<string, Page> {
  const pages: Record<string, Page> = {
    '/': {
      title: 'Kadr — design and video studio in Moscow',
      description:
        'Kadr makes motion design, explainer videos and brand identities for companies that want to be seen.',
      body: `<h1>We make brands move</h1><p>Motion design, explainer videos and brand identity for companies that want to be seen.</p><ul><li><a href="/portfolio/">Portfolio</a></li><li><a href="/services/">Services</a></li><li><a href="/blog/">Blog</a></li><li><a href="/contacts/">Contacts</a></li><li><a href="/ru/">По-русски</a></li></ul>${relaunched ? '<footer><a href="/about/">About the studio</a></footer>' : ''}`,
    },
    '/portfolio/': {
      title: 'Portfolio — Kadr design and video studio',
      description: 'Selected explainer videos, rebrands and title sequences made by the Kadr studio team.',
      body: `<h1>Portfolio</h1><ul><li><a href="/portfolio/fintech-explainer/">Fintech explainer</a></li><li><a href="/portfolio/coffee-rebrand/">Coffee chain rebrand</a></li><li><a href="/portfolio/festival-titles/">Festival titles</a></li>${relaunched ? '' : '<li><a href="/portfolio/old-showreel/">Showreel 2019</a></li>'}</ul>`,
    },
    '/portfolio/fintech-explainer/': {
      title: 'Fintech explainer video — Kadr portfolio',
      description: 'A 90-second 2D animation for a fintech start-up that cut support calls by a fifth.',
      body: '<h1>Fintech explainer</h1><p>A 90-second 2D animation that cut support calls by a fifth.</p><img src="/img/fintech.png" alt="Storyboard frames">',
    },
    '/portfolio/coffee-rebrand/': {
      title: 'Coffee chain rebrand — Kadr portfolio',
      description: 'Logo, packaging and motion guidelines for a chain of forty cafés, from brief to launch.',
      body: '<h1>Coffee chain rebrand</h1><p>Logo, packaging and motion guidelines for 40 cafés.</p><img src="/img/coffee.png">',
    },
    '/portfolio/festival-titles/': {
      title: 'Festival title sequence — Kadr portfolio',
      description: 'Opening titles for an international short-film festival, animated in two weeks.',
      body: '<h1>Festival titles</h1><p>Opening titles for a short-film festival.</p>',
    },
    '/services/': {
      title: 'Services — Kadr design and video studio',
      description: 'What Kadr does: motion design, video production and branding, with prices and timelines.',
      body: '<h1>Services</h1><ul><li><a href="/services/motion-design/">Motion design</a></li><li><a href="/services/video-production/">Video production</a></li><li><a href="/services/branding/">Branding</a></li></ul>',
    },
    '/services/motion-design/': {
      title: 'Motion design services — Kadr studio',
      description: SERVICES_DESCRIPTION,
      body: '<h1>Motion design</h1><p>Explainers, product animation, social loops.</p>',
    },
    '/services/video-production/': {
      title: 'Video production services — Kadr studio',
      description: SERVICES_DESCRIPTION,
      body: '<h1>Video production</h1><p>Scripts, shooting, editing and colour.</p>',
    },
    '/services/branding/': {
      title: relaunched ? '' : 'Branding services — Kadr design studio',
      description: 'Identity systems that also work on screen: logos, type, colour and motion rules.',
      body: '<h1>Branding</h1><p>Identity systems that also work on screen.</p>',
    },
    '/blog/': {
      title: 'Blog — notes from the Kadr video studio',
      description: 'Notes on making explainer videos, motion design and working with a video studio.',
      body: '<h1>Blog</h1><ul><li><a href="/blog/how-much-does-an-explainer-cost/">How much does an explainer cost?</a></li><li><a href="/blog/storyboards/">Why we storyboard everything</a></li></ul>',
    },
    '/blog/how-much-does-an-explainer-cost/': {
      title: 'How much does an explainer video cost? — Kadr blog',
      description:
        'Length, style and revisions drive the price of an explainer video; here is how we estimate.',
      body: '<h1>How much does an explainer cost?</h1><p>Length, style and revisions drive the price; here is how we estimate.</p>',
    },
    '/blog/storyboards/': {
      title: 'Why we storyboard everything — Kadr studio blog',
      description:
        'A storyboard is the cheapest place to change your mind about a video; why we never skip it.',
      body: '<h1>Why we storyboard everything</h1><p>A storyboard is the cheapest place to change your mind.</p>',
    },
    '/contacts/': {
      title: 'Contacts — Kadr design and video studio, Moscow',
      description: 'Write or call the Kadr studio in Moscow: hello@kadr.example, +7 495 000-00-00.',
      body: '<h1>Contacts</h1><p>Moscow, Bolshaya Novodmitrovskaya 36. hello@kadr.example</p>',
    },
    '/landing/black-friday/': {
      title: 'Black Friday offer — Kadr design and video studio',
      description: 'A limited offer on explainer videos for the Black Friday season, for small businesses.',
      body: '<h1>Black Friday</h1><p>Explainer videos at a seasonal price.</p>',
    },
    '/ru/': {
      title: 'Кадр — студия дизайна и видеопродакшна в Москве',
      description: 'Моушн-дизайн, видеопродакшн и айдентика в Москве: объясняющие ролики, реклама, титры.',
      lang: 'ru',
      body: '<h1>Студия «Кадр»</h1><p>Моушн-дизайн, видеопродакшн и айдентика в Москве.</p><ul><li><a href="/ru/o-studii/">О студии</a></li><li><a href="/ru/uslugi/">Услуги</a></li></ul>',
    },
    '/ru/o-studii/': {
      title: 'О студии — Кадр, дизайн и видеопродакшн',
      description: 'Студия «Кадр» делает видеоролики и моушн-дизайн с 2014 года: съёмка, монтаж, анимация.',
      lang: 'ru',
      charset: 'windows-1251',
      body: '<h1>О студии</h1><p>Мы делаем видеоролики и моушн-дизайн с 2014 года. Съёмка, монтаж, анимация — под ключ.</p>',
    },
    '/ru/uslugi/': {
      title: 'Услуги видеопродакшна — студия Кадр, Москва',
      description: 'Рекламные ролики, анимационные объясняющие видео и титры под ключ от студии «Кадр».',
      lang: 'ru',
      body: '<h1>Услуги</h1><p>Рекламные ролики, анимационные объяснялки, титры.</p>',
    },
  };
  if (relaunched)
    pages['/blog/drafts/'] = {
      title: 'Draft posts — Kadr studio blog (not for search)',
      description: 'Work-in-progress posts from the Kadr studio blog, not meant for search engines yet.',
      robots: 'noindex, follow',
      body: '<h1>Drafts</h1><p>Nothing to see yet.</p>',
    };
  return pages;
}

let relaunchedPages: Record<string, Page> | null = null;
/** A page of the studio's site as it is now (after the relaunch): its title ('' when it lost it), or
 * undefined when the site has no such page. The simulated search results link only to pages that exist. */
export function studioPageTitle(path: string): string | undefined {
  relaunchedPages ??= studioPages(true);
  return relaunchedPages[path]?.title;
}

const BAKERY: Record<string, Page> = {
  '/': {
    title: 'Pekarnya No. 5 — bakery and café',
    body: '<h1>Pekarnya No. 5</h1><p>Sourdough, croissants and coffee from 7 am.</p><a href="/menu/">Menu</a> <a href="/contacts/">Contacts</a>',
  },
  '/menu/': {
    title: 'Menu — Pekarnya No. 5',
    body: '<h1>Menu</h1><p>Rye sourdough, cardamom buns, flat white.</p>',
  },
  '/contacts/': {
    title: 'Contacts — Pekarnya No. 5',
    body: '<h1>Contacts</h1><p>Open daily 7:00–21:00.</p>',
  },
};

// A 1×1 transparent PNG.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function render(p: Page, siteUrl: string): Uint8Array {
  const charset = p.charset ?? 'utf-8';
  const doc = `<!doctype html><html lang="${p.lang ?? 'en'}"><head><meta charset="${charset}">${p.title ? `<title>${esc(p.title)}</title>` : ''}
${p.description ? `<meta name="description" content="${esc(p.description)}">` : ''}${p.robots ? `<meta name="robots" content="${p.robots}">` : ''}
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="canonical" href="${siteUrl}"></head>
<body>${p.body}</body></html>`;
  return charset === 'windows-1251' ? encodeCp1251(doc) : new TextEncoder().encode(doc);
}

export interface WorldSite {
  name: string;
  url: string;
}

/** How the simulated world behaves at a given simulated instant. */
export interface Conditions {
  delayMs: number;
  down: (path: string) => boolean;
  /** The studio's site after its relaunch (different pages, different problems). */
  relaunched?: boolean;
}

export type Scenario = (site: string, at: Date) => Conditions;

/**
 * The default story, relative to the demo's "now": the studio's site is slow in the days before a
 * relaunch 6 days ago, its portfolio answers 503 for an afternoon 9 days ago, and evenings are slower
 * than mornings. The bakery's small site is steady.
 */
export function defaultScenario(now: Date): Scenario {
  const day = 86_400_000;
  return (site, at) => {
    const age = (now.getTime() - at.getTime()) / day;
    const hour = at.getUTCHours();
    const evening = hour >= 15 && hour < 21 ? 1.5 : 1;
    if (site === 'studio') {
      const beforeRelaunch = age > 6;
      const delayMs = Math.round(
        (beforeRelaunch ? 70 + 10 * ((age * 7) % 3) : 25 + 5 * ((age * 5) % 3)) * evening,
      );
      const outage = age > 8.9 && age < 9.4;
      return { delayMs, down: (p) => outage && p.startsWith('/portfolio'), relaunched: !beforeRelaunch };
    }
    return { delayMs: Math.round(15 * evening), down: () => false };
  };
}

export interface World {
  sites: WorldSite[];
  /** Origins of the donor pages selling links to the studio, one per case in DONOR_CASES. */
  donors: string[];
  /** Sets the simulated instant that response times and outages follow (null: the live clock). */
  setClock(at: Date | null): void;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * `now` is the demo's "now" the story is told around; `live` is the clock the world follows when no
 * simulated instant is set (the demo's own: real time, or running on from a fixed demo day).
 */
export async function startWorld(scenario: Scenario, now: Date, live: () => Date): Promise<World> {
  let clock: Date | null = null;
  const servers: Server[] = [];
  const sites: WorldSite[] = [];
  const before = studioPages(false);
  const after = studioPages(true);
  const defs = [
    { name: 'studio', pages: (c: Conditions) => (c.relaunched ? after : before), disallow: ['/admin/'] },
    { name: 'bakery', pages: () => BAKERY, disallow: [] as string[] },
  ];
  for (const def of defs) {
    let base = '';
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const at = clock ?? live();
      const cond = scenario(def.name, at);
      const send = () => {
        if (path === '/robots.txt') {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(
            `User-agent: *\n${def.disallow.map((d) => `Disallow: ${d}\n`).join('')}\nSitemap: ${base}sitemap.xml\n`,
          );
          return;
        }
        if (path === '/sitemap.xml') {
          res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${Object.keys(
              def.pages(cond),
            )
              .map((p) => `<url><loc>${base}${p.slice(1)}</loc></url>`)
              .join('\n')}\n</urlset>\n`,
          );
          return;
        }
        if (cond.down(path)) {
          res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '600' });
          res.end('<h1>Service temporarily unavailable</h1>');
          return;
        }
        // Old addresses kept alive by permanent redirects after the relaunch: two hops, a chain.
        const redirect =
          def.name === 'studio'
            ? ({ '/about/': '/o-nas/', '/o-nas/': '/ru/o-studii/' } as Record<string, string>)[path]
            : undefined;
        if (redirect) {
          res.writeHead(301, { location: redirect });
          res.end();
          return;
        }
        if (path.startsWith('/img/')) {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end(PIXEL);
          return;
        }
        const page = def.pages(cond)[path];
        if (!page) {
          res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<h1>Not found</h1>');
          return;
        }
        res.writeHead(200, { 'content-type': `text/html; charset=${page.charset ?? 'utf-8'}` });
        res.end(render(page, base + path.slice(1)));
      };
      if (cond.delayMs > 0) setTimeout(send, cond.delayMs);
      else send();
    };
    const server = createServer(handler);
    const port = await listen(server);
    base = `http://127.0.0.1:${port}/`;
    servers.push(server);
    sites.push({ name: def.name, url: base });
  }
  const donors = await startDonors(
    sites[0]!.url,
    () => (now.getTime() - (clock ?? live()).getTime()) / 86_400_000,
  );
  return {
    sites,
    donors: donors.origins,
    setClock: (at) => {
      clock = at;
    },
    close: () =>
      Promise.all([
        ...servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
        donors.close(),
      ]).then(() => undefined),
  };
}
