import { describe, expect, it } from 'vitest';
import { latestChecks, uptimeByDay } from '../../src/uptime/checks.ts';
import { runJob } from '../../jobs/runner.ts';
import { uptimeJob } from '../../jobs/uptime.ts';
import { closedPortUrl, FakeClock, localServer, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

describe('uptime job', () => {
  it('records status and timings for each page, with a down page as data rather than a failed run', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/portfolio/') res.writeHead(503).end('maintenance');
      else if (req.url === '/slow/') setTimeout(() => res.writeHead(200).end('ok'), 60);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Kadr</title>');
    });
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const config = testConfig({
      sites: [
        {
          name: 'studio',
          baseUrl: base,
          timeZone: 'Europe/Moscow',
          uptime: { paths: ['/', '/portfolio/', '/slow/'] },
        },
      ],
    });
    const deps = await testStoreDeps(config, clock);
    const site = (await siteByName(deps.sql, 'studio'))!;
    const r = await runJob(deps, uptimeJob, site, 'cli');
    expect(r).toMatchObject({ status: 'ok', counts: { pages: 3, ok: 2, down: 1 } });
    const checks = await latestChecks(deps.sql, site.id);
    expect(checks.map((c) => [new URL(c.url).pathname, c.status, c.ok, c.error])).toEqual([
      ['/', 200, true, null],
      ['/portfolio/', 503, false, 'HTTP 503'],
      ['/slow/', 200, true, null],
    ]);
    expect(checks.find((c) => c.url.endsWith('/slow/'))!.ttfbMs).toBeGreaterThanOrEqual(50);
    const [day] = await uptimeByDay(
      deps.sql,
      site.id,
      'Europe/Moscow',
      new Date('2026-11-27T00:00:00Z'),
      new Date('2026-11-28T00:00:00Z'),
    );
    expect(day).toMatchObject({ day: '2026-11-27', checks: 3, okChecks: 2 });
  });

  it('records an unreachable site with the network error', async () => {
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: await closedPortUrl() }] }),
      clock,
    );
    const site = (await siteByName(deps.sql, 'studio'))!;
    expect(await runJob(deps, uptimeJob, site, 'cli')).toMatchObject({ status: 'ok', counts: { down: 1 } });
    expect((await latestChecks(deps.sql, site.id))[0]).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });
});
