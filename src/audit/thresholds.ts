// Default audit thresholds, close to Screaming Frog's (https://www.screamingfrog.co.uk/seo-spider/user-guide/configuration/#preferences).
import type { Thresholds } from './types.ts';

export const DEFAULT_THRESHOLDS: Thresholds = {
  titleMinChars: 30,
  titleMaxChars: 60,
  descriptionMinChars: 70,
  descriptionMaxChars: 155,
  h1MaxChars: 70,
  thinContentWords: 200,
  slowTtfbMs: 1000,
  largeHtmlBytes: 2 * 1024 * 1024,
  deepPageDepth: 4,
  imageMaxBytes: 100 * 1024,
  nearDuplicateBits: 6,
  urlMaxChars: 115,
};
