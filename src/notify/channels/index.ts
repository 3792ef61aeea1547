// The notification channels, in one list: adding a channel = a file in this folder and a line here. The
// config schema (notifications.channels[].type and each channel's keys), the example config
// (`promowatch init`) and the send loop (src/notify/index.ts) all read this list, through the functions
// below, when they run.
import type { Lang } from '../../i18n/lang.ts';
import type { Channel } from '../types.ts';
import { emailChannel } from './email.ts';
import { slackChannel } from './slack.ts';
import { telegramChannel } from './telegram.ts';
import { webhookChannel } from './webhook.ts';

export const CHANNELS = [emailChannel, webhookChannel, slackChannel, telegramChannel] as const;

// Channels a test registered (registerChannelForTest); always empty outside tests.
const registeredForTest: Channel[] = [];

/** Every channel: the built-in ones, then any a test registered. */
export function notificationChannels(): readonly Channel[] {
  return [...CHANNELS, ...registeredForTest];
}

export function channelById(id: string): Channel | undefined {
  return notificationChannels().find((c) => c.id === id);
}

/** How a person calls a channel type in `lang`; the id itself for a type no longer listed. */
export function channelLabel(id: string, lang: Lang): string {
  return channelById(id)?.label[lang] ?? id;
}

/**
 * Tests only: adds a channel to the list as if it had its line above, for the config schema, the example
 * config and the send loop alike; returns the function that takes it out again. The list stays a plain
 * array in code (no registration at import time), so what ships is exactly what is written above.
 */
export function registerChannelForTest(channel: Channel): () => void {
  if (channelById(channel.id)) throw new Error(`a notification channel "${channel.id}" is already listed`);
  registeredForTest.push(channel);
  return () => {
    const i = registeredForTest.indexOf(channel);
    if (i >= 0) registeredForTest.splice(i, 1);
  };
}
