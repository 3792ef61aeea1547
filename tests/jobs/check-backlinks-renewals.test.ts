// The check-backlinks job's renewal reminder follows the renewals list: a link lost or archived is not
// to be renewed, so the reminder leaves it out (src/backlinks/money.ts renewable()).
import { describe, expect, it } from 'vitest';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { checkBacklinksJob } from '../../jobs/check-backlinks.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, localServer, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { alertRowsOf } from '../notify/servers.ts';

describe('check-backlinks renewal reminder', () => {
  it('reminds of a live link due for renewal, not of a lost or an archived one', async () => {
    // Every donor page carries the link except /gone, whose link was removed.
    const donors = await localServer((req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<html><body><p>${req.url === '/gone' ? 'No links here.' : '<a href="https://studio.example/">studio</a>'}</p></body></html>`,
        ),
    );
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig({
      sites: [
        {
          name: 'studio',
          baseUrl: 'https://studio.example/',
          timeZone: 'Europe/Moscow',
          backlinks: { minDelayMs: 0, jitterSeconds: 0, render: 'never', timeoutMs: 2000 },
        },
      ],
    });
    const deps = await testStoreDeps(config, clock);
    const { sql } = deps;
    const site = (await siteByName(sql, 'studio'))!;
    const link = (path: string): BacklinkInput => ({
      donorUrl: `${donors}${path.slice(1)}`,
      target: 'https://studio.example/',
      targetKind: 'url',
      expectedAnchor: null,
      kind: 'bought',
      vendor: 'Sape',
      priceMicros: 400_000_000,
      currency: 'RUB',
      billing: 'monthly',
      boughtOn: '2026-10-01',
      // All three paid until 3 December: due within the 14 days a reminder looks ahead.
      paidUntil: '2026-12-03',
      tags: [],
      notes: null,
      brand: null,
    });
    const [, gone, archived] = (await insertBacklinks(
      sql,
      site.id,
      [link('/live'), link('/gone'), link('/archived')],
      new Date('2026-10-01T00:00:00Z'),
    )) as [number, number, number];
    // Lost two weeks ago (the monitor confirmed it then); archived by the owner since.
    await sql.run(`UPDATE backlinks SET status = 'lost', status_since = ? WHERE id = ?`, [
      '2026-11-13T06:00:00Z',
      gone,
    ]);
    await sql.run(`UPDATE backlinks SET archived_at = ? WHERE id = ?`, ['2026-11-20T06:00:00Z', archived]);

    expect(await runJob(deps, checkBacklinksJob, site, 'cli')).toMatchObject({ status: 'ok' });
    const reminders = (await alertRowsOf(sql)).filter((a) => a.kind === 'renewal-due');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.message).toContain(`${donors}live`);
    expect(reminders[0]!.message).not.toContain(`${donors}gone`);
    expect(reminders[0]!.message).not.toContain(`${donors}archived`);
  });
});
