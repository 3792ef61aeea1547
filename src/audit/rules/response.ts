// Rules on answers: client and server errors, failed fetches, broken resources and external links, soft 404s,
// slow and oversized pages, truncated bodies and charset problems.
import type { RuleFamily } from '../types.ts';
import { fileIssues, linkedFrom, rule } from './sql.ts';

const R = {
  s4xx: rule('status-4xx', 'error'),
  s5xx: rule('status-5xx', 'error'),
  failed: rule('fetch-failed', 'error'),
  resource: rule('broken-resource', 'error'),
  external: rule('broken-external-link', 'warning'),
  soft404: rule('soft-404', 'warning'),
  slow: rule('slow-ttfb', 'warning'),
  large: rule('large-html', 'warning'),
  truncated: rule('body-truncated', 'warning'),
  charset: rule('charset-problem', 'warning'),
};

const NOT_FOUND =
  /\b(not found|404|page (does not|doesn't) exist)\b|не найден|страница не существует|ошибка 404/i;

export const responseRules: RuleFamily = {
  id: 'responses',
  rules: Object.values(R),
  page(f, t) {
    const out = [];
    const heading = `${f.html.title ?? ''} ${f.html.h1.join(' ')}`;
    if (NOT_FOUND.test(heading) && f.html.wordCount < t.thinContentWords)
      out.push({ rule: R.soft404.id, details: `title/H1: "${heading.trim().slice(0, 120)}"` });
    if (f.ttfbMs > t.slowTtfbMs)
      out.push({ rule: R.slow.id, details: `${Math.round(f.ttfbMs)} ms to first byte` });
    if (f.bytes > t.largeHtmlBytes)
      out.push({ rule: R.large.id, details: `${(f.bytes / 1024 / 1024).toFixed(1)} MB of HTML` });
    return out;
  },
  async crawl(sql, crawlId) {
    const sel = (where: string, detail: string) =>
      `SELECT u.id AS url_id, ${detail} || '; ' || ${linkedFrom()} AS details FROM crawl_urls u WHERE u.crawl_id = ? AND u.state = 'done' AND ${where}`;
    await fileIssues(
      sql,
      crawlId,
      R.s4xx,
      sel(`u.kind = 'page' AND u.status BETWEEN 400 AND 499`, `'answered ' || u.status`),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.s5xx,
      sel(`u.kind = 'page' AND u.status >= 500`, `'answered ' || u.status`),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.failed,
      sel(`u.kind = 'page' AND u.status IS NULL`, `COALESCE(u.error, 'no answer')`),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.resource,
      sel(
        `u.kind = 'resource' AND (u.status IS NULL OR u.status >= 400)`,
        `COALESCE('answered ' || u.status, u.error)`,
      ),
      crawlId,
    );
    await fileIssues(
      sql,
      crawlId,
      R.external,
      sel(
        `u.kind = 'external' AND (u.status IS NULL OR u.status >= 400)`,
        `COALESCE('answered ' || u.status, u.error)`,
      ),
      crawlId,
    );
  },
};
