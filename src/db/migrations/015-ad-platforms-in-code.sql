-- Ad platforms describe themselves in code (src/ads/platforms/index.ts is the one list), so the list in
-- 007's CHECK on ad_accounts.platform goes: a new platform is a file and a line, not a migration. The code
-- refuses an unknown platform name (src/ads/store.ts) with a message naming the known ones.
-- SQLite cannot drop a CHECK in place: the table is rebuilt the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter), with foreign keys off for the whole
-- migration (src/db/migrate.ts) so that dropping the old table cascades nothing; ids are kept, so
-- the tables that refer to ad_accounts (campaigns, stats, syncs, anomalies, budget warnings) keep their rows.

CREATE TABLE ad_accounts_new (
  id                    INTEGER PRIMARY KEY,
  site_id               INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  -- An id from src/ads/platforms/index.ts: checked by the code, not here.
  platform              TEXT NOT NULL CHECK (platform <> ''),
  external_id           TEXT NOT NULL,
  name                  TEXT NOT NULL,
  currency              TEXT NOT NULL CHECK (length(currency) = 3),
  time_zone             TEXT NOT NULL,
  -- Yandex Direct reports cost with or without VAT (IncludeVAT); the dashboard says which.
  cost_includes_vat     INTEGER NOT NULL DEFAULT 0 CHECK (cost_includes_vat IN (0, 1)),
  monthly_budget_micros INTEGER CHECK (monthly_budget_micros IS NULL OR monthly_budget_micros >= 0),
  -- Environment references for this account's credentials when they differ from providers.<platform>:
  -- {"token": {"env": "DIRECT_TOKEN_CLIENT2"}}; never a secret value.
  credentials           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(credentials)),
  lookback_days         INTEGER CHECK (lookback_days IS NULL OR lookback_days BETWEEN 1 AND 90),
  created_at            TEXT NOT NULL,
  UNIQUE (platform, external_id)
);
INSERT INTO ad_accounts_new (id, site_id, platform, external_id, name, currency, time_zone, cost_includes_vat,
                             monthly_budget_micros, credentials, lookback_days, created_at)
  SELECT id, site_id, platform, external_id, name, currency, time_zone, cost_includes_vat,
         monthly_budget_micros, credentials, lookback_days, created_at
  FROM ad_accounts;
DROP TABLE ad_accounts;
ALTER TABLE ad_accounts_new RENAME TO ad_accounts;
CREATE INDEX ad_accounts_by_site ON ad_accounts (site_id);
