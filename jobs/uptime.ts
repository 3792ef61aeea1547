// Job: fetch each site's key pages and record whether they answer, and how fast.
import { fetchPage } from '../src/fetch/http-fetcher.ts';
import { insertChecks, type UptimeCheck } from '../src/uptime/checks.ts';
import type { Job } from './types.ts';

export const uptimeJob: Job = {
  name: 'uptime',
  description:
    "Fetches each site's key pages (config sites[].uptime.paths): status, time to first byte, total time",
  scope: 'site',
  defaultSchedule: '*/15 * * * *',
  async run(ctx) {
    const site = ctx.site!;
    const settings = ctx.siteConfig?.uptime ?? { paths: ['/'], timeoutMs: 10_000 };
    const urls = settings.paths.map((p) => new URL(p, site.baseUrl).href);
    const progress = ctx.progress('pages', urls.length);
    const checkedAt = ctx.now().toISOString();
    // A handful of pages: fetch them at once so one slow page does not delay the others' timing.
    const rows = await Promise.all(
      urls.map(async (url): Promise<UptimeCheck> => {
        const base = { siteId: site.id, runId: ctx.runId, url, checkedAt };
        try {
          const r = await fetchPage(url, {
            timeoutMs: settings.timeoutMs,
            signal: ctx.signal,
          });
          const ok = r.status >= 200 && r.status < 400;
          return {
            ...base,
            status: r.status,
            ok,
            ttfbMs: r.timings.ttfbMs,
            totalMs: r.timings.totalMs,
            bytes: r.body.byteLength,
            error: ok ? null : `HTTP ${r.status}`,
          };
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          return {
            ...base,
            status: null,
            ok: false,
            ttfbMs: null,
            totalMs: null,
            bytes: null,
            error: (err as Error).message,
          };
        } finally {
          progress.tick();
        }
      }),
    );
    progress.done();
    await insertChecks(ctx.sql, rows);
    const ok = rows.filter((r) => r.ok).length;
    return { pages: rows.length, ok, down: rows.length - ok };
  },
};
