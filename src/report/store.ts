// Queries for `reports`: the archive of weekly reports, one per site and ISO week, and whether each was sent.
import type { Dialect, Sql } from '../db/store/types.ts';
import { DEFAULT_LANG, isLang, type Lang } from '../i18n/index.ts';
import type { ReportData, WeekRange } from './types.ts';

export interface ReportInput {
  siteId: number;
  week: WeekRange;
  subject: string;
  html: string;
  emailHtml: string;
  text: string;
  data: ReportData;
  pdf: Buffer | null;
}

/** One archived report without its bodies: what a list of reports shows. */
export interface ReportSummary {
  id: number;
  siteId: number;
  week: string;
  weekFrom: string;
  weekTo: string;
  createdAt: string;
  subject: string;
  hasPdf: boolean;
  sentAt: string | null;
  sendError: string | null;
  /** Send attempts over all channels and runs since the content was last (re)made to be sent. */
  attempts: number;
  /** The language it was written in (reports from before languages existed: English). */
  lang: Lang;
}

export interface ReportRow extends ReportSummary {
  html: string;
  emailHtml: string;
  text: string;
  data: ReportData;
  pdf: Buffer | null;
}

/** The language is read out of the stored JSON, which each dialect spells its own way (json_valid is in both). */
const summaryColumns = (
  dialect: Dialect,
) => `id, site_id AS siteId, week, week_from AS weekFrom, week_to AS weekTo,
  created_at AS createdAt, subject, pdf IS NOT NULL AS hasPdf, sent_at AS sentAt, send_error AS sendError, attempts,
  CASE WHEN json_valid(data) THEN ${dialect === 'postgres' ? "(data::json ->> 'lang')" : "json_extract(data, '$.lang')"} END AS lang`;
const fullColumns = (dialect: Dialect) =>
  `${summaryColumns(dialect)}, html, email_html AS emailHtml, text, data, pdf`;

type RawSummary = Omit<ReportSummary, 'hasPdf' | 'lang'> & { hasPdf: number; lang: unknown };
type RawRow = Omit<ReportRow, 'hasPdf' | 'data' | 'lang'> & { hasPdf: number; data: string; lang: unknown };

/**
 * Archived reports keep their rendered HTML, text, subject and PDF: a permalink shows what was mailed, in
 * the language it was mailed in, whatever the config says today. Only the language is read back here.
 */
const langOf = (v: unknown): Lang => (isLang(v) ? v : DEFAULT_LANG);

function fromRaw(r: RawRow): ReportRow {
  const lang = langOf(r.lang);
  return { ...r, hasPdf: Boolean(r.hasPdf), lang, data: { ...(JSON.parse(r.data) as ReportData), lang } };
}

/**
 * Archives a report, replacing the content of an earlier one for the same site and week (its id, and
 * so its permalink, stays). Whether it was sent is kept, so a regenerated report is not mailed twice;
 * `force` clears it (with the errors and attempts) because the new content is about to be sent again.
 */
export async function saveReport(
  sql: Sql,
  r: ReportInput,
  now: Date,
  opts: { force?: boolean } = {},
): Promise<ReportRow> {
  await sql.run(
    `INSERT INTO reports (site_id, week, week_from, week_to, created_at, subject, html, email_html, text, data, pdf)
     VALUES (@siteId, @week, @from, @to, @now, @subject, @html, @emailHtml, @text, @data, @pdf)
     ON CONFLICT (site_id, week) DO UPDATE SET
       week_from = excluded.week_from, week_to = excluded.week_to, created_at = excluded.created_at,
       subject = excluded.subject, html = excluded.html, email_html = excluded.email_html,
       text = excluded.text, data = excluded.data, pdf = excluded.pdf,
       sent_at = CASE WHEN @force THEN NULL ELSE reports.sent_at END,
       send_error = CASE WHEN @force THEN NULL ELSE reports.send_error END,
       attempts = CASE WHEN @force THEN 0 ELSE reports.attempts END`,
    {
      siteId: r.siteId,
      week: r.week.week,
      from: r.week.from,
      to: r.week.to,
      now: now.toISOString(),
      subject: r.subject,
      html: r.html,
      emailHtml: r.emailHtml,
      text: r.text,
      data: JSON.stringify(r.data),
      pdf: r.pdf,
      force: opts.force ? 1 : 0,
    },
  );
  return (await getReportByWeek(sql, r.siteId, r.week.week))!;
}

export async function getReport(sql: Sql, id: number): Promise<ReportRow | undefined> {
  const r = await sql.get<RawRow>(`SELECT ${fullColumns(sql.dialect)} FROM reports WHERE id = ?`, [id]);
  return r && fromRaw(r);
}

export async function getReportByWeek(
  sql: Sql,
  siteId: number,
  week: string,
): Promise<ReportRow | undefined> {
  const r = await sql.get<RawRow>(
    `SELECT ${fullColumns(sql.dialect)} FROM reports WHERE site_id = ? AND week = ?`,
    [siteId, week],
  );
  return r && fromRaw(r);
}

/** A site's reports, newest week first. */
export async function listReports(sql: Sql, siteId: number, limit = 200): Promise<ReportSummary[]> {
  const rows = await sql.all<RawSummary>(
    `SELECT ${summaryColumns(sql.dialect)} FROM reports WHERE site_id = ? ORDER BY week DESC LIMIT ?`,
    [siteId, limit],
  );
  return rows.map((r) => ({ ...r, hasPdf: Boolean(r.hasPdf), lang: langOf(r.lang) }));
}

/** Records a send that reached someone (`error` says who it missed, if it did not reach everyone). */
export async function markSent(
  sql: Sql,
  id: number,
  now: Date,
  attempts: number,
  error: string | null = null,
): Promise<void> {
  await sql.run('UPDATE reports SET sent_at = ?, send_error = ?, attempts = attempts + ? WHERE id = ?', [
    now.toISOString(),
    error,
    attempts,
    id,
  ]);
}

/** Records a send that reached nobody; the report stays archived and unsent. */
export async function markSendFailed(sql: Sql, id: number, error: string, attempts: number): Promise<void> {
  await sql.run('UPDATE reports SET send_error = ?, attempts = attempts + ? WHERE id = ?', [
    error,
    attempts,
    id,
  ]);
}
