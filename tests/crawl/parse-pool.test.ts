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
});
