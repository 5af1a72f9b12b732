import type { PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import { lowerBound, upperBound } from '../../stats/bisect';
import type { ColumnModel } from './columnModel';
import { routeRows, type PredictorView } from './tree';

/**
 * Conditions that respect the joint distribution in CART. A condition on a column visited after others
 * would otherwise only be forced at that column, leaving the earlier columns at their unconditional
 * distribution (conditioned on a high price, the rows would not get the large sizes that real
 * high-priced rows have). Instead a pool of rows is drawn, each weighted by the chance its leaf gave
 * the condition (likelihood weighting: the share of the leaf's donors meeting it, times the chance of a
 * value at all for a range), each row is kept with probability its weight (rejection: CartModel), and
 * the columns after the last conditioned one are drawn for the kept rows only.
 */

/**
 * The share of rows expected to be kept: the share of training rows meeting the conditions, each
 * column's donors taken as if independent (at least 0.1%; the first pool corrects it).
 */
export function conditionShare(columns: ColumnModel[], conditions: (PreparedCondition | undefined)[], conditioned: number[]): number {
  let p = 1;
  for (const c of conditioned) {
    const m = columns[c], cond = conditions[c];
    if (!cond || m.donors.length === 0) continue;
    let k = 0;
    if (m.type === 'numeric' && cond.type === 'range') {
      for (const d of m.donors) if (d >= cond.min && d <= cond.max) k++;
    } else if (m.type === 'categorical' && cond.type === 'categorical') {
      const ok = new Set(cond.codes);
      for (const d of m.donors) if (ok.has(d)) k++;
    } else k = m.donors.length;
    p *= k / m.donors.length;
  }
  return Math.max(p, 1e-3);
}

/**
 * Multiply each row's weight by the chance the column's leaf gives the condition, relative to the
 * largest chance any leaf gives it (a constant bound, so rejection stays exact and a condition every
 * leaf meets equally weighs nothing).
 */
export function weighByCondition(m: ColumnModel, n: number, views: (PredictorView | undefined)[], cond: PreparedCondition, weights: Float64Array): void {
  const share = leafShares(m, cond);
  const leaves = routeRows(m.tree, views, n);
  for (let i = 0; i < n; i++) weights[i] *= share[leaves[i]];
  if (m.type === 'numeric' && cond.type === 'range' && m.missTree && m.missShare) {
    const present = Float64Array.from(m.missShare, (s) => 1 - s);
    relativeToLargest(present);
    const miss = routeRows(m.missTree, views, n);
    for (let i = 0; i < n; i++) weights[i] *= present[miss[i]];
  }
}

/** Per leaf, the share of its donors meeting the condition, relative to the largest. */
function leafShares(m: ColumnModel, cond: PreparedCondition): Float64Array {
  const { leafStart } = m;
  const share = new Float64Array(m.tree.nLeaves);
  const ok = cond.type === 'categorical' ? new Set(cond.codes) : null;
  for (let l = 0; l < share.length; l++) {
    const a = leafStart[l], b = leafStart[l + 1];
    if (b <= a) continue;
    let k = 0;
    if (m.type === 'numeric' && cond.type === 'range') k = upperBound(m.donors, cond.max, a, b) - lowerBound(m.donors, cond.min, a, b);
    else if (m.type === 'categorical' && ok) for (let j = a; j < b; j++) k += ok.has(m.donors[j]) ? 1 : 0;
    else k = b - a;
    share[l] = k / (b - a);
  }
  relativeToLargest(share);
  return share;
}

function relativeToLargest(a: Float64Array): void {
  let max = 0;
  for (const x of a) if (x > max) max = x;
  if (max > 0) for (let i = 0; i < a.length; i++) a[i] /= max;
}

export function takeRows<T extends Float64Array | Int32Array | Uint16Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
  return out;
}

/** The parts' rows one after another (n in all). */
export function concatRows<T extends Float64Array | Int32Array>(parts: T[], n: number): T {
  if (parts.length === 1) return parts[0];
  const out = new (parts[0].constructor as new (n: number) => T)(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
