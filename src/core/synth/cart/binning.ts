import type { PreparedColumn } from '../engine';
import { lowerBound } from '../../stats/bisect';
import { sortedPresent } from '../../stats/quantiles';

/**
 * How a column is seen when it acts as a tree predictor: a small integer bin per row, so that split
 * search runs over bin histograms instead of sorted values (histogram CART, as LightGBM does; for
 * synthesis a quantile resolution of 255 bins loses nothing visible).
 *
 * Numeric: up to `maxBins` quantile bins of the non-missing values (one bin per distinct value when
 * there are few), bin b holding the values in (cuts[b-1], cuts[b]]; the last bin is "missing".
 * Categorical: one bin per level code, the last bin is "missing".
 */
export interface PredictorBinning {
  ordered: boolean;
  /** Number of bins including the missing bin. */
  nBins: number;
  /** The missing bin = nBins - 1. */
  missingBin: number;
  /** Numeric only: upper edge of each value bin (length nBins - 1); empty for categoricals. */
  cuts: Float64Array;
}

export const DEFAULT_MAX_BINS = 255;
/** Bins are stored as Uint16: categorical levels beyond this share the last value bin. */
const MAX_CATEGORICAL_BINS = 65535;

export function makeBinning(col: PreparedColumn, maxBins = DEFAULT_MAX_BINS): PredictorBinning {
  if (col.type === 'categorical') {
    const valueBins = Math.min(col.nLevels, MAX_CATEGORICAL_BINS - 1);
    return { ordered: false, nBins: valueBins + 1, missingBin: valueBins, cuts: new Float64Array(0) };
  }
  const sorted = sortedPresent(col.values);
  const cuts = quantileCuts(sorted, maxBins);
  return { ordered: true, nBins: cuts.length + 1, missingBin: cuts.length, cuts };
}

/** Upper bin edges: every distinct value when there are at most maxBins, else quantiles (deduplicated). */
function quantileCuts(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  const distinct: number[] = [];
  for (let i = 0; i < m && distinct.length <= maxBins; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  }
  if (distinct.length <= maxBins) return Float64Array.from(distinct);
  const cuts: number[] = [];
  for (let b = 1; b <= maxBins; b++) {
    const v = sorted[Math.max(0, Math.ceil((b * m) / maxBins) - 1)];
    if (cuts.length === 0 || v > cuts[cuts.length - 1]) cuts.push(v);
  }
  return Float64Array.from(cuts);
}

/** Bin of one numeric value: the first bin whose upper edge is >= v (values above the max fall in the last). */
export function numericBin(b: PredictorBinning, v: number): number {
  if (Number.isNaN(v) || b.cuts.length === 0) return b.missingBin;
  // All but the last edge are searched: values above the max land in the last bin.
  return lowerBound(b.cuts, v, 0, b.cuts.length - 1);
}

/** Bins of a whole column (training or synthetic values). */
export function binColumn(b: PredictorBinning, data: Float64Array | Int32Array, out = new Uint16Array(data.length)): Uint16Array {
  if (b.ordered) {
    for (let i = 0; i < data.length; i++) out[i] = numericBin(b, data[i]);
  } else {
    const last = b.missingBin - 1;
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      out[i] = c < 0 ? b.missingBin : c > last ? last : c;
    }
  }
  return out;
}
