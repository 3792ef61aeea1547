// A result-page provider that needs the browser and is paced like one (`pause`), but reads a small local
// JSON search server over HTTP instead of driving Chromium: three worker processes each launching Chromium
// would swamp the 2-core test machine, and what is under test here is the pacing and the quota, which the
// tracker applies whatever the provider reads pages with. The server records when each engine was asked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { httpUrl, obj } from '../../src/config/fields.ts';
import { quotaFields } from '../../src/rank/quota.ts';
import { ProviderError, type SerpProvider } from '../../src/rank/types.ts';

export const SITE = 'https://studio.example/';

const schema = obj({
  baseUrl: httpUrl,
  delayMs: z.number().int().min(0).default(0),
  jitterMs: z.number().int().min(0).default(0),
  /** Longest wait for one page (the slot's lease is worked out from it). */
  timeoutMs: z.number().int().min(1).default(2_000),
  ...quotaFields,
});

export const fakeBrowserSerp: SerpProvider<z.output<typeof schema>, 'fakeBrowserSerp'> = {
  kind: 'serp',
  id: 'fake-browser',
  label: { en: 'Fake browser', ru: 'Фейковый браузер' },
  configKey: 'fakeBrowserSerp',
  settings: schema,
  secrets: [],
  example: { baseUrl: 'http://127.0.0.1:9/' },
  colour: '#654321',
  capabilities: {
    engines: ['google', 'yandex'],
    devices: ['desktop'],
    countries: true,
    maxDepth: 10,
    fullSerp: true,
    quotaUnit: 'request',
    needsBrowser: true,
    optIn: false,
    pause: { delayMs: 20_000, jitterMs: 0 },
    priority: 25,
  },
  async fetchPositions(k, deps) {
    await deps.onRequest?.();
    const url = new URL('search', deps.settings.baseUrl);
    url.searchParams.set('engine', k.engine);
    url.searchParams.set('q', k.query);
    const res = await deps.fetch(url, { signal: deps.signal });
    if (!res.ok) throw new ProviderError('fake-browser', 'http', `HTTP ${res.status}`);
    const urls = (await res.json()) as string[];
    return {
      depth: 10,
      items: urls.map((u, i) => ({ position: i + 1, url: u, title: `result ${i + 1}` })),
      raw: JSON.stringify(urls),
    };
  },
};

/** The organic list for a query: the site somewhere in the top 10, or (every seventh) not at all. */
export function resultsFor(query: string): string[] {
  const n = [...query].reduce((s, c) => s + c.codePointAt(0)!, 0);
  const urls = Array.from({ length: 10 }, (_, i) => `https://rival-${(n + i) % 23}.example/${i}`);
  if (n % 7 !== 0) urls[n % 10] = `${SITE}page-${n % 5}/`;
  return urls;
}

export interface SearchHit {
  engine: string;
  query: string;
  /** When the request arrived (ms since the epoch, this process's clock). */
  at: number;
}

/** The local search server: answers `resultsFor`, logs every request per engine. */
export function fakeSearchServer(log: SearchHit[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    log.push({
      engine: u.searchParams.get('engine') ?? '',
      query: u.searchParams.get('q') ?? '',
      at: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(resultsFor(u.searchParams.get('q') ?? '')));
  };
}

/** The smallest gap between two consecutive requests to one engine, per engine. */
export function smallestGaps(log: readonly SearchHit[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const engine of new Set(log.map((h) => h.engine))) {
    const at = log
      .filter((h) => h.engine === engine)
      .map((h) => h.at)
      .sort((a, b) => a - b);
    let min = Infinity;
    for (let i = 1; i < at.length; i++) min = Math.min(min, at[i]! - at[i - 1]!);
    out[engine] = min;
  }
  return out;
}
