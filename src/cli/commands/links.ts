// `promowatch links add|import|list|check`: the backlink inventory from the command line.
import { readFileSync } from 'node:fs';
import {
  backlinkKey,
  parseBacklinkImport,
  PROMOWATCH_COLUMNS,
  validateBacklinkInput,
} from '../../backlinks/import.ts';
import { checkSiteBacklinks } from '../../backlinks/monitor.ts';
import { applyBacklinkImport } from '../../backlinks/import-apply.ts';
import { existingKeys, insertBacklinks, listBacklinks } from '../../backlinks/store.ts';
import { toolStatesBySite } from '../../backlinks/tool-state-store.ts';
import { showReasons } from '../../backlinks/reasons.ts';
import { describeToolState, TOOL_NAMES } from '../../backlinks/tool-state.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { dayIn } from '../../util/days.ts';
import { createProgress } from '../../util/progress.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';

// One option per column of our import format: `--bought-on` for bought_on, `--donor` for donor_url.
const optionFor = (column: string) => (column === 'donor_url' ? 'donor' : column.replace(/_/g, '-'));

export const linksCommand: Command = {
  name: 'links',
  summary: 'the bought-links inventory: add, import (CSV), list, check',
  usage: 'promowatch links <add|import|list|check> [FILE] [--site NAME] [options]',
  help: `  add --donor URL [--target URL|DOMAIN] [--anchor T] [--kind bought|press-release|guest-post|directory|other]
      [--vendor V] [--price 1500] [--currency RUB] [--billing one-off|monthly] [--bought-on 2026-11-01]
      [--paid-until 2026-12-01] [--tags a;b] [--notes T] [--brand NAME]
                    add one link (target defaults to the site's base URL)
  import FILE       import a CSV/TSV: our columns, an Ahrefs or Semrush backlinks export, or a Sape
                    export; all or nothing, with line-numbered errors; duplicates are reported, not added
  list [--status S] list links with their state  (--json for JSON)
  check [--id N]    check now (all links of the site, or one)  (--json for JSON)
  --site NAME       which site (needed when the config has several)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    json: { type: 'boolean' },
    status: { type: 'string' },
    id: { type: 'string' },
    ...Object.fromEntries(PROMOWATCH_COLUMNS.map((c) => [optionFor(c), { type: 'string' as const }])),
  },
  positionals: { min: 1, max: 2 },
  async run(values, [sub, file], io) {
    if (!['add', 'import', 'list', 'check'].includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use add, import, list or check`);
    if ((sub === 'import') !== (file !== undefined))
      throw new UsageError(sub === 'import' ? 'import needs a FILE' : `unexpected argument "${file}"`);
    const rt = openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = siteOf(rt, values.site as string | undefined);
      const today = dayIn(rt.deps.now(), site.timeZone);
      if (sub === 'add') {
        const raw: Record<string, string | undefined> = { target: site.baseUrl };
        for (const column of PROMOWATCH_COLUMNS) {
          const value = values[optionFor(column)];
          if (value !== undefined) raw[column] = value as string;
        }
        const v = validateBacklinkInput(raw, 'link', { today });
        if ('errors' in v) {
          v.errors.forEach((e) => io.err(e));
          return EXIT.usage;
        }
        if (existingKeys(rt.db, site.id, backlinkKey).has(backlinkKey(v.input.donorUrl, v.input.target))) {
          io.err(`Already in the inventory: ${v.input.donorUrl} → ${v.input.target}`);
          return EXIT.usage;
        }
        const [id] = insertBacklinks(rt.db, site.id, [v.input], rt.deps.now());
        io.out(`Added link #${id}: ${v.input.donorUrl} → ${v.input.target}`);
        return EXIT.ok;
      }
      if (sub === 'import') {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(file!);
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
        }
        const r = parseBacklinkImport(bytes, {
          defaultTarget: site.baseUrl,
          existing: existingKeys(rt.db, site.id, backlinkKey),
          today,
        });
        for (const d of r.duplicates)
          io.err(`line ${d.line}: skipped duplicate ${d.donorUrl} → ${d.target} (${d.reason})`);
        if (r.errors.length) {
          r.errors.forEach((e) => io.err(`${file}: ${e}`));
          io.err(`Nothing imported: fix the ${r.errors.length} problem(s) above and run the import again.`);
          return EXIT.usage;
        }
        const applied = applyBacklinkImport(rt.db, site.id, r, rt.deps.now());
        const tool = r.format === 'ahrefs' || r.format === 'semrush' ? TOOL_NAMES[r.format] : null;
        io.out(
          `Imported ${applied.inserted.length} link(s) from ${file} (${r.format} format)` +
            (r.duplicates.length ? `; ${r.duplicates.length} duplicate(s) skipped` : '') +
            (tool ? `; ${messages('en').backlinks.tools.stored(tool, applied.toolStates)}` : ''),
        );
        return EXIT.ok;
      }
      if (sub === 'list') {
        const rows = listBacklinks(rt.db, site.id, { status: values.status as string | undefined });
        // Beside our verdict, what Ahrefs or Semrush last said (their crawl, not our check).
        const said = toolStatesBySite(rt.db, site.id);
        if (values.json)
          io.out(JSON.stringify(rows.map((l) => ({ ...l, toolStates: said.get(l.id) ?? [] }))));
        else {
          // The CLI speaks English, in the catalogue's words (the dashboard speaks the reader's language).
          const say = messages('en').backlinks.reasons;
          const fmt = formatter('en', site.timeZone);
          for (const l of rows) {
            const tools = (said.get(l.id) ?? []).map((s) => describeToolState(s));
            const why = showReasons(l.statusReasons, say, fmt);
            io.out(
              `#${l.id} ${l.status.padEnd(12)} G:${l.googlePasses === null ? '?' : l.googlePasses ? 'yes' : 'no '} Y:${l.yandexPasses === null ? '?' : l.yandexPasses ? 'yes' : 'no '} ${l.donorUrl} → ${l.target}${why ? `  (${why})` : ''}${tools.length ? `  [${tools.join('; ')}]` : ''}`,
            );
          }
        }
        return EXIT.ok;
      }
      const only = values.id !== undefined ? [Number(values.id)] : undefined;
      const abort = new AbortController();
      void io.stopSignal.then(() => abort.abort(new Error('interrupted')));
      const summary = await checkSiteBacklinks(
        {
          db: rt.db,
          now: rt.deps.now,
          log: rt.log,
          browser: rt.browser,
          signal: abort.signal,
          progress: values.json ? undefined : (label, total) => createProgress({ label, total, log: io.err }),
        },
        site,
        rt.loaded.config.sites.find((s) => s.name === site.name)?.backlinks ?? {},
        only,
      );
      const rows = listBacklinks(rt.db, site.id).filter((l) => !only || only.includes(l.id));
      if (values.json)
        io.out(
          JSON.stringify({
            summary: { checked: summary.checked, byOutcome: summary.byOutcome },
            links: rows,
          }),
        );
      else {
        io.out(
          `Checked ${summary.checked} link(s): ${
            Object.entries(summary.byOutcome)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ') || 'none'
          }`,
        );
        const say = messages('en').backlinks.reasons;
        const fmt = formatter('en', site.timeZone);
        for (const c of summary.changes)
          io.out(
            `  #${c.link.id} ${c.change.from} → ${c.change.to}: ${showReasons(c.change.reasons, say, fmt)}`,
          );
      }
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
