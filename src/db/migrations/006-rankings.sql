-- Rank tracking: the keywords a site tracks (per engine, region and device), competitor domains,
-- every observation of a keyword's position (one per day and source, with an explicit state so a
-- failed fetch is never a position), the full result pages they were read from, the search
-- statistics the webmaster APIs report, and a daily summary the charts read.

CREATE TABLE keywords (
  id          INTEGER PRIMARY KEY,
  site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  query       TEXT NOT NULL,
  engine      TEXT NOT NULL CHECK (engine IN ('google', 'yandex', 'bing')),
  device      TEXT NOT NULL CHECK (device IN ('desktop', 'mobile')),
  -- Google and Bing: country (gl) and language (hl), optional location; Yandex: region id (lr).
  gl          TEXT,
  hl          TEXT,
  location    TEXT,
  lr          INTEGER,
  -- Canonical form of the four above ("gl=ru;hl=ru", "lr=213"): part of the keyword's identity.
  region      TEXT NOT NULL,
  target_url  TEXT,
  volume      INTEGER CHECK (volume IS NULL OR volume >= 0),
  tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  created_at  TEXT NOT NULL,
  -- Derived from the observations by src/rank/summary.ts after every write, so the Rankings table is
  -- one query rather than thousands: best position ever, the latest observation (by its best source
  -- that day), the change over 7 and 30 days (positive = moved up), and the latest failure if it is
  -- newer than the latest observation.
  best_position REAL,
  best_day      TEXT,
  cur_day       TEXT,
  cur_state     TEXT,
  cur_position  REAL,
  cur_url       TEXT,
  cur_source    TEXT,
  cur_depth     INTEGER,
  change7       REAL,
  change30      REAL,
  fail_day      TEXT,
  fail_source   TEXT,
  fail_error    TEXT,
  UNIQUE (site_id, query, engine, region, device)
);

CREATE TABLE keyword_tags (
  keyword_id INTEGER NOT NULL REFERENCES keywords(id) ON DELETE CASCADE,
  tag        TEXT NOT NULL,
  PRIMARY KEY (tag, keyword_id)
) WITHOUT ROWID;

CREATE TABLE competitors (
  id         INTEGER PRIMARY KEY,
  site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  domain     TEXT NOT NULL,
  name       TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (site_id, domain)
);

-- A result page as fetched: the organic results are in serp_results; raw is the gzipped body
-- (bounded), kept as evidence.
CREATE TABLE serp_pages (
  id          INTEGER PRIMARY KEY,
  keyword_id  INTEGER NOT NULL REFERENCES keywords(id) ON DELETE CASCADE,
  day         TEXT NOT NULL,
  source      TEXT NOT NULL,
  fetched_at  TEXT NOT NULL,
  depth       INTEGER NOT NULL,
  raw         BLOB,
  UNIQUE (keyword_id, day, source)
);

CREATE TABLE serp_results (
  page_id  INTEGER NOT NULL REFERENCES serp_pages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url      TEXT NOT NULL,
  domain   TEXT NOT NULL,
  -- The registrable part of the domain (src/rank/store.ts rootDomain): competitors are looked up by it,
  -- so "blog.rival.ru" counts for "rival.ru" through an index.
  root     TEXT NOT NULL,
  title    TEXT,
  PRIMARY KEY (page_id, position)
) WITHOUT ROWID;
CREATE INDEX serp_results_by_root ON serp_results (root, page_id);

-- state: ranked (position set), not-in-top (the site is not among the first `depth` results),
-- failed (error set; nothing is known about the position). priority: which source wins when
-- several observed the same keyword on the same day (exact result pages over averages).
CREATE TABLE rank_observations (
  keyword_id  INTEGER NOT NULL REFERENCES keywords(id) ON DELETE CASCADE,
  day         TEXT NOT NULL,
  source      TEXT NOT NULL,
  priority    INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('ranked', 'not-in-top', 'failed')),
  position    REAL CHECK (position IS NULL OR position >= 1),
  url         TEXT,
  depth       INTEGER,
  error       TEXT,
  -- When the source looked; null for positions imported from a file (its date is all that is known).
  observed_at TEXT,
  run_id      INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  CHECK ((state = 'ranked') = (position IS NOT NULL)),
  CHECK (state != 'failed' OR error IS NOT NULL),
  PRIMARY KEY (keyword_id, day, source)
) WITHOUT ROWID;

-- What Search Console, Yandex Webmaster and Bing Webmaster report per query, page and day.
CREATE TABLE search_stats (
  site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  source      TEXT NOT NULL,
  day         TEXT NOT NULL,
  query       TEXT NOT NULL,
  page        TEXT NOT NULL DEFAULT '',
  device      TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT '',
  clicks      INTEGER NOT NULL,
  impressions INTEGER NOT NULL,
  position    REAL,
  PRIMARY KEY (site_id, source, day, query, page, device, country)
) WITHOUT ROWID;

-- Per site, engine, tag ('' = all keywords) and day: how many keywords, and how much search volume,
-- sat at each position — JSON arrays indexed by position 1..100, index 0 = observed but not in the top.
-- Rebuilt from the chosen observations after each run or import (src/rank/summary.ts); visibility
-- under any CTR curve and the position distribution are computed from it, a year being 365 small rows.
CREATE TABLE rank_daily (
  site_id  INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  engine   TEXT NOT NULL,
  tag      TEXT NOT NULL,
  day      TEXT NOT NULL,
  keywords TEXT NOT NULL CHECK (json_valid(keywords)),
  volume   TEXT NOT NULL CHECK (json_valid(volume)),
  PRIMARY KEY (site_id, engine, tag, day)
) WITHOUT ROWID;

-- Requests each provider made per day (UTC), for quota limits shared by every site of the install.
CREATE TABLE rank_provider_usage (
  provider TEXT NOT NULL,
  day      TEXT NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (provider, day)
) WITHOUT ROWID;

-- When each provider last finished a pull for a site, so each keeps its own schedule.
CREATE TABLE rank_pulls (
  site_id  INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  last_at  TEXT NOT NULL,
  PRIMARY KEY (site_id, provider)
) WITHOUT ROWID;
