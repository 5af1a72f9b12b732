import { describe, expect, it } from 'vitest';
import { lowerBound, upperBound } from '../../../src/core/stats/bisect';

describe('lowerBound / upperBound', () => {
  const a = Float64Array.of(1, 2, 2, 2, 5);

  it('find the first index >= x and > x', () => {
    expect(lowerBound(a, 2)).toBe(1);
    expect(upperBound(a, 2)).toBe(4);
    expect(lowerBound(a, 3)).toBe(4);
    expect(upperBound(a, 3)).toBe(4);
    expect(lowerBound(a, 0)).toBe(0);
    expect(upperBound(a, 9)).toBe(5);
  });

  it('search only [from, to)', () => {
    expect(lowerBound(a, 2, 2, 4)).toBe(2);
    expect(upperBound(a, 2, 0, 3)).toBe(3);
    expect(lowerBound(a, 9, 1, 3)).toBe(3);
    expect(upperBound(a, 0, 2, 2)).toBe(2);
  });
});
