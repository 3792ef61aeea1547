import { describe, expect, it } from 'vitest';
import { fitLines } from '../../src/notify/format.ts';
import { alertText, groupMessages } from '../../src/notify/index.ts';
import type { AlertMessage } from '../../src/notify/types.ts';

const EN = { lang: 'en', timeZone: 'UTC' } as const;
const RU = { lang: 'ru', timeZone: 'UTC' } as const;

const lost = (site: string | null, n: number, extra: Partial<AlertMessage> = {}): AlertMessage => ({
  siteName: site,
  kind: 'lost-backlink',
  severity: 'warning',
  facts: {
    type: 'links',
    to: 'lost',
    links: [
      {
        donorUrl: `https://partner${n}.example/`,
        target: 'https://studio.example/',
        vendor: null,
        reasons: ['no longer on the page'],
      },
    ],
  },
  url: `http://127.0.0.1:8787/sites/${site}/backlinks`,
  ...extra,
});

const line = (n: number) => `https://partner${n}.example/ → https://studio.example/: no longer on the page`;

describe('groupMessages()', () => {
  it('merges messages of the same site and kind, keeping first-seen order and the highest severity', () => {
    const failure: AlertMessage = {
      siteName: 'studio',
      kind: 'job-failure',
      severity: 'info',
      facts: { type: 'job-failed', job: 'pull-ads', runId: 7, error: 'timeout' },
    };
    const grouped = groupMessages([
      lost('studio', 1),
      failure,
      lost('studio', 2, { severity: 'critical' }),
      lost('bakery', 3),
    ]);
    expect(grouped).toHaveLength(3);
    expect(grouped.slice(1)).toEqual([failure, lost('bakery', 3)]);
    expect(grouped[0]).toMatchObject({
      siteName: 'studio',
      kind: 'lost-backlink',
      severity: 'critical',
      url: 'http://127.0.0.1:8787/sites/studio/backlinks',
    });
    expect(alertText(grouped[0]!, EN)).toMatchObject({
      title: 'studio: 2 lost backlinks',
      lines: ['1 bought link confirmed lost', `  ${line(1)}`, '1 bought link confirmed lost', `  ${line(2)}`],
    });
  });

  it('caps a merged message at 50 lines and says how many more there were', () => {
    const grouped = groupMessages(
      Array.from({ length: 40 }, (_, i) => lost(null, i, { url: `http://x/${i}` })),
    );
    expect(grouped).toHaveLength(1);
    const m = alertText(grouped[0]!, EN);
    expect(m.title).toBe('40 lost backlinks');
    expect(m.lines).toHaveLength(51);
    expect(m.lines[49]).toBe(`  ${line(24)}`);
    expect(m.lines[50]).toBe('…and 30 more');
    // The links differed, so none of them stands for the whole group.
    expect(m.url).toBeUndefined();
  });

  it('counts a digest in Russian with the plural form each number takes', () => {
    const digest = (n: number) =>
      alertText(groupMessages(Array.from({ length: n }, (_, i) => lost('studio', i)))[0]!, RU);
    expect(digest(2).title).toBe('studio: 2 потерянные ссылки');
    expect(digest(5).title).toBe('studio: 5 потерянных ссылок');
    expect(digest(21).title).toBe('studio: 21 потерянная ссылка');
    const many = digest(40);
    expect(many.lines[0]).toBe('1 купленная ссылка потеряна (подтверждено)');
    expect(many.lines[50]).toBe('…и ещё 30');
  });

  it('keeps a message alone in its group unchanged', () => {
    const one = lost('studio', 1);
    expect(groupMessages([one])).toEqual([one]);
  });
});

describe('fitLines()', () => {
  const more = (n: number) => `…and ${n} more`;

  it('keeps whole lines within the limit and counts the ones left out', () => {
    const lines = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'];
    expect(fitLines(lines, 100, (s) => s, more)).toBe(lines.join('\n'));
    const cut = fitLines(lines, 22, (s) => s, more);
    expect(cut).toBe('aaaa\nbbbb\n…and 3 more');
    expect(cut.length).toBeLessThanOrEqual(22);
  });

  it('measures lines after escaping', () => {
    const cut = fitLines(['&&', '&&', '&&'], 26, (s) => s.replace(/&/g, '&amp;'), more);
    expect(cut).toBe('&amp;&amp;\n…and 2 more');
  });
});
