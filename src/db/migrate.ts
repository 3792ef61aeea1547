// Applies the numbered .sql files in src/db/migrations in one transaction; the version lives in PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `Database ${file} has schema version ${found}, but this promowatch knows versions up to ${known}. ` +
        `It was written by a newer promowatch: upgrade promowatch, or point --db at another file.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Reads `NNN-name.sql` files; numbers must run 1, 2, 3… with no gaps or repeats. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(file);
      if (!m) throw new Error(`Migration file name ${file} must look like 001-some-name.sql`);
      return { version: Number(m[1]), name: m[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `Migrations must be numbered 1, 2, 3…: expected ${i + 1}, found ${m.version}-${m.name}`,
      );
  });
  return migrations;
}

/** Brings the database up to the newest schema; returns the versions it applied. */
export function migrate(db: Database, migrations: Migration[] = loadMigrations()): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) throw new SchemaTooNewError(db.name, current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  // Foreign keys off while migrating, as SQLite's table-rebuild procedure asks
  // (https://www.sqlite.org/lang_altertable.html#otheralter): dropping a rebuilt parent table must not
  // cascade into its children. The pragma is a no-op inside a transaction, so it is set around it, and
  // every reference is checked before the transaction commits.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  try {
    // One transaction for all pending files: a failure leaves the database exactly as it was.
    db.transaction(() => {
      for (const m of pending) {
        try {
          db.exec(m.sql);
        } catch (err) {
          throw new Error(`Migration ${m.version}-${m.name} failed: ${(err as Error).message}`);
        }
      }
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length)
        throw new Error(
          `Migrations ${pending[0]!.version}–${latest} left ${broken.length} row(s) in ${broken[0]!.table} pointing at no ${broken[0]!.parent} row; nothing was changed`,
        );
      db.pragma(`user_version = ${latest}`);
    }).immediate();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return pending.map((m) => m.version);
}
