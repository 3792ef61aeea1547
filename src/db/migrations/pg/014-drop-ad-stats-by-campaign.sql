-- Kept so the numbers match ../014-drop-ad-stats-by-campaign.sql: that file repairs SQLite databases
-- migrated while 007 carried an index it later lost. No PostgreSQL database ever had it; IF EXISTS
-- makes this a no-op here.
DROP INDEX IF EXISTS ad_stats_by_campaign;
