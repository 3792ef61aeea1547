import { describe, expect, it } from 'vitest';
import { encodeCp1251 } from '../../src/demo/cp1251.ts';

describe('encodeCp1251()', () => {
  it('writes Cyrillic that a windows-1251 decoder reads back unchanged', () => {
    const text = 'О студии — «Кадр»: съёмка, монтаж, ёлка №1';
    const bytes = encodeCp1251(text);
    expect(bytes.length).toBe([...text].length);
    expect(new TextDecoder('windows-1251').decode(bytes)).toBe(text);
    expect(new TextDecoder('utf-8').decode(bytes)).not.toBe(text);
  });
});
