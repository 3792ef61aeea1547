// JSON with comments and trailing commas: what `promowatch init` writes and the config loader reads.
import { describe, expect, it } from 'vitest';
import { note, off, plainValue, renderJsonc, stripJsonComments } from '../../src/config/jsonc.ts';

describe('stripJsonComments()', () => {
  it('drops // and /* */ comments and trailing commas, never inside strings', () => {
    const text = `{
  // the site
  "url": "https://studio.example/a//b", /* not "this" */
  "pattern": "a,]",
  "list": [1, 2,],
}`;
    expect(JSON.parse(stripJsonComments(text))).toEqual({
      url: 'https://studio.example/a//b',
      pattern: 'a,]',
      list: [1, 2],
    });
  });

  it('keeps lines and columns, so a JSON error points where it is in the file', () => {
    const text = '{\n  // note\n  "a": 1,\n  "b": ?\n}';
    const out = stripJsonComments(text);
    expect(out.length).toBe(text.length);
    expect(out.split('\n')[3]).toBe(text.split('\n')[3]);
  });
});

describe('renderJsonc()', () => {
  it('writes notes above entries and options that are off as comments, which still read back', () => {
    const tree = {
      port: note('Where it listens.', 8787),
      token: off('An API token.', { env: 'API_TOKEN' }),
    };
    const text = renderJsonc(tree);
    expect(text).toBe(
      '{\n  // Where it listens.\n  "port": 8787,\n  // An API token.\n  // "token": {"env": "API_TOKEN"}\n}'.replace(
        '{"env": "API_TOKEN"}',
        '{ "env": "API_TOKEN" }',
      ),
    );
    expect(JSON.parse(stripJsonComments(text))).toEqual(plainValue(tree));
    // Uncommenting the option gives a file that still loads.
    expect(JSON.parse(stripJsonComments(text.replace('// "token"', '"token"')))).toEqual({
      port: 8787,
      token: { env: 'API_TOKEN' },
    });
  });
});
