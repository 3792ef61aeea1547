// `promowatch links add|import|list|check|edit|archive|unarchive|remove|evidence`: the backlink inventory
// from the command line, in the dashboard's words (the backlinks catalogue's English).
// Just over 400 lines: nine subcommands of one command, sharing its columns and id parsing.
import { basename } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import {
  backlinkKey,
  parseBacklinkImport,
  PROMOWATCH_COLUMNS,
  validateBacklinkInput,
} from '../../backlinks/import.ts';
import { checkSiteBacklinks } from '../../backlinks/monitor.ts';
import { applyBacklinkImport } from '../../backlinks/import-apply.ts';
import { evidencePack } from '../../backlinks/evidence.ts';
import {
  deleteBacklinks,
  existingKeys,
  getBacklink,
  insertBacklinks,
  listBacklinks,
  setArchived,
  updateBacklink,
  type BacklinkRow,
} from '../../backlinks/store.ts';
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

const SUBCOMMANDS = ['add', 'import', 'list', 'check', 'edit', 'archive', 'unarchive', 'remove', 'evidence'];

/** A link's fields as options would give them, for `edit` to start from. */
function asColumns(l: BacklinkRow): Record<string, string | undefined> {
  return {
    donor_url: l.donorUrl,
    target: l.target,
    anchor: l.expectedAnchor ?? undefined,
    kind: l.kind,
    vendor: l.vendor ?? undefined,
    price: l.priceMicros === null ? undefined : String(l.priceMicros / 1e6),
    currency: l.currency ?? undefined,
    billing: l.billing,
    bought_on: l.boughtOn ?? undefined,
    paid_until: l.paidUntil ?? undefined,
    tags: l.tags.join(';'),
    notes: l.notes ?? undefined,
    brand: l.brand ?? undefined,
  };
}

/** Link ids from `--id 3,4` and the arguments after the subcommand; refuses anything but whole numbers. */
function idsOf(values: Record<string, unknown>, rest: string[]): number[] {
  const raw = [...String(values.id ?? '').split(','), ...rest].map((s) => s.trim()).filter(Boolean);
  for (const r of raw)
    if (!/^[0-9]+$/.test(r)) throw new UsageError(`"${r}" is not a link id (see "promowatch links list")`);
  return [...new Set(raw.map(Number))];
}

export const linksCommand: Command = {
  name: 'links',
  summary: 'the bought-links inventory: add, import (CSV), list, check, edit, archive, remove, evidence',
  usage:
    'promowatch links <add|import|list|check|edit|archive|unarchive|remove|evidence> [FILE|ID…] [--site NAME] [options]',
  help: `  add --donor URL [--target URL|DOMAIN] [--anchor T] [--kind bought|press-release|guest-post|directory|other]
      [--vendor V] [--price 1500] [--currency RUB] [--billing one-off|monthly] [--bought-on 2026-11-01]
      [--paid-until 2026-12-01] [--tags a;b] [--notes T] [--brand NAME]
                    add one link (target defaults to the site's base URL)
  import FILE       import a CSV/TSV: our columns, an Ahrefs or Semrush backlinks export, or a Sape
                    export; all or nothing, with line-numbered errors; duplicates are reported, not added
                    --price without --currency is in the config's currency.base (RUB when unset)
  list [--status S] [--archived]
                    list links with their state (live, devalued, lost, inconclusive, not checked);
                    --archived lists the archived ones  (--json for JSON)
  check [--id N,M]  check now (all links of the site, or these)  (--json for JSON)
  edit ID [--vendor V] [--price P] …
                    change a link: the same options as add; what is not given stays
  archive ID…       keep links with their history but stop checking, listing and alerting on them
  unarchive ID…     bring archived links back
  remove ID… [--yes]
                    delete links with their checks and screenshots; asks first (without a terminal,
                    refuses unless --yes)
  evidence ID|--vendor V --out FILE
                    write the evidence pack (ZIP: summary, screenshots, redirects, headers, the link's
                    HTML) of one link or of every link bought from a vendor
  --site NAME       which site (needed when the config has several)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    site: { type: 'string' },
    json: { type: 'boolean' },
    status: { type: 'string' },
    id: { type: 'string' },
    archived: { type: 'boolean' },
    yes: { type: 'boolean' },
    out: { type: 'string' },
    ...Object.fromEntries(PROMOWATCH_COLUMNS.map((c) => [optionFor(c), { type: 'string' as const }])),
  },
  positionals: { min: 1, max: 1000 },
  async run(values, [sub, ...rest], io) {
    const file = rest[0];
    if (!SUBCOMMANDS.includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use ${SUBCOMMANDS.join(', ')}`);
    const withIds = ['check', 'edit', 'archive', 'unarchive', 'remove', 'evidence'].includes(sub!);
    if (sub === 'import' && rest.length !== 1) throw new UsageError('import needs one FILE');
    if (!withIds && sub !== 'import' && rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const ids = withIds ? idsOf(values, rest) : [];
    if (['edit', 'archive', 'unarchive', 'remove'].includes(sub!) && ids.length === 0)
      throw new UsageError(`${sub} needs a link ID (see "promowatch links list")`);
    if (sub === 'edit' && ids.length !== 1) throw new UsageError('edit changes one link: give one ID');
    if (sub === 'evidence' && ids.length > 0 === (values.vendor !== undefined))
      throw new UsageError('evidence needs one link ID or --vendor V');
    if (sub === 'evidence' && !values.out) throw new UsageError('evidence needs --out FILE');
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      const site = await siteOf(rt, values.site as string | undefined);
      const today = dayIn(rt.deps.now(), site.timeZone);
      const en = messages('en').backlinks;
      const currency = rt.loaded.config.currency?.base ?? 'RUB';
      const state = (s: string) => (en.states as Record<string, string>)[s] ?? s;
      // Only this site's links: an id of another site's link is "no such link" here.
      const own = async (id: number) => {
        const l = await getBacklink(rt.sql, id);
        if (!l || l.siteId !== site.id)
          throw new UsageError(
            `no link #${id} for site ${site.name} (see "promowatch links list --site ${site.name}")`,
          );
        return l;
      };
      /** Each link in turn, so the first ID that is not the site's is the one named. */
      const ownAll = async (list: number[]) => {
        const out = [];
        for (const id of list) out.push(await own(id));
        return out;
      };
      if (sub === 'edit') {
        const link = await own(ids[0]!);
        const raw = asColumns(link);
        for (const column of PROMOWATCH_COLUMNS) {
          const value = values[optionFor(column)];
          if (value !== undefined) raw[column] = value as string;
        }
        // A new price without a currency keeps the link's own currency.
        if (values.price !== undefined && values.currency === undefined) raw.currency = undefined;
        const v = validateBacklinkInput(raw, `link #${link.id}`, {
          today,
          defaultCurrency: link.currency ?? currency,
        });
        if ('errors' in v) {
          v.errors.forEach((e) => io.err(e));
          io.err(`Link #${link.id} not changed.`);
          return EXIT.usage;
        }
        if ((await updateBacklink(rt.sql, link.id, v.input)) === 'duplicate') {
          io.err(
            `Link #${link.id} not changed: ${v.input.donorUrl} → ${v.input.target} is already in the inventory`,
          );
          return EXIT.usage;
        }
        await rt.audit({
          action: 'backlink.edit',
          siteId: site.id,
          targetType: 'backlink',
          targetId: link.id,
          details: Object.fromEntries(
            PROMOWATCH_COLUMNS.filter((k) => values[optionFor(k)] !== undefined).map((k) => [
              k,
              values[optionFor(k)],
            ]),
          ),
        });
        io.out(`Changed link #${link.id}: ${v.input.donorUrl} → ${v.input.target}`);
        return EXIT.ok;
      }
      if (sub === 'archive' || sub === 'unarchive') {
        await ownAll(ids);
        const n = await setArchived(rt.sql, ids, sub === 'archive' ? rt.deps.now() : null);
        for (const id of ids)
          await rt.audit({
            action: `backlink.${sub}`,
            siteId: site.id,
            targetType: 'backlink',
            targetId: id,
          });
        io.out(
          sub === 'archive'
            ? `Archived ${n} link(s): kept with their history, no longer checked, listed or alerted on.`
            : `Brought back ${n} link(s) from the archive.`,
        );
        return EXIT.ok;
      }
      if (sub === 'remove') {
        const links = await ownAll(ids);
        if (!values.yes) {
          if (!process.stdin.isTTY) {
            io.err(
              `Not removing ${links.length} link(s) without confirmation: add --yes, or use "promowatch links archive" to keep their history.`,
            );
            return EXIT.usage;
          }
          links.forEach((l) => io.err(`#${l.id} ${l.donorUrl} → ${l.target}`));
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question(
            `Delete these ${links.length} link(s) with their checks and screenshots for good? [y/N] `,
          );
          rl.close();
          if (!/^y(es)?$/i.test(answer.trim())) {
            io.err('Nothing removed.');
            return EXIT.ok;
          }
        }
        const { deleted, screenshots } = await deleteBacklinks(rt.sql, ids);
        for (const f of screenshots) rmSync(f, { force: true });
        for (const l of links)
          await rt.audit({
            action: 'backlink.remove',
            siteId: site.id,
            targetType: 'backlink',
            targetId: l.id,
            details: { donorUrl: l.donorUrl, target: l.target },
          });
        io.out(`Removed ${deleted} link(s) with their checks and screenshots.`);
        return EXIT.ok;
      }
      if (sub === 'evidence') {
        const vendor = values.vendor as string | undefined;
        const links = vendor
          ? await listBacklinks(rt.sql, site.id, { vendor, archived: 'with' })
          : await ownAll(ids);
        if (links.length === 0) {
          io.err(`No links from vendor "${vendor}" for site ${site.name}.`);
          return EXIT.usage;
        }
        const zip = await evidencePack(rt.sql, rt.evidenceDir, links, {
          words: en,
          fmt: formatter('en', site.timeZone),
          title: vendor ?? `#${links[0]!.id} ${links[0]!.donorUrl}`,
          siteName: site.name,
          now: rt.deps.now(),
        });
        writeFileSync(values.out as string, zip);
        io.out(`Wrote the evidence pack of ${links.length} link(s) to ${values.out as string}`);
        return EXIT.ok;
      }
      if (sub === 'add') {
        const raw: Record<string, string | undefined> = { target: site.baseUrl };
        for (const column of PROMOWATCH_COLUMNS) {
          const value = values[optionFor(column)];
          if (value !== undefined) raw[column] = value as string;
        }
        // A price without a currency is in the install's currency, as the dashboard's form has it.
        const v = validateBacklinkInput(raw, 'link', { today, defaultCurrency: currency });
        if ('errors' in v) {
          v.errors.forEach((e) => io.err(e));
          return EXIT.usage;
        }
        if (
          (await existingKeys(rt.sql, site.id, backlinkKey)).has(
            backlinkKey(v.input.donorUrl, v.input.target),
          )
        ) {
          io.err(`Already in the inventory: ${v.input.donorUrl} → ${v.input.target}`);
          return EXIT.usage;
        }
        const [id] = await insertBacklinks(rt.sql, site.id, [v.input], rt.deps.now());
        await rt.audit({
          action: 'backlink.add',
          siteId: site.id,
          targetType: 'backlink',
          targetId: id,
          details: { donorUrl: v.input.donorUrl, target: v.input.target },
        });
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
          existing: await existingKeys(rt.sql, site.id, backlinkKey),
          today,
        });
        for (const d of r.duplicates)
          io.err(`line ${d.line}: skipped duplicate ${d.donorUrl} → ${d.target} (${d.reason})`);
        if (r.errors.length) {
          r.errors.forEach((e) => io.err(`${file}: ${e}`));
          io.err(`Nothing imported: fix the ${r.errors.length} problem(s) above and run the import again.`);
          return EXIT.usage;
        }
        const applied = await applyBacklinkImport(rt.sql, site.id, r, rt.deps.now());
        await rt.audit({
          action: 'backlink.import',
          siteId: site.id,
          targetType: 'backlink',
          details: { file: basename(file!), format: r.format, added: applied.inserted.length },
        });
        const tool = r.format === 'ahrefs' || r.format === 'semrush' ? TOOL_NAMES[r.format] : null;
        io.out(
          `Imported ${applied.inserted.length} link(s) from ${file} (${r.format} format)` +
            (r.duplicates.length ? `; ${r.duplicates.length} duplicate(s) skipped` : '') +
            (tool ? `; ${messages('en').backlinks.tools.stored(tool, applied.toolStates)}` : ''),
        );
        return EXIT.ok;
      }
      if (sub === 'list') {
        const rows = await listBacklinks(rt.sql, site.id, {
          status: values.status as string | undefined,
          archived: values.archived ? 'only' : undefined,
        });
        // Beside our verdict, what Ahrefs or Semrush last said (their crawl, not our check).
        const said = await toolStatesBySite(rt.sql, site.id);
        if (values.json)
          io.out(JSON.stringify(rows.map((l) => ({ ...l, toolStates: said.get(l.id) ?? [] }))));
        else {
          // The CLI speaks English, in the catalogue's words (the dashboard speaks the reader's language).
          const say = messages('en').backlinks.reasons;
          const fmt = formatter('en', site.timeZone);
          if (rows.length === 0)
            io.out(
              values.archived
                ? `No archived links for site ${site.name}.`
                : values.status
                  ? `No ${state(values.status as string)} links for site ${site.name}.`
                  : `No links for site ${site.name} yet — add one with "promowatch links add --donor URL --site ${site.name}" or import a CSV with "promowatch links import FILE --site ${site.name}".`,
            );
          for (const l of rows) {
            const tools = (said.get(l.id) ?? []).map((s) => describeToolState(s));
            const why = showReasons(l.statusReasons, say, fmt);
            io.out(
              `#${l.id} ${state(l.status).padEnd(12)} G:${l.googlePasses === null ? '?' : l.googlePasses ? 'yes' : 'no '} Y:${l.yandexPasses === null ? '?' : l.yandexPasses ? 'yes' : 'no '} ${l.donorUrl} → ${l.target}${why ? `  (${why})` : ''}${tools.length ? `  [${tools.join('; ')}]` : ''}`,
            );
          }
        }
        return EXIT.ok;
      }
      const archived = (await ownAll(ids)).filter((l) => l.archivedAt).map((l) => l.id);
      if (archived.length)
        throw new UsageError(
          `archived links are not checked: ${archived.map((id) => `#${id}`).join(', ')} (bring them back with "promowatch links unarchive")`,
        );
      const only = ids.length ? ids : undefined;
      const abort = new AbortController();
      void io.stopSignal.then(() => abort.abort(new Error('interrupted')));
      const summary = await checkSiteBacklinks(
        {
          sql: rt.sql,
          db: rt.db,
          evidenceDir: rt.evidenceDir,
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
      const rows = (await listBacklinks(rt.sql, site.id)).filter((l) => !only || only.includes(l.id));
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
            `  #${c.link.id} ${state(c.change.from)} → ${state(c.change.to)}: ${showReasons(c.change.reasons, say, fmt)}`,
          );
      }
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
