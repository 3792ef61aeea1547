// The alerts queries give the same answers on SQLite and PostgreSQL: recording, delivery marks, the
// inbox's messages folded from their deliveries, filters, states and the open count.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countOpenAlerts,
  listAlerts,
  listNotices,
  markAlertAttempt,
  recordAlert,
  setNoticeState,
  unknownNoticeIds,
  type AlertInput,
} from '../../src/db/alerts.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const at = (h: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + h * 3_600_000);

async function addSite(sql: Sql, name: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [name, `https://${name}.example/`, 'Europe/Moscow', at(0).toISOString()],
  ))!.id;
}

describe.each(BACKENDS)('alerts on $name', (backend) => {
  let sql: Sql;
  let studio: number;
  let bakery: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    studio = await addSite(sql, 'studio');
    bakery = await addSite(sql, 'bakery');
  });
  afterEach(() => sql.close());

  const alert = (a: Partial<AlertInput>, hour: number) =>
    recordAlert(
      sql,
      {
        siteId: studio,
        kind: 'backlink',
        severity: 'warning',
        message: 'Link lost',
        channel: 'email',
        recipient: 'a@studio.example',
        ...a,
      },
      at(hour),
    );

  it('folds the deliveries of one message and filters, pages and counts the messages', async () => {
    const sent = await alert({ notice: 'n1', facts: { type: 'x', n: 1 } }, 0);
    const viaChat = await alert({ notice: 'n1', channel: 'telegram', recipient: 'chat 7' }, 0);
    await markAlertAttempt(sql, sent, { delivered: true }, at(0.1));
    await markAlertAttempt(sql, viaChat, { delivered: false, error: 'chat not found' }, at(0.1));
    await alert({ siteId: bakery, kind: 'budget', severity: 'critical', message: 'Over' }, 1);
    await alert({ siteId: null, kind: 'job-failure', severity: 'critical', message: 'Crawl failed' }, 2);

    const all = await listNotices(sql, { siteIds: null }, { limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.notices.map((n) => n.message)).toEqual(['Crawl failed', 'Over', 'Link lost']);
    expect(all.notices[2]).toMatchObject({
      id: sent,
      siteId: studio,
      state: 'open',
      facts: { type: 'x', n: 1 },
      deliveries: [
        {
          channel: 'email',
          recipient: 'a@studio.example',
          deliveredAt: at(0.1).toISOString(),
          attempts: 1,
          error: null,
        },
        { channel: 'telegram', recipient: 'chat 7', deliveredAt: null, attempts: 1, error: 'chat not found' },
      ],
    });
    const page = await listNotices(sql, { siteIds: null }, { limit: 1, offset: 1 });
    expect([page.total, page.notices.map((n) => n.message)]).toEqual([3, ['Over']]);
    const filtered = await listNotices(
      sql,
      {
        siteIds: [studio, bakery],
        kinds: ['budget', 'backlink'],
        severities: ['critical'],
        from: at(0.5).toISOString(),
        until: at(3).toISOString(),
      },
      { limit: 10, offset: 0 },
    );
    expect(filtered.notices.map((n) => n.message)).toEqual(['Over']);
    expect((await listNotices(sql, { siteIds: [] }, { limit: 10, offset: 0 })).total).toBe(0);

    expect(await countOpenAlerts(sql, null)).toBe(3);
    expect(await countOpenAlerts(sql, [studio])).toBe(1);
    expect(await countOpenAlerts(sql, [])).toBe(0);
    expect((await listAlerts(sql, studio)).map((a) => [a.channel, a.attempts, a.deliveredAt])).toEqual([
      ['telegram', 1, null],
      ['email', 1, at(0.1).toISOString()],
    ]);
    expect(await listAlerts(sql, null, 2)).toHaveLength(2);
  });

  it('acknowledges, resolves and reopens every row of a message, and filters by state', async () => {
    const a = await alert({ notice: 'n1' }, 0);
    await alert({ notice: 'n1', channel: 'telegram' }, 0);
    const b = await alert({ message: 'Other' }, 1);
    expect(await setNoticeState(sql, [a, a, 999], 'acknowledge', 'cli', at(2))).toBe(1);
    expect(await setNoticeState(sql, [a], 'acknowledge', 'cli', at(3))).toBe(0);
    expect(await countOpenAlerts(sql, null)).toBe(1);
    expect(await setNoticeState(sql, [b], 'resolve', 'dashboard', at(4))).toBe(1);
    const states = async (state: 'open' | 'acknowledged' | 'resolved') =>
      (await listNotices(sql, { siteIds: null, states: [state] }, { limit: 10, offset: 0 })).notices.map(
        (n) => n.id,
      );
    expect(await states('acknowledged')).toEqual([a]);
    expect(await states('resolved')).toEqual([b]);
    expect((await listNotices(sql, { siteIds: null }, { limit: 10, offset: 0 })).notices[0]).toMatchObject({
      id: b,
      acknowledgedAt: at(4).toISOString(),
      acknowledgedBy: 'dashboard',
      resolvedBy: 'dashboard',
    });
    expect(await setNoticeState(sql, [a, b], 'reopen', 'cli', at(5))).toBe(2);
    expect(await states('open')).toEqual([b, a]);
    const rows = await sql.all<{ acknowledged_at: string | null }>('SELECT acknowledged_at FROM alerts');
    expect(rows.every((r) => r.acknowledged_at === null)).toBe(true);
    expect(await unknownNoticeIds(sql, [a, 999, b, 1000])).toEqual([999, 1000]);
  });
});
