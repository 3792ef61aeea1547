-- Weekly reports: one archived report per site and ISO week (its rendered HTML, e-mail HTML, text, the
-- data it was built from, and the PDF when Chromium made one), and whether and when it was sent.

CREATE TABLE reports (
  id          INTEGER PRIMARY KEY,
  site_id     INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  week        TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
  week_from   TEXT NOT NULL,
  week_to     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  subject     TEXT NOT NULL,
  html        TEXT NOT NULL,
  email_html  TEXT NOT NULL,
  text        TEXT NOT NULL,
  data        TEXT NOT NULL CHECK (json_valid(data)),
  pdf         BLOB,
  -- Set once every e-mail channel took the report; a regenerated report keeps it, so it is not sent twice.
  sent_at     TEXT,
  send_error  TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (site_id, week)
);
