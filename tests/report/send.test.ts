// Mailing the weekly report to a real SMTP server: the parts, the inline charts, the PDF, and what happens
// when the server is down or refuses a recipient.
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWeeklyReportJob } from '../../jobs/weekly-report.ts';
import { runJob } from '../../jobs/runner.ts';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { lastRun } from '../../src/db/job-runs.ts';
import type { Lang } from '../../src/i18n/index.ts';
import { sendReport } from '../../src/report/send.ts';
import { getReportByWeek } from '../../src/report/store.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import {
  closedPortUrl,
  FakeClock,
  onCleanup,
  siteByName,
  suiteSetup,
  testConfig,
  testStoreDeps,
} from '../helpers.ts';
import { englishIn, svgText, visibleText } from '../i18n/english-left.ts';

const PASSWORD = 'smtp-Pa55word!';
// Monday 08:00 in Moscow: the report for 2026-W47 (16–22 November) is due.
const MONDAY = Date.parse('2026-11-23T05:00:00Z');

interface Delivered {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that wants user "reports" with PASSWORD and refuses nobody@… */
async function smtpServer() {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    secure: false,
    // No STARTTLS offer: the client would try to upgrade and reject the server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    size: 20 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (auth.username === 'reports' && auth.password === PASSWORD) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('nobody@'))
        cb(
          Object.assign(new Error('5.1.1 <nobody@studio.example>: mailbox unavailable'), {
            responseCode: 550,
          }),
        );
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        delivered.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.server.address() as AddressInfo).port, delivered };
}

function emailChannel(port: number, to: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'email',
    name: 'owner-mail',
    to,
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      user: 'reports',
      password: { env: 'SMTP_PASSWORD' },
      from: 'promowatch@studio.example',
    },
    ...extra,
  };
}

// ---- Just enough MIME to take a nested multipart message apart ---------------------------------------

interface MimeEntity {
  headers: Map<string, string>;
  body: string;
  parts: MimeEntity[];
}

/** RFC 2047 encoded words ("=?UTF-8?Q?…?="), adjacent ones joined before decoding so split characters survive. */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?utf-8\?[bq]\?[^?]*\?=\s*)+/gi, (run) => {
    const bytes = [...run.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)].map(([, enc, text]) =>
      enc!.toLowerCase() === 'b'
        ? Buffer.from(text!, 'base64')
        : Buffer.from(
            text!
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function parseEntity(raw: string): MimeEntity {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  const type = headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts =
    boundary && /^multipart\//i.test(type)
      ? body
          .split(`--${boundary}`)
          .slice(1, -1)
          .map((chunk) => parseEntity(chunk.replace(/^\r\n/, '').replace(/\r\n$/, '')))
      : [];
  return { headers, body, parts };
}

function leaves(e: MimeEntity): MimeEntity[] {
  return e.parts.length ? e.parts.flatMap(leaves) : [e];
}

function bytesOf(e: MimeEntity): Buffer {
  const enc = e.headers.get('content-transfer-encoding');
  if (enc === 'base64') return Buffer.from(e.body.replace(/\s+/g, ''), 'base64');
  if (enc === 'quoted-printable')
    return Buffer.from(
      e.body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  return Buffer.from(e.body, 'latin1');
}

const typeOf = (e: MimeEntity) => (e.headers.get('content-type') ?? '').split(';')[0]!.trim();
const textOf = (e: MimeEntity) => bytesOf(e).toString('utf8').replace(/\r\n/g, '\n');

function parseMail(raw: string) {
  const root = parseEntity(raw);
  const all = leaves(root);
  const one = (type: string) => {
    const found = all.filter((e) => typeOf(e) === type);
    expect(found, type).toHaveLength(1);
    return found[0]!;
  };
  return { root, all, one };
}

// ---- A site with two weeks of ad spend and two crawls: the ads and health charts have something to draw.

async function seed(sql: Sql, siteId: number) {
  const crawl = `INSERT INTO crawls (site_id, start_url, started_at, finished_at, status, pages, health)
     VALUES (?, 'https://studio.example/', ?, ?, 'ok', 40, ?)`;
  await sql.run(crawl, [siteId, '2026-11-12T01:00:00Z', '2026-11-12T01:20:00Z', 78]);
  await sql.run(crawl, [siteId, '2026-11-19T01:00:00Z', '2026-11-19T01:20:00Z', 84]);
  const account = (await sql.get<{ id: number }>(
    `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at)
     VALUES (?, 'google-ads', '1234567890', 'Studio <script>alert(1)</script>', 'RUB', 'Europe/Moscow', ?)
     RETURNING id`,
    [siteId, '2026-10-01T00:00:00Z'],
  ))!.id;
  await sql.run(`INSERT INTO ad_campaigns (account_id, campaign_id, name) VALUES (?, 'c1', '<b>Brand</b>')`, [
    account,
  ]);
  for (let d = 9; d <= 22; d++)
    await sql.run(
      `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
       VALUES (?, ?, 'c1', 1000, 40, ?, 'api')`,
      [account, `2026-11-${String(d).padStart(2, '0')}`, 1_500_000_000 + d],
    );
}

async function setup(channels: unknown[], opts: { data?: boolean; browser?: BrowserPool; lang?: Lang } = {}) {
  const clock = new FakeClock(MONDAY);
  const config: Config = testConfig({ notifications: { channels } });
  if (opts.lang) config.sites[0]!.language = opts.lang;
  const base = await testStoreDeps(config, clock);
  const { sql } = base;
  const deps = {
    ...base,
    secret: makeSecretResolver({ SMTP_PASSWORD: PASSWORD }, 'test'),
    // The runner's own job-failure alert goes through the same channel; its retries need not wait.
    alertOptions: { sleep: async () => {} },
    ...(opts.browser ? { browser: opts.browser } : {}),
  };
  const site = (await siteByName(sql, 'studio'))!;
  if (opts.data !== false) await seed(sql, site.id);
  const sleeps: number[] = [];
  const job = makeWeeklyReportJob({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const alerts = () =>
    sql.all<{
      kind: string;
      channel: string;
      recipient: string;
      attempts: number;
      delivered_at: string | null;
      last_error: string | null;
    }>(
      `SELECT kind, channel, recipient, attempts, delivered_at, last_error FROM alerts
       WHERE kind = 'weekly-report' ORDER BY id`,
    );
  return { sql, deps, site, job, sleeps, alerts, clock };
}

let browser: BrowserPool;
beforeAll(() =>
  suiteSetup(async () => {
    browser = new BrowserPool();
    onCleanup(() => browser.close());
  }),
);

describe('sendReport()', () => {
  it('mails the archived report: text and HTML parts, PNG charts by Content-ID, the PDF attached', async () => {
    const smtp = await smtpServer();
    const to = ['owner@studio.example', 'seo@agency.example'];
    const t = await setup([emailChannel(smtp.port, to)], { browser });
    const r = await runJob(t.deps, t.job, t.site, 'schedule');
    expect(r).toMatchObject({
      status: 'ok',
      counts: { sent: 1, recipients: 2, pdf: 1, pngCharts: 2, svgCharts: 0 },
    });

    const archived = (await getReportByWeek(t.sql, t.site.id, '2026-W47'))!;
    expect(archived).toMatchObject({ sentAt: '2026-11-23T05:00:00.000Z', attempts: 1, sendError: null });
    expect(smtp.delivered).toHaveLength(1);
    const mail = smtp.delivered[0]!;
    expect(mail.from).toBe('promowatch@studio.example');
    expect(mail.to).toEqual(to);

    const { root, all, one } = parseMail(mail.raw);
    expect(root.headers.get('subject')).toBe(archived.subject);
    expect(archived.subject).toMatch(/^promowatch weekly · studio · 2026-W47: /);
    expect(root.headers.get('to')).toBe(to.join(', '));
    expect(textOf(one('text/plain'))).toBe(archived.text.replace(/\r\n/g, '\n'));
    const html = textOf(one('text/html'));
    expect(html).toBe(archived.emailHtml.replace(/\r\n/g, '\n'));
    expect(html).not.toContain('<script');

    const cids = [...html.matchAll(/<img[^>]+src="cid:([^"]+)"/g)].map((m) => m[1]!).sort();
    expect(cids).toEqual(['ads-spend@promowatch', 'health@promowatch']);
    const images = all.filter((e) => typeOf(e) === 'image/png');
    expect(images.map((e) => e.headers.get('content-id')).sort()).toEqual(cids.map((c) => `<${c}>`));
    for (const img of images) {
      expect(img.headers.get('content-disposition')).toMatch(/^inline\b/);
      expect(bytesOf(img).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    }

    const pdf = one('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(
      /^attachment; filename=promowatch-studio-2026-W47\.pdf$/,
    );
    expect(bytesOf(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytesOf(pdf).equals(archived.pdf!)).toBe(true);

    expect(await t.alerts()).toEqual([
      {
        kind: 'weekly-report',
        channel: 'owner-mail',
        recipient: to.join(', '),
        attempts: 1,
        delivered_at: '2026-11-23T05:00:00.000Z',
        last_error: null,
      },
    ]);
  });

  it("mails a site's report in its language: subject, both parts and the chart titles, marked Content-Language", async () => {
    const smtp = await smtpServer();
    const t = await setup([emailChannel(smtp.port, ['owner@studio.example'])], { lang: 'ru' });
    expect(await runJob(t.deps, t.job, t.site, 'schedule')).toMatchObject({
      status: 'ok',
      counts: { sent: 1 },
    });
    const { root, all, one } = parseMail(smtp.delivered[0]!.raw);
    const subject = root.headers.get('subject')!;
    expect(subject).toMatch(/^promowatch, неделя 2026-W47 · studio: /);
    expect(subject).toContain('расход');
    expect(root.headers.get('content-language')).toBe('ru');
    const text = textOf(one('text/plain'));
    const html = textOf(one('text/html'));
    expect(text.split('\n')[0]).toBe('Еженедельный отчёт promowatch · studio · 2026-W47');
    for (const title of ['Видимость', 'Ссылки', 'Реклама', 'Здоровье сайта', 'Сбои задач']) {
      expect(text).toContain(`\n${title}\n`);
      expect(html).toContain(`>${title}</p>`);
    }
    expect(html).toMatch(/<html lang="ru">/);
    expect(englishIn(subject)).toEqual([]);
    expect(englishIn(text)).toEqual([]);
    expect(englishIn(visibleText(html))).toEqual([]);
    // The charts go as SVG here (no Chromium): their titles and legends are Russian too.
    const svgs = all.filter((e) => typeOf(e) === 'image/svg+xml').map(textOf);
    expect(svgs.join('\n')).toContain('Расход на рекламу по дням, RUB');
    expect(englishIn(svgs.map(svgText).join('\n'))).toEqual([]);
  });

  it('without Chromium, still sends the report with its charts as SVG by Content-ID and no PDF, and says so', async () => {
    const smtp = await smtpServer();
    const t = await setup([emailChannel(smtp.port, ['owner@studio.example'])]);
    const r = await runJob(t.deps, t.job, t.site, 'schedule');
    expect(r).toMatchObject({
      status: 'ok',
      counts: { sent: 1, pdf: 0, pngCharts: 0, svgCharts: 2, noBrowser: 1 },
    });
    expect(t.deps.log.lines.join('\n')).toMatch(
      /Chromium failed \(no browser in this test\); the report is archived and sent without a PDF, with its charts as SVG attachments/,
    );
    const { all, one } = parseMail(smtp.delivered[0]!.raw);
    const cids = [...textOf(one('text/html')).matchAll(/src="cid:([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const svgs = all.filter((e) => typeOf(e) === 'image/svg+xml');
    expect(svgs.map((e) => e.headers.get('content-id')).sort()).toEqual(cids.sort());
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) expect(textOf(svg)).toMatch(/^<svg /);
    expect(all.some((e) => typeOf(e) === 'application/pdf')).toBe(false);
    expect(await getReportByWeek(t.sql, t.site.id, '2026-W47')).toMatchObject({
      hasPdf: false,
      pdf: null,
    });
  });

  it('keeps the report archived and fails the run after 3 attempts when the SMTP server is down', async () => {
    const port = Number(new URL(await closedPortUrl()).port);
    const t = await setup([emailChannel(port, ['owner@studio.example'])]);
    const r = await runJob(t.deps, t.job, t.site, 'schedule');
    const message = `weekly report for studio 2026-W47 saved but not sent: SMTP 127.0.0.1:${port} unreachable (ECONNREFUSED) after 3 attempts; check notifications.channels[0].smtp.host and notifications.channels[0].smtp.port, and that the server is up`;
    expect(r).toMatchObject({ status: 'failed', error: message });
    expect(t.sleeps).toEqual([1000, 2000]);
    // The Jobs page reads both: the failed run, and the alert with its attempts.
    expect(await lastRun(t.sql, 'weekly-report', t.site.id)).toMatchObject({
      status: 'failed',
      error: message,
    });
    expect(await t.alerts()).toMatchObject([
      {
        kind: 'weekly-report',
        attempts: 3,
        delivered_at: null,
        last_error: expect.stringContaining('unreachable (ECONNREFUSED)'),
      },
    ]);
    const archived = (await getReportByWeek(t.sql, t.site.id, '2026-W47'))!;
    expect(archived).toMatchObject({ sentAt: null, sendError: message, attempts: 3 });
    expect(archived.text).toContain('promowatch weekly report · studio · 2026-W47');
    expect([r.status === 'failed' ? r.error : '', ...t.deps.log.lines].join('\n')).not.toContain(PASSWORD);
  });

  it('stops waiting to retry as soon as the run is aborted, and the run ends interrupted', async () => {
    const stop = new AbortController();
    let t0 = 0;
    // An SMTP port that hangs up at once; the run is stopped while it waits to try again.
    const hangUp = createServer((socket) => {
      socket.destroy();
      if (t0 === 0) {
        t0 = performance.now();
        setTimeout(() => stop.abort(), 10);
      }
    });
    await new Promise<void>((r) => hangUp.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => hangUp.close(() => r())));
    const t = await setup([emailChannel((hangUp.address() as AddressInfo).port, ['owner@studio.example'])]);
    // The real wait between attempts (1 s, then 2 s) unless the run's signal cuts it short.
    const r = await runJob(t.deps, makeWeeklyReportJob(), t.site, 'schedule', stop.signal);
    expect(t0).toBeGreaterThan(0);
    // Under the first wait (1 s), with room for a loaded machine.
    expect(performance.now() - t0).toBeLessThan(900);
    expect(r).toMatchObject({
      status: 'interrupted',
      error: expect.stringMatching(/not retried: promowatch was stopping$/),
    });
    expect(await t.alerts()).toMatchObject([{ kind: 'weekly-report', attempts: 1, delivered_at: null }]);
  });

  it('does not retry a recipient the server refuses, and names it', async () => {
    const smtp = await smtpServer();
    const t = await setup([emailChannel(smtp.port, ['nobody@studio.example'])]);
    const r = await runJob(t.deps, t.job, t.site, 'schedule');
    expect(r.status).toBe('failed');
    const error = r.status === 'failed' ? r.error : '';
    expect(error).toMatch(
      new RegExp(
        `^weekly report for studio 2026-W47 saved but not sent: SMTP 127\\.0\\.0\\.1:${smtp.port} refused recipient nobody@studio\\.example \\(`,
      ),
    );
    expect(error).toContain('550 5.1.1 <nobody@studio.example>: mailbox unavailable');
    expect(error).toMatch(/; check the addresses in notifications\.channels\[0\]\.to$/);
    expect(t.sleeps).toEqual([]);
    expect(await t.alerts()).toMatchObject([{ attempts: 1, delivered_at: null }]);
    expect(smtp.delivered).toHaveLength(0);
    expect(await getReportByWeek(t.sql, t.site.id, '2026-W47')).toMatchObject({
      sentAt: null,
      attempts: 1,
    });
  });

  it('sends a report for a week with no data at all, every section saying so', async () => {
    const smtp = await smtpServer();
    const t = await setup([emailChannel(smtp.port, ['owner@studio.example'])], { data: false, browser });
    const r = await runJob(t.deps, t.job, t.site, 'schedule');
    expect(r).toMatchObject({ status: 'ok', counts: { sent: 1, pdf: 1, pngCharts: 0, svgCharts: 0 } });
    const { root, all, one } = parseMail(smtp.delivered[0]!.raw);
    expect(root.headers.get('subject')).toBe('promowatch weekly · studio · 2026-W47: no data this week');
    const sentences = [
      'No rank tracking data this week.',
      'No backlink data this week.',
      'No ad spend data this week.',
      'No site crawl finished by the end of this week.',
      'No job failed this week.',
    ];
    const text = textOf(one('text/plain'));
    const html = textOf(one('text/html'));
    for (const s of sentences) {
      expect(text).toContain(s);
      expect(html).toContain(s);
    }
    expect(all.some((e) => typeOf(e).startsWith('image/'))).toBe(false);
    expect(bytesOf(one('application/pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('goes only to e-mail channels meant for the site and for weekly reports', async () => {
    const smtp = await smtpServer();
    const t = await setup([]);
    const channel = (to: string, extra: Record<string, unknown>) => ({
      ...emailChannel(smtp.port, [to], extra),
      name: to,
    });
    const config = testConfig({
      notifications: {
        channels: [
          channel('all@studio.example', {}),
          channel('bakery@studio.example', { sites: ['bakery'] }),
          channel('links@studio.example', { kinds: ['lost-backlink'] }),
          channel('weekly@studio.example', { sites: ['studio'], kinds: ['weekly-report', 'budget'] }),
          { type: 'webhook', name: 'hook', url: { env: 'HOOK_URL' } },
        ],
      },
    });
    const deliveries = await sendReport(
      {
        siteId: t.site.id,
        siteName: 'studio',
        week: '2026-W47',
        subject: 'Weekly',
        text: 'text',
        html: '<p>html</p>',
        images: [],
        pdf: null,
      },
      config.notifications.channels,
      { sql: t.sql, now: t.clock.now, secret: t.deps.secret, log: memoryLogger() },
    );
    expect(deliveries.map((d) => [d.channel, d.reached, d.error])).toEqual([
      ['all@studio.example', ['all@studio.example'], undefined],
      ['weekly@studio.example', ['weekly@studio.example'], undefined],
    ]);
    expect(smtp.delivered.map((m) => m.to).sort()).toEqual([
      ['all@studio.example'],
      ['weekly@studio.example'],
    ]);
  });
});
