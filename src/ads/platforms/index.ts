// The ad platforms, in one list: adding a platform = a file in this folder and a line here. The config
// schema, the example config, the dashboard's labels, forms and chart colours, the CSV imports, the CLI
// and the pull-ads job all read this list (through src/ads/registry.ts); nothing else names a platform.
import type { AdPlatform } from '../types.ts';
import { googleAds } from './google-ads.ts';
import { meta } from './meta.ts';
import { microsoftAds } from './microsoft-ads.ts';
import { yandexDirect } from './yandex-direct.ts';

export const AD_PLATFORMS: readonly AdPlatform[] = [googleAds, yandexDirect, microsoftAds, meta];
