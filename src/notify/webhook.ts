// Generic webhook channel: POSTs the alert as one JSON object to a URL kept in the environment.
import { plainText } from './format.ts';
import { postJson, secretUrl, statusError } from './http.ts';
import type { Channel, ChannelConfigOf } from './types.ts';

type WebhookConfig = ChannelConfigOf<'webhook'>;

/**
 * The JSON body the webhook receives; documented in the README for whoever writes the receiver. The
 * keys and the `site`, `kind` and `severity` values are stable; `title`, `lines` and `text` are words
 * for people, in the channel's language.
 */
export interface WebhookPayload {
  site: string | null;
  kind: string;
  severity: string;
  title: string;
  lines: string[];
  url: string | null;
  sentAt: string;
  /** The whole alert as plain text (title, context line, lines, link), ready to show or forward. */
  text: string;
}

export const webhookChannel: Channel<WebhookConfig> = {
  type: 'webhook',
  // The URL itself is the credential (it often carries a token), so only its variable is named.
  recipient: (config) => `URL in $${config.url.env}`,
  async send(config, message, deps, field) {
    const url = secretUrl(deps, config.url, `${field}.url`);
    const secrets = [url.href, url.pathname + url.search];
    const what = `Webhook ${url.origin}`;
    const payload: WebhookPayload = {
      site: message.siteName,
      kind: message.kind,
      severity: message.severity,
      title: message.title,
      lines: message.lines,
      url: message.url ?? null,
      sentAt: deps.now().toISOString(),
      text: plainText(message),
    };
    const answer = await postJson(deps, url, payload, what, secrets);
    if (answer.status < 200 || answer.status > 299) {
      const hint =
        answer.status === 401 || answer.status === 403 || answer.status === 404 || answer.status === 410
          ? `check the URL in ${config.url.env}`
          : undefined;
      throw statusError(what, answer, deps.now(), secrets, hint);
    }
  },
};
