import { describe, expect, it } from 'vitest';
import { chainStarts, followChain, type RedirectRow } from '../../src/audit/redirect-chains.ts';

/** Rows for "a>b c>d …": each pair is a URL and where it redirects, ids in the order given. */
function rows(spec: string): RedirectRow[] {
  return spec.split(' ').map((pair, i) => {
    const [url, location] = pair.split('>') as [string, string];
    return { id: i + 1, url: `/${url}`, location: `/${location}` };
  });
}
const next = (spec: string) => new Map(rows(spec).map((r) => [r.url, r.location]));
const starts = (spec: string, maxHops?: number) =>
  chainStarts(rows(spec), maxHops).map(({ row, end }) => `${row.url} ${end.outcome} ${end.hops} ${end.url}`);
/** /r0>/r1 … /r{n-1}>/r{n}: a chain of n hops ending at /r{n}. */
const chain = (n: number) => Array.from({ length: n }, (_, i) => `r${i}>r${i + 1}`).join(' ');

describe('followChain()', () => {
  it('follows a chain to the URL that answers without redirecting', () => {
    expect(followChain(next('a>b b>c c>final'), '/a')).toEqual({ outcome: 'final', hops: 3, url: '/final' });
  });

  it('calls exactly 10 hops a chain and 11 a chain longer than 10, naming where it stopped', () => {
    expect(followChain(next(chain(10)), '/r0')).toEqual({ outcome: 'final', hops: 10, url: '/r10' });
    expect(followChain(next(chain(11)), '/r0')).toEqual({ outcome: 'too-long', hops: 10, url: '/r10' });
  });

  it('calls a chain that comes back on itself a loop', () => {
    expect(followChain(next('a>b b>c c>b'), '/a')).toEqual({ outcome: 'loop', hops: 3, url: '/b' });
    expect(followChain(next('self>self'), '/self')).toEqual({ outcome: 'loop', hops: 1, url: '/self' });
  });
});

describe('chainStarts()', () => {
  it('reports a chain once, at its start, not again from each URL inside it', () => {
    expect(starts('a>b b>c c>final')).toEqual(['/a final 3 /final']);
  });

  it('reports an endless chain once, as too long, from where it starts', () => {
    expect(starts(chain(200))).toEqual(['/r0 too-long 10 /r10']);
  });

  it('reports each start of two chains that merge', () => {
    expect(starts('a>m b>m m>n n>final')).toEqual(['/a final 3 /final', '/b final 3 /final']);
  });

  it('reports a loop nobody enters once, on its first-crawled URL', () => {
    expect(starts('x>y y>z z>x')).toEqual(['/x loop 3 /x']);
    expect(starts('z>x x>y y>z')).toEqual(['/z loop 3 /z']);
  });

  it('reports a loop entered from a start on the start only', () => {
    expect(starts('in>x x>y y>x')).toEqual(['/in loop 3 /x']);
  });

  it('reports a loop beyond the hop cap of a long chain leading to it separately', () => {
    expect(starts(`${chain(3)} r3>r2`, 2)).toEqual(['/r0 too-long 2 /r2', '/r3 loop 2 /r3']);
  });
});
