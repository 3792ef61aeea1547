// The demo for a browser test file: a copy of the one built for the whole run (tests/e2e/build-demo.ts),
// served by its own dashboard and scheduler on the demo's fixed clock, so that what one file clicks never
// shows in another. Without a shared build (the e2e project's global setup did not run) it builds its own.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { demoNowOn, serveDemo, startDemo, type RunningDemo } from '../../src/cli/demo/run-demo.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { DEMO_ADS_ENV } from '../../src/demo/ads-apis.ts';
import { DEMO_API_ENV } from '../../src/demo/search-apis.ts';
import { createLogger } from '../../src/util/log.ts';
import { tempDir } from '../helpers.ts';
import { SHARED_HISTORY_DAYS, type BuiltDemo, type SharedDay } from './shared-demo.ts';

/** Waits for the shared build; throws what stopped it, or after `timeoutMs`. */
async function builtDemo(folder: string, day: SharedDay, timeoutMs: number): Promise<BuiltDemo> {
  const deadline = performance.now() + timeoutMs;
  const ready = join(folder, `ready-${day}.json`);
  for (;;) {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as BuiltDemo;
    if (existsSync(join(folder, 'failed.txt')))
      throw new Error(`The shared demo build failed:\n${readFileSync(join(folder, 'failed.txt'), 'utf8')}`);
    if (performance.now() > deadline)
      throw new Error(
        `The shared demo build did not finish in ${timeoutMs / 1000} s (log: ${folder}/build.log)`,
      );
    await sleep(200);
  }
}

/**
 * Opens the demo on a fixed `day` for one test file. Call it inside suiteSetup(): the copy lives in the
 * file's temporary folder until its last test.
 */
export async function openBuiltDemo(day: SharedDay, timeoutMs = 170_000): Promise<RunningDemo> {
  const folder = inject('builtDemo');
  const dbPath = join(tempDir(), 'demo.db');
  if (!folder)
    return startDemo({ dbPath, port: 0, days: SHARED_HISTORY_DAYS, now: demoNowOn(day, 'the test') });
  const built = await builtDemo(folder, day, timeoutMs);
  cpSync(built.folder, join(dbPath, '..'), { recursive: true });
  const opened = performance.now();
  // The clock the demo's own dashboard would have had: the fixed day's noon, plus the build's duration,
  // running on at real speed (runs started from here are stamped after the build's last ones).
  const now = () => new Date(built.nowMs + built.elapsedMs + (performance.now() - opened));
  const db = openDatabase(dbPath);
  // Screenshots are stored by absolute path, and shown only from the evidence folder beside the database:
  // point the copy's at its own folder, as moving a real data folder would need.
  const folderOf = (dir: string) => join(dir, 'evidence', sep);
  db.prepare(
    `UPDATE backlink_checks SET screenshot = ? || substr(screenshot, ?) WHERE substr(screenshot, 1, ?) = ?`,
  ).run(
    folderOf(dirname(dbPath)),
    folderOf(built.liveFolder).length + 1,
    folderOf(built.liveFolder).length,
    folderOf(built.liveFolder),
  );
  const browser = new BrowserPool();
  try {
    const served = await serveDemo(
      {
        db,
        config: built.config,
        now,
        fetch: globalThis.fetch,
        log: createLogger({ level: 'warn' }),
        browser,
        secret: makeSecretResolver(
          { ...DEMO_API_ENV, ...DEMO_ADS_ENV },
          'the demo (made-up values its simulated APIs accept)',
        ),
      },
      '127.0.0.1',
      0,
    );
    return {
      url: served.url,
      reportUrl: built.reportPath ? `${served.url.replace(/\/$/, '')}${built.reportPath}` : null,
      dbPath,
      config: built.config,
      async close() {
        await served.close();
        await browser.close();
        closeDatabase(db);
      },
    };
  } catch (err) {
    await browser.close();
    closeDatabase(db);
    throw err;
  }
}
