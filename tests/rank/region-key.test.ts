// regionKey() and parseRegionKey(): where a keyword is searched, as one stable string and back.
import { describe, expect, it } from 'vitest';
import { parseRegionKey, regionKey } from '../../src/rank/region-key.ts';

describe('regionKey()', () => {
  it('writes Google and Bing regions as gl and hl, adding a location only when set', () => {
    expect(regionKey({ gl: 'RU', hl: 'ru' }, 'google')).toBe('gl=ru;hl=ru');
    expect(regionKey({ gl: 'us', hl: 'en', location: 'Austin,Texas,United States' }, 'bing')).toBe(
      'gl=us;hl=en;loc=Austin,Texas,United States',
    );
    expect(regionKey({ gl: 'ru', hl: 'ru', location: null, lr: null }, 'google')).toBe('gl=ru;hl=ru');
  });

  it('writes Yandex regions as lr alone', () => {
    expect(regionKey({ lr: 213, gl: 'ru', hl: 'ru' }, 'yandex')).toBe('lr=213');
  });

  it('throws when the region lacks what the engine needs', () => {
    expect(() => regionKey({ gl: 'ru' }, 'google')).toThrow(/needs gl and hl/);
    expect(() => regionKey({ gl: 'ru', hl: 'ru' }, 'yandex')).toThrow(/needs lr/);
  });

  it('escapes separators in a location so parseRegionKey() reads the key back', () => {
    const region = { gl: 'ru', hl: 'ru', location: 'a;b=c 100%' };
    const key = regionKey(region, 'google');
    expect(key).toBe('gl=ru;hl=ru;loc=a%3Bb%3Dc 100%25');
    expect(parseRegionKey(key)).toEqual(region);
    expect(parseRegionKey('lr=213')).toEqual({ lr: 213 });
    expect(parseRegionKey('lr=213;gl=ru')).toMatch(/lr stands alone/);
    expect(parseRegionKey('russia')).toMatch(/is not a region like/);
  });
});
