// `promowatch report`: builds and archives a site's weekly report, writes it as HTML or PDF, and mails it on request.
import { writeFileSync } from 'node:fs';
import { reportPath, runWeeklyReport } from '../../../jobs/weekly-report.ts';
import type { ReportData, WeekRange } from '../../report/types.ts';
import { parseWeek } from '../../report/week.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';

/** One line per section; a section without data says so, as the report itself does. */
export function summaryLines(d: ReportData): string[] {
  const signed = (n: number, digits = 1) => `${n > 0 ? '+' : ''}${n.toFixed(digits)}`;
  const v = d.visibility;
  const b = d.backlinks;
  const a = d.ads;
  const h = d.health;
  const money = (micros: number) => (micros / 1e6).toFixed(2);
  return [
    `Visibility: ${
      v
        ? `${v.now === null ? '—' : `${v.now.toFixed(1)} %`}${v.change === null ? '' : ` (${signed(v.change)})`}, ${v.gains.length} gain(s), ${v.losses.length} loss(es)`
        : 'no data'
    }`,
    `Backlinks: ${
      b
        ? `${b.live} of ${b.total} live, ${b.lost.length} lost, ${b.devalued.length} devalued, ${b.recovered.length} recovered`
        : 'no data'
    }`,
    `Ads: ${
      a && a.totals.length
        ? a.totals
            .map(
              (t) =>
                `${money(t.spendMicros)} ${t.currency}${t.spendChange === null ? '' : ` (${signed(t.spendChange * 100, 0)} %)`}`,
            )
            .join(', ')
        : 'no data'
    }`,
    `Site health: ${
      h ? `${h.score}${h.change === null ? '' : ` (${signed(h.change, 0)})`} on ${h.crawlDay}` : 'no data'
    }`,
    `Failed jobs: ${d.jobFailures.length}`,
  ];
}

export const reportCommand: Command = {
  name: 'report',
  summary: "a site's weekly report: build and archive it, write HTML/PDF, --send mails it",
  usage:
    'promowatch report [--site NAME] [--week 2026-W47] [--send] [--force] [--pdf FILE] [--html FILE] [--json]',
  help: `  --site NAME     which site (needed when the config has several)
  --week W        the ISO week, like 2026-W47 (default: the last week that has ended in the site's zone)
  --send          mail it through the e-mail channels of notifications.channels (once per week)
  --force         rebuild a report that was already sent, and with --send, send it again
  --pdf FILE      write the PDF (needs Chromium)
  --html FILE     write the HTML page
  --json          print the summary as JSON
${COMMON_HELP}

A report already sent is shown as it was archived, unless --force. Prints its dashboard path (/reports/ID).
Exit code 1 when sending failed (the report stays archived) or the PDF could not be made.`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    week: { type: 'string' },
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
    const rt = openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = siteOf(rt, values.site as string | undefined);
      const r = await runWeeklyReport(
        { ...rt.deps, site },
        { week, force: Boolean(values.force), send: Boolean(values.send) },
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
      const sent =
        r.alreadySent && values.send
          ? `already sent at ${report.sentAt}; not sent again (--force sends it again)`
          : report.sentAt
            ? `sent at ${report.sentAt}`
            : values.send
              ? 'not sent'
              : 'not sent (--send mails it)';
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
        io.out(`${site.name} ${report.week} (${report.weekFrom} to ${report.weekTo}): ${path}`);
        for (const line of summaryLines(report.data)) io.out(`  ${line}`);
        io.out(`  ${sent}`);
        if (r.browserProblem) io.out(`  no PDF, charts sent as SVG: ${r.browserProblem}`);
      }
      for (const p of problems) io.err(p);
      return problems.length ? EXIT.failed : EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
