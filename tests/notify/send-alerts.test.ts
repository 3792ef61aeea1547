// The one alerting entry point: a message with no channel for it is kept for the dashboard, one with a
// channel goes out through notify(), and a renewal reminder stays quiet for 20 hours after the last one.
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { sendAlerts } from '../../src/notify/send-alerts.ts';
import type { AlertMessage } from '../../src/notify/types.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';
import { alertRows, recordingServer } from './servers.ts';

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
    const deps = { ...testDeps(db, config, clock), secret: () => `${srv.base}/hook` };
    const site = getSiteByName(db, 'studio')!;
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
    const deps = testDeps(db, testConfig(), clock);
    const site = getSiteByName(db, 'studio')!;
    expect(await sendAlerts(deps, site.id, [renewal])).toBe(1);
    clock.advance(19 * 3_600_000);
    expect(await sendAlerts(deps, site.id, [renewal, lost])).toBe(1);
    clock.advance(2 * 3_600_000);
    expect(await sendAlerts(deps, site.id, [renewal])).toBe(1);
    expect(alertRows(db).map((r) => r.kind)).toEqual(['renewal-due', 'lost-backlink', 'renewal-due']);
  });
});
