-- Backlink monitor: the links the owner paid for, every check of them (the evidence), and the
-- confirmed changes of state (lost, devalued, recovered) that alerts and money reports are built on.

CREATE TABLE backlinks (
  id              INTEGER PRIMARY KEY,
  site_id         INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  donor_url       TEXT NOT NULL,
  target          TEXT NOT NULL,
  target_kind     TEXT NOT NULL CHECK (target_kind IN ('url', 'domain')),
  expected_anchor TEXT,
  kind            TEXT NOT NULL CHECK (kind IN ('bought', 'press-release', 'guest-post', 'directory', 'other')),
  vendor          TEXT,
  price_micros    INTEGER CHECK (price_micros IS NULL OR price_micros >= 0),
  currency        TEXT,
  billing         TEXT NOT NULL CHECK (billing IN ('one-off', 'monthly')),
  bought_on       TEXT,
  paid_until      TEXT,
  tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  notes           TEXT,
  brand           TEXT,
  created_at      TEXT NOT NULL,
  -- Current confirmed state; see src/backlinks/state.ts.
  status          TEXT NOT NULL DEFAULT 'unchecked' CHECK (status IN ('unchecked', 'live', 'devalued', 'lost', 'inconclusive')),
  status_since    TEXT,
  status_reasons  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(status_reasons)),
  google_passes   INTEGER,
  yandex_passes   INTEGER,
  -- Failing checks in a row that could become "lost" (reset by any live or devalued check).
  fail_streak     INTEGER NOT NULL DEFAULT 0,
  fail_since      TEXT,
  last_checked_at TEXT,
  last_rendered_at TEXT,
  UNIQUE (site_id, donor_url, target)
);
CREATE INDEX backlinks_by_site ON backlinks (site_id, status);

CREATE TABLE backlink_checks (
  id             INTEGER PRIMARY KEY,
  backlink_id    INTEGER NOT NULL REFERENCES backlinks(id) ON DELETE CASCADE,
  run_id         INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  checked_at     TEXT NOT NULL,
  mode           TEXT NOT NULL CHECK (mode IN ('static', 'rendered', 'cloaking')),
  outcome        TEXT NOT NULL CHECK (outcome IN ('live', 'devalued', 'missing', 'gone', 'inconclusive')),
  reasons        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),
  google_passes  INTEGER,
  google_reasons TEXT NOT NULL DEFAULT '[]',
  yandex_passes  INTEGER,
  yandex_reasons TEXT NOT NULL DEFAULT '[]',
  http_status    INTEGER,
  final_url      TEXT,
  redirects      TEXT NOT NULL DEFAULT '[]',
  headers        TEXT NOT NULL DEFAULT '{}',
  html_hash      TEXT,
  link           TEXT,              -- JSON: href, anchor, rel[], hidden, inNoindex, snippet …
  external_links INTEGER,
  brand_mentions INTEGER,
  screenshot     TEXT,              -- path under data/evidence/
  error          TEXT
);
CREATE INDEX backlink_checks_by_link ON backlink_checks (backlink_id, checked_at);
CREATE INDEX backlink_checks_by_run ON backlink_checks (run_id);

CREATE TABLE backlink_events (
  id           INTEGER PRIMARY KEY,
  backlink_id  INTEGER NOT NULL REFERENCES backlinks(id) ON DELETE CASCADE,
  at           TEXT NOT NULL,
  from_status  TEXT NOT NULL,
  to_status    TEXT NOT NULL,
  reasons      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX backlink_events_by_link ON backlink_events (backlink_id, at);
