// Checks one backlink: fetches the donor page (plain HTTP, and Chromium when asked), reads robots.txt for
// Googlebot and Yandex, and returns the facts, the verdict and the evidence. Reuses the crawler's fetcher,
// robots.txt parser and charset sniffing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserPool } from '../browser/launcher.ts';
import { decodeBody } from '../crawl/decode.ts';
import { Robots } from '../crawl/robots.ts';
import { metaRobotsDirectives, xRobotsDirectives } from '../crawl/robots-meta.ts';
import { normalizeUrl, pathWithQuery } from '../crawl/url.ts';
import { fetchPage, parseRefresh, type FetchResult, type RedirectHop } from '../fetch/http-fetcher.ts';
import { sleep } from '../util/sleep.ts';
import { analyzeDonorPage } from './analyze.ts';
import { reasonText, type BotWall, type Reason } from './reasons.ts';
import { findRenderedLink } from './rendered.ts';
import type { DonorFacts, FoundLink, TargetSpec } from './types.ts';
import { judge, samePage, type BodyCut, type CheckFacts, type Verdict } from './verdict.ts';

export interface CheckSettings {
  userAgent: string;
  timeoutMs: number;
  /** Bytes read from the wire, and once decompressed; a link not found in a cut page is inconclusive. */
  maxBytes: number;
  maxDecodedBytes: number;
  retries: number;
  fallbackCharset: string;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  // Neutral on purpose: some donors hide sold links from anything that looks like a link checker.
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  timeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  maxDecodedBytes: 20 * 1024 * 1024,
  retries: 1,
  fallbackCharset: 'utf-8',
};

export interface CheckResult {
  mode: 'static' | 'rendered';
  verdict: Verdict;
  facts: CheckFacts;
  donor: DonorFacts | null;
  http: {
    status: number | null;
    finalUrl: string | null;
    redirects: RedirectHop[];
    headers: Record<string, string>;
  };
  screenshot: string | null;
  error: string | null;
}

export interface CheckContext {
  settings: CheckSettings;
  /** robots.txt per origin, read once per run. */
  robotsCache: Map<string, Promise<Robots>>;
  signal?: AbortSignal;
  /**
   * Runs one request to `host` in the host's turn (politeness): in this process's memory for a run done
   * inline, through a slot in the database (src/limits/host-slots.ts) for tasks that workers on several
   * machines share. `fn` sends at once, so its call is the request's start.
   */
  polite?: <T>(host: string, fn: () => Promise<T>) => Promise<T>;
}

/** `fn` in the host's turn, or at once when the context keeps no politeness. */
function inTurn<T>(ctx: CheckContext, url: string, fn: () => Promise<T>): Promise<T> {
  return ctx.polite ? ctx.polite(new URL(url).host, fn) : fn();
}

const BOT_WALLS: [RegExp, BotWall][] = [
  [/captcha|smartcaptcha|showcaptcha/i, 'captcha'],
  [/cf-challenge|challenge-platform|just a moment\.\.\.|checking your browser/i, 'browser challenge'],
  [/access denied|доступ запрещ/i, 'access denied page'],
];

export function detectBotWall(html: string, found: boolean): BotWall | null {
  if (found) return null; // a page that shows our link is the page, whatever else it says
  const head = html.slice(0, 20_000);
  for (const [re, name] of BOT_WALLS) if (re.test(head)) return name;
  return null;
}

async function robotsFor(url: string, ctx: CheckContext): Promise<Robots> {
  const origin = new URL(url).origin;
  let r = ctx.robotsCache.get(origin);
  if (!r) {
    r = fetchPage(`${origin}/robots.txt`, {
      maxRedirects: 5,
      timeoutMs: ctx.settings.timeoutMs,
      maxBytes: 512 * 1024,
      userAgent: ctx.settings.userAgent,
      signal: ctx.signal,
    })
      .then((res) => Robots.fromFetch(res.status, Buffer.from(res.body).toString('utf8')))
      .catch(() => Robots.fromFetch(null, ''));
    ctx.robotsCache.set(origin, r);
  }
  return r;
}

async function politeFetch(url: string, ctx: CheckContext): Promise<FetchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await inTurn(ctx, url, () =>
        fetchPage(url, {
          maxRedirects: 10,
          timeoutMs: ctx.settings.timeoutMs,
          maxBytes: ctx.settings.maxBytes,
          maxDecodedBytes: ctx.settings.maxDecodedBytes,
          userAgent: ctx.settings.userAgent,
          signal: ctx.signal,
        }),
      );
      if (res.status >= 500 && attempt < ctx.settings.retries) continue;
      return res;
    } catch (err) {
      if (attempt >= ctx.settings.retries || ctx.signal?.aborted) throw err;
    }
    await sleep(1000 * 2 ** attempt, ctx.signal);
    ctx.signal?.throwIfAborted();
  }
}

/** The static check: HTTP (with meta refresh followed), robots.txt, directives, and the link in the HTML. */
export async function checkStatic(
  donorUrl: string,
  target: TargetSpec,
  ctx: CheckContext,
  brand?: string,
): Promise<CheckResult> {
  const robotsP = robotsFor(donorUrl, ctx);
  let res: FetchResult;
  try {
    res = await politeFetch(donorUrl, ctx);
  } catch (err) {
    const facts = emptyFacts(donorUrl, 'static', (err as Error).message);
    return {
      mode: 'static',
      verdict: judge(facts),
      facts,
      donor: null,
      http: { status: null, finalUrl: null, redirects: [], headers: {} },
      screenshot: null,
      error: (err as Error).message,
    };
  }
  const redirects = [...res.redirects];
  let html = '';
  let donor: DonorFacts | null = null;
  // Meta refresh counts as a redirect hop, as search engines treat it (up to three of them).
  for (let hops = 0; ; hops++) {
    const type = res.headers['content-type'] ?? '';
    html =
      /html|xml/i.test(type) || type === ''
        ? decodeBody(res.body, type, ctx.settings.fallbackCharset).text
        : '';
    const refresh = /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']([^"']+)["']/i.exec(
      html.slice(0, 10_000),
    )?.[1];
    const target2 = refresh ? parseRefresh(refresh)?.url : null;
    const next = target2 ? normalizeUrl(target2, res.finalUrl) : null;
    if (!next?.ok || hops >= 3 || res.status !== 200) break;
    redirects.push({ url: res.finalUrl, status: res.status, location: next.url, via: 'refresh' });
    try {
      const followed = await politeFetch(next.url, ctx);
      res = { ...followed, redirects: [...redirects, ...followed.redirects] };
      redirects.push(...followed.redirects);
    } catch {
      break;
    }
  }
  if (html) donor = analyzeDonorPage(html, res.finalUrl, target, { brand });
  const robots = await robotsP;
  const path = pathWithQuery(res.finalUrl);
  const meta = donor?.metaRobots ?? {};
  const xr = res.headers['x-robots-tag'];
  const g = { ...metaRobotsDirectives(meta, 'googlebot') };
  const y = { ...metaRobotsDirectives(meta, 'yandex') };
  const gx = xRobotsDirectives(xr, 'googlebot');
  const yx = xRobotsDirectives(xr, 'yandex');
  const facts: CheckFacts = {
    mode: 'static',
    donorUrl,
    http: { status: res.status, finalUrl: res.finalUrl, error: null },
    botWall: detectBotWall(html, Boolean(donor?.best)),
    robotsAllows: { google: robots.isAllowed(path, 'Googlebot'), yandex: robots.isAllowed(path, 'Yandex') },
    noindex: { google: g.noindex || gx.noindex, yandex: y.noindex || yx.noindex },
    pageNofollow: { google: g.nofollow || gx.nofollow, yandex: y.nofollow || yx.nofollow },
    canonicalElsewhere: donor?.canonical && !samePage(donor.canonical, res.finalUrl) ? donor.canonical : null,
    link: donor?.best ?? null,
    hidden: null,
    onlyAfterJs: false,
    jsRedirectTo: null,
    bodyCut: bodyCut(res, ctx.settings),
  };
  return {
    mode: 'static',
    verdict: judge(facts),
    facts,
    donor,
    http: { status: res.status, finalUrl: res.finalUrl, redirects, headers: pickHeaders(res.headers) },
    screenshot: null,
    error: null,
  };
}

/** The rendered check: the same, but the link is looked for after JavaScript ran, with CSS hiding
 * detected and a screenshot of the link highlighted saved as evidence. */
export async function checkRendered(
  donorUrl: string,
  target: TargetSpec,
  ctx: CheckContext,
  browser: BrowserPool,
  /** `stamp`: the URL and time written on the screenshot, so the picture says what and when on its own. */
  evidence: { dir: string; name: string; stamp?: string } | null,
  staticResult: CheckResult,
): Promise<CheckResult> {
  // A stop while waiting for the host's turn rejects from here; a failed render is a result.
  return inTurn(ctx, donorUrl, async (): Promise<CheckResult> => {
    try {
      if (evidence) mkdirSync(evidence.dir, { recursive: true });
      const shot = evidence ? join(evidence.dir, `${evidence.name}.png`) : null;
      const r = await findRenderedLink(browser, donorUrl, target, {
        timeoutMs: ctx.settings.timeoutMs,
        userAgent: ctx.settings.userAgent,
        screenshot: shot,
        stamp: evidence?.stamp,
        signal: ctx.signal,
      });
      const base = staticResult.facts;
      const httpFinal = staticResult.http.finalUrl;
      // A static read cut at the size cap cannot say the link was missing from the HTML.
      const inHtml = isRealLink(staticResult.donor?.best ?? null) || base.bodyCut !== null;
      const facts: CheckFacts = {
        ...base,
        mode: 'rendered',
        http: { ...base.http, status: r.status ?? base.http.status },
        link: r.link ?? null,
        hidden: r.hidden,
        // In the HTML as a real link? (One written inside a script string does not count.)
        onlyAfterJs: r.link !== null && !inHtml,
        jsRedirectTo: httpFinal && !samePage(r.finalUrl, httpFinal) ? r.finalUrl : null,
        botWall: r.link ? null : base.botWall,
        // The browser loads the whole page, with no size cap.
        bodyCut: null,
      };
      return {
        ...staticResult,
        mode: 'rendered',
        facts,
        verdict: judge(facts),
        screenshot: r.screenshot ? shot : null,
        error: null,
      };
    } catch (err) {
      const failed: Reason = { code: 'render-failed', message: (err as Error).message };
      return { ...staticResult, mode: 'rendered', error: reasonText(failed) };
    }
  });
}

function pickHeaders(h: Record<string, string>): Record<string, string> {
  const keep = [
    'content-type',
    'content-length',
    'last-modified',
    'x-robots-tag',
    'server',
    'date',
    'location',
    'link',
  ];
  return Object.fromEntries(Object.entries(h).filter(([k]) => keep.includes(k)));
}

function emptyFacts(donorUrl: string, mode: 'static', error: string): CheckFacts {
  return {
    mode,
    donorUrl,
    http: { status: null, finalUrl: null, error },
    botWall: null,
    robotsAllows: { google: true, yandex: true },
    noindex: { google: false, yandex: false },
    pageNofollow: { google: false, yandex: false },
    canonicalElsewhere: null,
    link: null,
    hidden: null,
    onlyAfterJs: false,
    jsRedirectTo: null,
    bodyCut: null,
  };
}

function bodyCut(res: FetchResult, settings: CheckSettings): BodyCut | null {
  if (res.truncated === 'max-bytes') return { limitBytes: settings.maxBytes, stage: 'download' };
  if (res.truncated === 'max-decoded-bytes')
    return { limitBytes: settings.maxDecodedBytes, stage: 'decompression' };
  return null;
}

function isRealLink(l: FoundLink | null): boolean {
  return l !== null && !l.context.inScript && !l.context.inComment;
}

export const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/**
 * Fetches the donor page again as Googlebot and compares it with what a browser got. A different status,
 * or the link present for one only, is flagged — as a suspicion, not proof: many sites block anything
 * that calls itself Googlebot without coming from Google's addresses.
 */
export async function cloakingSuspicion(
  donorUrl: string,
  target: TargetSpec,
  ctx: CheckContext,
  asBrowser: CheckResult,
): Promise<Reason | null> {
  const bot = await checkStatic(donorUrl, target, {
    ...ctx,
    settings: { ...ctx.settings, userAgent: GOOGLEBOT_UA },
  });
  if (bot.http.status === null || asBrowser.http.status === null) return null;
  if (bot.http.status !== asBrowser.http.status)
    return { code: 'cloaking-status', bot: bot.http.status, browser: asBrowser.http.status };
  const forBot = isRealLink(bot.donor?.best ?? null);
  const forBrowser = isRealLink(asBrowser.donor?.best ?? null);
  if (forBot !== forBrowser) return { code: 'cloaking-link', shownTo: forBot ? 'googlebot' : 'browsers' };
  return null;
}
