// Mails a weekly report through every e-mail channel meant for its site: text and HTML parts, charts inline
// by Content-ID, the PDF attached; retried with backoff, every attempt recorded in `alerts`.
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { markAlertAttempt, recordAlert } from '../db/alerts.ts';
import type { Sql } from '../db/store/types.ts';
import type { Lang } from '../i18n/index.ts';
import { clip } from '../notify/format.ts';
import { channelsFor } from '../notify/index.ts';
import { scrub } from '../fetch/index.ts';
import type { ChannelConfig, ChannelConfigOf, ChannelDeps } from '../notify/types.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';

export const REPORT_KIND = 'weekly-report' as const;

type EmailConfig = ChannelConfigOf<'email'>;

/** An image the e-mail HTML refers to as `<img src="cid:<id>@promowatch">`. */
export interface InlineImage {
  id: string;
  content: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
}

export interface ReportMail {
  siteId: number;
  siteName: string;
  /** "2026-W47" */
  week: string;
  subject: string;
  text: string;
  /** The e-mail HTML (inline CSS, charts as cid: images). */
  html: string;
  images: InlineImage[];
  pdf: Buffer | null;
  /** The report's permalink, for the alerts table ("/reports/12"). */
  permalink?: string;
  /** The language it is written in, told to mail clients (Content-Language, RFC 3282). */
  lang?: Lang;
}

export interface SendReportDeps {
  sql: Sql;
  now: () => Date;
  secret: ChannelDeps['secret'];
  log: Logger;
  /** Tries per channel; default 3. */
  attempts?: number;
  /** Wait before the second try, doubled before each next one; default 1000 ms. */
  backoffMs?: number;
  /** Waits between tries; default sleep() from src/util, which returns early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The run's signal: a shutdown cuts the wait before a retry short and gives the retry up. */
  signal?: AbortSignal;
}

export interface ReportDelivery {
  channel: string;
  /** The configured addresses, joined ("owner@studio.example, seo@agency.example"). */
  recipient: string;
  /** Addresses the SMTP server accepted the message for (all of them when nothing went wrong). */
  reached: string[];
  attempts: number;
  /** Why the channel did not reach every address; holds no secret. */
  error?: string;
}

export const cidOf = (id: string) => `${id}@promowatch`;

/**
 * The e-mail channels a site's report goes to, with their index in notifications.channels (for messages):
 * those whose optional `sites` and `kinds` filters take a weekly report about this site (channelsFor).
 * Chat and webhook channels get no report: it is a document, not a one-line alert.
 */
export function reportChannels(
  channels: readonly ChannelConfig[],
  siteName: string,
): { config: EmailConfig; index: number }[] {
  const wanted = new Set<ChannelConfig>(channelsFor(channels, siteName, REPORT_KIND));
  return channels.flatMap((config, index) =>
    config.type === 'email' && wanted.has(config) ? [{ config, index }] : [],
  );
}

interface SmtpError extends Error {
  code?: string;
  /** The socket's own code (ECONNREFUSED) when nodemailer's `code` is its generic ESOCKET. */
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejected?: unknown[];
}

/** A failed try: what to say, and whether trying again could help. */
class SendFailure {
  constructor(
    readonly what: string,
    readonly permanent: boolean,
    /** What to check, said after the outcome ("; check …"). */
    readonly hint = '',
  ) {}
}

const CONNECTION_CODES = ['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EGREETING'];

/** Nodemailer's errors (https://nodemailer.com/smtp/#error-codes) as a sentence naming the server and what to check. */
function describeSmtpError(e: SmtpError, config: EmailConfig, field: string): SendFailure {
  const { smtp } = config;
  const server = `SMTP ${smtp.host}:${smtp.port}`;
  const reply = (e.response ?? e.message).replace(/\s+/g, ' ').trim();
  if (e.code === 'EENVELOPE' && e.command === 'RCPT TO') {
    const who = (e.rejected ?? []).map(String).join(', ') || config.to.join(', ');
    return new SendFailure(
      `${server} refused recipient ${who} (${reply})`,
      // Even a 4xx here (greylisting, a full mailbox) will not clear within the seconds between tries.
      true,
      `check the addresses in ${field}.to`,
    );
  }
  if (e.code === 'EAUTH')
    return new SendFailure(
      `${server} refused the login of ${smtp.user ?? '(no user)'} (${reply})`,
      true,
      `check ${field}.smtp.user and the password in ${smtp.password?.env ?? `${field}.smtp.password`}`,
    );
  if (e.code === 'EENVELOPE')
    return new SendFailure(
      `${server} refused the sender ${smtp.from} (${reply})`,
      (e.responseCode ?? 500) >= 500,
      `check ${field}.smtp.from, and that the server lets this account send from it`,
    );
  if (e.code === 'ETLS' || /wrong version number|ssl/i.test(e.message))
    return new SendFailure(
      `${server} TLS failed (${reply})`,
      true,
      `check ${field}.smtp.secure: true for port 465 (TLS from the start), false for 587 or 25 (STARTTLS)`,
    );
  if (CONNECTION_CODES.includes(e.code ?? ''))
    return new SendFailure(
      `${server} unreachable (${e.originalCode ?? e.code})`,
      false,
      `check ${field}.smtp.host and ${field}.smtp.port, and that the server is up`,
    );
  return new SendFailure(`${server} failed: ${reply}`, e.responseCode !== undefined && e.responseCode >= 500);
}

function attachmentsOf(report: ReportMail): NonNullable<SendMailOptions['attachments']> {
  const safe = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '-');
  return [
    ...report.images.map((img) => ({
      filename: `${safe(img.id)}.${img.contentType === 'image/png' ? 'png' : 'svg'}`,
      content: img.content,
      contentType: img.contentType,
      cid: cidOf(img.id),
      contentDisposition: 'inline' as const,
    })),
    ...(report.pdf
      ? [
          {
            filename: `promowatch-${safe(report.siteName)}-${report.week}.pdf`,
            content: report.pdf,
            contentType: 'application/pdf',
          },
        ]
      : []),
  ];
}

/**
 * Sends `report` to every e-mail channel for its site (see reportChannels), all at once. A connection
 * failure or a 4xx reply is tried again, up to `attempts` times; a 5xx reply, a refused recipient or a
 * refused login is final. Never throws: each channel's outcome is returned, logged and kept in `alerts`.
 */
export async function sendReport(
  report: ReportMail,
  channels: readonly ChannelConfig[],
  deps: SendReportDeps,
): Promise<ReportDelivery[]> {
  return Promise.all(
    reportChannels(channels, report.siteName).map(({ config, index }) =>
      sendToChannel(report, config, `notifications.channels[${index}]`, deps),
    ),
  );
}

async function sendToChannel(
  report: ReportMail,
  config: EmailConfig,
  field: string,
  deps: SendReportDeps,
): Promise<ReportDelivery> {
  const log = deps.log.child('report');
  const recipient = config.to.join(', ');
  const about = `Weekly report ${report.siteName} ${report.week} via email channel "${config.name}"`;
  const attempts = Math.max(1, deps.attempts ?? 3);
  const backoffMs = deps.backoffMs ?? 1000;
  const pause = deps.sleep ?? sleep;
  const secrets: string[] = [];
  const clean = (text: string) => clip(scrub(text, secrets), 1000);

  let alertId: number | null = null;
  try {
    alertId = await recordAlert(
      deps.sql,
      {
        siteId: report.siteId,
        kind: REPORT_KIND,
        severity: 'info',
        message: [report.subject, report.permalink].filter(Boolean).join('\n'),
        channel: config.name,
        recipient,
      },
      deps.now(),
    );
  } catch (err) {
    // The report still goes out: reaching someone matters more than the record of it.
    log.error(`${about}: could not be recorded in the alerts table: ${clean(String(err))}`);
  }
  const mark = async (outcome: { delivered: boolean; error?: string }) => {
    if (alertId === null) return;
    try {
      await markAlertAttempt(deps.sql, alertId, outcome, deps.now());
    } catch (err) {
      log.error(`${about}: could not record the attempt: ${clean(String(err))}`);
    }
  };

  const { smtp } = config;
  let password: string | undefined;
  try {
    password = smtp.password ? deps.secret(smtp.password, `${field}.smtp.password`) : undefined;
  } catch (err) {
    const error = clean(err instanceof Error ? err.message : String(err));
    await mark({ delivered: false, error });
    log.error(`${about} not sent: ${error}`);
    return { channel: config.name, recipient, reached: [], attempts: 1, error };
  }
  if (password) secrets.push(password);
  if (smtp.user && password === undefined) {
    const error = `Config: ${field}.smtp.user is set but ${field}.smtp.password is not; add {"env": "VAR"} for the password`;
    await mark({ delivered: false, error });
    log.error(`${about} not sent: ${error}`);
    return { channel: config.name, recipient, reached: [], attempts: 1, error };
  }

  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: password } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  try {
    for (let attempt = 1; ; attempt++) {
      let failure: SendFailure;
      let reached: string[] = [];
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: config.to,
          subject: report.subject,
          text: report.text,
          html: report.html,
          attachments: attachmentsOf(report),
          date: deps.now(),
          ...(report.lang ? { headers: { 'Content-Language': report.lang } } : {}),
        });
        reached = (info.accepted ?? []).map(String);
        const refused = (info.rejected ?? []).map(String);
        if (refused.length === 0) {
          await mark({ delivered: true });
          log.info(`${about} sent to ${recipient}${attempt > 1 ? ` on attempt ${attempt}` : ''}`);
          return { channel: config.name, recipient, reached, attempts: attempt };
        }
        // Some addresses took it: sending again would reach them twice, so this is final.
        failure = new SendFailure(
          `SMTP ${smtp.host}:${smtp.port} refused recipient ${refused.join(', ')} (it reached ${reached.join(', ')})`,
          true,
          `check the addresses in ${field}.to`,
        );
      } catch (err) {
        failure = describeSmtpError(err as SmtpError, config, field);
      }
      const hint = failure.hint ? `; ${failure.hint}` : '';
      await mark({ delivered: false, error: clean(failure.what + hint) });
      if (failure.permanent || attempt >= attempts) {
        const error = clean(`${failure.what}${attempt > 1 ? ` after ${attempt} attempts` : ''}${hint}`);
        log.error(`${about} not sent: ${error}`);
        return { channel: config.name, recipient, reached, attempts: attempt, error };
      }
      const wait = backoffMs * 2 ** (attempt - 1);
      log.warn(
        `${about} failed (attempt ${attempt} of ${attempts}), retrying in ${wait / 1000} s: ${clean(failure.what)}`,
      );
      await pause(wait, deps.signal);
      if (deps.signal?.aborted) {
        const error = clean(`${failure.what}${hint}; not retried: promowatch was stopping`);
        log.error(`${about} not sent: ${error}`);
        return { channel: config.name, recipient, reached, attempts: attempt, error };
      }
    }
  } finally {
    transport.close();
  }
}
