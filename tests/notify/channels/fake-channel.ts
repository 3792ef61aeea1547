// A made-up channel, written as a real one would be: the worked example of "a new channel is one file
// and one line". It POSTs the alert's title to a pager service through the API client.
import { z } from 'zod';
import { httpUrl, secretRef } from '../../../src/config/fields.ts';
import { off } from '../../../src/config/jsonc.ts';
import { ApiError, apiClient } from '../../../src/fetch/index.ts';
import { exampleFilters } from '../../../src/notify/channel-example.ts';
import { ChannelError, type Channel, type ChannelConfigFrom } from '../../../src/notify/types.ts';

const settings = {
  apiKey: secretRef,
  room: z.string().min(1),
  baseUrl: httpUrl.optional(),
};
export type PagerConfig = ChannelConfigFrom<'pager', typeof settings>;
const DEFAULT_BASE_URL = 'https://pager.example';

export const pagerChannel: Channel<PagerConfig> = {
  id: 'pager',
  label: { en: 'Pager', ru: 'Пейджер' },
  settings,
  secrets: ['apiKey'],
  defaults: { baseUrl: DEFAULT_BASE_URL },
  example: {
    note: 'A pager room (made up by the tests).',
    entry: {
      name: 'night-pager',
      apiKey: { env: 'PAGER_API_KEY' },
      room: 'on-call',
      baseUrl: off('', DEFAULT_BASE_URL),
      ...exampleFilters({ kinds: ['job-failure'] }),
    },
  },
  recipient: (config) => `room ${config.room}`,
  async send(config, message, deps, field) {
    const apiKey = deps.secret(config.apiKey, `${field}.apiKey`);
    const api = apiClient(deps, {
      service: 'Pager',
      baseUrl: config.baseUrl ?? DEFAULT_BASE_URL,
      secrets: [apiKey],
      headers: { authorization: `Bearer ${apiKey}` },
    });
    try {
      await api.request(`rooms/${encodeURIComponent(config.room)}/pages`, {
        method: 'POST',
        json: { title: message.title, severity: message.severity },
      });
    } catch (err) {
      // The client's message is already scrubbed and names the service; the send loop wants a ChannelError.
      if (err instanceof ApiError)
        throw new ChannelError(err.message, {
          permanent: !err.transient,
          ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
        });
      throw err;
    }
  },
};
