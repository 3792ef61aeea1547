// Sends alerts: the list of channels, and the one loop that records, retries and reports every delivery.
import { randomUUID } from 'node:crypto';
import { markAlertAttempt, recordAlert } from '../db/alerts.ts';
import type { Sql } from '../db/store/types.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';
import { channelById } from './channels/index.ts';
import { clip, plainText } from './format.ts';
import { scrub } from '../fetch/index.ts';
import { alertText, channelLocale } from './text.ts';
import {
  ChannelError,
  type AlertKind,
  type AlertLocale,
  type AlertMessage,
  type ChannelConfig,
  type ChannelDeps,
} from './types.ts';

export { groupMessages } from './group.ts';
export { alertLocale, alertText, channelLocale } from './text.ts';
export type { AlertLocale, AlertMessage, AlertText, Channel, ChannelConfig, ChannelDeps } from './types.ts';

export interface NotifyDeps extends ChannelDeps {
  log: Logger;
  /** The site's language and zone (alertLocale()): a channel without a `language` writes in it. */
  locale: AlertLocale;
}

/**
 * What the alerts table keeps of a message: its plain text in the site's language. One language for
 * every row of a site, whatever each channel was sent, so the Jobs page reads alike; and no schema
 * change for a structured copy (the channels got their own words at send time).
 */
export function storedMessage(message: AlertMessage, locale: AlertLocale): string {
  return plainText(alertText(message, locale));
}

export { CHANNELS, channelById, channelLabel, notificationChannels } from './channels/index.ts';

export interface DeliverOptions {
  /** Attempts after the first failed one; default 3. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one; default 1000. A Telegram retry_after or an HTTP Retry-After replaces it. */
  backoffMs?: number;
  /** Longest wait between attempts (default 60 000 ms); a service asking for more is given up on. */
  maxRetryWaitMs?: number;
  /** Waits between attempts; default sleep() from src/util, which returns early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The run's signal: a shutdown cuts the wait before a retry short and gives the retry up. */
  signal?: AbortSignal;
}

export interface DeliveryResult {
  /** The channel's name from the config. */
  channel: string;
  delivered: boolean;
  error?: string;
}

const ERROR_MAX = 1000;

/**
 * The channels that take alerts of `kind` about `siteName`: a channel's `sites` and `kinds` filters,
 * when set, must both list them. An alert about no site (a global job) only reaches channels
 * without a `sites` filter, since those are the ones that asked for everything.
 */
export function channelsFor<C extends Pick<ChannelConfig, 'sites' | 'kinds'>>(
  channels: readonly C[],
  siteName: string | null,
  kind: AlertKind,
): C[] {
  return channels.filter(
    (ch) =>
      (ch.sites === undefined || (siteName !== null && ch.sites.includes(siteName))) &&
      (ch.kinds === undefined || ch.kinds.includes(kind)),
  );
}

/**
 * Sends `message` to every channel whose filters take it (channelsFor), all at once, each in its own
 * language (channel `language`, else `deps.locale`). Each gets a row in `alerts` and one attempt mark
 * per try. Only a ChannelError that is not `permanent` is retried: a missing secret, a wrong token or
 * a refused address will not fix itself. Never throws; failures are logged and returned.
 */
export async function notify(
  sql: Sql,
  channels: readonly ChannelConfig[],
  siteId: number | null,
  message: AlertMessage,
  deps: NotifyDeps,
  opts: DeliverOptions = {},
): Promise<DeliveryResult[]> {
  const wanted = new Set(channelsFor(channels, message.siteName, message.kind));
  // One key for the rows of this message, so the inbox shows it once with each channel's delivery.
  const notice = randomUUID();
  // The index into the full list is kept: error messages name the channel's place in the config.
  return Promise.all(
    channels.flatMap((config, i) =>
      wanted.has(config) ? [deliver(sql, config, i, siteId, message, notice, deps, opts)] : [],
    ),
  );
}

async function deliver(
  sql: Sql,
  config: ChannelConfig,
  index: number,
  siteId: number | null,
  message: AlertMessage,
  notice: string,
  deps: NotifyDeps,
  opts: DeliverOptions,
): Promise<DeliveryResult> {
  const log = deps.log.child('notify');
  const label = `${config.type} channel "${config.name}"`;
  const text = alertText(message, channelLocale(config, deps.locale));
  // The log is English for whoever runs the server; the alert's own title stays as sent.
  const about = `Alert "${clip(text.title, 120)}" via ${label}`;
  const fail = (error: string): DeliveryResult => ({ channel: config.name, delivered: false, error });
  // `type` is the config's discriminant and each channel's id, so a match means the config fits.
  const channel = channelById(config.type);
  if (!channel) {
    const error = `${label} has type "${config.type}", which promowatch cannot send to`;
    log.error(error);
    return fail(error);
  }

  // Whatever secret the channel resolves is remembered, so no error text reaching the alerts table
  // or the log can carry it, even if a channel forgot to redact one.
  const seen: string[] = [];
  const channelDeps: ChannelDeps = {
    fetch: deps.fetch,
    now: deps.now,
    secret: (ref, field) => {
      const value = deps.secret(ref, field);
      seen.push(value);
      return value;
    },
  };
  const describe = (err: unknown) =>
    clip(scrub(err instanceof Error ? err.message : String(err), seen), ERROR_MAX);

  let alertId: number | null = null;
  try {
    alertId = await recordAlert(
      sql,
      {
        siteId,
        kind: message.kind,
        severity: message.severity,
        message: storedMessage(message, deps.locale),
        channel: config.name,
        recipient: channel.recipient(config),
        notice,
        facts: message.facts,
      },
      deps.now(),
    );
  } catch (err) {
    // The alert still goes out: reaching someone matters more than the record of it.
    log.error(`${about}: could not be recorded in the alerts table: ${describe(err)}`);
  }
  const mark = async (outcome: { delivered: boolean; error?: string }) => {
    if (alertId === null) return;
    try {
      await markAlertAttempt(sql, alertId, outcome, deps.now());
    } catch (err) {
      log.error(`${about}: could not record the attempt: ${describe(err)}`);
    }
  };

  const retries = Math.max(0, opts.retries ?? 3);
  const backoffMs = opts.backoffMs ?? 1000;
  const maxWait = opts.maxRetryWaitMs ?? 60_000;
  const pause = opts.sleep ?? sleep;
  const attempts = retries + 1;
  for (let attempt = 1; ; attempt++) {
    try {
      await channel.send(config, text, channelDeps, `notifications.channels[${index}]`);
      await mark({ delivered: true });
      if (attempt > 1) log.info(`${about} delivered on attempt ${attempt}`);
      return { channel: config.name, delivered: true };
    } catch (err) {
      let error = describe(err);
      const retryable = err instanceof ChannelError && !err.permanent;
      const asked = err instanceof ChannelError ? err.retryAfterMs : undefined;
      const wait = asked ?? Math.min(backoffMs * 2 ** (attempt - 1), maxWait);
      const waitTooLong = retryable && attempt < attempts && asked !== undefined && asked > maxWait;
      if (waitTooLong)
        error = `${error}; the service asked to wait ${Math.ceil(wait / 1000)} s, longer than promowatch waits`;
      await mark({ delivered: false, error });
      if (!retryable || attempt >= attempts || waitTooLong) {
        const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
        log.error(`${about} not delivered${tries}: ${error}`);
        return fail(error);
      }
      log.warn(`${about} failed (attempt ${attempt} of ${attempts}), retrying in ${wait / 1000} s: ${error}`);
      await pause(wait, opts.signal);
      if (opts.signal?.aborted) {
        const stopped = `${error}; not retried: promowatch was stopping`;
        log.error(`${about} not delivered${attempt === 1 ? '' : ` after ${attempt} attempts`}: ${stopped}`);
        return fail(stopped);
      }
    }
  }
}
