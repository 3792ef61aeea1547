// The notification channel contract: what an alert says, and what each channel file implements.
import type { ALERT_KINDS, Config } from '../config/schema.ts';

export type ChannelConfig = Config['notifications']['channels'][number];
export type ChannelType = ChannelConfig['type'];
export type ChannelConfigOf<T extends ChannelType> = Extract<ChannelConfig, { type: T }>;

/** The kinds are listed in the config schema, where a channel's `kinds` filter names them. */
export type AlertKind = (typeof ALERT_KINDS)[number];
export type Severity = 'info' | 'warning' | 'critical';

export interface AlertMessage {
  siteName: string | null;
  kind: AlertKind;
  severity: Severity;
  title: string;
  lines: string[];
  /** A link to the relevant dashboard page. */
  url?: string;
}

export interface ChannelDeps {
  fetch: typeof fetch;
  secret: (ref: { env: string }, field: string) => string;
  now: () => Date;
}

export interface Channel<C extends ChannelConfig = ChannelConfig> {
  type: C['type'];
  /** Who receives it, for the alerts table — never a secret. */
  recipient(config: C): string;
  /**
   * Delivers one message, or throws an Error whose message a user can act on and that holds no
   * secret. `field` is the config path of this channel (`notifications.channels[2]`), for messages.
   */
  send(config: C, message: AlertMessage, deps: ChannelDeps, field: string): Promise<void>;
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
