// Assembles what commands share: config, database, logger, browser pool, and the deps handed to jobs.
import { BrowserPool } from '../browser/launcher.ts';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load.ts';
import { closeDatabase, openDatabase, sqliteOnly, type Db } from '../db/open.ts';
import { syncSites } from '../db/sites.ts';
import { configuredDatabaseUrl, openStore, resolveStoreTarget } from '../db/store/open.ts';
import { storeOf } from '../db/store/sqlite.ts';
import type { Sql } from '../db/store/types.ts';
import { createLogger, type Logger } from '../util/log.ts';
import { JOB_NAMES } from '../../jobs/index.ts';
import type { RunnerDeps } from '../../jobs/runner.ts';
import type { AuthSettings } from '../../web/types.ts';
import { CLI_ACTOR, recordAudit, type AuditEntry } from '../audit-log/store.ts';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../auth/sessions.ts';

export interface Runtime {
  loaded: LoadedConfig;
  /**
   * The SQLite connection, for modules not yet moved onto `sql`. On PostgreSQL there is none: it is a
   * stand-in that throws "… needs the SQLite database" when used (sqliteOnly), so such a part fails
   * with a clear message instead of the process crashing or touching a stray file.
   */
  db: Db;
  /** The data layer: PostgreSQL when database.url / PROMOWATCH_DATABASE_URL says so, else SQLite over `db`. */
  sql: Sql;
  log: Logger;
  browser: BrowserPool;
  deps: RunnerDeps;
  /** Records a write made from the command line in the audit log (actor "cli"). */
  audit(entry: AuditEntry): Promise<void>;
  close(): Promise<void>;
}

/** Every secret the config refers to that is set, so the logger can mask it. */
function secretValues(loaded: LoadedConfig): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === 'env' && typeof (v as { env: unknown }).env === 'string') {
        const value = loaded.env[(v as { env: string }).env];
        if (value) out.push(value);
      } else for (const k of keys) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(loaded.config);
  for (const name of ['PROMOWATCH_PASSWORD', 'PROMOWATCH_API_TOKEN'])
    if (loaded.env[name]) out.push(loaded.env[name]!);
  return out;
}

// sqliteOnly lives beside openDatabase (jobs run by workers use it too); re-exported for the CLI.
export { sqliteOnly } from '../db/open.ts';

export async function openRuntime(
  opts: { config?: string; db?: string; env: NodeJS.ProcessEnv; now?: () => Date },
  loadedIn?: LoadedConfig,
): Promise<Runtime> {
  const loaded = loadedIn ?? loadConfig(resolveConfigPath(opts.config, opts.env), opts.env, JOB_NAMES);
  const now = opts.now ?? (() => new Date());
  const secrets = secretValues(loaded);
  const log = createLogger({
    secrets: () => secrets,
    level: opts.env.PROMOWATCH_LOG_LEVEL === 'debug' ? 'debug' : 'info',
  });
  const target = resolveStoreTarget({
    dbFlag: opts.db,
    configUrl: configuredDatabaseUrl(loaded.config.database, loaded.env),
    env: opts.env,
  });
  let db: Db;
  let sql: Sql;
  if (target.kind === 'sqlite') {
    db = openDatabase(target.file);
    sql = storeOf(db);
  } else {
    db = sqliteOnly();
    sql = await openStore(target);
  }
  try {
    await syncSites(sql, loaded.config.sites, now());
  } catch (err) {
    if (target.kind === 'sqlite') closeDatabase(db);
    else await sql.close();
    throw err;
  }
  const browser = new BrowserPool();
  const deps: RunnerDeps = {
    db,
    sql,
    config: loaded.config,
    now,
    fetch: globalThis.fetch,
    log,
    browser,
    secret: loaded.secret,
  };
  return {
    loaded,
    db,
    sql,
    log,
    browser,
    deps,
    audit: (entry) => recordAudit(sql, CLI_ACTOR, entry, now()),
    async close() {
      await browser.close();
      if (target.kind === 'sqlite') closeDatabase(db);
      else await sql.close();
    },
  };
}

/** Dashboard auth from the config: a password means login required; none means open (loopback only). */
export function authSettings(loaded: LoadedConfig): AuthSettings | null {
  const { auth } = loaded.config.web;
  const password = loaded.env[auth.password.env];
  if (!password) return null;
  const apiToken = auth.apiToken
    ? loaded.secret(auth.apiToken, 'web.auth.apiToken')
    : loaded.env.PROMOWATCH_API_TOKEN;
  return {
    password,
    passwordEnv: auth.password.env,
    apiToken: apiToken || undefined,
    sessionHours: auth.sessionHours,
    idleMinutes: auth.idleMinutes,
    absoluteHours: auth.absoluteHours,
  };
}

/** User-session expiry from the config, for a dashboard with accounts but no shared password. */
export function sessionPolicyOf(loaded: LoadedConfig): SessionPolicy {
  const { auth } = loaded.config.web;
  return {
    idleMinutes: auth.idleMinutes ?? DEFAULT_SESSION_POLICY.idleMinutes,
    absoluteHours: auth.absoluteHours ?? DEFAULT_SESSION_POLICY.absoluteHours,
  };
}
