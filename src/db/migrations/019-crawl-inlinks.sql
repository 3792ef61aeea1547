-- The to-side of a crawl's links, built once when the crawl ends (src/crawl/inlinks.ts) instead of an
-- index on crawl_links (crawl_id, to_id) kept up to date during the crawl. Links arrive in page order,
-- so the from-index and the table grow at their ends, but every link landed at a random place of the
-- to-index: a third of the crawl's SQLite time and most of each commit's WAL pages (issue 15). Built in
-- one pass, the same rows cost ~0.15 s for a 10,000-page crawl.
--
-- One row per (target, kind, source page): what the audit's to-side questions need (inlinks, "linked
-- from N pages", links to redirects). A page's inlinks with their anchors, or how many links one page
-- has to another, are read back from crawl_links through the from-index.
CREATE TABLE crawl_inlinks (
  crawl_id  INTEGER NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
  to_id     INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  from_id   INTEGER NOT NULL,
  PRIMARY KEY (crawl_id, to_id, kind, from_id)
) WITHOUT ROWID;

-- "WHERE true": SQLite reads ON CONFLICT after a bare SELECT ... FROM as part of a join.
INSERT INTO crawl_inlinks (crawl_id, to_id, kind, from_id)
  SELECT crawl_id, to_id, kind, from_id FROM crawl_links WHERE true ON CONFLICT DO NOTHING;

DROP INDEX crawl_links_to;

-- While a crawl runs, only redirect chains are followed backwards (src/crawl/sql-backend.ts
-- storedChainHops): a small index over the redirect links alone.
CREATE INDEX crawl_links_redirects ON crawl_links (crawl_id, to_id) WHERE kind = 'redirect';
