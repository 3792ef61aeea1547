// What the dashboard is built from, and the per-request values its middleware sets.
import type { Config } from '../src/config/schema.ts';
import type { TaskQueue } from '../src/queue/types.ts';
import type { Db } from '../src/db/open.ts';
import type { Sql } from '../src/db/store/types.ts';
import type { SiteRow } from '../src/db/sites.ts';
import type { Logger } from '../src/util/log.ts';
import type { Job } from '../jobs/types.ts';
import type { Formatter, Lang, Messages } from '../src/i18n/index.ts';
import type { KeyPrincipal } from '../src/auth/api-keys.ts';
import type { SessionPolicy, SessionRow } from '../src/auth/sessions.ts';
import type { SharedView } from '../src/auth/share-links.ts';
import type { Principal } from './access.ts';
import type { CurrentUser } from './auth.ts';
import type { Client } from './client.ts';

export interface AuthSettings {
  password: string;
  /** The environment variable the password came from, for messages (never the value). */
  passwordEnv?: string;
  /** Bearer token for /api; when unset, Bearer takes the password instead. */
  apiToken?: string;
  sessionHours: number;
  /** User sessions (once a user exists): idle and absolute expiry; defaults in src/auth/sessions.ts. */
  idleMinutes?: number;
  absoluteHours?: number;
}

export interface AppDeps {
  /** The SQLite connection, for modules not yet moved onto `sql` (issue 17: they move area by area). */
  db: Db;
  /** The data layer (SQLite or PostgreSQL); by default the store over `db` (storeOf). */
  sql?: Sql;
  /** Where evidence screenshots are kept; default: beside the SQLite file (src/backlinks/evidence.ts evidenceDirOf). */
  evidenceDir?: string;
  config: Config;
  jobs: readonly Job[];
  now: () => Date;
  log: Logger;
  /** null: open dashboard (loopback only; enforced by the server). */
  auth: AuthSettings | null;
  /** Starts a job run in the background; absent when no scheduler is attached. */
  runNow?: (job: string, site: string | null) => 'started' | 'busy' | 'unknown';
  /** Re-checks some links of a site now, as a manual run of the check-backlinks job; absent when the
   * dashboard runs without the job runner (then the button is not shown). */
  recheck?: (site: SiteRow, ids: number[]) => Promise<{ status: string }>;
  /** Shows the "this is a simulation" banner on every page. */
  demo?: boolean;
  /** The task queue this process works (src/queue): /metrics reports its depth, /healthz its backend. */
  queue?: TaskQueue;
  /** Idle and absolute expiry of user sessions when no password is configured (config web.auth). */
  sessionPolicy?: SessionPolicy;
  /** Key for CSRF tokens; random per process unless given (tests). */
  secretKey?: Buffer;
}

export type Env = {
  Variables: {
    deps: AppDeps & { sql: Sql };
    sites: SiteRow[];
    site: SiteRow | null;
    csrf: string;
    /** Who is asking and over what, read through trusted proxies (web/client.ts). */
    client: Client;
    /** The request came with a valid bearer token (no cookies, so no CSRF check). */
    bearer: boolean;
    /** The logged-in user; null while no user exists (open or single-password mode) and for bearer
     * requests. Roles and per-site checks read it (role, siteIds: null = all sites). */
    user: CurrentUser | null;
    /** The user's session (for "log out everywhere else" and the session list). */
    session: SessionRow | null;
    /** The API key a /api/v1 request came with (web/api/v1/common.ts keyAuth); null elsewhere and for
     * a request without a valid key. */
    apiKey: KeyPrincipal | null;
    /** A share link opened in this browser (no user logged in): read-only, one site or one report. */
    share: SharedView | null;
    /** Who is asking, as the authorisation check (web/access.ts) judged it. */
    principal: Principal;
    /** The visitor's language and its messages (web/i18n.ts). */
    lang: Lang;
    t: Messages;
    /** Numbers, money and dates in the visitor's language and the chosen site's time zone. */
    fmt: Formatter;
  };
};
