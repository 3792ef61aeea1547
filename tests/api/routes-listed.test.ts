// Every /api/v1 GET route the app has is listed for the demo walk (as data, not a page) and declared.
import { describe, expect, it } from 'vitest';
import { dashboardRoutes, NOT_PAGES } from '../e2e/demo-addresses.ts';

describe('/api/v1 routes', () => {
  it('are all known to the demo walk as not pages', () => {
    const v1 = dashboardRoutes().filter((r) => r.startsWith('/api/v1'));
    expect(v1.length).toBeGreaterThan(8);
    expect(v1.filter((r) => !NOT_PAGES.has(r))).toEqual([]);
  });
});
