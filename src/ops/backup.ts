// Backup and restore of the SQLite store through SQLite's online backup API
// (https://www.sqlite.org/backup.html): a consistent copy while the scheduler keeps writing, and a
// restore that checks what it is given, keeps the file it replaces, and checks the result.
import { existsSync, readdirSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { loadMigrations } from '../db/migrate.ts';
import { HEARTBEAT_KEY, heartbeatAge, HEARTBEAT_STALE_AFTER_MS } from './heartbeat.ts';

/** Tables every promowatch database has had since migration 001: a file without them is not ours. */
export const OUR_TABLES = ['sites', 'job_runs', 'meta'];

export type OpsProblem =
  | { kind: 'missing'; file: string }
  | { kind: 'not-sqlite'; file: string; detail: string }
  | { kind: 'not-promowatch'; file: string }
  | { kind: 'too-new'; file: string; found: number; known: number }
  | { kind: 'corrupt'; file: string; detail: string }
  | { kind: 'in-use'; file: string; why: InUse }
  | { kind: 'same-file'; file: string }
  /** PostgreSQL (check-db): the database could not be read, or holds no promowatch schema. */
  | { kind: 'unreachable'; file: string; detail: string }
  | { kind: 'not-promowatch-db'; file: string };

export type InUse = { by: 'scheduler'; heartbeatAt: string } | { by: 'process'; pid: number };

/** A refusal with the facts a message needs; the CLI words it from the ops catalogue. */
export class OpsError extends Error {
  constructor(readonly problem: OpsProblem) {
    super(`${problem.kind}: ${problem.file}`);
    this.name = 'OpsError';
  }
}

export interface FileFacts {
  file: string;
  schemaVersion: number;
  bytes: number;
  /** Rows of a few tables, so a person sees at a glance that the copy holds their data. */
  rows: { sites: number; jobRuns: number };
}

function openChecked(file: string, readonly: boolean): Database {
  if (!existsSync(file)) throw new OpsError({ kind: 'missing', file });
  let db: Database;
  try {
    db = new BetterSqlite3(file, { readonly, fileMustExist: true });
    db.pragma('schema_version');
  } catch (err) {
    throw new OpsError({ kind: 'not-sqlite', file, detail: (err as Error).message });
  }
  return db;
}

/** Checks a file is a whole promowatch database this version can read; returns what it holds. */
export function inspectDatabase(db: Database, file: string): FileFacts {
  const tables = new Set(
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[],
  );
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 1 || OUR_TABLES.some((t) => !tables.has(t)))
    throw new OpsError({ kind: 'not-promowatch', file });
  const known = loadMigrations().length;
  if (version > known) throw new OpsError({ kind: 'too-new', file, found: version, known });
  let check: string;
  try {
    check = db.pragma('integrity_check', { simple: true }) as string;
  } catch (err) {
    // A page too damaged to read fails the check with an error rather than a report.
    throw new OpsError({ kind: 'corrupt', file, detail: (err as Error).message });
  }
  if (check !== 'ok') throw new OpsError({ kind: 'corrupt', file, detail: firstProblems(check) });
  const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return {
    file,
    schemaVersion: version,
    bytes: statSync(file).size,
    rows: { sites: count('sites'), jobRuns: count('job_runs') },
  };
}

/** SQLite's report names up to 100 problems, one a line: the first few say enough for a message. */
function firstProblems(report: string): string {
  const lines = report
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('***'));
  const shown = lines.slice(0, 2).join('; ');
  return lines.length > 2 ? `${shown}; … ${lines.length - 2} more` : shown;
}

/**
 * Copies the database at `from` into `to` page by page with the backup API. All remaining pages go
 * in one step: in WAL mode that step is one read transaction, so writers carry on and the copy is
 * the database as of one moment (smaller steps restart whenever another connection writes, which
 * under a busy scheduler may never finish).
 */
async function copyPages(source: Database, to: string): Promise<void> {
  await source.backup(to, { progress: () => 0x7fffffff });
}

/**
 * `promowatch backup FILE`: a consistent copy of the live database at `dbFile` into `target`,
 * written beside it under a temporary name, checked (integrity, schema, rows), switched to a single
 * self-contained file (no -wal) and only then renamed into place.
 */
export async function backupDatabase(dbFile: string, target: string): Promise<FileFacts> {
  const source = openChecked(dbFile, false);
  const out = resolve(target);
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  try {
    inspectSchemaOnly(source, dbFile);
    rmSync(partial, { force: true });
    await copyPages(source, partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
  try {
    selfContained(partial, (copy) => inspectDatabase(copy, partial));
    renameSync(partial, out);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  const done = new BetterSqlite3(out, { readonly: true });
  try {
    return inspectDatabase(done, out);
  } finally {
    done.close();
  }
}

/** A copy of a WAL database is marked WAL too: switch it to one file with no -wal beside it. */
function selfContained(file: string, then?: (db: Database) => void): void {
  const copy = new BetterSqlite3(file);
  try {
    copy.pragma('journal_mode = DELETE');
    then?.(copy);
  } finally {
    copy.close();
  }
}

/** The cheap part of inspectDatabase (no integrity pass over a large live file before copying it). */
function inspectSchemaOnly(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const has = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'`);
  if (version < 1 || has.pluck().get() === 0) throw new OpsError({ kind: 'not-promowatch', file });
}

/** Other processes of this user holding the file open (Linux /proc; elsewhere none are seen). */
export function processesUsing(file: string, self = process.pid): number[] {
  const wanted = new Set([file, `${file}-wal`, `${file}-shm`].map((f) => resolve(f)));
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === self) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone: not ours to judge
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          pids.push(pid);
          break;
        }
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return pids;
}

/** Why the target looks in use: a scheduler heartbeat fresher than the stale limit, or an open handle. */
export function targetInUse(db: Database, file: string, now: Date, self = process.pid): InUse | null {
  const at = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(HEARTBEAT_KEY) as
    string | undefined;
  const age = heartbeatAge(at, now);
  if (at && age !== null && age < HEARTBEAT_STALE_AFTER_MS) return { by: 'scheduler', heartbeatAt: at };
  const [pid] = processesUsing(file, self);
  return pid === undefined ? null : { by: 'process', pid };
}

export interface RestoreResult {
  restored: FileFacts;
  /** Where the database it replaced was kept; null when there was none. */
  keptAs: string | null;
}

/** "2026-11-01T10-15-30Z": a time in a file name that sorts and has no colons (Windows, scp). */
export function fileStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/**
 * `promowatch restore FILE`: puts the backup `from` in place of the database at `dbFile`.
 * Refuses a file that is not a promowatch database, is damaged or has a newer schema, and (unless
 * `force`) a target that a running promowatch uses. The current database is first copied to
 * `<db>.before-restore-<time>`; the backup is then written into the target through the backup API
 * (SQLite locks it properly, so no -wal of the old file is left to be replayed over the new one),
 * and the result is checked again.
 */
export async function restoreDatabase(
  dbFile: string,
  from: string,
  opts: {
    force: boolean;
    now: Date;
    /** This process (tests pass another to see their own handles). */ self?: number;
  },
): Promise<RestoreResult> {
  if (resolve(from) === resolve(dbFile)) throw new OpsError({ kind: 'same-file', file: dbFile });
  const source = openChecked(from, true);
  try {
    inspectDatabase(source, from);
    let keptAs: string | null = null;
    if (existsSync(dbFile)) {
      const current = openChecked(dbFile, false);
      try {
        const busy = targetInUse(current, dbFile, opts.now, opts.self);
        if (busy && !opts.force) throw new OpsError({ kind: 'in-use', file: dbFile, why: busy });
        keptAs = `${dbFile}.before-restore-${fileStamp(opts.now)}`;
        await copyPages(current, keptAs);
        selfContained(keptAs);
      } finally {
        current.close();
      }
    }
    await copyPages(source, dbFile);
    const result = new BetterSqlite3(dbFile);
    try {
      result.pragma('journal_mode = WAL');
      return { restored: inspectDatabase(result, dbFile), keptAs };
    } finally {
      result.close();
    }
  } finally {
    source.close();
  }
}
