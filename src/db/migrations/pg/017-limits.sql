-- PostgreSQL twin of ../017-limits.sql (types mapped as pg/001-foundation.sql says).
-- Limits that hold across processes and machines (issue 17; src/limits): per-host and per-engine
-- politeness slots, the job overlap lock and rate limits live here instead of in one process's memory,
-- so several workers and dashboards on several machines share them. Provider quotas need no table of
-- their own: src/limits/quota.ts reserves against rank_provider_usage, which the tracker counts in.
-- Times are whole milliseconds since the epoch (not ISO text, as elsewhere): these rows are compared
-- and added to in SQL at millisecond grain (a 50 ms gap between two requests to one host), and no
-- person reads them. Every row is transient bookkeeping: losing them all forgives a few requests.

-- One row per limited key ('host:example.com', 'serp:google'): the earliest moment the next request
-- may start. Taking a slot locks this row, so whoever holds it decides alone.
CREATE TABLE limit_keys (
  key           TEXT PRIMARY KEY,
  next_start_ms BIGINT NOT NULL
);

-- The slots held on a key now: at most its concurrency whose lease has not run out. A slot is booked
-- to start at `start_at_ms`; `started_ms` is when its request really left (NULL until the holder says),
-- and the next start on the key is counted from that, plus `gap_ms`. A worker killed mid-request leaves
-- its row behind, and the lease ending frees the slot.
CREATE TABLE limit_holds (
  token          TEXT PRIMARY KEY,
  key            TEXT NOT NULL,
  holder         TEXT NOT NULL,
  start_at_ms    BIGINT NOT NULL,
  started_ms     BIGINT,
  gap_ms         BIGINT NOT NULL,
  lease_until_ms BIGINT NOT NULL
);
CREATE INDEX limit_holds_by_key ON limit_holds (key, lease_until_ms);

-- The job overlap lock: one row per job and site while a run holds it. The holder renews the lease as
-- it works; a lease that ran out (its machine died) can be taken over.
CREATE TABLE run_locks (
  name           TEXT PRIMARY KEY,
  token          TEXT NOT NULL,
  holder         TEXT NOT NULL,
  acquired_at    TEXT NOT NULL,
  lease_until_ms BIGINT NOT NULL
);

-- Token buckets (requests per API key): the tokens left at `at_ms`; refilled on the next take.
CREATE TABLE rate_buckets (
  key    TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  at_ms  BIGINT NOT NULL
);

-- Fixed windows (failed logins per client and in all): how many in the window ending at `reset_at_ms`.
CREATE TABLE rate_windows (
  key         TEXT PRIMARY KEY,
  count       BIGINT NOT NULL,
  reset_at_ms BIGINT NOT NULL
);
CREATE INDEX rate_windows_by_reset ON rate_windows (reset_at_ms);
