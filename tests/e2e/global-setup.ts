// Vitest global setup of the e2e project: starts the one demo build the browser test files share
// (tests/e2e/build-demo.ts) without waiting for it, so that it runs while the other tests do.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEMO_PG_ENV } from './demo-on-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder tests/e2e/build-demo.ts builds the shared demo in. */
    builtDemo: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'promowatch-e2e-demo-'));
  const log = openSync(join(folder, 'build.log'), 'w');
  // The same environment as the tests (the date matrix's faked clock included): the build is theirs. On a
  // PostgreSQL run it also gets the run's cluster (tests/setup/pg-cluster.ts, set up before this file) to
  // copy the world into.
  const cluster =
    process.env.PROMOWATCH_TEST_BACKEND === 'postgres' ? project.getProvidedContext().pgCluster : null;
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/build-demo.ts', folder], {
    cwd: project.config.root,
    env: cluster ? { ...process.env, [DEMO_PG_ENV]: JSON.stringify(cluster) } : process.env,
    stdio: ['ignore', log, log, 'ipc'],
  });
  child.unref();
  project.provide('builtDemo', folder);
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
}
