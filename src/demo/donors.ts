// The demo's donor pages: one simulated site on 127.0.0.1 carrying every case a bought link can be in,
// changing over simulated time (a link removed, a page gone, a redirect, a flaky server that recovers).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeCp1251 } from './cp1251.ts';

export interface DonorCase {
  path: string;
  kind: 'bought' | 'press-release' | 'guest-post' | 'directory';
  vendor: string;
  price: number;
  billing: 'one-off' | 'monthly';
  anchor: string;
  note: string;
  /** Bought this many days before the demo's today (the others were bought about five weeks ago). */
  boughtDaysAgo?: number;
  /** A monthly link paid until this many days after today (else 6 or 25 days, by its place in the list). */
  paidDaysAhead?: number;
}

/** Each case, what it shows, and what it cost (roubles, as on Russian link exchanges). */
export const DONOR_CASES: DonorCase[] = [
  {
    path: '/blog/best-video-studios/',
    kind: 'bought',
    vendor: 'Miralinks',
    price: 4500,
    billing: 'one-off',
    anchor: 'motion design studio',
    note: 'live',
  },
  {
    path: '/forum/thread-42/',
    kind: 'bought',
    vendor: 'Sape',
    price: 350,
    billing: 'monthly',
    anchor: 'video production',
    note: 'rel="nofollow"',
  },
  {
    path: '/partners/',
    kind: 'directory',
    vendor: 'GoGetLinks',
    price: 1200,
    billing: 'one-off',
    anchor: 'Kadr studio',
    note: 'rel="sponsored"',
  },
  {
    path: '/catalog/studios/',
    kind: 'directory',
    vendor: 'GoGetLinks',
    price: 900,
    billing: 'one-off',
    anchor: 'Kadr',
    note: 'page is noindex',
  },
  {
    path: '/news/sidebar/',
    kind: 'bought',
    vendor: 'Sape',
    price: 250,
    billing: 'monthly',
    anchor: 'студия видеопродакшна',
    note: 'inside <noindex>',
  },
  {
    path: '/reviews/agencies/',
    kind: 'bought',
    vendor: 'Sape',
    price: 300,
    billing: 'monthly',
    anchor: 'motion design',
    note: 'hidden by CSS',
  },
  {
    path: '/app/showcase/',
    kind: 'guest-post',
    vendor: 'Direct deal',
    price: 3000,
    billing: 'one-off',
    anchor: 'explainer videos',
    note: 'present only after JavaScript',
  },
  {
    path: '/articles/branding-tips/',
    kind: 'guest-post',
    vendor: 'Miralinks',
    price: 5200,
    billing: 'one-off',
    anchor: 'branding studio',
    note: 'link removed 12 days ago',
  },
  {
    path: '/top-10-studios/',
    kind: 'bought',
    vendor: 'GoGetLinks',
    price: 2100,
    billing: 'one-off',
    anchor: 'Kadr',
    note: 'page gone (404) 8 days ago',
  },
  {
    path: '/old-review/',
    kind: 'bought',
    vendor: 'Sape',
    price: 400,
    billing: 'monthly',
    anchor: 'studio',
    note: 'redirected elsewhere 15 days ago',
  },
  {
    path: '/ru/stati/video/',
    kind: 'bought',
    vendor: 'Sape',
    price: 280,
    billing: 'monthly',
    anchor: 'видеопродакшн в Москве',
    note: 'windows-1251 page, Cyrillic anchor; live, its renewal due in 9 days',
    paidDaysAhead: 9,
  },
  {
    path: '/events/',
    kind: 'bought',
    vendor: 'Direct deal',
    price: 1500,
    billing: 'one-off',
    anchor: 'Kadr motion',
    note: 'answered 503 for a day, then recovered',
  },
  {
    path: '/press/kadr-opens-studio/',
    kind: 'press-release',
    vendor: 'PR Newswire RU',
    price: 8000,
    billing: 'one-off',
    anchor: 'Kadr',
    note: 'published with the link, removed by the editors four days later; the brand mention stays',
    boughtDaysAgo: 16,
  },
  {
    path: '/blog/studio-picks/',
    kind: 'bought',
    vendor: 'Miralinks',
    price: 6000,
    billing: 'one-off',
    anchor: 'video studio Kadr',
    note: 'hidden by CSS 12 days ago, then removed 4 days ago',
  },
  {
    path: '/sponsors/2025/',
    kind: 'directory',
    vendor: 'Direct deal',
    price: 2500,
    billing: 'one-off',
    anchor: 'Kadr',
    note: 'sponsorship ended: archived',
  },
];

const PROSE =
  '<p>We compared studios on portfolio, price and how they handle revisions. Here is what we found after talking to twenty clients.</p>';

function page(title: string, body: string, head = '', charset = 'utf-8'): string {
  return `<!doctype html><html lang="en"><head><meta charset="${charset}"><title>${title}</title>${head}</head><body><article>${PROSE}${body}</article>
<aside><a href="https://example.org/other">another site</a></aside></body></html>`;
}

export interface DonorWorld {
  /** One origin per case in DONOR_CASES: each donor is its own host, as on the real web. */
  origins: string[];
  close(): Promise<void>;
}

/** `ageDays()` says how long before the demo's "now" the simulated clock stands. */
export async function startDonors(target: string, ageDays: () => number): Promise<DonorWorld> {
  const link = (anchor: string, extra = '') => `<a href="${target}"${extra}>${anchor}</a>`;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const age = ageDays();
    const html = (body: string, status = 200, charset = 'utf-8') =>
      res
        .writeHead(status, { 'content-type': `text/html; charset=${charset}` })
        .end(charset === 'windows-1251' ? Buffer.from(encodeCp1251(body)) : body);
    switch (path) {
      case '/robots.txt':
        return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /admin/\n');
      case '/blog/best-video-studios/':
        return html(page('Best video studios of 2026', `<p>Our pick: ${link('motion design studio')}.</p>`));
      case '/forum/thread-42/':
        return html(
          page(
            'Which studio for an explainer?',
            `<p>Try ${link('video production', ' rel="nofollow"')}.</p>`,
          ),
        );
      case '/partners/':
        return html(page('Partners', `<p>${link('Kadr studio', ' rel="sponsored"')}</p>`));
      case '/catalog/studios/':
        return html(
          page(
            'Studio catalogue',
            `<p>${link('Kadr')}</p>`,
            '<meta name="robots" content="noindex, follow">',
          ),
        );
      case '/news/sidebar/':
        return html(
          page('News', `<noindex><div class="sold">${link('студия видеопродакшна')}</div></noindex>`),
        );
      case '/reviews/agencies/':
        return html(page('Agency reviews', `<div style="display:none">${link('motion design')}</div>`));
      case '/app/showcase/':
        return html(page('Showcase', '<div id="links"></div>', `<script src="/app/showcase.js"></script>`));
      case '/app/showcase.js':
        return res
          .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
          .end(
            `document.addEventListener('DOMContentLoaded', () => { document.getElementById('links').innerHTML = ${JSON.stringify(link('explainer videos'))}; });`,
          );
      case '/articles/branding-tips/':
        return html(
          page(
            'Branding tips',
            age > 12 ? `<p>See ${link('branding studio')}.</p>` : '<p>See our other articles.</p>',
          ),
        );
      case '/top-10-studios/':
        return age > 8
          ? html(page('Top 10 studios', `<ol><li>${link('Kadr')}</li></ol>`))
          : html(page('Not found', ''), 404);
      case '/old-review/':
        if (age <= 15) return res.writeHead(301, { location: '/new-review-without-links/' }).end();
        return html(page('Review', `<p>${link('studio')}</p>`));
      case '/new-review-without-links/':
        return html(page('Review (rewritten)', '<p>No links here any more.</p>'));
      case '/ru/stati/video/':
        return html(
          page('Статья о видео', `<p>Советуем ${link('видеопродакшн в Москве')}.</p>`, '', 'windows-1251'),
          200,
          'windows-1251',
        );
      case '/events/':
        if (age > 20 && age < 21.2)
          return res.writeHead(503, { 'retry-after': '3600' }).end('Service unavailable');
        return html(page('Events', `<p>${link('Kadr motion')}</p>`));
      case '/press/kadr-opens-studio/':
        // 8,000 roubles for a press release whose link lived four days: the case "money told straight"
        // is about (the whole price lost, not a pro-rated share of it).
        return html(
          page(
            'Kadr opens a second studio',
            `<p>Kadr, the Moscow motion design studio, opened a second space. Kadr founders say…</p>${age > 12 ? `<p>More at ${link('Kadr')}.</p>` : ''}`,
          ),
        );
      case '/blog/studio-picks/':
        // Live, then hidden with CSS (the HTML still has it), then taken out: the refund claim's story.
        return html(
          page(
            'Studio picks',
            age > 12
              ? `<p>We recommend ${link('video studio Kadr')}.</p>`
              : age > 4.5
                ? `<p>We recommend ${link('video studio Kadr', ' style="display:none"')}.</p>`
                : '<p>We recommend the studios above.</p>',
          ),
        );
      case '/sponsors/2025/':
        return html(page('Our sponsors', `<p>${link('Kadr')}</p>`));
      default:
        return html(page('Not found', ''), 404);
    }
  };
  // A port per donor keeps them separate hosts for politeness limits, and works on any OS (unlike
  // binding 127.0.0.2 and up, which macOS does not route by default).
  const servers = await Promise.all(
    DONOR_CASES.map(async () => {
      const server = createServer(handler);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return server;
    }),
  );
  return {
    origins: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((r) => {
              server.close(() => r());
              server.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}
