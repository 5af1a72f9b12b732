import { describe, expect, it } from 'vitest';
import { splitHoldout } from '../../src/core/table/split';

describe('splitHoldout', () => {
  it('partitions the rows, with the requested share, reproducibly', () => {
    const a = splitHoldout(1000, 0.2, 7);
    expect(a.holdout.length).toBe(200);
    expect(a.train.length).toBe(800);
    const all = new Set([...a.train, ...a.holdout]);
    expect(all.size).toBe(1000);
    expect(Array.from(splitHoldout(1000, 0.2, 7).holdout)).toEqual(Array.from(a.holdout));
    expect(Array.from(splitHoldout(1000, 0.2, 8).holdout)).not.toEqual(Array.from(a.holdout));
  });
  it('rejects a fraction outside [0, 1)', () => {
    expect(() => splitHoldout(10, 1, 1)).toThrow(/Holdout fraction/);
  });
});
