-- PostgreSQL twin of ../010-backlink-tool-states.sql (types mapped as pg/001-foundation.sql says).
-- What a backlink tool (Ahrefs, Semrush) last said about a link in an imported export: rel flags, lost
-- or not, with its dates. Shown beside our own verdict and used to order first checks; never our verdict,
-- so it lives apart from backlinks.status. One row per link and tool; a re-import replaces it.

CREATE TABLE backlink_tool_states (
  backlink_id  BIGINT NOT NULL REFERENCES backlinks(id) ON DELETE CASCADE,
  tool         TEXT NOT NULL CHECK (tool IN ('ahrefs', 'semrush')),
  -- NULL: the export had no such column.
  nofollow     BIGINT CHECK (nofollow IN (0, 1)),
  sponsored    BIGINT CHECK (sponsored IN (0, 1)),
  ugc          BIGINT CHECK (ugc IN (0, 1)),
  lost         BIGINT NOT NULL CHECK (lost IN (0, 1)),
  lost_on      TEXT,              -- YYYY-MM-DD, UTC, as the tool dates it
  lost_reason  TEXT,
  first_seen   TEXT,              -- YYYY-MM-DD, UTC
  last_seen    TEXT,
  imported_at  TEXT NOT NULL,     -- ISO timestamp of the import that wrote this row
  PRIMARY KEY (backlink_id, tool)
);
