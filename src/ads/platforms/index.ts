// The ad platforms, in one list: adding a platform = a file in this folder and a line here.
import type { AdPlatform } from '../types.ts';
import { googleAds } from './google-ads.ts';
import { meta } from './meta.ts';
import { microsoftAds } from './microsoft-ads.ts';
import { yandexDirect } from './yandex-direct.ts';

export const AD_PLATFORMS: readonly AdPlatform[] = [googleAds, yandexDirect, microsoftAds, meta];
