// The real `promowatch` executable, spawned as a user (or system cron) would run it, on the database of
// the run's backend (tests/cli/backend.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { stripJsonComments } from '../../src/config/jsonc.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli/main.ts';
import { runNow } from '../../src/cli/commands/run.ts';
import {
  describeSqliteOnly,
  FakeClock,
  localServer,
  siteByName,
  suiteSetup,
  TEST_BACKEND,
  tempDir,
  testConfig,
  testStoreDeps,
} from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

/**
 * Runs the executable and collects what it printed. Asynchronous, so that the demo this file starts at
 * its beginning (and the local sites some tests serve) keep running meanwhile.
 */
async function cli(args: string[], env: Record<string, string> = {}, cwd = tempDir()) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
    timeout: 30_000,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { code, out, err, cwd };
}

/** main() in this process, as bin.mjs calls it: for what a command prints, where the process is not the point. */
async function inProcess(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, {
    env: {},
    out: (l) => (out += l + '\n'),
    err: (l) => (err += l + '\n'),
    stopSignal: new Promise(() => {}),
    isTTY: false,
  });
  return { code, out, err };
}

function writeConfig(dir: string, config: unknown) {
  const file = join(dir, 'promowatch.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

// The demo takes the longest: it starts before the first test and builds while the others run.
let demo: { child: ChildProcessWithoutNullStreams; db: string; url: Promise<string>; out: () => string };
// The demo builds its world in a SQLite file (its own --db; src/demo): started on SQLite runs only.
beforeAll(() =>
  suiteSetup(async () => {
    if (TEST_BACKEND === 'postgres') return;
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    // A fixed demo day (the 1st of a month): the counts below hold whatever day the test runs on.
    const child = spawn(process.execPath, [BIN, 'demo', '--port', '0', '--db', db, '--today', '2026-11-01'], {
      cwd: dir,
      env: { PATH: process.env.PATH! },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`demo exited early: ${err}`)));
    });
    url.catch(() => {}); // awaited by its test; a failure before then is reported there
    demo = { child, db, url, out: () => out };
  }),
);
afterAll(() => {
  if (demo?.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
});

describe('promowatch CLI', () => {
  it('prints help for every command and exits 0', async () => {
    // The executable once; every command's help through main(), which the executable only wraps.
    const r = await cli([COMMANDS[0]!.name, '--help']);
    expect([COMMANDS[0]!.name, r.code]).toEqual([COMMANDS[0]!.name, 0]);
    expect(r.out).toContain(`Usage: ${COMMANDS[0]!.usage}`);
    for (const c of COMMANDS) {
      const h = await inProcess([c.name, '--help']);
      expect([c.name, h.code]).toEqual([c.name, 0]);
      expect(h.out).toContain(`Usage: ${c.usage}`);
    }
  });

  it('exits 2 for an unknown command or option', async () => {
    const [command, option, argument] = await Promise.all([
      cli(['frobnicate']),
      cli(['jobs', '--colour']),
      cli(['run']),
    ]);
    expect(command).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(option).toMatchObject({
      code: 2,
      err: expect.stringContaining("Unknown option '--colour'"),
    });
    expect(argument).toMatchObject({ code: 2, err: expect.stringContaining('missing argument') });
  });

  it('exits 2 on a config error, names the field, and creates no database', async () => {
    const dir = tempDir();
    writeConfig(dir, {
      sites: [{ name: 'studio', baseUrl: 'studio.example' }],
      jobs: { uptime: { schedule: 'every day' } },
    });
    const r = await cli(['start'], {}, dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Config: sites[0].baseUrl must be an absolute http(s) URL');
    expect(r.err).toContain('Config: jobs.uptime.schedule must be a cron expression');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('refuses to serve on a public address without a password', async () => {
    const dir = tempDir();
    writeConfig(dir, { sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }] });
    const r = await cli(['serve', '--host', '0.0.0.0', '--port', '0'], {}, dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/web\.host is 0\.0\.0\.0.*PROMOWATCH_PASSWORD/);
  });

  it('refuses to serve on a public address with a short password, naming its variable, not its value', async () => {
    const dir = tempDir();
    writeConfig(dir, {
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }],
      web: { auth: { password: { env: 'DASHBOARD_PASSWORD' } } },
    });
    const r = await cli(
      ['serve', '--host', '0.0.0.0', '--port', '0'],
      { DASHBOARD_PASSWORD: 'letmein-99' },
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/DASHBOARD_PASSWORD is shorter than 12 characters/);
    expect(r.out + r.err).not.toContain('letmein-99');
  });

  it('init writes a config that the other commands accept, and will not overwrite it', async () => {
    const dir = tempDir();
    const db = await testDatabase();
    expect((await cli(['init'], {}, dir)).code).toBe(0);
    const config = JSON.parse(stripJsonComments(readFileSync(join(dir, 'promowatch.config.json'), 'utf8')));
    expect(Object.keys(config)).toEqual(
      expect.arrayContaining(['sites', 'jobs', 'web', 'notifications', 'providers']),
    );
    expect(await cli(['init'], {}, dir)).toMatchObject({ code: 2, err: expect.stringContaining('--force') });
    const jobs = await cli(['jobs'], db.env, dir);
    expect(jobs.code).toBe(0);
    expect(jobs.out).toContain('Times in Europe/Moscow');
    expect(jobs.out).toMatch(
      /uptime\s+studio\s+\*\/15 \* \* \* \*\s+never\s+-\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d /,
    );
  }, 60_000); // three runs of the executable, beside the demo building

  it(`runs a job from system cron: exit 0, the run recorded, PROMOWATCH_CONFIG and ${TEST_BACKEND === 'postgres' ? 'PROMOWATCH_DATABASE_URL' : 'PROMOWATCH_DB'} honoured`, async () => {
    const site = await localServer((_req, res) => res.writeHead(200).end('ok'));
    const dir = tempDir();
    const config = writeConfig(dir, { sites: [{ name: 'studio', baseUrl: site }] });
    const db = await testDatabase(join(dir, 'elsewhere', 'pw.db'));
    // spawnSync would block the event loop that serves `site`; run it asynchronously.
    const child = spawn(process.execPath, [BIN, 'run', 'uptime', '--site', 'studio'], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH!, PROMOWATCH_CONFIG: config, ...db.env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(out).toContain('uptime studio: ok (pages: 1, answering: 1, not answering: 0)');
    const rows = await (await db.sql()).all('SELECT job, status, trigger FROM job_runs');
    expect(rows).toEqual([{ job: 'uptime', status: 'ok', trigger: 'cli' }]);
  });

  it('names the sites when --site is wrong', async () => {
    const dir = tempDir();
    writeConfig(dir, { sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }] });
    expect(await cli(['run', 'uptime', '--site', 'shop'], {}, dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining('sites are: studio'),
    });
  });

  it('start serves the dashboard, and SIGTERM stops it cleanly with the database closed', async () => {
    const site = await localServer((_req, res) => res.writeHead(200).end('ok'));
    const dir = tempDir();
    writeConfig(dir, { sites: [{ name: 'studio', baseUrl: site }], web: { port: 0 } });
    // On SQLite the default file (data/promowatch.db under the working directory), as a first start has it.
    const db = TEST_BACKEND === 'postgres' ? (await testDatabase()).env : {};
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...db },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Dashboard: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${err}`)));
    });
    expect((await fetch(url)).status).toBe(200);
    // On SQLite, start works the task queue in process; on PostgreSQL it adds to pg-boss's queue for
    // workers: /metrics reports it, /healthz names it.
    expect(await (await fetch(new URL('/metrics', url))).text()).toContain(
      '# TYPE promowatch_queue_tasks gauge',
    );
    expect(
      ((await (await fetch(new URL('/healthz', url))).json()) as { checks: unknown }).checks,
    ).toMatchObject(
      TEST_BACKEND === 'postgres'
        ? { database: { backend: 'postgres' }, queue: { backend: 'pg-boss' } }
        : { database: { backend: 'sqlite' }, queue: { backend: 'in-process' } },
    );
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(err).toContain('SIGTERM received');
    // closeDatabase checkpointed and truncated the WAL (SQLite); nothing was written beside it on PostgreSQL.
    const wal = join(dir, 'data', 'promowatch.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    if (TEST_BACKEND === 'postgres') expect(existsSync(join(dir, 'data', 'promowatch.db'))).toBe(false);
  });
});

describe('promowatch demo', () => {
  it('refuses a --today or PROMOWATCH_DEMO_TODAY that is not a real date, naming which', async () => {
    const [flag, env] = await Promise.all([
      cli(['demo', '--port', '0', '--today', '2027-02-29']),
      cli(['demo', '--port', '0'], { PROMOWATCH_DEMO_TODAY: '1.3.2027' }),
    ]);
    expect([flag.code, flag.err.split('\n')[0]]).toEqual([
      2,
      'promowatch demo: --today must be a date YYYY-MM-DD, got "2027-02-29"',
    ]);
    expect([env.code, env.err.split('\n')[0]]).toEqual([
      2,
      'promowatch demo: PROMOWATCH_DEMO_TODAY must be a date YYYY-MM-DD, got "1.3.2027"',
    ]);
  });
});

describeSqliteOnly(
  'the demo builds its world in a SQLite file: --db, no database URL (src/demo)',
  'promowatch demo',
  () => {
    it('runs the jobs into its own database, prints the dashboard URL, serves it, and stops on Ctrl-C', async () => {
      const { child, db } = demo;
      const url = await demo.url;
      const out = demo.out();
      expect(out).toContain(
        'Simulated today: 2026-11-01 (its clock starts at noon Moscow time, 2026-11-01T09:00:00.000Z)',
      );
      expect(out).toMatch(/simulated history \[#+\] (\d+)\/\1 /);
      expect(out).toMatch(/simulated rankings \[#+\] 90\/90 /);
      const page = await (await fetch(url)).text();
      expect(page).toContain('simulation running on this machine');
      // The demo's own runs (the scheduler may add one if a scheduled minute passes meanwhile), all on
      // the simulated clock: none after the fixed day's noon plus the minutes the demo has been running.
      const demoDb = new BetterSqlite3(db, { readonly: true });
      expect(demoDb.prepare(`SELECT value FROM meta WHERE key = 'demo'`).pluck().get()).toBe(
        '2026-11-01T09:00:00.000Z',
      );
      expect(demoDb.prepare(`SELECT MAX(started_at) FROM job_runs`).pluck().get()).toMatch(
        /^2026-11-01T09:0\d:/,
      );
      const rows = demoDb
        .prepare(
          `SELECT job, status, COUNT(*) AS runs FROM job_runs WHERE trigger = 'demo'
         GROUP BY job, status ORDER BY job, status`,
        )
        .all();
      // 28 days: uptime every 8 hours and a crawl each week for both sites, backlinks daily for the studio
      // (plus today's rendered check), one maintenance run; 90 days of rankings for the studio (two of them
      // with one keyword failed by the simulated SERP API's planned errors: recorded per keyword, the runs
      // are ok); the studio's ads pulled daily for the last 10 days (after one pull of their whole history,
      // which is no job run); last week's report for both sites.
      expect(rows).toEqual([
        { job: 'check-backlinks', status: 'ok', runs: 57 },
        { job: 'crawl-site', status: 'ok', runs: 8 },
        { job: 'db-maintenance', status: 'ok', runs: 1 },
        { job: 'pull-ads', status: 'ok', runs: 10 },
        { job: 'track-rankings', status: 'ok', runs: 90 },
        { job: 'uptime', status: 'ok', runs: 170 },
        { job: 'weekly-report', status: 'ok', runs: 2 },
      ]);
      child.kill('SIGINT');
      expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    }, 240_000); // the demo started with the file; on a loaded 2-core machine it may still be building
  },
);

describe('runNow()', () => {
  it('exits 1 when a run fails, after still running the other sites', async () => {
    const deps = await testStoreDeps(testConfig(), new FakeClock(Date.parse('2026-11-27T09:00:00Z')));
    const lines: string[] = [];
    const job = {
      name: 'flaky',
      description: '',
      scope: 'site' as const,
      defaultSchedule: '* * * * *',
      run: async (ctx: { site: { name: string } | null }) => {
        if (ctx.site?.name === 'studio') throw new Error('Yandex Direct answered 53: authorization error');
        return { rows: 1 };
      },
    };
    const code = await runNow(
      deps,
      job,
      [(await siteByName(deps.sql, 'studio'))!, (await siteByName(deps.sql, 'bakery'))!],
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      new AbortController().signal,
    );
    expect(code).toBe(1);
    expect(lines).toEqual([
      'flaky studio: failed: Yandex Direct answered 53: authorization error',
      'flaky bakery: ok (rows: 1)',
    ]);
  });
});
