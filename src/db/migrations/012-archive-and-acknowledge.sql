-- Two states the dashboard now manages (issue 14):
-- * an archived backlink stays in the database with its checks and events (history, money already
--   spent, evidence) but leaves the lists, the checks, the renewals and the alerts;
-- * an alert can be acknowledged (someone has seen it) and resolved (dealt with), by whom and when.
--   `*_by` is a display name (the dashboard session or the CLI user), never a secret.

ALTER TABLE backlinks ADD COLUMN archived_at TEXT;

ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
ALTER TABLE alerts ADD COLUMN resolved_by TEXT;
CREATE INDEX alerts_open ON alerts (site_id, acknowledged_at, resolved_at);
