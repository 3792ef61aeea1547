// Puts an alert's facts into words in one language, and picks that language: the channel's own, else
// the site's, else the dashboard's. Pure: the same facts and locale always give the same text.
import { issueDetails, ruleText } from '../audit/explain.ts';
import { showReasons } from '../backlinks/reasons.ts';
import type { Config } from '../config/schema.ts';
import { formatter, messages, type Formatter } from '../i18n/index.ts';
import { dayIn } from '../util/days.ts';
import { GROUP_MAX_LINES } from './group.ts';
import type { AlertFacts, AlertKind, AlertLocale, AlertMessage, AlertText, ChannelConfig } from './types.ts';

type Words = ReturnType<typeof messages>['alerts'];

/** The site's language and zone (the install's for an alert about no site). */
export function alertLocale(config: Config, siteName: string | null): AlertLocale {
  const site = siteName === null ? undefined : config.sites.find((s) => s.name === siteName);
  return {
    lang: site?.language ?? config.web.language,
    timeZone: site?.timeZone ?? config.timeZone,
  };
}

/** A channel writes in its own `language` when it has one; times stay in the site's zone. */
export function channelLocale(channel: Pick<ChannelConfig, 'language'>, site: AlertLocale): AlertLocale {
  return { lang: channel.language ?? site.lang, timeZone: site.timeZone };
}

export function alertText(message: AlertMessage, locale: AlertLocale): AlertText {
  const t = messages(locale.lang).alerts;
  const f = formatter(locale.lang, locale.timeZone);
  const { title, lines } = words(message.facts, message.siteName, message.kind, t, f);
  const text: AlertText = {
    siteName: message.siteName,
    kind: message.kind,
    severity: message.severity,
    lang: locale.lang,
    title,
    lines,
  };
  if (message.url !== undefined) text.url = message.url;
  return text;
}

function words(
  facts: AlertFacts,
  siteName: string | null,
  kind: AlertKind,
  t: Words,
  f: Formatter,
): { title: string; lines: string[] } {
  switch (facts.type) {
    case 'links':
      return {
        title: t.links[facts.to](f, facts.links.length),
        lines: facts.links.map(
          (l) =>
            `${l.donorUrl} → ${l.target}${l.vendor ? ` (${l.vendor})` : ''}: ${showReasons(l.reasons, messages(f.lang).backlinks.reasons, f) || '—'}`,
        ),
      };
    case 'renewals':
      return {
        title: t.renewals.title(f, facts.renewals.length, facts.withinDays),
        lines: facts.renewals.map((r) => t.renewals.line(r.donor, f.day(r.paidUntil), r.vendor)),
      };
    case 'ad-anomalies': {
      const money = (micros: number) => f.money(micros, facts.currency);
      const platform = t.ads.platforms[facts.platform] ?? facts.platform;
      return {
        title: t.ads.anomalyTitle(f, facts.anomalies.length, platform, facts.account),
        lines: facts.anomalies.map((a) => {
          const detail =
            a.kind === 'spend-spike' || a.kind === 'cpa-jump'
              ? t.ads.against(money(a.value), money(a.baseline))
              : a.kind === 'ctr-drop'
                ? t.ads.against(f.percent(a.value, 2), f.percent(a.baseline, 2))
                : t.ads.usualImpressions(f, Math.round(a.baseline));
          return t.ads.anomalyLine(
            f.day(a.day),
            a.campaign,
            facts.account,
            t.ads.anomalyKinds[a.kind],
            detail,
          );
        }),
      };
    }
    case 'budget': {
      const money = (micros: number) => f.money(micros, facts.currency);
      const platform = t.ads.platforms[facts.platform] ?? facts.platform;
      const over = facts.level === 'over';
      return {
        title: over
          ? t.ads.overBudgetTitle(facts.account, platform)
          : t.ads.budgetTitle(facts.account, platform),
        lines: [
          over
            ? t.ads.overBudgetSpent(
                money(facts.spentMicros),
                money(facts.budgetMicros),
                f.day(facts.day),
                f.percent(facts.spentMicros / facts.budgetMicros - 1, 0),
              )
            : t.ads.budgetSpent(money(facts.spentMicros), money(facts.budgetMicros), f.day(facts.day)),
          t.ads.budgetForecast(
            f,
            facts.paceDays,
            money(facts.dailyMicros),
            money(facts.forecastMicros),
            f.percent(facts.overBy, 0),
          ),
        ],
      };
    }
    case 'site-issues': {
      // The rule's name and the stored details in the alert's language (src/audit/explain.ts).
      const audit = messages(f.lang).audit;
      const lines = facts.issues.map((i) => {
        const details = issueDetails(i.details, audit);
        return `${ruleText(i.rule, audit).name}: ${i.url}${details ? ` (${details})` : ''}`;
      });
      if (facts.total > facts.issues.length)
        lines.push(t.siteIssues.more(f, facts.total - facts.issues.length));
      // The day of the earlier crawl as the site's people count days.
      const since = f.day(dayIn(new Date(facts.since), f.timeZone));
      return { title: t.siteIssues.title(f, siteName ?? '', facts.total, since), lines };
    }
    case 'job-failed':
      return {
        title: t.jobFailed.title(facts.job, siteName),
        lines: [t.jobFailed.line(facts.runId, facts.job, siteName, facts.error)],
      };
    case 'digest': {
      const all = facts.items.flatMap((item) => {
        const w = words(item, siteName, kind, t, f);
        return [w.title, ...w.lines.map((l) => `  ${l}`)];
      });
      const lines =
        all.length > GROUP_MAX_LINES
          ? [...all.slice(0, GROUP_MAX_LINES), t.more(f, all.length - GROUP_MAX_LINES)]
          : all;
      const count = t.digest[kind](f, facts.items.length);
      return { title: siteName ? `${siteName}: ${count}` : count, lines };
    }
  }
}
