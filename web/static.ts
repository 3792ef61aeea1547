// Serves our own CSS/JS and chart.js from this origin, so pages work with no internet and under a strict CSP.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  'app.css': {
    file: fileURLToPath(new URL('./public/app.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
  'app.js': {
    file: fileURLToPath(new URL('./public/app.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
  'chart.umd.min.js': {
    file: join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export function staticFiles() {
  // Read once at start: a handful of small files, and no path from the request ever reaches the disk.
  const cache = new Map(
    Object.entries(FILES).map(([name, f]) => [name, { body: readFileSync(f.file), type: f.type }]),
  );
  return new Hono().get('/:name', (c) => {
    const f = cache.get(c.req.param('name'));
    if (!f) return c.text('Not found', 404);
    c.header('Content-Type', f.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(f.body));
  });
}
