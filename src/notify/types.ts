// The notification channel contract: what an alert is about (facts, in no language), what a channel is
// handed (the alert in words, in the channel's language), and what each channel file implements.
import type { z } from 'zod';
import type { AnomalyKind } from '../ads/anomalies.ts';
import type { Platform } from '../ads/types.ts';
import type { ALERT_KINDS } from '../config/schema.ts';
import type { Lang } from '../i18n/index.ts';
import type { CHANNELS } from './channels/index.ts';

/** The keys every channel's config has, whatever its type (the filters are checked in schema.ts). */
export interface ChannelCommon<Id extends string = string> {
  type: Id;
  /** The user's name for it, shown in the alerts table and in messages. */
  name: string;
  /** The language its messages are written in; the site's when left out. */
  language?: Lang;
  sites?: string[];
  kinds?: AlertKind[];
}

/** A channel's config: the common keys and the channel's own settings as its zod shape reads them. */
export type ChannelConfigFrom<Id extends string, S extends z.ZodRawShape> = ChannelCommon<Id> &
  z.output<z.ZodObject<S>>;

/** The config of any built-in channel: one member per entry of CHANNELS (channels/index.ts). */
export type ChannelConfig = (typeof CHANNELS)[number] extends infer C
  ? C extends Channel<infer Config>
    ? Config
    : never
  : never;
export type ChannelType = ChannelConfig['type'];
export type ChannelConfigOf<T extends ChannelType> = Extract<ChannelConfig, { type: T }>;

/** The kinds are listed in the config schema, where a channel's `kinds` filter names them. */
export type AlertKind = (typeof ALERT_KINDS)[number];
export type Severity = 'info' | 'warning' | 'critical';

/** A bought link whose state changed; `reasons` are the check's verdict reasons as stored. */
export interface LinkFact {
  donorUrl: string;
  target: string;
  vendor: string | null;
  reasons: string[];
}

/** A paid link whose payment ends soon; `paidUntil` is an ISO day. */
export interface RenewalFact {
  donor: string;
  paidUntil: string;
  vendor: string | null;
}

/** One flagged campaign day: money in micros of the account's currency, CTR as a fraction. */
export interface AnomalyFact {
  day: string;
  campaign: string;
  kind: AnomalyKind;
  value: number;
  baseline: number;
}

/** An error-severity audit issue; `title` and `details` are the audit rule's own words. */
export interface SiteIssueFact {
  rule: string;
  title: string;
  url: string;
  details: string | null;
}

/**
 * What an alert says, as values: src/notify/text.ts puts them into words in any language, so one
 * alert reaches a Russian chat and an English mailbox each in its own language.
 */
export type AlertFacts =
  | { type: 'links'; to: 'lost' | 'devalued' | 'recovered'; links: LinkFact[] }
  | { type: 'renewals'; withinDays: number; renewals: RenewalFact[] }
  | {
      type: 'ad-anomalies';
      platform: Platform;
      account: string;
      currency: string;
      anomalies: AnomalyFact[];
    }
  | {
      type: 'budget';
      /** `over`: the spend already exceeds the budget; `heading-over`: the forecast does (pacing.ts). */
      level: 'over' | 'heading-over';
      platform: Platform;
      account: string;
      currency: string;
      /** The ISO day the month-to-date spend runs to. */
      day: string;
      spentMicros: number;
      budgetMicros: number;
      /** Complete days the daily pace is averaged over. */
      paceDays: number;
      dailyMicros: number;
      forecastMicros: number;
      /** forecast / budget − 1. */
      overBy: number;
    }
  | {
      type: 'site-issues';
      /** When the crawl compared with started (an ISO instant). */
      since: string;
      /** How many new errors there were; `issues` lists the first of them. */
      total: number;
      issues: SiteIssueFact[];
    }
  | { type: 'job-failed'; job: string; runId: number; error: string }
  /** Several alerts of one site and kind gathered into one message (group.ts). */
  | { type: 'digest'; items: AlertFacts[] };

export interface AlertMessage {
  siteName: string | null;
  kind: AlertKind;
  severity: Severity;
  facts: AlertFacts;
  /** A link to the relevant dashboard page. */
  url?: string;
}

/** The language and time zone an alert is written in. */
export interface AlertLocale {
  lang: Lang;
  timeZone: string;
}

/** An alert put into words (text.ts): what a channel sends. */
export interface AlertText {
  siteName: string | null;
  kind: AlertKind;
  severity: Severity;
  lang: Lang;
  title: string;
  lines: string[];
  url?: string;
}

export interface ChannelDeps {
  fetch: typeof fetch;
  secret: (ref: { env: string }, field: string) => string;
  now: () => Date;
}

/** How the example config (`promowatch init`) shows a channel: its entry after `type`, and a note above it. */
export interface ChannelExample {
  note?: string;
  /** `name`, the channel's settings and its filters, in the order the file shows them (jsonc note/off allowed). */
  entry: Record<string, unknown>;
}

/**
 * One notification channel, described whole: the config schema, the example config and the send loop
 * read it from the list in channels/index.ts, so a new channel is one file there and one line in the list.
 */
export interface Channel<C extends ChannelCommon = any> {
  /** The config's `type`: "telegram". Stable; never translated. */
  id: C['type'];
  /** How a person calls it, in each language: "E-mail", "Электронная почта". */
  label: Record<Lang, string>;
  /** The zod shape of its own config keys (besides type, name and the filters). */
  settings: z.ZodRawShape;
  /** Paths of the settings that are secrets ({"env": "VAR"} references): "botToken", "smtp.password". */
  secrets: readonly string[];
  /** Values used when a setting is left out (shown commented out in the example). */
  defaults: Record<string, unknown>;
  example: ChannelExample;
  /** Who receives it, for the alerts table — never a secret. */
  recipient(config: C): string;
  /**
   * Delivers one message, already in the channel's language, or throws an Error whose message a user can act on and that holds no
   * secret. `field` is the config path of this channel (`notifications.channels[2]`), for messages.
   */
  send(config: C, message: AlertText, deps: ChannelDeps, field: string): Promise<void>;
}

/**
 * A failed send with hints for the retry loop in index.ts: `retryAfterMs` when the service said how
 * long to wait (HTTP Retry-After, Telegram retry_after), `permanent` when trying again cannot help
 * (a rejected address, a revoked webhook, a wrong token).
 */
export class ChannelError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;
  constructor(message: string, opts: { retryAfterMs?: number; permanent?: boolean } = {}) {
    super(message);
    this.name = 'ChannelError';
    this.retryAfterMs = opts.retryAfterMs;
    this.permanent = opts.permanent ?? false;
  }
}
