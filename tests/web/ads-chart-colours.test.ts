// The spend chart in real Chromium takes each platform's colour from the trend JSON, which takes it from
// the platform's file: a platform app.js has never heard of (the fake one of
// tests/ads/platforms/fake-ads.ts, added to the list the way a new platform is) is drawn in its own colour.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { googleAds } from '../../src/ads/platforms/google-ads.ts';
import { yandexDirect } from '../../src/ads/platforms/yandex-direct.ts';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { launchChromium } from '../../src/browser/launcher.ts';
import { startServer, type RunningServer } from '../../web/server.ts';
import { fakeAds } from '../ads/platforms/fake-ads.ts';
import { suiteSetup } from '../helpers.ts';
import { account, days, FROM, row, setup, TODAY } from './ads-setup.ts';

vi.mock('../../src/ads/platforms/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/ads/platforms/index.ts')>();
  const { fakeAds } = await import('../ads/platforms/fake-ads.ts');
  return { AD_PLATFORMS: [...real.AD_PLATFORMS, fakeAds] };
});

let browser: Browser;
let server: RunningServer;

beforeAll(
  () =>
    suiteSetup(async () => {
      const { app, sql, site, clock } = await setup();
      const fake = await insertAccount(
        sql,
        site.id,
        account({ platform: 'fake-ads', externalId: 'fa-1', name: 'Fake RUB' }),
        clock.now(),
      );
      await replaceWindow(
        sql,
        fake,
        FROM,
        TODAY,
        days(FROM, TODAY).map((d) => row(d, 'f1', 'Fake brand', 300, 9)),
        'api',
      );
      server = await startServer(app, '127.0.0.1', 0, null);
      browser = await launchChromium();
    }),
  120_000,
);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Ads spend chart', () => {
  it('draws each platform in the colour its file declares, one app.js does not know included', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}ads?site=studio`);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('canvas[data-chart="spend"]')).every(
        (c) => c.getAttribute('data-drawn') !== null,
      ),
    );
    const colours = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart="spend"]')).flatMap(
        (canvas) => {
          const chart = (
            globalThis as unknown as {
              Chart: {
                getChart(c: HTMLCanvasElement): {
                  data: { datasets: { key?: string; borderColor: string }[] };
                };
              };
            }
          ).Chart.getChart(canvas);
          return chart.data.datasets.map((d) => [d.key, d.borderColor]);
        },
      ),
    );
    expect(Object.fromEntries(colours)).toEqual({
      'yandex-direct': yandexDirect.colour,
      'google-ads': googleAds.colour,
      'fake-ads': fakeAds.colour,
    });
    await page.close();
  });
});
