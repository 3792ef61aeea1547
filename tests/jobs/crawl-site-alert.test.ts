// After each crawl, the crawl-site job alerts once about error-severity issues the previous crawl did not have.
import { describe, expect, it } from 'vitest';
import { makeSecretResolver } from '../../src/config/load.ts';
import { crawlSiteJob } from '../../jobs/crawl-site.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, localServer, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { alertRowsOf, recordingServer } from '../notify/servers.ts';

/** A small site whose second version breaks a title and an H1 and links to one more missing page. */
async function siteServer() {
  const state = { version: 1, onHome: () => {} };
  const base = await localServer((req, res) => {
    const page = (title: string, h1: string, links = '') =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<html lang="en"><head><title>${title}</title><meta name="description" content="${req.url}: a description of reasonable length for this test page, long enough."><meta name="viewport" content="width=device-width"><link rel="canonical" href="${base}${req.url!.slice(1)}"></head><body>${h1 ? `<h1>${h1}</h1>` : ''}${links}</body></html>`,
        );
    if (req.url === '/') {
      state.onHome();
      return page(
        'The home page of the alert test site',
        'Home',
        state.version === 1
          ? '<a href="/a">a</a><a href="/broken">b</a>'
          : '<a href="/a">a</a><a href="/broken">b</a><a href="/missing?q=%3Cscript%3E">m</a>',
      );
    }
    if (req.url === '/a')
      return state.version === 1
        ? page('Page A of the alert test site, version one', 'Page A')
        : page('', '');
    res.writeHead(404).end();
  });
  return { base, state };
}

async function setup(channels: unknown[], locale: { language?: 'ru' | 'en'; timeZone?: string } = {}) {
  const site = await siteServer();
  const hook = await recordingServer(() => ({ status: 200 }));
  const clock = new FakeClock(Date.parse('2026-11-16T04:00:00Z'));
  const config = testConfig({
    sites: [
      {
        name: 'studio',
        baseUrl: site.base,
        crawl: { requestsPerSecond: 0, useSitemaps: false, thresholds: { thinContentWords: 0 } },
        ...locale,
      },
    ],
    notifications: { channels },
  });
  const deps = {
    ...(await testStoreDeps(config, clock)),
    secret: makeSecretResolver({ OPS_HOOK: `${hook.base}/hook` }, 'test'),
  };
  const crawl = async (signal?: AbortSignal) => {
    const r = await runJob(deps, crawlSiteJob, (await siteByName(deps.sql, 'studio'))!, 'cli', signal);
    clock.advance(7 * 86_400_000);
    return r;
  };
  return { site, hook, sql: deps.sql, crawl };
}

const NEW_ERRORS = (base: string) => [
  `Page answers 4xx: ${base}missing?q=%3Cscript%3E (answered 404; linked from 1 page, e.g. ${base})`,
  `Title missing: ${base}a`,
];

const webhook = { type: 'webhook', name: 'ops', url: { env: 'OPS_HOOK' } };

describe('crawl-site new critical issues alert', () => {
  it('sends nothing after the first crawl, then one alert listing only the new errors', async () => {
    const { site, hook, crawl } = await setup([webhook]);
    const first = await crawl();
    // The first crawl has a broken link, but nothing to compare with.
    expect(first).toMatchObject({ status: 'ok', counts: { newErrors: 0 } });
    expect(first.status === 'ok' && first.counts.errors).toBeGreaterThan(0);
    expect(hook.requests).toHaveLength(0);

    site.state.version = 2;
    expect(await crawl()).toMatchObject({ status: 'ok', counts: { newErrors: 2 } });
    expect(hook.requests).toHaveLength(1);
    const body = JSON.parse(hook.requests[0]!.body) as {
      title: string;
      lines: string[];
      kind: string;
      severity: string;
    };
    expect(body).toMatchObject({
      kind: 'site-issue',
      severity: 'critical',
      title: 'studio: 2 new critical site issues since the crawl of 16 Nov 2026',
    });
    // Errors only (the missing H1 is a warning), and not the broken link that was there before.
    expect(body.lines).toEqual(NEW_ERRORS(site.base));

    // Nothing new on the third crawl: no alert.
    expect(await crawl()).toMatchObject({ status: 'ok', counts: { newErrors: 0 } });
    expect(hook.requests).toHaveLength(1);
  });

  it('compares with the last complete crawl, not an interrupted one that missed pages', async () => {
    const { site, hook, crawl } = await setup([webhook]);
    await crawl();
    site.state.version = 2;
    const stop = new AbortController();
    site.state.onHome = () => stop.abort();
    expect(await crawl(stop.signal)).toMatchObject({ status: 'interrupted' });
    site.state.onHome = () => {};
    expect(hook.requests).toHaveLength(0);
    // Against the interrupted crawl (home page only), the old broken link would look new.
    expect(await crawl()).toMatchObject({ status: 'ok', counts: { newErrors: 2 } });
    expect(hook.requests).toHaveLength(1);
    expect((JSON.parse(hook.requests[0]!.body) as { lines: string[] }).lines).toEqual(NEW_ERRORS(site.base));
  });

  it("words the alert in the site's language, its day as the site counts days", async () => {
    const { site, hook, crawl } = await setup([webhook], { language: 'ru', timeZone: 'America/Los_Angeles' });
    await crawl();
    site.state.version = 2;
    await crawl();
    const body = JSON.parse(hook.requests[0]!.body) as { title: string; lines: string[] };
    // The first crawl started at 04:00 UTC on 16 November: still the 15th in Los Angeles.
    expect(body.title).toBe('studio: 2 новые ошибки на сайте со времени обхода 15 нояб. 2026 г.');
    expect(body.lines).toHaveLength(2);
  });

  it('records the alert for the dashboard when no channel is configured', async () => {
    const { site, sql, crawl } = await setup([]);
    await crawl();
    site.state.version = 2;
    await crawl();
    expect(await alertRowsOf(sql)).toEqual([
      expect.objectContaining({ channel: 'dashboard', kind: 'site-issue', severity: 'critical' }),
    ]);
    expect((await alertRowsOf(sql))[0]!.message).toContain(`Title missing: ${site.base}a`);
  });

  it('sends nothing through a channel that does not take site issues, and keeps the alert for the dashboard', async () => {
    const { site, hook, sql, crawl } = await setup([{ ...webhook, kinds: ['job-failure'] }]);
    await crawl();
    site.state.version = 2;
    expect(await crawl()).toMatchObject({ status: 'ok', counts: { newErrors: 2 } });
    expect(hook.requests).toHaveLength(0);
    expect(await alertRowsOf(sql)).toEqual([
      expect.objectContaining({ channel: 'dashboard', kind: 'site-issue', severity: 'critical' }),
    ]);
  });
});
