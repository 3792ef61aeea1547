// toPostgres() rewrites the portable SQL for PostgreSQL without touching literals, comments or quoted names.
import { describe, expect, it } from 'vitest';
import { pgValues, toPostgres } from '../../src/db/store/placeholders.ts';

describe('toPostgres()', () => {
  it('numbers ? placeholders in order', () => {
    expect(toPostgres('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
      positional: 3,
      names: [],
    });
  });

  it('gives each @name one $n, reused where the name repeats', () => {
    const stmt = toPostgres('UPDATE t SET a = @a, b = @b WHERE id = @id AND a <> @a');
    expect(stmt.text).toBe('UPDATE t SET a = $1, b = $2 WHERE id = $3 AND a <> $1');
    expect(pgValues(stmt, { id: 7, a: 'x', b: null })).toEqual(['x', null, 7]);
  });

  it('gives an IS NULL test its own text slot, so PostgreSQL can type it', () => {
    const stmt = toPostgres('SELECT 1 FROM r WHERE (@job IS NULL OR r.job = @job) AND (@site IS NOT NULL)');
    expect(toPostgres('SELECT 1 FROM r WHERE ? IS NULL OR r.job = ?').text).toBe(
      'SELECT 1 FROM r WHERE $1::text IS NULL OR r.job = $2',
    );
    expect(stmt.text).toBe(
      'SELECT 1 FROM r WHERE ($1::text IS NULL OR r.job = $2) AND ($3::text IS NOT NULL)',
    );
    expect(() => toPostgres('SELECT 1 FROM r WHERE @a = 1 AND ? = 2')).toThrow(/mixes \? and @name/);
    expect(pgValues(toPostgres('SELECT 1 WHERE @job IS NULL OR job = @job'), { job: 'crawl' })).toEqual([
      'crawl',
      'crawl',
    ]);
  });

  it('leaves ? and @ alone inside strings, quoted names and comments', () => {
    const sql = `SELECT 'who? it''s @me' AS "x?", a -- why? @x\nFROM t /* ? @y */ WHERE b = ?`;
    expect(toPostgres(sql).text).toBe(
      `SELECT 'who? it''s @me' AS "x?", a -- why? @x\nFROM t /* ? @y */ WHERE b = $1`,
    );
  });

  it('quotes mixed-case names (aliases) and leaves lower- and upper-case words as they are', () => {
    expect(
      toPostgres('SELECT created_at AS createdAt, COUNT(*) AS n FROM sites ORDER BY createdAt').text,
    ).toBe('SELECT created_at AS "createdAt", COUNT(*) AS n FROM sites ORDER BY "createdAt"');
  });
});

describe('pgValues()', () => {
  it('says what is missing or miscounted', () => {
    expect(() => pgValues(toPostgres('SELECT @a, @b'), { a: 1 })).toThrow('missing named parameter @b');
    expect(() => pgValues(toPostgres('SELECT ?, ?'), [1])).toThrow('takes 2 ? parameter(s), got 1');
    expect(() => pgValues(toPostgres('SELECT @a'), [1])).toThrow(/pass an object/);
    expect(pgValues(toPostgres('SELECT 1'), undefined)).toEqual([]);
  });
});
