// `promowatch demo`: the whole program against a simulated world on 127.0.0.1, into data/demo.db.
import { resolve } from 'node:path';
import { demoNowOn, startDemo } from '../demo/run-demo.ts';
import { createLogger } from '../../util/log.ts';
import { createProgress } from '../../util/progress.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { resolvePort } from '../serve-dashboard.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run every job once against a simulated world on 127.0.0.1 and serve the dashboard',
  usage: 'promowatch demo [--port N] [--db FILE] [--today YYYY-MM-DD]',
  help: `  --port N        dashboard port (default 8787; 0 picks a free one)
  --db FILE       demo database, recreated on each start (default data/demo.db)
  --today DAY     simulate as if today were DAY (YYYY-MM-DD; or $PROMOWATCH_DEMO_TODAY): the clock
                  starts at noon Moscow time that day and runs on from there (default: the real today)
  -h, --help      show this help

Nothing leaves this machine: the studio's site, the donor pages and the APIs are simulated
on 127.0.0.1, and every page says so.`,
  options: {
    port: { type: 'string' },
    db: { type: 'string' },
    today: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run(values, _pos, io) {
    const port = resolvePort(values.port as string | undefined, {}, 8787);
    const dbPath = resolve((values.db as string | undefined) ?? 'data/demo.db');
    const flag = values.today as string | undefined;
    const day = flag ?? (io.env.PROMOWATCH_DEMO_TODAY || undefined);
    let now: Date | undefined;
    try {
      now =
        day === undefined
          ? undefined
          : demoNowOn(day, flag !== undefined ? '--today' : 'PROMOWATCH_DEMO_TODAY');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    io.out(
      'Starting the simulated world on 127.0.0.1 and running every job over simulated time (four weeks of site history, 90 days of rankings, 120 days of ad spend)…',
    );
    if (now) io.out(`Simulated today: ${day} (its clock starts at noon Moscow time, ${now.toISOString()})`);
    const t0 = performance.now();
    const demo = await startDemo({
      dbPath,
      port,
      now,
      log: createLogger({ level: 'warn' }),
      progress: (label, total) => createProgress({ label, total, log: io.out }),
      people: true,
    });
    io.out(`Jobs done in ${((performance.now() - t0) / 1000).toFixed(1)} s; data in ${demo.dbPath}`);
    io.out(`Dashboard: ${demo.url}`);
    if (demo.reportUrl) io.out(`Last week's report: ${demo.reportUrl}`);
    if (demo.shareUrl) io.out(`The same report as a client's share link (read-only): ${demo.shareUrl}`);
    // Made up for this run (src/cli/demo/demo-people.ts): nothing to keep secret, nothing committed.
    io.out('Logins (passwords new on every run):');
    for (const p of demo.people ?? [])
      io.out(
        `  ${p.email.padEnd(26)} ${p.password}  ${p.role}${p.sites.length ? ` of ${p.sites.join(', ')}` : ', all sites'}`,
      );
    for (const p of demo.people ?? [])
      if (p.apiKey)
        io.out(
          `API key of ${p.email} (read): ${p.apiKey}\n  try: curl -H "Authorization: Bearer ${p.apiKey}" ${demo.url.replace(/\/$/, '')}/api/v1/sites  (docs: ${demo.url.replace(/\/$/, '')}/api/v1/docs)`,
        );
    io.out('Press Ctrl-C to stop.');
    await io.stopSignal;
    await demo.close();
    return EXIT.ok;
  },
};
