// E-mail channel: one message through the configured SMTP server (nodemailer), with a plain-text and an HTML part.
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { obj, secretRef } from '../../config/fields.ts';
import { note } from '../../config/jsonc.ts';
import { exampleFilters } from '../channel-example.ts';
import { clip, contextLine, escapeHtml, openLabel, plainText } from '../format.ts';
import { scrub } from '../../fetch/index.ts';
import { ChannelError, type AlertText, type Channel, type ChannelConfigFrom } from '../types.ts';

const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be an e-mail address' });
const DEFAULTS = { smtp: { port: 587, secure: false } };
const settings = {
  to: z.array(email).min(1),
  smtp: obj({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(DEFAULTS.smtp.port),
    secure: z.boolean().default(DEFAULTS.smtp.secure),
    user: z.string().optional(),
    password: secretRef.optional(),
    from: email,
  }),
};
type EmailConfig = ChannelConfigFrom<'email', typeof settings>;

export function emailSubject(message: AlertText): string {
  return `[promowatch] ${clip(message.title.replace(/\s+/g, ' ').trim(), 200)}`;
}

/**
 * A deliberately plain HTML part: everything inserted is escaped, no remote images, no scripts. The
 * `lang` lets mail clients and screen readers pick the right voice and hyphenation.
 */
export function emailHtml(message: AlertText): string {
  const link =
    message.url && /^https?:\/\//i.test(message.url)
      ? `<p><a href="${escapeHtml(message.url)}">${escapeHtml(openLabel(message))}</a></p>`
      : '';
  return [
    '<!doctype html>',
    `<html lang="${message.lang}"><body style="font-family: sans-serif; line-height: 1.4">`,
    `<h2 style="margin: 0 0 4px">${escapeHtml(message.title)}</h2>`,
    `<p style="margin: 0 0 12px; color: #555">${escapeHtml(contextLine(message))}</p>`,
    message.lines.length
      ? `<div style="white-space: pre-wrap">${message.lines.map(escapeHtml).join('<br>\n')}</div>`
      : '',
    link,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  /** The SMTP command that was refused, e.g. "RCPT TO". */
  command?: string;
}

/** Nodemailer's error codes (https://nodemailer.com/smtp/#error-codes) turned into advice. */
function hintFor(err: SmtpError, config: EmailConfig, field: string): string {
  const { smtp } = config;
  if (err.code === 'EAUTH')
    return `check ${field}.smtp.user and the password in ${smtp.password?.env ?? `${field}.smtp.password`}`;
  if (err.code === 'EENVELOPE')
    return err.command === 'RCPT TO'
      ? `check the addresses in ${field}.to`
      : `check ${field}.smtp.from, and that the server lets this account send from ${smtp.from}`;
  if (err.code === 'ETLS' || /wrong version number|ssl/i.test(err.message))
    return `check ${field}.smtp.secure: true for port 465 (TLS from the start), false for 587 or 25 (STARTTLS)`;
  if (['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EGREETING'].includes(err.code ?? ''))
    return `check ${field}.smtp.host, ${field}.smtp.port and ${field}.smtp.secure, and that the server is up`;
  return '';
}

export const emailChannel: Channel<EmailConfig> = {
  id: 'email',
  label: { en: 'E-mail', ru: 'Электронная почта' },
  settings,
  secrets: ['smtp.password'],
  defaults: DEFAULTS,
  example: {
    entry: {
      name: 'owner-email',
      to: ['owner@studio.example.com'],
      smtp: {
        host: 'smtp.example.com',
        port: DEFAULTS.smtp.port,
        secure: note(
          'true for port 465 (TLS from the start); false upgrades with STARTTLS.',
          DEFAULTS.smtp.secure,
        ),
        user: 'reports@studio.example.com',
        password: { env: 'SMTP_PASSWORD' },
        from: 'reports@studio.example.com',
      },
      ...exampleFilters({ kinds: ['weekly-report', 'lost-backlink', 'renewal-due', 'budget'] }),
    },
  },
  recipient: (config) => config.to.join(', '),
  async send(config, message, deps, field) {
    const { smtp } = config;
    const password = smtp.password ? deps.secret(smtp.password, `${field}.smtp.password`) : undefined;
    if (smtp.user && password === undefined)
      throw new ChannelError(
        `Config: ${field}.smtp.user is set but ${field}.smtp.password is not; add {"env": "VAR"} for the password`,
        { permanent: true },
      );
    const secrets = password ? [password] : [];
    const server = `${smtp.host}:${smtp.port}`;
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
      const info = await transport.sendMail({
        from: smtp.from,
        to: config.to,
        subject: emailSubject(message),
        text: plainText(message),
        html: emailHtml(message),
        date: deps.now(),
      });
      // Some recipients accepted, some refused: sending again would reach the accepted ones twice,
      // so this fails without a retry and says who missed it.
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length)
        throw new ChannelError(
          `E-mail via ${server} reached ${(info.accepted ?? []).map(String).join(', ')} but was refused for ${rejected.join(', ')}; check ${field}.to`,
          { permanent: true },
        );
    } catch (err) {
      if (err instanceof ChannelError) throw err;
      const e = err as SmtpError;
      const hint = hintFor(e, config, field);
      throw new ChannelError(
        scrub(`E-mail via ${server} failed: ${e.message}${hint ? `; ${hint}` : ''}`, secrets),
        {
          // A 5xx reply and a refused login are final; connection trouble and 4xx replies are worth another try.
          permanent: e.code === 'EAUTH' || (e.responseCode !== undefined && e.responseCode >= 500),
        },
      );
    } finally {
      transport.close();
    }
  },
};
