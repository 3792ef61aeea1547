// `promowatch rank [--keyword K] [--fetch] [--json]` and `promowatch rank import FILE`: positions from the command line.
import { readFileSync } from 'node:fs';
import { rankProviders } from '../../rank/providers/index.ts';
import { applyPositionsImport } from '../../rank/import-apply.ts';
import { readSearchExport, SEARCH_EXPORT_TEXT, type SearchExport } from '../../rank/import-search-export.ts';
import { replaceSearchAverages } from '../../rank/search-averages.ts';
import { keywordTable, type KeywordRow } from '../../rank/keyword-table.ts';
import { listKeywords } from '../../rank/store.ts';
import { trackSite } from '../../rank/track.ts';
import { dayIn } from '../../util/days.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';
import { noKeywords } from './keywords.ts';

const fmtChange = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '=');

export function describePosition(r: KeywordRow): string {
  const c = r.current;
  if (!c) return r.failure ? 'unknown' : 'not checked';
  if (c.state === 'not-in-top') return `not in top ${c.depth ?? 100}`;
  return String(c.position);
}

export const rankCommand: Command = {
  name: 'rank',
  summary:
    'current positions with 7/30-day change; --fetch asks the providers now; import positions or search exports',
  usage: 'promowatch rank [import FILE...] [--from D --to D] [--site NAME] [--keyword K] [--fetch] [--json]',
  help: `  --keyword K       only this keyword (its id, or its query)
  --fetch           ask every configured provider now (ignores their schedules, not their quotas);
                    providers: ${rankProviders()
                      .map((p) => p.id)
                      .join(', ')}
  --json            print JSON
  import FILE       import positions exported from another tracker (our long CSV, a wide table with one
                    column per date, SerpBear); keywords not tracked yet are added using
                    --engine/--device/--gl/--hl/--lr for what the file does not say; all or nothing
  import FILE...    or a Search Console Performance export (the ZIP, or its Queries/Pages/Countries/
                    Devices/Dates/Filters CSVs) or a Yandex Webmaster query table: stored as averages over
                    the export's period (not daily positions); the period comes from the files, else
  --from D --to D   give it (YYYY-MM-DD); all or nothing
  --site NAME       which site (needed when the config has several)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    keyword: { type: 'string' },
    fetch: { type: 'boolean' },
    json: { type: 'boolean' },
    engine: { type: 'string' },
    device: { type: 'string' },
    gl: { type: 'string' },
    hl: { type: 'string' },
    lr: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  positionals: { min: 0, max: 50 },
  async run(values, positionals, io) {
    const [sub, file, ...more] = positionals;
    if (sub !== undefined && sub !== 'import')
      throw new UsageError(`unknown subcommand "${sub}"; use import`);
    if (sub === 'import' && file === undefined) throw new UsageError('import needs a FILE');
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = await siteOf(rt, values.site as string | undefined);
      if (sub === 'import') {
        const s = (k: string) => values[k] as string | undefined;
        const files = [file!, ...more].map((name) => {
          try {
            return { name, bytes: readFileSync(name) as Uint8Array };
          } catch (err) {
            throw new UsageError(`cannot read ${name}: ${(err as Error).message}`);
          }
        });
        const search = readSearchExport(files, { from: s('from'), to: s('to') });
        if (search && 'errors' in search) {
          search.errors.forEach((e) => io.err(e));
          io.err(
            `Nothing imported: fix the ${search.errors.length} problem(s) above and run the import again.`,
          );
          return EXIT.usage;
        }
        if (search) {
          await replaceSearchAverages(
            rt.sql,
            site.id,
            search.source,
            search.period,
            search.tables,
            rt.deps.now(),
          );
          printSearchExport(search, files, io.out);
          return EXIT.ok;
        }
        if (more.length)
          throw new UsageError('several files are read together only as one Search Console export');
        if (s('from') !== undefined || s('to') !== undefined)
          throw new UsageError('--from/--to apply to Search Console and Yandex Webmaster exports only');
        const bytes = files[0]!.bytes;
        const r = await applyPositionsImport(
          rt.sql,
          site,
          bytes,
          {
            engine: s('engine'),
            device: s('device'),
            gl: s('gl'),
            hl: s('hl'),
            lr: s('lr'),
          },
          rt.deps.now(),
        );
        if ('errors' in r) {
          r.errors.forEach((e) => io.err(`${file}: ${e}`));
          io.err(`Nothing imported: fix the ${r.errors.length} problem(s) above and run the import again.`);
          return EXIT.usage;
        }
        io.out(
          `Imported ${r.observations} position(s) for ${r.keywords} keyword(s) from ${file} (${r.format} format)${r.keywordsAdded ? `; ${r.keywordsAdded} keyword(s) added` : ''}`,
        );
        return EXIT.ok;
      }
      let ids: Set<number> | undefined;
      const wanted = values.keyword as string | undefined;
      if (wanted !== undefined) {
        const all = await listKeywords(rt.sql, site.id);
        const byId = /^#?\d+$/.test(wanted)
          ? all.filter((k) => k.id === Number(wanted.replace('#', '')))
          : [];
        const matches = byId.length
          ? byId
          : all.filter((k) => k.query.toLocaleLowerCase('ru') === wanted.trim().toLocaleLowerCase('ru'));
        if (matches.length === 0) {
          io.err(`No keyword "${wanted}" for site ${site.name}; see: promowatch keywords list`);
          return EXIT.usage;
        }
        ids = new Set(matches.map((k) => k.id));
      }
      let failed = false;
      if (values.fetch) {
        const abort = new AbortController();
        void io.stopSignal.then(() => abort.abort(new Error('interrupted')));
        const outcomes = await trackSite(
          {
            sql: rt.sql,
            config: rt.loaded.config,
            now: rt.deps.now,
            fetch: rt.deps.fetch,
            log: rt.log,
            signal: abort.signal,
            runId: null,
            secret: rt.deps.secret,
            browser: rt.browser,
            providers: rankProviders(),
          },
          site,
          rt.loaded.config.sites.find((x) => x.name === site.name)?.rankings ?? { providers: [] },
          { force: true, keywordIds: ids },
        );
        if (outcomes.length === 0)
          io.err(
            `No rank providers are configured for site ${site.name} — add one under sites[].rankings.providers in ${rt.loaded.file}, like {"use": "dataforseo"} (one of: ${rankProviders()
              .map((p) => p.id)
              .join(', ')}; see \`promowatch init\` for every option)`,
          );
        for (const o of outcomes) {
          io.err(
            `${o.provider}: ${o.requests} request(s), ${o.ranked} ranked, ${o.notInTop} not in top, ${o.failed} failed${o.deferred ? `, ${o.deferred} deferred` : ''}${o.error ? ` — ${o.error}` : ''}`,
          );
          if (o.status === 'failed' || o.status === 'partial') failed = true;
        }
      }
      const rows = await keywordTable(rt.sql, site.id, dayIn(rt.deps.now(), site.timeZone), { ids });
      if (values.json) io.out(JSON.stringify(rows));
      else if (rows.length === 0) io.err(await noKeywords(rt, site, {}));
      else
        for (const r of rows)
          io.out(
            [
              `#${r.keyword.id}`,
              r.keyword.query,
              `${r.keyword.engine}/${r.keyword.device}/${r.keyword.region}`,
              `pos ${describePosition(r)}`,
              `7d ${fmtChange(r.change7)}`,
              `30d ${fmtChange(r.change30)}`,
              `best ${r.best ? r.best.position : '—'}`,
              r.current?.url ?? '',
              r.mismatch ? `MISMATCH (target ${r.keyword.targetUrl})` : '',
              r.failure ? `last check failed ${r.failure.day}: ${r.failure.error}` : '',
            ]
              .filter(Boolean)
              .join('  '),
          );
      return failed ? EXIT.failed : EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};

function printSearchExport(r: SearchExport, files: { name: string }[], out: (line: string) => void) {
  const T = SEARCH_EXPORT_TEXT;
  out(
    `${T.source[r.source]} export ${files.map((f) => f.name).join(', ')}: ${r.period.from} – ${r.period.to} (period from ${r.period.basis})`,
  );
  for (const n of r.notes) out(`  ${n.file}: ${n.text}`);
  out(T.stored(r.source));
}
