// The demo's alert inbox as the marketer left it before today.
import { DASHBOARD_ACTOR, setNoticeState } from '../../db/alerts.ts';
import type { Db } from '../../db/open.ts';
import { storeOf } from '../../db/store/sqlite.ts';

/**
 * The marketer has been through the inbox before today: the renewal reminders of earlier days are
 * acknowledged, and October's "heading over" budget warning resolved once the over-budget one came;
 * today's alerts, the lost links and the overrun stay open.
 */
export async function tidyEarlierAlerts(db: Db, now: Date): Promise<void> {
  const earlier = (sql: string) =>
    db
      .prepare(sql)
      .pluck()
      .all(new Date(now.getTime() - 86_400_000).toISOString()) as number[];
  const seenAt = new Date(now.getTime() - 20 * 3_600_000);
  await setNoticeState(
    storeOf(db),
    earlier(`SELECT MIN(id) FROM alerts WHERE kind = 'renewal-due' AND raised_at < ? GROUP BY notice`),
    'acknowledge',
    DASHBOARD_ACTOR,
    seenAt,
  );
  await setNoticeState(
    storeOf(db),
    earlier(
      `SELECT MIN(id) FROM alerts WHERE kind = 'budget' AND severity = 'warning' AND raised_at < ? GROUP BY notice`,
    ),
    'resolve',
    DASHBOARD_ACTOR,
    seenAt,
  );
}
