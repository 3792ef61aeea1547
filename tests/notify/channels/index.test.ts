// The channel list is the one place a channel is named: a channel registered there (as a test does
// here) is validated in the config, shown in the example config, and sent to by the send loop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_NAMES, JOBS } from '../../../jobs/index.ts';
import { exampleConfig, exampleConfigText } from '../../../src/config/example.ts';
import { ConfigError, validateConfig } from '../../../src/config/load.ts';
import {
  CHANNELS,
  channelLabel,
  notificationChannels,
  registerChannelForTest,
} from '../../../src/notify/channels/index.ts';
import { notify } from '../../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../../src/notify/types.ts';
import { testStore } from '../../helpers.ts';
import { alertRowsOf, recordingServer, testNotifyDeps } from '../servers.ts';
import { pagerChannel } from './fake-channel.ts';

const sites = [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }];
const pager = (extra: Record<string, unknown> = {}) => ({
  type: 'pager',
  name: 'night-pager',
  apiKey: { env: 'PAGER_API_KEY' },
  room: 'on-call',
  ...extra,
});
const configWith = (channel: Record<string, unknown>) =>
  validateConfig({ sites, notifications: { channels: [channel] } }, JOB_NAMES);

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const message: AlertMessage = {
  siteName: 'studio',
  kind: 'job-failure',
  severity: 'critical',
  facts: { type: 'job-failed', job: 'crawl-site', runId: 7, error: 'the site did not answer' },
};

describe('a channel that is not listed', () => {
  it('is refused by the config, which names the listed types', async () => {
    expect(problems(() => configWith(pager()))).toEqual([
      'Config: notifications.channels[0].type must have "type" one of: email, webhook, slack, telegram',
    ]);
  });
});

describe('a channel registered in the list', () => {
  let unregister: () => void;
  beforeEach(() => {
    unregister = registerChannelForTest(pagerChannel);
  });
  afterEach(() => unregister());

  it('is validated in the config by its own settings', async () => {
    const config = configWith(pager({ sites: ['studio'] }));
    expect(config.notifications.channels[0]).toEqual(pager({ sites: ['studio'] }));
    expect(problems(() => configWith(pager({ room: '' })))).toEqual([
      'Config: notifications.channels[0].room must be at least 1 characters',
    ]);
    expect(problems(() => configWith(pager({ apiKey: 'pk-live-1234' })))[0]).toMatch(
      /^Config: notifications\.channels\[0\]\.apiKey is a literal secret/,
    );
    expect(problems(() => configWith({ ...pager(), type: 'carrier-pigeon' }))[0]).toContain(
      'one of: email, webhook, slack, telegram, pager',
    );
  });

  it('is listed in the example config, which still loads', async () => {
    const channels = (exampleConfig(JOBS).notifications as { channels: Record<string, unknown>[] }).channels;
    expect(channels.map((c) => c.type)).toEqual(['email', 'webhook', 'slack', 'telegram', 'pager']);
    expect(channels.at(-1)).toEqual({
      type: 'pager',
      name: 'night-pager',
      apiKey: { env: 'PAGER_API_KEY' },
      room: 'on-call',
      kinds: ['job-failure'],
    });
    expect(exampleConfigText(JOBS)).toContain('// A pager room (made up by the tests).');
    expect(() => validateConfig(exampleConfig(JOBS), JOB_NAMES)).not.toThrow();
  });

  it('is sent to by the send loop, through the API client, with its key kept out of errors', async () => {
    const srv = await recordingServer((_req, n) =>
      n === 0 ? { status: 401, body: 'bad key pk-live-1234' } : { status: 202, body: '{}' },
    );
    const config = configWith(pager({ baseUrl: srv.base }));
    const sql = await testStore();
    const t = testNotifyDeps({ PAGER_API_KEY: 'pk-live-1234' });
    const channels = config.notifications.channels as ChannelConfig[];

    const [refused] = await notify(sql, channels, null, message, t.deps, t.opts);
    expect(refused).toEqual({
      channel: 'night-pager',
      delivered: false,
      error: `Pager answered HTTP 401: bad key *** (check the credentials and their permissions)`,
    });
    const [result] = await notify(sql, channels, null, message, t.deps, t.opts);
    expect(result).toEqual({ channel: 'night-pager', delivered: true });
    expect(srv.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['POST', '/rooms/on-call/pages', 'Bearer pk-live-1234'],
      ['POST', '/rooms/on-call/pages', 'Bearer pk-live-1234'],
    ]);
    expect(JSON.parse(srv.requests[1]!.body)).toEqual({
      title: 'studio: job crawl-site failed',
      severity: 'critical',
    });
    expect(
      (await alertRowsOf(sql)).map((r) => [r.channel, r.recipient, r.attempts, r.delivered_at !== null]),
    ).toEqual([
      ['night-pager', 'room on-call', 1, false],
      ['night-pager', 'room on-call', 1, true],
    ]);
  });

  it('has its label in every language', async () => {
    expect([channelLabel('pager', 'en'), channelLabel('pager', 'ru')]).toEqual(['Pager', 'Пейджер']);
  });
});

describe('the built-in channels', () => {
  it('each declare their secrets as {"env"} references in their settings', async () => {
    for (const ch of CHANNELS) {
      const entry = validExample(ch.id);
      for (const path of ch.secrets) {
        const broken = structuredClone(entry);
        const keys = path.split('.');
        let at = broken as Record<string, unknown>;
        for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
        at[keys.at(-1)!] = 'literal-secret-value';
        expect(problems(() => configWith(broken)).join('\n'), `${ch.id}.${path}`).toMatch(
          new RegExp(`channels\\[0\\]\\.${path.replace('.', '\\.')} is a literal secret`),
        );
      }
    }
  });

  it('each have a label in English and Russian, and the list has no duplicate ids', async () => {
    const ids = notificationChannels().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ch of CHANNELS) expect(Object.keys(ch.label).sort()).toEqual(['en', 'ru']);
    expect(channelLabel('email', 'ru')).toBe('Электронная почта');
  });
});

/** The channel's example entry as the loader sees it (comments dropped). */
function validExample(id: string): Record<string, unknown> {
  const channels = (exampleConfig(JOBS).notifications as { channels: Record<string, unknown>[] }).channels;
  const { sites: _sites, ...entry } = channels.find((c) => c.type === id)!;
  return entry;
}
