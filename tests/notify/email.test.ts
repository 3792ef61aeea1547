import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { notify } from '../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../src/notify/types.ts';
import { onCleanup, testStore } from '../helpers.ts';
import { alertRowsOf, testNotifyDeps } from './servers.ts';

const PASSWORD = 'smtp-Pa55word!';

interface Delivered {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that wants user "alerts" with PASSWORD and refuses nobody@… */
async function smtpServer(options: Partial<SMTPServerOptions> = {}) {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    secure: false,
    // No STARTTLS offer: the client would try to upgrade and reject the server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === PASSWORD) cb(null, { user: auth.username });
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
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
    ...options,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.server.address() as AddressInfo).port;
  return { port, delivered };
}

function emailChannel(port: number, to: string[], user: string | null = 'alerts'): ChannelConfig {
  return {
    type: 'email',
    name: 'owner-mail',
    to,
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      ...(user ? { user, password: { env: 'SMTP_PASSWORD' } } : {}),
      from: 'promowatch@studio.example',
    },
  };
}

/** Unfolded headers of a MIME entity, names lower-cased. */
function headersOf(head: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) map.set(line.slice(0, i).toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return map;
}

/** A header value with its RFC 2047 encoded-words decoded (nodemailer encodes a subject that needs it). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, how: string, text: string) =>
      how.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Just enough MIME for one multipart/alternative message: its headers and each part's decoded text by type. */
function parseMail(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  const parts = new Map<string, string>();
  if (boundary)
    for (const chunk of raw
      .slice(split + 4)
      .split(`--${boundary}`)
      .slice(1, -1)) {
      const at = chunk.indexOf('\r\n\r\n');
      const h = headersOf(chunk.slice(2, at));
      const type = (h.get('content-type') ?? '').split(';')[0]!;
      parts.set(
        type,
        decodeBody(chunk.slice(at + 4).replace(/\r\n$/, ''), h.get('content-transfer-encoding')),
      );
    }
  return { headers, parts };
}

const message: AlertMessage = {
  siteName: 'studio',
  kind: 'budget',
  severity: 'critical',
  facts: {
    type: 'budget',
    level: 'heading-over',
    platform: 'yandex-direct',
    account: 'Brand "renew" <partner> & co',
    currency: 'RUB',
    day: '2026-11-27',
    spentMicros: 94_500e6,
    budgetMicros: 100_000e6,
    paceDays: 7,
    dailyMicros: 3_500e6,
    forecastMicros: 105_000e6,
    overBy: 0.05,
  },
  url: 'http://127.0.0.1:8787/sites/studio/ads?month=2026-11&sort=date',
};

const TITLE = 'Brand "renew" <partner> & co (Yandex Direct) is heading over its monthly budget';

describe('email channel', () => {
  it('sends through SMTP with login, to every recipient, with a text and an escaped HTML part', async () => {
    const smtp = await smtpServer();
    const sql = await testStore();
    const t = testNotifyDeps({ SMTP_PASSWORD: PASSWORD });
    const to = ['owner@studio.example', 'seo@agency.example'];
    const [result] = await notify(sql, [emailChannel(smtp.port, to)], null, message, t.deps, t.opts);
    expect(result).toEqual({ channel: 'owner-mail', delivered: true });
    expect(smtp.delivered).toHaveLength(1);
    const mail = smtp.delivered[0]!;
    expect(mail.from).toBe('promowatch@studio.example');
    expect(mail.to).toEqual(to);
    const { headers, parts } = parseMail(mail.raw);
    expect(headers.get('subject')).toBe(`[promowatch] ${TITLE}`);
    expect(headers.get('to')).toBe('owner@studio.example, seo@agency.example');
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(parts.get('text/plain')).toBe(
      [
        TITLE,
        'Critical · studio · ad budget',
        '',
        'Spent ₽94,500 of ₽100,000 by 27 Nov 2026.',
        'At the pace of the last 7 days (₽3,500 a day) the month ends at ₽105,000: 5% over budget.',
        '',
        'http://127.0.0.1:8787/sites/studio/ads?month=2026-11&sort=date',
      ].join('\r\n'),
    );
    const html = parts.get('text/html')!;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(
      '<h2 style="margin: 0 0 4px">Brand &quot;renew&quot; &lt;partner&gt; &amp; co (Yandex Direct) is heading over its monthly budget</h2>',
    );
    expect(html).toContain('Spent ₽94,500 of ₽100,000 by 27 Nov 2026.');
    expect(html).toContain(
      '<a href="http://127.0.0.1:8787/sites/studio/ads?month=2026-11&amp;sort=date">Open in promowatch</a>',
    );
    expect(html).not.toContain('<partner>');
    expect((await alertRowsOf(sql))[0]).toMatchObject({
      recipient: 'owner@studio.example, seo@agency.example',
      attempts: 1,
      last_error: null,
    });
  });

  it('sends without login when no user is configured', async () => {
    const smtp = await smtpServer({ authOptional: true });
    const sql = await testStore();
    const t = testNotifyDeps({});
    const [result] = await notify(
      sql,
      [emailChannel(smtp.port, ['owner@studio.example'], null)],
      null,
      message,
      t.deps,
      t.opts,
    );
    expect(result).toEqual({ channel: 'owner-mail', delivered: true });
    expect(smtp.delivered[0]!.to).toEqual(['owner@studio.example']);
  });

  it('records the SMTP refusal of a recipient as not delivered, without retrying', async () => {
    const smtp = await smtpServer();
    const sql = await testStore();
    const t = testNotifyDeps({ SMTP_PASSWORD: PASSWORD });
    const [result] = await notify(
      sql,
      [emailChannel(smtp.port, ['nobody@studio.example'])],
      null,
      message,
      t.deps,
      t.opts,
    );
    expect(result!.delivered).toBe(false);
    const row = (await alertRowsOf(sql))[0]!;
    expect(row).toMatchObject({ attempts: 1, delivered_at: null });
    expect(row.last_error).toMatch(new RegExp(`^E-mail via 127\\.0\\.0\\.1:${smtp.port} failed: `));
    expect(row.last_error).toContain('550 5.1.1 <nobody@studio.example>: mailbox unavailable');
    expect(row.last_error).toMatch(/; check the addresses in notifications\.channels\[0\]\.to$/);
    expect(row.last_error).not.toContain(PASSWORD);
    expect(smtp.delivered).toHaveLength(0);
  });

  it('does not resend when only some recipients were refused, and names them', async () => {
    const smtp = await smtpServer();
    const sql = await testStore();
    const t = testNotifyDeps({ SMTP_PASSWORD: PASSWORD });
    const [result] = await notify(
      sql,
      [emailChannel(smtp.port, ['owner@studio.example', 'nobody@studio.example'])],
      null,
      message,
      t.deps,
      t.opts,
    );
    expect(result!.error).toBe(
      `E-mail via 127.0.0.1:${smtp.port} reached owner@studio.example but was refused for nobody@studio.example; check notifications.channels[0].to`,
    );
    expect(smtp.delivered).toHaveLength(1);
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(1);
  });

  it('reports a refused login with advice and without the password', async () => {
    const smtp = await smtpServer();
    const sql = await testStore();
    const t = testNotifyDeps({ SMTP_PASSWORD: 'wrong-password-1' });
    const [result] = await notify(
      sql,
      [emailChannel(smtp.port, ['owner@studio.example'])],
      null,
      message,
      t.deps,
      t.opts,
    );
    expect(result!.error).toContain('535 Authentication credentials invalid');
    expect(result!.error).toContain(
      'check notifications.channels[0].smtp.user and the password in SMTP_PASSWORD',
    );
    expect([result!.error, ...t.log.lines].join('\n')).not.toContain('wrong-password-1');
    expect((await alertRowsOf(sql))[0]!.attempts).toBe(1);
  });
});
