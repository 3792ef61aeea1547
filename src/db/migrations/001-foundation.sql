-- Foundation tables: watched sites, job run history, chart annotations, raised alerts.
-- Times are ISO-8601 UTC strings ("2026-11-27T08:00:00.000Z"); a site's own time zone lives on the site.

CREATE TABLE sites (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  base_url    TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE job_runs (
  id           INTEGER PRIMARY KEY,
  job          TEXT NOT NULL,
  site_id      INTEGER REFERENCES sites(id) ON DELETE CASCADE,
  trigger      TEXT NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual', 'cli', 'demo')),
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  counts       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts)),
  error        TEXT,
  pid          INTEGER NOT NULL
);
CREATE INDEX job_runs_by_job ON job_runs (job, site_id, started_at);
CREATE INDEX job_runs_running ON job_runs (status) WHERE status = 'running';

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  site_id     INTEGER REFERENCES sites(id) ON DELETE CASCADE,  -- NULL: shown for every site
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  created_at  TEXT NOT NULL
);
CREATE INDEX events_by_site_day ON events (site_id, day);

CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  site_id       INTEGER REFERENCES sites(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,          -- lost-backlink, budget, anomaly, site-issue, job-failure
  severity      TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message       TEXT NOT NULL,
  channel       TEXT NOT NULL,          -- name of the notification channel in the config
  recipient     TEXT NOT NULL,          -- address or chat, never a secret
  raised_at     TEXT NOT NULL,
  delivered_at  TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT
);
CREATE INDEX alerts_by_site ON alerts (site_id, raised_at);

-- Small key/value store for the program's own bookkeeping (e.g. when the scheduler first ran).
CREATE TABLE meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
