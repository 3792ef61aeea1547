// The import rules that keep shipped code apart from test code and the library apart from its entry points:
// src/ never imports tests/; outside the entry point src/cli/, src/ imports neither jobs/, web/ nor src/cli/;
// jobs/ and web/ never import tests/; src/crawl/ never imports src/audit/ (the audit consumes what the crawl
// hands it). (jobs/ and web/ may import src/; src/cli/ may import everything.)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = ['src', 'jobs', 'web'];

/**
 * The module specifiers a file names: static `import … from`, `export … from`, bare `import '…'`, and
 * `import('…')` (also the type-level `import('…').Name`). Lines that are comments are left out, so a
 * comment that mentions a path is not an import.
 */
export function importSpecifiers(text: string): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

/** Why `from` (a path from the repository root, with /) may not import `to`, or null when it may. */
export function brokenRule(from: string, to: string): string | null {
  const inSrc = from.startsWith('src/');
  const inCli = from.startsWith('src/cli/');
  if (to.startsWith('tests/') && (inSrc || from.startsWith('jobs/') || from.startsWith('web/')))
    return 'shipped code imports test code';
  if (inSrc && !inCli && (to.startsWith('jobs/') || to.startsWith('web/')))
    return 'src/ outside the entry point src/cli/ imports jobs/ or web/';
  if (inSrc && !inCli && to.startsWith('src/cli/'))
    return 'src/ outside src/cli/ imports the entry point src/cli/';
  if (from.startsWith('src/crawl/') && to.startsWith('src/audit/'))
    return 'src/crawl/ imports src/audit/ (the audit consumes the crawl, not the other way round)';
  return null;
}

/** Every broken rule in the given files, as "file imports 'specifier' (resolved): rule". */
export function importViolations(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    importSpecifiers(text)
      .filter((spec) => spec.startsWith('.'))
      .flatMap((spec) => {
        const target = relative(ROOT, resolve(ROOT, dirname(path), spec))
          .split(sep)
          .join('/');
        const rule = brokenRule(path, target);
        return rule ? [`${path} imports '${spec}' (${target}): ${rule}`] : [];
      }),
  );
}

function shippedFiles(): { path: string; text: string }[] {
  return SHIPPED.flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })
      .filter((p) => /\.(ts|mjs)$/.test(p))
      .map((p) => {
        const path = `${top}/${p.split(sep).join('/')}`;
        return { path, text: readFileSync(join(ROOT, path), 'utf8') };
      }),
  );
}

describe('import rules', () => {
  it('importSpecifiers() finds static, re-exported, bare, dynamic and type-level imports, not comments', () => {
    const text = [
      "import { a } from '../a.ts';",
      'import type {',
      '  B,',
      "} from '../../tests/b.ts';",
      "export { c } from './c.ts';",
      "import './d.ts';",
      "const e = await import('../e.ts');",
      "type F = import('../f.ts').F;",
      "// import { g } from '../../tests/g.ts';",
      "/* import { h } from '../h.ts'; */",
      "const url = 'https://example.com/from/x';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(
      ['../a.ts', '../../tests/b.ts', './c.ts', './d.ts', '../e.ts', '../f.ts'].sort(),
    );
  });

  it('importViolations() names the file, the import and the rule it breaks', () => {
    const files = [
      { path: 'src/demo/ads-apis.ts', text: "import { x } from '../../tests/servers/google-ads.ts';" },
      { path: 'src/config/example.ts', text: "import { JOBS } from '../../jobs/index.ts';" },
      { path: 'src/demo/world.ts', text: "const m = await import('../../web/app.ts');" },
      { path: 'src/demo/run.ts', text: "import { serve } from '../cli/serve-dashboard.ts';" },
      { path: 'web/pages/ads.ts', text: "import type { T } from '../../tests/helpers.ts';" },
      { path: 'jobs/uptime.ts', text: "import { h } from '../tests/helpers.ts';" },
      { path: 'src/crawl/crawler.ts', text: "import type { PageFacts } from '../audit/types.ts';" },
    ];
    expect(importViolations(files)).toEqual([
      "src/demo/ads-apis.ts imports '../../tests/servers/google-ads.ts' (tests/servers/google-ads.ts): shipped code imports test code",
      "src/config/example.ts imports '../../jobs/index.ts' (jobs/index.ts): src/ outside the entry point src/cli/ imports jobs/ or web/",
      "src/demo/world.ts imports '../../web/app.ts' (web/app.ts): src/ outside the entry point src/cli/ imports jobs/ or web/",
      "src/demo/run.ts imports '../cli/serve-dashboard.ts' (src/cli/serve-dashboard.ts): src/ outside src/cli/ imports the entry point src/cli/",
      "web/pages/ads.ts imports '../../tests/helpers.ts' (tests/helpers.ts): shipped code imports test code",
      "jobs/uptime.ts imports '../tests/helpers.ts' (tests/helpers.ts): shipped code imports test code",
      "src/crawl/crawler.ts imports '../audit/types.ts' (src/audit/types.ts): src/crawl/ imports src/audit/ (the audit consumes the crawl, not the other way round)",
    ]);
  });

  it('importViolations() lets the entry point import everything, jobs/ and web/ import src/, and src/ import src/', () => {
    const files = [
      { path: 'src/cli/commands/run.ts', text: "import { JOBS } from '../../../jobs/index.ts';" },
      { path: 'src/cli/demo/run-demo.ts', text: "import { app } from '../../../web/app.ts';" },
      { path: 'jobs/uptime.ts', text: "import { checkUptime } from '../src/uptime/check.ts';" },
      { path: 'web/app.ts', text: "import { openDb } from '../src/db/open.ts';" },
      { path: 'src/audit/site-audit.ts', text: "import { crawlSite } from '../crawl/crawler.ts';" },
      {
        path: 'src/demo/ads-apis.ts',
        text: "import { h } from './servers/google-ads.ts';\nimport 'node:http';",
      },
    ];
    expect(importViolations(files)).toEqual([]);
  });

  it('no file under src/, jobs/ or web/ breaks an import rule', () => {
    const files = shippedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(importViolations(files)).toEqual([]);
  });
});
