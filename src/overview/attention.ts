// What needs attention on a site this morning, as one plain object the Overview renders: dead links with
// their money, renewals due, ranking movers, ads pacing and anomalies, new audit errors, failing jobs and
// rank providers, open alerts and uptime. Reads only; every rule of what counts lives here, not in web/.
import { anomalyRows, pacingRows, type AnomalyRow, type PacingRow } from '../ads/current.ts';
import { diffCrawls, listCrawls, type IssueItem } from '../audit/queries.ts';
import { deadLinks, type DeadLink, type DeadLinkTotals } from '../backlinks/money.ts';
import { listBacklinks } from '../backlinks/store.ts';
import type { Config } from '../config/schema.ts';
import { countOpenAlerts } from '../db/alerts.ts';
import { listRuns, type JobRunRow } from '../db/job-runs.ts';
import type { SiteRow } from '../db/sites.ts';
import type { Sql } from '../db/store/types.ts';
import {
  keywordMoves,
  lastPeriods,
  summarizeMoves,
  type MoversSummary,
  type Period,
} from '../rank/movers.ts';
import type { FailureKind } from '../rank/types.ts';
import { latestChecks } from '../uptime/checks.ts';
import { addDays, dayIn } from '../util/days.ts';

/** Paid-until within this many days counts as a renewal due (as on the Backlinks page). */
export const RENEWAL_DAYS = 14;
/** Gains and losses shown per site: enough to see the trend, few enough to fit the first screen. */
export const MOVERS_SHOWN = 3;
/** Anomalies and failed jobs older than this are history, not something to look at this morning. */
export const RECENT_DAYS = 7;

export interface Renewal {
  id: number;
  donorUrl: string;
  vendor: string | null;
  paidUntil: string;
  priceMicros: number | null;
  currency: string | null;
  billing: 'one-off' | 'monthly';
}

export interface FailingProvider {
  source: string;
  /** The last day the provider looked, and how many of the site's keywords it failed on that day. */
  day: string;
  keywords: number;
  kind: FailureKind | null;
  /** The provider's own message (English, as it came). */
  error: string;
}

export interface NewAuditErrors {
  crawlId: number;
  /** Error-level issues that the previous crawl did not have. */
  count: number;
  issues: IssueItem[];
}

export interface SiteAttention {
  site: SiteRow;
  today: string;
  dead: { links: DeadLink[]; totals: DeadLinkTotals[] };
  renewals: Renewal[];
  movers: MoversSummary & { period: { now: Period; prev: Period } };
  /** Accounts with a monthly budget, and those without one that are not worth a line. */
  pacing: PacingRow[];
  anomalies: AnomalyRow[];
  audit: NewAuditErrors | null;
  /** Jobs whose latest run failed (within RECENT_DAYS). */
  failedJobs: JobRunRow[];
  failingProviders: FailingProvider[];
  openAlerts: number;
  uptime: { up: number; total: number };
}

export interface AttentionDeps {
  sql: Sql;
  config: Config;
  now: Date;
}

/** Everything the Overview shows for one site. */
export async function siteAttention(
  { sql, config, now }: AttentionDeps,
  site: SiteRow,
): Promise<SiteAttention> {
  const today = dayIn(now, site.timeZone);
  const since = addDays(today, -RECENT_DAYS);
  const links = (await listBacklinks(sql, site.id)).filter((l) => !l.archivedAt);
  const dead = deadLinks(links, today, (iso) => dayIn(new Date(iso), site.timeZone));
  const horizon = addDays(today, RENEWAL_DAYS);
  // Only links that still work are worth renewing: a lost one is a refund claim, not a renewal.
  const renewals = links
    .filter(
      (l) =>
        l.status !== 'lost' &&
        l.status !== 'devalued' &&
        l.paidUntil !== null &&
        l.paidUntil >= today &&
        l.paidUntil <= horizon,
    )
    .map((l) => ({
      id: l.id,
      donorUrl: l.donorUrl,
      vendor: l.vendor,
      paidUntil: l.paidUntil!,
      priceMicros: l.priceMicros,
      currency: l.currency,
      billing: l.billing,
    }))
    .sort((a, b) => a.paidUntil.localeCompare(b.paidUntil) || a.id - b.id);
  const period = lastPeriods(today, 7);
  const movers = {
    ...summarizeMoves((await keywordMoves(sql, site.id, period.now, period.prev)).moves, MOVERS_SHOWN),
    period,
  };
  // Accounts heading furthest over their budget first: the overrun is what the owner opens the page for.
  const pacing = (await pacingRows(sql, config, site, now))
    .filter((p) => p.pacing.budgetMicros !== null)
    .sort((x, y) => (y.pacing.overBy ?? 0) - (x.pacing.overBy ?? 0));
  const anomalies = (await anomalyRows(sql, site.id, 20)).filter((a) => a.day >= since);
  const checks = await latestChecks(sql, site.id);
  return {
    site,
    today,
    dead,
    renewals,
    movers,
    pacing,
    anomalies,
    audit: await newAuditErrors(sql, site.id),
    failedJobs: await failedJobs(sql, site.id, now),
    failingProviders: await failingProviders(sql, site.id, today),
    openAlerts: await countOpenAlerts(sql, [site.id]),
    uptime: { up: checks.filter((x) => x.ok).length, total: checks.length },
  };
}

/** Error-level issues of the latest crawl that the one before it did not have; null with fewer than two crawls. */
export async function newAuditErrors(sql: Sql, siteId: number): Promise<NewAuditErrors | null> {
  const [latest, previous] = await listCrawls(sql, siteId, 2);
  if (!latest || !previous) return null;
  const errors = (await diffCrawls(sql, latest.id, previous.id)).newIssues.filter(
    (i) => i.severity === 'error',
  );
  return { crawlId: latest.id, count: errors.length, issues: errors.slice(0, 3) };
}

/** The latest run of each job (this site's and the install-wide ones) when it failed recently. */
export async function failedJobs(sql: Sql, siteId: number, now: Date): Promise<JobRunRow[]> {
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const latest = new Map<string, JobRunRow>();
  for (const r of await listRuns(sql, { siteId, limit: 500 }))
    if (r.status !== 'running' && !latest.has(r.job)) latest.set(r.job, r);
  return [...latest.values()].filter((r) => r.status === 'failed' && r.startedAt >= since);
}

/**
 * Rank sources whose latest look (today or yesterday) failed for some of the site's keywords: a provider
 * that failed last week and works now is not news.
 */
export async function failingProviders(sql: Sql, siteId: number, today: string): Promise<FailingProvider[]> {
  // o.day is one per source (the join on last), grouped on too because PostgreSQL asks for every column.
  return sql.all<FailingProvider>(
    `WITH last AS (
         SELECT o.source, MAX(o.day) AS day FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id
         WHERE k.site_id = ? AND o.day >= ? GROUP BY o.source)
       SELECT o.source, o.day, COUNT(*) AS keywords, MIN(o.error_kind) AS kind, MIN(o.error) AS error
       FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id JOIN last l ON l.source = o.source AND l.day = o.day
       WHERE k.site_id = ? AND o.state = 'failed'
       GROUP BY o.source, o.day ORDER BY o.source`,
    [siteId, addDays(today, -1), siteId],
  );
}

/** True when nothing on the site asks for a look (uptime aside: the line stays as a reassurance). */
export function allClear(a: SiteAttention): boolean {
  return (
    a.dead.links.length === 0 &&
    a.renewals.length === 0 &&
    a.movers.losses.length === 0 &&
    a.movers.leftTop10.length === 0 &&
    !a.pacing.some(
      (p) =>
        p.pacing.alert ||
        (p.pacing.budgetMicros !== null && p.pacing.monthToDateMicros > p.pacing.budgetMicros),
    ) &&
    a.anomalies.length === 0 &&
    (a.audit?.count ?? 0) === 0 &&
    a.failedJobs.length === 0 &&
    a.failingProviders.length === 0 &&
    a.openAlerts === 0 &&
    a.uptime.up === a.uptime.total
  );
}

/** The all-sites view: every site's attention, the sites with something to see first. */
export async function allSitesAttention(
  deps: AttentionDeps,
  sites: readonly SiteRow[],
): Promise<SiteAttention[]> {
  const all = await Promise.all(sites.map((s) => siteAttention(deps, s)));
  return [...all.filter((a) => !allClear(a)), ...all.filter(allClear)];
}
