// The throwaway PostgreSQL cluster: it starts, answers on 127.0.0.1, and is gone after stop(); without
// PostgreSQL the tests say what to install, and fail instead of skipping when PROMOWATCH_TEST_PG=1.
import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_BIN, pgAvailable, startPgServer } from './server.ts';

describe('pgAvailable()', () => {
  it('skips with a message saying what to install, or fails when PostgreSQL was required', () => {
    const said: string[] = [];
    expect(pgAvailable(null, {}, (m) => said.push(m))).toBe(false);
    expect(said).toEqual([
      expect.stringMatching(
        /^Skipping PostgreSQL tests: PostgreSQL is not installed .*apt-get install postgresql/,
      ),
    ]);
    expect(() => pgAvailable(null, { PROMOWATCH_TEST_PG: '1' })).toThrow(
      /^PROMOWATCH_TEST_PG=1, but PostgreSQL is not installed/,
    );
    expect(pgAvailable('/usr/lib/postgresql/15/bin', { PROMOWATCH_TEST_PG: '1' })).toBe(true);
    // The SQLite half of a two-backend run leaves PostgreSQL to the half after it.
    expect(pgAvailable('/usr/lib/postgresql/15/bin', { PROMOWATCH_TEST_BACKEND: 'sqlite' })).toBe(false);
  });
});

describe.runIf(pgAvailable())('startPgServer()', () => {
  it('starts a cluster on 127.0.0.1 that makes fresh databases, and removes it on stop()', async () => {
    const server = await startPgServer();
    const url = await server.createDatabase();
    expect(url).toMatch(new RegExp(`^postgres://\\w+@127\\.0\\.0\\.1:${server.port}/\\w+$`));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT current_setting('fsync') AS fsync, inet_server_addr()::text AS addr, current_setting('data_directory') AS dir`,
    );
    await client.end();
    const { dir: dataDir, ...settings } = rows[0] as { dir: string; fsync: string; addr: string };
    expect(settings).toEqual({ fsync: 'off', addr: '127.0.0.1/32' });
    expect(existsSync(dataDir)).toBe(true);
    await server.stop();
    expect(existsSync(dataDir)).toBe(false);
    expect(PG_BIN).toMatch(/bin$/);
  });
});
