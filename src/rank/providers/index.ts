// The rank providers, in one list: adding a provider = a file in this folder and a line here.
import type { RankProvider } from '../types.ts';
import { bingWebmaster } from './bing-webmaster.ts';
import { browserSerp } from './browser.ts';
import { dataForSeo } from './dataforseo.ts';
import { googleSearchConsole } from './google-search-console.ts';
import { serpApi } from './serpapi.ts';
import { yandexWebmaster } from './yandex-webmaster.ts';

export const RANK_PROVIDERS: readonly RankProvider[] = [
  googleSearchConsole,
  yandexWebmaster,
  bingWebmaster,
  serpApi,
  dataForSeo,
  browserSerp,
];
