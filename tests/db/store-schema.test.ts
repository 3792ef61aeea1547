// The PostgreSQL migrations (src/db/migrations/pg) build the same schema as the SQLite ones: the same
// files by number and name, the same tables with the same columns in the same order and equivalent types,
// keys and indexes. A migration added to one backend only fails here. And they apply the way SQLite's do:
// each file in one transaction, the version recorded, a newer schema refused with the same message.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, SchemaTooNewError, type Migration } from '../../src/db/migrate.ts';
import { openStore } from '../../src/db/store/open.ts';
import { loadPgMigrations, migratePostgres, pgSchemaVersion } from '../../src/db/store/pg-migrate.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { describeSchema } from '../../src/db/store/schema-info.ts';
import { sqliteStore } from '../../src/db/store/sqlite.ts';
import { pgAvailable } from '../pg/server.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

/** The newest schema version; the tests' extra migrations come after it. */
const LATEST = loadPgMigrations().at(-1)!.version;
const NEXT = String(LATEST + 1).padStart(3, '0');

const fileNames = (list: Migration[]) =>
  list.map((m) => `${String(m.version).padStart(3, '0')}-${m.name}.sql`);

/** SQLite's schema after `migrations`. */
function sqliteSchemaAfter(migrations: Migration[]) {
  const db = new BetterSqlite3(':memory:');
  migrate(db, migrations);
  const store = sqliteStore(db, { owned: true });
  return describeSchema(store).finally(() => store.close());
}

describe('PostgreSQL migrations', () => {
  it('are the SQLite migrations file for file: the same numbers and names', () => {
    expect(fileNames(loadPgMigrations())).toEqual(fileNames(loadMigrations()));
  });
});

describe.runIf(pgAvailable())('the PostgreSQL schema', () => {
  it('has the tables of the SQLite schema, with the same columns in the same order, types, keys and indexes', async () => {
    const url = await (await pgServer()).createDatabase();
    const pg = await openStore({ kind: 'postgres', url });
    try {
      const [sqlite, postgres] = await Promise.all([sqliteSchemaAfter(loadMigrations()), describeSchema(pg)]);
      expect(sqlite.length).toBeGreaterThan(30);
      expect(postgres.map((t) => t.name)).toEqual(sqlite.map((t) => t.name));
      for (const [i, table] of sqlite.entries()) expect(postgres[i], `table ${table.name}`).toEqual(table);
    } finally {
      await pg.close();
    }
  });

  it('differs from one a migration was added to on the SQLite side only, and the comparison names it', async () => {
    const extra: Migration = {
      version: LATEST + 1,
      name: 'sqlite-only',
      sql: 'ALTER TABLE sites ADD COLUMN note TEXT; CREATE INDEX sites_by_zone ON sites (time_zone);',
    };
    const url = await (await pgServer()).createDatabase();
    const pg = await openStore({ kind: 'postgres', url });
    try {
      const [sqlite, postgres] = await Promise.all([
        sqliteSchemaAfter([...loadMigrations(), extra]),
        describeSchema(pg),
      ]);
      const sites = (list: typeof sqlite) => list.find((t) => t.name === 'sites')!;
      expect(sites(postgres)).not.toEqual(sites(sqlite));
      expect(sites(sqlite).columns.at(-1)).toEqual({
        name: 'note',
        type: 'text',
        notNull: false,
        default: null,
      });
      expect(sites(sqlite).indexes.map((i) => i.name)).toEqual(['sites_by_zone']);
      expect(sites(postgres).indexes).toEqual([]);
    } finally {
      await pg.close();
    }
  });

  it('applies each file in its own transaction: a failing one leaves nothing behind and names itself', async () => {
    const url = await (await pgServer()).createDatabase();
    const sql = connectPostgres(url);
    try {
      const broken: Migration = {
        version: LATEST + 1,
        name: 'half-done',
        sql: 'CREATE TABLE later (id BIGINT); ALTER TABLE nowhere ADD COLUMN x TEXT;',
      };
      await expect(migratePostgres(sql, 'test db', [...loadPgMigrations(), broken])).rejects.toThrow(
        new RegExp(`^Migration pg/${NEXT}-half-done failed: relation "nowhere" does not exist`),
      );
      expect(await pgSchemaVersion(sql)).toBe(LATEST);
      expect(await sql.get(`SELECT to_regclass('later')::text AS t`)).toEqual({ t: null });
      // Nothing left to do the second time; two processes starting at once apply nothing twice.
      expect(await migratePostgres(sql, 'test db')).toEqual([]);
    } finally {
      await sql.close();
    }
  });

  it('is applied once when two processes migrate a new database at the same time', async () => {
    const url = await (await pgServer()).createDatabase();
    const [a, b] = [connectPostgres(url), connectPostgres(url)];
    try {
      const [x, y] = await Promise.all([migratePostgres(a, 'db'), migratePostgres(b, 'db')]);
      expect([...x, ...y].sort((p, q) => p - q)).toEqual(loadPgMigrations().map((m) => m.version));
      expect(await pgSchemaVersion(a)).toBe(LATEST);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is refused when newer than this promowatch knows, with the message SQLite gives', async () => {
    const url = await (await pgServer()).createDatabase();
    const sql = await openStore({ kind: 'postgres', url });
    await sql.run('UPDATE schema_version SET version = 99');
    await sql.close();
    const opening = openStore({
      kind: 'postgres',
      url: url.replace('postgres://postgres@', 'postgres://postgres:secret@'),
    });
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(opening).rejects.toThrow(
      new RegExp(
        `^Database postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\w+ has schema version 99, but this promowatch knows versions up to ${LATEST}\\. It was written by a newer promowatch: upgrade promowatch`,
      ),
    );
  });
});
