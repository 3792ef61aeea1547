// The demo's configuration: two simulated sites (the studio with every section, the bakery with a few),
// checked as gently as loopback servers need, and the providers pointed at the simulated APIs.
import { JOB_NAMES } from '../../../jobs/index.ts';
import { validateConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';

/** The demo's sites, accounts and schedules are all in Moscow time. */
export const TZ = 'Europe/Moscow';
// The simulated sites live on this machine: no need to be gentle with them. Their pages are a few
// sentences each, so the thin-content check is switched off (a real config option) to let the
// problems the simulation plants stand out.
const DEMO_CRAWL = { requestsPerSecond: 0, concurrency: 8, thresholds: { thinContentWords: 0 } };
// Donor pages are simulated too: no delay between requests, no start jitter.
// The backfill renders each donor weekly (and when the link goes missing or changes state) and keeps
// those screenshots: the donors answer as they stood at the simulated instant, and each screenshot is
// stamped with that instant, so the evidence history (first live, every change) is what it would have
// been. The last check, today, renders all of them.
const DEMO_BACKLINKS = {
  minDelayMs: 0,
  jitterSeconds: 0,
  timeoutMs: 5000,
  renderEveryDays: 7,
  screenshots: true,
};

export function demoConfig(o: {
  studioUrl: string;
  bakeryUrl: string;
  host: string;
  port: number;
  /** The config's "providers" section of the simulated search and ads APIs. */
  providers: Record<string, unknown>;
}): Config {
  return validateConfig(
    {
      timeZone: TZ,
      sites: [
        {
          name: 'studio',
          baseUrl: o.studioUrl,
          timeZone: TZ,
          // The studio reads its weekly report in Russian; the bakery's (below) is in English.
          language: 'ru',
          uptime: {
            paths: [
              '/',
              '/portfolio/',
              '/services/motion-design/',
              '/blog/',
              '/ru/',
              '/ru/o-studii/',
              '/contacts/',
            ],
            timeoutMs: 5000,
          },
          crawl: DEMO_CRAWL,
          backlinks: DEMO_BACKLINKS,
          // Result pages from DataForSEO every morning, Search Console's averages beside them.
          rankings: {
            providers: [
              { use: 'dataforseo', schedule: '0 6 * * *' },
              { use: 'gsc', schedule: '0 6 * * *', lookbackDays: 4 },
            ],
            depth: 100,
          },
        },
        {
          name: 'bakery',
          baseUrl: o.bakeryUrl,
          timeZone: TZ,
          language: 'en',
          uptime: { paths: ['/', '/menu/', '/contacts/'], timeoutMs: 5000 },
          crawl: DEMO_CRAWL,
        },
      ],
      web: { host: o.host, port: o.port },
      providers: o.providers,
    },
    JOB_NAMES,
  );
}
