-- PostgreSQL twin of ../009-search-averages.sql (types mapped as pg/001-foundation.sql says).
-- Search averages the user imported from their own exports (Search Console's Performance report, Yandex
-- Webmaster's query statistics): clicks, impressions, CTR and average position of each query, page,
-- country or device over a whole period. They are averages over weeks, not positions on a day, so they
-- never become rank observations or best positions. An import replaces what the same source gave for the
-- same site, dimension and period (src/rank/search-averages.ts), in one transaction.

CREATE TABLE search_averages (
  site_id     BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  source      TEXT NOT NULL CHECK (source IN ('gsc-export', 'yandex-webmaster-export')),
  dimension   TEXT NOT NULL CHECK (dimension IN ('query', 'page', 'country', 'device')),
  -- First and last day the export covers (YYYY-MM-DD, the day as the search engine counts it).
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL CHECK (period_to >= period_from),
  -- The query, page URL, country or device as the export names it.
  key         TEXT NOT NULL,
  clicks      BIGINT NOT NULL CHECK (clicks >= 0),
  impressions BIGINT NOT NULL CHECK (impressions >= 0),
  -- A fraction (0.0488 for "4.88%"); null when the export gave none.
  ctr         DOUBLE PRECISION CHECK (ctr IS NULL OR (ctr >= 0 AND ctr <= 1)),
  -- Average position over the period's impressions; null when the export gave none.
  position    DOUBLE PRECISION CHECK (position IS NULL OR position >= 1),
  imported_at TEXT NOT NULL,
  PRIMARY KEY (site_id, source, dimension, period_from, period_to, key)
);

-- The Rankings page lists a period's top queries by clicks.
CREATE INDEX search_averages_by_clicks
  ON search_averages (site_id, source, dimension, period_to, period_from, clicks DESC);
