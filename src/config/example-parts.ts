// Pieces of the example config that sources describing their own config blocks share with example.ts:
// the commented-out API addresses and request quotas.
import { off } from './jsonc.ts';

export const PROXY = 'only to go through a proxy or a test server; the real API when left out';

/** A provider's API addresses, shown commented out (the first one explained, the rest bare). */
export function endpoints(urls: Record<string, string>, explain = false) {
  return Object.fromEntries(
    Object.entries(urls).map(([k, url], i) => [
      k,
      off(explain && i === 0 ? `API addresses: ${PROXY}.` : '', url),
    ]),
  );
}

/** A provider's request quotas, shown commented out where the example does not set them. */
export function quotas(set: { dailyQuota?: number; monthlyQuota?: number } = {}, explain = false) {
  return {
    dailyQuota:
      set.dailyQuota ??
      off(
        explain
          ? 'Requests a day / a calendar month (UTC) at most, across all sites (every provider takes these):'
          : '',
        1000,
      ),
    monthlyQuota: set.monthlyQuota ?? off('', 20000),
  };
}
