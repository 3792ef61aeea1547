// Files past ~400 lines are split where a seam exists, or say at the top why they are kept whole (issue 15:
// one place for each thing). The reason is a comment in the first lines naming the length ("400 lines")
// or saying the file is kept whole, so a reader opening a long file learns at once that it is on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAX_LINES = 400;
/** How far down the reason may sit: below a longer opening comment, as in src/crawl/html-scan.ts. */
const REASON_WITHIN = 10;
const REASON = /^\s*(?:\/\/|\*|\/\*).*(?:400 lines|kept whole)/i;

/** Every file over MAX_LINES lines without a reason near its top, as "path: N lines". */
export function longFilesWithoutReason(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) => {
    const lines = text.split('\n');
    if (text.endsWith('\n')) lines.pop();
    if (lines.length <= MAX_LINES) return [];
    return lines.slice(0, REASON_WITHIN).some((l) => REASON.test(l))
      ? []
      : [`${path}: ${lines.length} lines, no reason in its first ${REASON_WITHIN} lines`];
  });
}

function shippedFiles(): { path: string; text: string }[] {
  return ['src', 'jobs', 'web'].flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })
      .filter((p) => /\.(ts|mjs|js)$/.test(p))
      .map((p) => {
        const path = `${top}/${p.split(sep).join('/')}`;
        return { path, text: readFileSync(join(ROOT, path), 'utf8') };
      }),
  );
}

describe('long files', () => {
  it('longFilesWithoutReason() names a long file with no reason, not a short one or one that says why', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `const x${i} = ${i};`).join('\n') + '\n';
    expect(
      longFilesWithoutReason([
        { path: 'src/a.ts', text: body(400) },
        { path: 'src/b.ts', text: body(401) },
        { path: 'src/c.ts', text: `// One list.\n// Just over 400 lines: one catalogue.\n${body(420)}` },
        {
          path: 'src/d.ts',
          text: `// Kept whole: a scanner read side by side with its original.\n${body(500)}`,
        },
        {
          path: 'src/e.ts',
          text: `${body(10)}// Over 400 lines on purpose, but said too late.\n${body(400)}`,
        },
        { path: 'src/f.ts', text: `const s = 'over 400 lines';\n${body(400)}` },
      ]),
    ).toEqual([
      'src/b.ts: 401 lines, no reason in its first 10 lines',
      'src/e.ts: 411 lines, no reason in its first 10 lines',
      'src/f.ts: 401 lines, no reason in its first 10 lines',
    ]);
  });

  it('every shipped file over 400 lines says at its top why it is kept whole', () => {
    const files = shippedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(longFilesWithoutReason(files)).toEqual([]);
  });
});
