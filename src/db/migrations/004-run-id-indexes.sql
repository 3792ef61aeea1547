-- Deleting a job run sets run_id to NULL in the rows that point at it; without these indexes each
-- deleted run meant a full scan of uptime_checks and crawls (db-maintenance froze the process).
CREATE INDEX uptime_checks_by_run ON uptime_checks (run_id);
CREATE INDEX crawls_by_run ON crawls (run_id);
