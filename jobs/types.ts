// What a job is and what it is handed when it runs.
import type { BrowserPool } from '../src/browser/launcher.ts';
import type { Config, SecretRef, SiteConfig } from '../src/config/schema.ts';
import type { Db } from '../src/db/open.ts';
import type { Sql } from '../src/db/store/types.ts';
import type { TaskQueue } from '../src/queue/types.ts';
import type { SiteRow } from '../src/db/sites.ts';
import type { Logger } from '../src/util/log.ts';
import type { Progress } from '../src/util/progress.ts';

export interface JobContext {
  /** The SQLite connection, for modules not yet moved onto `sql` (issue 17: they move area by area). */
  db: Db;
  /** The data layer (SQLite or PostgreSQL): what converted modules take. */
  sql: Sql;
  config: Config;
  /** The site this run is for; null for jobs with scope "global". */
  site: SiteRow | null;
  siteConfig: SiteConfig | null;
  runId: number;
  /** What started the run: a job may jitter its start on a schedule but not when a person asked. */
  trigger: import('../src/db/job-runs.ts').RunTrigger;
  now: () => Date;
  fetch: typeof fetch;
  log: Logger;
  /** Aborted when the process shuts down and the grace time is over: checkpoint and return. */
  signal: AbortSignal;
  progress: (label: string, total: number) => Progress;
  browser: BrowserPool;
  secret: (ref: SecretRef, field: string) => string;
  /**
   * Where heavy work fans out as tasks (src/queue/fan-out.ts): the in-process queue inside `promowatch
   * start` on SQLite, pg-boss on PostgreSQL. Absent in `promowatch run` and in tests that run a job
   * without one: the job then does its work inline, with the same results.
   */
  queue?: TaskQueue;
  /** Where evidence screenshots go; default: `evidence/` beside the SQLite file (`db`), none on PostgreSQL. */
  evidenceDir?: string;
}

export interface Job {
  name: string;
  description: string;
  /** "site": one run per configured site (in the site's time zone); "global": one run for the install. */
  scope: 'site' | 'global';
  /** Cron expression used unless the config sets jobs.<name>.schedule. */
  defaultSchedule: string;
  /** Does the work; returns counts shown on the Jobs page. Throws an Error a user can act on when it fails. */
  run(ctx: JobContext): Promise<Record<string, number>>;
}
