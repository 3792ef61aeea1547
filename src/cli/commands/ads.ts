// `promowatch ads accounts [add|budget|remove] | pull [--from D --to D] | import FILE --platform P`: ad spend from the command line.
import { readFileSync } from 'node:fs';
import { accountAlerts } from '../../ads/alerts.ts';
import { importAdsFile } from '../../ads/import-apply.ts';
import { AD_PLATFORMS, platformIds } from '../../ads/registry.ts';
import {
  deleteAccount,
  getAccount,
  insertAccount,
  listAccounts,
  listSyncs,
  setBudget,
} from '../../ads/store.ts';
import { syncSiteAds } from '../../ads/sync.ts';
import { decimalToMicros, type Platform } from '../../ads/types.ts';
import { alertLocale, alertText } from '../../notify/text.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command, type Values } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteFlag, siteOf } from '../site-option.ts';
import { wallClock } from '../wall-clock.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function money(v: Values[string], flag: string): number | null {
  if (v === undefined) return null;
  const m = decimalToMicros(
    String(v)
      .replace(/[\s\u00a0]/g, '')
      .replace(',', '.'),
  );
  if (m === null || m < 0)
    throw new UsageError(`${flag} must be an amount like 150000 or 1500.50, got "${String(v)}"`);
  return m;
}

function credentials(list: Values[string]): Record<string, { env: string }> {
  const out: Record<string, { env: string }> = {};
  for (const pair of String(list ?? '')
    .split(/[,;]/)
    .filter(Boolean)) {
    const [key, env] = pair.split('=').map((s) => s.trim());
    if (!key || !env || !/^[A-Z_][A-Z0-9_]*$/.test(env))
      throw new UsageError(
        `--credential takes field=ENV_VAR pairs (the name of an environment variable, never the secret itself), got "${pair}"`,
      );
    out[key] = { env };
  }
  return out;
}

function noAccounts(site: string, flag: string): string {
  return `No ad accounts for site ${site} yet — add one with \`promowatch ads accounts add --platform yandex-direct --id LOGIN --name NAME --currency RUB${flag}\` or import a platform export with \`promowatch ads import FILE --platform yandex-direct${flag}\``;
}

export const adsCommand: Command = {
  name: 'ads',
  summary: 'ad accounts, pulling their daily stats, importing platform exports',
  usage: 'promowatch ads <accounts [add|budget|remove]|pull|import FILE> [--site NAME] [options]',
  help: `  accounts                      list the site's ad accounts with their last sync
  accounts add --platform ${platformIds().join('|')} --id EXTERNAL_ID --name N
      --currency RUB --time-zone Europe/Moscow [--vat] [--budget 150000] [--lookback 14]
      [--credential token=DIRECT_TOKEN_CLIENT2]   (environment variable names, never secrets)
  accounts budget --account ID --budget 150000    set the monthly budget (0 or "none" clears it)
  accounts remove --account ID
  pull [--account ID] [--from 2026-09-01 --to 2026-09-30]
                                re-pull the lookback window (or the given days) now
  import FILE --platform P [--account ID]
                                import a platform's own export (CSV/TSV, UTF-8 or UTF-16): the file's
                                days replace what is stored for them; all or nothing
  --json                        print JSON
  --site NAME                   which site (needed when the config has several)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    json: { type: 'boolean' },
    platform: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    currency: { type: 'string' },
    'time-zone': { type: 'string' },
    vat: { type: 'boolean' },
    budget: { type: 'string' },
    lookback: { type: 'string' },
    credential: { type: 'string' },
    account: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
  async run(values, [sub, arg], io) {
    if (!['accounts', 'pull', 'import'].includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use accounts, pull or import`);
    if (sub === 'import' && arg === undefined) throw new UsageError('import needs a FILE');
    if (sub === 'pull' && arg !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
    if (sub === 'accounts' && arg !== undefined && !['add', 'budget', 'remove', 'list'].includes(arg))
      throw new UsageError(
        `unknown "accounts ${arg}"; use accounts, accounts add, accounts budget or accounts remove`,
      );
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = await siteOf(rt, values.site as string | undefined);
      const now = rt.deps.now();
      const accountArg = async () => {
        const ref = values.account as string | undefined;
        if (!ref) throw new UsageError('--account ID is needed (see: promowatch ads accounts)');
        const a = (await listAccounts(rt.sql, site.id)).find(
          (x) => String(x.id) === ref || x.externalId === ref,
        );
        if (!a)
          throw new UsageError(
            `No ad account "${ref}" for site ${site.name}; see their ids with \`promowatch ads accounts${siteFlag(rt, site)}\``,
          );
        return a;
      };
      if (sub === 'accounts') {
        if (arg === 'add') {
          const input = {
            platform: values.platform as Platform,
            externalId: String(values.id ?? ''),
            name: String(values.name ?? values.id ?? ''),
            currency: String(values.currency ?? '').toUpperCase(),
            timeZone: String(values['time-zone'] ?? site.timeZone),
            costIncludesVat: Boolean(values.vat),
            monthlyBudgetMicros: money(values.budget, '--budget'),
            credentials: credentials(values.credential),
            lookbackDays: values.lookback === undefined ? null : Number(values.lookback),
          };
          try {
            const id = await insertAccount(rt.sql, site.id, input, now);
            io.out(
              `Added ad account #${id}: ${input.name} (${input.platform} ${input.externalId}, ${input.currency})`,
            );
            return EXIT.ok;
          } catch (err) {
            const m = (err as Error).message;
            // The store names the broken rule the same on both backends (PostgreSQL's message has no "UNIQUE").
            io.err(
              (err as { violation?: string }).violation === 'unique' || /UNIQUE/.test(m)
                ? `Already added for site ${site.name}: ${input.platform} ${input.externalId}; see \`promowatch ads accounts${siteFlag(rt, site)}\``
                : m,
            );
            return EXIT.usage;
          }
        }
        if (arg === 'budget') {
          const a = await accountArg();
          const v = values.budget;
          const micros = v === 'none' || v === '0' ? null : money(v, '--budget');
          await setBudget(rt.sql, a.id, micros);
          io.out(
            `${a.name}: monthly budget ${micros === null ? 'cleared' : `${micros / 1e6} ${a.currency}`}`,
          );
          return EXIT.ok;
        }
        if (arg === 'remove') {
          const a = await accountArg();
          await deleteAccount(rt.sql, site.id, a.id);
          io.out(`Removed ad account ${a.name} and its statistics`);
          return EXIT.ok;
        }
        const rows = [];
        for (const a of await listAccounts(rt.sql, site.id))
          rows.push({ ...a, lastSync: (await listSyncs(rt.sql, a.id, 1))[0] ?? null });
        if (values.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.err(noAccounts(site.name, siteFlag(rt, site)));
        else {
          io.out(`Ad accounts of ${site.name} (times in ${site.timeZone})`);
          for (const a of rows)
            io.out(
              `#${a.id} ${a.platform.padEnd(13)} ${a.externalId.padEnd(12)} ${a.name} (${a.currency}${a.costIncludesVat ? ', VAT included' : ''}${a.monthlyBudgetMicros !== null ? `, budget ${a.monthlyBudgetMicros / 1e6}/month` : ''})${a.lastSync ? `  last sync ${wallClock(a.lastSync.startedAt, site.timeZone)} ${a.lastSync.status}${a.lastSync.error ? `: ${a.lastSync.error}` : ''}` : '  never synced'}`,
            );
        }
        return EXIT.ok;
      }
      if (sub === 'import') {
        const platform = values.platform as Platform | undefined;
        // The platforms whose own export promowatch reads (each platform file says whether it has one).
        const importable = AD_PLATFORMS.filter((p) => p.exportFormat).map((p) => p.id);
        if (!platform || !importable.includes(platform))
          throw new UsageError(`--platform is needed: one of ${importable.join(', ')}`);
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(arg!);
        } catch (err) {
          throw new UsageError(`cannot read ${arg}: ${(err as Error).message}`);
        }
        const r = await importAdsFile(
          rt.sql,
          site,
          bytes,
          platform,
          values.account as string | undefined,
          now,
        );
        if ('errors' in r) {
          r.errors.forEach((e) => io.err(`${arg}: ${e}`));
          io.err('Nothing imported.');
          return EXIT.usage;
        }
        r.warnings.forEach((w) => io.err(`note: ${w}`));
        io.out(
          `Imported ${r.rows} row(s) into ${r.account.name} for ${r.from} … ${r.to} (those days replaced)`,
        );
        return EXIT.ok;
      }
      // pull
      const from = values.from as string | undefined;
      const to = values.to as string | undefined;
      if ((from === undefined) !== (to === undefined)) throw new UsageError('--from and --to go together');
      if (from !== undefined && (!DAY.test(from) || !DAY.test(to!) || from > to!))
        throw new UsageError('--from and --to must be days like 2026-09-01, --from first');
      const settings = rt.loaded.config.sites.find((s) => s.name === site.name)?.ads ?? {};
      const abort = new AbortController();
      void io.stopSignal.then(() => abort.abort(new Error('interrupted')));
      const only = values.account !== undefined ? new Set([(await accountArg()).id]) : undefined;
      const outcomes = await syncSiteAds(
        {
          sql: rt.sql,
          config: rt.loaded.config,
          now: rt.deps.now,
          fetch: rt.deps.fetch,
          log: rt.log,
          signal: abort.signal,
          runId: null,
          secret: rt.deps.secret,
          platforms: AD_PLATFORMS,
        },
        site,
        settings,
        { accountIds: only, range: from ? { from, to: to! } : undefined },
      );
      if (outcomes.length === 0) io.err(noAccounts(site.name, siteFlag(rt, site)));
      for (const o of outcomes) {
        if (o.status === 'ok') {
          const found = await accountAlerts(
            rt.sql,
            site.name,
            (await getAccount(rt.sql, o.account.id))!,
            settings,
            rt.deps.now(),
          );
          // Worded as the site's alerts are: in its language (sites[].language, else web.language).
          const locale = alertLocale(rt.loaded.config, site.name);
          for (const m of found.messages) {
            const text = alertText(m, locale);
            io.out(`! ${text.title}\n  ${text.lines.join('\n  ')}`);
          }
        }
        io.out(
          `${o.account.name}: ${o.status}${o.status === 'ok' ? `, ${o.rows} row(s) for ${o.from} … ${o.to}` : ''}${o.error ? ` — ${o.error}` : ''}`,
        );
      }
      if (values.json)
        io.out(JSON.stringify(outcomes.map(({ account, ...o }) => ({ account: account.name, ...o }))));
      return outcomes.some((o) => o.status === 'failed') ? EXIT.failed : EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
