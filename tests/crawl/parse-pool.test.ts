// The parser threads: same facts as parsing inline, within their memory limits.
import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/crawl/parse-page.ts';
import { ParsePool, WORKER_YOUNG_GENERATION_MB } from '../../src/crawl/parse-pool.ts';

const input = {
  body: new TextEncoder().encode(
    '<title>Студия</title><h1>Видео</h1><a href="/work">Работы</a> and some words',
  ),
  contentType: 'text/html; charset=utf-8',
  fallbackCharset: 'utf-8',
};

describe('ParsePool', () => {
  it('parses in a thread with a small young generation, to the same facts as inline', async () => {
    const pool = new ParsePool(1);
    try {
      expect(await pool.parse(input)).toEqual(parsePage(input));
      const [limits] = pool.resourceLimits();
      expect(limits?.maxYoungGenerationSizeMb).toBe(WORKER_YOUNG_GENERATION_MB);
      expect(WORKER_YOUNG_GENERATION_MB).toBeLessThanOrEqual(8);
    } finally {
      await pool.close();
    }
  });

  it('takes a body over instead of copying it when asked, and copies one in the shared pool', async () => {
    const pool = new ParsePool(1);
    try {
      const html = `<title>Работы</title><p>${'кадр '.repeat(3000)}</p>`;
      const own = Buffer.concat([Buffer.from(html)]);
      const expected = parsePage({ ...input, body: Buffer.from(html) });
      const moved = await pool.parse({ ...input, body: own }, { handOver: true });
      expect(moved).toEqual(expected);
      expect(own.byteLength).toBe(0);
      // Under 4 KB a Buffer sits in a pool shared with others: moving it would empty them too.
      const pooled = Buffer.from('<title>Студия</title>');
      expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
      await pool.parse({ ...input, body: pooled }, { handOver: true });
      expect(pooled.toString()).toBe('<title>Студия</title>');
      // Without handOver nothing moves.
      const kept = Buffer.concat([Buffer.from(html)]);
      await pool.parse({ ...input, body: kept });
      expect(kept.byteLength).toBe(Buffer.byteLength(html));
    } finally {
      await pool.close();
    }
  });
});
