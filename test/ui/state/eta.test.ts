import { describe, expect, it } from 'vitest';
import { etaSeconds } from '../../../src/ui/state/eta';

describe('ETA on progress bars', () => {
  it('extrapolates the time left from the progress so far, and says nothing too early', () => {
    expect(etaSeconds(0.5, 10)).toBeCloseTo(10);
    expect(etaSeconds(0.25, 3)).toBeCloseTo(9);
    expect(etaSeconds(0.01, 10)).toBeUndefined(); // too early to tell
    expect(etaSeconds(0.5, 0.5)).toBeUndefined(); // under a second: no ETA
    expect(etaSeconds(1, 10)).toBeUndefined();
  });
});
