import { describe, expect, it } from 'vitest';
import { CHANNELS, notify } from '../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../src/notify/types.ts';
import { closedPortUrl, testStore } from '../helpers.ts';
import { alertRowsOf, inChannelOrder, recordingServer, testNotifyDeps } from './servers.ts';

const HOOK_SECRET = 'hk_9f8e7d6c5b4a';
const BOT_TOKEN = '123456789:AAE-secret-bot-token_xyz';

const link = (n: number, reasons: string[]) => ({
  donorUrl: `https://partner${n}.example/blog/`,
  target: 'https://studio.example/',
  vendor: '<partner> & co',
  reasons,
});

const message: AlertMessage = {
  siteName: 'studio',
  kind: 'lost-backlink',
  severity: 'warning',
  facts: {
    type: 'links',
    to: 'lost',
    links: [link(1, ['no longer on the page']), link(2, ['anchor was <b>"photo studio"</b>'])],
  },
  url: 'http://127.0.0.1:8787/sites/studio/backlinks?state=lost&sort=date',
};

const LINES = [
  'https://partner1.example/blog/ → https://studio.example/ (<partner> & co): no longer on the page',
  'https://partner2.example/blog/ → https://studio.example/ (<partner> & co): anchor was <b>"photo studio"</b>',
];

const webhook = (name = 'ops-hook'): ChannelConfig => ({
  type: 'webhook',
  name,
  url: { env: 'ALERT_WEBHOOK' },
});

describe('webhook channel', () => {
  it('POSTs the alert as JSON and records a delivered alert whose recipient names only the variable', async () => {
    const srv = await recordingServer(() => ({ status: 204 }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const result = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result).toEqual([{ channel: 'ops-hook', delivered: true }]);
    expect(srv.requests).toHaveLength(1);
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/hooks/${HOOK_SECRET}`);
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req.body)).toEqual({
      site: 'studio',
      kind: 'lost-backlink',
      severity: 'warning',
      title: '2 bought links confirmed lost',
      lines: LINES,
      url: message.url,
      sentAt: '2026-11-27T09:00:00.000Z',
      text: [
        '2 bought links confirmed lost',
        'Warning · studio · lost backlinks',
        '',
        ...LINES,
        '',
        message.url,
      ].join('\n'),
    });
    const [row] = await alertRowsOf(sql);
    expect(row).toMatchObject({
      channel: 'ops-hook',
      recipient: 'URL in $ALERT_WEBHOOK',
      kind: 'lost-backlink',
      severity: 'warning',
      attempts: 1,
      delivered_at: '2026-11-27T09:00:00.000Z',
      last_error: null,
    });
    expect(row!.message).toContain('2 bought links confirmed lost');
    expect(row!.message).toContain('anchor was <b>"photo studio"</b>');
  });

  it('retries a 500 with doubling backoff and records three attempts when the third succeeds', async () => {
    const srv = await recordingServer((_, n) => (n < 2 ? { status: 500, body: 'busy' } : { status: 200 }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const result = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result).toEqual([{ channel: 'ops-hook', delivered: true }]);
    expect(srv.requests).toHaveLength(3);
    expect(t.sleeps).toEqual([1000, 2000]);
    expect((await alertRowsOf(sql))[0]).toMatchObject({
      attempts: 3,
      delivered_at: '2026-11-27T09:00:00.000Z',
      last_error: null,
    });
    expect(t.log.lines.filter((l) => l.includes(' warn '))).toHaveLength(2);
  });

  it('gives up on a webhook that always fails, keeping the status and body but never the secret URL', async () => {
    // The body echoes the request path, as some frameworks' error pages do.
    const srv = await recordingServer((req) => ({
      status: 500,
      body: `Internal error handling POST ${req.path}`,
    }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result!.delivered).toBe(false);
    expect(srv.requests).toHaveLength(4);
    expect(t.sleeps).toEqual([1000, 2000, 4000]);
    const row = (await alertRowsOf(sql))[0]!;
    expect(row.attempts).toBe(4);
    expect(row.delivered_at).toBeNull();
    expect(row.last_error).toBe(`Webhook ${srv.base} answered HTTP 500: Internal error handling POST ***`);
    expect(result!.error).toBe(row.last_error);
    const everything = [row.last_error, ...t.log.lines].join('\n');
    expect(everything).not.toContain(HOOK_SECRET);
    expect(
      t.log.lines.some((l) => l.includes(' error ') && l.includes('not delivered after 4 attempts')),
    ).toBe(true);
  });

  it('does not retry a 404, which says the URL is wrong', async () => {
    const srv = await recordingServer(() => ({ status: 404, body: 'Not Found' }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result).toEqual({
      channel: 'ops-hook',
      delivered: false,
      error: `Webhook ${srv.base} answered HTTP 404: Not Found (check the URL in ALERT_WEBHOOK)`,
    });
    expect(srv.requests).toHaveLength(1);
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(1);
  });

  it('waits as long as Retry-After says before trying again', async () => {
    const srv = await recordingServer((_, n) =>
      n === 0 ? { status: 429, body: 'slow down', headers: { 'retry-after': '7' } } : { status: 200 },
    );
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result!.delivered).toBe(true);
    expect(t.sleeps).toEqual([7000]);
  });

  it('gives up at once when Retry-After asks for longer than it waits', async () => {
    const srv = await recordingServer(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/${HOOK_SECRET}` });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result!.error).toBe(
      `Webhook ${srv.base} answered HTTP 503: (empty body); the service asked to wait 3600 s, longer than promowatch waits`,
    );
    expect(t.sleeps).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('reports an unreachable webhook by its origin only', async () => {
    const base = (await closedPortUrl()).replace(/\/$/, '');
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${base}/hooks/${HOOK_SECRET}?key=${HOOK_SECRET}` });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, { ...t.opts, retries: 1 });
    expect(result!.error).toMatch(
      new RegExp(
        `^Webhook ${base} could not be reached: .*ECONNREFUSED.*; check the address and that the service is up$`,
      ),
    );
    expect([result!.error, ...t.log.lines].join('\n')).not.toContain(HOOK_SECRET);
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(2);
  });

  it('says which variable is missing, without retrying', async () => {
    const sql = await testStore();
    const t = testNotifyDeps({});
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result!.error).toBe(
      'Config: notifications.channels[0].url refers to environment variable ALERT_WEBHOOK, which is not set (set it, or add it to .env)',
    );
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(1);
  });

  it('refuses a variable that does not hold a URL without echoing its value', async () => {
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: HOOK_SECRET });
    const [result] = await notify(sql, [webhook()], null, message, t.deps, t.opts);
    expect(result!.error).toBe(
      'Config: notifications.channels[0].url refers to ALERT_WEBHOOK, which does not hold an absolute http(s) URL; set it to the full URL',
    );
  });
});

describe('slack channel', () => {
  const slack: ChannelConfig = { type: 'slack', name: 'team', webhookUrl: { env: 'SLACK_WEBHOOK' } };

  it('posts text and blocks with &, < and > escaped and the link in <url|label> form', async () => {
    const srv = await recordingServer(() => ({ status: 200, body: 'ok' }));
    const sql = await testStore();
    const t = testNotifyDeps({ SLACK_WEBHOOK: `${srv.base}/services/T000/B000/${HOOK_SECRET}` });
    const [result] = await notify(sql, [slack], null, message, t.deps, t.opts);
    expect(result).toEqual({ channel: 'team', delivered: true });
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/services/T000/B000/${HOOK_SECRET}`);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(req.body) as {
      text: string;
      blocks: { type: string; text?: { text: string } }[];
    };
    const heading = ':warning: *2 bought links confirmed lost*';
    const lines = [
      'https://partner1.example/blog/ → https://studio.example/ (&lt;partner&gt; &amp; co): no longer on the page',
      'https://partner2.example/blog/ → https://studio.example/ (&lt;partner&gt; &amp; co): anchor was &lt;b&gt;"photo studio"&lt;/b&gt;',
    ].join('\n');
    const link = '<http://127.0.0.1:8787/sites/studio/backlinks?state=lost&amp;sort=date|Open in promowatch>';
    expect(body.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: heading } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Warning · studio · lost backlinks' }] },
      { type: 'section', text: { type: 'mrkdwn', text: lines } },
      { type: 'section', text: { type: 'mrkdwn', text: link } },
    ]);
    expect(body.text).toBe([heading, 'Warning · studio · lost backlinks', lines, link].join('\n'));
    expect((await alertRowsOf(sql))[0]!.recipient).toBe('Slack webhook in $SLACK_WEBHOOK');
  });

  it('explains Slack error codes and does not retry a removed webhook', async () => {
    const srv = await recordingServer(() => ({ status: 404, body: 'no_service' }));
    const sql = await testStore();
    const t = testNotifyDeps({ SLACK_WEBHOOK: `${srv.base}/services/T000/B000/${HOOK_SECRET}` });
    const [result] = await notify(sql, [slack], null, message, t.deps, t.opts);
    expect(result!.error).toBe(
      `Slack webhook ${srv.base} answered HTTP 404: no_service (the webhook was removed or the app uninstalled; create a new incoming webhook)`,
    );
    expect(srv.requests).toHaveLength(1);
  });

  it('keeps a long message within the 3000-character section limit', async () => {
    const srv = await recordingServer(() => ({ status: 200, body: 'ok' }));
    const sql = await testStore();
    const t = testNotifyDeps({ SLACK_WEBHOOK: `${srv.base}/services/T000/B000/${HOOK_SECRET}` });
    const links = Array.from({ length: 200 }, (_, i) => link(i, ['&'.repeat(30)]));
    await notify(
      sql,
      [slack],
      null,
      { ...message, facts: { type: 'links', to: 'lost', links } },
      t.deps,
      t.opts,
    );
    const body = JSON.parse(srv.requests[0]!.body) as { blocks: { text?: { text: string } }[] };
    const section = body.blocks[2]!.text!.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/\n…and \d+ more$/);
    const shown = section.split('\n').length - 1;
    expect(section.endsWith(`…and ${200 - shown} more`)).toBe(true);
  });
});

describe('telegram channel', () => {
  const telegram = (base: string): ChannelConfig => ({
    type: 'telegram',
    name: 'owner',
    botToken: { env: 'TELEGRAM_BOT_TOKEN' },
    chatId: '-1001234567890',
    baseUrl: base,
  });

  it('calls sendMessage on /bot<token>/ with HTML text escaped for parse mode', async () => {
    const srv = await recordingServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"result":{"message_id":7}}',
    }));
    const sql = await testStore();
    const t = testNotifyDeps({ TELEGRAM_BOT_TOKEN: BOT_TOKEN });
    const [result] = await notify(sql, [telegram(srv.base)], null, message, t.deps, t.opts);
    expect(result).toEqual({ channel: 'owner', delivered: true });
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body)).toEqual({
      chat_id: '-1001234567890',
      text: [
        '<b>2 bought links confirmed lost</b>',
        '<i>Warning · studio · lost backlinks</i>',
        '',
        'https://partner1.example/blog/ → https://studio.example/ (&lt;partner&gt; &amp; co): no longer on the page',
        'https://partner2.example/blog/ → https://studio.example/ (&lt;partner&gt; &amp; co): anchor was &lt;b&gt;&quot;photo studio&quot;&lt;/b&gt;',
        '',
        '<a href="http://127.0.0.1:8787/sites/studio/backlinks?state=lost&amp;sort=date">Open in promowatch</a>',
      ].join('\n'),
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
    expect((await alertRowsOf(sql))[0]!.recipient).toBe('chat -1001234567890');
  });

  it('surfaces the Bot API description, with advice, and does not retry it', async () => {
    const srv = await recordingServer(() => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
    }));
    const sql = await testStore();
    const t = testNotifyDeps({ TELEGRAM_BOT_TOKEN: BOT_TOKEN });
    const [result] = await notify(sql, [telegram(srv.base)], null, message, t.deps, t.opts);
    const error = `Telegram ${srv.base} sendMessage to chat -1001234567890 failed: Bad Request: chat not found (error 400); check chatId "-1001234567890", and that the bot was added to that chat or the user started it`;
    expect(result).toEqual({ channel: 'owner', delivered: false, error });
    expect((await alertRowsOf(sql))[0]).toMatchObject({ attempts: 1, last_error: error, delivered_at: null });
    expect(srv.requests).toHaveLength(1);
    expect(t.log.lines.join('\n')).toContain('chat not found');
    expect(t.log.lines.join('\n')).not.toContain(BOT_TOKEN);
  });

  it('waits retry_after seconds after a 429', async () => {
    const srv = await recordingServer((_, n) =>
      n === 0
        ? {
            status: 429,
            body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}',
          }
        : { status: 200, body: '{"ok":true,"result":{}}' },
    );
    const sql = await testStore();
    const t = testNotifyDeps({ TELEGRAM_BOT_TOKEN: BOT_TOKEN });
    const [result] = await notify(sql, [telegram(srv.base)], null, message, t.deps, t.opts);
    expect(result!.delivered).toBe(true);
    expect(t.sleeps).toEqual([3000]);
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(2);
  });

  it('keeps the token out of the error when a proxy answers with HTML', async () => {
    const srv = await recordingServer((req) => ({
      status: 502,
      body: `<h1>Bad gateway</h1> for ${req.path}`,
    }));
    const sql = await testStore();
    const t = testNotifyDeps({ TELEGRAM_BOT_TOKEN: BOT_TOKEN });
    const [result] = await notify(sql, [telegram(srv.base)], null, message, t.deps, {
      ...t.opts,
      retries: 0,
    });
    expect(result!.error).toBe(
      `Telegram ${srv.base} sendMessage to chat -1001234567890 failed: HTTP 502: <h1>Bad gateway</h1> for /bot***/sendMessage (error 502)`,
    );
  });
});

describe('notify()', () => {
  it('delivers to the working channels when another one fails', async () => {
    const good = await recordingServer(() => ({ status: 200, body: 'ok' }));
    const bad = await recordingServer(() => ({ status: 500 }));
    const sql = await testStore();
    const t = testNotifyDeps({
      ALERT_WEBHOOK: `${bad.base}/hooks/${HOOK_SECRET}`,
      SLACK_WEBHOOK: `${good.base}/services/T000/B000/${HOOK_SECRET}`,
    });
    const channels: ChannelConfig[] = [
      webhook('broken'),
      { type: 'telegram', name: 'no-token', botToken: { env: 'MISSING_TOKEN' }, chatId: '1' },
      { type: 'slack', name: 'team', webhookUrl: { env: 'SLACK_WEBHOOK' } },
    ];
    const results = await notify(sql, channels, null, message, t.deps, t.opts);
    expect(results.map((r) => [r.channel, r.delivered])).toEqual([
      ['broken', false],
      ['no-token', false],
      ['team', true],
    ]);
    expect(results[1]!.error).toMatch(
      /notifications\.channels\[1\]\.botToken refers to environment variable MISSING_TOKEN/,
    );
    expect(
      inChannelOrder(await alertRowsOf(sql), ['broken', 'no-token', 'team']).map((r) => [
        r.channel,
        r.attempts,
        r.delivered_at !== null,
      ]),
    ).toEqual([
      ['broken', 4, false],
      ['no-token', 1, false],
      ['team', 1, true],
    ]);
  });

  it('returns no results and records nothing without channels', async () => {
    const sql = await testStore();
    const t = testNotifyDeps({});
    expect(await notify(sql, [], null, message, t.deps, t.opts)).toEqual([]);
    expect(await alertRowsOf(sql)).toEqual([]);
  });

  it('lists one channel for each channel type in the config schema', async () => {
    expect(CHANNELS.map((c) => c.id).sort()).toEqual(['email', 'slack', 'telegram', 'webhook']);
  });
});
