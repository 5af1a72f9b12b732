/** Gathering model inputs from aligned columns: chosen rows, binned features, encoders fitted on the training rows. */
import type { AlignedColumn, Part } from '../align';
import type { BinnedData } from './forest';
import { encodeFeature, fitFeature, type FeatureSpec } from './features';
import { takeFloat, takeInt } from '../sample';

export function gather(c: AlignedColumn, part: Part, rows: Int32Array): Float64Array | Int32Array {
  return c.kind === 'numeric' ? takeFloat(c[part], rows) : takeInt(c[part], rows);
}

export function concatValues(a: Float64Array | Int32Array, b: Float64Array | Int32Array): Float64Array | Int32Array {
  const out = a instanceof Float64Array ? new Float64Array(a.length + b.length) : new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function fitSpecs(features: AlignedColumn[], values: (Float64Array | Int32Array)[]): FeatureSpec[] {
  return features.map((c, j) => fitFeature(values[j], c.kind === 'categorical' ? c.levels.length : null));
}

export function binned(specs: FeatureSpec[], values: (Float64Array | Int32Array)[]): BinnedData {
  return {
    x: specs.map((s, j) => encodeFeature(s, values[j])),
    nBins: specs.map((s) => s.nBins),
    ordered: specs.map((s) => s.ordered),
    nRows: values.length ? values[0].length : 0,
  };
}

/** Rows of `part` whose target is present. */
export function rowsWithTarget(target: AlignedColumn, part: Part): Int32Array {
  const v = target[part];
  const rows: number[] = [];
  for (let i = 0; i < v.length; i++) if (target.kind === 'numeric' ? !Number.isNaN(v[i]) : v[i] >= 0) rows.push(i);
  return Int32Array.from(rows);
}
