// Slack channel: an incoming webhook (https://api.slack.com/messaging/webhooks) with Block Kit blocks and a mrkdwn fallback.
import { secretRef } from '../../config/fields.ts';
import { exampleFilters } from '../channel-example.ts';
import { clip, contextLine, fitLines, MAX_LINE, moreLines, openLabel } from '../format.ts';
import { postJson, secretUrl, statusError } from '../http.ts';
import type { AlertText, Channel, ChannelConfigFrom, Severity } from '../types.ts';

const settings = { webhookUrl: secretRef };
type SlackConfig = ChannelConfigFrom<'slack', typeof settings>;

// A section's text may hold at most 3000 characters
// (https://api.slack.com/reference/block-kit/blocks#section).
const SECTION_MAX = 3000;

const SEVERITY_EMOJI: Record<Severity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

/**
 * &, < and > are Slack's control characters and must be sent as entities; nothing else is escaped
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>`; a "|" or ">" inside the URL would end the link early, so they are percent-encoded. */
function slackLink(url: string, label: string): string {
  const safe = escapeSlack(url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C'));
  return `<${safe}|${escapeSlack(label)}>`;
}

export function slackPayload(message: AlertText): { text: string; blocks: unknown[] } {
  const context = escapeSlack(contextLine(message));
  const heading = `${SEVERITY_EMOJI[message.severity]} *${escapeSlack(clip(message.title, MAX_LINE))}*`;
  const body = fitLines(message.lines, SECTION_MAX, escapeSlack, moreLines(message));
  const link = message.url ? slackLink(message.url, openLabel(message)) : '';
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
  ];
  if (body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: body } });
  if (link) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: link } });
  // `text` is what notifications and screen readers show; it repeats the blocks in one string.
  const text = [heading, context, body, link].filter(Boolean).join('\n');
  return { text, blocks };
}

// What Slack's error bodies mean, from the "Handling errors" table on the webhooks page.
const SLACK_HINTS = new Map<string, string>(
  Object.entries({
    invalid_token: 'the webhook URL is not valid; create a new incoming webhook',
    no_service: 'the webhook was removed or the app uninstalled; create a new incoming webhook',
    no_team: 'the workspace is gone or the app uninstalled; create a new incoming webhook',
    team_disabled: 'the workspace is disabled',
    channel_not_found: 'the channel was deleted; create a webhook for another channel',
    channel_is_archived: 'the channel is archived; unarchive it or create a webhook for another channel',
    action_prohibited: 'a workspace admin restricted posting to this channel',
    posting_to_general_channel_denied: 'only admins may post to this channel',
    invalid_payload: 'Slack rejected the message format; please report this as a promowatch bug',
  }),
);

export const slackChannel: Channel<SlackConfig> = {
  id: 'slack',
  label: { en: 'Slack', ru: 'Slack' },
  settings,
  secrets: ['webhookUrl'],
  defaults: {},
  example: {
    note: 'A channel may speak another language than its site.',
    entry: {
      name: 'team-slack',
      webhookUrl: { env: 'SLACK_WEBHOOK_URL' },
      ...exampleFilters({ language: 'en' }),
    },
  },
  recipient: (config) => `Slack webhook in $${config.webhookUrl.env}`,
  async send(config, message, deps, field) {
    const url = secretUrl(deps, config.webhookUrl, `${field}.webhookUrl`);
    const secrets = [url.href, url.pathname + url.search];
    const what = `Slack webhook ${url.origin}`;
    const answer = await postJson(deps, url, slackPayload(message), what, secrets);
    if (answer.status < 200 || answer.status > 299) {
      const code = answer.body.trim();
      const hint =
        SLACK_HINTS.get(code) ??
        (answer.status === 404 || answer.status === 403
          ? `check the URL in ${config.webhookUrl.env}`
          : undefined);
      throw statusError(what, answer, deps.now(), secrets, hint);
    }
  },
};
