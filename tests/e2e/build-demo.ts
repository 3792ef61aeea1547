// The demo the browser tests share, built once per run: a child process that replays the simulated history
// into a database (the ~40 s every e2e file used to spend on its own), snapshots it for the test files to
// copy, and keeps the simulated sites, donors and APIs running for the clicks that reach them.
//
//   node --import tsx tests/e2e/build-demo.ts <folder>
//
// Started by tests/e2e/global-setup.ts; builds each of SHARED_DAYS in turn, writes <folder>/ready-<day>.json
// for each (or <folder>/failed.txt) and stays up until SIGTERM or until the process that started it goes.
// On a PostgreSQL run it also copies each day's database into the run's cluster (tests/e2e/demo-on-postgres.ts).
import { cpSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { demoNowOn, startDemo, type RunningDemo } from '../../src/cli/demo/run-demo.ts';
import { copyDemoIntoPostgres, demoCluster } from './demo-on-postgres.ts';
import { SHARED_DAYS, SHARED_HISTORY_DAYS, type BuiltDemo } from './shared-demo.ts';

const folder = process.argv[2];
if (!folder) throw new Error('build-demo: pass the folder to build the demo in');

const cluster = demoCluster();
const demos: RunningDemo[] = [];
let closing = false;
async function stop(code: number): Promise<never> {
  if (!closing) {
    closing = true;
    for (const demo of demos) await demo.close().catch(() => {});
  }
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// Started with an IPC channel: when vitest ends, however it ends, the channel closes and this process goes.
process.on('disconnect', () => void stop(0));

function publish(name: string, text: string): void {
  const tmp = join(folder!, `${name}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(folder!, name));
}

try {
  for (const day of SHARED_DAYS) {
    const live = join(folder, day, 'live');
    const built = join(folder, day, 'built');
    mkdirSync(built, { recursive: true });
    const now = demoNowOn(day, 'the test');
    const started = performance.now();
    const demo = await startDemo({ dbPath: join(live, 'demo.db'), port: 0, days: SHARED_HISTORY_DAYS, now });
    demos.push(demo);
    const elapsedMs = performance.now() - started;
    // A consistent copy of the database as the demo finished it (SQLite's online backup, so whatever the
    // demo's scheduler writes next is not half in it), with the evidence screenshots beside it.
    const source = new BetterSqlite3(demo.dbPath, { readonly: true });
    try {
      await source.backup(join(built, 'demo.db'));
    } finally {
      source.close();
    }
    if (existsSync(join(live, 'evidence')))
      cpSync(join(live, 'evidence'), join(built, 'evidence'), { recursive: true });
    // The test files get the configuration as JSON: refuse one that would not survive the trip.
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(demo.config)), demo.config))
      throw new Error('build-demo: the demo configuration does not survive JSON; copies could not be served');
    const pg = cluster
      ? await copyDemoIntoPostgres(
          join(built, 'demo.db'),
          cluster,
          `promowatch_demo_${day.replaceAll('-', '_')}`,
        )
      : null;
    if (pg)
      console.log(
        `demo ${day}: copied ${pg.rows} rows in ${pg.tables} tables into PostgreSQL (${pg.database}) in ${Math.round(pg.ms)} ms`,
      );
    const result: BuiltDemo = {
      folder: built,
      pgDatabase: pg?.database ?? null,
      liveFolder: live,
      config: demo.config,
      nowMs: now.getTime(),
      elapsedMs,
      reportPath: demo.reportUrl ? new URL(demo.reportUrl).pathname : null,
    };
    publish(`ready-${day}.json`, JSON.stringify(result));
  }
} catch (err) {
  publish('failed.txt', err instanceof Error ? (err.stack ?? err.message) : String(err));
  await stop(1);
}
