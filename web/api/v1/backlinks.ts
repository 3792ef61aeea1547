// /api/v1 backlinks: list, one, add, import, edit, archive, check now. Fields are written as in the
// promowatch import file (donor_url, target, anchor, price "1500.00"…), so one validation serves all.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { validateBacklinkInput, type BacklinkField } from '../../../src/backlinks/import.ts';
import { PROMOWATCH_COLUMNS } from '../../../src/backlinks/input.ts';
import {
  existingKeys,
  getBacklink,
  insertBacklinks,
  listBacklinks,
  setArchived,
  updateBacklink,
  type BacklinkRow,
} from '../../../src/backlinks/store.ts';
import { backlinkKey } from '../../../src/backlinks/input.ts';
import { BACKLINK_KINDS } from '../../../src/backlinks/types.ts';
import { dayIn } from '../../../src/util/days.ts';
import { defaultCurrency } from '../../pages/backlinks-manage.ts';
import {
  ApiError,
  ErrorSchema,
  errorResponses,
  IdParam,
  json,
  page,
  PageQuery,
  pageSchema,
  pathSite,
  SiteParam,
  v1Resource,
  type V1Env,
} from './common.ts';
import type { SiteFrom } from '../../access.ts';
import type { SiteRow } from '../../../src/db/sites.ts';

const STATUSES = ['unchecked', 'live', 'devalued', 'lost', 'inconclusive'] as const;

export const BacklinkSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    donorUrl: z.string().openapi({ example: 'https://blog.example/best-studios' }),
    target: z.string().openapi({ example: 'https://studio.example/video' }),
    targetKind: z.enum(['url', 'domain']),
    expectedAnchor: z.string().nullable(),
    kind: z.enum(BACKLINK_KINDS),
    vendor: z.string().nullable(),
    priceMicros: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Integer micros of currency (1 ₽ = 1,000,000)' }),
    currency: z.string().nullable(),
    billing: z.enum(['one-off', 'monthly']),
    boughtOn: z.string().nullable(),
    paidUntil: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    brand: z.string().nullable(),
    status: z.enum(STATUSES),
    statusSince: z.string().nullable(),
    statusReasons: z.array(z.string()),
    googlePasses: z.boolean().nullable(),
    yandexPasses: z.boolean().nullable(),
    lastCheckedAt: z.string().nullable(),
    createdAt: z.string(),
    archivedAt: z.string().nullable(),
  })
  .openapi('Backlink');

const FIELD_EXAMPLES: Partial<Record<BacklinkField, string>> = {
  donor_url: 'https://blog.example/best-studios',
  target: 'https://studio.example/video',
  anchor: 'видеостудия',
  price: '1500.00',
  currency: 'RUB',
  billing: 'one-off',
  bought_on: '2026-10-01',
};
export const BacklinkInputSchema = z
  .object(
    Object.fromEntries(
      PROMOWATCH_COLUMNS.map((f) => [f, z.string().optional().openapi({ example: FIELD_EXAMPLES[f] })]),
    ) as Record<BacklinkField, z.ZodOptional<z.ZodString>>,
  )
  .openapi('BacklinkInput', {
    description: 'A link as in the promowatch import file: donor_url and target required.',
  });

function shown(l: BacklinkRow) {
  const { failStreak: _f, failSince: _s, lastRenderedAt: _r, ...rest } = l;
  return rest;
}

function checked(c: Context<V1Env>, site: SiteRow, raw: Record<string, string | undefined>, where: string) {
  const { now, config } = c.get('deps');
  const v = validateBacklinkInput(raw, where, {
    today: dayIn(now(), site.timeZone),
    defaultCurrency: defaultCurrency(config),
  });
  if ('errors' in v) throw new ApiError('invalid', v.errors.join('; '));
  return v.input;
}

/** The link with this id and its site; 404 for no such link. A link of a site the key does not reach
 * was already answered 404 by the authorisation check (its routes judge the link's site). */
async function linkOf(c: Context<V1Env>, id: number): Promise<{ link: BacklinkRow; site: SiteRow }> {
  const link = await getBacklink(c.get('deps').sql, id);
  const site = c.get('sites').find((s) => s.id === link?.siteId);
  if (!link || !site) throw new ApiError('not_found', c.get('t').api.errors.notFound);
  return { link, site };
}

/** Routes about one link find its site through the link's id in the path. */
const BACKLINK: SiteFrom = { id: 'backlink' };

export const backlinksV1 = v1Resource();

backlinksV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/backlinks',
    summary: 'Bought links of a site, by id',
    request: {
      params: SiteParam,
      query: PageQuery.extend({
        status: z.enum(STATUSES).optional(),
        vendor: z.string().optional(),
        tag: z.string().optional(),
        archived: z
          .enum(['only', 'with'])
          .optional()
          .openapi({ description: 'Archived links are left out unless asked for' }),
      }),
    },
    responses: {
      200: json(pageSchema(BacklinkSchema, 'BacklinkPage'), 'One page of links'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const { status, vendor, tag, archived, ...q } = c.req.valid('query');
    const all = (await listBacklinks(c.get('deps').sql, site.id, { status, vendor, tag, archived })).sort(
      (a, b) => a.id - b.id,
    );
    const p = page(c, all, (l) => l.id, q);
    return c.json({ items: p.items.map(shown), next: p.next }, 200);
  },
);

backlinksV1.route(
  'read',
  BACKLINK,
  createRoute({
    method: 'get',
    path: '/backlinks/{id}',
    summary: 'One link',
    request: { params: IdParam },
    responses: { 200: json(BacklinkSchema, 'The link'), ...errorResponses },
  }),
  async (c) => c.json(shown((await linkOf(c, c.req.valid('param').id)).link), 200),
);

backlinksV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/backlinks',
    summary: 'Add a link',
    request: {
      params: SiteParam,
      body: { content: { 'application/json': { schema: BacklinkInputSchema } } },
    },
    responses: {
      201: json(BacklinkSchema, 'The link as stored'),
      409: json(ErrorSchema, 'The same donor page and target are already listed'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const input = checked(c, site, c.req.valid('json'), '');
    if ((await existingKeys(sql, site.id, backlinkKey)).has(backlinkKey(input.donorUrl, input.target)))
      throw new ApiError('conflict', c.get('t').api.errors.duplicateLink);
    const [id] = await insertBacklinks(sql, site.id, [input], now());
    return c.json(shown((await getBacklink(sql, id!))!), 201);
  },
);

backlinksV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/backlinks/import',
    summary: 'Add many links; those already listed are skipped (safe to repeat); a bad row adds nothing',
    request: {
      params: SiteParam,
      body: {
        content: {
          'application/json': {
            schema: z
              .object({ links: z.array(BacklinkInputSchema).min(1).max(5000) })
              .openapi('BacklinkImport'),
          },
        },
      },
    },
    responses: {
      200: json(
        z
          .object({ added: z.array(z.number().int()), skipped: z.number().int() })
          .openapi('BacklinkImportResult'),
        'Ids of the new links and how many were already listed',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const known = await existingKeys(sql, site.id, backlinkKey);
    const fresh = [];
    let skipped = 0;
    for (const [i, raw] of c.req.valid('json').links.entries()) {
      const input = checked(c, site, raw, `links.${i}`);
      const key = backlinkKey(input.donorUrl, input.target);
      if (known.has(key)) skipped++;
      else {
        known.add(key);
        fresh.push(input);
      }
    }
    return c.json({ added: await insertBacklinks(sql, site.id, fresh, now()), skipped }, 200);
  },
);

backlinksV1.route(
  'write',
  BACKLINK,
  createRoute({
    method: 'put',
    path: '/backlinks/{id}',
    summary:
      'Replace what was typed about a link (its checks and state stay); repeating it changes nothing more',
    request: { params: IdParam, body: { content: { 'application/json': { schema: BacklinkInputSchema } } } },
    responses: {
      200: json(BacklinkSchema, 'The link as stored'),
      409: json(ErrorSchema, 'Another link has this donor page and target'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { link, site } = await linkOf(c, c.req.valid('param').id);
    const input = checked(c, site, c.req.valid('json'), '');
    const sql = c.get('deps').sql;
    if ((await updateBacklink(sql, link.id, input)) === 'duplicate')
      throw new ApiError('conflict', c.get('t').api.errors.duplicateLink);
    return c.json(shown((await getBacklink(sql, link.id))!), 200);
  },
);

backlinksV1.route(
  'write',
  BACKLINK,
  createRoute({
    method: 'put',
    path: '/backlinks/{id}/archived',
    summary: 'Archive a link (true) or bring it back (false); idempotent',
    request: {
      params: IdParam,
      body: {
        content: { 'application/json': { schema: z.object({ archived: z.boolean() }).openapi('Archived') } },
      },
    },
    responses: { 200: json(BacklinkSchema, 'The link as stored'), ...errorResponses },
  }),
  async (c) => {
    const { link } = await linkOf(c, c.req.valid('param').id);
    const { sql, now } = c.get('deps');
    await setArchived(sql, [link.id], c.req.valid('json').archived ? now() : null);
    return c.json(shown((await getBacklink(sql, link.id))!), 200);
  },
);

backlinksV1.route(
  'write',
  BACKLINK,
  createRoute({
    method: 'post',
    path: '/backlinks/{id}/check',
    summary: 'Check a link now, as the dashboard\'s "Check now" does (a manual run of check-backlinks)',
    request: { params: IdParam },
    responses: {
      200: json(BacklinkSchema, 'The link after the check'),
      409: json(ErrorSchema, 'No scheduler attached, or a check of it is already running'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { link, site } = await linkOf(c, c.req.valid('param').id);
    const { recheck, sql } = c.get('deps');
    const say = c.get('t').api.errors;
    if (!recheck) throw new ApiError('conflict', say.noChecker);
    const r = await recheck(site, [link.id]);
    if (r.status === 'skipped') throw new ApiError('conflict', say.checkBusy);
    return c.json(shown((await getBacklink(sql, link.id))!), 200);
  },
);
