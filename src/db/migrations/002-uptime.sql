-- Uptime checks: one row per page fetched by the uptime job.
CREATE TABLE uptime_checks (
  id          INTEGER PRIMARY KEY,
  site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  run_id      INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  url         TEXT NOT NULL,
  checked_at  TEXT NOT NULL,
  status      INTEGER,               -- HTTP status; NULL when no answer came
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  ttfb_ms     REAL,
  total_ms    REAL,
  bytes       INTEGER,
  error       TEXT
);
CREATE INDEX uptime_checks_by_site_time ON uptime_checks (site_id, checked_at);
