// The rank providers, in one list: adding a provider = a file in this folder and a line here. The config
// schema, the example config (`promowatch init`), the tracker, the dashboard's names and colours and the
// CLI's lists all read this list (through the functions below, at the time they run).
import type { z } from 'zod';
import { IMPORT_PRIORITY, type RankProvider } from '../types.ts';
import { bingWebmaster } from './bing-webmaster.ts';
import { browserSerp } from './browser.ts';
import { dataForSeo } from './dataforseo.ts';
import { googleSearchConsole } from './google-search-console.ts';
import { serpApi } from './serpapi.ts';
import { yandexWebmaster } from './yandex-webmaster.ts';

export const RANK_PROVIDERS = [
  googleSearchConsole,
  yandexWebmaster,
  bingWebmaster,
  serpApi,
  dataForSeo,
  browserSerp,
] as const satisfies readonly RankProvider[];

// Providers a test registered (registerRankProviderForTest); always empty outside tests.
const registeredForTest: RankProvider[] = [];

/** Every provider: the built-in ones, then any a test registered. */
export function rankProviders(): readonly RankProvider[] {
  return [...RANK_PROVIDERS, ...registeredForTest];
}

export function rankProvider(id: string): RankProvider | undefined {
  return rankProviders().find((p) => p.id === id);
}

/**
 * Tests only: adds a provider to the list as if it had its line above, for the config, the tracker, the
 * dashboard and `init` alike; returns the function that takes it out again. The list stays a plain
 * array in code (no registration at import time), so what ships is exactly what is written above.
 */
export function registerRankProviderForTest(provider: RankProvider): () => void {
  if (rankProviders().some((p) => p.id === provider.id || p.configKey === provider.configKey))
    throw new Error(`a rank provider "${provider.id}" (providers.${provider.configKey}) is already listed`);
  registeredForTest.push(provider);
  return () => {
    const i = registeredForTest.indexOf(provider);
    if (i >= 0) registeredForTest.splice(i, 1);
  };
}

type BuiltIn = (typeof RANK_PROVIDERS)[number];
/** The config's `providers.<configKey>` blocks of the built-in providers, typed by their own schemas. */
export type RankProviderBlocks = {
  [P in BuiltIn as P['configKey']]: z.ZodOptional<P['settings']>;
};

/** The `providers` section's rank blocks, each validated by its provider's own schema. */
export function rankProviderBlocks(): RankProviderBlocks {
  return Object.fromEntries(
    rankProviders().map((p) => [p.configKey, p.settings.optional()]),
  ) as unknown as RankProviderBlocks;
}

/** Whose reading wins when two sources saw a keyword the same day: the provider's declared priority,
 * an import's, or undefined for a source nobody lists. */
export function sourcePriority(source: string): number | undefined {
  if (source === 'import') return IMPORT_PRIORITY;
  return rankProvider(source)?.capabilities.priority;
}
