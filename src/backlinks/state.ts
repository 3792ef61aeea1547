// A backlink's confirmed state from its checks. "Lost" needs N failing checks in a row, each at least
// H hours after the previous counted one; inconclusive checks (timeouts, 5xx, bot walls) never count
// toward it. Pure: the current state and one check in, the new state and its events out.
import type { Outcome } from './verdict.ts';

export type Status = 'unchecked' | 'live' | 'devalued' | 'lost' | 'inconclusive';

export interface LinkState {
  status: Status;
  failStreak: number;
  /** When the last counted failure was seen. */
  failSince: string | null;
}

export interface StateChange {
  from: Status;
  to: Status;
  reasons: string[];
}

export interface ConfirmRule {
  checks: number;
  hoursApart: number;
}

export const DEFAULT_CONFIRM: ConfirmRule = { checks: 2, hoursApart: 6 };

export function nextState(
  state: LinkState,
  check: { outcome: Outcome; reasons: string[]; at: Date },
  rule: ConfirmRule = DEFAULT_CONFIRM,
): { state: LinkState; change: StateChange | null } {
  const at = check.at.toISOString();
  const move = (to: Status, s: Partial<LinkState> = {}) => {
    const next = { ...state, ...s, status: to };
    return {
      state: next,
      change: to === state.status ? null : { from: state.status, to, reasons: check.reasons },
    };
  };
  switch (check.outcome) {
    case 'live':
    case 'devalued':
      return move(check.outcome, { failStreak: 0, failSince: null });
    case 'inconclusive':
      // Says nothing about the link: keep what we knew, and the failure count, as they are.
      return state.status === 'unchecked' ? move('inconclusive') : { state, change: null };
    case 'missing':
    case 'gone': {
      const last = state.failSince ? Date.parse(state.failSince) : null;
      const counts = last === null || check.at.getTime() - last >= rule.hoursApart * 3_600_000;
      const failStreak = counts ? state.failStreak + 1 : state.failStreak;
      const failSince = counts ? at : state.failSince;
      if (failStreak >= rule.checks) return move('lost', { failStreak, failSince });
      return { state: { ...state, failStreak, failSince }, change: null };
    }
  }
}
