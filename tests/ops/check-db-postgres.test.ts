// `promowatch check-db` on PostgreSQL (PROMOWATCH_DATABASE_URL): the check a restore with pg_restore is
// followed by. It reads every table of a promowatch database, refuses a newer schema or a database
// without promowatch's tables, says so when it cannot connect — and changes nothing (no migration).
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store/open.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { cliInProcess } from '../cli/in-process.ts';
import { closedPortUrl } from '../helpers.ts';
import { freshPgUrl, pgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';

describe.runIf(pgAvailable())('promowatch check-db on PostgreSQL', () => {
  it('reads a promowatch database through, with its schema version and counts, and hides the password', async () => {
    const url = await freshPgUrl();
    const cli = cliInProcess(['studio'], { PROMOWATCH_DATABASE_URL: url });
    expect((await cli('jobs')).code).toBe(0); // the config's site is written
    const r = await cli('check-db');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^postgres:\/\/\S+ reads whole \(.* MB, schema version \d+, every row of its \d+ tables read, 1 site\(s\), 0 job runs\)\.$/,
    );
    const password = new URL(url).password;
    if (password) expect(r.out).not.toContain(password);
  });

  it('refuses a schema newer than this promowatch knows', async () => {
    const url = await freshPgUrl();
    const sql = await openStore({ kind: 'postgres', url });
    const { version } = (await sql.get<{ version: number }>(`SELECT version FROM schema_version`))!;
    await sql.run(`UPDATE schema_version SET version = ?`, [version + 1]);
    await sql.close();
    const r = await cliInProcess(['studio'], { PROMOWATCH_DATABASE_URL: url })('check-db');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `has schema version ${version + 1}, but this promowatch knows versions up to ${version}`,
    );
  });

  it('calls an empty database not promowatch, and leaves it empty (no migration)', async () => {
    const url = await (await pgServer()).createDatabase();
    const r = await cliInProcess(['studio'], { PROMOWATCH_DATABASE_URL: url })('check-db');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is a PostgreSQL database, but not a promowatch one .*nothing was changed\.$/);
    const sql = connectPostgres(url);
    try {
      expect(
        await sql.get(
          `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
        ),
      ).toEqual({ n: 0 });
    } finally {
      await sql.close();
    }
  });

  it('says it could not read a database that does not answer', async () => {
    const port = new URL(await closedPortUrl()).port;
    const url = `postgres://promowatch:secret-pw@127.0.0.1:${port}/promowatch`;
    const r = await cliInProcess(['studio'], { PROMOWATCH_DATABASE_URL: url })('check-db');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^promowatch check-db: Could not read the PostgreSQL database postgres:\/\/promowatch:\*\*\*@127\.0\.0\.1:\d+\/promowatch \(.+\); nothing was changed\.$/,
    );
    expect(r.err).not.toContain('secret-pw');
  });
});
