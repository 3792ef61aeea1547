import { describe, expect, it } from 'vitest';
import { nextState, type LinkState } from '../../src/backlinks/state.ts';
import type { Outcome } from '../../src/backlinks/verdict.ts';

const h = (n: number) => new Date(Date.parse('2026-11-20T00:00:00Z') + n * 3_600_000);
function run(
  outcomes: [Outcome, number][],
  start: LinkState = { status: 'live', failStreak: 0, failSince: null },
) {
  let state = start;
  const changes: string[] = [];
  for (const [outcome, hour] of outcomes) {
    const r = nextState(state, { outcome, reasons: [outcome], at: h(hour) });
    state = r.state;
    if (r.change) changes.push(`${r.change.from}→${r.change.to}@${hour}`);
  }
  return { state, changes };
}

describe('nextState()', () => {
  it('confirms a loss only after two failing checks at least six hours apart', () => {
    expect(
      run([
        ['missing', 0],
        ['missing', 2],
        ['missing', 5],
      ]).state.status,
    ).toBe('live');
    expect(
      run([
        ['missing', 0],
        ['missing', 2],
        ['missing', 6],
      ]).changes,
    ).toEqual(['live→lost@6']);
  });

  it('never counts timeouts, 5xx or bot walls toward a loss', () => {
    expect(
      run([
        ['inconclusive', 0],
        ['inconclusive', 7],
        ['inconclusive', 14],
        ['inconclusive', 21],
      ]).changes,
    ).toEqual([]);
    expect(
      run([
        ['gone', 0],
        ['inconclusive', 7],
        ['gone', 14],
      ]).changes,
    ).toEqual(['live→lost@14']);
  });

  it('resets the count when the link is seen again', () => {
    expect(
      run([
        ['missing', 0],
        ['live', 7],
        ['missing', 14],
      ]).state,
    ).toMatchObject({ status: 'live', failStreak: 1 });
  });

  it('records recovery and devaluation as changes', () => {
    expect(
      run([
        ['gone', 0],
        ['gone', 6],
        ['devalued', 12],
        ['live', 18],
      ]).changes,
    ).toEqual(['live→lost@6', 'lost→devalued@12', 'devalued→live@18']);
  });

  it('marks a never-reached link inconclusive rather than live', () => {
    expect(
      run([['inconclusive', 0]], { status: 'unchecked', failStreak: 0, failSince: null }).changes,
    ).toEqual(['unchecked→inconclusive@0']);
  });

  it('honours a stricter rule from the config', () => {
    const rule = { checks: 3, hoursApart: 12 };
    let s: LinkState = { status: 'live', failStreak: 0, failSince: null };
    for (const hour of [0, 12, 20])
      s = nextState(s, { outcome: 'gone', reasons: [], at: h(hour) }, rule).state;
    expect(s).toMatchObject({ status: 'live', failStreak: 2 });
    expect(nextState(s, { outcome: 'gone', reasons: [], at: h(24) }, rule).state.status).toBe('lost');
  });
});
