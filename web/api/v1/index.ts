// The REST API under /api/v1: per-key auth and rate limit, the resources, the OpenAPI 3.1 document
// built from the same zod schemas (/api/v1/openapi.json) and a docs page rendered from it (/api/v1/docs).
import { KeyRateLimiter } from '../../../src/auth/api-keys.ts';
import { adAccountsV1, needs as adAccountNeeds } from './ad-accounts.ts';
import { alertsV1, needs as alertNeeds } from './alerts.ts';
import { backlinksV1, needs as backlinkNeeds } from './backlinks.ts';
import { ApiError, errorBody, errorResponse, keyAuth, v1Router, type RouteNeed } from './common.ts';
import { docsPage } from './docs.ts';
import { seriesV1, needs as seriesNeeds } from './series.ts';
import { sitesV1, needs as siteNeeds } from './sites.ts';

/** Every /api/v1 route with the key scope it needs and how its site is found: what the one
 * authorisation check (web/access.ts) reads. A route missing here answers as a write route would. */
export const API_V1_ROUTES: readonly RouteNeed[] = [
  { method: 'GET', path: '/openapi.json', scope: 'public', site: 'none' },
  { method: 'GET', path: '/docs', scope: 'public', site: 'none' },
  ...siteNeeds,
  ...backlinkNeeds,
  ...alertNeeds,
  ...seriesNeeds,
  ...adAccountNeeds,
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

/** The API's router; `now` drives the per-key rate limit (one bucket store per app). */
export function v1Api(now: () => Date, limits?: { perMinute: number; burst: number }) {
  const limiter = new KeyRateLimiter(now, limits?.perMinute, limits?.burst);
  const api = v1Router();
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key made on the Account page or with "promowatch keys add" (pw_…)',
  });
  api.use(keyAuth(limiter, () => API_V1_ROUTES));
  api.route('/', sitesV1);
  api.route('/', backlinksV1);
  api.route('/', alertsV1);
  api.route('/', seriesV1);
  api.route('/', adAccountsV1);
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
