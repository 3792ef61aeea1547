// `promowatch report`: builds and archives a site's weekly report, writes it as HTML or PDF, and mails it on request.
import { writeFileSync } from 'node:fs';
import { reportPath, runWeeklyReport } from '../../../jobs/weekly-report.ts';
import { LANGS, isLang, type Lang } from '../../i18n/index.ts';
import type { ReportData, WeekRange } from '../../report/types.ts';
import { parseWeek } from '../../report/week.ts';
import { money, wording } from '../../report/wording.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';

/** One line per section, in the report's language; a section without data says so, as the report does. */
export function summaryLines(d: ReportData): string[] {
  const w = wording(d);
  const { fmt } = w;
  const t = w.t.cli;
  const { visibility: v, backlinks: b, ads: a, health: h } = d;
  const n = (x: number) => fmt.number(x);
  return [
    v
      ? t.visibility(
          v.now === null ? w.t.noValue : fmt.percent(v.now / 100, 1),
          v.change === null ? null : fmt.signed(v.change, 1),
          v.gains.length,
          v.losses.length,
        )
      : t.visibilityNoData,
    b
      ? t.backlinks(n(b.live), n(b.total), n(b.lost.length), n(b.devalued.length), n(b.recovered.length))
      : t.backlinksNoData,
    a && a.totals.length
      ? t.ads(
          a.totals
            .map(
              (x) =>
                money(w, x.spendMicros, x.currency) +
                (x.spendChange === null ? '' : ` (${fmt.signedPercent(x.spendChange)})`),
            )
            .join(', '),
        )
      : t.adsNoData,
    h
      ? t.health(
          fmt.number(h.score, 1),
          h.change === null ? null : fmt.signed(h.change, 1),
          fmt.day(h.crawlDay),
        )
      : t.healthNoData,
    t.failedJobs(n(d.jobFailures.length)),
  ];
}

export const reportCommand: Command = {
  name: 'report',
  summary: "a site's weekly report: build and archive it, write HTML/PDF, --send mails it",
  usage:
    'promowatch report [--site NAME] [--week 2026-W47] [--lang ru|en] [--send] [--force] [--pdf FILE] [--html FILE] [--json]',
  help: `  --site NAME     which site (needed when the config has several)
  --week W        the ISO week, like 2026-W47 (default: the last week that has ended in the site's zone)
  --lang L        write it in this language: ${LANGS.join(' or ')} (default: the site's "language", else web.language)
  --send          mail it through the e-mail channels of notifications.channels (once per week)
  --force         rebuild a report that was already sent, and with --send, send it again
  --pdf FILE      write the PDF (needs Chromium)
  --html FILE     write the HTML page
  --json          print the summary as JSON
${COMMON_HELP}

A report already sent is shown as it was archived (in the language it was written in), unless --force. Prints its dashboard path (/reports/ID).
Exit code 1 when sending failed (the report stays archived) or the PDF could not be made.`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    week: { type: 'string' },
    lang: { type: 'string' },
    send: { type: 'boolean' },
    force: { type: 'boolean' },
    pdf: { type: 'string' },
    html: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    let week: WeekRange | undefined;
    if (values.week !== undefined) {
      try {
        week = parseWeek(values.week as string);
      } catch (err) {
        throw new UsageError(`--week: ${(err as Error).message}`);
      }
    }
    let lang: Lang | undefined;
    if (values.lang !== undefined) {
      if (!isLang(values.lang))
        throw new UsageError(`--lang must be one of: ${LANGS.join(', ')}, got "${String(values.lang)}"`);
      lang = values.lang;
    }
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = await siteOf(rt, values.site as string | undefined);
      const r = await runWeeklyReport(
        { ...rt.deps, sql: rt.sql, site },
        { week, lang, force: Boolean(values.force), send: Boolean(values.send) },
      );
      const report = r.report;
      const problems: string[] = [];
      if (values.html !== undefined) writeFileSync(values.html as string, report.html);
      if (values.pdf !== undefined) {
        if (report.pdf) writeFileSync(values.pdf as string, report.pdf);
        else
          problems.push(
            `no PDF written to ${String(values.pdf)}: ${r.browserProblem ?? 'the archived report has none'}`,
          );
      }
      if (r.sendError) problems.push(r.sendError);
      else if (values.send && !r.alreadySent && r.deliveries.length === 0)
        problems.push(
          `not sent: no e-mail channel in notifications.channels takes weekly reports for ${site.name} (see their "sites" and "kinds")`,
        );
      const path = reportPath(report.id);
      // Said in the report's own language, like the summary above it.
      const w = wording(report.data);
      const t = w.t.cli;
      const sent =
        r.alreadySent && values.send
          ? t.alreadySent(w.fmt.dateTime(report.sentAt))
          : report.sentAt
            ? t.sentAt(w.fmt.dateTime(report.sentAt))
            : values.send
              ? t.notSent
              : t.notSentHint;
      if (values.json)
        io.out(
          JSON.stringify({
            id: report.id,
            path,
            site: site.name,
            week: report.week,
            from: report.weekFrom,
            to: report.weekTo,
            subject: report.subject,
            lang: report.lang,
            pdf: report.hasPdf,
            sentAt: report.sentAt,
            alreadySent: r.alreadySent,
            deliveries: r.deliveries,
            sendError: report.sendError,
            sections: {
              visibility: report.data.visibility !== null,
              backlinks: report.data.backlinks !== null,
              ads: report.data.ads !== null,
              health: report.data.health !== null,
            },
          }),
        );
      else {
        io.out(`${report.subject}`);
        io.out(t.headline(site.name, report.week, w.fmt.dayRange(report.weekFrom, report.weekTo), path));
        for (const line of summaryLines(report.data)) io.out(`  ${line}`);
        io.out(`  ${sent}`);
        if (r.browserProblem) io.out(`  ${t.noPdf(r.browserProblem)}`);
      }
      for (const p of problems) io.err(p);
      return problems.length ? EXIT.failed : EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
