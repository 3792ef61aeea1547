// Generic webhook channel: POSTs the alert as one JSON object to a URL kept in the environment, signed
// with HMAC-SHA256 when a signing secret is configured.
import { createHmac } from 'node:crypto';
import { secretRef } from '../../config/fields.ts';
import { note, off } from '../../config/jsonc.ts';
import { plainText } from '../format.ts';
import { postJson, secretUrl, statusError } from '../http.ts';
import type { Channel, ChannelConfigFrom } from '../types.ts';

const settings = { url: secretRef, signingSecret: secretRef.optional() };
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

export const SIGNATURE_HEADER = 'X-Promowatch-Signature';
export const TIMESTAMP_HEADER = 'X-Promowatch-Timestamp';

/**
 * The signature headers for one delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, the
 * scheme Stripe made familiar, so receivers can reuse what they know. The time is inside the signed
 * text, so a receiver that refuses old timestamps also refuses a recorded delivery played back later.
 */
export function webhookSignature(secret: string, at: Date, body: string): Record<string, string> {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { [SIGNATURE_HEADER]: `t=${t},v1=${v1}`, [TIMESTAMP_HEADER]: String(t) };
}

export const webhookChannel: Channel<WebhookConfig> = {
  id: 'webhook',
  label: { en: 'Webhook', ru: 'Вебхук' },
  settings,
  secrets: ['url', 'signingSecret'],
  defaults: {},
  example: {
    entry: {
      name: 'ops-webhook',
      url: note('A JSON POST; the URL is a secret (it often carries a token).', { env: 'ALERT_WEBHOOK_URL' }),
      signingSecret: off(
        'Signs each delivery: X-Promowatch-Signature "t=<unix>,v1=<hex HMAC-SHA256 of t.body>" with this secret (the README shows how a receiver checks it):',
        { env: 'ALERT_WEBHOOK_SECRET' },
      ),
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
    const key = config.signingSecret ? deps.secret(config.signingSecret, `${field}.signingSecret`) : null;
    if (key !== null) secrets.push(key);
    const sign = key === null ? undefined : (body: string) => webhookSignature(key, deps.now(), body);
    const answer = await postJson(deps, url, payload, what, secrets, sign);
    if (answer.status < 200 || answer.status > 299) {
      const hint =
        answer.status === 401 || answer.status === 403 || answer.status === 404 || answer.status === 410
          ? `check the URL in ${config.url.env}`
          : undefined;
      throw statusError(what, answer, deps.now(), secrets, hint);
    }
  },
};
