// Opens the data layer promowatch is configured for: PostgreSQL when a `postgres://` URL is given
// (database.url in the config, or PROMOWATCH_DATABASE_URL), otherwise the SQLite file (--db,
// PROMOWATCH_DB, data/promowatch.db) — the embedded default that needs no server.
import { resolveDbPath } from '../open.ts';
import { migratePostgres } from './pg-migrate.ts';
import { connectPostgres, redactUrl } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Sql } from './types.ts';

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Reads `postgres://…`, `postgresql://…` or `sqlite:FILE`; anything else is refused with what to write. */
export function parseStoreUrl(url: string): StoreTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    const file = url.slice('sqlite:'.length);
    if (!file) throw new Error('A sqlite: address needs a file after it, like sqlite:data/promowatch.db');
    return { kind: 'sqlite', file: resolveDbPath(file, {}) };
  }
  throw new Error(
    `Database address "${redactUrl(url)}" is neither postgres://user:password@host:5432/name nor sqlite:FILE`,
  );
}

/**
 * Which database to open. An explicit `--db FILE` wins (the person asked for that file); then
 * PROMOWATCH_DATABASE_URL, then `database.url` from the config; then SQLite at PROMOWATCH_DB or
 * data/promowatch.db.
 */
export function resolveStoreTarget(opts: {
  dbFlag?: string | undefined;
  configUrl?: string | undefined;
  env: NodeJS.ProcessEnv;
}): StoreTarget {
  if (opts.dbFlag !== undefined) return { kind: 'sqlite', file: resolveDbPath(opts.dbFlag, opts.env) };
  const url = opts.env.PROMOWATCH_DATABASE_URL || opts.configUrl;
  if (url) return parseStoreUrl(url);
  return { kind: 'sqlite', file: resolveDbPath(undefined, opts.env) };
}

/** The address `database.url` in the config refers to ({"env": "NAME"}), or undefined when there is none. */
export function configuredDatabaseUrl(
  database: { url: { env: string } } | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!database) return undefined;
  const value = env[database.url.env];
  if (!value)
    throw new Error(
      `Config: database.url reads the environment variable ${database.url.env}, which is not set: set it to postgres://user:password@host:5432/name, or remove "database" to keep the SQLite file`,
    );
  return value;
}

/** Opens and migrates the database; the caller closes it. */
export async function openStore(target: StoreTarget): Promise<Sql> {
  if (target.kind === 'sqlite') return openSqliteStore(target.file);
  const sql = connectPostgres(target.url);
  try {
    await migratePostgres(sql, redactUrl(target.url));
  } catch (err) {
    await sql.close();
    throw err;
  }
  return sql;
}
