// The registry is the only list of rank providers: a fake provider registered in one place is validated in
// the config, written by `init`, asked by the track-rankings job (what it can do deciding what is stored),
// and named and coloured on the dashboard, with no other edit.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JOB_NAMES, JOBS } from '../../../jobs/index.ts';
import { runJob } from '../../../jobs/runner.ts';
import { trackRankingsJob } from '../../../jobs/track-rankings.ts';
import { exampleConfigText } from '../../../src/config/example.ts';
import { obj, secretRef } from '../../../src/config/fields.ts';
import { ConfigError, makeSecretResolver, validateConfig } from '../../../src/config/load.ts';
import { registerRankProviderForTest, rankProviders } from '../../../src/rank/providers/index.ts';
import { quotaFields } from '../../../src/rank/quota.ts';
import { insertKeywords, listKeywords } from '../../../src/rank/store.ts';
import type { Keyword, ProviderCapabilities, SerpProvider } from '../../../src/rank/types.ts';
import { memoryLogger } from '../../../src/util/log.ts';
import { createApp } from '../../../web/app.ts';
import { FakeClock, siteByName, testStoreDeps } from '../../helpers.ts';

const SITE = 'https://studio.example/';
const settingsSchema = obj({
  token: secretRef,
  market: z.enum(['eu', 'us']).default('eu'),
  ...quotaFields,
});

/** A provider that answers from memory; `fullSerp` and the rest of its capabilities are the test's. */
function fakeProvider(caps: Partial<ProviderCapabilities> = {}) {
  const asked: { query: string; device: string; settings: Record<string, unknown> }[] = [];
  const provider: SerpProvider<z.output<typeof settingsSchema>, 'fakeRank'> = {
    kind: 'serp',
    id: 'fake-rank',
    label: { en: 'Fake Rank', ru: 'Фейковый трекер' },
    configKey: 'fakeRank',
    settings: settingsSchema,
    secrets: ['token'],
    example: { token: { env: 'FAKE_RANK_TOKEN' }, market: 'eu' },
    colour: '#123456',
    capabilities: {
      engines: ['google'],
      devices: ['desktop'],
      countries: true,
      maxDepth: 50,
      fullSerp: true,
      quotaUnit: 'request',
      needsBrowser: false,
      optIn: false,
      pause: null,
      priority: 30,
      ...caps,
    },
    async fetchPositions(keyword: Keyword, deps) {
      asked.push({ query: keyword.query, device: keyword.device, settings: { ...deps.settings } });
      // Two result pages, each a request to the API, counted before it is made (as the real providers
      // do: awaited, so the count is stored before the run sums it up — a round trip on PostgreSQL).
      await deps.onRequest?.();
      await deps.onRequest?.();
      return {
        depth: Number(deps.settings.depth),
        items: [
          { position: 1, url: 'https://rival.example/', title: 'Rival' },
          { position: 2, url: `${SITE}motion/`, title: 'Us' },
        ],
      };
    },
  };
  return { provider, asked };
}

let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

const configInput = (fakeRank: unknown, use = 'fake-rank') => ({
  timeZone: 'Europe/Moscow',
  sites: [
    {
      name: 'studio',
      baseUrl: SITE,
      timeZone: 'Europe/Moscow',
      rankings: { providers: [{ use }], depth: 30 },
    },
  ],
  providers: { fakeRank },
});

function problems(input: unknown): string[] {
  try {
    validateConfig(input, JOB_NAMES);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('a rank provider registered in one place', () => {
  it('is unknown to the config until registered', () => {
    const before = problems(configInput({ token: { env: 'FAKE_RANK_TOKEN' } }));
    expect(before.join('\n')).toMatch(/use.*must be one of: gsc, yandex-webmaster/);
    expect(before.join('\n')).toMatch(/unknown key "fakeRank"/);
  });

  it('has its block validated by its own schema, secrets as environment references', () => {
    unregister = registerRankProviderForTest(fakeProvider().provider);
    const config = validateConfig(configInput({ token: { env: 'FAKE_RANK_TOKEN' } }), JOB_NAMES);
    // Its schema's default is applied like any built-in block's.
    expect((config.providers as Record<string, unknown>).fakeRank).toEqual({
      token: { env: 'FAKE_RANK_TOKEN' },
      market: 'eu',
    });
    const literal = problems(configInput({ token: 'sk-live-123', market: 'mars' })).join('\n');
    expect(literal).toContain('providers.fakeRank.token');
    expect(literal).toContain('literal secret');
    expect(literal).toContain('providers.fakeRank.market');
    // The list in the message is the registry's, the new one included.
    expect(problems(configInput({ token: { env: 'T' } }, 'nope')).join('\n')).toMatch(
      /must be one of: .*browser, fake-rank/,
    );
  });

  it('is written by `init` with its example block and named among the providers one can use', () => {
    unregister = registerRankProviderForTest(fakeProvider().provider);
    const text = exampleConfigText(JOBS);
    expect(text).toMatch(/"fakeRank": \{\s*"token": \{ "env": "FAKE_RANK_TOKEN" \}/);
    expect(text).toMatch(/Also possible: [^\n]*fake-rank/);
  });

  async function trackWith(caps: Partial<ProviderCapabilities>) {
    const fake = fakeProvider(caps);
    unregister = registerRankProviderForTest(fake.provider);
    const config = validateConfig(configInput({ token: { env: 'FAKE_RANK_TOKEN' } }), JOB_NAMES);
    const clock = new FakeClock(Date.parse('2026-11-20T06:30:00Z'));
    const deps = {
      ...(await testStoreDeps(config, clock)),
      secret: makeSecretResolver({ FAKE_RANK_TOKEN: 'tok-1' }, 'test'),
    };
    const { sql, db } = deps;
    const site = (await siteByName(sql, 'studio'))!;
    await insertKeywords(
      sql,
      site.id,
      [
        { query: 'motion design studio', engine: 'google', device: 'desktop', gl: 'us', hl: 'en' },
        // Neither asked: the provider serves desktop Google only.
        { query: 'motion design studio', engine: 'google', device: 'mobile', gl: 'us', hl: 'en' },
        { query: 'видеопродакшн', engine: 'yandex', device: 'desktop', lr: 213 },
      ],
      clock.now(),
    );
    const run = await runJob(deps, trackRankingsJob, site, 'cli');
    return { sql, db, site, run, asked: fake.asked, clock, config };
  }

  it('is asked by the track-rankings job, within its engines and devices, and its positions stored', async () => {
    const { sql, run, asked } = await trackWith({});
    expect(run).toMatchObject({ status: 'ok', counts: { providers: 1, requests: 2, ranked: 1 } });
    expect(asked.map((a) => [a.query, a.device])).toEqual([['motion design studio', 'desktop']]);
    // Its settings as its schema made them, the secret read from the environment, the site's depth.
    expect(asked[0]!.settings).toMatchObject({ token: 'tok-1', market: 'eu', depth: 30 });
    expect(await sql.all('SELECT source, state, position, url, depth FROM rank_observations')).toEqual([
      { source: 'fake-rank', state: 'ranked', position: 2, url: `${SITE}motion/`, depth: 30 },
    ]);
    // A whole result page is kept: the rival is there for a competitor added later.
    expect(await sql.get('SELECT count(*) AS n FROM serp_pages')).toEqual({ n: 1 });
  });

  it('keeps no result page when it says it reports only the site’s own place (fullSerp: false)', async () => {
    const { sql, run } = await trackWith({ fullSerp: false });
    expect(run).toMatchObject({ status: 'ok', counts: { ranked: 1 } });
    expect(await sql.get('SELECT count(*) AS n FROM rank_observations')).toEqual({ n: 1 });
    expect(await sql.get('SELECT count(*) AS n FROM serp_pages')).toEqual({ n: 0 });
  });

  it('caps the depth at what it can read, and counts one request a keyword when billed per keyword', async () => {
    const { asked, run } = await trackWith({ maxDepth: 20, quotaUnit: 'keyword' });
    expect(asked[0]!.settings.depth).toBe(20);
    expect(run).toMatchObject({ counts: { requests: 1 } });
  });

  it('is off until enabled when it declares itself opt-in', async () => {
    const { sql, run } = await trackWith({ optIn: true });
    expect(run.status).toBe('failed');
    expect(run.status === 'failed' ? run.error : '').toContain(
      'provider "fake-rank" is opt-in: set providers.fakeRank.enabled to true',
    );
    expect(await sql.get('SELECT count(*) AS n FROM rank_observations')).toEqual({ n: 0 });
  });

  it('is named in both languages and drawn in its colour on the dashboard', async () => {
    const { sql, db, clock, config } = await trackWith({});
    const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
    const id = (await listKeywords(sql, (await siteByName(sql, 'studio'))!.id))[0]!.id;
    const page = async (lang: string) =>
      (await app.request(`/rankings/keywords/${id}`, { headers: { 'accept-language': lang } })).text();
    expect(await page('en')).toContain('Fake Rank');
    const ru = await page('ru');
    expect(ru).toContain('Фейковый трекер');
    expect(ru).not.toContain('Fake Rank');
    const history = (await (await app.request(`/api/rankings/keywords/${id}/history`)).json()) as {
      charts: { positions: { datasets: { key: string; label: string; colour?: string }[] } };
    };
    expect(history.charts.positions.datasets).toEqual([
      expect.objectContaining({ key: 'fake-rank', label: 'Fake Rank', colour: '#123456' }),
    ]);
    expect(rankProviders().map((p) => p.id)).toContain('fake-rank');
  });
});

describe('the built-in providers', () => {
  it('have one id and one config block each, and declare as secrets exactly their environment references', () => {
    const list = rankProviders();
    expect(new Set(list.map((p) => p.id)).size).toBe(list.length);
    expect(new Set(list.map((p) => p.configKey)).size).toBe(list.length);
    for (const p of list) {
      const shape = (p.settings as unknown as { shape: Record<string, unknown> }).shape;
      const refs = Object.keys(shape).filter((k) => {
        const probe = (p.settings as z.ZodType).safeParse({ [k]: 'literal' });
        return (
          !probe.success &&
          probe.error.issues.some((i) => i.path[0] === k && /literal secret/.test(i.message))
        );
      });
      expect([p.id, refs.sort()]).toEqual([p.id, [...p.secrets].sort()]);
      expect(p.colour).toMatch(/^#[0-9a-f]{6}$/i);
      expect(p.label.ru).not.toBe('');
    }
  });
});
