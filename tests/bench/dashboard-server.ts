// The dashboard for the rank and ads benchmarks, in its own process so the load generator does not share its event loop.
import { validateConfig } from '../../src/config/load.ts';
import { JOBS, JOB_NAMES } from '../../jobs/index.ts';
import { openDatabase } from '../../src/db/open.ts';
import { serveDashboard } from '../../src/cli/serve-dashboard.ts';
import { createLogger } from '../../src/util/log.ts';

// An optional third argument fixes the dashboard's clock (ISO time), so a benchmark that seeded its data
// around a fixed day reads the same windows whatever day it runs.
const [dbFile, configJson, fixedNow] = process.argv.slice(2);
const now = fixedNow ? () => new Date(fixedNow) : () => new Date();
const config = validateConfig(JSON.parse(configJson!), JOB_NAMES);
const db = openDatabase(dbFile!);
const server = await serveDashboard(
  { db, config, jobs: JOBS, now, log: createLogger({ level: 'warn' }), auth: null },
  '127.0.0.1',
  0,
);
process.send!({ url: server.url });
// Asked to stop (rather than killed), so a profile asked for with --cpu-prof is written on the way out.
process.on('message', (m) => {
  if ((m as { stop?: boolean }).stop) process.exit(0);
});
