import type { PreparedColumn, PreparedNumeric } from '../engine';
import { quantileSorted, sortedPresent } from '../../stats/quantiles';
import type { Rng } from '../../random/rng';
import * as detMath from '../../math/detMath';
import { runs } from '../../stats/runs';

/**
 * A prepared column seen as a finite set of states, the alphabet of the Bayesian network.
 *
 * Numeric (and datetime) states, in this order:
 *   - atoms: exact values (every value when a column has few distinct values; otherwise values so
 *     frequent that a quantile bin would smear them, e.g. the zeros of a zero-inflated column);
 *   - intervals [edges[j], edges[j+1]) (the last one closed), drawn back as a value inside the bin;
 *   - missing, when the training column has missing values.
 * Categorical states are the level codes, then missing.
 */
export interface NumericStates {
  type: 'numeric';
  atoms: Float64Array;
  edges: Float64Array; // nIntervals + 1 boundaries (empty when there are no intervals)
  /**
   * Within-interval quantiles (nIntervals x (SKETCH_SEGMENTS + 1)) to draw values that follow the
   * real shape inside a bin; null draws uniformly between the edges (differential privacy mode,
   * where an empirical sketch would reveal individual values).
   */
  sketch: Float64Array | null;
  hasMissing: boolean;
  nStates: number;
  /**
   * What the column's children see of it, when that is coarser than its own states: the group of
   * each state (parentGroups), so that a column kept value by value under privacy (a year, an age:
   * dozens of atoms) still fits a parent's place in a useful table. Undefined: the states themselves.
   */
  groups?: Int32Array;
}

export interface CategoricalStates {
  type: 'categorical';
  nLevels: number;
  hasMissing: boolean;
  nStates: number;
}

export type ColumnStates = NumericStates | CategoricalStates;

export const SKETCH_SEGMENTS = 8;

export function nIntervals(s: NumericStates): number {
  return s.edges.length === 0 ? 0 : s.edges.length - 1;
}

export function missingState(s: ColumnStates): number {
  return s.hasMissing ? s.nStates - 1 : -1;
}

/** The group of each state its children see the column in (parentGroups), or null: the states themselves. */
export function groupsOf(s: ColumnStates): Int32Array | null {
  return s.type === 'numeric' && s.groups ? s.groups : null;
}

/** How many states the column's children see (its groups, or its own states). */
export function parentStateCount(s: ColumnStates): number {
  const g = groupsOf(s);
  if (!g) return s.nStates;
  let max = -1;
  for (const x of g) max = Math.max(max, x);
  return max + 1;
}

/** The states the column's children see, row by row. */
export function parentView(s: ColumnStates, states: Int32Array): Int32Array {
  const g = groupsOf(s);
  return g ? states.map((x) => g[x]) : states;
}

/**
 * Under privacy, a column kept value by value (atoms from its public domain) with more values than
 * `groups` is seen by its children in at most `groups` groups of neighbouring values (equal widths of
 * its range; empty ones dropped), missing in a group of its own. Its own table stays value by value:
 * PrivBayes' useful domain then decides whether it can take parents, while as a parent it costs a
 * binned column's cells. The domain alone decides the groups: no budget is spent. slid at ε = 1 (public
 * domain, 6 seeds): wages could then depend on age, 2-way .879 → .887 (ceiling .932).
 */
export function parentGroups(s: ColumnStates, groups: number): ColumnStates {
  if (s.type !== 'numeric' || s.edges.length > 0 || s.atoms.length <= groups) return s;
  const a = s.atoms, lo = a[0], hi = a[a.length - 1];
  const raw = Array.from(a, (v) => Math.min(groups - 1, Math.floor(((v - lo) / (hi - lo)) * groups)));
  const out = new Int32Array(s.nStates);
  let next = -1, prev = -1;
  raw.forEach((g, i) => {
    if (g !== prev) (next++, (prev = g));
    out[i] = next;
  });
  if (s.hasMissing) out[s.nStates - 1] = next + 1;
  return { ...s, groups: out };
}

/** How numeric columns are cut. */
export interface BinningPlan {
  bins: number;
  /** Equal-width bins and no empirical sketch or atoms-by-frequency: what differential privacy allows. */
  private: boolean;
  /**
   * Under privacy, the column's values, range and whether it has missing values are public (declared,
   * or the engine used alone on a prepared table): they may be read; the counts may not.
   */
  publicDomain?: boolean;
  /**
   * Under privacy, the most values a discrete numeric column may keep as states of their own (beyond
   * `bins`): as many as keep the expected count per value above the noise. Default `bins`.
   */
  maxAtoms?: number;
}

export function describeColumn(col: PreparedColumn, plan: BinningPlan): ColumnStates {
  if (col.type === 'categorical') {
    // Under privacy whether a column has missing values is not read: the state is always there,
    // and its noisy count decides how often it is drawn.
    let hasMissing = plan.private && !plan.publicDomain;
    if (!hasMissing) for (let i = 0; i < col.codes.length; i++) if (col.codes[i] < 0) { hasMissing = true; break; }
    const nLevels = Math.max(col.nLevels, 0);
    return { type: 'categorical', nLevels, hasMissing, nStates: nLevels + (hasMissing ? 1 : 0) };
  }
  return describeNumeric(col, plan);
}

function describeNumeric(col: PreparedNumeric, plan: BinningPlan): NumericStates {
  const bins = Math.max(2, Math.floor(plan.bins));
  if (plan.private) {
    // Nothing of the rows is read here: the domain (discrete values) or the range [min, max] comes
    // with the column, public or chosen privately by the pipeline, and a missing state is always kept.
    let hasMissing = true;
    let domain = col.domain;
    if (plan.publicDomain) {
      const present = sortedPresent(col.values);
      hasMissing = present.length < col.values.length;
      if (!domain) {
        const distinct = runs(present).values;
        if (distinct.length <= Math.max(bins, plan.maxAtoms ?? 0)) domain = distinct;
      }
    }
    const make = (atoms: Float64Array, edges: Float64Array): NumericStates => ({
      type: 'numeric', atoms, edges, sketch: null, hasMissing,
      nStates: atoms.length + (edges.length === 0 ? 0 : edges.length - 1) + (hasMissing ? 1 : 0),
    });
    // A domain with more values than the budget supports states for is binned like a range (the
    // pipeline moves drawn values back onto the domain).
    if (domain && domain.length > 0 && domain.length <= Math.max(bins, plan.maxAtoms ?? 0)) return make(domain, new Float64Array(0));
    const lo = col.min, hi = col.max;
    if (!(hi > lo)) return make(Float64Array.of(Number.isFinite(lo) ? lo : 0), new Float64Array(0));
    // Equal-width bins over [min, max]; the counts per bin are what the noisy marginals protect.
    const edges = new Float64Array(bins + 1);
    for (let j = 0; j <= bins; j++) edges[j] = lo + ((hi - lo) * j) / bins;
    edges[bins] = hi;
    return make(new Float64Array(0), edges);
  }
  const present = sortedPresent(col.values);
  const hasMissing = present.length < col.values.length;
  const make = (atoms: Float64Array, edges: Float64Array, sketch: Float64Array | null): NumericStates => ({
    type: 'numeric', atoms, edges, sketch, hasMissing,
    nStates: atoms.length + (edges.length === 0 ? 0 : edges.length - 1) + (hasMissing ? 1 : 0),
  });
  if (present.length === 0) return make(new Float64Array(0), new Float64Array(0), null);

  const { values: distinct, counts } = runs(present);
  // Few distinct values (years, months, small counts, a single value): keep them exact.
  if (distinct.length <= bins) return make(distinct, new Float64Array(0), null);

  // Atoms: values holding at least one bin's share of the rows (at most half the bins).
  const atomShare = present.length / bins;
  const atomIdx: number[] = [];
  for (let i = 0; i < distinct.length; i++) if (counts[i] >= atomShare) atomIdx.push(i);
  atomIdx.sort((a, b) => counts[b] - counts[a]);
  atomIdx.length = Math.min(atomIdx.length, Math.floor(bins / 2));
  atomIdx.sort((a, b) => a - b);
  const atoms = Float64Array.from(atomIdx, (i) => distinct[i]);
  const rest = atoms.length === 0 ? present : present.filter((v) => !isAtom(atoms, v));

  // distinct > bins and atoms <= bins / 2 leave at least two distinct values to bin.
  const nInt = Math.min(bins - atoms.length, runs(rest).values.length);
  const edgeList: number[] = [rest[0]];
  for (let j = 1; j < nInt; j++) {
    const e = rest[Math.floor((rest.length * j) / nInt)];
    if (e > edgeList[edgeList.length - 1]) edgeList.push(e);
  }
  const top = rest[rest.length - 1];
  // When the top value is itself an edge, the last bin is [top, top]: still a real, non-empty bin.
  edgeList.push(top);
  const edges = Float64Array.from(edgeList);
  return make(atoms, edges, buildSketch(rest, edges));
}

/** Within-interval quantiles of the (sorted) values falling in each interval. */
function buildSketch(sortedRest: Float64Array, edges: Float64Array): Float64Array {
  const k = edges.length - 1;
  const sketch = new Float64Array(k * (SKETCH_SEGMENTS + 1));
  let start = 0;
  for (let j = 0; j < k; j++) {
    let end = start;
    const last = j === k - 1;
    while (end < sortedRest.length && (last || sortedRest[end] < edges[j + 1])) end++;
    const inBin = sortedRest.subarray(start, end);
    for (let s = 0; s <= SKETCH_SEGMENTS; s++) {
      // An empty bin sketches as its lower edge.
      sketch[j * (SKETCH_SEGMENTS + 1) + s] = inBin.length === 0 ? edges[j] : quantileSorted(inBin, s / SKETCH_SEGMENTS);
    }
    start = end;
  }
  return sketch;
}


/** Index of v among the sorted atoms, or -1. */
export function atomIndex(atoms: Float64Array, v: number): number {
  let lo = 0, hi = atoms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (atoms[mid] < v) lo = mid + 1;
    else if (atoms[mid] > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function isAtom(atoms: Float64Array, v: number): boolean {
  return atomIndex(atoms, v) >= 0;
}

/** State of every row of a column (the network works on these codes only). */
export function encodeColumn(col: PreparedColumn, s: ColumnStates): Int32Array {
  const out = new Int32Array(col.type === 'numeric' ? col.values.length : col.codes.length);
  const miss = missingState(s);
  if (col.type === 'categorical') {
    for (let i = 0; i < out.length; i++) out[i] = col.codes[i] < 0 ? miss : col.codes[i];
    return out;
  }
  if (s.type !== 'numeric') throw new Error('Column states do not match the column type');
  for (let i = 0; i < out.length; i++) out[i] = numericState(s, col.values[i]);
  return out;
}

/** State of one numeric value (values outside the training range fall in the end bins). */
export function numericState(s: NumericStates, v: number): number {
  if (Number.isNaN(v)) return missingState(s);
  const a = atomIndex(s.atoms, v);
  if (a >= 0) return a;
  const k = nIntervals(s);
  if (k === 0) return nearestAtom(s.atoms, v);
  // Largest j with edges[j] <= v, clamped to the intervals.
  let lo = 0, hi = k - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.edges[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return s.atoms.length + lo;
}

function nearestAtom(atoms: Float64Array, v: number): number {
  let best = 0;
  for (let i = 1; i < atoms.length; i++) if (Math.abs(atoms[i] - v) < Math.abs(atoms[best] - v)) best = i;
  return best;
}

/** Fine cells of the private bin edges' histogram. */
export const EDGE_GRID = 128;

/**
 * Bin edges for a continuous column under privacy: a noisy histogram (Laplace, `scale`) over EDGE_GRID
 * fine cells of the public range [lo, hi], then `bins` intervals of equal noisy mass, so that bins
 * follow the shape of the data (a skewed income gets narrow bins where people are) rather than equal
 * widths. The fine cells are equal-width in log(1 + (x − lo) / (range / 1000)), which the range alone
 * decides: fine near the bottom, where skewed columns keep their mass, and still about 3% of the range
 * in the middle. Missing values are not counted. Returns strictly increasing edges from lo to hi.
 */
export function privateEdges(values: Float64Array, lo: number, hi: number, bins: number, scale: number, rng: Rng): { edges: Float64Array; sketch: Float64Array | null } {
  if (!(hi > lo) || bins < 2) return { edges: Float64Array.of(lo, hi), sketch: null };
  const unit = (hi - lo) / 1000;
  const tMax = detMath.log(1 + (hi - lo) / unit);
  const at = (k: number) => (k >= EDGE_GRID ? hi : lo + unit * (detMath.exp((tMax * k) / EDGE_GRID) - 1));
  const grid = new Float64Array(EDGE_GRID + 1);
  for (let k = 0; k <= EDGE_GRID; k++) grid[k] = at(k);
  const counts = new Float64Array(EDGE_GRID);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) continue;
    let a = 0, b = EDGE_GRID - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (grid[mid] <= x) a = mid;
      else b = mid - 1;
    }
    counts[a]++;
  }
  let total = 0;
  for (let k = 0; k < EDGE_GRID; k++) {
    counts[k] = Math.max(0, counts[k] + rng.laplace(scale));
    total += counts[k];
  }
  if (!(total > 0)) return { edges: equalWidth(lo, hi, bins), sketch: null };
  const edges: number[] = [lo];
  let cum = 0, k = 0;
  for (let j = 1; j < bins; j++) {
    const target = (total * j) / bins;
    while (k < EDGE_GRID && cum + counts[k] < target) cum += counts[k++];
    if (k >= EDGE_GRID) break;
    const f = counts[k] > 0 ? (target - cum) / counts[k] : 0;
    const e = grid[k] + f * (grid[k + 1] - grid[k]);
    if (e > edges[edges.length - 1] && e < hi) edges.push(e);
  }
  edges.push(hi);
  const e = Float64Array.from(edges);
  return { edges: e, sketch: noisySketch(grid, counts, e) };
}

/**
 * The within-bin quantile sketch (as buildSketch's) of the noisy fine histogram, read as a piecewise-
 * uniform density: post-processing of what privateEdges already released, so it costs no budget, and
 * numbers inside a bin follow the data's shape at the grid's resolution instead of a flat draw.
 */
function noisySketch(grid: Float64Array, counts: Float64Array, edges: Float64Array): Float64Array {
  const k = edges.length - 1;
  const sketch = new Float64Array(k * (SKETCH_SEGMENTS + 1));
  // Noisy mass of fine cell c between a and b (a partial cell counts pro rata).
  const massIn = (c: number, a: number, b: number) => {
    const w = grid[c + 1] - grid[c];
    const lo = Math.max(a, grid[c]), hi = Math.min(b, grid[c + 1]);
    return hi > lo && w > 0 ? (counts[c] * (hi - lo)) / w : 0;
  };
  for (let j = 0; j < k; j++) {
    const a = edges[j], b = edges[j + 1], o = j * (SKETCH_SEGMENTS + 1);
    let c0 = 0;
    while (c0 < EDGE_GRID - 1 && grid[c0 + 1] <= a) c0++;
    let total = 0;
    for (let c = c0; c < EDGE_GRID && grid[c] < b; c++) total += massIn(c, a, b);
    sketch[o] = a;
    sketch[o + SKETCH_SEGMENTS] = b;
    if (!(total > 0)) {
      for (let s = 1; s < SKETCH_SEGMENTS; s++) sketch[o + s] = a + ((b - a) * s) / SKETCH_SEGMENTS;
      continue;
    }
    let c = c0, cum = 0;
    for (let s = 1; s < SKETCH_SEGMENTS; s++) {
      const target = (total * s) / SKETCH_SEGMENTS;
      while (c < EDGE_GRID - 1 && cum + massIn(c, a, b) < target) cum += massIn(c++, a, b);
      const m = massIn(c, a, b);
      const cl = Math.max(a, grid[c]), ch = Math.min(b, grid[c + 1]);
      const v = m > 0 ? cl + ((target - cum) / m) * (ch - cl) : cl;
      sketch[o + s] = Math.min(b, Math.max(sketch[o + s - 1], v));
    }
  }
  return sketch;
}

function equalWidth(lo: number, hi: number, bins: number): Float64Array {
  const e = new Float64Array(bins + 1);
  for (let j = 0; j <= bins; j++) e[j] = lo + ((hi - lo) * j) / bins;
  e[bins] = hi;
  return e;
}
