// Local stand-ins for the webhook, Slack and Telegram endpoints: they record each request and answer as told.
import type { IncomingHttpHeaders } from 'node:http';
import { makeSecretResolver } from '../../src/config/load.ts';
import type { Sql } from '../../src/db/store/types.ts';
import type { Db } from '../../src/db/open.ts';
import type { NotifyDeps } from '../../src/notify/index.ts';
import type { AlertLocale } from '../../src/notify/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer } from '../helpers.ts';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Starts a server on 127.0.0.1; `answer` gets each request and its 0-based number. */
export async function recordingServer(
  answer: (req: Received, n: number) => Answer,
): Promise<{ base: string; requests: Received[] }> {
  const requests: Received[] = [];
  const base = await localServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      const a = answer(r, requests.length - 1);
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
    });
  });
  return { base: base.replace(/\/$/, ''), requests };
}

/**
 * Channel deps over a fixed environment, a fixed clock, and a sleep that only notes how long it was
 * asked for; alerts are worded in `locale` (the site's language) unless a channel says otherwise.
 */
export function testNotifyDeps(
  env: Record<string, string>,
  locale: AlertLocale = { lang: 'en', timeZone: 'UTC' },
) {
  const sleeps: number[] = [];
  const log = memoryLogger();
  return {
    deps: {
      fetch: globalThis.fetch,
      secret: makeSecretResolver(env, '.env'),
      now: () => new Date('2026-11-27T09:00:00.000Z'),
      log,
      locale,
    } satisfies NotifyDeps,
    log,
    sleeps,
    opts: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
    },
  };
}

export interface AlertRecord {
  channel: string;
  recipient: string;
  kind: string;
  severity: string;
  message: string;
  attempts: number;
  delivered_at: string | null;
  last_error: string | null;
}

const ALERT_ROWS =
  'SELECT channel, recipient, kind, severity, message, attempts, delivered_at, last_error FROM alerts ORDER BY id';

/** alertRows() through the data layer, for tests that follow the backend switch. */
export async function alertRowsOf(sql: Sql): Promise<AlertRecord[]> {
  return sql.all<AlertRecord>(ALERT_ROWS);
}

/**
 * Rows in the order of the channels they went to (a channel's own rows in id order). notify() delivers
 * to its channels at once (Promise.all): SQLite records them in call order, but on PostgreSQL each insert
 * takes its own pooled connection and the ids follow whichever lands first.
 */
export function inChannelOrder<T extends { channel: string }>(rows: T[], channels: readonly string[]): T[] {
  const at = (r: T) => channels.indexOf(r.channel);
  return [...rows].sort((a, b) => at(a) - at(b));
}

export function alertRows(db: Db): AlertRecord[] {
  return db.prepare(ALERT_ROWS).all() as AlertRecord[];
}
