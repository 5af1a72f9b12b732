import type { Rng } from '../../random/rng';
import { nIntervals, SKETCH_SEGMENTS, type NumericStates } from './discretize';

/**
 * Turning a numeric state back into a value: the atom itself, or a value inside the interval that
 * follows the within-bin quantile sketch (piecewise-linear inverse CDF), or uniform between the
 * edges when there is no sketch. A range [lo, hi] restricts the draw to range ∩ bin; rangeShare
 * gives the share of the state's mass inside the range, so that conditioning weights bins
 * correctly (a bin half inside the range counts half).
 */
const SEG = SKETCH_SEGMENTS;
const MIN_SHARE = 1e-9;

export function rangeShare(s: NumericStates, state: number, lo: number, hi: number): number {
  const a = s.atoms.length;
  if (state < a) return s.atoms[state] >= lo && s.atoms[state] <= hi ? 1 : 0;
  const j = state - a;
  if (j >= nIntervals(s)) return 0; // missing never satisfies a range
  if (s.sketch) {
    const sk = s.sketch, o = j * (SEG + 1);
    if (hi < sk[o] || lo > sk[o + SEG]) return 0;
    if (sk[o + SEG] === sk[o]) return 1; // the whole bin is one value, inside the range
    // A point range inside the support gets a tiny share, not zero: it is still reachable.
    return Math.max(MIN_SHARE, (positionAtOrBelow(sk, o, hi) - positionAtOrAbove(sk, o, lo)) / SEG);
  }
  const e0 = s.edges[j], e1 = s.edges[j + 1];
  if (hi < e0 || lo > e1) return 0;
  if (e1 === e0) return 1;
  return Math.max(MIN_SHARE, (Math.min(hi, e1) - Math.max(lo, e0)) / (e1 - e0));
}

/** A value for `state` (not missing), within [lo, hi] when given. */
export function drawNumeric(s: NumericStates, state: number, rng: Rng, lo = -Infinity, hi = Infinity): number {
  const a = s.atoms.length;
  if (state < a) return s.atoms[state];
  const j = state - a;
  if (j >= nIntervals(s)) return NaN;
  if (s.sketch) {
    const sk = s.sketch, o = j * (SEG + 1);
    const p0 = lo === -Infinity ? 0 : positionAtOrAbove(sk, o, lo);
    const p1 = hi === Infinity ? SEG : positionAtOrBelow(sk, o, hi);
    const pos = p1 > p0 ? p0 + (p1 - p0) * rng.next() : p0;
    return clamp(interpolate(sk, o, pos), lo, hi);
  }
  const e0 = Math.max(s.edges[j], lo), e1 = Math.min(s.edges[j + 1], hi);
  return e1 > e0 ? e0 + (e1 - e0) * rng.next() : clamp(e0, lo, hi);
}

function interpolate(sk: Float64Array, o: number, pos: number): number {
  const i = Math.min(SEG - 1, Math.floor(pos));
  const f = pos - i;
  return sk[o + i] + f * (sk[o + i + 1] - sk[o + i]);
}

/** Smallest sketch position whose value is >= v (0 below the bin, SEG above it). */
function positionAtOrAbove(sk: Float64Array, o: number, v: number): number {
  if (v <= sk[o]) return 0;
  for (let i = 1; i <= SEG; i++) {
    if (sk[o + i] >= v) return i - 1 + (v - sk[o + i - 1]) / (sk[o + i] - sk[o + i - 1]);
  }
  return SEG;
}

/** Largest sketch position whose value is <= v (0 below the bin, SEG above it). */
function positionAtOrBelow(sk: Float64Array, o: number, v: number): number {
  if (v >= sk[o + SEG]) return SEG;
  for (let i = SEG - 1; i >= 0; i--) {
    if (sk[o + i] <= v) return i + (v - sk[o + i]) / (sk[o + i + 1] - sk[o + i]);
  }
  return 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
