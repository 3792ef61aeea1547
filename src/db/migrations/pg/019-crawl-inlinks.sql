-- The to-side of a crawl's links, built once when the crawl ends instead of an index kept up to date
-- during it. PostgreSQL twin of ../019-crawl-inlinks.sql, which says why.
CREATE TABLE crawl_inlinks (
  crawl_id  BIGINT NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
  to_id     BIGINT NOT NULL,
  kind      TEXT NOT NULL,
  from_id   BIGINT NOT NULL,
  PRIMARY KEY (crawl_id, to_id, kind, from_id)
);

INSERT INTO crawl_inlinks (crawl_id, to_id, kind, from_id)
  SELECT crawl_id, to_id, kind, from_id FROM crawl_links WHERE true ON CONFLICT DO NOTHING;

DROP INDEX crawl_links_to;

CREATE INDEX crawl_links_redirects ON crawl_links (crawl_id, to_id) WHERE kind = 'redirect';
