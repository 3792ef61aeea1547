import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import { checkSecondFactor, beginTotp, confirmTotp } from '../../src/auth/second-factor.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import {
  createSession,
  endUserSessions,
  listUserSessions,
  resumeSession,
  type SessionPolicy,
} from '../../src/auth/sessions.ts';
import { base32Decode, totp } from '../../src/auth/totp.ts';
import { addUser, removeUser, setDisabled } from '../../src/auth/users.ts';
import { closeDatabase } from '../../src/db/open.ts';
import { FakeClock, tempDb } from '../helpers.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 8 };

async function setup() {
  const { db, file } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const admin = addUser(
    db,
    {
      email: 'Owner@Studio.example',
      role: 'admin',
      passwordHash: await hashPassword('owner password 1', CHEAP),
    },
    clock.now(),
  );
  const viewer = addUser(
    db,
    {
      email: 'client@bakery.example',
      role: 'viewer',
      passwordHash: await hashPassword('client password 1', CHEAP),
    },
    clock.now(),
  );
  return { db, file, clock, admin, viewer };
}

describe('sessions', () => {
  it('end after the idle time without use, and use moves the idle expiry on', async () => {
    const { db, clock, viewer } = await setup();
    const token = createSession(db, viewer.id, { now: clock.now(), policy: POLICY });
    clock.advance(29 * 60_000);
    expect(resumeSession(db, token, clock.now(), POLICY)?.user.id).toBe(viewer.id);
    clock.advance(29 * 60_000);
    expect(resumeSession(db, token, clock.now(), POLICY)?.user.id).toBe(viewer.id);
    clock.advance(31 * 60_000);
    expect(resumeSession(db, token, clock.now(), POLICY)).toBeNull();
  });

  it('end at the absolute time however busy', async () => {
    const { db, clock, viewer } = await setup();
    const token = createSession(db, viewer.id, { now: clock.now(), policy: POLICY });
    for (let m = 0; m < 8 * 60 - 20; m += 20) {
      clock.advance(20 * 60_000);
      expect(resumeSession(db, token, clock.now(), POLICY)).not.toBeNull();
    }
    clock.advance(20 * 60_000);
    expect(resumeSession(db, token, clock.now(), POLICY)).toBeNull();
  });

  it('end at once when the user is disabled or removed', async () => {
    const { db, clock, admin, viewer } = await setup();
    const a = createSession(db, viewer.id, { now: clock.now(), policy: POLICY });
    setDisabled(db, viewer.id, true, clock.now());
    expect(resumeSession(db, a, clock.now(), POLICY)).toBeNull();
    setDisabled(db, viewer.id, false, clock.now());
    const b = createSession(db, viewer.id, { now: clock.now(), policy: POLICY });
    removeUser(db, viewer.id);
    expect(resumeSession(db, b, clock.now(), POLICY)).toBeNull();
    expect(() => removeUser(db, admin.id)).toThrow(/last active admin/);
  });

  it('log out everywhere but here', async () => {
    const { db, clock, admin } = await setup();
    const here = createSession(db, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.1' });
    const there = createSession(db, admin.id, { now: clock.now(), policy: POLICY, ip: '192.0.2.2' });
    expect(
      listUserSessions(db, admin.id, clock.now())
        .map((s) => s.ip)
        .sort(),
    ).toEqual(['192.0.2.1', '192.0.2.2']);
    const current = resumeSession(db, here, clock.now(), POLICY)!.session;
    expect(endUserSessions(db, admin.id, current.id)).toBe(1);
    expect(resumeSession(db, there, clock.now(), POLICY)).toBeNull();
    expect(resumeSession(db, here, clock.now(), POLICY)).not.toBeNull();
  });
});

describe('the database file', () => {
  it('holds no plaintext password, session token or recovery code', async () => {
    const { db, file, clock, admin } = await setup();
    const token = createSession(db, admin.id, { now: clock.now(), policy: POLICY });
    const sql = storeOf(db);
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
