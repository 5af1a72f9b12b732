import type { PreparedColumn } from '../engine';
import { countDistinctSorted, quantileSorted, sortedPresent } from '../../stats/quantiles';
import { growTree, type GrowProblem, type WorkTick } from './growTree';
import { singleLeafTree, type PredictorView, type Tree } from './tree';

/**
 * What CART learns for one column: a tree over the columns visited before it, and per leaf the
 * training values that fell there (the donors synthetic rows draw from, as synthpop does).
 *
 * Numeric columns with missing values get two trees: a classification tree for "is missing" on all
 * rows (so the missing share depends on the predictors) and a regression tree for the value on the
 * observed rows. Categorical columns treat missing as one more class.
 */
export interface NumericColumnModel {
  type: 'numeric';
  col: number;
  /** Missingness tree and the missing share of each of its leaves (absent: column never missing). */
  missTree?: Tree;
  missShare?: Float64Array;
  tree: Tree;
  /** Leaf l's donors are donors[leafStart[l] .. leafStart[l+1]), sorted ascending. */
  leafStart: Int32Array;
  donors: Float64Array;
  /** Whether donors are smoothed (see kernel.ts). */
  smooth: boolean;
  min: number;
  max: number;
  /** Values too frequent to smooth (e.g. a spike of zeros): drawn as they are. */
  spikes: number[];
  /** 257-point quantile grid of the observed values, for conditioned draws a leaf cannot serve. */
  quantiles: Float64Array;
}

export interface CategoricalColumnModel {
  type: 'categorical';
  col: number;
  nLevels: number;
  tree: Tree;
  leafStart: Int32Array;
  /** Codes (-1 = missing), sorted within each leaf. */
  donors: Int32Array;
  /** Training count per level, for the conditioned fallback. */
  marginal: Float64Array;
}

export type ColumnModel = NumericColumnModel | CategoricalColumnModel;

export interface TreeSettings {
  minLeaf: number;
  cp: number;
  maxDepth: number;
  smoothing: boolean;
}

export interface FitColumnInput {
  col: number;
  column: PreparedColumn;
  nRows: number;
  predictors: number[];
  views: (PredictorView | undefined)[];
  nBins: number[];
  settings: TreeSettings;
}

/** Distinct values below which a numeric column is not smoothed (it behaves like a category). */
const MIN_DISTINCT_TO_SMOOTH = 20;
/** A value holding at least this share of the observed values is a spike: never smoothed. */
const SPIKE_SHARE = 0.05;
const QUANTILE_POINTS = 257;

export async function fitColumn(input: FitColumnInput, tick: WorkTick): Promise<ColumnModel> {
  return input.column.type === 'numeric' ? fitNumeric(input, input.column.values, tick) : fitCategorical(input, input.column.codes, input.column.nLevels, tick);
}

async function fitCategorical(input: FitColumnInput, codes: Int32Array, nLevels: number, tick: WorkTick): Promise<CategoricalColumnModel> {
  const n = input.nRows;
  let hasMissing = false;
  const marginal = new Float64Array(nLevels);
  const cls = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c < 0) {
      hasMissing = true;
      cls[i] = nLevels;
    } else {
      cls[i] = c;
      marginal[c]++;
    }
  }
  const rows = allRows(n);
  const grown = await grow(input, rows, { kind: 'classification', cls, nClasses: nLevels + (hasMissing ? 1 : 0) }, tick);
  const donors = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) donors[i] = codes[rows[i]];
  sortWithinLeaves(donors, grown.leafStart);
  return { type: 'categorical', col: input.col, nLevels, tree: grown.tree, leafStart: grown.leafStart, donors, marginal };
}

async function fitNumeric(input: FitColumnInput, values: Float64Array, tick: WorkTick): Promise<NumericColumnModel> {
  const n = input.nRows;
  const sorted = sortedPresent(values);
  const nObserved = sorted.length;
  let missTree: Tree | undefined;
  let missShare: Float64Array | undefined;
  if (nObserved < n) {
    const isMissing = new Int32Array(n);
    for (let i = 0; i < n; i++) isMissing[i] = Number.isNaN(values[i]) ? 1 : 0;
    const rows = allRows(n);
    const g = await grow(input, rows, { kind: 'classification', cls: isMissing, nClasses: 2 }, tick);
    missTree = g.tree;
    missShare = new Float64Array(g.tree.nLeaves);
    for (let l = 0; l < g.tree.nLeaves; l++) {
      let m = 0;
      for (let i = g.leafStart[l]; i < g.leafStart[l + 1]; i++) m += isMissing[rows[i]];
      missShare[l] = m / (g.leafStart[l + 1] - g.leafStart[l]);
    }
  }
  const observedRows = new Int32Array(nObserved);
  for (let i = 0, k = 0; i < n; i++) if (!Number.isNaN(values[i])) observedRows[k++] = i;
  const grown =
    nObserved > 0
      ? await grow(input, observedRows, { kind: 'regression', y: values }, tick)
      : { tree: singleLeafTree(), leafStart: Int32Array.of(0, 0) };
  const donors = new Float64Array(nObserved);
  for (let i = 0; i < nObserved; i++) donors[i] = values[observedRows[i]];
  sortWithinLeaves(donors, grown.leafStart);

  const spikes = findSpikes(sorted);
  const smooth = input.settings.smoothing && countDistinctSorted(sorted) >= MIN_DISTINCT_TO_SMOOTH;
  return {
    type: 'numeric',
    col: input.col,
    missTree,
    missShare,
    tree: grown.tree,
    leafStart: grown.leafStart,
    donors,
    smooth,
    min: nObserved ? sorted[0] : NaN,
    max: nObserved ? sorted[nObserved - 1] : NaN,
    spikes,
    quantiles: quantileGrid(sorted),
  };
}

function grow(input: FitColumnInput, rows: Int32Array, target: GrowProblem['target'], tick: WorkTick) {
  const { predictors, views, nBins, settings } = input;
  return growTree({ predictors, views, nBins, rows, target, minLeaf: settings.minLeaf, cp: settings.cp, maxDepth: settings.maxDepth }, tick);
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function sortWithinLeaves(donors: Float64Array | Int32Array, leafStart: Int32Array): void {
  for (let l = 0; l + 1 < leafStart.length; l++) donors.subarray(leafStart[l], leafStart[l + 1]).sort();
}

function findSpikes(sorted: Float64Array): number[] {
  const spikes: number[] = [];
  const m = sorted.length;
  for (let i = 0; i < m; ) {
    let j = i;
    while (j < m && sorted[j] === sorted[i]) j++;
    if (j - i >= SPIKE_SHARE * m && j - i > 1) spikes.push(sorted[i]);
    i = j;
  }
  return spikes;
}

function quantileGrid(sorted: Float64Array): Float64Array {
  if (sorted.length === 0) return new Float64Array(0);
  const q = new Float64Array(QUANTILE_POINTS);
  for (let i = 0; i < QUANTILE_POINTS; i++) q[i] = quantileSorted(sorted, i / (QUANTILE_POINTS - 1));
  return q;
}
