// `promowatch start` (scheduler + dashboard, the normal way to run it) and `promowatch serve` (dashboard only).
import { JOBS } from '../../../jobs/index.ts';
import { checkSomeBacklinksJob } from '../../../jobs/check-backlinks.ts';
import { HEARTBEAT_MS, runJob, sweepOrphans } from '../../../jobs/runner.ts';
import { enqueueJobRun, registerJobKind } from '../../../jobs/job-task.ts';
import { Scheduler, type Dispatch } from '../../../jobs/scheduler.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, type Command, type Io, type Values } from '../command.ts';
import { ensureFirstAdmin } from '../../auth/first-admin.ts';
import { usersExist } from '../../../web/auth.ts';
import { programTaskKinds } from '../../queue/kinds.ts';
import { openTaskQueue } from '../../queue/open.ts';
import { PgBossQueue } from '../../queue/pg-boss.ts';
import { configuredDatabaseUrl, resolveStoreTarget } from '../../db/store/open.ts';
import { queueTimings } from './worker.ts';
import type { TaskQueue } from '../../queue/types.ts';
import { authSettings, openRuntime, sessionPolicyOf } from '../runtime.ts';
import { resolvePort, secretKeyFrom, serveDashboard } from '../serve-dashboard.ts';

/** Tasks of one kind the in-process queue of `start` runs at once (a `worker` sets its own). */
const START_QUEUE_CONCURRENCY = 2;

const SERVER_OPTIONS = { ...COMMON_OPTIONS, port: { type: 'string' }, host: { type: 'string' } } as const;
const SERVER_HELP = `  --host HOST     address to listen on (default: config web.host, 127.0.0.1); any non-loopback
                  address requires PROMOWATCH_PASSWORD
  --port N        port (default: $PROMOWATCH_PORT or config web.port, 8787)
${COMMON_HELP}`;

/** The PostgreSQL address this runtime opened (the same resolution openRuntime made). */
function storeUrl(values: Values, rt: Awaited<ReturnType<typeof openRuntime>>): string {
  const target = resolveStoreTarget({
    dbFlag: values.db as string | undefined,
    configUrl: configuredDatabaseUrl(rt.loaded.config.database, rt.loaded.env),
    env: rt.loaded.env,
  });
  if (target.kind !== 'postgres') throw new Error('storeUrl: the runtime is not on PostgreSQL');
  return target.url;
}

async function runServer(values: Values, io: Io, withScheduler: boolean): Promise<number> {
  // Checked before anything opens: a bad key is a usage error, not a half-started server.
  const secretKey = secretKeyFrom(io.env);
  const rt = await openRuntime({
    config: values.config as string | undefined,
    db: values.db as string | undefined,
    env: io.env,
  });
  const { config } = rt.loaded;
  let scheduler: Scheduler | null = null;
  let server: Awaited<ReturnType<typeof serveDashboard>> | null = null;
  // On SQLite, `start` works the queue's tasks itself, in memory beside the scheduler (on PostgreSQL
  // `promowatch worker` processes take them).
  let queue: TaskQueue | null = null;
  let working: Promise<void> | null = null;
  const stopQueue = new AbortController();
  // Jobs may run in other processes (system cron + `run`): runs they leave behind when killed are
  // marked interrupted now and every few heartbeats while the dashboard is up.
  await sweepOrphans(rt.deps);
  const sweeper = setInterval(() => void sweepOrphans(rt.deps), 2 * HEARTBEAT_MS);
  sweeper.unref();
  try {
    const host = (values.host as string | undefined) ?? io.env.PROMOWATCH_HOST ?? config.web.host;
    const port = resolvePort(values.port as string | undefined, io.env, config.web.port);
    const auth = authSettings(rt.loaded);
    // The upgrade from the shared password: the first start with none of the users makes it the
    // password of one admin; from then on logins are per user (README "Users and roles").
    const admin = await ensureFirstAdmin(rt.sql, {
      password: auth?.password,
      email: io.env.PROMOWATCH_ADMIN_EMAIL,
      now: rt.deps.now(),
    });
    if (!admin && auth?.password && !(await usersExist(rt.sql)))
      rt.log.warn(
        `users: ${auth.passwordEnv ?? 'PROMOWATCH_PASSWORD'} is too short to become the admin's password (at least 12 characters); it stays the shared password — add accounts with "promowatch users add"`,
      );
    if (admin)
      rt.log.info(
        `users: created the admin ${admin} with the password in ${auth?.passwordEnv ?? 'PROMOWATCH_PASSWORD'}; log in with that e-mail from now on`,
      );
    if (withScheduler && rt.sql.dialect === 'sqlite') {
      const registry = programTaskKinds();
      queue = await openTaskQueue(
        { kind: 'sqlite', file: rt.db.name },
        {
          sql: rt.sql,
          log: rt.log,
          now: rt.deps.now,
          fetch: rt.deps.fetch,
          config,
          browser: rt.browser,
          secret: rt.deps.secret,
        },
        { registry, graceMs: config.shutdownGraceSeconds * 1000 },
      );
      working = queue.work(registry.names(), START_QUEUE_CONCURRENCY, stopQueue.signal);
    }
    // On PostgreSQL `start` runs no jobs itself: its scheduler enqueues each run as a `job` task and
    // `promowatch worker` processes run them (and the tasks they fan out). It only adds to the queue.
    let dispatch: Dispatch | undefined;
    if (withScheduler && rt.sql.dialect === 'postgres') {
      const registry = programTaskKinds();
      registerJobKind(registry);
      const pgQueue = await PgBossQueue.open({
        url: storeUrl(values, rt),
        registry,
        deps: {
          sql: rt.sql,
          log: rt.log,
          now: rt.deps.now,
          fetch: rt.deps.fetch,
          config,
          secret: rt.deps.secret,
        },
        ...queueTimings(rt.loaded.env),
      });
      queue = pgQueue;
      dispatch = async (p, trigger, due) => {
        const r = await enqueueJobRun(pgQueue, p.job, p.site, trigger, due);
        rt.log.info(
          `${p.job.name}${p.site ? ` site=${p.site.name}` : ''}: ${r.created ? 'queued for a worker' : 'already queued'} (task ${r.id})`,
        );
        return { status: 'queued', taskId: r.id, created: r.created };
      };
    }
    // Jobs fan their heavy work out through the queue (JobContext.queue) when there is one.
    const jobDeps = queue ? { ...rt.deps, queue } : rt.deps;
    if (withScheduler) scheduler = await Scheduler.create(jobDeps, JOBS, undefined, dispatch);
    const s = scheduler;
    server = await serveDashboard(
      {
        db: rt.db,
        sql: rt.sql,
        evidenceDir: rt.evidenceDir,
        config,
        jobs: JOBS,
        now: rt.deps.now,
        log: rt.log,
        auth,
        sessionPolicy: sessionPolicyOf(rt.loaded),
        secretKey,
        runNow: s
          ? (job, site) => {
              const p = s.find(job, site);
              if (!p) return 'unknown';
              if (s.isRunning(p)) return 'busy';
              void s.trigger(p, 'manual');
              return 'started';
            }
          : undefined,
        recheck: (site, ids) => runJob(jobDeps, checkSomeBacklinksJob(ids), site, 'manual'),
        ...(queue ? { queue } : {}),
      },
      host,
      port,
    );
    io.out(`Dashboard: ${server.url}${auth || (await usersExist(rt.sql)) ? ' (login required)' : ''}`);
    if (scheduler) {
      const enabled = scheduler.plan.filter((p) => p.enabled).length;
      rt.log.info(`scheduler: ${enabled} scheduled run(s) registered`);
      void scheduler.start().catch((err: Error) => rt.log.error(`catch-up failed: ${err.message}`));
    }
    const signal = await io.stopSignal;
    rt.log.info(
      `${signal} received: no new runs; finishing current ones (up to ${config.shutdownGraceSeconds} s)`,
    );
    if (scheduler) {
      const { interrupted } = await scheduler.stop(config.shutdownGraceSeconds * 1000);
      if (interrupted)
        rt.log.warn(`${interrupted} run(s) did not finish in time and are recorded as interrupted`);
    }
    return EXIT.ok;
  } finally {
    clearInterval(sweeper);
    stopQueue.abort();
    await working?.catch((err: Error) => rt.log.error(`queue: ${err.message}`));
    await queue?.close();
    await server?.close();
    await rt.close();
  }
}

export const startCommand: Command = {
  name: 'start',
  summary: 'run the scheduler and the dashboard in one process (the normal way to run promowatch)',
  usage: 'promowatch start [--config FILE] [--db FILE] [--host HOST] [--port N]',
  help: `${SERVER_HELP}

Runs every enabled job on its schedule (config "jobs"), once at start for any whose scheduled
time passed while promowatch was down. SIGINT/SIGTERM stop it cleanly.`,
  options: SERVER_OPTIONS,
  run: (values, _pos, io) => runServer(values, io, true),
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the dashboard only (jobs run elsewhere, e.g. from system cron with "run")',
  usage: 'promowatch serve [--config FILE] [--db FILE] [--host HOST] [--port N]',
  help: SERVER_HELP,
  options: SERVER_OPTIONS,
  run: (values, _pos, io) => runServer(values, io, false),
};
