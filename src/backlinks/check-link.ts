// One bought link checked start to finish — the plain fetch, Chromium when the link is not in the HTML or
// a render is due, the Googlebot comparison when asked — shared by the inline run (monitor.ts) and the
// queued task (link-check-task.ts), so a link gets the same verdict whichever process checks it.
import { join } from 'node:path';
import type { BrowserPool } from '../browser/launcher.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Sql } from '../db/store/types.ts';
import { targetSpec } from './analyze.ts';
import {
  checkRendered,
  checkStatic,
  cloakingSuspicion,
  DEFAULT_CHECK_SETTINGS,
  type CheckContext,
  type CheckResult,
  type CheckSettings,
} from './check.ts';
import { readHidden } from './reasons.ts';
import { DEFAULT_CONFIRM, nextState, type ConfirmRule } from './state.ts';
import { lastRenderedCheck, type BacklinkRow } from './store.ts';
import type { FoundLink } from './types.ts';
import { judge, withReason } from './verdict.ts';

export type BacklinkSettings = SiteConfig['backlinks'];

/** The check settings a site's backlink settings ask for. */
export function checkSettingsOf(settings: BacklinkSettings): CheckSettings {
  return {
    ...DEFAULT_CHECK_SETTINGS,
    timeoutMs: settings.timeoutMs ?? DEFAULT_CHECK_SETTINGS.timeoutMs,
    userAgent: settings.userAgent ?? DEFAULT_CHECK_SETTINGS.userAgent,
    fallbackCharset: settings.fallbackCharset ?? 'utf-8',
  };
}

/** How many failing checks, how far apart, confirm a loss. */
export function confirmRuleOf(settings: BacklinkSettings): ConfirmRule {
  return {
    checks: settings.confirmChecks ?? DEFAULT_CONFIRM.checks,
    hoursApart: settings.confirmHours ?? DEFAULT_CONFIRM.hoursApart,
  };
}

/** The smallest gap between two requests to one donor host (politeness). */
export function minDelayOf(settings: BacklinkSettings): number {
  return settings.minDelayMs ?? 2000;
}

export interface CheckLinkDeps {
  sql: Sql;
  now: () => Date;
  browser?: BrowserPool;
}

/** Checks one link; `rendered` says whether Chromium looked at the page. Does not store anything. */
export async function checkLink(
  deps: CheckLinkDeps,
  link: BacklinkRow,
  settings: BacklinkSettings,
  ctx: CheckContext,
  /** Screenshots go to `<evidenceRoot>/<site id>/`. */
  evidenceRoot: string,
): Promise<{ result: CheckResult; rendered: boolean }> {
  const rule = confirmRuleOf(settings);
  const renderMode = settings.render ?? 'fallback';
  const renderEveryMs = (settings.renderEveryDays ?? 7) * 86_400_000;
  const target = targetSpec(link.target);
  let result = await checkStatic(link.donorUrl, target, ctx, link.brand ?? undefined);
  const renderDue =
    !link.lastRenderedAt || deps.now().getTime() - Date.parse(link.lastRenderedAt) >= renderEveryMs;
  // A plain fetch cannot see JavaScript or CSS. While the latest rendered check is recent and the
  // page's HTML has not changed since, its findings stand in for a new render.
  const last = await lastRenderedCheck(deps.sql, link.id);
  const sameHtml = Boolean(last && last.hash !== null && last.hash === result.donor?.htmlHash && !renderDue);
  // The plain fetch read only the first part of a page past the size cap and did not find the link
  // there; the browser loads the whole page, so it decides (the hash of the part read proves nothing).
  const cutBeforeLink =
    result.facts.bodyCut !== null &&
    result.verdict.outcome === 'inconclusive' &&
    result.verdict.why[0]?.code === 'body-cut';
  // A check that will change the link's state is evidence kept for good (the first confirmed-live one
  // and every change after): it gets a screenshot even when a render was not otherwise due.
  const changesState =
    result.verdict.outcome !== 'inconclusive' &&
    nextState(
      link,
      { outcome: result.verdict.outcome, reasons: result.verdict.reasons, at: deps.now() },
      rule,
    ).change !== null;
  const wantRender =
    deps.browser &&
    renderMode !== 'never' &&
    (cutBeforeLink ||
      (changesState && settings.screenshots !== false) ||
      (result.verdict.outcome !== 'inconclusive' &&
        result.verdict.outcome !== 'gone' &&
        (renderMode === 'always' || renderDue || (result.verdict.outcome === 'missing' && !sameHtml))));
  if (
    !wantRender &&
    sameHtml &&
    last &&
    renderMode !== 'always' &&
    result.verdict.outcome !== 'inconclusive' &&
    result.verdict.outcome !== 'gone'
  ) {
    const seen = last.link ? (JSON.parse(last.link) as FoundLink & { hidden?: unknown }) : null;
    const hidden = readHidden(seen?.hidden);
    const facts = {
      ...result.facts,
      link: seen ?? result.facts.link,
      // Said with the day of the rendered check it comes from.
      hidden: hidden && { ...hidden, seenOn: last.at.slice(0, 10) },
      onlyAfterJs:
        Boolean(seen) &&
        (!result.donor?.best || result.donor.best.context.inScript || result.donor.best.context.inComment),
    };
    result = { ...result, facts, verdict: judge(facts) };
  }
  if (wantRender) {
    const at = deps.now();
    result = await checkRendered(
      link.donorUrl,
      target,
      ctx,
      deps.browser!,
      settings.screenshots === false
        ? null
        : {
            dir: join(evidenceRoot, String(link.siteId)),
            name: `${link.id}-${at.getTime()}`,
            stamp: `${link.donorUrl} · ${at.toISOString()}`,
          },
      result,
    );
  }
  if (settings.cloaking && result.http.status !== null) {
    const suspicion = await cloakingSuspicion(link.donorUrl, target, ctx, result);
    if (suspicion) result = { ...result, verdict: withReason(result.verdict, suspicion) };
  }
  return { result, rendered: Boolean(wantRender) };
}
