// Migration 013 on a database with alerts and budget warnings from before it: old rows stay readable.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countOpenAlerts, listNotices, setNoticeState } from '../../src/db/alerts.ts';
import { loadMigrations, migrate } from '../../src/db/migrate.ts';
import { loadPgMigrations, migratePostgres } from '../../src/db/store/pg-migrate.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { onCleanup, TEST_BACKEND, testStore } from '../helpers.ts';
import { emptyDatabase, sharedCluster } from '../pg/cluster.ts';

/**
 * A store of the run's backend at schema version 12 (before migration 013), and the step that brings it
 * to the newest: SQLite in memory, or an empty database on the run's PostgreSQL cluster migrated with the
 * PostgreSQL twins of the same files.
 */
async function storeBefore013(): Promise<{ sql: Sql; migrateRest: () => Promise<void> }> {
  if (TEST_BACKEND === 'postgres') {
    const cluster = sharedCluster();
    if (!cluster) throw new Error('a PostgreSQL run has a shared cluster (tests/setup/pg-cluster.ts)');
    const sql = connectPostgres(await emptyDatabase(cluster));
    onCleanup(() => sql.close());
    await migratePostgres(sql, 'test', loadPgMigrations().slice(0, 12));
    return { sql, migrateRest: async () => void (await migratePostgres(sql, 'test')) };
  }
  const db = new BetterSqlite3(':memory:');
  onCleanup(() => void db.close());
  db.pragma('foreign_keys = ON');
  migrate(db, loadMigrations().slice(0, 12));
  return { sql: storeOf(db), migrateRest: async () => void migrate(db) };
}

describe('migration 013', () => {
  it('groups old alert rows into one message per send and keeps budget warnings as "heading over"', async () => {
    const { sql, migrateRest } = await storeBefore013();
    await sql.run(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (1, 'studio', 'https://studio.example/', 'Europe/Moscow', '2026-10-01T00:00:00Z')`,
    );
    const alert = (...values: (string | null)[]) =>
      sql.run(
        `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at, delivered_at, last_error)
         VALUES (1, 'budget', 'critical', ?, ?, ?, ?, ?, ?)`,
        values,
      );
    // One message through two channels (same text, same instant), and the same text a day later.
    await alert('Over', 'team', 'chat 1', '2026-11-01T09:00:00.000Z', '2026-11-01T09:00:01.000Z', null);
    await alert('Over', 'mail', 'a@b.example', '2026-11-01T09:00:00.000Z', null, 'SMTP 550');
    await alert('Over', 'team', 'chat 1', '2026-11-02T09:00:00.000Z', null, null);
    await sql.run(
      `INSERT INTO ad_accounts (id, site_id, platform, external_id, name, currency, time_zone, created_at)
       VALUES (1, 1, 'yandex-direct', 'x', 'Direct', 'RUB', 'Europe/Moscow', '2026-10-01T00:00:00Z')`,
    );
    await sql.run(
      `INSERT INTO ad_budget_warnings (account_id, month, forecast_micros, budget_micros, raised_at)
       VALUES (1, '2026-11', 9, 8, '2026-11-04T09:00:00Z')`,
    );

    await migrateRest();
    expect(await countOpenAlerts(sql, [1])).toBe(2);
    const { total, notices } = await listNotices(sql, { siteIds: null }, { limit: 10, offset: 0 });
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
    expect(await sql.all('SELECT month, level FROM ad_budget_warnings')).toEqual([
      { month: '2026-11', level: 'heading-over' },
    ]);
  });

  it('takes a row written without a notice as a message of its own', async () => {
    const sql = await testStore();
    const insert = async (message: string) =>
      (await sql.get<{ id: number }>(
        `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at)
         VALUES (NULL, 'job-failure', 'warning', ?, 'dashboard', 'dashboard', '2026-11-01T09:00:00.000Z')
         RETURNING id`,
        [message],
      ))!.id;
    const a = await insert('first');
    await insert('second');
    expect(await countOpenAlerts(sql, null)).toBe(2);
    expect(await setNoticeState(sql, [a], 'acknowledge', 'cli', new Date('2026-11-02T00:00:00Z'))).toBe(1);
    expect(await countOpenAlerts(sql, null)).toBe(1);
    const { notices } = await listNotices(sql, { siteIds: null }, { limit: 10, offset: 0 });
    expect(notices.map((n) => [n.message, n.state])).toEqual([
      ['second', 'open'],
      ['first', 'acknowledged'],
    ]);
  });
});
