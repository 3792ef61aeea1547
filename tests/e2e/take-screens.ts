// Screenshots of the demo dashboard for a review (before/after a change of the pages): each main page at
// 1400×900 (what shows without scrolling) and at 390×844 (the whole page), in Russian, on the demo's fixed
// today. Not a test: `npm run screens -- OUTDIR`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launchChromium } from '../../src/browser/launcher.ts';
import { demoNowOn, startDemo } from '../../src/cli/demo/run-demo.ts';

const out = process.argv[2];
if (!out) {
  console.error('usage: npm run screens -- OUTDIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const PAGES: [string, string][] = [
  ['overview', '/'],
  ['backlinks', '/backlinks'],
  ['rankings', '/rankings'],
  ['ads', '/ads'],
  ['audit', '/audit'],
  ['alerts', '/alerts'],
  ['reports', '/reports'],
];
const demo = await startDemo({
  dbPath: join(tmpdir(), `promowatch-screens-${process.pid}.db`),
  port: 0,
  days: 14,
  now: demoNowOn('2026-11-01', 'screenshots'),
});
const browser = await launchChromium();
try {
  for (const [width, height, tag] of [
    [1400, 900, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addCookies([{ name: 'promowatch_lang', value: 'ru', url: demo.url }]);
    const page = await context.newPage();
    for (const [name, path] of PAGES) {
      const res = await page.goto(new URL(path, demo.url).toString());
      if (!res || res.status() >= 400) continue;
      await page.waitForTimeout(800); // charts animate in
      await page.screenshot({
        path: join(out, `${name}-${tag}.jpg`),
        type: 'jpeg',
        quality: 55,
        fullPage: tag === 'phone',
      });
    }
    await context.close();
  }
} finally {
  await browser.close();
  await demo.close();
}
console.log(`screenshots in ${out}`);
