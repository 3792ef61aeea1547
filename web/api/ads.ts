// Ads JSON API: the charts of a view (spend stacked by platform, account or campaign; CPC, CPA, ROAS), the
// campaign table, pacing and anomalies. The reads are src/ads/report-data.ts; the view is web/views/ads.ts.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { convertRows, withMetrics, type AdsRow } from '../../src/ads/analysis.ts';
import { sortCampaigns } from '../../src/ads/campaign-sort.ts';
import { anomalyRows, pacingRows } from '../../src/ads/current.ts';
import {
  cachedCampaigns,
  groupedRows,
  OTHER_CAMPAIGNS,
  TOTAL_FIELDS,
  ZERO,
} from '../../src/ads/report-data.ts';
import { completeTo, partialIndex, viewKey, type AdsView } from '../../src/ads/report-view.ts';
import { platformById, platformIds } from '../../src/ads/registry.ts';
import type { Platform } from '../../src/ads/types.ts';
import type { Messages } from '../../src/i18n/index.ts';
import { listEvents } from '../../src/db/events.ts';
import { cachedRead } from '../../src/db/read-cache.ts';
import type { Sql } from '../../src/db/store/types.ts';
import type { Env } from '../types.ts';
import { adsView, campaignJson, campaignOrder } from '../views/ads.ts';

const round2 = (x: number) => Math.round(x * 100) / 100;
const units = (micros: number | null) => (micros === null ? null : round2(micros / 1e6));

/**
 * The Ads charts in the shape web/public/app.js draws; periods without statistics stay null. Each dataset
 * has a stable `key` (platform id, account id, "accountId/campaignId", currency, metric) for its colour
 * and a `label` in the reader's language; account and campaign names are shown as typed.
 */
export async function trendJson(sql: Sql, v: AdsView, t: Messages['ads']) {
  let grouped = await groupedRows(sql, v);
  if (v.conversion) grouped = convertRows(grouped, v.conversion);
  // The trend lines are the groups added up per period — within one currency only.
  const periodSums = (rows: readonly AdsRow[]) => {
    const sums = new Map<string, AdsRow>();
    for (const r of rows) {
      const k = `${r.period}\u0000${r.currency}`;
      const m = sums.get(k) ?? { ...r, ...ZERO, key: '', label: '' };
      for (const f of TOTAL_FIELDS) m[f] += r[f];
      sums.set(k, m);
    }
    return [...sums.values()].map((r) => ({ ...r, ...withMetrics(r) }));
  };
  const totals = periodSums(grouped);
  // CPA and ROAS leave today out (see CurrencyTotals.complete): today's point is missing, and the period
  // holding today (a week, a month) counts its complete days only.
  const lastComplete = completeTo(v);
  let complete = totals;
  if (lastComplete !== v.to) {
    complete = [];
    if (lastComplete >= v.from) {
      let rows = await groupedRows(sql, { ...v, to: lastComplete, group: 'platform' });
      if (v.conversion) rows = convertRows(rows, v.conversion);
      complete = periodSums(rows);
    }
  }
  const partial = partialIndex(v);
  const index = new Map(v.labels.map((l, i) => [l, i]));
  const currencies = [...new Set(totals.map((r) => r.currency))].sort();
  const perCurrency = currencies.length > 1;
  const named = (label: string, cur: string) => (perCurrency ? `${label} (${cur})` : label);
  const series = (rows: readonly AdsRow[], value: (r: AdsRow) => number | null) => {
    const data = new Array<number | null>(v.labels.length).fill(null);
    for (const r of rows) {
      const i = index.get(r.period);
      if (i !== undefined) data[i] = value(r);
    }
    return data;
  };
  const spendSets = currencies.flatMap((cur) => {
    const byKey = new Map<string, AdsRow[]>();
    for (const r of grouped)
      if (r.currency === cur) {
        const rs = byKey.get(r.key);
        if (rs) rs.push(r);
        else byKey.set(r.key, [r]);
      }
    const total = (rs: AdsRow[]) => rs.reduce((s, r) => s + r.costMicros, 0);
    // Biggest first, "other" last: the stack reads from the bottom up.
    const keys = [...byKey.keys()].sort((a, b) =>
      a === OTHER_CAMPAIGNS ? 1 : b === OTHER_CAMPAIGNS ? -1 : total(byKey.get(b)!) - total(byKey.get(a)!),
    );
    const label = (k: string) =>
      v.group === 'platform'
        ? (t.platforms[k] ?? k)
        : k === OTHER_CAMPAIGNS
          ? t.axis.otherCampaigns
          : byKey.get(k)![0]!.label;
    // A platform's bars in the colour its file declares (app.js falls back to its palette).
    const colour = (k: string) => (v.group === 'platform' ? platformById(k)?.colour : undefined);
    return keys.map((k) => ({
      key: k,
      label: named(label(k), cur),
      ...(colour(k) ? { colour: colour(k) } : {}),
      ...(perCurrency ? { stack: cur, currency: cur } : {}),
      data: series(byKey.get(k)!, (r) => units(r.costMicros)),
    }));
  });
  const metric = (label: string, value: (r: AdsRow) => number | null, rows = totals) =>
    currencies.map((cur) => ({
      key: perCurrency ? cur : label,
      label: perCurrency ? cur : label,
      ...(perCurrency ? { currency: cur } : {}),
      data: series(
        rows.filter((r) => r.currency === cur),
        value,
      ),
    }));
  const unit = currencies[0] ?? v.currency ?? '';
  return {
    site: v.site.name,
    from: v.from,
    to: v.to,
    period: v.period,
    group: v.group,
    labels: v.labels,
    events: (await listEvents(sql, v.site.id, v.from, v.to)).map((e) => ({
      day: e.day,
      title: e.title,
    })),
    /** The one currency every amount is in; null when the accounts have several and nothing converts them. */
    currency: perCurrency ? null : (currencies[0] ?? v.conversion?.base ?? v.currency ?? null),
    currencies,
    /** Datasets come per currency (labelled and stacked apart); they are never added together. */
    perCurrency,
    converted: v.conversion !== null,
    ...(v.conversion
      ? {
          conversion: { base: v.conversion.base, rates: v.conversion.rates, asOf: v.conversion.asOf ?? null },
        }
      : {}),
    /** The label holding today, not over yet: app.js draws it dashed and says "partial day". */
    partialIndex: partial,
    charts: {
      spend: {
        type: 'bar',
        stacked: true,
        format: 'money',
        yTitle: perCurrency ? t.axis.spendPerCurrency : t.axis.spend(unit),
        datasets: spendSets,
      },
      cpc: {
        type: 'line',
        format: 'money',
        yTitle: perCurrency ? t.axis.cpcPerCurrency : t.axis.cpc(unit),
        datasets: metric('CPC', (r) => units(r.cpcMicros)),
      },
      cpa: {
        type: 'line',
        format: 'money',
        yTitle: perCurrency ? t.axis.cpaPerCurrency : t.axis.cpa(unit),
        datasets: metric('CPA', (r) => units(r.cpaMicros), complete),
        ...(partial === null ? {} : { note: t.charts.todayLeftOut }),
      },
      roas: {
        type: 'line',
        format: 'ratio',
        yTitle: t.charts.roas,
        datasets: metric('ROAS', (r) => (r.roas === null ? null : round2(r.roas)), complete),
        ...(partial === null ? {} : { note: t.charts.todayLeftOut }),
      },
    },
  };
}

const PAGE_MAX = 1000;

async function siteAndView(c: Context<Env>): Promise<{ v: AdsView } | { error: string; status: 400 | 404 }> {
  const site = c.get('site');
  if (!site) return { error: c.get('t').common.noSite, status: 404 };
  const v = await adsView(c, site);
  return typeof v === 'string' ? { error: v, status: 400 } : { v };
}

export const adsApi = new Hono<Env>()
  .get('/trend', async (c) => {
    const r = await siteAndView(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    const sql = c.get('deps').sql;
    const lang = c.get('lang');
    return c.json(
      await cachedRead(sql, `ads-trend:${lang}:${viewKey(r.v)}`, () => trendJson(sql, r.v, c.get('t').ads)),
    );
  })
  .get('/campaigns', async (c) => {
    const r = await siteAndView(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    const { v } = r;
    const { sort, desc, page } = campaignOrder(c);
    const size = Math.min(PAGE_MAX, Math.max(1, Math.floor(Number(c.req.query('pageSize')) || 100)));
    const all = sortCampaigns(await cachedCampaigns(c.get('deps').sql, v), sort, desc);
    return c.json({
      site: v.site.name,
      from: v.from,
      to: v.to,
      previous: { from: v.prevFrom, to: v.prevTo },
      converted: v.conversion !== null,
      sort,
      dir: desc ? 'desc' : 'asc',
      total: all.length,
      page,
      pageSize: size,
      pages: Math.max(1, Math.ceil(all.length / size)),
      campaigns: all.slice((page - 1) * size, page * size).map(campaignJson),
    });
  })
  .get('/pacing', async (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const platform = c.req.query('platform') || undefined;
    if (platform !== undefined && !platformById(platform))
      return c.json(
        { error: c.get('t').ads.view.notOneOf('platform', platform, platformIds().join(', ')) },
        400,
      );
    const { sql, config, now } = c.get('deps');
    return c.json({
      site: site.name,
      accounts: (await pacingRows(sql, config, site, now(), platform as Platform | undefined)).map((p) => ({
        id: p.account.id,
        name: p.account.name,
        platform: p.account.platform,
        currency: p.account.currency,
        timeZone: p.account.timeZone,
        today: p.today,
        marginPercent: p.marginPercent,
        ...p.pacing,
      })),
    });
  })
  .get('/anomalies', async (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const platform = c.req.query('platform') || undefined;
    if (platform !== undefined && !platformById(platform))
      return c.json(
        { error: c.get('t').ads.view.notOneOf('platform', platform, platformIds().join(', ')) },
        400,
      );
    const limit = Math.min(PAGE_MAX, Math.max(1, Math.floor(Number(c.req.query('limit')) || 100)));
    return c.json({
      site: site.name,
      anomalies: await anomalyRows(c.get('deps').sql, site.id, limit, platform as Platform | undefined),
    });
  });
