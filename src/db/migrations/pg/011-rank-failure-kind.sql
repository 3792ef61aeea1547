-- Why a rank check failed, as the provider classed it. PostgreSQL twin of ../011-rank-failure-kind.sql.
ALTER TABLE rank_observations ADD COLUMN error_kind TEXT;
ALTER TABLE keywords ADD COLUMN fail_kind TEXT;
