// Looks for a backlink in a donor page after JavaScript ran, in the shared Chromium: is it there, can a
// visitor see it, where did the page end up, and a screenshot with the link highlighted as evidence.
import type { BrowserContext } from 'playwright-core';
import type { BrowserPool } from '../browser/launcher.ts';
import type { Hidden, HiddenHow } from './reasons.ts';
import type { FoundLink, TargetSpec } from './types.ts';

export interface RenderedFind {
  status: number | null;
  finalUrl: string;
  link: FoundLink | null;
  hidden: Hidden | null;
  screenshot: boolean;
}

interface PageLink {
  href: string;
  anchor: string;
  image: boolean;
  rel: string;
  match: 'exact' | 'domain';
  hidden: Hidden | null;
  snippet: string;
  inNoindex: boolean;
  inForm: boolean;
}

export async function findRenderedLink(
  browser: BrowserPool,
  url: string,
  target: TargetSpec,
  opts: {
    timeoutMs: number;
    userAgent: string;
    screenshot: string | null;
    stamp?: string;
    /** A stopping run closes the page: a load or screenshot in progress fails at once. */
    signal?: AbortSignal;
  },
): Promise<RenderedFind> {
  opts.signal?.throwIfAborted();
  return browser.withContext(
    async (ctx) => {
      // Starting Chromium can take seconds: the stop may have come meanwhile.
      opts.signal?.throwIfAborted();
      const close = () => void ctx.close().catch(() => {});
      opts.signal?.addEventListener('abort', close, { once: true });
      try {
        return await lookIn(ctx);
      } finally {
        opts.signal?.removeEventListener('abort', close);
      }
    },
    { userAgent: opts.userAgent, javaScriptEnabled: true },
  );

  async function lookIn(ctx: BrowserContext): Promise<RenderedFind> {
    // Images, fonts and media are not needed to find a link; skipping them keeps checks fast.
    await ctx.route('**/*', (route) =>
      ['image', 'font', 'media'].includes(route.request().resourceType()) ? route.abort() : route.continue(),
    );
    const page = await ctx.newPage();
    const response = await page.goto(url, { waitUntil: 'load', timeout: opts.timeoutMs });
    // Scripts that add links on DOMContentLoaded or load have run; give late ones a short, bounded moment.
    await page.waitForTimeout(200);
    const found = (await page.evaluate(
      inPageCall(inPage, { url: target.url, domain: target.domain }),
    )) as PageLink[];
    const best =
      found.find((l) => l.match === 'exact' && !l.hidden) ??
      found.find((l) => l.match === 'exact') ??
      found.find((l) => !l.hidden) ??
      found[0] ??
      null;
    let screenshot = false;
    if (opts.screenshot) {
      if (best) await page.evaluate(inPageCall(highlight, best.snippet)).catch(() => {});
      // Stamped after the link was judged: the banner cannot hide or move anything that was measured.
      if (opts.stamp) await page.evaluate(inPageCall(stamp, opts.stamp)).catch(() => {});
      await page.screenshot({ path: opts.screenshot, timeout: opts.timeoutMs });
      screenshot = true;
    }
    return {
      status: response?.status() ?? null,
      finalUrl: page.url(),
      hidden: best?.hidden ?? null,
      screenshot,
      link: best && {
        href: best.href,
        match: best.match,
        anchor: best.anchor,
        image: best.image,
        rel: best.rel.toLowerCase().split(/\s+/).filter(Boolean),
        snippet: best.snippet,
        context: {
          inNoindexTag: best.inNoindex,
          inNoindexComment: false,
          inComment: false,
          inScript: false,
          inIframe: false,
          inForm: best.inForm,
          outsideBody: false,
        },
      },
    };
  }
}

/**
 * The source of a call to `fn(arg)` to run in the page. Passed as text with a no-op `__name`, because
 * the TypeScript loader (esbuild) wraps named inner functions in a `__name` helper the page lacks.
 */
function inPageCall(fn: (arg: never) => unknown, arg: unknown): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
}

/** Runs in the page: every link to the target, with why it cannot be seen (if it cannot). */
function inPage(t: { url: string | null; domain: string }): PageLink[] {
  const bare = (h: string) => h.toLowerCase().replace(/^www\./, '');
  const key = (u: URL) => `${bare(u.hostname)}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  const want = t.url ? key(new URL(t.url)) : null;
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).join(',');
  // Codes, not words: the page is in no language; the dashboard words them (src/backlinks/reasons.ts).
  const hiddenReason = (el: Element): Hidden | null => {
    const is = (how: HiddenHow, onParent = false): Hidden => ({ how, onParent });
    for (let n: Element | null = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      const onParent = n !== el;
      if (cs.display === 'none') return is('display:none', onParent);
      if (cs.visibility === 'hidden' || cs.visibility === 'collapse')
        return is('visibility:hidden', onParent);
      if (Number(cs.opacity) === 0) return is('opacity:0', onParent);
    }
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (parseFloat(cs.fontSize) === 0 && !el.querySelector('img')) return is('font-size:0');
    if (r.width < 1 || r.height < 1) return is('zero-size');
    const docW = document.documentElement.scrollWidth;
    const docH = document.documentElement.scrollHeight;
    const x = r.left + scrollX;
    const y = r.top + scrollY;
    if (x + r.width <= 0 || y + r.height <= 0 || x >= docW || y >= docH) return is('off-screen');
    let bg = '';
    for (let n: Element | null = el; n; n = n.parentElement) {
      const b = getComputedStyle(n).backgroundColor;
      if (b && b !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(b)) {
        bg = b;
        break;
      }
    }
    if (rgb(cs.color) === rgb(bg || 'rgb(255, 255, 255)')) return is('same-colour');
    return null;
  };
  const out: PageLink[] = [];
  for (const a of Array.from(document.querySelectorAll('a[href], area[href]'))) {
    let u: URL;
    try {
      u = new URL((a as HTMLAnchorElement).href);
    } catch {
      continue;
    }
    const host = bare(u.hostname);
    const match =
      want && key(u) === want
        ? 'exact'
        : host === t.domain || host.endsWith(`.${t.domain}`)
          ? 'domain'
          : null;
    if (!match) continue;
    const img = a.querySelector('img');
    const text = ((a as HTMLElement).innerText ?? a.textContent ?? '').replace(/\s+/g, ' ').trim();
    out.push({
      href: u.href,
      anchor: text || img?.getAttribute('alt') || '',
      image: !text && Boolean(img),
      rel: a.getAttribute('rel') ?? '',
      match,
      hidden: hiddenReason(a),
      snippet: a.outerHTML.slice(0, 500),
      inNoindex: Boolean(a.closest('noindex')),
      inForm: Boolean(a.closest('form')),
    });
  }
  return out.sort((p, q) => (p.match === q.match ? 0 : p.match === 'exact' ? -1 : 1));
}

/** Runs in the page: outlines the link (found again by its HTML) and scrolls it into view. */
function highlight(snippet: string): void {
  const el = Array.from(document.querySelectorAll('a[href], area[href]')).find(
    (a) => a.outerHTML.slice(0, 500) === snippet,
  ) as HTMLElement | undefined;
  if (!el) return;
  el.style.outline = '4px solid #ff0080';
  el.style.outlineOffset = '2px';
  el.scrollIntoView({ block: 'center' });
}

/** Runs in the page: a banner over the top of the view with the page's URL and the time of the check. */
function stamp(text: string): void {
  const d = document.createElement('div');
  d.textContent = text;
  d.setAttribute(
    'style',
    'position:fixed;top:0;left:0;right:0;z-index:2147483647;background:#111;color:#fff;font:13px/1.6 monospace;padding:2px 8px;white-space:nowrap;overflow:hidden',
  );
  document.documentElement.appendChild(d);
}
