// Builds one site's weekly report (ReportData) from the database: visibility and keyword moves, backlink
// changes and money, ad spend per currency, site health, failed jobs and the weeks' events.
import { adsTable, dailySpend, withMetrics } from '../ads/analysis.ts';
import { pacing, pacingFrom } from '../ads/pacing.ts';
import { listAccounts } from '../ads/store.ts';
import { diffCrawls, listCrawls } from '../audit/queries.ts';
import { RULES } from '../audit/rules/index.ts';
import { dailyStatus, deadLinks, moneyReport } from '../backlinks/money.ts';
import { listBacklinks, statusEvents } from '../backlinks/store.ts';
import { listEvents } from '../db/events.ts';
import type { SiteRow } from '../db/sites.ts';
import type { Sql } from '../db/store/types.ts';
import { DEFAULT_LANG, type Lang } from '../i18n/index.ts';
import { keywordMoves, summarizeMoves } from '../rank/movers.ts';
import { CTR_CURVES, visibilitySeries } from '../rank/visibility.ts';
import { dayIn } from '../util/days.ts';
import type {
  AdsCurrencyTotals,
  AdsSection,
  BacklinksSection,
  HealthSection,
  JobFailure,
  LinkEvent,
  ReportData,
  VisibilitySection,
  WeekRange,
} from './types.ts';
import { previousWeek, weekDays, weekInstants } from './week.ts';

export interface BuildOptions {
  now: Date;
  /** The language the report will be written in (kept in the data, so the archive knows it). Default: en. */
  lang?: Lang;
  /** The site's CTR curve (config rankings.ctrCurve, resolved with curveFor); Sistrix's when absent. */
  curve?: readonly number[];
  curveName?: string;
}

/** How many keyword gains and losses the report lists. */
const MOVES_SHOWN = 5;
/** How far back the health trend reaches. */
const TREND_WEEKS = 12;

/** Every section reads through `sql`, on either backend. */
export async function buildReport(
  sql: Sql,
  site: SiteRow,
  week: WeekRange,
  opts: BuildOptions,
): Promise<ReportData> {
  const prev = previousWeek(week);
  const span = weekInstants(week, site.timeZone);
  return {
    lang: opts.lang ?? DEFAULT_LANG,
    site: { id: site.id, name: site.name, baseUrl: site.baseUrl, timeZone: site.timeZone },
    week,
    generatedAt: opts.now.toISOString(),
    visibility: await visibilitySection(sql, site.id, week, prev, opts),
    backlinks: await backlinksSection(sql, site, week, span),
    ads: await adsSection(sql, site.id, week, prev),
    health: await healthSection(sql, site, span),
    jobFailures: await jobFailures(sql, site.id, span),
    events: (await listEvents(sql, site.id, prev.from, week.to)).map((e) => ({
      day: e.day,
      title: e.title,
    })),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

async function visibilitySection(
  sql: Sql,
  siteId: number,
  week: WeekRange,
  prev: WeekRange,
  opts: BuildOptions,
): Promise<VisibilitySection | null> {
  const keywords = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM keywords WHERE site_id = ?`, [
    siteId,
  ]))!.n;
  if (keywords === 0) return null;
  const observed = (await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id
     WHERE k.site_id = ? AND o.day BETWEEN ? AND ?`,
    [siteId, prev.from, week.to],
  ))!.n;
  if (observed === 0) return null;

  const curve = opts.curve ?? CTR_CURVES.sistrix;
  const days = [...weekDays(prev), ...weekDays(week)];
  const series = (await visibilitySeries(sql, siteId, days, { curve })).map((p) => ({
    day: p.day,
    index: p.index,
  }));
  const lastIndex = (w: WeekRange) =>
    series.filter((p) => p.day >= w.from && p.day <= w.to && p.index !== null).at(-1)?.index ?? null;
  const now = lastIndex(week);
  const before = lastIndex(prev);

  const { moves, mismatches } = await keywordMoves(sql, siteId, week, prev);
  const failedChecks = (await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id
     WHERE k.site_id = ? AND o.state = 'failed' AND o.day BETWEEN ? AND ?`,
    [siteId, week.from, week.to],
  ))!.n;
  return {
    curve: opts.curveName ?? (opts.curve ? 'custom' : 'sistrix'),
    now,
    before,
    change: now !== null && before !== null ? round2(now - before) : null,
    series,
    ...summarizeMoves(moves, MOVES_SHOWN),
    mismatches,
    failedChecks,
  };
}

async function backlinksSection(
  sql: Sql,
  site: SiteRow,
  week: WeekRange,
  span: { start: Date; end: Date },
): Promise<BacklinksSection | null> {
  const siteId = site.id;
  // Archived links too: the money functions leave them out of waste and renewals by archivedAt, and a link
  // lost this week and archived since still belongs to this week's story.
  const links = await listBacklinks(sql, siteId, { archived: 'with' });
  const events = (await statusEvents(sql, siteId)).map((e) => ({
    backlinkId: e.backlinkId,
    at: e.at,
    to: e.to,
  }));
  const changes = await sql.all<Omit<LinkEvent, 'reasons'> & { from: string; to: string; reasons: string }>(
    `SELECT e.backlink_id AS backlinkId, b.donor_url AS donorUrl, b.target, b.vendor, e.at,
            e.from_status AS "from", e.to_status AS "to", e.reasons
     FROM backlink_events e JOIN backlinks b ON b.id = e.backlink_id
     WHERE b.site_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.at, e.id`,
    [siteId, span.start.toISOString(), span.end.toISOString()],
  );
  // Links that existed by the week's end (bought, or entered, by then), with their state at its end.
  const existing = links.filter((l) => (l.boughtOn ?? l.createdAt.slice(0, 10)) <= week.to);
  if (existing.length === 0 && changes.length === 0) return null;

  const byId = new Map(links.map((l) => [l.id, l]));
  const toEvent = ({ from: _from, to: _to, reasons, ...e }: (typeof changes)[number]): LinkEvent => {
    const l = byId.get(e.backlinkId);
    return {
      ...e,
      reasons: JSON.parse(reasons) as string[],
      priceMicros: l?.priceMicros ?? null,
      currency: l?.currency ?? null,
      billing: l?.billing ?? 'one-off',
    };
  };
  const bad = new Set(['lost', 'devalued']);
  // Each link as it stood at the week's end (a report may be built weeks later): its state then, since
  // when, and archived only if it was by then.
  const end = span.end.toISOString();
  const asAtEnd = links.map((l) => {
    const last = events.filter((e) => e.backlinkId === l.id && e.at < end).at(-1);
    return {
      ...l,
      status: last?.to ?? ('unchecked' as const),
      statusSince: last?.at ?? null,
      archivedAt: l.archivedAt && l.archivedAt < end ? l.archivedAt : null,
    };
  });
  const money = moneyReport(asAtEnd, events, week.to, week.from);
  const dead = deadLinks(
    asAtEnd.filter((l) => (l.boughtOn ?? l.createdAt.slice(0, 10)) <= week.to),
    week.to,
    (iso) => dayIn(new Date(iso), site.timeZone),
  );
  const wasted = new Map<string, number>();
  for (const d of money.daily)
    for (const [currency, micros] of Object.entries(d.wastedMicros))
      wasted.set(currency, (wasted.get(currency) ?? 0) + micros);
  const donor = new Map(links.map((l) => [l.id, l.donorUrl]));
  const live = existing.filter(
    (l) =>
      dailyStatus(
        events.filter((e) => e.backlinkId === l.id),
        week.to,
        week.to,
      ).get(week.to) === 'live',
  ).length;
  return {
    lost: changes.filter((c) => c.to === 'lost').map(toEvent),
    devalued: changes.filter((c) => c.to === 'devalued').map(toEvent),
    // Back to live from lost or devalued; a first good check of a new link is not a recovery.
    recovered: changes.filter((c) => c.to === 'live' && bad.has(c.from)).map(toEvent),
    dead: dead.totals,
    wasted: [...wasted]
      .map(([currency, micros]) => ({ currency, micros: Math.round(micros) }))
      .filter((w) => w.micros > 0)
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    // moneyReport's horizon: paid periods ending within 14 days of its "today", here the week's end.
    renewalsDue: money.renewalsDue.map((r) => ({
      backlinkId: r.id,
      donorUrl: donor.get(r.id) ?? '',
      paidUntil: r.paidUntil,
      vendor: r.vendor,
    })),
    live,
    total: existing.length,
  };
}

async function adsSection(
  sql: Sql,
  siteId: number,
  week: WeekRange,
  prev: WeekRange,
): Promise<AdsSection | null> {
  const accounts = await listAccounts(sql, siteId);
  if (accounts.length === 0) return null;
  const rows = await adsTable(sql, siteId, prev.from, week.to, 'day', 'total');
  // The facts, not the stored English message: the renderers word them in the report's language.
  const anomalies = await sql.all<AdsSection['anomalies'][number]>(
    `SELECT n.day, a.name AS account, coalesce(c.name, n.campaign_id) AS campaign, n.kind, n.value,
            n.baseline, a.currency
     FROM ad_anomalies n JOIN ad_accounts a ON a.id = n.account_id
     LEFT JOIN ad_campaigns c ON c.account_id = n.account_id AND c.campaign_id = n.campaign_id
     WHERE a.site_id = ? AND n.day BETWEEN ? AND ? ORDER BY n.day, a.name, n.id`,
    [siteId, week.from, week.to],
  );
  if (rows.length === 0 && anomalies.length === 0) return null;

  const currencies = [...new Set(accounts.map((a) => a.currency))];
  const sum = (currency: string, w: WeekRange) => {
    const t = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, valueMicros: 0 };
    for (const r of rows)
      if (r.currency === currency && r.period >= w.from && r.period <= w.to) {
        t.impressions += r.impressions;
        t.clicks += r.clicks;
        t.costMicros += r.costMicros;
        t.conversions += r.conversions;
        t.valueMicros += r.valueMicros;
      }
    t.conversions = round2(t.conversions);
    return t;
  };
  const totals: AdsCurrencyTotals[] = currencies.map((currency) => {
    const m = withMetrics(sum(currency, week));
    const before = sum(currency, prev).costMicros;
    return {
      currency,
      spendMicros: m.costMicros,
      prevSpendMicros: before,
      spendChange: before > 0 ? m.costMicros / before - 1 : null,
      impressions: m.impressions,
      clicks: m.clicks,
      conversions: m.conversions,
      valueMicros: m.valueMicros,
      ctr: m.ctr,
      cpcMicros: m.cpcMicros,
      cpaMicros: m.cpaMicros,
      roas: m.roas,
    };
  });
  totals.sort((a, b) => b.spendMicros - a.spendMicros || a.currency.localeCompare(b.currency));
  // A day without a row had no activity: the chart shows it as 0.
  const daily = totals.flatMap(({ currency }) =>
    weekDays(week).map((day) => ({
      day,
      currency,
      micros: rows
        .filter((r) => r.currency === currency && r.period === day)
        .reduce((s, r) => s + r.costMicros, 0),
    })),
  );
  const monthStart = `${week.to.slice(0, 7)}-01`;
  return {
    totals,
    pacing: await Promise.all(
      accounts.map(async (a) => {
        const p = pacing(
          await dailySpend(sql, a.id, pacingFrom(week.to), week.to),
          week.to,
          a.monthlyBudgetMicros,
        );
        return {
          account: a.name,
          platform: a.platform,
          currency: a.currency,
          monthToDateMicros: p.monthToDateMicros,
          budgetMicros: p.budgetMicros,
          forecastMicros: p.forecastMicros,
          overBy: p.overBy,
          alert: p.alert,
        };
      }),
    ),
    anomalies,
    daily,
  };
}

async function healthSection(
  sql: Sql,
  site: SiteRow,
  span: { start: Date; end: Date },
): Promise<HealthSection | null> {
  const end = span.end.toISOString();
  const trendFrom = new Date(span.start.getTime() - (TREND_WEEKS - 1) * 7 * 86_400_000).toISOString();
  // Crawls that ended (ok or interrupted, with a score) by the week's end, newest first.
  const crawls = (await listCrawls(sql, site.id, 1000)).filter(
    (c): c is typeof c & { finishedAt: string; health: number } =>
      c.finishedAt !== null && c.finishedAt < end && c.health !== null,
  );
  const latest = crawls[0];
  if (!latest) return null;
  const before = crawls[1];
  const title = (rule: string) => RULES.get(rule)?.title ?? rule;
  const diff = before ? await diffCrawls(sql, latest.id, before.id) : null;
  const fixed = new Map<string, number>();
  for (const i of diff?.fixedIssues ?? []) fixed.set(i.rule, (fixed.get(i.rule) ?? 0) + 1);
  return {
    crawlDay: dayIn(new Date(latest.finishedAt), site.timeZone),
    score: latest.health,
    previousScore: before?.health ?? null,
    change: before ? round1(latest.health - before.health) : null,
    newCritical: (diff?.newIssues ?? [])
      .filter((i) => i.severity === 'error')
      .map((i) => ({ rule: i.rule, title: title(i.rule), url: i.url })),
    fixed: [...fixed]
      .map(([rule, count]) => ({ rule, title: title(rule), count }))
      .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
    pages: latest.pages,
    trend: crawls
      .filter((c) => c.finishedAt >= trendFrom)
      .slice(0, 60)
      .reverse()
      .map((c) => ({ day: dayIn(new Date(c.finishedAt), site.timeZone), score: c.health })),
  };
}

/** Runs that failed in the week: the site's own jobs and the install-wide ones (backups, maintenance). */
export async function jobFailures(
  sql: Sql,
  siteId: number,
  span: { start: Date; end: Date },
): Promise<JobFailure[]> {
  return sql.all<JobFailure>(
    `SELECT job, coalesce(finished_at, started_at) AS at, error
     FROM job_runs WHERE status = 'failed' AND (site_id = ? OR site_id IS NULL) AND started_at >= ? AND started_at < ?
     ORDER BY started_at, id`,
    [siteId, span.start.toISOString(), span.end.toISOString()],
  );
}
