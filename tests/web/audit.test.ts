// The Site audit pages over a real crawl: charts' data, issue lists, the page view, CSV, escaping.
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, localServer, siteByName, suiteSetup, testConfig, testStoreDeps } from '../helpers.ts';

const XSS = '<script>alert(1)</script>';
let app: ReturnType<typeof createApp>;
let base: string;

beforeAll(() =>
  suiteSetup(async () => {
    base = await localServer((req, res) => {
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<title>${XSS.replace('<', '&lt;')}</title><a href="/x">=HYPERLINK("http://evil")</a><a href="/gone">g</a>`,
          );
      if (req.url === '/x')
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<title>=cmd|calc</title>');
      res.writeHead(404).end();
    });
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const config = testConfig({ sites: [{ name: 'studio', baseUrl: base }] });
    const { db, sql } = await testStoreDeps(config, clock);
    const site = (await siteByName(sql, 'studio'))!;
    for (let i = 0; i < 2; i++) {
      await auditSite(
        { db, sql, now: clock.now, log: memoryLogger() },
        {
          siteId: site.id,
          startUrl: base,
          settings: auditSettingsFrom({ requestsPerSecond: 0, useSitemaps: false }),
        },
      );
      clock.advance(86_400_000);
    }
    app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  }),
);

describe('Site audit pages', () => {
  it('shows the latest crawl with counts, the comparison and the rules', async () => {
    const res = await app.request('/audit');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Health score');
    expect(html).toContain('Since the previous crawl');
    expect(html).toContain('Page answers 4xx');
    expect(html).toContain('data-chart="health"');
  });

  it('escapes a crawled title everywhere it is shown', async () => {
    for (const path of [
      '/audit',
      `/audit/page?url=${encodeURIComponent(base)}`,
      '/audit/pages',
      '/audit/rule?rule=title-too-short',
    ]) {
      const html = await (await app.request(path)).text();
      expect(html).not.toContain(XSS);
    }
    expect(await (await app.request(`/audit/page?url=${encodeURIComponent(base)}`)).text()).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  it('serves the trend for the charts', async () => {
    const data = (await (await app.request('/api/audit/trend')).json()) as {
      labels: string[];
      charts: { health: { datasets: { data: number[] }[] } };
    };
    expect(data.labels).toEqual(['2026-11-27', '2026-11-28']);
    expect(data.charts.health.datasets[0]!.data).toHaveLength(2);
  });

  it('exports CSV with formula-looking cells defused', async () => {
    const res = await app.request('/audit/export.csv?list=pages');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM, so Excel reads UTF-8
    const csv = new TextDecoder().decode(bytes);
    expect(csv).toContain(`'=cmd|calc`);
    expect(csv.split('\r\n')[0]).toBe(
      'url,status,depth,title,description,canonical,noindex,words,inlinks,ttfb_ms,bytes,final_url,redirect_hops,charset,state,skip_reason',
    );
  });

  it('answers 404 for a page or rule the crawl does not have', async () => {
    expect((await app.request('/audit/page?url=http%3A%2F%2Fnope.example%2F')).status).toBe(404);
    expect((await app.request('/audit/rule?rule=no-such-rule')).status).toBe(404);
  });
});
