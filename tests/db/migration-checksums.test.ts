// Released migrations are history: a database that already ran one never runs it again, so editing
// the file makes old and new databases differ silently. These checksums pin every released file.
//
// Why this exists: 007-ads.sql was edited after 008 existed (commit 89e1b41 removed the
// `ad_stats_by_campaign` index that fd2a664 had added to it), so databases migrated in between kept
// an index new ones never got. 014-drop-ad-stats-by-campaign.sql repairs them; the test below checks
// that such a database ends with the same schema as a fresh one.
//
// Adding a migration: add its file name and `sha256sum` here in the same commit. Changing a released
// one: don't — write a new migration that brings old databases along.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';

const RELEASED_MIGRATIONS: Record<string, string> = {
  '001-foundation.sql': 'e103318a556484d7b14b7139a7a69952ddf50848307d0d17dddb296b828b0864',
  '002-uptime.sql': '3b91c04b2d3368c89683d0b05af2a9924b1afcd684231b6c843035be23260780',
  '003-site-audit.sql': '2b9cbb6b9c4766d5ddab9f76885ba0dbebb71ade102fc5f86e1d21e0ba8d06ed',
  '004-run-id-indexes.sql': '6bff146bf657b87b9e2fb0b2ad437a01d80b5cb5b3eeecd85cc75860a6e535d5',
  '005-backlinks.sql': 'f346572dc1f458c404647a2964c9da6748d8b7296750ec6a97357bde8f59bd8e',
  '006-rankings.sql': '9897b1c614e50d6e0e3ef90fd765b26e08edff1570f14e94305d21e6cd2a0716',
  '007-ads.sql': '4c1b8e03eac3073e895e5741366d0440e52f0b14f8c7d1e5241cbbc865e5b31a',
  '008-reports.sql': '15f9338f9aa5e0d8844d57b340c2d71e7552b7b515339d588b7e09d0b2fa92d4',
  '009-search-averages.sql': '432427749947cc4aae5663995e984be6840a70903f440ca2235bcac65ce017b2',
  '010-backlink-tool-states.sql': 'e6995ef89bc6b20c984519fabefee368ceb537caccac2e55b95460e633514ab7',
  '011-rank-failure-kind.sql': 'a0242982e5293f9dc473fa5a479ed7f84434851b62d40f2faaa6b99d66ea6829',
  '012-archive-and-acknowledge.sql': '74167b6ecbe6c14a0212264576c52c10a6d6460ec94abab7a531f39eda30a36a',
  '013-alert-notices.sql': '9d435912f551620df36dcd0a244d840a685b7c81568fc0ec894963f680b9aaee',
  '014-drop-ad-stats-by-campaign.sql': 'aff4d9e02ad27b49f26f93bbc14059f45794c760a609cbdd0f528074ea1b8cd2',
  '015-ad-platforms-in-code.sql': 'd96cb34285fe37270a65dfcbf4d7ba27de5efcef5d0f80806384248c1f7157cd',
  '016-users-and-access.sql': '33ed82f43e0b7ba3b69ef127f6c26d4bafa1bb723c47ccb85510f24399605925',
  '017-limits.sql': 'd24bbbd91dbc940dee3c8ceeeadca9ed126ed07d96d1273365439a5741828fc9',
  '018-crawl-claims.sql': '61612e45bd6c161173783ae8386e8b04846a16f84ef702e2fdcbff58c42bcbc3',
  '019-crawl-inlinks.sql': 'f593ff1363e7350ae496831067bba79393c0ac05252e252d3ac6c1054a96f223',
};

/** SHA-256 of a file's text; CRLF counts as LF, so a Windows checkout (core.autocrlf) hashes the same. */
function sha256(file: string): string {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What differs between the files on disk and the released list, one sentence per file. */
function migrationDrift(dir: string, released: Record<string, string>): string[] {
  const onDisk = loadMigrations(dir).map((m) => `${String(m.version).padStart(3, '0')}-${m.name}.sql`);
  const problems: string[] = [];
  for (const file of onDisk) {
    const expected = released[file];
    if (expected === undefined)
      problems.push(
        `migration ${file} is not in the released list: add '${file}': '${sha256(join(dir, file))}' to RELEASED_MIGRATIONS in tests/db/migration-checksums.test.ts`,
      );
    else if (sha256(join(dir, file)) !== expected)
      problems.push(`migration ${file} changed after release: add a new migration instead`);
  }
  for (const file of Object.keys(released))
    if (!onDisk.includes(file))
      problems.push(`migration ${file} was released but is gone: restore it (old databases ran it)`);
  return problems;
}

/** Every table, index, trigger and view as SQLite stores it, sorted so order of creation does not matter. */
function schema(db: BetterSqlite3.Database) {
  return db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all();
}

describe('released migrations', () => {
  it('keep the bytes they were released with, and every file on disk is in the released list', () => {
    expect(migrationDrift(MIGRATIONS_DIR, RELEASED_MIGRATIONS)).toEqual([]);
  });

  it('migrationDrift() names an edited file, an unlisted one and a missing one', () => {
    const released: Record<string, string> = {
      ...RELEASED_MIGRATIONS,
      '007-ads.sql': '0'.repeat(64),
      '099-gone.sql': 'x',
    };
    delete released['014-drop-ad-stats-by-campaign.sql'];
    const problems = migrationDrift(MIGRATIONS_DIR, released);
    expect(problems).toContain('migration 007-ads.sql changed after release: add a new migration instead');
    expect(problems).toContainEqual(
      expect.stringMatching(/^migration 014-drop-ad-stats-by-campaign\.sql is not in the released list: add/),
    );
    expect(problems).toContain(
      'migration 099-gone.sql was released but is gone: restore it (old databases ran it)',
    );
  });

  it('a database created with 007-ads.sql as first released ends with the same schema as a fresh one', () => {
    const migrations = loadMigrations();
    const old007 = readFileSync(
      new URL('../fixtures/migrations/007-ads-with-campaign-index.sql', import.meta.url),
      'utf8',
    );
    const old = new BetterSqlite3(':memory:');
    migrate(
      old,
      migrations.slice(0, 7).map((m) => (m.version === 7 ? { ...m, sql: old007 } : m)),
    );
    expect(schema(old)).toContainEqual(expect.objectContaining({ name: 'ad_stats_by_campaign' }));
    migrate(old, migrations);

    const fresh = new BetterSqlite3(':memory:');
    migrate(fresh, migrations);
    expect(schema(old)).toEqual(schema(fresh));
    expect(old.pragma('user_version', { simple: true })).toBe(fresh.pragma('user_version', { simple: true }));
  });
});
