-- The alerts inbox and budget alerts of two levels (issue 14):
-- * `alerts.notice` ties together the rows of one message: a message sent through three channels is
--   three rows (one delivery each) but one line in the inbox, acknowledged and resolved as one. Rows
--   from before this migration get the key of their group as the old count saw it (site, kind, text
--   and time), so they stay readable and still count once.
-- * `alerts.facts` keeps the message's facts (src/notify/types.ts AlertFacts) as JSON, so the inbox can
--   link a row to its detail (the link, the ads page, the audit, the job run). NULL for old rows and
--   for messages that have none (the weekly report): the inbox then links the site's area page.
-- * a budget warning is raised once per account and month *per level* ("heading over", "over
--   budget"), so an over-budget alert still goes out after a heading-over one. Existing warnings were
--   all of the heading-over kind.

ALTER TABLE alerts ADD COLUMN notice TEXT;
ALTER TABLE alerts ADD COLUMN facts TEXT CHECK (facts IS NULL OR json_valid(facts));
UPDATE alerts SET notice = 'old-' || (
  SELECT MIN(o.id) FROM alerts o
  WHERE o.site_id IS alerts.site_id AND o.kind = alerts.kind AND o.message = alerts.message
    AND o.raised_at = alerts.raised_at);
CREATE INDEX alerts_by_notice ON alerts (notice);

CREATE TABLE ad_budget_warnings_new (
  account_id      INTEGER NOT NULL REFERENCES ad_accounts(id) ON DELETE CASCADE,
  month           TEXT NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('heading-over', 'over')),
  forecast_micros INTEGER NOT NULL,
  budget_micros   INTEGER NOT NULL,
  raised_at       TEXT NOT NULL,
  PRIMARY KEY (account_id, month, level)
) WITHOUT ROWID;
INSERT INTO ad_budget_warnings_new (account_id, month, level, forecast_micros, budget_micros, raised_at)
  SELECT account_id, month, 'heading-over', forecast_micros, budget_micros, raised_at FROM ad_budget_warnings;
DROP TABLE ad_budget_warnings;
ALTER TABLE ad_budget_warnings_new RENAME TO ad_budget_warnings;
