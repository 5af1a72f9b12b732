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
 * column's donors taken as if independent (the first pool corrects it).
 */
export function conditionShare(columns: ColumnModel[], conditions: (PreparedCondition | undefined)[], conditioned: number[]): number {
  let p = 1;
  for (const c of conditioned) {
    const m = columns[c], cond = conditions[c];
    if (!cond || m.donors.length === 0) continue;
    let k = 0;
    for (let l = 0; l < m.tree.nLeaves; l++) k += donorsMeeting(m, cond, m.leafStart[l], m.leafStart[l + 1]);
    p *= k / m.donors.length;
  }
  return p;
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
  for (let l = 0; l < share.length; l++) {
    const a = leafStart[l], b = leafStart[l + 1];
    if (b > a) share[l] = donorsMeeting(m, cond, a, b) / (b - a);
  }
  relativeToLargest(share);
  return share;
}

/** How many of the leaf's donors [a, b) meet the condition (a leaf's numeric donors are sorted). */
function donorsMeeting(m: ColumnModel, cond: PreparedCondition, a: number, b: number): number {
  if (m.type === 'numeric' && cond.type === 'range') return upperBound(m.donors, cond.max, a, b) - lowerBound(m.donors, cond.min, a, b);
  if (m.type === 'categorical' && cond.type === 'categorical') {
    let k = 0;
    for (let j = a; j < b; j++) k += cond.codes.includes(m.donors[j]) ? 1 : 0;
    return k;
  }
  return b - a;
}

function relativeToLargest(a: Float64Array): void {
  let max = 0;
  for (const x of a) if (x > max) max = x;
  if (max > 0) for (let i = 0; i < a.length; i++) a[i] /= max;
}
