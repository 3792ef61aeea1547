// The weekly report's content: one value per site and week, built from the database (src/report/build.ts),
// rendered as HTML, plain text and PDF, archived and sent. A section that has no data is null, and every
// renderer says so instead of leaving the section out.
import type { AnomalyKind } from '../ads/anomalies.ts';
import type { Lang } from '../i18n/index.ts';

/** An ISO week, Monday to Sunday in the site's time zone. */
export interface WeekRange {
  /** "2026-W47" */
  week: string;
  /** Monday, YYYY-MM-DD */
  from: string;
  /** Sunday, YYYY-MM-DD */
  to: string;
}

// One definition of a keyword's move, shared with the overview and the Rankings page.
import type { KeywordMove } from '../rank/movers.ts';
export type { KeywordMove };

export interface VisibilitySection {
  curve: string;
  /** Index (percent) on the last observed day of the week and of the week before. */
  now: number | null;
  before: number | null;
  change: number | null;
  /** The two weeks' daily index (null = nothing observed that day), for the chart. */
  series: { day: string; index: number | null }[];
  gains: KeywordMove[];
  losses: KeywordMove[];
  enteredTop10: KeywordMove[];
  leftTop10: KeywordMove[];
  mismatches: { query: string; url: string; target: string }[];
  /** Observations that failed this week (shown, never counted as positions). */
  failedChecks: number;
}

export interface LinkEvent {
  backlinkId: number;
  donorUrl: string;
  target: string;
  vendor: string | null;
  at: string;
  reasons: string[];
  /**
   * What was paid for the link: the whole price of a one-off link or the monthly fee. Absent in reports
   * archived before the report told money as it was paid; null price: none recorded.
   */
  priceMicros?: number | null;
  currency?: string | null;
  billing?: 'one-off' | 'monthly';
}

/** The money of links lost or devalued at the week's end, per currency (src/backlinks/money.ts deadLinks()). */
export interface DeadMoney {
  currency: string;
  links: number;
  /** Prices of one-off links, and monthly fees, of links dead at the week's end. */
  oneOffMicros: number;
  monthlyMicros: number;
  /** The monthly fees of dead links still being paid at the week's end. */
  stillPayingMonthlyMicros: number;
}

export interface BacklinksSection {
  lost: LinkEvent[];
  devalued: LinkEvent[];
  recovered: LinkEvent[];
  /**
   * Links lost or devalued at the week's end (archived ones aside) with the money as it was paid, per
   * currency. Absent in reports archived before it existed.
   */
  dead?: DeadMoney[];
  /**
   * The pro-rated estimate: each price spread over the days it pays for, counted for the days of this
   * week links were lost or devalued, per currency. A secondary figure: `dead` is what was paid.
   */
  wasted: { currency: string; micros: number }[];
  renewalsDue: { backlinkId: number; donorUrl: string; paidUntil: string; vendor: string | null }[];
  live: number;
  total: number;
}

export interface AdsCurrencyTotals {
  currency: string;
  spendMicros: number;
  prevSpendMicros: number;
  /** Spend change vs the previous week, as a fraction (0.12 = +12 %); null when the previous week had none. */
  spendChange: number | null;
  impressions: number;
  clicks: number;
  conversions: number;
  valueMicros: number;
  ctr: number | null;
  cpcMicros: number | null;
  cpaMicros: number | null;
  roas: number | null;
}

export interface AdsSection {
  /** Never summed across currencies. */
  totals: AdsCurrencyTotals[];
  pacing: {
    account: string;
    platform: string;
    currency: string;
    monthToDateMicros: number;
    budgetMicros: number | null;
    forecastMicros: number;
    overBy: number | null;
    alert: boolean;
  }[];
  /** Unusual days, as facts: the renderers word them in the report's language. */
  anomalies: {
    day: string;
    account: string;
    /** The campaign's name, or its id when the name is unknown. */
    campaign: string;
    kind: AnomalyKind;
    /** Money kinds (spend, cost per conversion): micros in `currency`; CTR: a fraction; impressions: a count. */
    value: number | null;
    baseline: number | null;
    currency: string;
  }[];
  /** Spend per day of the week, per currency, for the chart. */
  daily: { day: string; currency: string; micros: number }[];
}

export interface HealthSection {
  /** The latest crawl finished by the end of the week, and the one before it. */
  crawlDay: string;
  score: number;
  previousScore: number | null;
  change: number | null;
  newCritical: { rule: string; title: string; url: string }[];
  fixed: { rule: string; title: string; count: number }[];
  pages: number;
  /** Health score per crawl over the last weeks, for the chart. */
  trend: { day: string; score: number }[];
}

export interface JobFailure {
  job: string;
  at: string;
  /** null: the run failed without a message. */
  error: string | null;
}

export interface ReportData {
  /** The language the report is written in: the site's `language`, else `web.language`, or `--lang`. */
  lang: Lang;
  site: { id: number; name: string; baseUrl: string; timeZone: string };
  week: WeekRange;
  generatedAt: string;
  /** null = no data for that area this week (the renderers say so). */
  visibility: VisibilitySection | null;
  backlinks: BacklinksSection | null;
  ads: AdsSection | null;
  health: HealthSection | null;
  jobFailures: JobFailure[];
  /** Dated events of the two weeks ("Site relaunch"), drawn on the charts. */
  events: { day: string; title: string }[];
}

/** A chart as the renderers draw it: an SVG string (self-contained: no scripts, no external refs). */
export interface ChartImage {
  /** Stable id used for cid: references in email ("visibility", "ads-spend", "health"). */
  id: string;
  title: string;
  svg: string;
  width: number;
  height: number;
}

export interface RenderedReport {
  subject: string;
  /** Full HTML document for the browser and the PDF (charts inline as SVG). */
  html: string;
  /** HTML for email: inline CSS only, charts referenced as <img src="cid:ID">. */
  emailHtml: string;
  text: string;
  charts: ChartImage[];
}
