// The REST API under /api/v1: the resources, the OpenAPI 3.1 document built from the same zod schemas
// (/api/v1/openapi.json) and a docs page rendered from it (/api/v1/docs). Keys are authenticated by the
// login middleware (web/auth.ts) and judged by the one authorisation check (web/access.ts).
import type { RouteRule } from '../../access.ts';
import { adAccountsV1 } from './ad-accounts.ts';
import { alertsV1 } from './alerts.ts';
import { backlinksV1 } from './backlinks.ts';
import { ApiError, errorBody, errorResponse, v1Router } from './common.ts';
import { docsPage } from './docs.ts';
import { seriesV1 } from './series.ts';
import { sitesV1 } from './sites.ts';

/** The resources: each declares its routes as it registers them (`route()` in common.ts). */
const RESOURCES = [sitesV1, backlinksV1, alertsV1, seriesV1, adAccountsV1];

/** Every /api/v1 route (paths under /api/v1) with the key scope it needs and where its site comes
 * from: the REST API's part of the table the authorisation check (web/access.ts) judges by. */
export const API_V1_ROUTES: readonly RouteRule[] = [
  { method: 'GET', path: '/openapi.json', need: 'public', site: 'none' },
  { method: 'GET', path: '/docs', need: 'public', site: 'none' },
  ...RESOURCES.flatMap((r) => r.routes),
];

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'promowatch API',
    version: '1',
    description:
      'Rankings, bought links, ad spend and site health of the sites your key reaches. Send "Authorization: Bearer pw_…".',
  },
  servers: [{ url: '/api/v1' }],
};

/** The API's router. The per-key rate limit is kept by the login middleware (web/auth.ts). */
export function v1Api() {
  const api = v1Router();
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key made on the Account page or with "promowatch keys add" (pw_…)',
  });
  for (const r of RESOURCES) api.route('/', r.router);
  const document = () => ({ ...api.getOpenAPI31Document(OPENAPI_INFO), security: [{ apiKey: [] }] });
  api.get('/openapi.json', (c) => c.json(document()));
  api.get('/docs', (c) => docsPage(c, document() as never));
  api.notFound((c) => c.json(errorBody('not_found', c.get('t').api.errors.notFound), 404));
  api.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    c.get('deps').log.error(`api: ${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return c.json(errorBody('internal', c.get('t').api.errors.internal), 500);
  });
  return api;
}
