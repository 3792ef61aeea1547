// The data layer behaves the same on SQLite and PostgreSQL: the same SQL, the same rows, the same errors.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { sqliteStore } from '../../src/db/store/sqlite.ts';
import { StoreError, type Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = '2026-11-01T08:00:00.000Z';

async function addSite(sql: Sql, name: string): Promise<number> {
  const row = await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [name, `https://${name}.example/`, 'Europe/Moscow', NOW],
  );
  return row!.id;
}

async function addLink(sql: Sql, siteId: number, donor: string, priceMicros: number | bigint | null) {
  return (await sql.get<{ id: number }>(
    `INSERT INTO backlinks (site_id, donor_url, target, target_kind, kind, price_micros, currency, billing, created_at)
     VALUES (@siteId, @donor, @target, 'url', 'bought', @price, 'RUB', 'one-off', @now) RETURNING id`,
    { siteId, donor, target: 'https://studio.example/', price: priceMicros, now: NOW },
  ))!.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('the $name store', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('says which dialect it speaks', () => {
    expect(sql.dialect).toBe(backend.name);
  });

  it('runs all/get/run with ? placeholders, and RETURNING gives the new id', async () => {
    const a = await addSite(sql, 'studio');
    const b = await addSite(sql, 'agency');
    expect(b).toBe(a + 1);
    expect(await sql.all('SELECT id, name FROM sites ORDER BY id')).toEqual([
      { id: a, name: 'studio' },
      { id: b, name: 'agency' },
    ]);
    expect(await sql.get('SELECT name FROM sites WHERE id = ?', [b])).toEqual({ name: 'agency' });
    expect(await sql.get('SELECT name FROM sites WHERE id = ?', [999])).toBeUndefined();
    expect(await sql.run('UPDATE sites SET time_zone = ? WHERE id >= ?', ['UTC', a])).toEqual({ changes: 2 });
    expect(await sql.run('DELETE FROM sites WHERE id = ?', [999])).toEqual({ changes: 0 });
  });

  it('takes @name placeholders (a name may repeat) and keeps mixed-case aliases as written', async () => {
    const id = await addSite(sql, 'studio');
    const row = await sql.get(
      `SELECT id AS siteId, base_url AS baseUrl, time_zone FROM sites
       WHERE (@id IS NULL OR id = @id) AND name = @name`,
      { id, name: 'studio' },
    );
    expect(row).toEqual({ siteId: id, baseUrl: 'https://studio.example/', time_zone: 'Europe/Moscow' });
    // A literal holding ? or @ is text, not a placeholder.
    expect(await sql.get(`SELECT 'who? @me' AS text, COUNT(*) AS n FROM sites WHERE id = ?`, [id])).toEqual({
      text: 'who? @me',
      n: 1,
    });
  });

  it('returns booleans as 1/0 and stores a boolean parameter as 1/0', async () => {
    const id = await addSite(sql, 'studio');
    await sql.run(
      `INSERT INTO uptime_checks (site_id, url, checked_at, ok) VALUES (?, 'https://studio.example/', ?, ?)`,
      [id, NOW, true],
    );
    expect(await sql.get('SELECT ok, ok = 1 AS up, ok = 0 AS down FROM uptime_checks')).toEqual({
      ok: 1,
      up: 1,
      down: 0,
    });
  });

  it('round-trips money in integer micros up to 2^53 − 1, sums included', async () => {
    const site = await addSite(sql, 'studio');
    const big = Number.MAX_SAFE_INTEGER;
    await addLink(sql, site, 'https://a.example/', big);
    await addLink(sql, site, 'https://b.example/', 1_500_000_000);
    expect(await sql.all('SELECT price_micros FROM backlinks ORDER BY id')).toEqual([
      { price_micros: big },
      { price_micros: 1_500_000_000 },
    ]);
    expect(
      await sql.get('SELECT SUM(price_micros) AS total FROM backlinks WHERE price_micros < ?', [big]),
    ).toEqual({
      total: 1_500_000_000,
    });
    expect(
      await sql.get(
        'SELECT COUNT(*) AS n, AVG(price_micros) AS avg FROM backlinks WHERE id > 0 AND price_micros < ?',
        [big],
      ),
    ).toEqual({ n: 1, avg: 1_500_000_000 });
  });

  it('refuses to read an integer a JS number cannot hold, naming the column and the SQL', async () => {
    const site = await addSite(sql, 'studio');
    await addLink(sql, site, 'https://a.example/', 2n ** 60n);
    const read = sql.get('SELECT price_micros FROM backlinks');
    await expect(read).rejects.toThrow(StoreError);
    await expect(read).rejects.toThrow(
      /column price_micros holds 1152921504606846976, beyond .* — in SQL: SELECT price_micros FROM backlinks/,
    );
    // A sum that overflows 2^53 is refused too, not rounded.
    await addLink(sql, site, 'https://b.example/', Number.MAX_SAFE_INTEGER);
    await sql.run('UPDATE backlinks SET price_micros = 1 WHERE donor_url = ?', ['https://a.example/']);
    await addLink(sql, site, 'https://c.example/', Number.MAX_SAFE_INTEGER);
    await expect(sql.get('SELECT SUM(price_micros) AS total FROM backlinks')).rejects.toThrow(
      /column total holds/,
    );
  });

  it('keeps unicode text and binary data as they were', async () => {
    const text = 'Студия «Кадр» — видео 🎬, ёлка, 東京, e\u0301';
    await sql.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['name', text]);
    expect(await sql.get('SELECT value, length(value) AS chars FROM meta WHERE key = ?', ['name'])).toEqual({
      value: text,
      chars: [...text].length,
    });
    const site = await addSite(sql, 'studio');
    const kw = await sql.get<{ id: number }>(
      `INSERT INTO keywords (site_id, query, engine, device, region, created_at)
       VALUES (?, 'видеостудия москва', 'yandex', 'desktop', 'lr=213', ?) RETURNING id`,
      [site, NOW],
    );
    const raw = Buffer.from([0, 1, 2, 255, 254, 0x1f, 0x8b]);
    await sql.run(
      `INSERT INTO serp_pages (keyword_id, day, source, fetched_at, depth, raw) VALUES (?, '2026-11-01', 'x', ?, 10, ?)`,
      [kw!.id, NOW, raw],
    );
    const page = await sql.get<{ raw: Buffer }>('SELECT raw FROM serp_pages');
    expect(Buffer.compare(page!.raw, raw)).toBe(0);
  });

  it('commits a transaction that resolves, with the value it returned', async () => {
    const result = await sql.transaction(async (tx) => {
      const id = await addSite(tx, 'studio');
      await sleep(5);
      await addSite(tx, 'agency');
      return id;
    });
    expect(typeof result).toBe('number');
    expect(await sql.get('SELECT COUNT(*) AS n FROM sites')).toEqual({ n: 2 });
  });

  it('rolls back a transaction that throws and rethrows its error as it was', async () => {
    const boom = new Error('the fetch failed half-way');
    await expect(
      sql.transaction(async (tx) => {
        await addSite(tx, 'studio');
        await sleep(5);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await sql.get('SELECT COUNT(*) AS n FROM sites')).toEqual({ n: 0 });
    // A failing statement inside rolls back the statements before it.
    await expect(
      sql.transaction(async (tx) => {
        await addSite(tx, 'studio');
        await addSite(tx, 'studio');
      }),
    ).rejects.toMatchObject({ violation: 'unique' });
    expect(await sql.get('SELECT COUNT(*) AS n FROM sites')).toEqual({ n: 0 });
  });

  it('lets nothing from outside see or land in a transaction half-way', async () => {
    let inside = false;
    const tx = sql.transaction(async (tx) => {
      await addSite(tx, 'studio');
      inside = true;
      await sleep(50);
      await addSite(tx, 'agency');
    });
    while (!inside) await sleep(1);
    // Read and write through the outer handle while the transaction waits between its two inserts.
    const [seen] = await Promise.all([sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sites'), tx]);
    expect([0, 2]).toContain(seen!.n);
    // SQLite has one connection: the read waited for the commit. PostgreSQL's ran beside it, on another.
    if (backend.name === 'sqlite') expect(seen!.n).toBe(2);
    // Two transactions at once each see their own writes only, and both land whole.
    await Promise.all(
      ['one', 'two'].map((name) =>
        sql.transaction(async (tx) => {
          await addSite(tx, `${name}-a`);
          await sleep(20);
          const mine = await tx.all<{ name: string }>(
            `SELECT name FROM sites WHERE name LIKE ? ORDER BY name`,
            [`${name}-%`],
          );
          expect(mine.map((r) => r.name)).toEqual([`${name}-a`]);
          await addSite(tx, `${name}-b`);
        }),
      ),
    );
    expect(await sql.get('SELECT COUNT(*) AS n FROM sites')).toEqual({ n: 6 });
  });

  it('runs a nested transaction as a savepoint: its rollback keeps the outer work', async () => {
    await sql.transaction(async (tx) => {
      await addSite(tx, 'studio');
      await expect(
        tx.transaction(async (inner) => {
          await addSite(inner, 'agency');
          throw new Error('undo only this');
        }),
      ).rejects.toThrow('undo only this');
      await tx.transaction(async (inner) => addSite(inner, 'clinic'));
    });
    expect(
      (await sql.all<{ name: string }>('SELECT name FROM sites ORDER BY name')).map((r) => r.name),
    ).toEqual(['clinic', 'studio']);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let kept: Sql | undefined;
    await sql.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.get('SELECT 1 AS one')).rejects.toThrow(/after its transaction ended/);
  });

  it('names the SQL in the error of a bad query, with the kind of rule broken', async () => {
    await expect(sql.all('SELECT nope FROM sites WHERE id = ?', [1])).rejects.toThrow(
      /nope.* — in SQL: SELECT nope FROM sites WHERE id = \?$/,
    );
    await addSite(sql, 'studio');
    await expect(addSite(sql, 'studio')).rejects.toMatchObject({ name: 'StoreError', violation: 'unique' });
    await expect(
      sql.run('INSERT INTO events (site_id, day, title, created_at) VALUES (?, ?, ?, ?)', [
        999,
        '2026-11-01',
        'x',
        NOW,
      ]),
    ).rejects.toMatchObject({ violation: 'foreign-key' });
    await expect(
      sql.run('INSERT INTO events (site_id, day, title, created_at) VALUES (NULL, ?, ?, ?)', [
        '1 Nov',
        'x',
        NOW,
      ]),
    ).rejects.toMatchObject({ violation: 'check' });
    await expect(sql.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['k', undefined])).rejects.toThrow(
      /parameter 2 is undefined/,
    );
    await expect(sql.get('SELECT name FROM sites WHERE id = @id', {})).rejects.toThrow(/id/);
  });

  // The spellings the conversion of the query modules uses where SQLite's own differ from PostgreSQL's
  // (INSERT OR IGNORE/REPLACE, `IS ?`, NULL order): each gives the same rows on both backends.
  it('runs the portable spellings of upsert, null-safe equality and NULL order alike', async () => {
    await sql.run(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING`, ['a', '1']);
    await sql.run(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING`, ['a', '2']);
    await sql.run(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ['b', '1'],
    );
    await sql.run(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ['b', '2'],
    );
    expect(await sql.all('SELECT key, value FROM meta ORDER BY key')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    const site = await addSite(sql, 'studio');
    await sql.run(
      `INSERT INTO events (site_id, day, title, created_at) VALUES (NULL, '2026-11-01', 'all', ?)`,
      [NOW],
    );
    await sql.run(`INSERT INTO events (site_id, day, title, created_at) VALUES (?, '2026-11-02', 'one', ?)`, [
      site,
      NOW,
    ]);
    const titles = async (siteId: number | null) =>
      (
        await sql.all<{ title: string }>('SELECT title FROM events WHERE site_id IS NOT DISTINCT FROM ?', [
          siteId,
        ])
      ).map((r) => r.title);
    expect(await titles(null)).toEqual(['all']);
    expect(await titles(site)).toEqual(['one']);
    // SQLite sorts NULL first, PostgreSQL last, unless the query says which.
    expect(
      (await sql.all<{ title: string }>('SELECT title FROM events ORDER BY site_id ASC NULLS FIRST')).map(
        (r) => r.title,
      ),
    ).toEqual(['all', 'one']);
    expect(await sql.get('SELECT 7 / 2 AS i, 7 / 2.0 AS f, SUM(id) AS none FROM sites WHERE id < 0')).toEqual(
      {
        i: 3,
        f: 3.5,
        none: null,
      },
    );
    expect(await sql.all('SELECT name FROM sites ORDER BY id LIMIT ? OFFSET ?', [1, 0])).toEqual([
      { name: 'studio' },
    ]);
  });

  it('runs several statements with exec()', async () => {
    await sql.exec(
      `INSERT INTO meta (key, value) VALUES ('a', '1'); INSERT INTO meta (key, value) VALUES ('b', '2');`,
    );
    expect(await sql.all('SELECT key, value FROM meta ORDER BY key')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
  });

  it('keeps the CHECKs of the schema: JSON columns, ISO days, e-mail case', async () => {
    const site = await addSite(sql, 'studio');
    await expect(
      sql.run(
        `INSERT INTO job_runs (job, site_id, trigger, started_at, status, counts, pid) VALUES ('uptime', ?, 'cli', ?, 'ok', ?, 1)`,
        [site, NOW, '{not json'],
      ),
    ).rejects.toMatchObject({ violation: 'check' });
    const user = `INSERT INTO users (email, password_hash, role, created_at) VALUES (?, 'scrypt$1$2$3$s$h', 'admin', ?)`;
    await sql.run(user, ['anna@studio.example', NOW]);
    await expect(sql.run(user, ['Anna@Studio.example', NOW])).rejects.toMatchObject({ violation: 'unique' });
    expect(await sql.get('SELECT email FROM users WHERE email = ?', ['ANNA@studio.example'])).toEqual({
      email: 'anna@studio.example',
    });
    await expect(sql.run(user, ['no-at-sign', NOW])).rejects.toMatchObject({ violation: 'check' });
  });
});

describe('sqliteStore(db) during the move to the interface', () => {
  it('shares the connection the unconverted modules use, and leaves it open on close()', async () => {
    const db = openDatabase(':memory:');
    const sql = sqliteStore(db);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('from', 'db')`).run();
    await sql.run(`INSERT INTO meta (key, value) VALUES ('from-store', 'store')`);
    expect(db.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 2 });
    expect(await sql.get(`SELECT value FROM meta WHERE key = 'from'`)).toEqual({ value: 'db' });
    await sql.close();
    expect(db.open).toBe(true);
    db.close();
  });
});
