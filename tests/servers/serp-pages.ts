// A local stand-in for Google, Yandex and Bing result pages (one engine per server), in each engine's own
// markup, with ads and extra blocks around the organic list, paging, and the captcha pages they block with.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FakeEngine = 'google' | 'yandex' | 'bing';

export interface FakeResult {
  url: string;
  title: string;
}

export interface SerpPageRequest {
  path: string;
  params: Record<string, string>;
  userAgent: string;
  /** The User-Agent says a phone (the engines serve their mobile layout to those). */
  mobile: boolean;
}

export type SerpPageFault =
  | 'captcha' // Google: 302 to /sorry/index (429 there); Yandex: 302 to /showcaptcha; Bing: to /turing/captcha
  | 'not-a-result-page' // 200 with a page that is neither results nor a known block
  | 'unavailable' // 503 with a plain error page
  | 'hang'; // never answers

export interface SerpPagesOptions {
  engine: FakeEngine;
  /** The organic list for a query, in rank order, across all pages. */
  results: (query: string, request: SerpPageRequest) => FakeResult[];
  /** Ads shown above the organic results of every page (never organic positions). */
  ads?: FakeResult[];
  /** Organic results per page. Google has ignored num=100 since 2025, so every engine pages by 10. */
  pageSize?: number;
  /** A fault for the n-th search request (0-based), or null for a normal page. */
  fault?: (n: number, request: SerpPageRequest) => SerpPageFault | null;
  /** Every request (search pages and captcha pages), in order. */
  log?: SerpPageRequest[];
}

const QUERY_PARAM: Record<FakeEngine, string> = { google: 'q', yandex: 'text', bing: 'q' };
const SEARCH_PATH: Record<FakeEngine, RegExp> = {
  google: /^\/search$/,
  yandex: /^\/search\/?$/,
  bing: /^\/search$/,
};

/** A node:http handler that answers like one search engine's result pages. */
export function serpPagesHandler(
  opts: SerpPagesOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  let n = 0;
  const size = opts.pageSize ?? 10;
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const userAgent = String(req.headers['user-agent'] ?? '');
    const request: SerpPageRequest = {
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      userAgent,
      mobile: /Mobile|Android|iPhone/.test(userAgent),
    };
    opts.log?.push(request);
    const html = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);

    // The pages an engine blocks with.
    if (opts.engine === 'google' && url.pathname === '/sorry/index')
      return html(429, googleSorryPage(url.searchParams.get('continue') ?? ''));
    if (opts.engine === 'yandex' && url.pathname === '/showcaptcha') return html(200, yandexCaptchaPage());
    if (opts.engine === 'bing' && url.pathname.startsWith('/turing/captcha'))
      return html(200, bingChallengePage());
    if (req.method !== 'GET' || !SEARCH_PATH[opts.engine].test(url.pathname))
      return html(404, '<!DOCTYPE html><html><body><h1>404. That’s an error.</h1></body></html>');

    const fault = opts.fault?.(n++, request) ?? null;
    if (fault === 'hang') return;
    if (fault === 'unavailable')
      return html(
        503,
        '<!DOCTYPE html><html><head><title>503</title></head><body><h1>Service Unavailable</h1></body></html>',
      );
    if (fault === 'not-a-result-page')
      return html(
        200,
        '<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Something went wrong. Please try again later.</p></body></html>',
      );
    if (fault === 'captcha') {
      const self = `http://${req.headers.host}${req.url}`;
      const to =
        opts.engine === 'google'
          ? `/sorry/index?continue=${encodeURIComponent(self)}&q=EgRk8Zx1GPiH2boGIjCk5sZ4`
          : opts.engine === 'yandex'
            ? `/showcaptcha?cc=1&mt=7A3D0F&retpath=${Buffer.from(self).toString('base64url')}_3f1c&t=2/1732700000/9b1e&u=3b6c1a9e&s=1d2c`
            : `/turing/captcha/challenge?q=&iframeid=local-${n}`;
      return res.writeHead(302, { location: to }).end();
    }

    const query = url.searchParams.get(QUERY_PARAM[opts.engine]) ?? '';
    const all = opts.results(query, request);
    const ads = opts.ads ?? [];
    if (opts.engine === 'google') {
      const start = Number(url.searchParams.get('start') ?? 0);
      const next = start + size < all.length ? withParam(url, 'start', start + size) : null;
      const page = all.slice(start, start + size);
      return html(
        200,
        request.mobile ? googleMobile(query, page, ads, next) : googleDesktop(query, page, ads, next),
      );
    }
    if (opts.engine === 'yandex') {
      const p = Number(url.searchParams.get('p') ?? 0);
      const next = (p + 1) * size < all.length ? withParam(url, 'p', p + 1) : null;
      return html(200, yandexPage(query, all.slice(p * size, (p + 1) * size), ads, next, request.mobile));
    }
    const first = Number(url.searchParams.get('first') ?? 1);
    const next = first - 1 + size < all.length ? withParam(url, 'first', first + size) : null;
    return html(200, bingPage(query, all.slice(first - 1, first - 1 + size), ads, next, request.mobile));
  };
}

/** `count` results on made-up sites, numbered from 1: https://site-1.example/page … */
export function numberedResults(count: number, prefix = 'site'): FakeResult[] {
  return Array.from({ length: count }, (_, i) => ({
    url: `https://${prefix}-${i + 1}.example/page`,
    title: `Result ${i + 1} — ${prefix}`,
  }));
}

function withParam(url: URL, name: string, value: number): string {
  const u = new URL(url.pathname + url.search, 'http://x');
  u.searchParams.set(name, String(value));
  return u.pathname + u.search;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const host = (u: string) => new URL(u).host;

// ---- Google (the 2023 layout: #rso, a > h3 on desktop, a > div[role=heading] on mobile) ----

function googleDesktop(q: string, page: FakeResult[], ads: FakeResult[], next: string | null): string {
  const organic = page.map(
    (r) =>
      `<div class="MjjYud"><div class="g Ww4FFb vt6azd tF2Cxc"><div class="kvH3mc BToiNc UK95Uc"><div class="Z26q7c UK95Uc jGGQ5e"><div class="yuRUbf"><a href="${esc(r.url)}" data-ved="2ahUKEwj"><br><h3 class="LC20lb MBeuO DKV0Md">${esc(r.title)}</h3><div class="notranslate TbwUpd NJjxre"><cite class="apx8Vc">${esc(host(r.url))}</cite></div></a></div></div><div class="Z26q7c UK95Uc"><div class="VwiC3b yXK7lf">A page about ${esc(q)}.</div></div></div></div></div>`,
  );
  // "People also ask" with an opened answer: its link is shaped like a result and must not count.
  const paa = `<div class="MjjYud"><div class="Wt5Tfe"><div role="heading" aria-level="2">People also ask</div><div class="related-question-pair" data-q="What is ${esc(q)}?" data-initq="${esc(q)}"><div class="wQiwMc">What is ${esc(q)}?</div><div class="yuRUbf"><a href="https://answers.example/what-is"><h3>What is ${esc(q)}? — Answers</h3></a></div></div></div></div>`;
  organic.splice(Math.min(1, organic.length), 0, paa);
  return `<!DOCTYPE html><html itemscope="" itemtype="http://schema.org/SearchResultsPage" lang="en"><head><meta charset="UTF-8"><title>${esc(q)} - Google Search</title></head><body id="gsr" class="srp"><div id="main" class="main"><div id="cnt"><div id="rcnt"><div id="center_col">
<div id="taw"><div id="tvcap"><div id="tads" aria-label="Ads" role="region"><h1>Ads</h1>${ads
    .map(
      (a) =>
        `<div class="uEierd"><div data-text-ad="1"><a href="${esc(a.url)}"><div role="heading" aria-level="3"><span>Sponsored</span> ${esc(a.title)}</div></a></div></div>`,
    )
    .join('')}</div></div></div>
<div id="res" role="main"><div id="search"><div><h1>Search Results</h1><div id="rso" class="v7W49e">${organic.join('')}</div></div></div></div>
<div id="botstuff"><div role="navigation"><h1>Page Navigation</h1><table class="AaVjTc"><tr>${
    next ? `<td><a id="pnnext" href="${esc(next)}"><span>Next</span></a></td>` : ''
  }</tr></table></div></div>
</div></div></div></div></body></html>`;
}

function googleMobile(q: string, page: FakeResult[], ads: FakeResult[], next: string | null): string {
  const organic = page
    .map(
      (r) =>
        `<div class="MjjYud"><div class="Ww4FFb vt6azd xpd EtOod pkphOe"><div class="P8ujBc v5yQqb jqWpsc"><a class="cz3goc BmP5tf" href="${esc(r.url)}"><div class="y0NFKc" role="heading" aria-level="3">${esc(r.title)}</div><div class="CA5RN"><span class="qzEoUe">${esc(host(r.url))}</span></div></a></div><div class="VwiC3b">A page about ${esc(q)}.</div></div></div>`,
    )
    .join('');
  return `<!DOCTYPE html><html itemscope="" itemtype="http://schema.org/SearchResultsPage" lang="en"><head><meta charset="UTF-8"><meta content="width=device-width,initial-scale=1.0,minimum-scale=1.0" name="viewport"><title>${esc(q)} - Google Search</title></head><body class="srp"><div id="gsr"><div id="main" class="main"><div id="cnt"><div id="center_col" class="center_col s6JM6d">
<div id="taw"><div><div id="tvcap"><div id="tads" class="qGXjvb"><div class="uEierd">${ads
    .map(
      (a) =>
        `<div data-text-ad="1"><div class="Ww4FFb vt6azd"><div class="v5yQqb jqWpsc"><a class="cz3goc v5yQqb BmP5tf" href="${esc(a.url)}"><div class="y0NFKc" role="heading" aria-level="3"><span>Sponsored</span> ${esc(a.title)}</div></a></div></div></div>`,
    )
    .join('')}</div></div></div></div></div>
<div><div id="rso">${organic}</div></div>
<div id="botstuff"><div><div class="sdjuGf">${
    next
      ? `<a class="T7sFge sW9g3e VknLRd" aria-label="More results" href="${esc(next)}"><h3>More results</h3></a>`
      : ''
  }</div></div></div>
</div></div></div></div></body></html>`;
}

function googleSorryPage(continueUrl: string): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"><meta name="viewport" content="initial-scale=1"><title>${esc(continueUrl)}</title></head>
<body style="font-family: arial, sans-serif; background-color: #fff; color: #000; padding:20px; font-size:18px;"><div style="max-width:400px;"><hr noshade size="1"><br>
<form id="captcha-form" action="index" method="post"><div id="recaptcha" class="g-recaptcha" data-sitekey="6LfwuyUTAAAAAOAmoS0fdqijC2PbbdH4kjq62Y1b"></div><input type="hidden" name="q" value="EgRk8Zx1GPiH2boGIjCk5sZ4"><input type="hidden" name="continue" value="${esc(continueUrl)}"></form>
<hr noshade size="1"><div style="font-size:13px;"><b>About this page</b><br><br>Our systems have detected unusual traffic from your computer network. This page checks to see if it's really you sending the requests, and not a robot.<br><br>IP address: 192.0.2.7<br>Time: 2026-11-27T06:00:00Z<br>URL: ${esc(continueUrl)}<br></div></div></body></html>`;
}

// ---- Yandex (li.serp-item in #search-result; ads marked "Реклама", wizards with data-fast-wzrd) ----

function yandexPage(
  q: string,
  page: FakeResult[],
  ads: FakeResult[],
  next: string | null,
  mobile: boolean,
): string {
  const adItems = ads.map(
    (a, i) =>
      `<li class="serp-item serp-item_card" data-cid="a${i}" data-fast-name="direct"><div class="Organic organic"><div class="Organic-Path path organic__path"><a class="Link Path-Item link path__item" href="https://yabs.yandex.ru/count/WZ0ejI_z${i}"><b>${esc(host(a.url))}</b></a></div><a class="Link OrganicTitle-Link organic__url link" href="https://yabs.yandex.ru/count/WZ0ejI_z${i}"><h2 class="OrganicTitle-LinkText organic__url-text">${esc(a.title)}</h2></a><div class="Organic-Subtitle"><span class="Organic-Label">Реклама</span></div></div></li>`,
  );
  const organic = page.map(
    (r, i) =>
      `<li class="serp-item serp-item_card" data-cid="${i}"><div class="Organic organic" data-counter='["b"]'><div class="Organic-Path path organic__path"><a class="Link Path-Item link path__item" href="${esc(r.url)}"><b>${esc(host(r.url))}</b></a></div><a class="Link OrganicTitle-Link organic__url link" href="${esc(r.url)}" target="_blank"><h2 class="OrganicTitle-LinkText organic__url-text">${esc(r.title)}</h2></a><div class="OrganicText organic__text">Страница про «${esc(q)}».</div></div></li>`,
  );
  // A companies wizard after the second result: shaped like a result, never an organic position.
  const wizard = `<li class="serp-item serp-item_card" data-fast-wzrd="companies" data-fast-name="companies"><div class="Organic OrgCompany"><a class="Link OrganicTitle-Link organic__url link" href="https://maps-company.example/"><h2 class="OrganicTitle-LinkText">Компания на карте</h2></a><a class="Link" href="/maps/org/1094521866/">На карте</a></div></li>`;
  organic.splice(Math.min(2, organic.length), 0, wizard);
  return `<!DOCTYPE html><html class="i-ua_js_no" lang="ru"><head><meta charset="utf-8">${
    mobile ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : ''
  }<title>${esc(q)} — Яндекс: нашлось 2 млн результатов</title></head><body class="b-page b-page_type_search-serp${mobile ? ' b-page_mobile' : ''}">
<header class="serp-header"><form class="search2 HeaderForm" action="/search/" role="search"><input name="text" value="${esc(q)}"></form></header>
<div class="main serp"><div class="content"><div class="content__left"><ul id="search-result" class="serp-list serp-list_left_yes" role="main" aria-label="Результаты поиска">${[...adItems, ...organic].join('\n')}</ul>
<div class="pager" role="navigation">${next ? `<a class="Link Pager-Item Pager-Item_type_next" href="${esc(next)}">дальше</a>` : ''}</div></div></div></div></body></html>`;
}

function yandexCaptchaPage(): string {
  return `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Вы не робот?</title></head><body><div class="Container"><div class="CheckboxCaptcha"><form id="checkbox-captcha-form" method="POST" action="/checkcaptcha?key=2d8f3e6a_2%2F1732700000&amp;retpath=aHR0cHM6Ly95YW5kZXgucnU_7b3e"><div class="CheckboxCaptcha-Anchor"><input class="CheckboxCaptcha-Button" type="submit" role="checkbox" aria-checked="false" aria-labelledby="checkbox-label"><div class="CheckboxCaptcha-Label" id="checkbox-label">Я не робот</div></div><input type="hidden" name="rdata" value=""></form></div><div class="Text">Подтвердите, что запросы отправляли вы, а не робот</div></div></body></html>`;
}

// ---- Bing (li.b_algo in #b_results, titles through /ck/a click links; li.b_ad ads; li.b_ans answers) ----

function bingClick(url: string, i: number): string {
  return `https://www.bing.com/ck/a?!&&p=5f3c9e${i}a1b2c3d4JmltdHM9MTczMjY2NTYwMA&ptn=3&ver=2&hsh=4&fclid=1e2d3c4b-5a69-7887-9695-a4b3c2d1e0f${i % 10}&u=a1${Buffer.from(url).toString('base64url')}&ntb=1`;
}

function bingPage(
  q: string,
  page: FakeResult[],
  ads: FakeResult[],
  next: string | null,
  mobile: boolean,
): string {
  const adBlock = ads.length
    ? `<li class="b_ad b_adTop"><ul>${ads
        .map(
          (a) =>
            `<li class="b_adLastChild"><div class="sb_add sb_adTA"><h2><a href="${esc(a.url)}">${esc(a.title)}</a></h2><div class="b_caption"><div class="b_attribution"><cite>${esc(host(a.url))}</cite><span class="b_adSlug">Ad</span></div></div></div></li>`,
        )
        .join('')}</ul></li>`
    : '';
  const organic = page.map(
    (r, i) =>
      `<li class="b_algo" data-tag=""><div class="b_tpcn"><a class="tilk" href="${esc(bingClick(r.url, i))}"><div class="tptt">${esc(host(r.url))}</div></a></div><h2><a href="${esc(bingClick(r.url, i))}" h="ID=SERP,5${i}.1">${esc(r.title)}</a></h2><div class="b_caption"><p class="b_lineclamp2">A page about ${esc(q)}.</p></div></li>`,
  );
  // A video answer after the first result; its links are not organic positions.
  const videos = `<li class="b_ans b_mop"><h2><a href="/videos/search?q=${encodeURIComponent(q)}">Videos of ${esc(q)}</a></h2><div class="b_vidAns"><a href="https://videos.example/watch?v=1"><h2>A video about ${esc(q)}</h2></a></div></li>`;
  organic.splice(Math.min(1, organic.length), 0, videos);
  return `<!DOCTYPE html><html dir="ltr" lang="en" xml:lang="en"><head><meta charset="utf-8">${
    mobile ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : ''
  }<title>${esc(q)} - Search</title></head><body><div id="b_content"><main aria-label="Search Results"><ol id="b_results" role="main">${adBlock}${organic.join('\n')}
<li class="b_pag"><nav role="navigation" aria-label="More results for ${esc(q)}"><ul class="sb_pagF">${
    next
      ? `<li><a class="sb_pagN sb_pagN_bp b_widePag sb_bp" title="Next page" href="${esc(next)}">Next</a></li>`
      : ''
  }</ul></nav></li></ol></main></div></body></html>`;
}

function bingChallengePage(): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bing</title></head><body><div id="b_content"><main><h1>One last step</h1><p>Please solve the challenge below to continue.</p><div id="turnstile-widget"></div></main></div></body></html>`;
}
