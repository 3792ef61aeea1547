// The filters every channel takes, as the example config (`promowatch init`) shows them: commented out
// unless a channel's example sets them. Used by the channel files' `example` entries.
import { off } from '../config/jsonc.ts';

export function exampleFilters(set: { language?: string; sites?: string[]; kinds?: string[] } = {}) {
  return {
    language: set.language ?? off('', 'ru'),
    sites: set.sites ?? off('', ['studio']),
    kinds: set.kinds ?? off('', ['lost-backlink', 'budget']),
  };
}
