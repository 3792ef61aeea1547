// Rank provider that opens Google, Yandex and Bing result pages in the shared Chromium and reads the
// organic positions off them (opt-in: providers.browserSerp.enabled; the tracker paces keywords).
import { z } from 'zod';
import { httpUrl, obj } from '../../config/fields.ts';
import { PROXY, quotas } from '../../config/example-parts.ts';
import { note, off } from '../../config/jsonc.ts';
import { quotaFields } from '../quota.ts';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { BrowserPool } from '../../browser/launcher.ts';
import { parseBingSerp } from '../serp-html/bing.ts';
import type { SerpParse } from '../serp-html/blocked.ts';
import { parseGoogleSerp } from '../serp-html/google.ts';
import { parseYandexSerp } from '../serp-html/yandex.ts';
import { sleep } from '../../util/sleep.ts';
import {
  ProviderError,
  type Engine,
  type Keyword,
  type KeywordSettings,
  type ProviderDeps,
  type Resolved,
  type SerpItem,
  type SerpPage,
  type SerpProvider,
} from '../types.ts';

const ID = 'browser';
const ENGINE_NAME: Record<Engine, string> = { google: 'Google', yandex: 'Yandex', bing: 'Bing' };
const DEFAULT_BASE: Record<Engine, string> = {
  google: 'https://www.google.com/',
  yandex: 'https://yandex.ru/',
  bing: 'https://www.bing.com/',
};
const SEARCH_PATH: Record<Engine, string> = { google: 'search', yandex: 'search/', bing: 'search' };
const PARSERS: Record<Engine, (html: string, pageUrl: string) => SerpParse> = {
  google: parseGoogleSerp,
  yandex: parseYandexSerp,
  bing: parseBingSerp,
};

/** A result page is 0.3–1.5 MB; anything past this is cut before parsing (results sit at the top). */
export const MAX_PAGE_CHARS = 6_000_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DEPTH = 10;

export interface BrowserSerpSettings {
  browser: BrowserPool;
  /** Search pages' base URLs (the site, e.g. https://www.google.de/); the search path is added. */
  googleUrl: string;
  yandexUrl: string;
  bingUrl: string;
  depth: number;
  /** Longest wait for one result page to load. */
  timeoutMs: number;
  /** Pause between the pages of one keyword: a quarter of the caller's pause between keywords. */
  pageDelayMs: number;
  pageJitterMs: number;
}

type Settings = Resolved<z.output<typeof browserSerpSettingsSchema>> & KeywordSettings;

/**
 * What one keyword's reading needs, from the settings the config schema checked: the engines' addresses
 * (defaults filled in), the page pacing, and the browser the tracker hands over.
 * `timeoutMs` (longest wait for a page) is no config option; tests shorten it.
 */
export function browserSerpSettings(s: Partial<Settings> & { timeoutMs?: number }): BrowserSerpSettings {
  const browser = s.browser;
  // The browser is handed over by the tracker, not configured: its absence is a wiring fault.
  if (!browser) throw new ProviderError(ID, 'auth', 'no browser was handed to the browser rank provider');
  return {
    browser,
    googleUrl: s.googleUrl ?? DEFAULT_BASE.google,
    yandexUrl: s.yandexUrl ?? DEFAULT_BASE.yandex,
    bingUrl: s.bingUrl ?? DEFAULT_BASE.bing,
    depth: Math.min(Math.max(1, Math.round(s.depth ?? DEFAULT_DEPTH)), 100),
    timeoutMs: s.timeoutMs || DEFAULT_TIMEOUT_MS,
    pageDelayMs: (s.delayMs ?? PAUSE.delayMs) / 4,
    pageJitterMs: (s.jitterMs ?? PAUSE.jitterMs) / 4,
  };
}

/** `base` with the engine's search path, unless the base already is the search page. */
function searchEndpoint(base: string, engine: Engine): URL {
  const u = new URL(base);
  const path = SEARCH_PATH[engine].replace(/\/$/, '');
  if (u.pathname.replace(/\/$/, '').endsWith(`/${path}`)) return new URL(u.origin + u.pathname);
  return new URL(SEARCH_PATH[engine], u.href.endsWith('/') ? u.href : `${u.href}/`);
}

/**
 * The first result page's URL, with the parameters the engines' own search forms and links use: Google q,
 * gl (country), hl (interface language), num (results per page; Google stopped honouring 100 in 2025, so
 * the next pages are followed too) and pws=0 (no personalisation); Yandex text and lr (region id,
 * https://yandex.ru/dev/xml/doc/ru/reference/regions); Bing q, cc (country) and setlang (interface
 * language), as in https://learn.microsoft.com/en-us/bing/search-apis/bing-web-search/reference/query-parameters.
 */
export function firstPageUrl(keyword: Keyword, settings: BrowserSerpSettings): string {
  const base = { google: settings.googleUrl, yandex: settings.yandexUrl, bing: settings.bingUrl }[
    keyword.engine
  ];
  const u = searchEndpoint(base, keyword.engine);
  const p = u.searchParams;
  const gl = keyword.gl?.trim().toLowerCase() || null;
  const hl = keyword.hl?.trim() || null;
  if (keyword.engine === 'google') {
    p.set('q', keyword.query);
    if (gl) p.set('gl', gl);
    if (hl) p.set('hl', hl);
    p.set('num', String(Math.min(settings.depth, 100)));
    p.set('pws', '0');
  } else if (keyword.engine === 'yandex') {
    p.set('text', keyword.query);
    if (keyword.lr != null) p.set('lr', String(keyword.lr));
  } else {
    p.set('q', keyword.query);
    if (gl) p.set('cc', gl);
    if (hl) p.set('setlang', hl);
  }
  return u.href;
}

// Chrome's reduced User-Agent strings (https://www.chromium.org/updates/ua-reduction/) with the version of
// the Chromium actually running: headless builds say "HeadlessChrome", which result pages treat as a robot.
const DESKTOP_UA = (major: string) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
const MOBILE_UA = (major: string) =>
  `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`;
const majors = new WeakMap<BrowserPool, Promise<string>>();

function chromeMajor(pool: BrowserPool): Promise<string> {
  let m = majors.get(pool);
  if (!m) {
    m = pool.withContext(async (ctx) => ctx.browser()?.version().split('.')[0] ?? '130');
    majors.set(pool, m);
    m.catch(() => majors.delete(pool));
  }
  return m;
}

export function contextOptions(keyword: Keyword, major: string): BrowserContextOptions {
  const locale = keyword.hl?.trim() ? keyword.hl.trim() : undefined;
  return keyword.device === 'mobile'
    ? {
        userAgent: MOBILE_UA(major),
        viewport: { width: 412, height: 915 },
        deviceScaleFactor: 2.625,
        isMobile: true,
        hasTouch: true,
        locale,
      }
    : { userAgent: DESKTOP_UA(major), viewport: { width: 1366, height: 768 }, locale };
}

/**
 * Waits `delayMs` plus up to `jitterMs` at random, so that requests do not come at a robot's even beat.
 * Resolves early when `signal` aborts (the caller then sees the abort and stops).
 */
export function politePause(
  delayMs: number,
  jitterMs: number,
  signal?: AbortSignal,
  random: () => number = Math.random,
): Promise<void> {
  const ms = Math.max(0, delayMs) + Math.max(0, jitterMs) * random();
  return ms > 0 ? sleep(ms, signal) : Promise.resolve();
}

interface Loaded {
  html: string;
  url: string;
  status: number | null;
}

async function load(page: Page, url: string, what: string, timeoutMs: number): Promise<Loaded> {
  try {
    // Result pages are rendered on the server; "load" has them whole without waiting for late scripts.
    const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    let html: string;
    try {
      html = await page.content();
    } catch {
      // A script navigated right after "load" (a consent or captcha redirect): read where it landed.
      await page.waitForLoadState('load', { timeout: timeoutMs });
      html = await page.content();
    }
    return {
      html: html.length > MAX_PAGE_CHARS ? html.slice(0, MAX_PAGE_CHARS) : html,
      url: page.url(),
      status: response?.status() ?? null,
    };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    if (/timeout/i.test(msg))
      throw new ProviderError(
        ID,
        'network',
        `${what}: the page did not load within ${Math.round(timeoutMs / 1000)} s`,
      );
    throw new ProviderError(ID, 'network', `${what}: the page could not be opened (${msg})`);
  }
}

async function readPages(
  ctx: BrowserContext,
  keyword: Keyword,
  settings: BrowserSerpSettings,
  deps: Pick<ProviderDeps, 'signal' | 'onRequest'>,
): Promise<SerpPage> {
  const { signal } = deps;
  const engine = ENGINE_NAME[keyword.engine];
  const what = `${engine} ("${keyword.query}", ${keyword.device})`;
  // Images, fonts and media are not needed to read the results; skipping them keeps each page light.
  await ctx.route('**/*', (route) =>
    ['image', 'font', 'media'].includes(route.request().resourceType()) ? route.abort() : route.continue(),
  );
  const page = await ctx.newPage();
  const items: SerpItem[] = [];
  const seen = new Set<string>();
  let raw: string | undefined;
  let url = firstPageUrl(keyword, settings);
  const maxPages = Math.ceil(settings.depth / 10) + 1;
  for (let n = 0; n < maxPages && items.length < settings.depth; n++) {
    if (n > 0) await politePause(settings.pageDelayMs, settings.pageJitterMs, signal);
    if (signal?.aborted) throw new ProviderError(ID, 'network', `${what}: stopped`);
    try {
      // Each result page loaded counts against the configured limit.
      await deps.onRequest?.();
    } catch (err) {
      // The limit ran out after the first page: the pages read still stand, at the depth they reached.
      if (n > 0 && err instanceof ProviderError && err.kind === 'quota') break;
      throw err;
    }
    let loaded: Loaded;
    let parsed: SerpParse;
    try {
      loaded = await load(page, url, what, settings.timeoutMs);
      raw ??= loaded.html;
      parsed = PARSERS[keyword.engine](loaded.html, loaded.url);
    } catch (err) {
      // A later page that fails leaves the earlier ones true: report the depth actually read.
      if (n > 0 && !signal?.aborted && err instanceof ProviderError && err.kind === 'network') break;
      throw err;
    }
    if (parsed.kind === 'blocked')
      throw new ProviderError(
        ID,
        'blocked',
        `${engine} blocked the check of "${keyword.query}": ${parsed.reason}`,
      );
    // An error page or an unreadable page after the first: the pages before it still stand.
    if (loaded.status !== null && loaded.status >= 400) {
      if (n > 0) break;
      throw new ProviderError(ID, 'http', `${what}: the result page answered HTTP ${loaded.status}`);
    }
    if (parsed.kind === 'unrecognised') {
      if (n > 0) break;
      throw new ProviderError(ID, 'malformed', `${what}: could not read the result page (${parsed.reason})`);
    }
    let added = 0;
    for (const item of parsed.items) {
      if (seen.has(item.url)) continue;
      seen.add(item.url);
      items.push({ position: items.length + 1, url: item.url, title: item.title });
      added++;
    }
    if (!parsed.nextUrl || added === 0) {
      // The engine has no more results: the list is complete down to the depth asked for.
      return { items: items.slice(0, settings.depth), depth: settings.depth, raw };
    }
    url = parsed.nextUrl;
  }
  const complete = items.length >= settings.depth;
  return {
    items: items.slice(0, settings.depth),
    depth: complete ? settings.depth : items.length,
    raw,
  };
}

async function fetchSerp(keyword: Keyword, deps: ProviderDeps<Settings>): Promise<SerpPage> {
  const settings = browserSerpSettings(deps.settings);
  const signal = deps.signal;
  if (signal?.aborted) throw new ProviderError(ID, 'network', `${ENGINE_NAME[keyword.engine]}: stopped`);
  let major: string;
  try {
    major = await chromeMajor(settings.browser);
  } catch (err) {
    // No Chromium installed (or the pool is shut down): every keyword would fail the same way.
    throw new ProviderError(ID, 'auth', err instanceof Error ? err.message : String(err));
  }
  return settings.browser.withContext(
    async (ctx) => {
      // Closing the context makes a pending navigation fail at once, so a shutdown does not wait it out.
      const onAbort = () => void ctx.close().catch(() => {});
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await readPages(ctx, keyword, settings, deps);
      } catch (err) {
        if (signal?.aborted)
          throw new ProviderError(ID, 'network', `${ENGINE_NAME[keyword.engine]}: stopped`);
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    contextOptions(keyword, major),
  );
}

/** A pause between two keywords that a person's browsing would not beat. */
const PAUSE = { delayMs: 20_000, jitterMs: 10_000 };

/** The `providers.browserSerp` block: opt-in, one page at a time with a pause between. */
export const browserSerpSettingsSchema = obj({
  enabled: z.boolean().default(false),
  delayMs: z.number().int().min(0).max(3_600_000).default(PAUSE.delayMs),
  jitterMs: z.number().int().min(0).max(3_600_000).default(PAUSE.jitterMs),
  googleUrl: httpUrl.optional(),
  yandexUrl: httpUrl.optional(),
  bingUrl: httpUrl.optional(),
  ...quotaFields,
});

export const browserSerp: SerpProvider<z.output<typeof browserSerpSettingsSchema>, 'browserSerp'> = {
  kind: 'serp',
  id: ID,
  label: { en: 'browser', ru: 'браузер' },
  configKey: 'browserSerp',
  settings: browserSerpSettingsSchema,
  secrets: [],
  example: note('Reading result pages in a real browser is off unless enabled: one page at a time, slowly.', {
    enabled: false,
    delayMs: PAUSE.delayMs,
    jitterMs: PAUSE.jitterMs,
    ...quotas({ dailyQuota: 100 }),
    googleUrl: off(`Search engine addresses: ${PROXY}.`, 'https://www.google.com/search'),
    yandexUrl: off('', 'https://yandex.ru/search/'),
    bingUrl: off('', 'https://www.bing.com/search'),
  }),
  colour: '#d97706',
  capabilities: {
    engines: ['google', 'yandex', 'bing'],
    devices: ['desktop', 'mobile'],
    countries: true,
    maxDepth: 100,
    fullSerp: true,
    quotaUnit: 'request',
    needsBrowser: true,
    optIn: true,
    pause: PAUSE,
    priority: 25,
  },
  fetchPositions: fetchSerp,
};
