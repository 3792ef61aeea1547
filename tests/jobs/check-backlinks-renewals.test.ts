// The check-backlinks job's renewal reminder follows the renewals list: a link lost or archived is not
// to be renewed, so the reminder leaves it out (src/backlinks/money.ts renewable()).
import { describe, expect, it } from 'vitest';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { checkBacklinksJob } from '../../jobs/check-backlinks.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, localServer, tempDb, testConfig, testDeps } from '../helpers.ts';
import { alertRows } from '../notify/servers.ts';

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
    const { db } = tempDb();
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
    const deps = testDeps(db, config, clock);
    const site = (await getSiteByName(storeOf(db), 'studio'))!;
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
      storeOf(db),
      site.id,
      [link('/live'), link('/gone'), link('/archived')],
      new Date('2026-10-01T00:00:00Z'),
    )) as [number, number, number];
    // Lost two weeks ago (the monitor confirmed it then); archived by the owner since.
    db.prepare(`UPDATE backlinks SET status = 'lost', status_since = ? WHERE id = ?`).run(
      '2026-11-13T06:00:00Z',
      gone,
    );
    db.prepare(`UPDATE backlinks SET archived_at = ? WHERE id = ?`).run('2026-11-20T06:00:00Z', archived);

    expect(await runJob(deps, checkBacklinksJob, site, 'cli')).toMatchObject({ status: 'ok' });
    const reminders = alertRows(db).filter((a) => a.kind === 'renewal-due');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.message).toContain(`${donors}live`);
    expect(reminders[0]!.message).not.toContain(`${donors}gone`);
    expect(reminders[0]!.message).not.toContain(`${donors}archived`);
  });
});
