// The example `promowatch init` writes: every option of the schema in it, it loads with the real loader,
// and where it shows a built-in default, the loaded settings are those defaults.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_NAMES, JOBS } from '../../jobs/index.ts';
import { auditSettingsFrom } from '../../src/audit/site-audit.ts';
import { exampleConfig, exampleConfigText, exampleTree } from '../../src/config/example.ts';
import { isNoted, stripJsonComments } from '../../src/config/jsonc.ts';
import { loadConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { tempDir } from '../helpers.ts';

// zod's own description of a schema (zod 4: every schema has `_zod.def` with a `type`).
interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  valueType?: { _zod: { def: Def } };
  discriminator?: string;
  values?: unknown[];
}
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

/** Through optional(), default(), transforms and refinements to the schema that has the shape. */
function unwrap(d: Def): Def {
  if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault')
    return unwrap(defOf(d.innerType));
  if (d.type === 'pipe') return unwrap(defOf(d.in));
  return d;
}

/** The name of a union member: its discriminator's literal ({type=email}), or its kind. */
function variant(d: Def, key: string | undefined): string {
  const u = unwrap(d);
  if (key && u.shape?.[key]) return `{${key}=${String(defOf(u.shape[key]).values?.[0])}}`;
  return `{${u.type}}`;
}

/** Every key path the schema accepts: sites[].backlinks.render, notifications.channels[]{type=email}.smtp.host… */
function schemaPaths(d0: Def, at = ''): string[] {
  const d = unwrap(d0);
  if (d.type === 'object')
    return Object.entries(d.shape!).flatMap(([k, s]) => [
      `${at}.${k}`,
      ...schemaPaths(defOf(s), `${at}.${k}`),
    ]);
  if (d.type === 'array') return schemaPaths(defOf(d.element), `${at}[]`);
  // A record's keys are data (job names, currency codes); what its values accept is walked.
  if (d.type === 'record') return schemaPaths(defOf(d.valueType), `${at}.*`);
  if (d.type === 'union')
    return d.options!.flatMap((o) => schemaPaths(defOf(o), `${at}${variant(defOf(o), d.discriminator)}`));
  return [];
}

/** The key paths an example value shows, named as schemaPaths() names them (commented-out entries count). */
function examplePaths(v: unknown, d0: Def, at = ''): string[] {
  if (isNoted(v)) return examplePaths(v.value, d0, at);
  const d = unwrap(d0);
  if (d.type === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v))
    return Object.entries(v).flatMap(([k, x]) =>
      d.shape![k] ? [`${at}.${k}`, ...examplePaths(x, defOf(d.shape![k]), `${at}.${k}`)] : [],
    );
  if (d.type === 'array' && Array.isArray(v))
    return v.flatMap((x) => examplePaths(x, defOf(d.element), `${at}[]`));
  if (d.type === 'record' && typeof v === 'object' && v !== null)
    return Object.values(v).flatMap((x) => examplePaths(x, defOf(d.valueType), `${at}.*`));
  if (d.type === 'union') {
    const plain = isNoted(v) ? v.value : v;
    return d.options!.flatMap((o) => {
      const od = unwrap(defOf(o));
      const key = d.discriminator;
      const fits = key
        ? (plain as Record<string, unknown>)?.[key] === defOf(od.shape![key]).values?.[0]
        : (od.type === 'array') === Array.isArray(plain) &&
          (od.type === 'object') === (typeof plain === 'object' && !Array.isArray(plain));
      return fits ? examplePaths(v, defOf(o), `${at}${variant(defOf(o), key)}`) : [];
    });
  }
  return [];
}

const schema = defOf(configSchema(JOB_NAMES));
// "$schema" only points an editor at a JSON Schema file; promowatch ships none, so the example has none.
const NOT_SHOWN = new Set(['.$schema']);

describe('the init example', () => {
  it('shows every option the config schema accepts', () => {
    const shown = new Set(examplePaths(exampleTree(JOBS), schema));
    const missing = schemaPaths(schema).filter((p) => !shown.has(p) && !NOT_SHOWN.has(p));
    expect(missing).toEqual([]);
  });

  it('would notice an option missing from it (the check itself can fail)', () => {
    const tree = exampleTree(JOBS);
    delete (tree as Record<string, unknown>).shutdownGraceSeconds;
    const shown = new Set(examplePaths(tree, schema));
    expect(schemaPaths(schema).filter((p) => !shown.has(p) && !NOT_SHOWN.has(p))).toEqual([
      '.shutdownGraceSeconds',
    ]);
  });

  it('is written with comments, loads with the real loader, and is the object exampleConfig() gives', () => {
    const file = join(tempDir(), 'promowatch.config.json');
    writeFileSync(file, exampleConfigText(JOBS));
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\s*\/\/ A bought link counts as lost after/m);
    expect(text).toMatch(/^\s*\/\/ "apiToken": \{ "env": "PROMOWATCH_API_TOKEN" \},$/m);
    expect(JSON.parse(stripJsonComments(text))).toEqual(exampleConfig(JOBS));
    const loaded = loadConfig(file, {}, JOB_NAMES);
    expect(loaded.config.sites[0]!.backlinks.render).toBe('fallback');
  });

  it('shows the built-in defaults where it sets an option: the loaded crawl settings are the defaults', () => {
    const file = join(tempDir(), 'promowatch.config.json');
    writeFileSync(file, exampleConfigText(JOBS));
    const { config } = loadConfig(file, {}, JOB_NAMES);
    expect(auditSettingsFrom(config.sites[0]!.crawl)).toEqual(auditSettingsFrom({}));
    expect(config.jobs).toEqual(
      Object.fromEntries(JOB_NAMES.map((n) => [n, expect.objectContaining({ enabled: true })])),
    );
  });

  it('holds no secret: every credential is an {"env": …} reference', () => {
    const text = exampleConfigText(JOBS);
    const credential =
      /^\s*(?:\/\/ )?"(password|clientSecret|refreshToken|developerToken|accessToken|oauthToken|apiKey|apiToken|token|botToken|serviceAccountKey|webhookUrl|url)": (.+?),?$/gm;
    const found = [...text.matchAll(credential)];
    expect(found.length).toBeGreaterThan(15);
    for (const m of found) expect(m[2], m[1]).toMatch(/^\{ "env": "[A-Z][A-Z0-9_]*" \}$/);
  });
});
