// web/ holds routes, view models and templates only: no prepared statements and no SQL strings (the queries
// live in src/<area>/), and pages never import from web/api/ (pages and API routes share src/ modules and
// web/views/, not each other).
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * An SQL statement as this code base writes it: upper-case keywords followed by what must come next
 * (`SELECT` and a column, `DELETE FROM`, `UPDATE t SET`…), so an English sentence such as "Select a site"
 * or "update the config, then delete from the list" does not count.
 */
const SQL = [
  /\bSELECT\s+(?:DISTINCT\s+)?(?:[\w.*]+|\$\{|\()/,
  /\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\bWITH\s+\w+\s+AS\s*\(/,
  /\bCREATE\s+(?:TABLE|INDEX|VIEW|TRIGGER)\b/,
];

/** Every line of a web/ file that prepares a statement or spells SQL, as "file:line: what". */
export function sqlInWeb(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => {
      if (line.includes('.prepare(')) return [`${path}:${i + 1}: prepares a statement`];
      return SQL.some((re) => re.test(line)) ? [`${path}:${i + 1}: SQL statement: ${line.trim()}`] : [];
    }),
  );
}

/** Every import of web/api/ from a file under web/pages/, as "file:line imports 'specifier'". */
export function pagesImportingApi(files: { path: string; text: string }[]): string[] {
  return files
    .filter(({ path }) => path.startsWith('web/pages/'))
    .flatMap(({ path, text }) =>
      text.split('\n').flatMap((line, i) => {
        // `from '../api/x.ts'` (also `import('../api/x.ts')`), the one way a page under web/pages/ reaches web/api/.
        const spec = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.\.\/api\/[^'"]+)['"]/.exec(line)?.[1];
        return spec && !line.trimStart().startsWith('//')
          ? [`${path}:${i + 1} imports '${spec}': pages share src/ and web/views/, not the API routes`]
          : [];
      }),
    );
}

function webFiles(): { path: string; text: string }[] {
  return readdirSync(join(ROOT, 'web'), { recursive: true, encoding: 'utf8' })
    .filter((p) => /\.(ts|mjs)$/.test(p))
    .map((p) => {
      const path = `web/${p.split(sep).join('/')}`;
      return { path, text: readFileSync(join(ROOT, path), 'utf8') };
    });
}

describe('web/ has no SQL', () => {
  it('sqlInWeb() names the file and line of a prepared statement and of an SQL string, not of English', () => {
    const files = [
      {
        path: 'web/pages/x.ts',
        text: [
          "const t = 'Select a site to see its links';",
          'const row = db',
          "  .prepare('SELECT id FROM backlinks WHERE id = ?')",
          '  .get(1);',
          'const sql = `SELECT day, sum(clicks) AS clicks FROM search_stats`;',
          "const s = 'update the config, then delete from the list';",
          'const w = `WITH latest AS (SELECT 1)`;',
          "db.exec('DELETE FROM alerts');",
          "db.exec('UPDATE alerts SET x = 1');",
          "db.exec('INSERT OR IGNORE INTO tags VALUES (1)');",
        ].join('\n'),
      },
    ];
    expect(sqlInWeb(files)).toEqual([
      'web/pages/x.ts:3: prepares a statement',
      'web/pages/x.ts:5: SQL statement: const sql = `SELECT day, sum(clicks) AS clicks FROM search_stats`;',
      'web/pages/x.ts:7: SQL statement: const w = `WITH latest AS (SELECT 1)`;',
      "web/pages/x.ts:8: SQL statement: db.exec('DELETE FROM alerts');",
      "web/pages/x.ts:9: SQL statement: db.exec('UPDATE alerts SET x = 1');",
      "web/pages/x.ts:10: SQL statement: db.exec('INSERT OR IGNORE INTO tags VALUES (1)');",
    ]);
  });

  it('pagesImportingApi() names a page that imports an API route module; API routes and views may be imported', () => {
    const files = [
      {
        path: 'web/pages/backlinks.ts',
        text: "import x from 'hono';\nimport { siteMoney } from '../api/backlinks.ts';",
      },
      { path: 'web/pages/ads.ts', text: "import { adsView } from '../views/ads.ts';" },
      { path: 'web/app.ts', text: "import { adsApi } from './api/ads.ts';" },
    ];
    expect(pagesImportingApi(files)).toEqual([
      "web/pages/backlinks.ts:2 imports '../api/backlinks.ts': pages share src/ and web/views/, not the API routes",
    ]);
  });

  it('no file under web/ prepares a statement or spells SQL', () => {
    const files = webFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(sqlInWeb(files)).toEqual([]);
  });

  it('no page under web/pages/ imports from web/api/', () => {
    expect(pagesImportingApi(webFiles())).toEqual([]);
  });
});
