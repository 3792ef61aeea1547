// Job: every Monday morning, build last week's report for a site, archive it (HTML, text, PDF) and mail it.
import type { Config } from '../src/config/schema.ts';
import type { SiteRow } from '../src/db/sites.ts';
import type { Lang } from '../src/i18n/index.ts';
import { curveFor } from '../src/rank/visibility.ts';
import { buildReport } from '../src/report/build.ts';
import { renderReport } from '../src/report/html.ts';
import { chartPngs, reportPdf } from '../src/report/pdf.ts';
import { renderOnQueue } from '../src/report/render-task.ts';
import { sendReport, type InlineImage, type ReportDelivery } from '../src/report/send.ts';
import {
  getReportByWeek,
  markSendFailed,
  markSent,
  saveReport,
  type ReportRow,
} from '../src/report/store.ts';
import type { WeekRange } from '../src/report/types.ts';
import { lastCompleteWeek } from '../src/report/week.ts';
import type { Job, JobContext } from './types.ts';

export type WeeklyReportContext = Pick<
  JobContext,
  'config' | 'now' | 'log' | 'browser' | 'secret' | 'sql' | 'queue'
> & {
  site: SiteRow;
  /** Between send attempts; real time unless a test passes its own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The run's signal (the job passes it; the CLI has none): a shutdown gives up the wait to retry. */
  signal?: AbortSignal;
};

export interface WeeklyReportOptions {
  /** Default: the last week that has ended in the site's time zone. */
  week?: WeekRange;
  /** Rebuild a report that was already sent, and with `send`, send it again. */
  force?: boolean;
  send?: boolean;
  /** Write it in this language instead of the site's (`promowatch report --lang`). */
  lang?: Lang;
}

export interface WeeklyReportOutcome {
  report: ReportRow;
  /** The report was sent before and left as it was (no `force`). */
  alreadySent: boolean;
  /** Why Chromium could not make the PDF or the PNG charts (missing or broken), else null. */
  browserProblem: string | null;
  /** Charts attached to the e-mail as PNG and as SVG. */
  pngCharts: number;
  svgCharts: number;
  /** One per e-mail channel the report went to; empty when not sent. */
  deliveries: ReportDelivery[];
  /** What went wrong sending, as one sentence for the job run; null when every channel took it. */
  sendError: string | null;
}

/** The language a site's report is written in: the site's own `language`, else the dashboard's `web.language`. */
export function reportLanguage(config: Config, siteName: string): Lang {
  return config.sites.find((s) => s.name === siteName)?.language ?? config.web.language;
}

/** Where the dashboard shows an archived report. */
export const reportPath = (id: number) => `/reports/${id}`;

/**
 * Builds, archives and (with `send`) mails one site's report for a week. A report that was already sent
 * is left alone unless `force`. Without a working Chromium the report is still archived and sent, only
 * without a PDF and with the charts as SVG attachments. Sending failures are returned, not thrown: the
 * report is archived either way.
 */
export async function runWeeklyReport(
  ctx: WeeklyReportContext,
  opts: WeeklyReportOptions = {},
): Promise<WeeklyReportOutcome> {
  const { sql, site } = ctx;
  const log = ctx.log.child('report');
  const week = opts.week ?? lastCompleteWeek(ctx.now(), site.timeZone);
  const existing = await getReportByWeek(sql, site.id, week.week);
  const nothingMore = { browserProblem: null, pngCharts: 0, svgCharts: 0, deliveries: [], sendError: null };
  if (existing?.sentAt && !opts.force) {
    log.info(`${site.name} ${week.week}: already sent at ${existing.sentAt}; left as it is`);
    return { report: existing, alreadySent: true, ...nothingMore };
  }

  const settings = ctx.config.sites.find((s) => s.name === site.name)?.rankings;
  // A "custom" curve without its numbers falls back to the default, as the Rankings page does.
  const curveName =
    settings?.ctrCurve && (settings.ctrCurve !== 'custom' || settings.customCurve?.length)
      ? settings.ctrCurve
      : 'sistrix';
  const now = ctx.now();
  const data = await buildReport(sql, site, week, {
    now,
    lang: opts.lang ?? reportLanguage(ctx.config, site.name),
    curve: curveFor(curveName, settings?.customCurve),
    curveName,
  });
  // No link in the report itself: the config knows no address the dashboard is reached at from outside.
  const rendered = renderReport(data);

  // Each browser step on its own: a PDF that times out does not cost the e-mail its PNG charts.
  const problems: string[] = [];
  const tryBrowser = async <T>(step: () => Promise<T>): Promise<T | null> => {
    try {
      return await step();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return null;
    }
  };
  // With a queue, Chromium's work is a `report` task on a worker, once the report is archived.
  let pngs = ctx.queue ? null : await tryBrowser(() => chartPngs(rendered.charts, ctx.browser));
  let pdf = ctx.queue ? null : await tryBrowser(() => reportPdf(rendered.html, ctx.browser));
  let report = await saveReport(
    sql,
    {
      siteId: site.id,
      week,
      subject: rendered.subject,
      html: rendered.html,
      emailHtml: rendered.emailHtml,
      text: rendered.text,
      data,
      pdf,
    },
    now,
    { force: opts.force && opts.send },
  );
  if (ctx.queue) {
    const r = await renderOnQueue(
      ctx.queue,
      sql,
      { reportId: report.id, charts: rendered.charts, key: `${report.id}:${report.createdAt}` },
      ctx.signal ?? new AbortController().signal,
    );
    ({ pdf, pngs } = r);
    if (r.problem) problems.push(r.problem);
    report = (await getReportByWeek(sql, site.id, week.week))!;
  }
  const browserProblem = problems.length ? [...new Set(problems)].join('; ') : null;
  if (browserProblem)
    log.warn(
      `${site.name} ${week.week}: Chromium failed (${browserProblem}); the report is archived and sent` +
        `${pdf ? '' : ' without a PDF'}${pngs ? '' : ', with its charts as SVG attachments'}`,
    );
  const images: InlineImage[] = pngs
    ? pngs.map((p) => ({ id: p.id, content: p.png, contentType: 'image/png' }))
    : rendered.charts.map((c) => ({ id: c.id, content: Buffer.from(c.svg), contentType: 'image/svg+xml' }));
  const outcome = {
    report,
    alreadySent: false,
    browserProblem,
    pngCharts: pngs ? images.length : 0,
    svgCharts: pngs ? 0 : images.length,
    deliveries: [] as ReportDelivery[],
    sendError: null as string | null,
  };
  if (!opts.send) return outcome;

  const deliveries = await sendReport(
    {
      siteId: site.id,
      siteName: site.name,
      week: week.week,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.emailHtml,
      images,
      pdf,
      permalink: reportPath(report.id),
      lang: data.lang,
    },
    ctx.config.notifications.channels,
    { sql, now: ctx.now, secret: ctx.secret, log: ctx.log, sleep: ctx.sleep, signal: ctx.signal },
  );
  if (deliveries.length === 0) {
    log.warn(
      `${site.name} ${week.week}: archived, not sent: no e-mail channel in notifications.channels is for this site`,
    );
    return { ...outcome, report: (await getReportByWeek(sql, site.id, week.week))! };
  }
  const attempts = deliveries.reduce((n, d) => n + d.attempts, 0);
  const failed = deliveries.filter((d) => d.error);
  const reached = deliveries.flatMap((d) => d.reached);
  const why = failed
    .map((d) => (deliveries.length > 1 ? `channel "${d.channel}": ${d.error}` : d.error))
    .join('; ');
  let sendError: string | null = null;
  if (reached.length === 0) {
    sendError = `weekly report for ${site.name} ${week.week} saved but not sent: ${why}`;
    await markSendFailed(sql, report.id, sendError, attempts);
  } else {
    // Reaching anyone counts as sent: sending again would mail them twice.
    if (failed.length)
      sendError = `weekly report for ${site.name} ${week.week} sent to ${reached.join(', ')}, but not to everyone: ${why}`;
    await markSent(sql, report.id, ctx.now(), attempts, sendError);
  }
  return { ...outcome, report: (await getReportByWeek(sql, site.id, week.week))!, deliveries, sendError };
}

/** The job; `options` lets tests replace the wait between send attempts. */
export function makeWeeklyReportJob(options: { sleep?: (ms: number) => Promise<void> } = {}): Job {
  return {
    name: 'weekly-report',
    description:
      "Builds last week's report (visibility, backlinks, ad spend, site health), archives it with a PDF and e-mails it",
    scope: 'site',
    // Monday 08:00 in the site's time zone: the week has ended everywhere the site's people are.
    defaultSchedule: '0 8 * * 1',
    async run(ctx) {
      const r = await runWeeklyReport({ ...ctx, site: ctx.site!, sleep: options.sleep }, { send: true });
      if (r.sendError) throw new Error(r.sendError);
      return {
        report: r.report.id,
        alreadySent: r.alreadySent ? 1 : 0,
        sent: r.deliveries.length && !r.alreadySent ? 1 : 0,
        recipients: r.deliveries.reduce((n, d) => n + d.reached.length, 0),
        pdf: r.report.hasPdf ? 1 : 0,
        pngCharts: r.pngCharts,
        svgCharts: r.svgCharts,
        noBrowser: r.browserProblem ? 1 : 0,
      };
    },
  };
}

export const weeklyReportJob: Job = makeWeeklyReportJob();
