// Job: pull rankings for a site from each configured provider whose own schedule is due (src/rank/track.ts).
import { rankProviders } from '../src/rank/providers/index.ts';
import { serpTasksOn } from '../src/rank/serp-task.ts';
import { trackSite } from '../src/rank/track.ts';
import type { Job } from './types.ts';

export const trackRankingsJob: Job = {
  name: 'track-rankings',
  description:
    'Pulls positions from Search Console, Yandex and Bing Webmaster, SERP APIs or a browser, each on its own schedule and quota',
  scope: 'site',
  // Hourly: each provider's own schedule (rankings.providers[].schedule) decides whether it pulls.
  defaultSchedule: '20 * * * *',
  async run(ctx) {
    const site = ctx.site!;
    const settings = ctx.siteConfig?.rankings ?? { providers: [] };
    const outcomes = await trackSite(
      {
        sql: ctx.sql,
        config: ctx.config,
        now: ctx.now,
        fetch: ctx.fetch,
        log: ctx.log,
        signal: ctx.signal,
        runId: ctx.runId,
        secret: ctx.secret,
        browser: ctx.browser,
        providers: rankProviders(),
        // On a queue, result pages are read by `serp` tasks on any worker (paced per engine and counted
        // against quotas in the database); without one, here, one keyword after another as before.
        ...(ctx.queue
          ? { serpTasks: serpTasksOn(ctx.queue, { sql: ctx.sql, runId: ctx.runId, signal: ctx.signal }) }
          : {}),
      },
      site,
      settings,
      // A person pressing "Run now" wants every provider asked now, not at its next scheduled time.
      { force: ctx.trigger === 'manual' || ctx.trigger === 'cli' },
    );
    const sum = (k: 'requests' | 'ranked' | 'notInTop' | 'failed' | 'deferred' | 'stats') =>
      outcomes.reduce((s, o) => s + o[k], 0);
    // A provider that could not work at all (expired token, quota, captcha on the first page) fails the
    // run so it is noticed; a few keywords failing is recorded per keyword and counted, not a failed run
    // (nor a job-failure alert every hour for one stubborn keyword).
    for (const o of outcomes.filter((x) => x.status === 'partial')) ctx.log.warn(`${o.provider}: ${o.error}`);
    const problems = outcomes.filter((o) => o.status === 'failed').map((o) => o.error!);
    if (problems.length) throw new Error(problems.join('; '));
    return {
      providers: outcomes.filter((o) => o.status !== 'not-due').length,
      requests: sum('requests'),
      ranked: sum('ranked'),
      notInTop: sum('notInTop'),
      failed: sum('failed'),
      deferred: sum('deferred'),
      stats: sum('stats'),
    };
  },
};
