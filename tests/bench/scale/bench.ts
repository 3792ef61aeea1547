// bench:scale's runs in order: the donor world and a throwaway PostgreSQL cluster started, the same workload
// on SQLite in-process and on PostgreSQL with each number of workers, everything stopped after. The
// driver (tests/bench/scale.ts) prints; tests/bench/scale.test.ts checks the quick world's correctness.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startPgServer, type PgServer } from '../../pg/server.ts';
import { runInProcess, runPostgres, type Mode, type RunResult, type Workload } from './runs.ts';

export interface ScaleOptions {
  hosts: number;
  pages: number;
  workers: number[];
  concurrency: number;
  minDelayMs: number;
  latencyMs: [number, number];
  sqlite: boolean;
  modes: Mode[];
  timeoutSeconds: number;
}

export const FULL: ScaleOptions = {
  hosts: 200,
  pages: 20,
  workers: [1, 2, 4],
  concurrency: 16,
  minDelayMs: 250,
  latencyMs: [100, 300],
  sqlite: true,
  modes: ['live', 'prefilled'],
  timeoutSeconds: 600,
};

/** A smoke run: the same pieces on 100 links. */
export const QUICK: ScaleOptions = { ...FULL, hosts: 20, pages: 5, timeoutSeconds: 120 };

/** Every child process still running, so the driver can end them however it ends. */
export const liveChildren = new Set<ChildProcess>();

async function startDonors(root: string, o: ScaleOptions): Promise<{ origins: string[]; stop: () => void }> {
  const args = [
    '--hosts',
    o.hosts,
    '--pages',
    o.pages,
    '--min-ms',
    o.latencyMs[0],
    '--max-ms',
    o.latencyMs[1],
  ];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/bench/scale/donor-world.ts', ...args.map(String)],
    // stdin stays an open pipe: the servers exit when it closes, i.e. when this process dies.
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  liveChildren.add(child);
  child.on('close', () => liveChildren.delete(child));
  const origins = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('bench:scale: the donor world sent no READY within 60 s')),
      60_000,
    );
    child.on('close', (code) => reject(new Error(`bench:scale: the donor world exited (code ${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as string[]);
    });
  });
  return { origins, stop: () => void child.kill('SIGTERM') };
}

export interface ScaleReport {
  links: number;
  runs: RunResult[];
}

export async function runScale(
  root: string,
  o: ScaleOptions,
  say: (line: string) => void = () => undefined,
): Promise<ScaleReport> {
  const donors = await startDonors(root, o);
  let cluster: PgServer | null = null;
  const runs: RunResult[] = [];
  try {
    const w: Workload = {
      origins: donors.origins,
      pages: o.pages,
      concurrency: o.concurrency,
      minDelayMs: o.minDelayMs,
      root,
      timeoutSeconds: o.timeoutSeconds,
    };
    for (const mode of o.modes) {
      const how =
        mode === 'live' ? 'workers running while the job fans out' : 'workers started on a full queue';
      if (o.sqlite) {
        say(`Running SQLite, in-process queue (${how})…`);
        runs.push(await runInProcess(w, mode));
      }
      for (const n of o.workers) {
        // Each worker holds up to 10 + 4 connections: more than the test clusters' usual 50 allow for 4.
        cluster ??= await startPgServer({ settings: { max_connections: 200 } });
        say(`Running PostgreSQL with ${n} worker process${n > 1 ? 'es' : ''} (${how})…`);
        runs.push(await runPostgres(w, cluster.createDatabase, n, mode, liveChildren));
      }
    }
  } finally {
    await cluster?.stop();
    donors.stop();
  }
  return { links: o.hosts * o.pages, runs };
}
