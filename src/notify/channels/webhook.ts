// Generic webhook channel: POSTs the alert as one JSON object to a URL kept in the environment.
import { secretRef } from '../../config/fields.ts';
import { note, off } from '../../config/jsonc.ts';
import { plainText } from '../format.ts';
import { postJson, secretUrl, statusError } from '../http.ts';
import type { Channel, ChannelConfigFrom } from '../types.ts';

const settings = { url: secretRef };
type WebhookConfig = ChannelConfigFrom<'webhook', typeof settings>;

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
  id: 'webhook',
  label: { en: 'Webhook', ru: 'Вебхук' },
  settings,
  secrets: ['url'],
  defaults: {},
  example: {
    entry: {
      name: 'ops-webhook',
      url: note('A JSON POST; the URL is a secret (it often carries a token).', { env: 'ALERT_WEBHOOK_URL' }),
      sites: off(
        "Only these sites, these kinds, in this language (all sites, all kinds, the site's language when left out):",
        ['studio'],
      ),
      kinds: off('', ['site-issue', 'job-failure']),
      language: off('', 'en'),
    },
  },
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
