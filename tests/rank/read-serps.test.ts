// readSerps(): one SERP provider's keywords read one after another, as `track` does in-process and one
// `serp` task does for its batch — the request limit, a provider error that every further request would
// repeat, and the pacer that wraps each reading.
import { describe, expect, it } from 'vitest';
import { readSerps, type SerpPacer } from '../../src/rank/read-serps.ts';
import { insertKeywords, listKeywords } from '../../src/rank/store.ts';
import { ProviderError, type Keyword, type SerpProvider } from '../../src/rank/types.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { testStore } from '../helpers.ts';
import { addSite } from './store-setup.ts';

const NOW = new Date('2026-11-27T09:00:00Z');

/** Answers every query with the site third, except the queries named after what they should do. */
const provider: SerpProvider = {
  kind: 'serp',
  id: 'inline-serp',
  label: { en: 'Inline', ru: 'Встроенный' },
  configKey: 'inlineSerp',
  settings: {} as never,
  secrets: [],
  example: {},
  colour: '#123456',
  capabilities: {
    engines: ['google'],
    devices: ['desktop'],
    countries: true,
    maxDepth: 10,
    fullSerp: true,
    quotaUnit: 'request',
    needsBrowser: false,
    optIn: false,
    pause: null,
    priority: 30,
  },
  async fetchPositions(k, deps) {
    await deps.onRequest?.();
    if (k.query === 'expired token') throw new ProviderError('inline-serp', 'auth', 'the token has expired');
    if (k.query === 'server hiccup') throw new ProviderError('inline-serp', 'http', 'HTTP 502');
    return {
      depth: 10,
      items: ['https://a.example/', 'https://b.example/', 'https://studio.example/work'].map((url, i) => ({
        position: i + 1,
        url,
        title: `result ${i + 1}`,
      })),
      raw: '[]',
    };
  },
};

async function world(queries: string[]): Promise<{
  sql: Sql;
  site: { id: number; name: string; baseUrl: string; timeZone: string };
  keywords: Keyword[];
}> {
  const sql = await testStore();
  const site = await addSite(sql, 'studio', 'https://studio.example/');
  await insertKeywords(
    sql,
    site.id,
    queries.map((query) => ({
      query,
      engine: 'google' as const,
      device: 'desktop' as const,
      gl: 'ru',
      hl: 'ru',
    })),
    NOW,
  );
  // listKeywords orders by query; the tests read them in the order given.
  const byQuery = new Map((await listKeywords(sql, site.id)).map((k) => [k.query, k]));
  return { sql, site, keywords: queries.map((q) => byQuery.get(q)!) };
}

const inOrder: SerpPacer = (_k, _first, read) => read();

/** readSerps() over the world's keywords with the inline provider, as a run with no id would. */
function read(
  w: Awaited<ReturnType<typeof world>>,
  settings: { depth: number; dailyQuota?: number },
  pace = inOrder,
  signal?: AbortSignal,
) {
  return readSerps(
    { sql: w.sql, now: () => NOW, fetch, runId: null, signal },
    w.site,
    provider,
    settings,
    w.keywords,
    pace,
  );
}

async function observations(sql: Sql) {
  return sql.all<{ query: string; state: string; position: number | null; errorKind: string | null }>(
    `SELECT k.query, o.state, o.position, o.error_kind AS "errorKind" FROM rank_observations o
       JOIN keywords k ON k.id = o.keyword_id ORDER BY o.observed_at, k.id`,
  );
}

describe('readSerps()', () => {
  it('stops at the request limit and leaves the rest for the next pull', async () => {
    const w = await world(['alpha', 'bravo', 'charlie', 'delta']);
    const tally = await read(w, { depth: 10, dailyQuota: 2 });
    expect(tally).toEqual({
      requests: 2,
      ranked: 2,
      notInTop: 0,
      failed: 0,
      deferred: 2,
      stop: { kind: 'quota', message: 'the daily or monthly request limit set in the config is used up' },
    });
    expect(await observations(w.sql)).toEqual([
      { query: 'alpha', state: 'ranked', position: 3, errorKind: null },
      { query: 'bravo', state: 'ranked', position: 3, errorKind: null },
    ]);
  });

  it('records a keyword that failed and goes on, but stops at an error every request would repeat', async () => {
    const w = await world(['alpha', 'server hiccup', 'bravo', 'expired token', 'charlie']);
    const tally = await read(w, { depth: 10 });
    expect(tally).toEqual({
      requests: 4,
      ranked: 2,
      notInTop: 0,
      failed: 2,
      deferred: 1,
      stop: { kind: 'provider', message: 'inline-serp: the token has expired' },
    });
    expect(await observations(w.sql)).toEqual([
      { query: 'alpha', state: 'ranked', position: 3, errorKind: null },
      { query: 'server hiccup', state: 'failed', position: null, errorKind: 'http' },
      { query: 'bravo', state: 'ranked', position: 3, errorKind: null },
      { query: 'expired token', state: 'failed', position: null, errorKind: 'auth' },
    ]);
  });

  it('reads each keyword inside the pacer, marking only the first, and defers the rest once it is stopped', async () => {
    const w = await world(['alpha', 'bravo', 'charlie']);
    const stop = new AbortController();
    const paced: [string, boolean][] = [];
    const pacer: SerpPacer = async (k, first, read) => {
      paced.push([k.query, first]);
      const r = await read();
      if (k.query === 'bravo') stop.abort();
      return r;
    };
    const tally = await read(w, { depth: 10 }, pacer, stop.signal);
    expect(paced).toEqual([
      ['alpha', true],
      ['bravo', false],
    ]);
    expect(tally).toMatchObject({ ranked: 2, deferred: 1, stop: { kind: 'other' } });
  });
});
