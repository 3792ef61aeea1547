// Looking platforms up in the one list (src/ads/platforms/index.ts). Kept apart from the list itself so
// that the list file is only the list: a test that swaps it (tests/ads/platforms/registry.test.ts) sees
// every lookup follow.
import { AD_PLATFORMS } from './platforms/index.ts';
import type { AdPlatform, Platform } from './types.ts';

export { AD_PLATFORMS };

/** The platform with this id, or undefined (an account of a removed platform, a typo on the command line). */
export const platformById = (id: Platform): AdPlatform | undefined => AD_PLATFORMS.find((p) => p.id === id);

/** The ids, in the list's order. */
export const platformIds = (): Platform[] => AD_PLATFORMS.map((p) => p.id);

/** id → label in a language, for the message catalogues. */
export const platformLabels = (lang: 'en' | 'ru') =>
  Object.fromEntries(AD_PLATFORMS.map((p) => [p.id, p.label[lang]])) as Record<Platform, string>;

/** How English messages name a platform; its id when it is not (or no longer) known. */
export const platformName = (id: Platform): string => platformById(id)?.name ?? id;
