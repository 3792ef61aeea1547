// Finds and launches the one Chromium promowatch uses for everything rendered, and shares it between tasks.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, LaunchOptions } from 'playwright-core';

export class BrowserNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      'No Chromium found for rendered pages. Install one with `npx playwright install chromium` ' +
        "(Playwright's own build) or `apt-get install chromium-headless-shell` or `apt-get install chromium` (Debian/Ubuntu), or point PROMOWATCH_CHROMIUM " +
        `at a Chromium or Chrome executable. Looked in: ${tried.join(', ')}`,
    );
    this.name = 'BrowserNotFoundError';
  }
}

export interface FindChromiumDeps {
  env: NodeJS.ProcessEnv;
  /** Where Playwright's own downloaded Chromium would be (chromium.executablePath()). */
  playwrightPath: () => string | undefined;
  isExecutable: (file: string) => boolean;
}

// chromium-headless-shell first: the same engine without the desktop shell costs about a fifth of the
// CPU per page (measured by npm run bench:links), which is what rendered checks are made of.
export const SYSTEM_BROWSERS = [
  'chromium-headless-shell',
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
];

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The order is PROMOWATCH_CHROMIUM, Playwright's own install, then system browsers on PATH. */
export function findChromium(deps: FindChromiumDeps): {
  path: string;
  source: 'env' | 'playwright' | 'system';
} {
  const tried: string[] = [];
  const fromEnv = deps.env.PROMOWATCH_CHROMIUM;
  if (fromEnv) {
    if (deps.isExecutable(fromEnv)) return { path: fromEnv, source: 'env' };
    // An explicit choice that does not work is an error, not a reason to silently use another browser.
    throw new Error(`PROMOWATCH_CHROMIUM is set to ${fromEnv}, which is not an executable file`);
  }
  tried.push('PROMOWATCH_CHROMIUM (unset)');
  let own: string | undefined;
  try {
    own = deps.playwrightPath();
  } catch {
    own = undefined;
  }
  if (own) {
    if (deps.isExecutable(own)) return { path: own, source: 'playwright' };
    tried.push(own);
  }
  for (const dir of (deps.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of SYSTEM_BROWSERS) {
      const file = join(dir, name);
      if (deps.isExecutable(file)) return { path: file, source: 'system' };
    }
  }
  tried.push(`${SYSTEM_BROWSERS.join('/')} on PATH`);
  throw new BrowserNotFoundError(tried);
}

/** Flags for a headless Chromium running as root on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const found = findChromium({ env, playwrightPath: () => chromium.executablePath(), isExecutable });
  const options: LaunchOptions = {
    executablePath: found.path,
    headless: true,
    args: CHROMIUM_ARGS,
    // Our own shutdown closes the browser after running jobs finish; Playwright's default signal
    // handlers would kill it (and exit with 130) underneath them. Its exit handler still kills the
    // browser if this process dies.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
  return chromium.launch(options);
}

/**
 * One browser shared by every task; each task gets a fresh context (own cookies, cache) that is closed
 * when it ends. If Chromium crashes, the next task launches a new one.
 */
export class BrowserPool {
  #browser: Promise<Browser> | null = null;
  #closed = false;

  constructor(private readonly launch: () => Promise<Browser> = () => launchChromium()) {}

  async #get(): Promise<Browser> {
    if (this.#closed) throw new Error('The browser pool is shut down');
    if (!this.#browser) {
      const p = this.launch();
      this.#browser = p;
      p.then(
        (b) =>
          b.on('disconnected', () => {
            if (this.#browser === p) this.#browser = null;
          }),
        () => {
          if (this.#browser === p) this.#browser = null;
        },
      );
    }
    return this.#browser;
  }

  async withContext<T>(
    fn: (ctx: BrowserContext) => Promise<T>,
    options: BrowserContextOptions = {},
  ): Promise<T> {
    const browser = await this.#get();
    const context = await browser.newContext(options);
    try {
      return await fn(context);
    } finally {
      await context.close().catch(() => {});
    }
  }

  get launched(): boolean {
    return this.#browser !== null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const p = this.#browser;
    this.#browser = null;
    if (p) await (await p.catch(() => null))?.close().catch(() => {});
  }
}
