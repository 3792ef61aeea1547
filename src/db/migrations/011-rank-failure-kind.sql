-- Why a rank check failed, as the provider classed it (src/rank/types.ts FailureKind: auth, quota,
-- rate-limit, blocked, malformed, http, network, no-results): the dashboard says what happened in the
-- reader's language from this, and shows the provider's own message (`error`, English) as it came.
-- NULL for failures stored before this column existed or not raised by a provider.

ALTER TABLE rank_observations ADD COLUMN error_kind TEXT;
ALTER TABLE keywords ADD COLUMN fail_kind TEXT;
