// Routing alerts: a channel's `sites` and `kinds` filters pick which alerts reach it, checked in the config.
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../src/config/load.ts';
import { channelsFor, notify } from '../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../src/notify/types.ts';
import { JOB_NAMES } from '../../jobs/index.ts';
import { testStore } from '../helpers.ts';
import { alertRowsOf, inChannelOrder, recordingServer, testNotifyDeps } from './servers.ts';

const hook = (name: string, filters: { sites?: string[]; kinds?: AlertMessage['kind'][] } = {}) =>
  ({ type: 'webhook', name, url: { env: `HOOK_${name.toUpperCase()}` }, ...filters }) as ChannelConfig;

const message = (siteName: string | null, kind: AlertMessage['kind']): AlertMessage => ({
  siteName,
  kind,
  severity: 'critical',
  facts: { type: 'job-failed', job: 'uptime', runId: 1, error: 'details' },
});

describe('channelsFor()', () => {
  const channels = [
    hook('all'),
    hook('bakery', { sites: ['bakery'] }),
    hook('failures', { kinds: ['job-failure', 'site-issue'] }),
    hook('studio_links', { sites: ['studio'], kinds: ['lost-backlink'] }),
  ];
  const names = (siteName: string | null, kind: AlertMessage['kind']) =>
    channelsFor(channels, siteName, kind).map((c) => c.name);

  it('takes a channel without filters for every site and kind', async () => {
    expect(names('bakery', 'budget')).toEqual(['all', 'bakery']);
  });

  it('needs both filters to match when a channel sets both', async () => {
    expect(names('studio', 'lost-backlink')).toEqual(['all', 'studio_links']);
    expect(names('studio', 'devalued-backlink')).toEqual(['all']);
    expect(names('bakery', 'lost-backlink')).toEqual(['all', 'bakery']);
  });

  it('routes by kind alone when a channel lists no sites', async () => {
    expect(names('studio', 'job-failure')).toEqual(['all', 'failures']);
    expect(names('bakery', 'site-issue')).toEqual(['all', 'bakery', 'failures']);
  });

  it('sends an alert about no site only to channels without a site filter', async () => {
    expect(names(null, 'job-failure')).toEqual(['all', 'failures']);
  });
});

describe('notify() with filtered channels', () => {
  it('delivers only to the channels whose filters take the alert and records only those', async () => {
    const all = await recordingServer(() => ({ status: 200 }));
    const bakery = await recordingServer(() => ({ status: 200 }));
    const failures = await recordingServer(() => ({ status: 200 }));
    const sql = await testStore();
    const t = testNotifyDeps({
      HOOK_ALL: `${all.base}/all`,
      HOOK_BAKERY: `${bakery.base}/bakery`,
      HOOK_FAILURES: `${failures.base}/failures`,
    });
    const channels = [
      hook('all'),
      hook('bakery', { sites: ['bakery'] }),
      hook('failures', { kinds: ['job-failure'] }),
    ];

    expect(await notify(sql, channels, null, message('studio', 'lost-backlink'), t.deps, t.opts)).toEqual([
      { channel: 'all', delivered: true },
    ]);
    expect(await notify(sql, channels, null, message('bakery', 'job-failure'), t.deps, t.opts)).toEqual([
      { channel: 'all', delivered: true },
      { channel: 'bakery', delivered: true },
      { channel: 'failures', delivered: true },
    ]);
    expect([all.requests.length, bakery.requests.length, failures.requests.length]).toEqual([2, 1, 1]);
    expect(JSON.parse(bakery.requests[0]!.body)).toMatchObject({ site: 'bakery', kind: 'job-failure' });
    expect(
      inChannelOrder(await alertRowsOf(sql), ['all', 'bakery', 'failures']).map((r) => [r.channel, r.kind]),
    ).toEqual([
      ['all', 'lost-backlink'],
      ['all', 'job-failure'],
      ['bakery', 'job-failure'],
      ['failures', 'job-failure'],
    ]);
  });

  it('names a filtered channel by its place in the whole config when it fails', async () => {
    const sql = await testStore();
    const t = testNotifyDeps({});
    const channels = [hook('other', { sites: ['studio'] }), hook('missing', { sites: ['bakery'] })];
    const [result] = await notify(sql, channels, null, message('bakery', 'budget'), t.deps, t.opts);
    expect(result).toMatchObject({ channel: 'missing', delivered: false });
    expect(result!.error).toMatch(
      /^Config: notifications\.channels\[1\]\.url refers to environment variable HOOK_MISSING/,
    );
  });
});

describe('channel filters in the config', () => {
  const base = (channel: Record<string, unknown>) => ({
    sites: [
      { name: 'studio', baseUrl: 'https://studio.example/' },
      { name: 'bakery', baseUrl: 'https://bakery.example/' },
    ],
    notifications: {
      channels: [
        { type: 'slack', name: 'team', webhookUrl: { env: 'SLACK_WEBHOOK' } },
        { type: 'webhook', name: 'client', url: { env: 'CLIENT_HOOK' }, ...channel },
      ],
    },
  });
  const problems = (input: unknown) => {
    try {
      validateConfig(input, JOB_NAMES);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('accepts site names and kinds it knows', async () => {
    const config = validateConfig(
      base({ sites: ['bakery'], kinds: ['weekly-report', 'job-failure'] }),
      JOB_NAMES,
    );
    expect(config.notifications.channels[1]).toMatchObject({
      sites: ['bakery'],
      kinds: ['weekly-report', 'job-failure'],
    });
    expect(config.notifications.channels[0]!.sites).toBeUndefined();
  });

  it('refuses a site that is not configured, naming it and the sites there are', async () => {
    expect(problems(base({ sites: ['bakery', 'bakry'] }))).toEqual([
      'Config: notifications.channels[1].sites[1] names the site "bakry", which is not in "sites" (configured: studio, bakery)',
    ]);
  });

  it('refuses an unknown kind, listing the kinds', async () => {
    const [p, ...rest] = problems(base({ kinds: ['lost-backlink', 'lost-link'] }));
    expect(rest).toEqual([]);
    expect(p).toMatch(
      /^Config: notifications\.channels\[1\]\.kinds\[1\] must be one of: lost-backlink, .*job-failure, weekly-report/,
    );
  });

  it('refuses an empty list, which would silence the channel', async () => {
    expect(problems(base({ sites: [] }))).toEqual([
      expect.stringMatching(
        /^Config: notifications\.channels\[1\]\.sites must list at least one site name; leave "sites" out/,
      ),
    ]);
    expect(problems(base({ kinds: [] }))).toEqual([
      expect.stringMatching(/^Config: notifications\.channels\[1\]\.kinds must list at least one kind/),
    ]);
  });
});
