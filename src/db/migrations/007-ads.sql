-- Ad spend: the ad accounts a site pays for, their campaigns' daily statistics (money in integer micros of
-- the account's currency, days in the account's time zone), every sync with its counts and errors, and
-- the anomalies and budget warnings raised from them.

CREATE TABLE ad_accounts (
  id                    INTEGER PRIMARY KEY,
  site_id               INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  platform              TEXT NOT NULL CHECK (platform IN ('google-ads', 'yandex-direct', 'microsoft-ads', 'meta')),
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
CREATE INDEX ad_accounts_by_site ON ad_accounts (site_id);

CREATE TABLE ad_campaigns (
  account_id  INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  campaign_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  PRIMARY KEY (account_id, campaign_id)
) WITHOUT ROWID;

-- One row per campaign and day with activity; a day without a row had none.
CREATE TABLE ad_stats (
  account_id              INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  day                     TEXT NOT NULL,
  campaign_id             TEXT NOT NULL,
  impressions             INTEGER NOT NULL CHECK (impressions >= 0),
  clicks                  INTEGER NOT NULL CHECK (clicks >= 0),
  cost_micros             INTEGER NOT NULL CHECK (cost_micros >= 0),
  conversions             REAL NOT NULL DEFAULT 0,
  conversion_value_micros INTEGER NOT NULL DEFAULT 0,
  source                  TEXT NOT NULL CHECK (source IN ('api', 'import')),
  PRIMARY KEY (account_id, day, campaign_id)
) WITHOUT ROWID;

-- Every pull or import: what range, how many rows, how it ended. 'pending': the platform is still
-- building the report (Yandex Direct's queue); `resume` says how the next run picks it up.
CREATE TABLE ad_syncs (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  run_id      INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('api', 'import')),
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'pending')),
  date_from   TEXT NOT NULL,
  date_to     TEXT NOT NULL,
  rows        INTEGER,
  error       TEXT,
  resume      TEXT CHECK (resume IS NULL OR json_valid(resume))
);
CREATE INDEX ad_syncs_by_account ON ad_syncs (account_id, started_at);

-- Days that look wrong, each raised once (alerts go through the notification channels).
CREATE TABLE ad_anomalies (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  campaign_id TEXT NOT NULL,
  day         TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('spend-spike', 'ctr-drop', 'zero-impressions', 'cpa-jump')),
  value       REAL,
  baseline    REAL,
  score       REAL,
  message     TEXT NOT NULL,
  raised_at   TEXT NOT NULL,
  UNIQUE (account_id, campaign_id, day, kind)
);

-- Budget warnings sent, one per account and month (and again if the forecast grows past a new step).
CREATE TABLE ad_budget_warnings (
  account_id      INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  month           TEXT NOT NULL,
  forecast_micros INTEGER NOT NULL,
  budget_micros   INTEGER NOT NULL,
  raised_at       TEXT NOT NULL,
  PRIMARY KEY (account_id, month)
) WITHOUT ROWID;
