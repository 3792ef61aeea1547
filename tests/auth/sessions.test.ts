import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import { checkSecondFactor, beginTotp, confirmTotp } from '../../src/auth/second-factor.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import {
  createSession,
  endSession,
  endSessionByToken,
  endUserSessions,
  listUserSessions,
  resumeSession,
  type SessionPolicy,
} from '../../src/auth/sessions.ts';
import { base32Decode, totp } from '../../src/auth/totp.ts';
import { addUser, removeUser, setDisabled } from '../../src/auth/users.ts';
import { closeDatabase } from '../../src/db/open.ts';
import { BACKENDS, stopPgServer, type Backend } from '../pg/backends.ts';
import { FakeClock, tempDb, describeSqliteOnly } from '../helpers.ts';

afterAll(stopPgServer);

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 8 };

async function withUsers(sql: Sql) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const admin = await addUser(
    sql,
    {
      email: 'Owner@Studio.example',
      role: 'admin',
      passwordHash: await hashPassword('owner password 1', CHEAP),
    },
    clock.now(),
  );
  const viewer = await addUser(
    sql,
    {
      email: 'client@bakery.example',
      role: 'viewer',
      passwordHash: await hashPassword('client password 1', CHEAP),
    },
    clock.now(),
  );
  return { sql, clock, admin, viewer };
}

async function setup(backend: Backend) {
  return withUsers((await backend.open()).sql);
}

describe.each(BACKENDS)('sessions on $name', (backend) => {
  it('end after the idle time without use, and use moves the idle expiry on', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const token = await createSession(sql, viewer.id, { now: clock.now(), policy: POLICY });
    clock.advance(29 * 60_000);
    expect((await resumeSession(sql, token, clock.now(), POLICY))?.user.id).toBe(viewer.id);
    clock.advance(29 * 60_000);
    expect((await resumeSession(sql, token, clock.now(), POLICY))?.user.id).toBe(viewer.id);
    clock.advance(31 * 60_000);
    expect(await resumeSession(sql, token, clock.now(), POLICY)).toBeNull();
    await sql.close();
  });

  it('end at the absolute time however busy', async () => {
    const { sql, clock, viewer } = await setup(backend);
    const token = await createSession(sql, viewer.id, { now: clock.now(), policy: POLICY });
    for (let m = 0; m < 8 * 60 - 20; m += 20) {
      clock.advance(20 * 60_000);
      expect(await resumeSession(sql, token, clock.now(), POLICY)).not.toBeNull();
    }
    clock.advance(20 * 60_000);
    expect(await resumeSession(sql, token, clock.now(), POLICY)).toBeNull();
    await sql.close();
  });

  it('end at once when the user is disabled or removed', async () => {
    const { sql, clock, admin, viewer } = await setup(backend);
    const a = await createSession(sql, viewer.id, { now: clock.now(), policy: POLICY });
    await setDisabled(sql, viewer.id, true, clock.now());
    expect(await resumeSession(sql, a, clock.now(), POLICY)).toBeNull();
    await setDisabled(sql, viewer.id, false, clock.now());
    const b = await createSession(sql, viewer.id, { now: clock.now(), policy: POLICY });
    await removeUser(sql, viewer.id);
    expect(await resumeSession(sql, b, clock.now(), POLICY)).toBeNull();
    await expect(removeUser(sql, admin.id)).rejects.toThrow(/last active admin/);
    await sql.close();
  });

  it('log out everywhere but here', async () => {
    const { sql, clock, admin } = await setup(backend);
    const here = await createSession(sql, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.1' });
    const there = await createSession(sql, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.2' });
    expect((await listUserSessions(sql, admin.id, clock.now())).map((s) => s.ip).sort()).toEqual([
      '192.0.2.1',
      '192.0.2.2',
    ]);
    const current = (await resumeSession(sql, here, clock.now(), POLICY))!.session;
    expect(await endUserSessions(sql, admin.id, current.id)).toBe(1);
    expect(await resumeSession(sql, there, clock.now(), POLICY)).toBeNull();
    expect(await resumeSession(sql, here, clock.now(), POLICY)).not.toBeNull();
    await sql.close();
  });

  it('lists live full sessions, latest use first, and ends one by id or by token', async () => {
    const { sql, clock, admin } = await setup(backend);
    const first = await createSession(sql, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.1' });
    await createSession(sql, admin.id, { now: clock.now(), policy: POLICY, stage: 'totp', ip: '192.0.2.9' });
    clock.advance(2 * 60_000);
    const second = await createSession(sql, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.2' });
    clock.advance(2 * 60_000);
    // Using the first session moves it to the top.
    const used = (await resumeSession(sql, first, clock.now(), POLICY))!.session;
    expect((await listUserSessions(sql, admin.id, clock.now())).map((s) => s.ip)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
    ]);
    await endSession(sql, used.id);
    await endSessionByToken(sql, second);
    expect(await listUserSessions(sql, admin.id, clock.now())).toEqual([]);
    await sql.close();
  });
});

describeSqliteOnly('reads the bytes of the SQLite file', 'the database file', () => {
  it('holds no plaintext password, session token or recovery code', async () => {
    const { db, file } = tempDb();
    const { sql, clock, admin } = await withUsers(storeOf(db));
    const token = await createSession(sql, admin.id, { now: clock.now(), policy: POLICY });
    const secret = await beginTotp(sql, admin.id, clock.now());
    const codes = (await confirmTotp(sql, admin.id, totp(base32Decode(secret), clock.now()), clock.now()))!;
    expect(codes).toHaveLength(10);
    expect(await checkSecondFactor(sql, admin.id, codes[0]!, clock.now())).toBe('recovery');
    expect(await checkSecondFactor(sql, admin.id, codes[0]!, clock.now())).toBeNull();
    closeDatabase(db);
    const bytes = readFileSync(file);
    for (const secretText of [
      'owner password 1',
      'client password 1',
      token,
      ...codes,
      ...codes.map((c) => c.replace(/-/g, '')),
    ])
      expect(bytes.includes(Buffer.from(secretText)), secretText).toBe(false);
    // The scan can fail: the e-mail is stored as typed-then-lower-cased, and is found.
    expect(bytes.includes(Buffer.from('owner@studio.example'))).toBe(true);
  });
});
