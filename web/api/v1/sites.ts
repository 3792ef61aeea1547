// /api/v1 sites, keywords (list, add, import, remove, tags) and events of one site.
// Over 400 lines: route declarations (schema + handler) are long by nature; the queries are in src/rank
// and src/db, this file only declares and maps them.
import { createRoute, z } from '@hono/zod-openapi';
import { addEvent, deleteEvent, listEvents } from '../../../src/db/events.ts';
import { validateKeywordInput } from '../../../src/rank/import-keywords.ts';
import {
  deleteKeyword,
  existingKeywordKeys,
  getKeyword,
  insertKeywords,
  keywordKey,
  listCompetitors,
  addCompetitor,
  deleteCompetitor,
  listKeywords,
  setKeywordTags,
  siteTags,
} from '../../../src/rank/store.ts';
import { DEVICES, ENGINES, type Keyword } from '../../../src/rank/types.ts';
import {
  ApiError,
  errorResponses,
  IdParam,
  json,
  page,
  PageQuery,
  pageSchema,
  pathSite,
  SiteParam,
  v1Resource,
} from './common.ts';

export const SiteSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: 'studio' }),
    baseUrl: z.string().openapi({ example: 'https://studio.example/' }),
    timeZone: z.string().openapi({ example: 'Europe/Moscow' }),
  })
  .openapi('Site');

export const KeywordSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    query: z.string().openapi({ example: 'видеопродакшн москва' }),
    engine: z.enum(ENGINES),
    device: z.enum(DEVICES),
    gl: z.string().nullable(),
    hl: z.string().nullable(),
    location: z.string().nullable(),
    lr: z.number().int().nullable(),
    region: z.string().openapi({ example: 'lr=213' }),
    targetUrl: z.string().nullable(),
    volume: z.number().nullable(),
    tags: z.array(z.string()),
  })
  .openapi('Keyword');

export const NewKeywordSchema = z
  .object({
    query: z.string().min(1).max(200).openapi({ example: 'видеопродакшн москва' }),
    engine: z.enum(ENGINES).openapi({ example: 'yandex' }),
    device: z.enum(DEVICES).default('desktop'),
    gl: z.string().optional(),
    hl: z.string().optional(),
    location: z.string().optional(),
    lr: z.number().int().optional().openapi({ example: 213 }),
    targetUrl: z.string().optional(),
    volume: z.number().int().min(0).optional(),
    tags: z
      .array(z.string())
      .optional()
      .openapi({ example: ['video'] }),
  })
  .openapi('NewKeyword');

export const EventSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int().nullable().openapi({ description: 'null: an event of every site' }),
    day: z.string().openapi({ example: '2026-10-14' }),
    title: z.string().openapi({ example: 'Site relaunch' }),
  })
  .openapi('Event');

/** A stored keyword as the API shows it (the optional region fields always present, null when unset). */
function shownKeyword(k: Keyword) {
  return { ...k, gl: k.gl ?? null, hl: k.hl ?? null, location: k.location ?? null, lr: k.lr ?? null };
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day like 2026-11-27');

// Each route names its site in the path (judged before the handler runs), except the list of sites.
export const sitesV1 = v1Resource();

sitesV1.route(
  'read',
  'none',
  createRoute({
    method: 'get',
    path: '/sites',
    summary: 'The sites this key reaches',
    responses: {
      200: json(z.object({ items: z.array(SiteSchema) }).openapi('SiteList'), 'Sites'),
      ...errorResponses,
    },
  }),
  (c) => c.json({ items: c.get('sites') }, 200),
);

// --- Keywords ------------------------------------------------------------------------------------

sitesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/keywords',
    summary: 'Tracked keywords of a site',
    request: {
      params: SiteParam,
      query: PageQuery.extend({ tag: z.string().optional(), engine: z.enum(ENGINES).optional() }),
    },
    responses: {
      200: json(pageSchema(KeywordSchema, 'KeywordPage'), 'One page of keywords'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const q = c.req.valid('query');
    const all = (await listKeywords(c.get('deps').sql, site.id, { tag: q.tag, engine: q.engine })).sort(
      (a, b) => a.id - b.id,
    );
    const p = page(c, all, (k) => k.id, q);
    return c.json({ items: p.items.map(shownKeyword), next: p.next }, 200);
  },
);

function checkedKeyword(
  c: Parameters<typeof pathSite>[0],
  k: z.infer<typeof NewKeywordSchema>,
  where: string,
) {
  const input = validateKeywordInput({ ...k, tags: k.tags }, { say: c.get('t').rankings.problems });
  if (typeof input === 'string')
    throw new ApiError('invalid', `${where}${input}`, where ? undefined : 'query');
  return input;
}

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/keywords',
    summary: 'Track a keyword',
    request: { params: SiteParam, body: { content: { 'application/json': { schema: NewKeywordSchema } } } },
    responses: {
      201: json(KeywordSchema, 'The keyword as stored'),
      409: json(errorResponses[400].content['application/json'].schema, 'Already tracked'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const input = checkedKeyword(c, c.req.valid('json'), '');
    if ((await existingKeywordKeys(sql, site.id)).has(keywordKey(input)))
      throw new ApiError('conflict', c.get('t').api.errors.duplicateKeyword(input.query));
    const [id] = await insertKeywords(sql, site.id, [input], now());
    return c.json(shownKeyword((await getKeyword(sql, id!))!), 201);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/keywords/import',
    summary: 'Track many keywords at once; those already tracked are skipped (safe to repeat)',
    request: {
      params: SiteParam,
      body: {
        content: {
          'application/json': {
            schema: z
              .object({ keywords: z.array(NewKeywordSchema).min(1).max(5000) })
              .openapi('KeywordImport'),
          },
        },
      },
    },
    responses: {
      200: json(
        z
          .object({ added: z.array(z.number().int()), skipped: z.number().int() })
          .openapi('KeywordImportResult'),
        'Ids of the new keywords and how many were already tracked',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const known = await existingKeywordKeys(sql, site.id);
    const fresh = [];
    let skipped = 0;
    // Every row is checked before anything is written: a bad row leaves nothing half-imported.
    for (const [i, k] of c.req.valid('json').keywords.entries()) {
      const input = checkedKeyword(c, k, `keywords.${i}: `);
      const key = keywordKey(input);
      if (known.has(key)) skipped++;
      else {
        known.add(key);
        fresh.push(input);
      }
    }
    return c.json({ added: await insertKeywords(sql, site.id, fresh, now()), skipped }, 200);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'delete',
    path: '/sites/{site}/keywords/{id}',
    summary: 'Stop tracking a keyword (its history goes too); deleting one already gone also answers 204',
    request: { params: SiteParam.merge(IdParam) },
    responses: { 204: { description: 'Gone' }, ...errorResponses },
  }),
  async (c) => {
    await deleteKeyword(c.get('deps').sql, pathSite(c).id, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'put',
    path: '/sites/{site}/keywords/{id}/tags',
    summary: "Replace a keyword's tags (idempotent)",
    request: {
      params: SiteParam.merge(IdParam),
      body: {
        content: {
          'application/json': {
            schema: z
              .object({
                tags: z
                  .array(z.string().max(50))
                  .max(50)
                  .openapi({ example: ['video', 'moscow'] }),
              })
              .openapi('KeywordTags'),
          },
        },
      },
    },
    responses: { 200: json(KeywordSchema, 'The keyword as stored'), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const s = pathSite(c);
    const { sql } = c.get('deps');
    if (!(await setKeywordTags(sql, s.id, id, c.req.valid('json').tags)))
      throw new ApiError('not_found', c.get('t').api.errors.notFound);
    return c.json(shownKeyword((await getKeyword(sql, id))!), 200);
  },
);

sitesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/tags',
    summary: 'Keyword tags used on a site',
    request: { params: SiteParam },
    responses: {
      200: json(z.object({ items: z.array(z.string()) }).openapi('TagList'), 'Tags'),
      ...errorResponses,
    },
  }),
  async (c) => c.json({ items: await siteTags(c.get('deps').sql, pathSite(c).id) }, 200),
);

const CompetitorSchema = z
  .object({ id: z.number().int(), domain: z.string(), name: z.string().nullable() })
  .openapi('Competitor');

sitesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/competitors',
    summary: 'Competitors watched for a site',
    request: { params: SiteParam },
    responses: {
      200: json(
        z
          .object({
            items: z.array(CompetitorSchema),
          })
          .openapi('CompetitorList'),
        'Competitors',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const list = await listCompetitors(c.get('deps').sql, pathSite(c).id);
    return c.json({ items: list.map((x) => ({ id: x.id, domain: x.domain, name: x.name ?? null })) }, 200);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'put',
    path: '/sites/{site}/competitors/{domain}',
    summary: 'Watch a competitor by domain (again: only its name changes)',
    request: {
      params: SiteParam.extend({
        domain: z.string().openapi({ param: { name: 'domain', in: 'path' }, example: 'rival.example' }),
      }),
      body: {
        content: {
          'application/json': {
            schema: z.object({ name: z.string().max(100).optional() }).openapi('CompetitorInput'),
          },
        },
      },
    },
    responses: { 200: json(CompetitorSchema, 'The competitor as stored'), ...errorResponses },
  }),
  async (c) => {
    const { domain } = c.req.valid('param');
    const s = pathSite(c);
    const { sql, now } = c.get('deps');
    let id: number;
    try {
      id = await addCompetitor(sql, s.id, domain, c.req.valid('json').name?.trim() || null, now());
    } catch (err) {
      throw new ApiError('invalid', (err as Error).message, 'domain');
    }
    const found = (await listCompetitors(sql, s.id)).find((x) => x.id === id)!;
    return c.json({ id: found.id, domain: found.domain, name: found.name ?? null }, 200);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'delete',
    path: '/sites/{site}/competitors/{id}',
    summary: 'Stop watching a competitor; one already gone also answers 204',
    request: { params: SiteParam.merge(IdParam) },
    responses: { 204: { description: 'Gone' }, ...errorResponses },
  }),
  async (c) => {
    await deleteCompetitor(c.get('deps').sql, pathSite(c).id, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

// --- Events --------------------------------------------------------------------------------------

sitesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/events',
    summary: 'Dated events of a site (and those of every site) between two days',
    request: {
      params: SiteParam,
      query: z.object({
        from: Day.default('0000-01-01').openapi({ example: '2026-10-01' }),
        to: Day.default('9999-12-31').openapi({ example: '2026-11-30' }),
      }),
    },
    responses: {
      200: json(z.object({ items: z.array(EventSchema) }).openapi('EventList'), 'Events by day'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const { from, to } = c.req.valid('query');
    return c.json({ items: await listEvents(c.get('deps').sql, site.id, from, to) }, 200);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/events',
    summary: 'Add a dated event (drawn on every chart)',
    request: {
      params: SiteParam,
      body: {
        content: {
          'application/json': {
            schema: z
              .object({
                day: Day.openapi({ example: '2026-11-20' }),
                title: z.string().trim().min(1).max(200),
              })
              .openapi('NewEvent'),
          },
        },
      },
    },
    responses: { 201: json(EventSchema, 'The event as stored'), ...errorResponses },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const { day, title } = c.req.valid('json');
    const id = await addEvent(sql, { siteId: site.id, day, title }, now());
    return c.json({ id, siteId: site.id, day, title }, 201);
  },
);

sitesV1.route(
  'write',
  'path',
  createRoute({
    method: 'delete',
    path: '/sites/{site}/events/{id}',
    summary: "Delete one of the site's events; one already gone also answers 204",
    request: { params: SiteParam.merge(IdParam) },
    responses: { 204: { description: 'Gone' }, ...errorResponses },
  }),
  async (c) => {
    await deleteEvent(c.get('deps').sql, pathSite(c).id, c.req.valid('param').id);
    return c.body(null, 204);
  },
);
