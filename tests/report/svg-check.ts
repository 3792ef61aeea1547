// Checks shared by the chart tests: an SVG is well-formed XML, read with cheerio, and a path's pen runs.
import * as cheerio from 'cheerio';
import { Parser } from 'htmlparser2';
import { expect } from 'vitest';

/** Well-formed XML: every tag closed in order, no raw `<` or stray `&` in text or attribute values. */
export function expectWellFormed(svg: string) {
  const stack: { name: string; selfClosing: boolean }[] = [];
  const problems: string[] = [];
  const parser: Parser = new Parser(
    {
      onopentag: (name) =>
        stack.push({ name, selfClosing: svg.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>') }),
      // The parser closes unclosed tags itself ("implied"); in XML only `<x/>` may close that way.
      onclosetag: (name, implied) => {
        const open = stack.pop();
        if (open?.name !== name || implied !== open.selfClosing)
          problems.push(`</${name}> closes <${open?.name}>`);
      },
      ontext: (t) => {
        if (/[<>]/.test(t)) problems.push(`raw bracket in text ${JSON.stringify(t)}`);
      },
      onattribute: (name, value, quote) => {
        if (quote !== '"') problems.push(`attribute ${name} is not double-quoted`);
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.write(svg);
  parser.end();
  expect(problems).toEqual([]);
  expect(stack).toEqual([]);
  expect(svg.match(/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/g)).toBeNull();
}

export function parse(svg: string) {
  return cheerio.load(svg, { xml: true });
}

/** The points of a path's `d`, split into the runs drawn without lifting the pen. */
export function runs(d: string): { x: number; y: number }[][] {
  return d
    .trim()
    .split(/(?=M)/)
    .map((run) =>
      [...run.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) })),
    );
}
