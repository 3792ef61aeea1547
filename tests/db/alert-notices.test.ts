// Migration 013 on a database with alerts and budget warnings from before it: old rows stay readable.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countOpenAlerts, listNotices, setNoticeState } from '../../src/db/alerts.ts';
import { loadMigrations, migrate } from '../../src/db/migrate.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';

describe('migration 013', () => {
  it('groups old alert rows into one message per send and keeps budget warnings as "heading over"', async () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations().slice(0, 12));
    db.prepare(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (1, 'studio', 'https://studio.example/', 'Europe/Moscow', '2026-10-01T00:00:00Z')`,
    ).run();
    const alert = db.prepare(
      `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at, delivered_at, last_error)
       VALUES (1, 'budget', 'critical', ?, ?, ?, ?, ?, ?)`,
    );
    // One message through two channels (same text, same instant), and the same text a day later.
    alert.run('Over', 'team', 'chat 1', '2026-11-01T09:00:00.000Z', '2026-11-01T09:00:01.000Z', null);
    alert.run('Over', 'mail', 'a@b.example', '2026-11-01T09:00:00.000Z', null, 'SMTP 550');
    alert.run('Over', 'team', 'chat 1', '2026-11-02T09:00:00.000Z', null, null);
    db.prepare(
      `INSERT INTO ad_accounts (id, site_id, platform, external_id, name, currency, time_zone, created_at)
       VALUES (1, 1, 'yandex-direct', 'x', 'Direct', 'RUB', 'Europe/Moscow', '2026-10-01T00:00:00Z')`,
    ).run();
    db.prepare(
      `INSERT INTO ad_budget_warnings (account_id, month, forecast_micros, budget_micros, raised_at)
       VALUES (1, '2026-11', 9, 8, '2026-11-04T09:00:00Z')`,
    ).run();

    migrate(db);
    expect(await countOpenAlerts(storeOf(db), [1])).toBe(2);
    const { total, notices } = await listNotices(storeOf(db), { siteIds: null }, { limit: 10, offset: 0 });
    expect(total).toBe(2);
    expect(notices.map((n) => [n.raisedAt, n.facts, n.deliveries.map((d) => [d.channel, d.error])])).toEqual([
      ['2026-11-02T09:00:00.000Z', null, [['team', null]]],
      [
        '2026-11-01T09:00:00.000Z',
        null,
        [
          ['team', null],
          ['mail', 'SMTP 550'],
        ],
      ],
    ]);
    expect(db.prepare('SELECT month, level FROM ad_budget_warnings').all()).toEqual([
      { month: '2026-11', level: 'heading-over' },
    ]);
    db.close();
  });

  it('takes a row written without a notice as a message of its own', async () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db);
    const insert = db.prepare(
      `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at)
       VALUES (NULL, 'job-failure', 'warning', ?, 'dashboard', 'dashboard', '2026-11-01T09:00:00.000Z')`,
    );
    const a = Number(insert.run('first').lastInsertRowid);
    insert.run('second');
    expect(await countOpenAlerts(storeOf(db), null)).toBe(2);
    expect(
      await setNoticeState(storeOf(db), [a], 'acknowledge', 'cli', new Date('2026-11-02T00:00:00Z')),
    ).toBe(1);
    expect(await countOpenAlerts(storeOf(db), null)).toBe(1);
    const { notices } = await listNotices(storeOf(db), { siteIds: null }, { limit: 10, offset: 0 });
    expect(notices.map((n) => [n.message, n.state])).toEqual([
      ['second', 'open'],
      ['first', 'acknowledged'],
    ]);
    db.close();
  });
});
