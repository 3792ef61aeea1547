// `promowatch keywords add|import|list|competitors|add-competitor|remove-competitor`: what a site tracks.
import { readFileSync } from 'node:fs';
import { parseKeywordsCsv, validateKeywordInput, type KeywordFields } from '../../rank/import-keywords.ts';
import { readSearchExport, SEARCH_EXPORT_TEXT } from '../../rank/import-search-export.ts';
import {
  addCompetitor,
  deleteCompetitor,
  existingKeywordKeys,
  insertKeywords,
  keywordKey,
  listCompetitors,
  listKeywords,
  normaliseDomain,
} from '../../rank/store.ts';
import type { KeywordInput } from '../../rank/types.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command, type Values } from '../command.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import type { SiteRow } from '../../db/sites.ts';
import { siteFlag, siteOf } from '../site-option.ts';

const SUBCOMMANDS = ['add', 'import', 'list', 'competitors', 'add-competitor', 'remove-competitor'];

/** Flags that give a keyword's fields (and, for import, the defaults for columns the file lacks). */
function fieldsFrom(values: Values): KeywordFields {
  const s = (k: string) => values[k] as string | undefined;
  return {
    engine: s('engine'),
    device: s('device'),
    gl: s('gl'),
    hl: s('hl'),
    location: s('location'),
    lr: s('lr'),
    targetUrl: s('target'),
    volume: s('volume'),
    tags: s('tags'),
  };
}

/** What to do when a site tracks no keywords, or none match the filters. */
export async function noKeywords(rt: Runtime, site: SiteRow, values: Values): Promise<string> {
  const filters = [
    values.tag !== undefined ? `--tag ${String(values.tag)}` : null,
    values.engine !== undefined ? `--engine ${String(values.engine)}` : null,
  ].filter(Boolean);
  const all = (await listKeywords(rt.sql, site.id)).length;
  if (filters.length && all > 0)
    return `No keywords for site ${site.name} match ${filters.join(' ')} (${all} tracked in all) — see them with \`promowatch keywords list${siteFlag(rt, site)}\``;
  return `No keywords for site ${site.name} yet — add one with \`promowatch keywords add "QUERY" --engine yandex --lr 213${siteFlag(rt, site)}\` or import a CSV with \`promowatch keywords import FILE${siteFlag(rt, site)}\``;
}

export const keywordsCommand: Command = {
  name: 'keywords',
  summary: 'the keywords a site tracks and its competitors: add, import (CSV), list',
  usage:
    'promowatch keywords <add QUERY|import FILE|list|competitors|add-competitor DOMAIN|remove-competitor DOMAIN> [--site NAME] [options]',
  help: `  add QUERY --engine google|yandex|bing [--device desktop|mobile] [--gl ru --hl ru [--location L]]
      [--lr 213] [--target URL] [--volume 1200] [--tags a;b]
                    track one keyword (Google/Bing need --gl and --hl, Yandex needs --lr)
  import FILE       import a CSV/TSV with a header row (keyword, engine, device, country, language,
                    location, lr, target url, volume, tags); the flags above give defaults for missing
                    columns; all or nothing, line-numbered errors; duplicates are reported, not added
  list [--tag T] [--engine E]      list keywords  (--json for JSON)
  competitors                      list competitor domains
  add-competitor DOMAIN [--name N] compare the site with DOMAIN (history comes from stored result pages)
  remove-competitor DOMAIN
  --site NAME       which site (needed when the config has several)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    json: { type: 'boolean' },
    engine: { type: 'string' },
    device: { type: 'string' },
    gl: { type: 'string' },
    hl: { type: 'string' },
    location: { type: 'string' },
    lr: { type: 'string' },
    target: { type: 'string' },
    volume: { type: 'string' },
    tags: { type: 'string' },
    tag: { type: 'string' },
    name: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
  async run(values, [sub, arg], io) {
    if (!SUBCOMMANDS.includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use ${SUBCOMMANDS.join(', ')}`);
    const needsArg = ['add', 'import', 'add-competitor', 'remove-competitor'].includes(sub!);
    if (needsArg !== (arg !== undefined))
      throw new UsageError(needsArg ? `${sub} needs an argument` : `unexpected argument "${arg}"`);
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = await siteOf(rt, values.site as string | undefined);
      const now = rt.deps.now();
      if (sub === 'add') {
        const v = validateKeywordInput(
          { ...fieldsFrom(values), query: arg },
          {
            labels: {
              targetUrl: '--target',
              gl: '--gl',
              hl: '--hl',
              lr: '--lr',
              engine: '--engine',
              device: '--device',
              volume: '--volume',
            },
          },
        );
        if (typeof v === 'string') {
          io.err(`Keyword not added: ${v}`);
          return EXIT.usage;
        }
        if ((await existingKeywordKeys(rt.sql, site.id)).has(keywordKey(v))) {
          io.err(
            `Already tracked for site ${site.name}: "${v.query}" (${v.engine}, ${v.device}); see \`promowatch keywords list${siteFlag(rt, site)}\``,
          );
          return EXIT.usage;
        }
        const [id] = await insertKeywords(rt.sql, site.id, [v], now);
        await rt.audit({
          action: 'keyword.add',
          siteId: site.id,
          targetType: 'keyword',
          targetId: id,
          details: { query: v.query, engine: v.engine, device: v.device },
        });
        io.out(`Added keyword #${id}: "${v.query}" (${v.engine}, ${v.device})`);
        return EXIT.ok;
      }
      if (sub === 'import') {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(arg!);
        } catch (err) {
          throw new UsageError(`cannot read ${arg}: ${(err as Error).message}`);
        }
        const defaults = Object.fromEntries(
          Object.entries(fieldsFrom(values)).filter(([, v]) => v !== undefined),
        ) as Partial<KeywordInput>;
        if (defaults.lr !== undefined) defaults.lr = Number(defaults.lr);
        if (defaults.volume !== undefined) defaults.volume = Number(defaults.volume);
        if (typeof (defaults.tags as unknown) === 'string')
          defaults.tags = String(defaults.tags)
            .split(/[;|,]/)
            .map((t) => t.trim())
            .filter(Boolean);
        const r = parseKeywordsCsv(bytes, defaults);
        if (r.errors.length) {
          r.errors.forEach((e) => io.err(`${arg}: line ${e.line}: ${e.message}`));
          const search = readSearchExport([{ name: arg!, bytes }]);
          // Search Console's Queries.csv has no keyword column; say where such a file goes.
          if (search?.source) io.err(SEARCH_EXPORT_TEXT.notKeywords(arg!, search.source));
          io.err(`Nothing imported: fix the ${r.errors.length} problem(s) above and run the import again.`);
          return EXIT.usage;
        }
        const existing = await existingKeywordKeys(rt.sql, site.id);
        const firstLines = new Set(r.duplicates.map((d) => d.line));
        const fresh: KeywordInput[] = [];
        let already = 0;
        for (const row of r.rows) {
          if (firstLines.has(row.line)) continue;
          if (existing.has(keywordKey(row))) {
            already += 1;
            io.err(`line ${row.line}: "${row.query}" is already tracked; skipped`);
            continue;
          }
          const { line: _line, ...input } = row;
          fresh.push(input);
        }
        for (const d of r.duplicates)
          io.err(`line ${d.line}: "${d.query}" repeats line ${d.firstLine}; skipped`);
        const ids = await insertKeywords(rt.sql, site.id, fresh, now);
        await rt.audit({
          action: 'keyword.import',
          siteId: site.id,
          targetType: 'keyword',
          details: { added: ids.length },
        });
        io.out(
          `Imported ${ids.length} keyword(s) from ${arg}${r.duplicates.length + already ? `; ${r.duplicates.length + already} duplicate(s) skipped` : ''}`,
        );
        return EXIT.ok;
      }
      if (sub === 'list') {
        const rows = await listKeywords(rt.sql, site.id, {
          tag: values.tag as string | undefined,
          engine: values.engine as string | undefined,
        });
        if (values.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.err(await noKeywords(rt, site, values));
        else
          for (const k of rows)
            io.out(
              `#${k.id} ${k.engine.padEnd(6)} ${k.device.padEnd(7)} ${k.region.padEnd(14)} ${k.query}${k.volume !== null ? `  [${k.volume}]` : ''}${k.tags.length ? `  #${k.tags.join(' #')}` : ''}`,
            );
        return EXIT.ok;
      }
      if (sub === 'competitors') {
        const rows = await listCompetitors(rt.sql, site.id);
        if (values.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0)
          io.err(
            `No competitors for site ${site.name} yet — add one with \`promowatch keywords add-competitor DOMAIN${siteFlag(rt, site)}\``,
          );
        else for (const c of rows) io.out(`${c.domain}${c.name ? `  (${c.name})` : ''}`);
        return EXIT.ok;
      }
      let domain: string;
      try {
        domain = normaliseDomain(arg!);
      } catch (err) {
        io.err((err as Error).message);
        return EXIT.usage;
      }
      if (sub === 'add-competitor') {
        await addCompetitor(rt.sql, site.id, domain, (values.name as string | undefined) ?? null, now);
        await rt.audit({
          action: 'competitor.add',
          siteId: site.id,
          targetType: 'competitor',
          details: { domain },
        });
        io.out(`Competitor ${domain} added; its history is read from the result pages already stored`);
        return EXIT.ok;
      }
      const c = (await listCompetitors(rt.sql, site.id)).find((x) => x.domain === domain);
      if (!c || !(await deleteCompetitor(rt.sql, site.id, c.id))) {
        io.err(
          `No competitor ${domain} for site ${site.name}; see them with \`promowatch keywords competitors${siteFlag(rt, site)}\``,
        );
        return EXIT.usage;
      }
      await rt.audit({
        action: 'competitor.remove',
        siteId: site.id,
        targetType: 'competitor',
        targetId: c.id,
        details: { domain },
      });
      io.out(`Competitor ${domain} removed`);
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
