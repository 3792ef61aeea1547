// Builds the dashboard as a Hono app (tests call app.request(); web/server.ts listens).
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { adsApi } from './api/ads.ts';
import { auditApi } from './api/audit.ts';
import { backlinksApi } from './api/backlinks.ts';
import { jobsApi } from './api/jobs.ts';
import { overviewApi } from './api/overview.ts';
import { rankingsApi } from './api/rankings.ts';
import { sitesApi } from './api/sites.ts';
import { v1Api } from './api/v1/index.ts';
import { bodyLimit } from 'hono/body-limit';
import { accessGuard } from './access.ts';
import { auditTrail } from './audit-log.ts';
import { authGate, csrfGuard, csrfIssuer, hostGuard, SessionStore } from './auth.ts';
import { SharedKeyRateLimiter, SharedLoginLimiter } from '../src/limits/rate.ts';
import { adsPages } from './pages/ads.ts';
import { alertsPage } from './pages/alerts.ts';
import { auditPages } from './pages/audit.ts';
import { backlinksPages } from './pages/backlinks.ts';
import { jobsPage } from './pages/jobs.ts';
import { loginPages } from './pages/login.ts';
import { accountPage } from './pages/account.ts';
import { accountKeysPage } from './pages/account-keys.ts';
import { usersPage } from './pages/users.ts';
import { sharePages } from './pages/share.ts';
import { auditLogPage } from './pages/audit-log.ts';
import { overviewPage } from './pages/overview.ts';
import { uptimePage } from './pages/uptime.ts';
import { rankingsPages } from './pages/rankings.ts';
import { reportsPages } from './pages/reports.ts';
import { languageMiddleware, languagePages } from './i18n.ts';
import { clientResolver, trustedProxies } from './client.ts';
import { securityHeaders } from './security.ts';
import { errorPage } from './layout.ts';
import { staticFiles } from './static.ts';
import { storeOf } from '../src/db/store/sqlite.ts';
import { healthRoute, metricsPage } from './ops.ts';
import type { AppDeps, Env } from './types.ts';

export function createApp(given: AppDeps) {
  const deps = { ...given, sql: given.sql ?? storeOf(given.db) };
  const key = deps.secretKey ?? randomBytes(32);
  const sessions = new SessionStore(deps.now);
  // Limits live in the database, so every dashboard on it counts against the same ones.
  const loginLimiter = new SharedLoginLimiter(deps.sql, 'login', deps.now);
  const bearerLimiter = new SharedLoginLimiter(deps.sql, 'bearer', deps.now);
  const keyLimiter = new SharedKeyRateLimiter(deps.sql, deps.now);
  const proxies = trustedProxies(deps.config.web.trustProxy);
  const siteNames = deps.config.sites.map((s) => s.name);

  const app = new Hono<Env>();
  app.use(securityHeaders);
  app.route('/static', staticFiles());
  app.route('/', healthRoute(deps));
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('bearer', false);
    await next();
  });
  app.use(languageMiddleware);
  app.use(clientResolver(proxies));
  app.use(hostGuard(deps.auth === null));
  // Forms here are a few fields: anything large is refused before it is read (and before any login).
  app.use(
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text(c.get('t').common.errors.bodyTooLarge, 413) }),
  );
  app.use(csrfIssuer(key));
  app.use(authGate(deps.auth, sessions, bearerLimiter, keyLimiter));
  app.use(auditTrail);
  app.use(csrfGuard(key));
  // The one authorisation check (web/access.ts): who may see which site, read or change what.
  app.use(accessGuard(siteNames));

  app.route('/', languagePages);
  app.route('/', loginPages(sessions, loginLimiter));
  app.route('/', overviewPage);
  app.route('/', uptimePage);
  app.route('/', jobsPage);
  app.route('/', alertsPage);
  app.route('/', auditPages);
  app.route('/', backlinksPages);
  app.route('/', rankingsPages);
  app.route('/', adsPages);
  app.route('/', reportsPages);
  app.route('/', accountPage);
  app.route('/', accountKeysPage);
  app.route('/', usersPage);
  app.route('/', sharePages);
  app.route('/', auditLogPage);
  app.route('/', metricsPage);
  app.route('/api/overview', overviewApi);
  app.route('/api/jobs', jobsApi);
  app.route('/api/audit', auditApi);
  app.route('/api/backlinks', backlinksApi);
  app.route('/api/rankings', rankingsApi);
  app.route('/api/ads', adsApi);
  app.route('/api/sites', sitesApi);
  app.route('/api/v1', v1Api());

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'not found' }, 404) : errorPage(c, 404, null),
  );
  app.onError((err, c) => {
    deps.log.error(`dashboard: ${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: 'internal error; the server log has the details' }, 500);
    return errorPage(c, 500, null);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
