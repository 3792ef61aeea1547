-- Ad platforms describe themselves in code (src/ads/platforms/index.ts is the one list), so 007's CHECK
-- on ad_accounts.platform goes. PostgreSQL twin of ../015-ad-platforms-in-code.sql: where SQLite has to
-- rebuild the table, PostgreSQL drops the constraint in place (its default name for a column CHECK is
-- <table>_<column>_check) and adds the one the new table has.
ALTER TABLE ad_accounts DROP CONSTRAINT ad_accounts_platform_check;
ALTER TABLE ad_accounts ADD CONSTRAINT ad_accounts_platform_check CHECK (platform <> '');
