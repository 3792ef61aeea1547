// `promowatch alerts`: the alerts inbox from the command line — list, acknowledge, resolve, reopen.
import { listNotices, setNoticeState, unknownNoticeIds, type Notice } from '../../db/alerts.ts';
import { alertText } from '../../notify/text.ts';
import type { AlertFacts, AlertKind } from '../../notify/types.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { listSites } from '../../db/sites.ts';
import { siteOf } from '../site-option.ts';

/** What `--site`-less listing shows at most; the dashboard pages through the rest. */
const LIST_MAX = 200;
const ACTIONS = { ack: 'acknowledge', resolve: 'resolve', reopen: 'reopen' } as const;
/** Who acted, as the inbox shows it ("Acknowledged by the command line"). */
export const CLI_ACTOR = 'cli';

/** The message's first line: worded again in English from its facts, else as it was stored. */
function titleOf(n: Notice, siteName: string | null, timeZone: string): string {
  if (n.facts === null) return n.message.split('\n')[0] ?? '';
  return alertText(
    { siteName, kind: n.kind as AlertKind, severity: n.severity, facts: n.facts as AlertFacts },
    { lang: 'en', timeZone },
  ).title;
}

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'the alerts inbox: list, acknowledge, resolve or reopen alerts',
  usage:
    'promowatch alerts [list] [--site NAME] [--open] [--json] | promowatch alerts ack|resolve|reopen ID…',
  help: `  list              every alert, newest first, one line per message (${LIST_MAX} at most)
    --site NAME     only this site's alerts (default: all sites)
    --open          only alerts nobody has acknowledged or resolved
    --json          the alerts as JSON, with each channel's delivery
  ack ID…           acknowledge alerts (the IDs "list" shows), on every channel they went to
  resolve ID…       resolve alerts (acknowledging them too)
  reopen ID…        make alerts new again
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    open: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 1000 },
  async run(values, [sub = 'list', ...rest], io) {
    if (sub !== 'list' && !Object.hasOwn(ACTIONS, sub))
      throw new UsageError(`unknown subcommand "${sub}"; use list, ack, resolve or reopen`);
    if (sub === 'list' && rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const ids = rest.map((r) => {
      const id = Number(r.replace(/^#/, ''));
      if (!Number.isInteger(id) || id <= 0)
        throw new UsageError(`"${r}" is not an alert ID; "alerts list" shows them`);
      return id;
    });
    if (sub !== 'list' && ids.length === 0) throw new UsageError(`${sub} needs at least one alert ID`);
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      if (sub !== 'list') {
        const unknown = await unknownNoticeIds(rt.sql, ids);
        if (unknown.length) {
          io.err(
            `No alert ${unknown.map((i) => `#${i}`).join(', ')}; "promowatch alerts list" shows the IDs.`,
          );
          return EXIT.failed;
        }
        const action = ACTIONS[sub as keyof typeof ACTIONS];
        const changed = await setNoticeState(rt.sql, ids, action, CLI_ACTOR, rt.deps.now());
        for (const id of ids)
          await rt.audit({ action: `alert.${action}`, targetType: 'alert', targetId: id });
        const done = { acknowledge: 'Acknowledged', resolve: 'Resolved', reopen: 'Reopened' }[action];
        const unchanged = ids.length - changed;
        io.out(`${done} ${changed} alert(s)${unchanged > 0 ? `; ${unchanged} already were` : ''}.`);
        return EXIT.ok;
      }
      const site = values.site === undefined ? null : await siteOf(rt, values.site as string);
      const { total, notices } = await listNotices(
        rt.sql,
        { siteIds: site ? [site.id] : null, ...(values.open ? { states: ['open' as const] } : {}) },
        { limit: LIST_MAX, offset: 0 },
      );
      if (values.json) {
        io.out(JSON.stringify(notices));
        return EXIT.ok;
      }
      if (notices.length === 0) {
        io.out(values.open ? 'No open alerts.' : 'No alerts yet.');
        return EXIT.ok;
      }
      const config = rt.loaded.config;
      const siteNames = new Map(config.sites.map((s) => [s.name, s]));
      const byId = new Map((await listSites(rt.sql)).map((s) => [s.id, s.name]));
      for (const n of notices) {
        const name = n.siteId === null ? null : (byId.get(n.siteId) ?? null);
        const zone = (name && siteNames.get(name)?.timeZone) || config.timeZone;
        const who =
          n.state === 'resolved' ? n.resolvedBy : n.state === 'acknowledged' ? n.acknowledgedBy : null;
        const failed = n.deliveries.filter((d) => d.deliveredAt === null && d.channel !== 'dashboard').length;
        io.out(
          `#${n.id} ${n.state.padEnd(12)} ${n.severity.padEnd(8)} ${n.raisedAt}  ${name ?? '(all)'}  ${n.kind}: ${titleOf(n, name, zone)}` +
            (who ? `  [by ${who}]` : '') +
            (failed ? `  (${failed} of ${n.deliveries.length} deliveries failed)` : ''),
        );
      }
      if (total > notices.length)
        io.out(`…and ${total - notices.length} older; the dashboard's Alerts page has them all.`);
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
