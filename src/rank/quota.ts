// The request limits every rank provider's config block takes: requests a day / a calendar month (UTC),
// counted across all sites; the tracker enforces them (src/rank/track.ts).
import { int } from '../config/fields.ts';

export const quotaFields = { dailyQuota: int(0, 10_000_000), monthlyQuota: int(0, 100_000_000) };
