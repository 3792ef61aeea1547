// The database rate limits on both backends answer exactly what the in-memory limiters they replaced
// answered (kept as models in rate-model.ts) for the same requests at the same times, count concurrent
// attempts before judging any, and hold across two dashboards on one database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { pruneLimits } from '../../src/limits/prune.ts';
import { SharedKeyRateLimiter, SharedLoginLimiter, takeToken } from '../../src/limits/rate.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { KeyRateLimiterModel, LoginLimiterModel } from './rate-model.ts';

afterAll(stopPgServer);

const T0 = Date.parse('2026-11-01T08:00:00.000Z');

/** A fixed pseudo-random sequence (mulberry32), so the scripted traffic is the same every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(BACKENDS)('rate limits on $name', (backend) => {
  let sql: Sql;
  let t: number;
  const now = () => new Date(t);
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    t = T0;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('SharedLoginLimiter answers what the in-memory rule answers, over a scripted guessing spree', async () => {
    // Small limits so the account-wide rule comes into play within the script.
    const memory = new LoginLimiterModel(now, 3, 8, 60_000);
    const shared = new SharedLoginLimiter(sql, 'login', now, 3, 8, 60_000);
    const random = seeded(17);
    const clients = ['203.0.113.1', '203.0.113.2', '198.51.100.7', '2001:db8::1', '192.0.2.44'];
    const answers: { memory: number; shared: number }[] = [];
    for (let i = 0; i < 300; i++) {
      t += Math.floor(random() * 1500);
      const client = clients[Math.floor(random() * clients.length)]!;
      const attempt = await shared.attempt(client);
      const wait = { memory: memory.retryAfterSeconds(client), shared: attempt.wait };
      answers.push(wait);
      if (wait.memory !== 0) continue;
      // Most tries are wrong; a right one counts nothing in the model and is taken back in the database.
      if (random() < 0.8) memory.fail(client);
      else await attempt.succeeded();
    }
    expect(answers.map((a) => a.shared)).toEqual(answers.map((a) => a.memory));
    // The script did reach both rules: per-client refusals and the account-wide one.
    expect(answers.filter((a) => a.memory > 0).length).toBeGreaterThan(30);
  });

  it('counts concurrent attempts before judging any, and refused ones count nothing', async () => {
    const limiter = new SharedLoginLimiter(sql, 'login', now);
    const got = await Promise.all(Array.from({ length: 12 }, () => limiter.attempt('203.0.113.1')));
    expect(got.filter((a) => a.wait === 0)).toHaveLength(5);
    expect(got.filter((a) => a.wait === 900)).toHaveLength(7);
    expect(await sql.all('SELECT key, count FROM rate_windows ORDER BY key')).toEqual([
      { key: 'login:all', count: 5 },
      { key: 'login:client:203.0.113.1', count: 5 },
    ]);
  });

  it('takes a right secret back, so a client that keeps logging in is never locked out', async () => {
    const limiter = new SharedLoginLimiter(sql, 'login', now);
    for (let i = 0; i < 12; i++) {
      const attempt = await limiter.attempt('203.0.113.1');
      expect(attempt.wait).toBe(0);
      await attempt.succeeded();
      await attempt.succeeded(); // a second call takes nothing more back
    }
    expect(await sql.all('SELECT key FROM rate_windows')).toEqual([]);
    // Two wrong, one right: the two still count.
    await limiter.attempt('203.0.113.1');
    await limiter.attempt('203.0.113.1');
    await (await limiter.attempt('203.0.113.1')).succeeded();
    expect(await sql.all('SELECT key, count FROM rate_windows ORDER BY key')).toEqual([
      { key: 'login:all', count: 2 },
      { key: 'login:client:203.0.113.1', count: 2 },
    ]);
  });

  it('SharedKeyRateLimiter answers what the in-memory bucket answers, over scripted bursts', async () => {
    const memory = new KeyRateLimiterModel(now, 30, 5);
    const shared = new SharedKeyRateLimiter(sql, now, 30, 5);
    const random = seeded(4);
    const answers: { memory: number; shared: number }[] = [];
    for (let i = 0; i < 300; i++) {
      t += random() < 0.9 ? Math.floor(random() * 200) : Math.floor(random() * 8000);
      const key = 1 + Math.floor(random() * 3);
      answers.push({ memory: memory.take(key), shared: await shared.take(key) });
    }
    expect(answers.map((a) => a.shared)).toEqual(answers.map((a) => a.memory));
    expect(answers.filter((a) => a.memory > 0).length).toBeGreaterThan(30);
  });

  it('keeps the login form and wrong bearer tokens in separate windows', async () => {
    const login = new SharedLoginLimiter(sql, 'login', now);
    const bearer = new SharedLoginLimiter(sql, 'bearer', now);
    for (let i = 0; i < 5; i++) expect((await bearer.attempt('203.0.113.1')).wait).toBe(0);
    expect((await bearer.attempt('203.0.113.1')).wait).toBe(900);
    expect((await login.attempt('203.0.113.1')).wait).toBe(0);
  });

  it('lets a burst of API-key requests through, then one per refill, with the wait in whole seconds', async () => {
    // Moved from tests/auth/api-keys.test.ts with the limiter (it was KeyRateLimiter, in memory).
    const limiter = new SharedKeyRateLimiter(sql, now, 60, 3);
    expect([await limiter.take(1), await limiter.take(1), await limiter.take(1)]).toEqual([0, 0, 0]);
    expect(await limiter.take(1)).toBe(1);
    expect(await limiter.take(2)).toBe(0);
    t += 1000;
    expect(await limiter.take(1)).toBe(0);
    expect(await limiter.take(1)).toBe(1);
  });

  it('takes exactly the tokens a bucket holds when many requests arrive at once', async () => {
    const got = await Promise.all(
      Array.from({ length: 12 }, () => takeToken(sql, 'api-key:1', { perMinute: 60, burst: 5 }, now())),
    );
    expect(got.filter((w) => w === 0).length).toBe(5);
    expect(got.filter((w) => w === 1).length).toBe(7);
  });

  it('pruneLimits() drops windows that have passed and keeps the running ones', async () => {
    const limiter = new SharedLoginLimiter(sql, 'login', now, 5, 50, 60_000);
    await limiter.attempt('203.0.113.1');
    t += 30_000;
    await limiter.attempt('203.0.113.2');
    t += 30_000;
    await pruneLimits(sql, now());
    expect(await sql.all('SELECT key FROM rate_windows ORDER BY key')).toEqual([
      { key: 'login:client:203.0.113.2' },
    ]);
  });
});

describe.each(BACKENDS)('two dashboards on one $name database', (backend) => {
  it('share failed logins and API-key buckets', async () => {
    let url = (await backend.open().then(async (b) => (await b.sql.close(), b))).url;
    let dir: string | null = null;
    if (backend.name === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'promowatch-limits-'));
      url = `sqlite:${join(dir, 'shared.db')}`;
    }
    const target = url.startsWith('sqlite:')
      ? ({ kind: 'sqlite', file: url.slice('sqlite:'.length) } as const)
      : ({ kind: 'postgres', url } as const);
    const [a, b] = [await openStore(target), await openStore(target)];
    try {
      const t = T0;
      const now = () => new Date(t);
      const onA = new SharedLoginLimiter(a, 'login', now);
      const onB = new SharedLoginLimiter(b, 'login', now);
      // Five wrong passwords spread over both replicas lock the client out on both.
      for (const limiter of [onA, onB, onA, onB, onA])
        expect((await limiter.attempt('203.0.113.1')).wait).toBe(0);
      expect((await onB.attempt('203.0.113.1')).wait).toBe(900);
      expect((await onA.attempt('203.0.113.1')).wait).toBe(900);
      // Twelve at once from another client, half on each: five are let through, as on one replica.
      const got = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? onA : onB).attempt('203.0.113.2')),
      );
      expect(got.filter((g) => g.wait === 0)).toHaveLength(5);
      const keyA = new SharedKeyRateLimiter(a, now, 120, 4);
      const keyB = new SharedKeyRateLimiter(b, now, 120, 4);
      const waits = [await keyA.take(9), await keyB.take(9), await keyA.take(9), await keyB.take(9)];
      expect(waits).toEqual([0, 0, 0, 0]);
      expect(await keyB.take(9)).toBe(1);
      expect(await keyA.take(9)).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
