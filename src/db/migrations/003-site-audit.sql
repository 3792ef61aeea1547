-- Site audit: one row per crawl, one per URL it met (pages, resources, external links), the links
-- between them, and the issues the audit rules found. URLs are stored once per crawl and referenced
-- by id, so a 100,000-page crawl with two million links stays compact.

CREATE TABLE crawls (
  id           INTEGER PRIMARY KEY,
  site_id      INTEGER REFERENCES sites(id) ON DELETE CASCADE,   -- NULL for an ad hoc `promowatch crawl`
  run_id       INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  start_url    TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  settings     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  robots       TEXT,                 -- how robots.txt was read ("parsed", "answered 503: everything disallowed")
  pages        INTEGER NOT NULL DEFAULT 0,
  health       REAL,                 -- 0–100, see src/audit/health.ts
  error        TEXT
);
CREATE INDEX crawls_by_site ON crawls (site_id, started_at);

CREATE TABLE crawl_urls (
  id                INTEGER PRIMARY KEY,
  crawl_id          INTEGER NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
  url               TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('page', 'resource', 'external')),
  depth             INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('queued', 'fetching', 'done', 'blocked', 'skipped')),
  skip_reason       TEXT,
  in_sitemap        INTEGER NOT NULL DEFAULT 0,
  status            INTEGER,           -- HTTP status; NULL when no answer came
  error             TEXT,              -- network error, timeout, decoding problem
  location          TEXT,              -- redirect target (3xx Location, Refresh header or meta refresh)
  redirect_type     TEXT,              -- 'http', 'refresh', 'meta-refresh'
  final_url         TEXT,              -- after following redirects (filled when the crawl ends)
  redirect_hops     INTEGER,
  content_type      TEXT,
  charset           TEXT,
  bytes             INTEGER,
  truncated         TEXT,
  ttfb_ms           REAL,
  total_ms          REAL,
  title             TEXT,
  title_count       INTEGER,
  meta_description  TEXT,
  meta_description_count INTEGER,
  h1                TEXT,              -- JSON array
  canonical         TEXT,              -- first canonical, resolved
  canonical_raw     TEXT,
  canonical_count   INTEGER,
  meta_robots       TEXT,
  x_robots_tag      TEXT,
  noindex           INTEGER,
  nofollow          INTEGER,
  hreflang          TEXT,              -- JSON array of {lang, href}
  lang              TEXT,
  viewport          TEXT,
  word_count        INTEGER,
  content_hash      TEXT,
  simhash           TEXT,
  inlinks           INTEGER NOT NULL DEFAULT 0,
  fetched_at        TEXT,
  UNIQUE (crawl_id, url)
);
CREATE INDEX crawl_urls_queue ON crawl_urls (crawl_id, state, depth, id);

CREATE TABLE crawl_links (
  crawl_id  INTEGER NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
  from_id   INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,
  to_id     INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL,             -- a, img, css, js, iframe, media, other, redirect, canonical
  anchor    TEXT,
  rel       TEXT,
  has_alt   INTEGER
);
CREATE INDEX crawl_links_to ON crawl_links (crawl_id, to_id);
CREATE INDEX crawl_links_from ON crawl_links (crawl_id, from_id);

CREATE TABLE crawl_issues (
  id        INTEGER PRIMARY KEY,
  crawl_id  INTEGER NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
  url_id    INTEGER REFERENCES crawl_urls(id) ON DELETE CASCADE,
  rule      TEXT NOT NULL,
  severity  TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'notice')),
  details   TEXT
);
CREATE INDEX crawl_issues_by_rule ON crawl_issues (crawl_id, rule);
CREATE INDEX crawl_issues_by_url ON crawl_issues (crawl_id, url_id);
