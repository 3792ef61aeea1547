-- The alerts inbox and budget alerts of two levels (issue 14). PostgreSQL twin of ../013-alert-notices.sql:
-- `IS` (SQLite's null-safe equality) is spelled IS NOT DISTINCT FROM. ad_budget_warnings is rebuilt as
-- in SQLite, because `level` goes in the middle of the primary key and of the column order (the two
-- schemas keep the same column order: tests/db/store-schema.test.ts).

ALTER TABLE alerts ADD COLUMN notice TEXT;
ALTER TABLE alerts ADD COLUMN facts TEXT CHECK (facts IS NULL OR json_valid(facts));
UPDATE alerts SET notice = 'old-' || (
  SELECT MIN(o.id) FROM alerts o
  WHERE o.site_id IS NOT DISTINCT FROM alerts.site_id AND o.kind = alerts.kind AND o.message = alerts.message
    AND o.raised_at = alerts.raised_at);
CREATE INDEX alerts_by_notice ON alerts (notice);

CREATE TABLE ad_budget_warnings_new (
  account_id      BIGINT NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  month           TEXT NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('heading-over', 'over')),
  forecast_micros BIGINT NOT NULL,
  budget_micros   BIGINT NOT NULL,
  raised_at       TEXT NOT NULL,
  PRIMARY KEY (account_id, month, level)
);
INSERT INTO ad_budget_warnings_new (account_id, month, level, forecast_micros, budget_micros, raised_at)
  SELECT account_id, month, 'heading-over', forecast_micros, budget_micros, raised_at FROM ad_budget_warnings;
DROP TABLE ad_budget_warnings;
ALTER TABLE ad_budget_warnings_new RENAME TO ad_budget_warnings;
-- The names a table created as ad_budget_warnings would have had.
ALTER TABLE ad_budget_warnings RENAME CONSTRAINT ad_budget_warnings_new_pkey TO ad_budget_warnings_pkey;
ALTER TABLE ad_budget_warnings RENAME CONSTRAINT ad_budget_warnings_new_level_check TO ad_budget_warnings_level_check;
ALTER TABLE ad_budget_warnings RENAME CONSTRAINT ad_budget_warnings_new_account_id_fkey TO ad_budget_warnings_account_id_fkey;
