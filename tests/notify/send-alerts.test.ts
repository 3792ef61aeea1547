// The one alerting entry point: a message with no channel for it is kept for the dashboard, one with a
// channel goes out through notify(), and a renewal reminder stays quiet for 20 hours after the last one.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { raisedSince, sendAlerts } from '../../src/notify/send-alerts.ts';
import type { AlertMessage } from '../../src/notify/types.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';
import { alertRows, recordingServer } from './servers.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const renewal: AlertMessage = {
  siteName: 'studio',
  kind: 'renewal-due',
  severity: 'info',
  facts: {
    type: 'renewals',
    withinDays: 14,
    renewals: [{ donor: 'https://donor.example/post', paidUntil: '2026-12-03', vendor: 'Sape' }],
  },
};
const lost: AlertMessage = {
  siteName: 'studio',
  kind: 'lost-backlink',
  severity: 'critical',
  facts: { type: 'links', to: 'lost', links: [] },
};

describe('sendAlerts()', () => {
  it('keeps a message no channel takes for the dashboard, and sends one a channel takes', async () => {
    const srv = await recordingServer(() => ({ status: 200, body: 'ok' }));
    const { db } = tempDb();
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig({
      notifications: {
        channels: [{ type: 'webhook', name: 'links', url: { env: 'HOOK' }, kinds: ['lost-backlink'] }],
      },
    });
    const deps = { ...testDeps(db, config, clock), sql: storeOf(db), secret: () => `${srv.base}/hook` };
    const site = (await getSiteByName(storeOf(db), 'studio'))!;
    expect(await sendAlerts(deps, site.id, [renewal, lost])).toBe(2);
    expect(alertRows(db).map((r) => [r.kind, r.channel, r.recipient])).toEqual([
      ['renewal-due', 'dashboard', 'dashboard'],
      ['lost-backlink', 'links', 'URL in $HOOK'],
    ]);
    expect(srv.requests).toHaveLength(1);
  });

  it('sends a renewal reminder at most once in 20 hours', async () => {
    const { db } = tempDb();
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const deps = { ...testDeps(db, testConfig(), clock), sql: storeOf(db) };
    const site = (await getSiteByName(storeOf(db), 'studio'))!;
    expect(await sendAlerts(deps, site.id, [renewal])).toBe(1);
    clock.advance(19 * 3_600_000);
    expect(await sendAlerts(deps, site.id, [renewal, lost])).toBe(1);
    clock.advance(2 * 3_600_000);
    expect(await sendAlerts(deps, site.id, [renewal])).toBe(1);
    expect(alertRows(db).map((r) => r.kind)).toEqual(['renewal-due', 'lost-backlink', 'renewal-due']);
  });
});

describe.each(BACKENDS)('raisedSince() on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  async function alert(siteId: number | null, kind: string, raisedAt: string, message: string) {
    await sql.run(
      `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at)
       VALUES (?, ?, 'critical', ?, 'dashboard', 'dashboard', ?)`,
      [siteId, kind, message, raisedAt],
    );
  }

  it('finds the latest alert of the kind, site and title since a time; null matches an alert about no site', async () => {
    const site = (await sql.get<{ id: number }>(
      `INSERT INTO sites (name, base_url, time_zone, created_at)
       VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', '2026-11-01T00:00:00.000Z') RETURNING id`,
    ))!.id;
    await alert(site, 'job-failure', '2026-11-27T01:00:00.000Z', 'Job crawl failed\nstudio');
    await alert(site, 'job-failure', '2026-11-27T03:00:00.000Z', 'Job crawl failed\nstudio');
    await alert(site, 'job-failure', '2026-11-27T04:00:00.000Z', 'Job audit failed\nstudio');
    await alert(null, 'job-failure', '2026-11-27T02:00:00.000Z', 'Job db-maintenance failed\n');
    const since = '2026-11-27T00:00:00.000Z';
    expect(await raisedSince(sql, site, 'job-failure', since, 'Job crawl failed\n')).toBe(
      '2026-11-27T03:00:00.000Z',
    );
    expect(
      await raisedSince(sql, site, 'job-failure', '2026-11-27T03:30:00.000Z', 'Job crawl failed\n'),
    ).toBeUndefined();
    // An empty prefix matches any message of the kind.
    expect(await raisedSince(sql, site, 'job-failure', since, '')).toBe('2026-11-27T04:00:00.000Z');
    expect(await raisedSince(sql, site, 'renewal-due', since, '')).toBeUndefined();
    expect(await raisedSince(sql, null, 'job-failure', since, '')).toBe('2026-11-27T02:00:00.000Z');
    expect(await raisedSince(sql, null, 'job-failure', since, 'Job crawl failed\n')).toBeUndefined();
  });
});
