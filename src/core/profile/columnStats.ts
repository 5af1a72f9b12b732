import type { ColumnSchema } from '../schema/schema';
import type { CategoricalColumn, Column, NumericColumn } from '../table/table';
import { countDistinctSorted, quantileSorted, sortedPresent } from '../stats/quantiles';
import type { ColumnProfile, HistogramBin, NumericSummary, TopValue } from './types';

const QUANTILE_PS = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];
const TOP_VALUES = 20;

export function numericSummary(sorted: Float64Array): NumericSummary {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  const mean = sum / sorted.length;
  let ss = 0;
  for (let i = 0; i < sorted.length; i++) ss += (sorted[i] - mean) ** 2;
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean,
    std: sorted.length > 1 ? Math.sqrt(ss / (sorted.length - 1)) : 0,
    quantiles: QUANTILE_PS.map((p) => ({ p, value: quantileSorted(sorted, p) })),
  };
}

/**
 * Bins by the Freedman–Diaconis rule (robust to outliers), between 1 and 50 bins; integer columns with few
 * values get one bin per value so bars sit on the integers.
 */
export function histogram(sorted: Float64Array, integer: boolean): HistogramBin[] {
  const n = sorted.length;
  if (n === 0) return [];
  const min = sorted[0];
  const max = sorted[n - 1];
  if (min === max) return [{ x0: min, x1: max, count: n }];
  let bins: number;
  if (integer && max - min < 50) bins = max - min + 1;
  else {
    const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
    const width = iqr > 0 ? (2 * iqr) / Math.cbrt(n) : (max - min) / Math.max(1, Math.ceil(Math.log2(n) + 1));
    bins = Math.max(1, Math.min(50, Math.ceil((max - min) / width)));
  }
  const lo = integer && max - min < 50 ? min - 0.5 : min;
  const hi = integer && max - min < 50 ? max + 0.5 : max;
  const w = (hi - lo) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({ x0: lo + b * w, x1: b === bins - 1 ? hi : lo + (b + 1) * w, count: 0 }));
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor((sorted[i] - lo) / w));
    out[b].count++;
  }
  return out;
}

export function levelCounts(c: CategoricalColumn): Int32Array {
  const counts = new Int32Array(c.levels.length);
  for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) counts[c.codes[i]]++;
  return counts;
}


/** Column statistics; `sorted` / `counts` are passed in when the caller already computed them. */
export function profileColumn(column: Column, schemaCol: ColumnSchema, cache: { sorted?: Float64Array; counts?: Int32Array }): ColumnProfile {
  const n = column.type === 'numeric' ? column.values.length : column.codes.length;
  if (column.type === 'numeric') {
    const sorted = cache.sorted ?? sortedPresent(column.values);
    const base = { name: column.name, kind: schemaCol.kind, count: sorted.length, missing: n - sorted.length, distinct: countDistinctSorted(sorted) };
    if (sorted.length === 0) return base;
    return {
      ...base,
      numeric: numericSummary(sorted),
      histogram: histogram(sorted, schemaCol.kind === 'integer'),
    };
  }
  const counts = cache.counts ?? levelCounts(column);
  let present = 0;
  let distinct = 0;
  // The TOP_VALUES most frequent levels (ties: first level first), kept sorted as levels go by: no sort of
  // every level, which an ID column with a million of them would make slow.
  const order: number[] = [];
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (c > 0) {
      present += c;
      distinct++;
      if (order.length === TOP_VALUES && c <= counts[order[TOP_VALUES - 1]]) continue;
      let at = order.length === TOP_VALUES ? TOP_VALUES - 1 : order.length;
      while (at > 0 && counts[order[at - 1]] < c) {
        if (at < TOP_VALUES) order[at] = order[at - 1];
        at--;
      }
      order[at] = k;
    }
  }
  const topValues: TopValue[] = order.slice(0, TOP_VALUES).map((k) => ({ value: column.levels[k], count: counts[k] }));
  const shown = topValues.reduce((s, t) => s + t.count, 0);
  return { name: column.name, kind: schemaCol.kind, count: present, missing: n - present, distinct, topValues, otherCount: present - shown };
}
