// Telegram channel: the Bot API's sendMessage (https://core.telegram.org/bots/api#sendmessage) in HTML parse mode.
import { z } from 'zod';
import { httpUrl, secretRef } from '../../config/fields.ts';
import { off } from '../../config/jsonc.ts';
import { exampleFilters } from '../channel-example.ts';
import { clip, contextLine, fitLines, MAX_LINE, moreLines, openLabel } from '../format.ts';
import { bodyExcerpt, retryAfterMs, scrub } from '../../fetch/index.ts';
import { postJson } from '../http.ts';
import { ChannelError, type AlertText, type Channel, type ChannelConfigFrom } from '../types.ts';

const settings = {
  botToken: secretRef,
  chatId: z.string().min(1),
  baseUrl: httpUrl.optional(),
};
type TelegramConfig = ChannelConfigFrom<'telegram', typeof settings>;
const DEFAULT_BASE_URL = 'https://api.telegram.org';

// "Text of the message to be sent, 1-4096 characters after entities parsing"; we count before
// parsing, which is never less.
const TEXT_MAX = 4096;

/**
 * HTML parse mode (https://core.telegram.org/bots/api#html-style): <, > and & outside tags must be
 * entities, and only &lt; &gt; &amp; &quot; are understood, so no &#39; here.
 */
export function escapeTelegram(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function telegramText(message: AlertText): string {
  const head = [
    `<b>${escapeTelegram(clip(message.title, MAX_LINE))}</b>`,
    `<i>${escapeTelegram(contextLine(message))}</i>`,
  ];
  const link = message.url
    ? `<a href="${escapeTelegram(message.url)}">${escapeTelegram(openLabel(message))}</a>`
    : '';
  const room = TEXT_MAX - head.join('\n').length - link.length - 4;
  const body = fitLines(message.lines, room, escapeTelegram, moreLines(message));
  return [...head, ...(body ? ['', body] : []), ...(link ? ['', link] : [])].join('\n');
}

/** The parts of a Bot API answer we read (https://core.telegram.org/bots/api#making-requests). */
interface BotAnswer {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

function hintFor(code: number | undefined, description: string, config: TelegramConfig): string | undefined {
  if (code === 401 || code === 404)
    return `the bot token in ${config.botToken.env} is wrong or revoked; copy it again from @BotFather`;
  if (/chat not found/i.test(description))
    return `check chatId "${config.chatId}", and that the bot was added to that chat or the user started it`;
  if (/bot was blocked|bot was kicked|not a member/i.test(description))
    return 'add the bot to the chat again, or unblock it';
  return undefined;
}

export const telegramChannel: Channel<TelegramConfig> = {
  id: 'telegram',
  label: { en: 'Telegram', ru: 'Telegram' },
  settings,
  secrets: ['botToken'],
  defaults: { baseUrl: DEFAULT_BASE_URL },
  example: {
    entry: {
      name: 'owner-telegram',
      botToken: { env: 'TELEGRAM_BOT_TOKEN' },
      chatId: '123456789',
      baseUrl: off(
        'The Bot API address: only to go through a proxy or a test server; the real API when left out.',
        DEFAULT_BASE_URL,
      ),
      ...exampleFilters(),
    },
  },
  recipient: (config) => `chat ${config.chatId}`,
  async send(config, message, deps, field) {
    const token = deps.secret(config.botToken, `${field}.botToken`);
    const base = new URL(config.baseUrl ?? DEFAULT_BASE_URL);
    const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    // The token is part of the path (https://core.telegram.org/bots/api#making-requests).
    const url = new URL(`${basePath}bot${token}/sendMessage`, base);
    const secrets = [token, url.href];
    const what = `Telegram ${base.origin} sendMessage to chat ${config.chatId}`;
    const answer = await postJson(
      deps,
      url,
      {
        chat_id: config.chatId,
        text: telegramText(message),
        parse_mode: 'HTML',
        disable_web_page_preview: true,
      },
      what,
      secrets,
    );
    let parsed: BotAnswer | undefined;
    try {
      const json: unknown = JSON.parse(answer.body);
      if (json !== null && typeof json === 'object') parsed = json as BotAnswer;
    } catch {
      // not JSON: a proxy or load balancer answered; reported by status below
    }
    if (parsed?.ok === true && answer.status >= 200 && answer.status <= 299) return;

    const code = parsed?.error_code ?? answer.status;
    const retryAfter = parsed?.parameters?.retry_after;
    const description =
      typeof parsed?.description === 'string'
        ? scrub(parsed.description, secrets)
        : `HTTP ${answer.status}: ${bodyExcerpt(answer.body, secrets)}`;
    const hint = hintFor(code, description, config);
    const transient = code >= 500 || code === 429 || code === 408;
    throw new ChannelError(
      scrub(`${what} failed: ${description} (error ${code})${hint ? `; ${hint}` : ''}`, secrets),
      {
        permanent: !transient,
        retryAfterMs:
          typeof retryAfter === 'number'
            ? retryAfter * 1000
            : retryAfterMs(answer.headers.get('retry-after'), deps.now()),
      },
    );
  },
};
