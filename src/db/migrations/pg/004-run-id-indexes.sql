-- Deleting a job run sets run_id to NULL in the rows that point at it: these indexes keep that from
-- scanning whole tables. PostgreSQL twin of ../004-run-id-indexes.sql.
CREATE INDEX uptime_checks_by_run ON uptime_checks (run_id);
CREATE INDEX crawls_by_run ON crawls (run_id);
