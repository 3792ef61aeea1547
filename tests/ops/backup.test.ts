import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { backupDatabase, OpsError, restoreDatabase } from '../../src/ops/backup.ts';
import { writeHeartbeat } from '../../src/ops/heartbeat.ts';
import { cliInProcess } from '../cli/in-process.ts';
import { describeSqliteOnly, onCleanup, tempDir } from '../helpers.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';

const NOW = new Date('2026-11-01T10:15:30Z');

/** Why most of this file is SQLite's: promowatch has no backup code of its own for PostgreSQL. */
const SQLITE_BACKUP =
  'SQLite online backup API and PRAGMA integrity_check; PostgreSQL is backed up with pg_dump -Fc, documented, not run by promowatch';

/** A database with ~20 MB of rows still in the WAL (checkpoints off, the connection left open, as
 * under a running scheduler): a plain file copy of the .db would miss them. */
function seeded(dir: string, rows = 20_000): { file: string; close: () => void } {
  const file = join(dir, 'promowatch.db');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  db.prepare(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://s.example/', 'UTC', ?)`,
  ).run(NOW.toISOString());
  const add = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) add.run(`fill.${i}`, 'x'.repeat(1000));
  })();
  onCleanup(() => {
    if (db.open) db.close();
  });
  return { file, close: () => void db.close() };
}

/** Another connection on its own thread, inserting meta rows w.0, w.1, … until told to stop. */
function writerThread(file: string) {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Db = require(workerData.module);
     const db = new Db(workerData.file);
     db.pragma('busy_timeout = 5000');
     db.pragma('wal_autocheckpoint = 0');
     const add = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
     let n = 0;
     parentPort.postMessage('started');
     while (Atomics.load(workerData.stop, 0) === 0) { add.run('w.' + n, String(n)); n++; }
     db.close();
     parentPort.postMessage(n);`,
    {
      eval: true,
      workerData: { file, stop, module: createRequire(import.meta.url).resolve('better-sqlite3') },
    },
  );
  const messages: unknown[] = [];
  const started = new Promise<void>((r) => worker.once('message', () => r()));
  const written = new Promise<number>((resolve, reject) => {
    worker.on('message', (m) => messages.push(m) && typeof m === 'number' && resolve(m));
    worker.on('error', reject);
  });
  return {
    started,
    async stop() {
      Atomics.store(stop, 0, 1);
      return written;
    },
  };
}

describeSqliteOnly(SQLITE_BACKUP, 'backupDatabase()', () => {
  it('copies a consistent database while another connection writes in a loop', async () => {
    const dir = tempDir();
    const { file } = seeded(dir);
    const writer = writerThread(file);
    await writer.started;
    await new Promise((r) => setTimeout(r, 50));
    const out = join(dir, 'backup.db');
    const facts = await backupDatabase(file, out);
    const total = await writer.stop();
    expect(total).toBeGreaterThan(0);
    expect(facts.schemaVersion).toBeGreaterThan(0);
    expect(facts.rows.sites).toBe(1);

    const copy = new BetterSqlite3(out, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'fill.%'`).pluck().get()).toBe(20_000);
      // One moment of the database: the writer's rows are w.0 … w.(k-1) with none missing.
      const w = copy
        .prepare(`SELECT CAST(value AS INTEGER) FROM meta WHERE key LIKE 'w.%'`)
        .pluck()
        .all() as number[];
      expect(w.length).toBeGreaterThan(0);
      expect(w.length).toBeLessThanOrEqual(total);
      expect(Math.max(-1, ...w)).toBe(w.length - 1);
    } finally {
      copy.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses a file that is not a promowatch database and leaves no copy', async () => {
    const dir = tempDir();
    const other = join(dir, 'other.db');
    new BetterSqlite3(other).exec('CREATE TABLE t (x)');
    await expect(backupDatabase(other, join(dir, 'b.db'))).rejects.toMatchObject({
      problem: { kind: 'not-promowatch' },
    });
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
  });
});

describeSqliteOnly(SQLITE_BACKUP, 'restoreDatabase()', () => {
  async function backupOf(dir: string) {
    const { file, close } = seeded(dir, 10);
    const backup = join(dir, 'backup.db');
    await backupDatabase(file, backup);
    close();
    return { file, backup };
  }

  it('puts the backup in place, keeps the replaced file and checks the result', async () => {
    const dir = tempDir();
    const { file, backup } = await backupOf(dir);
    const db = openDatabase(file);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('after-backup', '1')`).run();
    closeDatabase(db);

    const r = await restoreDatabase(file, backup, { force: false, now: NOW });
    expect(r.keptAs).toBe(`${file}.before-restore-2026-11-01T10-15-30Z`);
    expect(r.restored.rows.sites).toBe(1);
    const restored = openDatabase(file);
    expect(restored.prepare(`SELECT value FROM meta WHERE key = 'after-backup'`).get()).toBeUndefined();
    expect(restored.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'fill.%'`).pluck().get()).toBe(10);
    closeDatabase(restored);
    const kept = new BetterSqlite3(r.keptAs!, { readonly: true });
    expect(kept.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(kept.prepare(`SELECT value FROM meta WHERE key = 'after-backup'`).pluck().get()).toBe('1');
    kept.close();
  });

  it('refuses a text file, a foreign SQLite file and a newer schema, changing nothing', async () => {
    const dir = tempDir();
    const { file } = await backupOf(dir);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some words that are long enough '.repeat(200));
    const foreign = join(dir, 'foreign.db');
    new BetterSqlite3(foreign).exec('CREATE TABLE t (x)');
    const newer = join(dir, 'newer.db');
    await backupDatabase(file, newer);
    new BetterSqlite3(newer).pragma('user_version = 999');
    const kind = (p: Promise<unknown>) =>
      p.then(
        () => 'restored',
        (e: unknown) => (e instanceof OpsError ? e.problem.kind : String(e)),
      );
    expect(await kind(restoreDatabase(file, text, { force: false, now: NOW }))).toBe('not-sqlite');
    expect(await kind(restoreDatabase(file, foreign, { force: false, now: NOW }))).toBe('not-promowatch');
    expect(await kind(restoreDatabase(file, newer, { force: false, now: NOW }))).toBe('too-new');
    expect(await kind(restoreDatabase(file, join(dir, 'nope.db'), { force: false, now: NOW }))).toBe(
      'missing',
    );
    expect(await kind(restoreDatabase(file, file, { force: true, now: NOW }))).toBe('same-file');
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('refuses while a scheduler beats on the target, unless forced', async () => {
    const dir = tempDir();
    const { file, backup } = await backupOf(dir);
    const db = openDatabase(file);
    await writeHeartbeat(storeOf(db), new Date(NOW.getTime() - 60_000));
    closeDatabase(db);
    await expect(restoreDatabase(file, backup, { force: false, now: NOW })).rejects.toMatchObject({
      problem: { kind: 'in-use', why: { by: 'scheduler' } },
    });
    const r = await restoreDatabase(file, backup, { force: true, now: NOW });
    expect(r.keptAs).not.toBeNull();
  });

  it('refuses while another connection holds the target open (Linux)', async () => {
    const dir = tempDir();
    const { file, backup } = await backupOf(dir);
    const writer = writerThread(file);
    await writer.started;
    try {
      // The thread is this process: judged as another holder, as a second promowatch would be.
      await expect(restoreDatabase(file, backup, { force: false, now: NOW, self: -1 })).rejects.toMatchObject(
        { problem: { kind: 'in-use', why: { by: 'process' } } },
      );
    } finally {
      await writer.stop();
    }
  });
});

describeSqliteOnly(SQLITE_BACKUP, 'promowatch backup / restore', () => {
  it('round-trips through the command line with plain messages', async () => {
    const cli = cliInProcess();
    expect((await cli('jobs')).code).toBe(0); // creates the database
    const out = join(tempDir(), 'copy.db');
    const b = await cli('backup', out);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(
      /^Backup written to .*copy\.db \(.* MB, schema version \d+, 1 site\(s\), 0 job runs\); it passed the integrity check\.$/,
    );
    const r = await cli('restore', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('The database it replaced is kept as');
    const bad = await cli('restore', cli.config);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^promowatch restore: .*promowatch\.config\.json is not an SQLite database/);
  });

  it('check-db says a database is whole, and fails on a damaged copy', async () => {
    const cli = cliInProcess();
    expect((await cli('jobs')).code).toBe(0);
    const ok = await cli('check-db');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /promowatch\.db is whole \(.* MB, schema version \d+, 1 site\(s\), 0 job runs\): it passed the integrity check\.$/,
    );
    const copy = join(tempDir(), 'damaged.db');
    await backupDatabase(cli.dbFile, copy);
    const bytes = readFileSync(copy);
    // Page 2 onwards (tables' b-tree pages) overwritten; the header on page 1 stays readable.
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 6));
    writeFileSync(copy, bytes);
    const bad = await cli('check-db', '--db', copy);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^promowatch check-db: \S+damaged\.db failed SQLite's integrity check \(Tree \d+ page \d+: [^\n]*\); nothing was changed\. Try an older backup\.$/,
    );
    const refused = await cli('restore', copy);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
  });
});

// PostgreSQL's path is the documented one (pg_dump -Fc / pg_restore, README "Growing past one machine"):
// promowatch runs no check of its own there, so what it owes is to point to it.
describe('promowatch backup on PostgreSQL', () => {
  it('points a PostgreSQL install to pg_dump in its help', async () => {
    const cli = cliInProcess();
    const help = await cli('backup', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('With PostgreSQL, use pg_dump -Fc (see the README).');
  });
});
