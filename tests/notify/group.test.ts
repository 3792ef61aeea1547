import { describe, expect, it } from 'vitest';
import { fitLines } from '../../src/notify/format.ts';
import { groupMessages } from '../../src/notify/index.ts';
import type { AlertMessage } from '../../src/notify/types.ts';

const lost = (site: string | null, n: number, extra: Partial<AlertMessage> = {}): AlertMessage => ({
  siteName: site,
  kind: 'lost-backlink',
  severity: 'warning',
  title: `Backlink lost on partner${n}.example`,
  lines: [`https://partner${n}.example/ no longer links to us`],
  url: `http://127.0.0.1:8787/sites/${site}/backlinks`,
  ...extra,
});

describe('groupMessages()', () => {
  it('merges messages of the same site and kind, keeping first-seen order and the highest severity', () => {
    const budget: AlertMessage = {
      siteName: 'studio',
      kind: 'budget',
      severity: 'info',
      title: 'Budget 80% spent',
      lines: [],
    };
    const grouped = groupMessages([
      lost('studio', 1),
      budget,
      lost('studio', 2, { severity: 'critical' }),
      lost('bakery', 3),
    ]);
    expect(grouped).toEqual([
      {
        siteName: 'studio',
        kind: 'lost-backlink',
        severity: 'critical',
        title: 'studio: 2 lost backlinks',
        lines: [
          'Backlink lost on partner1.example',
          '  https://partner1.example/ no longer links to us',
          'Backlink lost on partner2.example',
          '  https://partner2.example/ no longer links to us',
        ],
        url: 'http://127.0.0.1:8787/sites/studio/backlinks',
      },
      budget,
      lost('bakery', 3),
    ]);
  });

  it('caps a merged message at 50 lines and says how many more there were', () => {
    const grouped = groupMessages(
      Array.from({ length: 40 }, (_, i) => lost(null, i, { url: `http://x/${i}` })),
    );
    expect(grouped).toHaveLength(1);
    const [m] = grouped;
    expect(m!.title).toBe('40 lost backlinks');
    expect(m!.lines).toHaveLength(51);
    expect(m!.lines[49]).toBe('  https://partner24.example/ no longer links to us');
    expect(m!.lines[50]).toBe('…and 30 more');
    // The links differed, so none of them stands for the whole group.
    expect(m!.url).toBeUndefined();
  });

  it('keeps a message alone in its group unchanged', () => {
    const one = lost('studio', 1);
    expect(groupMessages([one])).toEqual([one]);
  });
});

describe('fitLines()', () => {
  it('keeps whole lines within the limit and counts the ones left out', () => {
    const lines = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'];
    expect(fitLines(lines, 100, (s) => s)).toBe(lines.join('\n'));
    const cut = fitLines(lines, 22, (s) => s);
    expect(cut).toBe('aaaa\nbbbb\n…and 3 more');
    expect(cut.length).toBeLessThanOrEqual(22);
  });

  it('measures lines after escaping', () => {
    const cut = fitLines(['&&', '&&', '&&'], 26, (s) => s.replace(/&/g, '&amp;'));
    expect(cut).toBe('&amp;&amp;\n…and 2 more');
  });
});
