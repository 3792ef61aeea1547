// Migration 015 drops 007's CHECK on ad_accounts.platform (the list of platforms lives in code now):
// a database with accounts and their statistics keeps every row, index and foreign key through it, and
// an unknown platform name is refused by the code, not by the database. SQLite rebuilds the table (with
// foreign keys off and checked by hand); PostgreSQL drops the constraint in place — each its own test.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../src/ads/store.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { loadPgMigrations, migratePostgres, pgSchemaVersion } from '../../src/db/store/pg-migrate.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { loadMigrations, migrate } from '../../src/db/migrate.ts';
import { BACKENDS, pgServer, stopPgServer } from '../pg/backends.ts';
import { describeSqliteOnly, onCleanup } from '../helpers.ts';

afterAll(stopPgServer);

const NOW = '2026-11-01T09:00:00.000Z';

/** A database as 001–014 left it, with one account and a row in every table that refers to it. */
function before015() {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, loadMigrations().slice(0, 14));
  db.prepare(
    `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (1, 'studio', 'https://studio.example/', 'Europe/Moscow', ?)`,
  ).run(NOW);
  db.prepare(
    `INSERT INTO ad_accounts (id, site_id, platform, external_id, name, currency, time_zone, cost_includes_vat,
       monthly_budget_micros, credentials, lookback_days, created_at)
     VALUES (7, 1, 'yandex-direct', 'studio-direct', 'Direct', 'RUB', 'Europe/Moscow', 1, 150000000000,
       '{"token":{"env":"DIRECT_TOKEN_CLIENT2"}}', 3, ?)`,
  ).run(NOW);
  db.prepare(`INSERT INTO ad_campaigns (account_id, campaign_id, name) VALUES (7, '1', 'Brand')`).run();
  db.prepare(
    `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
     VALUES (7, '2026-10-31', '1', 1000, 50, 1234000000, 'api')`,
  ).run();
  db.prepare(
    `INSERT INTO ad_syncs (account_id, kind, started_at, status, date_from, date_to)
     VALUES (7, 'api', ?, 'ok', '2026-10-29', '2026-10-31')`,
  ).run(NOW);
  db.prepare(
    `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, message, raised_at)
     VALUES (7, '1', '2026-10-31', 'spend-spike', 'spike', ?)`,
  ).run(NOW);
  db.prepare(
    `INSERT INTO ad_budget_warnings (account_id, month, level, forecast_micros, budget_micros, raised_at)
     VALUES (7, '2026-10', 'over', 9, 8, ?)`,
  ).run(NOW);
  return db;
}

const TABLES = ['ad_accounts', 'ad_campaigns', 'ad_stats', 'ad_syncs', 'ad_anomalies', 'ad_budget_warnings'];
const contents = (db: BetterSqlite3.Database) =>
  Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]));

describeSqliteOnly(
  'the table rebuild: PRAGMA foreign_keys, foreign_key_check and user_version',
  'migration 015 on SQLite',
  () => {
    it('keeps every account and every row that refers to one, with the index and the foreign keys', async () => {
      const db = before015();
      const kept = contents(db);
      expect(migrate(db, loadMigrations().slice(0, 15))).toEqual([15]);
      expect(contents(db)).toEqual(kept);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(
        db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'ad_accounts' AND type = 'index'`).all(),
      ).toContainEqual({ name: 'ad_accounts_by_site' });
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Still enforced both ways: no stats for a missing account, and removing an account removes its rows.
      expect(() =>
        db
          .prepare(
            `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
           VALUES (99, '2026-10-31', '1', 1, 1, 1, 'api')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      db.prepare('DELETE FROM ad_accounts WHERE id = 7').run();
      for (const t of TABLES)
        expect([t, db.prepare(`SELECT count(*) AS n FROM ${t}`).get()]).toEqual([t, { n: 0 }]);
    });

    it('leaves platform names to the code: SQLite takes any, insertAccount() refuses one it does not know', async () => {
      const db = before015();
      const insert = db.prepare(
        `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at)
       VALUES (1, 'tiktok-ads', 'x', 'TikTok', 'USD', 'UTC', ?)`,
      );
      expect(() => insert.run(NOW)).toThrow(/CHECK constraint failed/);
      migrate(db);
      expect(() => insert.run(NOW)).not.toThrow();
      db.prepare(`DELETE FROM ad_accounts WHERE platform = 'tiktok-ads'`).run();
      const account = {
        platform: 'tiktok-ads',
        externalId: 'x',
        name: 'TikTok',
        currency: 'USD',
        timeZone: 'UTC',
        costIncludesVat: false,
        monthlyBudgetMicros: null,
        credentials: {},
        lookbackDays: null,
      };
      await expect(insertAccount(storeOf(db), 1, account, new Date(NOW))).rejects.toThrow(
        'Ad account not added: platform must be one of google-ads, yandex-direct, microsoft-ads, meta',
      );
    });

    it('is refused whole when it would leave a row pointing nowhere, and foreign keys come back on', async () => {
      const db = before015();
      const broken = loadMigrations().map((m) =>
        m.version === 15 ? { ...m, sql: `${m.sql}\nDELETE FROM ad_accounts;` } : m,
      );
      expect(() => migrate(db, broken)).toThrow(
        /left \d+ row\(s\) in \w+ pointing at no ad_accounts row; nothing was changed/,
      );
      expect(db.pragma('user_version', { simple: true })).toBe(14);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM ad_accounts').get()).toEqual({ n: 1 });
    });
  },
);

/** The same account and rows on PostgreSQL, at 014 (an empty database migrated through pg/001–014). */
async function pgBefore015(): Promise<Sql> {
  const sql = connectPostgres(await (await pgServer()).createDatabase());
  onCleanup(() => sql.close());
  await migratePostgres(sql, 'test', loadPgMigrations().slice(0, 14));
  await sql.run(
    `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (1, 'studio', 'https://studio.example/', 'Europe/Moscow', ?)`,
    [NOW],
  );
  await sql.run(
    `INSERT INTO ad_accounts (id, site_id, platform, external_id, name, currency, time_zone, cost_includes_vat,
       monthly_budget_micros, credentials, lookback_days, created_at)
     VALUES (7, 1, 'yandex-direct', 'studio-direct', 'Direct', 'RUB', 'Europe/Moscow', 1, 150000000000,
       '{"token":{"env":"DIRECT_TOKEN_CLIENT2"}}', 3, ?)`,
    [NOW],
  );
  await sql.run(`INSERT INTO ad_campaigns (account_id, campaign_id, name) VALUES (7, '1', 'Brand')`);
  await sql.run(
    `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
     VALUES (7, '2026-10-31', '1', 1000, 50, 1234000000, 'api')`,
  );
  await sql.run(
    `INSERT INTO ad_syncs (account_id, kind, started_at, status, date_from, date_to)
     VALUES (7, 'api', ?, 'ok', '2026-10-29', '2026-10-31')`,
    [NOW],
  );
  await sql.run(
    `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, message, raised_at)
     VALUES (7, '1', '2026-10-31', 'spend-spike', 'spike', ?)`,
    [NOW],
  );
  await sql.run(
    `INSERT INTO ad_budget_warnings (account_id, month, level, forecast_micros, budget_micros, raised_at)
     VALUES (7, '2026-10', 'over', 9, 8, ?)`,
    [NOW],
  );
  return sql;
}

const pgContents = async (sql: Sql) =>
  Object.fromEntries(
    await Promise.all(
      TABLES.map(async (t) => [t, await sql.all(`SELECT * FROM ${t} ORDER BY 1, 2`)] as const),
    ),
  );

describe.each(BACKENDS.filter((b) => b.name === 'postgres'))('migration 015 on PostgreSQL', () => {
  it('keeps every account and every row that refers to one, with the index and the foreign keys', async () => {
    const sql = await pgBefore015();
    const kept = await pgContents(sql);
    expect(await migratePostgres(sql, 'test', loadPgMigrations().slice(0, 15))).toEqual([15]);
    expect(await pgContents(sql)).toEqual(kept);
    expect(
      await sql.all(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'ad_accounts'`),
    ).toContainEqual({ name: 'ad_accounts_by_site' });
    // Still enforced both ways: no stats for a missing account, and removing an account removes its rows.
    await expect(
      sql.run(
        `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
         VALUES (99, '2026-10-31', '1', 1, 1, 1, 'api')`,
      ),
    ).rejects.toMatchObject({ violation: 'foreign-key' });
    await sql.run('DELETE FROM ad_accounts WHERE id = 7');
    for (const t of TABLES)
      expect([t, await sql.get(`SELECT count(*) AS n FROM ${t}`)]).toEqual([t, { n: 0 }]);
  });

  it('leaves platform names to the code: PostgreSQL takes any, insertAccount() refuses one it does not know', async () => {
    const sql = await pgBefore015();
    const insert = () =>
      sql.run(
        `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at)
         VALUES (1, 'tiktok-ads', 'x', 'TikTok', 'USD', 'UTC', ?)`,
        [NOW],
      );
    await expect(insert()).rejects.toMatchObject({ violation: 'check' });
    await migratePostgres(sql, 'test');
    await insert();
    await sql.run(`DELETE FROM ad_accounts WHERE platform = 'tiktok-ads'`);
    const account = {
      platform: 'tiktok-ads',
      externalId: 'x',
      name: 'TikTok',
      currency: 'USD',
      timeZone: 'UTC',
      costIncludesVat: false,
      monthlyBudgetMicros: null,
      credentials: {},
      lookbackDays: null,
    };
    await expect(insertAccount(sql, 1, account, new Date(NOW))).rejects.toThrow(
      'Ad account not added: platform must be one of google-ads, yandex-direct, microsoft-ads, meta',
    );
  });

  it('is refused whole when it would leave a row pointing nowhere', async () => {
    const sql = await pgBefore015();
    const broken = loadPgMigrations().map((m) =>
      m.version === 15
        ? {
            ...m,
            sql: `${m.sql}\nINSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, source)
                  VALUES (99, '2026-10-31', '1', 1, 1, 1, 'api');`,
          }
        : m,
    );
    await expect(migratePostgres(sql, 'test', broken)).rejects.toThrow(/Migration pg\/015-.*foreign key/);
    expect(await pgSchemaVersion(sql)).toBe(14);
    // 015's CHECK is still 007's: the migration left nothing behind.
    await expect(
      sql.run(
        `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at)
         VALUES (1, 'tiktok-ads', 'x', 'TikTok', 'USD', 'UTC', ?)`,
        [NOW],
      ),
    ).rejects.toMatchObject({ violation: 'check' });
    expect(await sql.get('SELECT count(*) AS n FROM ad_accounts')).toEqual({ n: 1 });
  });
});
