-- 007-ads.sql was edited after release (commit 89e1b41, when 008 already existed): it lost
-- `CREATE INDEX ad_stats_by_campaign`, which no query used and which halved the Ads import's speed.
-- Databases migrated between fd2a664 and 89e1b41 still carry that index; new ones never had it.
-- Dropping it here gives both the same schema (IF EXISTS: a no-op on new databases).
DROP INDEX IF EXISTS ad_stats_by_campaign;
