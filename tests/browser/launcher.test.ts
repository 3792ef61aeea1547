import { describe, expect, it } from 'vitest';
import {
  BrowserNotFoundError,
  BrowserPool,
  findChromium,
  launchChromium,
} from '../../src/browser/launcher.ts';
import { localServer, onCleanup } from '../helpers.ts';

const none = () => false;

describe('findChromium()', () => {
  it('prefers PROMOWATCH_CHROMIUM, then Playwright’s own browser, then the system one', () => {
    const all = (f: string) => ['/opt/chrome', '/pw/chrome', '/usr/bin/chromium'].includes(f);
    const deps = { playwrightPath: () => '/pw/chrome', isExecutable: all };
    expect(findChromium({ ...deps, env: { PROMOWATCH_CHROMIUM: '/opt/chrome', PATH: '/usr/bin' } })).toEqual({
      path: '/opt/chrome',
      source: 'env',
    });
    expect(findChromium({ ...deps, env: { PATH: '/usr/bin' } })).toEqual({
      path: '/pw/chrome',
      source: 'playwright',
    });
    expect(
      findChromium({
        env: { PATH: '/usr/local/bin:/usr/bin' },
        playwrightPath: () => '/missing',
        isExecutable: all,
      }),
    ).toEqual({
      path: '/usr/bin/chromium',
      source: 'system',
    });
  });

  it('finds google-chrome when there is no chromium', () => {
    const found = findChromium({
      env: { PATH: '/opt/google' },
      playwrightPath: () => undefined,
      isExecutable: (f) => f === '/opt/google/google-chrome',
    });
    expect(found.path).toBe('/opt/google/google-chrome');
  });

  it('names both ways to install a browser when none is found', () => {
    const find = () =>
      findChromium({
        env: { PATH: '/usr/bin' },
        playwrightPath: () => '/root/.cache/ms-playwright/chrome',
        isExecutable: none,
      });
    expect(find).toThrow(BrowserNotFoundError);
    expect(find).toThrow(/npx playwright install chromium/);
    expect(find).toThrow(/apt-get install chromium/);
    expect(find).toThrow(/PROMOWATCH_CHROMIUM/);
  });

  it('refuses a PROMOWATCH_CHROMIUM that is not executable instead of silently using another', () => {
    expect(() =>
      findChromium({
        env: { PROMOWATCH_CHROMIUM: '/nope/chrome' },
        playwrightPath: () => '/pw',
        isExecutable: (f) => f === '/pw',
      }),
    ).toThrow(/PROMOWATCH_CHROMIUM is set to \/nope\/chrome, which is not an executable file/);
  });
});

describe('BrowserPool (real Chromium)', () => {
  it('shares one browser between tasks, gives each its own context, and relaunches after a crash', async () => {
    const site = await localServer((req, res) => {
      if (req.url === '/set')
        res
          .writeHead(200, { 'set-cookie': 'who=first; Path=/', 'content-type': 'text/html' })
          .end('<title>set</title>');
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<title>${req.headers.cookie ?? 'no cookie'}</title>`);
    });
    let launches = 0;
    const pool = new BrowserPool(async () => {
      launches++;
      return launchChromium();
    });
    onCleanup(() => pool.close());
    await pool.withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${site}set`);
      await page.goto(`${site}read`);
      expect(await page.title()).toBe('who=first');
    });
    const title = await pool.withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${site}read`);
      return page.title();
    });
    expect(title).toBe('no cookie');
    expect(launches).toBe(1);
    // Simulate a crash: the browser goes away underneath the pool.
    await pool.withContext(async (ctx) => {
      await ctx.browser()!.close();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await pool.withContext(async (ctx) => (await ctx.newPage()).evaluate(() => 1 + 1))).toBe(2);
    expect(launches).toBe(2);
    await pool.close();
    await expect(pool.withContext(async () => 1)).rejects.toThrow(/shut down/);
  });
});
