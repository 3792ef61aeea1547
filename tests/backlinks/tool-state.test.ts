import { describe, expect, it } from 'vitest';
import {
  describeToolState,
  firstCheckGroups,
  mergeToolStates,
  readToolState,
  type ToolState,
} from '../../src/backlinks/tool-state.ts';
import { formatter, messages } from '../../src/i18n/index.ts';

const state = (o: Partial<ToolState> = {}): ToolState => ({
  tool: 'ahrefs',
  nofollow: false,
  sponsored: false,
  ugc: false,
  lost: false,
  lostOn: null,
  lostReason: null,
  firstSeen: '2026-01-18',
  lastSeen: '2026-05-21',
  ...o,
});

describe('describeToolState()', () => {
  it("says what the tool saw last, with its date, in the tool's name", () => {
    expect(describeToolState(state({ lost: true, lostOn: '2025-11-03', lostReason: 'Link removed' }))).toBe(
      'Ahrefs: lost 2025-11-03 (Link removed)',
    );
    expect(describeToolState(state({ tool: 'semrush', lost: true, lastSeen: '2026-03-02' }))).toBe(
      'Semrush: lost (last seen 2026-03-02)',
    );
    expect(
      describeToolState(state({ tool: 'semrush', nofollow: true, ugc: true, lastSeen: '2026-05-19' })),
    ).toBe('Semrush: nofollow, ugc (seen 2026-05-19)');
    expect(describeToolState(state())).toBe('Ahrefs: followed (seen 2026-05-21)');
    expect(describeToolState(state({ nofollow: null, sponsored: null, ugc: null, lastSeen: null }))).toBe(
      'Ahrefs: listed',
    );
  });

  it("says it in Russian with Russian dates, keeping the tool's own reason as the tool wrote it", () => {
    const ru = messages('ru').backlinks.tools;
    const day = formatter('ru').day;
    const say = (s: ToolState) => describeToolState(s, ru, day).replace(/\u00a0/g, ' ');
    expect(say(state({ lost: true, lostOn: '2025-11-03', lostReason: 'Link removed' }))).toBe(
      'Ahrefs: потеряна 3 нояб. 2025 г. (Link removed)',
    );
    expect(say(state({ tool: 'semrush', lost: true, lastSeen: '2026-03-02' }))).toBe(
      'Semrush: потеряна (последний раз замечена 2 мар. 2026 г.)',
    );
    expect(say(state({ tool: 'semrush', nofollow: true, ugc: true, lastSeen: '2026-05-19' }))).toBe(
      'Semrush: nofollow, ugc (замечена 19 мая 2026 г.)',
    );
    expect(say(state())).toBe('Ahrefs: dofollow (замечена 21 мая 2026 г.)');
    expect(say(state({ nofollow: null, sponsored: null, ugc: null, lastSeen: null }))).toBe(
      'Ahrefs: есть в выгрузке',
    );
  });
});

describe('mergeToolStates()', () => {
  it('keeps the instance that counts most and the widest seen dates', () => {
    const clean = state({ firstSeen: '2026-02-01', lastSeen: '2026-04-01' });
    const nofollow = state({ nofollow: true, firstSeen: '2026-01-01', lastSeen: '2026-05-01' });
    expect(mergeToolStates(nofollow, clean)).toEqual(
      state({ firstSeen: '2026-01-01', lastSeen: '2026-05-01' }),
    );
    // A nofollow link still there beats a followed one that is gone.
    const lostFollowed = state({ lost: true, lostOn: '2026-03-01', lostReason: 'Link removed' });
    expect(mergeToolStates(lostFollowed, nofollow)).toMatchObject({ lost: false, nofollow: true });
    const lostLater = state({ lost: true, lostOn: '2026-04-01', lostReason: 'Not found' });
    expect(mergeToolStates(lostFollowed, lostLater)).toMatchObject({
      lostOn: '2026-04-01',
      lostReason: 'Not found',
    });
  });
});

describe('readToolState()', () => {
  it('reads flags in any case and the lost date in UTC', () => {
    const row: Record<string, string> = {
      nofollow: 'TRUE',
      ugc: 'False',
      sponsored: '',
      'lost status': 'Link removed',
      lost: '2025-11-02T23:30:00-05:00',
    };
    expect(readToolState('ahrefs', (c) => row[c], 'line 9')).toEqual({
      state: {
        tool: 'ahrefs',
        nofollow: true,
        sponsored: null,
        ugc: false,
        lost: true,
        lostOn: '2025-11-03',
        lostReason: 'Link removed',
        firstSeen: null,
        lastSeen: null,
      },
    });
  });
});

describe('firstCheckGroups()', () => {
  it('puts never-checked links a tool reports lost first, then nofollow ones, then the rest', () => {
    const link = (id: number, lastCheckedAt: string | null = null) => ({ id, lastCheckedAt });
    const states = new Map([
      [2, [state({ tool: 'semrush', sponsored: true })]],
      [3, [state(), state({ tool: 'semrush', lost: true })]],
      [4, [state({ lost: true })]],
      [5, [state({ ugc: true })]],
    ]);
    const links = [link(1), link(2), link(3), link(4, '2026-05-20T06:00:00Z'), link(5)];
    expect(firstCheckGroups(links, states).map((g) => g.map((l) => l.id))).toEqual([[3], [2, 5], [1, 4]]);
  });
});
