import type { Rng } from '../../random/rng';
import type { EngineColumns, PreparedCondition } from '../engine';
import { groupsOf, missingState, nIntervals, parentStateCount, type ColumnStates } from './discretize';
import { drawNumeric, rangeShare } from './numericDraw';
import { keepByRejection } from '../../random/resample';

/** A fitted network: column states, sampling order, parents and conditional tables. */
export interface NetworkParts {
  columns: ColumnStates[];
  order: number[];
  parents: number[][];
  /** Per column, probabilities table[config * nX + x]. */
  tables: Float64Array[];
}

/** The share of rows expected to meet the conditions before the first pool measures it. */
const FIRST_SHARE = 1 / 8;

/**
 * Ancestral sampling in network order.
 *
 * Conditions: each conditioned column only takes states compatible with its condition (a range
 * keeps the bins overlapping it, weighted by the share of the bin inside, and draws the value in
 * range ∩ bin), so every row meets every condition. Forcing a state alone would leave the columns
 * sampled before it at their unconditional distribution; instead each row is weighted by the
 * probability its parents gave to the allowed states (likelihood weighting), pools are drawn up to the
 * last conditioned column and each row kept with probability its weight (keepByRejection: exact, no row
 * kept twice), and the later columns are drawn for the kept rows only. The pipeline checks every row.
 */
export function sampleNetwork(
  net: NetworkParts,
  cumulative: Float64Array[],
  n: number,
  rng: Rng,
  conditions: readonly (PreparedCondition | undefined)[],
): EngineColumns {
  const d = net.columns.length;
  const masks = net.columns.map((c, i) => conditionMask(c, conditions[i], i));
  const weighted = net.order.some((i) => masks[i] !== null && net.parents[i].length > 0);
  const states: Int32Array[] = Array.from({ length: d }, () => new Int32Array(n));
  let from = 0;
  if (weighted) {
    // Pools are only needed up to the last conditioned column; the columns after it are drawn for the kept rows.
    let last = -1;
    net.order.forEach((i, k) => {
      if (masks[i] !== null) last = k;
    });
    const prefix = net.order.slice(0, last + 1);
    const inPrefix = new Set(prefix);
    const kept = keepByRejection(n, FIRST_SHARE, rng, (size) => {
      const pool = Array.from({ length: d }, (_, i) => new Int32Array(inPrefix.has(i) ? size : 0));
      const weights = new Float64Array(size).fill(1);
      drawStates(net, cumulative, masks, 0, last + 1, size, pool, weights, rng);
      return { weights, columns: prefix.map((i) => pool[i]) };
    });
    prefix.forEach((i, j) => (states[i] = kept[j] as Int32Array));
    from = last + 1;
  }
  drawStates(net, cumulative, masks, from, d, n, states, null, rng);
  return net.columns.map((c, i) => decodeColumn(c, states[i], null, n, rng, conditions[i]));
}

/** States of the columns net.order[from..to) for `rows` rows, weighing each row by its masks when weights are given. */
function drawStates(
  net: NetworkParts,
  cumulative: Float64Array[],
  masks: (Float64Array | null)[],
  from: number,
  to: number,
  rows: number,
  states: Int32Array[],
  weights: Float64Array | null,
  rng: Rng,
): void {
  for (let k = from; k < to; k++) {
    const i = net.order[k];
    const nX = net.columns[i].nStates;
    const par = net.parents[i];
    const parStates = par.map((p) => states[p]);
    // A parent seen in groups (discretize.ts parentGroups) indexes the table by its state's group.
    const parGroups = par.map((p) => groupsOf(net.columns[p]));
    const strides: number[] = [];
    let stride = nX;
    for (const p of par) {
      strides.push(stride);
      stride *= parentStateCount(net.columns[p]);
    }
    const out = states[i];
    const mask = masks[i];
    const table = net.tables[i];
    const cum = cumulative[i];
    // Weights relative to the largest any parent configuration gives the allowed states (a constant
    // bound, so rejection stays exact; a column without parents weighs nothing).
    const scale = weights && mask ? 1 / largestAllowed(table, mask, nX) : 1;
    for (let r = 0; r < rows; r++) {
      let base = 0;
      for (let j = 0; j < parStates.length; j++) {
        const g = parGroups[j], x = parStates[j][r];
        base += (g ? g[x] : x) * strides[j];
      }
      if (mask === null) {
        out[r] = drawCumulative(cum, base, nX, rng.next());
        continue;
      }
      let total = 0;
      for (let s = 0; s < nX; s++) total += table[base + s] * mask[s];
      if (total > 0) {
        out[r] = drawMasked(table, base, mask, nX, total * rng.next());
        if (weights) weights[r] *= total * scale;
      } else {
        // The parents rule the condition out: keep the row valid but give it no weight.
        let mTotal = 0;
        for (let s = 0; s < nX; s++) mTotal += mask[s];
        out[r] = drawMaskOnly(mask, nX, mTotal * rng.next());
        if (weights) weights[r] = 0;
      }
    }
  }
}

/** The largest probability any parent configuration gives the states a mask allows (1 when none does, so no weight divides by 0). */
function largestAllowed(table: Float64Array, mask: Float64Array, nX: number): number {
  let max = 0;
  for (let base = 0; base < table.length; base += nX) {
    let t = 0;
    for (let s = 0; s < nX; s++) t += table[base + s] * mask[s];
    if (t > max) max = t;
  }
  return max > 0 ? max : 1;
}

/** Cumulative tables for fast unconditioned draws. */
export function cumulativeTables(net: NetworkParts): Float64Array[] {
  return net.tables.map((t, i) => {
    const nX = net.columns[i].nStates;
    const cum = new Float64Array(t.length);
    for (let base = 0; base < t.length; base += nX) {
      let acc = 0;
      for (let s = 0; s < nX; s++) cum[base + s] = acc += t[base + s];
    }
    return cum;
  });
}

function drawCumulative(cum: Float64Array, base: number, nX: number, u: number): number {
  const target = u * cum[base + nX - 1];
  if (nX <= 16) {
    for (let s = 0; s < nX - 1; s++) if (target < cum[base + s]) return s;
    return nX - 1;
  }
  let lo = 0, hi = nX - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (target < cum[base + mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function drawMasked(table: Float64Array, base: number, mask: Float64Array, nX: number, target: number): number {
  let last = -1;
  for (let s = 0; s < nX; s++) {
    const w = table[base + s] * mask[s];
    if (w <= 0) continue;
    last = s;
    target -= w;
    if (target < 0) return s;
  }
  return last;
}

function drawMaskOnly(mask: Float64Array, nX: number, target: number): number {
  let last = -1;
  for (let s = 0; s < nX; s++) {
    if (mask[s] <= 0) continue;
    last = s;
    target -= mask[s];
    if (target < 0) return s;
  }
  return last;
}

/**
 * Per-state weights in [0, 1] allowed by a condition, or null when the column is free. A condition
 * no state can meet leaves the column free (the pipeline reports the impossible condition).
 */
function conditionMask(c: ColumnStates, cond: PreparedCondition | undefined, index: number): Float64Array | null {
  if (!cond) return null;
  const mask = new Float64Array(c.nStates);
  if (cond.type === 'categorical') {
    if (c.type !== 'categorical') throw new Error(`Column ${index} is numeric: it takes a range condition`);
    for (const code of cond.codes) if (code >= 0 && code < c.nLevels) mask[code] = 1;
  } else {
    if (c.type !== 'numeric') throw new Error(`Column ${index} is categorical: it takes a list of codes`);
    const real = c.atoms.length + nIntervals(c);
    for (let s = 0; s < real; s++) mask[s] = rangeShare(c, s, cond.min, cond.max);
  }
  return mask.some((w) => w > 0) ? mask : null;
}


function decodeColumn(
  c: ColumnStates,
  states: Int32Array,
  rows: Int32Array | null,
  n: number,
  rng: Rng,
  cond: PreparedCondition | undefined,
): Float64Array | Int32Array {
  const miss = missingState(c);
  if (c.type === 'categorical') {
    const out = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const s = states[rows ? rows[r] : r];
      out[r] = s === miss ? -1 : s;
    }
    return out;
  }
  const out = new Float64Array(n);
  const lo = cond?.type === 'range' ? cond.min : -Infinity;
  const hi = cond?.type === 'range' ? cond.max : Infinity;
  for (let r = 0; r < n; r++) {
    const s = states[rows ? rows[r] : r];
    out[r] = s === miss ? NaN : drawNumeric(c, s, rng, lo, hi);
  }
  return out;
}
