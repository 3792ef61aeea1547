// Assembles what commands share: config, database, logger, browser pool, and the deps handed to jobs.
import { BrowserPool } from '../browser/launcher.ts';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load.ts';
import { closeDatabase, openDatabase, resolveDbPath, type Db } from '../db/open.ts';
import { syncSites } from '../db/sites.ts';
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
  db: Db;
  /** The data layer over `db` (issue 17: modules move onto it area by area). */
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

export function openRuntime(
  opts: { config?: string; db?: string; env: NodeJS.ProcessEnv; now?: () => Date },
  loadedIn?: LoadedConfig,
): Runtime {
  const loaded = loadedIn ?? loadConfig(resolveConfigPath(opts.config, opts.env), opts.env, JOB_NAMES);
  const now = opts.now ?? (() => new Date());
  const secrets = secretValues(loaded);
  const log = createLogger({
    secrets: () => secrets,
    level: opts.env.PROMOWATCH_LOG_LEVEL === 'debug' ? 'debug' : 'info',
  });
  const db = openDatabase(resolveDbPath(opts.db, opts.env));
  try {
    syncSites(db, loaded.config.sites, now());
  } catch (err) {
    closeDatabase(db);
    throw err;
  }
  const browser = new BrowserPool();
  const sql = storeOf(db);
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
      closeDatabase(db);
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
