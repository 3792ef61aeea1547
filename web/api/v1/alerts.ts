// /api/v1 alerts: the inbox (one item per message, newest first) and setting a message's state.
import { createRoute, z } from '@hono/zod-openapi';
import { ALERT_STATES, listNotices, setNoticeState } from '../../../src/db/alerts.ts';
import { ApiError, errorResponses, IdParam, json, siteNamed, v1Resource } from './common.ts';

export const AlertSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int().nullable(),
    kind: z.string().openapi({ example: 'backlink-lost' }),
    severity: z.enum(['info', 'warning', 'critical']),
    message: z.string(),
    raisedAt: z.string(),
    state: z.enum(ALERT_STATES),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
  })
  .openapi('Alert');

export const alertsV1 = v1Resource();

alertsV1.route(
  'read',
  'none',
  createRoute({
    method: 'get',
    path: '/alerts',
    summary: 'Alerts, newest first, on the sites the key reaches (paged by cursor)',
    request: {
      query: z.object({
        site: z.string().optional().openapi({ description: 'Only this site' }),
        state: z.enum(ALERT_STATES).optional(),
        cursor: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: json(
        z.object({ items: z.array(AlertSchema), next: z.string().nullable() }).openapi('AlertPage'),
        'One page of alerts',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const siteIds = q.site !== undefined ? [siteNamed(c, q.site).id] : c.get('sites').map((s) => s.id);
    // Newest first is the inbox's order; the cursor is an offset into it, encoded like the others.
    let offset = 0;
    if (q.cursor) {
      const n = Number(Buffer.from(q.cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
      if (!Number.isInteger(n) || n < 0)
        throw new ApiError('invalid', c.get('t').api.errors.badCursor, 'cursor');
      offset = n;
    }
    const { total, notices } = await listNotices(
      c.get('deps').sql,
      { siteIds, states: q.state ? [q.state] : undefined },
      { limit: q.limit, offset },
    );
    const end = offset + notices.length;
    const items = notices.map(({ facts: _f, deliveries: _d, ...n }) => n);
    return c.json({ items, next: end < total ? Buffer.from(`o:${end}`).toString('base64url') : null }, 200);
  },
);

alertsV1.route(
  'write',
  { id: 'notice' },
  createRoute({
    method: 'put',
    path: '/alerts/{id}/state',
    summary: 'Acknowledge, resolve or reopen an alert; setting the state it already has changes nothing',
    request: {
      params: IdParam,
      body: {
        content: {
          'application/json': {
            schema: z
              .object({ state: z.enum(ALERT_STATES).openapi({ example: 'acknowledged' }) })
              .openapi('AlertState'),
          },
        },
      },
    },
    responses: { 200: json(AlertSchema, 'The alert as it now is'), ...errorResponses },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const { id } = c.req.valid('param');
    const principal = c.get('apiKey');
    const find = async () =>
      (await listNotices(sql, { siteIds: null }, { limit: 1_000_000, offset: 0 })).notices.find(
        (n) => n.id === id,
      );
    // The authorisation check judged the alert's site (one about no site is an install's matter: only
    // a key reaching every site gets this far with it); what is left is "no such alert".
    const before = await find();
    if (!before) throw new ApiError('not_found', c.get('t').api.errors.notFound);
    const want = c.req.valid('json').state;
    if (want !== before.state) {
      const action = want === 'open' ? 'reopen' : want === 'acknowledged' ? 'acknowledge' : 'resolve';
      // Acknowledging a resolved alert would change nothing; going back from resolved needs a reopen first.
      if (action === 'acknowledge' && before.state === 'resolved')
        await setNoticeState(sql, [id], 'reopen', '', now());
      await setNoticeState(
        sql,
        [id],
        action,
        `${principal.user.email} (key ${principal.key.prefix}…)`,
        now(),
      );
    }
    const { facts: _f, deliveries: _d, ...after } = (await find())!;
    return c.json(after, 200);
  },
);
