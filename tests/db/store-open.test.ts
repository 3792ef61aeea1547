// Which database promowatch opens: PostgreSQL when an address is configured, otherwise the SQLite file.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredDatabaseUrl, parseStoreUrl, resolveStoreTarget } from '../../src/db/store/open.ts';

const PG = 'postgres://promowatch:s3cret@db.internal:5432/promowatch';

describe('resolveStoreTarget()', () => {
  it('keeps SQLite at data/promowatch.db, or PROMOWATCH_DB, when no address is set', () => {
    expect(resolveStoreTarget({ env: {} })).toEqual({ kind: 'sqlite', file: resolve('data/promowatch.db') });
    expect(resolveStoreTarget({ env: { PROMOWATCH_DB: '/srv/pw.db' } })).toEqual({
      kind: 'sqlite',
      file: '/srv/pw.db',
    });
  });

  it('takes PROMOWATCH_DATABASE_URL over database.url, and an explicit --db over both', () => {
    expect(resolveStoreTarget({ env: {}, configUrl: PG })).toEqual({ kind: 'postgres', url: PG });
    expect(
      resolveStoreTarget({ env: { PROMOWATCH_DATABASE_URL: 'postgresql://x@h/y' }, configUrl: PG }),
    ).toEqual({
      kind: 'postgres',
      url: 'postgresql://x@h/y',
    });
    expect(resolveStoreTarget({ dbFlag: 'my.db', env: { PROMOWATCH_DATABASE_URL: PG } })).toEqual({
      kind: 'sqlite',
      file: resolve('my.db'),
    });
  });
});

describe('parseStoreUrl()', () => {
  it('reads postgres:// and sqlite:FILE, and refuses anything else without showing the password', () => {
    expect(parseStoreUrl('sqlite:data/x.db')).toEqual({ kind: 'sqlite', file: resolve('data/x.db') });
    expect(() => parseStoreUrl('mysql://root:hunter2@h/db')).toThrow(
      'Database address "mysql://root:***@h/db" is neither postgres://user:password@host:5432/name nor sqlite:FILE',
    );
    expect(() => parseStoreUrl('sqlite:')).toThrow(/needs a file/);
  });
});

describe('configuredDatabaseUrl()', () => {
  it('reads the variable database.url names, and says so when it is not set', () => {
    expect(configuredDatabaseUrl(undefined, {})).toBeUndefined();
    expect(configuredDatabaseUrl({ url: { env: 'DATABASE_URL' } }, { DATABASE_URL: PG })).toBe(PG);
    expect(() => configuredDatabaseUrl({ url: { env: 'DATABASE_URL' } }, {})).toThrow(
      /^Config: database.url reads the environment variable DATABASE_URL, which is not set/,
    );
  });
});
