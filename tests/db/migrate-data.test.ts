// `promowatch migrate-data` copies the demo's database (every table holding rows) into a throwaway
// PostgreSQL and proves it with identical per-table checksums; a tampered row, a value that changed kind
// on the way, or a target that already holds data make it fail.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { demoNowOn, startDemo } from '../../src/cli/demo/run-demo.ts';
import { TableDigest } from '../../src/db/store/copy.ts';
import { openStore } from '../../src/db/store/open.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { suiteSetup, tempDir } from '../helpers.ts';

afterAll(stopPgServer);

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: new Promise(() => {}),
    isTTY: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const NOW = '2026-11-01T09:00:00.000Z';
const HASH = (c: string) => c.repeat(64);

/** Rows for the tables the demo leaves empty, and values at the edges of what the schema holds. */
function seedTheRest(file: string): void {
  const db = new BetterSqlite3(file);
  const user = (db.prepare(`SELECT id FROM users ORDER BY id LIMIT 1`).get() as { id: number }).id;
  const site = (db.prepare(`SELECT id FROM sites ORDER BY id LIMIT 1`).get() as { id: number }).id;
  const key = (db.prepare(`SELECT id FROM api_keys ORDER BY id LIMIT 1`).get() as { id: number }).id;
  const link = (db.prepare(`SELECT id FROM backlinks ORDER BY id LIMIT 1`).get() as { id: number }).id;
  db.prepare(`INSERT INTO api_key_sites (key_id, site_id) VALUES (?, ?)`).run(key, site);
  db.prepare(
    `INSERT INTO backlink_tool_states (backlink_id, tool, nofollow, sponsored, ugc, lost, lost_on, imported_at)
     VALUES (?, 'ahrefs', 0, 1, NULL, 1, '2026-10-30', ?)`,
  ).run(link, NOW);
  db.prepare(`INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`).run(
    user,
    HASH('a'),
    NOW,
  );
  db.prepare(
    `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, '127.0.0.1', 'Mozilla/5.0 «тест»')`,
  ).run(HASH('b'), user, NOW, NOW, NOW, NOW);
  db.prepare(
    `INSERT INTO totp (user_id, secret, created_at, last_step) VALUES (?, 'JBSWY3DPEHPK3PXP', ?, 59000000)`,
  ).run(user, NOW);
  // The largest money a JS number holds exactly, and a fraction that has no short decimal form.
  db.prepare(`UPDATE backlinks SET price_micros = ? WHERE id = ?`).run(Number.MAX_SAFE_INTEGER, link);
  db.prepare(`UPDATE crawls SET health = ? WHERE id = (SELECT MIN(id) FROM crawls)`).run(0.1 + 0.2);
  // The limit tables (migration 017): transient bookkeeping, copied like everything else.
  const ms = Date.parse(NOW);
  db.prepare(`INSERT INTO limit_keys (key, next_start_ms) VALUES ('host:donor.example', ?)`).run(ms + 50);
  db.prepare(
    `INSERT INTO limit_holds (token, key, holder, start_at_ms, started_ms, gap_ms, lease_until_ms)
     VALUES ('t1', 'host:donor.example', 'worker-1 pid 7', ?, NULL, 50, ?)`,
  ).run(ms, ms + 30_000);
  db.prepare(
    `INSERT INTO run_locks (name, token, holder, acquired_at, lease_until_ms) VALUES ('crawl:1', 't2', 'worker-1 pid 7', ?, ?)`,
  ).run(NOW, ms + 60_000);
  db.prepare(`INSERT INTO rate_buckets (key, tokens, at_ms) VALUES ('api-key:1', ?, ?)`).run(59 + 1 / 3, ms);
  db.prepare(`INSERT INTO rate_windows (key, count, reset_at_ms) VALUES ('login:all', 3, ?)`).run(
    ms + 900_000,
  );
  db.close();
}

const describePg = describe.runIf(pgAvailable());

describePg('promowatch migrate-data', () => {
  let source = '';
  beforeAll(async () => {
    const dir = await suiteSetup(async () => tempDir());
    const demo = await startDemo({
      dbPath: join(dir, 'live', 'demo.db'),
      port: 0,
      days: 7,
      rankDays: 14,
      now: demoNowOn('2026-11-01', 'migrate-data test'),
      people: true,
      log: memoryLogger(),
    });
    await demo.close();
    source = join(dir, 'demo.db');
    copyFileSync(demo.dbPath, source);
    seedTheRest(source);
  }, 180_000);

  it('copies the demo database with identical row counts and checksums in every table', async () => {
    // Every table holds rows, so each one's copy is really checked (a new table needs a row in seedTheRest).
    const db = new BetterSqlite3(source, { readonly: true });
    const tables = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const counts = Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
    db.close();
    expect(Object.entries(counts).filter(([, n]) => n === 0)).toEqual([]);

    const url = await (await pgServer()).createDatabase();
    const r = await cli(['migrate-data', '--from', `sqlite:${source}`, '--to', url]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^TABLE +SOURCE ROWS +TARGET ROWS +CHECKSUM +RESULT$/);
    for (const t of tables)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${t} +${counts[t]} +${counts[t]} +[0-9a-f]{16} +ok$`)),
      );
    expect(r.out).toMatch(/every table's row count and checksum match/);

    // Read back through the PostgreSQL store: the same values, and new rows get fresh ids.
    const pg = await openStore({ kind: 'postgres', url });
    try {
      expect(await pg.get(`SELECT MAX(price_micros) AS p FROM backlinks`)).toEqual({
        p: Number.MAX_SAFE_INTEGER,
      });
      expect(await pg.get(`SELECT health FROM crawls ORDER BY id LIMIT 1`)).toEqual({ health: 0.1 + 0.2 });
      const maxSite = (await pg.get<{ m: number }>(`SELECT MAX(id) AS m FROM sites`))!.m;
      const added = await pg.get<{ id: number }>(
        `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('clinic', 'https://clinic.example/', 'UTC', ?) RETURNING id`,
        [NOW],
      );
      expect(added!.id).toBe(maxSite + 1);
      await pg.run(`DELETE FROM sites WHERE name = 'clinic'`);

      // --verify agrees now; one tampered row makes it fail, naming that table only.
      expect((await cli(['migrate-data', '--verify', '--from', `sqlite:${source}`, '--to', url])).code).toBe(
        0,
      );
      await pg.run(
        `UPDATE backlinks SET price_micros = price_micros - 1 WHERE id = (SELECT MIN(id) FROM backlinks)`,
      );
      const tampered = await cli(['migrate-data', '--verify', '--from', `sqlite:${source}`, '--to', url]);
      expect(tampered.code).toBe(1);
      expect(tampered.out.split('\n').filter((l) => / MISMATCH$/.test(l))).toEqual([
        expect.stringMatching(/^backlinks +15 +15 +[0-9a-f]{16} ≠ [0-9a-f]{16} +MISMATCH$/),
      ]);
      expect(tampered.err).toMatch(/1 table\(s\) differ .*: backlinks$/);

      // A second copy into the same database is refused: it already holds data.
      const again = await cli(['migrate-data', '--from', `sqlite:${source}`, '--to', url]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(
        /already holds data in ad_accounts \(2\), ad_anomalies \(1\), ad_budget_warnings \(2\) and \d+ more table\(s\); copy into a new, empty database/,
      );
    } finally {
      await pg.close();
    }
  });

  it('round-trips the demo database: SQLite → PostgreSQL → a new SQLite file, every table identical', async () => {
    const url = await (await pgServer()).createDatabase();
    expect((await cli(['migrate-data', '--from', `sqlite:${source}`, '--to', url])).code).toBe(0);
    const back = join(tempDir(), 'back.db');
    const r = await cli(['migrate-data', '--from', url, '--to', `sqlite:${back}`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/every table's row count and checksum match/);
    expect(r.out).toMatch(/Next: point promowatch at .*back\.db/);

    // Independently of the command's own check: each table's checksum, read raw from both files.
    const digests = (file: string) => {
      const db = new BetterSqlite3(file, { readonly: true });
      try {
        const names = (
          db
            .prepare(
              `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
            )
            .all() as { name: string }[]
        ).map((t) => t.name);
        return Object.fromEntries(
          names.map((name) => {
            const d = new TableDigest();
            for (const row of db.prepare(`SELECT * FROM "${name}"`).raw(true).safeIntegers(true).iterate())
              d.add(row as unknown[]);
            return [name, `${d.rows} ${d.checksum}`];
          }),
        );
      } finally {
        db.close();
      }
    };
    const before = digests(source);
    expect(Object.keys(before).length).toBeGreaterThan(30);
    expect(digests(back)).toEqual(before);
    // The copy is a working install: new rows get fresh ids after the copied ones.
    const db = new BetterSqlite3(back);
    try {
      const max = (db.prepare('SELECT MAX(id) AS m FROM sites').get() as { m: number }).m;
      const added = db
        .prepare(
          `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('clinic', 'https://clinic.example/', 'UTC', ?)`,
        )
        .run(NOW);
      expect(Number(added.lastInsertRowid)).toBeGreaterThan(max);
    } finally {
      db.close();
    }
    // Both ends on one backend is refused with the tool to use instead.
    const same = await cli(['migrate-data', '--from', `sqlite:${source}`, '--to', `sqlite:${back}`]);
    expect(same).toMatchObject({ code: 2, err: expect.stringContaining('promowatch backup FILE') });
    // Copying into the filled file again is refused.
    const again = await cli(['migrate-data', '--from', url, '--to', `sqlite:${back}`]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds data in .*a new SQLite file/);
  });

  it('keeps nothing when a value does not survive the trip (a blob in a text column)', async () => {
    const odd = join(tempDir(), 'odd.db');
    copyFileSync(source, odd);
    const db = new BetterSqlite3(odd);
    // SQLite keeps whatever it is given; PostgreSQL turns the bytes into text, so the checksum differs.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('odd', ?)`).run(Buffer.from([1, 2, 3]));
    db.close();
    const url = await (await pgServer()).createDatabase();
    const r = await cli(['migrate-data', '--from', `sqlite:${odd}`, '--to', url]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^meta +(\d+) +\1 +[0-9a-f]{16} ≠ [0-9a-f]{16} +MISMATCH$/m);
    expect(r.err).toMatch(/differs from the source in meta; nothing was kept/);
    const pg = await openStore({ kind: 'postgres', url });
    try {
      expect(await pg.get('SELECT COUNT(*) AS n FROM sites')).toEqual({ n: 0 });
    } finally {
      await pg.close();
    }
  });

  it('refuses a missing source file and a target that is not PostgreSQL', async () => {
    expect(
      await cli([
        'migrate-data',
        '--from',
        'sqlite:/nonexistent/promowatch.db',
        '--to',
        'postgres://x@127.0.0.1:1/x',
      ]),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining('there is no database at /nonexistent/promowatch.db'),
    });
    expect((await cli(['migrate-data', '--from', `sqlite:${source}`, '--to', 'mysql://x'])).code).toBe(2);
  });
});

describe('the copy checksum', () => {
  it('ignores row order, and tells numbers, text, bytes and NULL apart', () => {
    const sum = (rows: unknown[][]) => {
      const d = new TableDigest();
      for (const r of rows) d.add(r);
      return d.checksum;
    };
    expect(
      sum([
        [1, 'a'],
        [2, 'b'],
      ]),
    ).toBe(
      sum([
        [2, 'b'],
        [1, 'a'],
      ]),
    );
    expect(sum([[1n, 2.5]])).toBe(sum([[1, 2.5]]));
    expect(sum([[1]])).not.toBe(sum([['1']]));
    expect(sum([[null]])).not.toBe(sum([['']]));
    expect(sum([['ab']])).not.toBe(sum([[Buffer.from('ab')]]));
    expect(sum([['a', 'b']])).not.toBe(sum([['a\u0000', 'b']]));
    // A duplicated row counts twice (crawl_links may hold the same link twice).
    expect(sum([[1], [1]])).not.toBe(sum([[1]]));
  });
});
