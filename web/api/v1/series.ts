// /api/v1 read-only data of a site: visibility and keyword positions, ad accounts and statistics,
// audit crawls and their issues, and weekly reports (with their PDF).
// Just over 400 lines: route declarations (schema + handler) are long by nature; each area's queries are
// in src/<area>/, this file only declares and maps them.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { adsTable } from '../../../src/ads/analysis.ts';
import { listAccounts } from '../../../src/ads/store.ts';
import { getCrawl, issuesByRule, listCrawls } from '../../../src/audit/queries.ts';
import type { SiteRow } from '../../../src/db/sites.ts';
import { keywordObservations } from '../../../src/rank/queries.ts';
import { getKeyword } from '../../../src/rank/store.ts';
import { ENGINES } from '../../../src/rank/types.ts';
import { curveFor, visibilitySeries } from '../../../src/rank/visibility.ts';
import { getReport, listReports } from '../../../src/report/store.ts';
import { addDays, dayIn } from '../../../src/util/days.ts';
import {
  ApiError,
  errorResponses,
  IdParam,
  json,
  pathSite,
  SiteParam,
  v1Resource,
  type V1Env,
} from './common.ts';
import type { SiteFrom } from '../../access.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day like 2026-11-27');

/** Routes about one report find its site through the report's id in the path. */
const REPORT: SiteFrom = { id: 'report' };

export const seriesV1 = v1Resource();

function notFound(c: Context<V1Env>): never {
  throw new ApiError('not_found', c.get('t').api.errors.notFound);
}

/** The last `days` days up to the site's today, oldest first. */
function lastDays(c: Context<V1Env>, site: SiteRow, days: number): string[] {
  const today = dayIn(c.get('deps').now(), site.timeZone);
  return Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
}

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/visibility',
    summary: 'Visibility per day (percent of the clicks the top positions would get) and the position bands',
    request: {
      params: SiteParam,
      query: z.object({
        days: z.coerce.number().int().min(7).max(730).default(30),
        engine: z.enum(ENGINES).optional(),
        tag: z.string().optional(),
      }),
    },
    responses: {
      200: json(
        z
          .object({
            items: z.array(
              z
                .object({
                  day: z.string(),
                  index: z
                    .number()
                    .nullable()
                    .openapi({ description: 'Percent 0–100; null: nothing observed' }),
                  observed: z.number().int(),
                  top3: z.number().int(),
                  top10: z.number().int(),
                  top30: z.number().int(),
                  top100: z.number().int(),
                  notInTop: z.number().int(),
                })
                .openapi('VisibilityPoint'),
            ),
          })
          .openapi('VisibilitySeries'),
        'One point per day',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const q = c.req.valid('query');
    const settings = c.get('deps').config.sites.find((s) => s.name === site.name)?.rankings;
    const curve = curveFor(settings?.ctrCurve, settings?.customCurve);
    const items = await visibilitySeries(c.get('deps').sql, site.id, lastDays(c, site, q.days), {
      engine: q.engine,
      tag: q.tag,
      curve,
    });
    return c.json({ items }, 200);
  },
);

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/keywords/{id}/positions',
    summary: "A keyword's observed positions, newest first, per source",
    request: { params: SiteParam.merge(IdParam) },
    responses: {
      200: json(
        z
          .object({
            items: z.array(
              z
                .object({
                  day: z.string(),
                  source: z.string(),
                  state: z.enum(['ranked', 'not-in-top', 'failed']),
                  position: z.number().nullable(),
                  url: z.string().nullable(),
                })
                .openapi('Observation'),
            ),
          })
          .openapi('PositionHistory'),
        'Observations',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const s = pathSite(c);
    const { sql } = c.get('deps');
    if ((await getKeyword(sql, id))?.siteId !== s.id) notFound(c);
    const items = (await keywordObservations(sql, id)).map((o) => ({
      day: o.day,
      source: o.source,
      state: o.state,
      position: o.position,
      url: o.url,
    }));
    return c.json({ items }, 200);
  },
);

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/ad-accounts',
    summary: 'Ad accounts of a site (never their credentials)',
    request: { params: SiteParam },
    responses: {
      200: json(
        z
          .object({
            items: z.array(
              z
                .object({
                  id: z.number().int(),
                  platform: z.string().openapi({ example: 'yandex-direct' }),
                  externalId: z.string(),
                  name: z.string(),
                  currency: z.string(),
                  timeZone: z.string(),
                  monthlyBudgetMicros: z.number().int().nullable(),
                })
                .openapi('AdAccount'),
            ),
          })
          .openapi('AdAccountList'),
        'Accounts',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const items = (await listAccounts(c.get('deps').sql, site.id)).map((a) => ({
      id: a.id,
      platform: a.platform,
      externalId: a.externalId,
      name: a.name,
      currency: a.currency,
      timeZone: a.timeZone,
      monthlyBudgetMicros: a.monthlyBudgetMicros,
    }));
    return c.json({ items }, 200);
  },
);

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/ad-stats',
    summary: "Ad statistics per period and group, in each account's currency (money in integer micros)",
    request: {
      params: SiteParam,
      query: z.object({
        from: Day.optional().openapi({ example: '2026-10-01' }),
        to: Day.optional().openapi({ example: '2026-10-31' }),
        period: z.enum(['day', 'week', 'month']).default('day'),
        groupBy: z.enum(['platform', 'account', 'campaign', 'total']).default('platform'),
      }),
    },
    responses: {
      200: json(
        z
          .object({
            items: z.array(
              z
                .object({
                  period: z.string(),
                  key: z.string(),
                  label: z.string(),
                  currency: z.string(),
                  impressions: z.number(),
                  clicks: z.number(),
                  costMicros: z.number(),
                  conversions: z.number(),
                  valueMicros: z.number(),
                  ctr: z.number().nullable(),
                  cpcMicros: z.number().nullable(),
                  cpaMicros: z.number().nullable(),
                  roas: z.number().nullable(),
                })
                .openapi('AdStatsRow'),
            ),
          })
          .openapi('AdStats'),
        'Rows by period, group and currency',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const q = c.req.valid('query');
    const days = lastDays(c, site, 30);
    const items = await adsTable(
      c.get('deps').sql,
      site.id,
      q.from ?? days[0]!,
      q.to ?? days[days.length - 1]!,
      q.period,
      q.groupBy,
    );
    return c.json({ items }, 200);
  },
);

const CrawlSchema = z
  .object({
    id: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.string(),
    pages: z.number().int(),
    health: z.number().nullable().openapi({ description: '0–100' }),
    startUrl: z.string(),
  })
  .openapi('Crawl');

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/audits',
    summary: 'Finished site audits (crawls), newest first',
    request: { params: SiteParam },
    responses: {
      200: json(z.object({ items: z.array(CrawlSchema) }).openapi('CrawlList'), 'Crawls'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    const items = (await listCrawls(c.get('deps').sql, site.id)).map(({ robots: _r, ...k }) => k);
    return c.json({ items }, 200);
  },
);

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/audits/{id}/issues',
    summary: 'Issues of one audit, counted by rule',
    request: { params: SiteParam.merge(IdParam) },
    responses: {
      200: json(
        z
          .object({
            items: z.array(
              z
                .object({
                  rule: z.string(),
                  severity: z.string(),
                  title: z.string(),
                  count: z.number().int(),
                })
                .openapi('IssueCount'),
            ),
          })
          .openapi('IssueCounts'),
        'Issue counts',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const s = pathSite(c);
    const sql = c.get('deps').sql;
    if ((await getCrawl(sql, id))?.siteId !== s.id) notFound(c);
    return c.json({ items: await issuesByRule(sql, id) }, 200);
  },
);

const ReportSummarySchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    week: z.string().openapi({ example: '2026-W44' }),
    weekFrom: z.string(),
    weekTo: z.string(),
    createdAt: z.string(),
    subject: z.string(),
    hasPdf: z.boolean(),
    sentAt: z.string().nullable(),
    lang: z.string(),
  })
  .openapi('ReportSummary');

function summary<T extends z.infer<typeof ReportSummarySchema>>(r: T) {
  return {
    id: r.id,
    siteId: r.siteId,
    week: r.week,
    weekFrom: r.weekFrom,
    weekTo: r.weekTo,
    createdAt: r.createdAt,
    subject: r.subject,
    hasPdf: r.hasPdf,
    sentAt: r.sentAt,
    lang: r.lang,
  };
}

seriesV1.route(
  'read',
  'path',
  createRoute({
    method: 'get',
    path: '/sites/{site}/reports',
    summary: 'Weekly reports of a site, newest week first',
    request: { params: SiteParam },
    responses: {
      200: json(z.object({ items: z.array(ReportSummarySchema) }).openapi('ReportList'), 'Reports'),
      ...errorResponses,
    },
  }),
  async (c) => {
    const site = pathSite(c);
    return c.json({ items: (await listReports(c.get('deps').sql, site.id)).map(summary) }, 200);
  },
);

seriesV1.route(
  'read',
  REPORT,
  createRoute({
    method: 'get',
    path: '/reports/{id}',
    summary: 'One report: its summary, plain text and HTML as mailed',
    request: { params: IdParam },
    responses: {
      200: json(
        ReportSummarySchema.extend({ text: z.string(), html: z.string() }).openapi('Report'),
        'The report',
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const r = (await getReport(c.get('deps').sql, c.req.valid('param').id)) ?? notFound(c);
    return c.json({ ...summary(r), text: r.text, html: r.html }, 200);
  },
);

seriesV1.route(
  'read',
  REPORT,
  createRoute({
    method: 'get',
    path: '/reports/{id}/pdf',
    summary: 'The report as a PDF file',
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The PDF',
        content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const r = (await getReport(c.get('deps').sql, c.req.valid('param').id)) ?? notFound(c);
    const site = c.get('sites').find((s) => s.id === r.siteId);
    if (!r.pdf || !site) notFound(c);
    return c.body(new Uint8Array(r.pdf!), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="promowatch-${site!.name}-${r.week}.pdf"`,
    }) as never;
  },
);
