// Money as the ad platforms write it, read exactly into integer micros.
import { describe, expect, it } from 'vitest';
import { decimalToMicros } from '../../src/ads/types.ts';

describe('currencies', () => {
  it('reads decimal money exactly into micros', () => {
    expect(decimalToMicros('974.79')).toBe(974_790_000);
    expect(decimalToMicros('0.1')).toBe(100_000);
    expect(decimalToMicros('12')).toBe(12_000_000);
    expect(decimalToMicros('1,5')).toBeNull();
  });
});
