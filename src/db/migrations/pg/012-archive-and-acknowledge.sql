-- Archived backlinks, and alerts acknowledged and resolved (issue 14). PostgreSQL twin of
-- ../012-archive-and-acknowledge.sql.
ALTER TABLE backlinks ADD COLUMN archived_at TEXT;

ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
ALTER TABLE alerts ADD COLUMN resolved_by TEXT;
CREATE INDEX alerts_open ON alerts (site_id, acknowledged_at, resolved_at);
