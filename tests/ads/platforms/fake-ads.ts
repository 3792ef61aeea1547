// A made-up ad platform, written the way a new platform file in src/ads/platforms/ is: the worked example
// of "one file and one line" (the line: tests/ads/platforms/registry.test.ts adds it to the list).
import { z } from 'zod';
import type { AdPlatform, DailyRow } from '../../../src/ads/types.ts';

/** What the pull was asked, for the test to look at. */
export const fakeAdsCalls: { from: string; to: string; settings: unknown }[] = [];

export const fakeAds: AdPlatform = {
  id: 'fake-ads',
  name: 'Fake Ads',
  label: { en: 'Fake Ads', ru: 'Фейк Реклама' },
  configKey: 'fakeAds',
  settings: ({ obj, secretRef, httpUrl }) =>
    obj({ baseUrl: httpUrl.optional(), apiKey: secretRef, agency: z.string().min(1).optional() }),
  secrets: ['apiKey'],
  secretExamples: { apiKey: 'FAKE_ADS_KEY' },
  colour: '#0f766e',
  defaultLookbackDays: 2,
  endpoints: { baseUrl: 'https://api.fake-ads.example' },
  example: { apiKey: { env: 'FAKE_ADS_KEY' } },
  // Accounts are named "fa-" and digits.
  externalId: {
    normalise: (typed) => typed.trim().toLowerCase(),
    valid: (id) => /^fa-\d+$/.test(id),
    rule: { en: 'like fa-123', ru: 'выглядеть как fa-123' },
  },
  async pullDaily(req, deps) {
    fakeAdsCalls.push({ from: req.from, to: req.to, settings: deps.settings });
    const row: DailyRow = {
      day: req.to,
      campaignId: 'f1',
      campaignName: 'Fake brand',
      impressions: 1200,
      clicks: 30,
      costMicros: 4_500_000_000,
      conversions: 3,
      conversionValueMicros: 0,
    };
    return { status: 'ok', rows: [row], account: { name: `Fake ${req.account.externalId}` } };
  },
};
