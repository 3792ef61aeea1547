// `promowatch worker`: takes tasks (crawl batches, link checks, result pages, renders) from the PostgreSQL
// queue until SIGTERM/SIGINT, on as many machines as there are workers. SQLite has no workers: there,
// `promowatch start` runs the same tasks in its own process.
import { JOB_NAMES } from '../../../jobs/index.ts';
import { evidenceDirFor } from '../../backlinks/evidence.ts';
import { BrowserPool } from '../../browser/launcher.ts';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../../config/load.ts';
import { configuredDatabaseUrl, openStore, resolveStoreTarget } from '../../db/store/open.ts';
import { programTaskKinds } from '../../queue/kinds.ts';
import { PgBossQueue } from '../../queue/pg-boss.ts';
import type { TaskRegistry } from '../../queue/registry.ts';
import type { TaskDeps, TaskQueue } from '../../queue/types.ts';
import { registerJobKind } from '../../../jobs/job-task.ts';
import { createLogger, type Logger } from '../../util/log.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';

/** How long running tasks may finish after SIGTERM before they are handed back to the queue. */
export const WORKER_GRACE_MS = 30_000;

export const NEEDS_POSTGRES =
  'promowatch worker needs PostgreSQL: workers share their tasks through the database. Set ' +
  'PROMOWATCH_DATABASE_URL=postgres://user:password@host:5432/name (or "database": {"url": {"env": …}} in ' +
  'the config). With the SQLite file, `promowatch start` runs these tasks itself and needs no worker.';

/** `--concurrency`: tasks at once per kind. */
export function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return 2;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64)
    throw new UsageError(`--concurrency takes a whole number from 1 to 64, got "${text}"`);
  return n;
}

/**
 * Queue timings from the environment, for operators who want a lost task retried sooner (and for tests):
 * PROMOWATCH_QUEUE_POLL_SECONDS (idle polling, default 2, at least 0.5), PROMOWATCH_QUEUE_MAINTENANCE_SECONDS
 * (how often lost leases are looked for, default 30) and PROMOWATCH_WORKER_GRACE_SECONDS (default 30).
 */
export function queueTimings(env: NodeJS.ProcessEnv): {
  pollSeconds: number;
  maintenanceSeconds: number;
  graceMs: number;
} {
  const read = (name: string, fallback: number, min: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || (min >= 1 && !Number.isInteger(n)))
      throw new UsageError(
        `${name} must be ${min >= 1 ? 'whole ' : ''}seconds, at least ${min}; got "${text}"`,
      );
    return n;
  };
  return {
    pollSeconds: read('PROMOWATCH_QUEUE_POLL_SECONDS', 2, 0.5),
    maintenanceSeconds: read('PROMOWATCH_QUEUE_MAINTENANCE_SECONDS', 30, 1),
    graceMs: read('PROMOWATCH_WORKER_GRACE_SECONDS', WORKER_GRACE_MS / 1000, 0) * 1000,
  };
}

/** `--kinds a,b`: known kinds only; default every kind this build has. */
export function parseKinds(text: string | undefined, registry: TaskRegistry): string[] {
  const known = registry.names();
  if (text === undefined) return known;
  const kinds = [...new Set(text.split(',').map((k) => k.trim()))].filter(Boolean);
  if (kinds.length === 0) throw new UsageError('--kinds needs at least one kind, like --kinds links,crawl');
  const unknown = kinds.filter((k) => !registry.has(k));
  if (unknown.length)
    throw new UsageError(
      `No task kind ${unknown.map((k) => `"${k}"`).join(', ')}; kinds are: ${known.join(', ') || 'none yet'}`,
    );
  return kinds;
}

/** Values a log line must never show: the secrets the config refers to, and the database password. */
function secretsOf(loaded: LoadedConfig, url: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    const ref = v as { env?: unknown };
    if (Object.keys(v).length === 1 && typeof ref.env === 'string') {
      const value = loaded.env[ref.env];
      if (value) out.push(value);
    } else for (const child of Object.values(v)) walk(child);
  };
  walk(loaded.config);
  for (const name of ['PROMOWATCH_PASSWORD', 'PROMOWATCH_API_TOKEN', 'PROMOWATCH_SECRET_KEY'])
    if (loaded.env[name]) out.push(loaded.env[name]!);
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) out.push(password);
  } catch {
    // Not a URL the logger could leak a password from.
  }
  return out;
}

/**
 * Works the kinds until `stop` resolves, then stops taking tasks and waits for the queue to hand back or
 * finish the running ones. Shared by the command and by tests that start worker processes.
 */
export async function runWorker(o: {
  queue: TaskQueue;
  kinds: string[];
  concurrency: number;
  stop: Promise<string>;
  log: Logger;
  graceMs?: number;
}): Promise<void> {
  const abort = new AbortController();
  void o.stop.then((signal) => {
    o.log.info(
      `worker: ${signal}: taking no more tasks; running ones get ${(o.graceMs ?? WORKER_GRACE_MS) / 1000} s to finish, the rest go back to the queue`,
    );
    abort.abort();
  });
  o.log.info(
    `worker: taking ${o.kinds.join(', ')} tasks, ${o.concurrency} at a time per kind (pid ${process.pid})`,
  );
  await o.queue.work(o.kinds, o.concurrency, abort.signal);
  o.log.info('worker: stopped');
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take crawl, link, result-page and render tasks from the PostgreSQL queue',
  usage: 'promowatch worker [--concurrency N] [--kinds crawl,links,serp,render] [--config FILE]',
  help: `  --concurrency N tasks at once per kind (default 2)
  --kinds LIST    only these kinds, comma-separated (default: every kind)
${COMMON_HELP}

Needs PostgreSQL (PROMOWATCH_DATABASE_URL or database.url in the config). Runs until SIGTERM or
Ctrl-C, then takes no more tasks, lets running ones finish for ${WORKER_GRACE_MS / 1000} s and hands the rest back to
the queue (they run again elsewhere without using up a try). Start as many as you like, on any machine
that reaches the database.

Environment: PROMOWATCH_QUEUE_MAINTENANCE_SECONDS (default 30): how often lost leases (a worker that
died) are looked for; PROMOWATCH_QUEUE_POLL_SECONDS (default 2): how often an idle worker asks for
tasks; PROMOWATCH_WORKER_GRACE_SECONDS (default 30).`,
  options: { ...COMMON_OPTIONS, concurrency: { type: 'string' }, kinds: { type: 'string' } },
  async run(values, _positionals, io) {
    const concurrency = parseConcurrency(values.concurrency as string | undefined);
    const registry = programTaskKinds();
    // Job runs themselves are tasks too (kind `job`): the scheduler of `start` enqueues them.
    registerJobKind(registry);
    const kinds = parseKinds(values.kinds as string | undefined, registry);
    const loaded = loadConfig(
      resolveConfigPath(values.config as string | undefined, io.env),
      io.env,
      JOB_NAMES,
    );
    const timings = queueTimings(loaded.env);
    const target = resolveStoreTarget({
      dbFlag: values.db as string | undefined,
      configUrl: configuredDatabaseUrl(loaded.config.database, loaded.env),
      env: loaded.env,
    });
    if (target.kind === 'sqlite') {
      io.err(NEEDS_POSTGRES);
      return EXIT.usage;
    }
    if (kinds.length === 0) {
      io.err(
        'promowatch worker: this version has no task kinds on the queue yet: crawls, link checks, result pages and reports still run inside `promowatch start`',
      );
      return EXIT.failed;
    }
    const secrets = secretsOf(loaded, target.url);
    const log = createLogger({
      secrets: () => secrets,
      level: io.env.PROMOWATCH_LOG_LEVEL === 'debug' ? 'debug' : 'info',
    });
    const sql = await openStore(target);
    const browser = new BrowserPool();
    let queue: TaskQueue | null = null;
    try {
      const deps: TaskDeps = {
        sql,
        log,
        now: () => new Date(),
        fetch: globalThis.fetch,
        config: loaded.config,
        browser,
        secret: loaded.secret,
        evidenceDir: evidenceDirFor(target, io.env),
      };
      queue = await PgBossQueue.open({ url: target.url, registry, deps, ...timings });
      // A job run fans its work out through the same queue.
      deps.queue = queue;
      await runWorker({ queue, kinds, concurrency, stop: io.stopSignal, log, graceMs: timings.graceMs });
      return EXIT.ok;
    } finally {
      await queue?.close();
      await browser.close();
      await sql.close();
    }
  },
};
