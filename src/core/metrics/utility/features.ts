/**
 * Features for the utility models, as small bin codes (one byte per value):
 * numbers in up to 31 quantile bins of the model's own training rows, categories as their codes
 * (the 31 most frequent, the rest as "other"); a missing value is a bin of its own, so nothing is
 * imputed and missingness can itself be a signal, as it is for the histogram gradient boosting of
 * the judge.
 */
import { quantileInnerEdges, binByEdges, categoryCodes } from '../discretize';

export const MAX_BINS = 32;

export interface FeatureSpec {
  kind: 'numeric' | 'categorical';
  /** Numeric: inner quantile edges. */
  edges: Float64Array;
  /** Categorical: level code → bin (missing at index nLevels). */
  levelToBin: Int32Array;
  nBins: number;
  /** Whether bin order means something (numbers) or bins are nominal (categories). */
  ordered: boolean;
}

export function fitFeature(values: Float64Array | Int32Array, nLevels: number | null): FeatureSpec {
  if (values instanceof Float64Array) {
    const edges = quantileInnerEdges(values, MAX_BINS - 1);
    return { kind: 'numeric', edges, levelToBin: new Int32Array(0), nBins: edges.length + 2, ordered: true };
  }
  const n = nLevels ?? 0;
  // Reuse the top-k folding of the accuracy bins on the identity of every level.
  const all = Int32Array.from({ length: n + 1 }, (_, i) => (i === n ? -1 : i));
  const d = categoryCodes(values, n, [all], MAX_BINS - 1);
  return { kind: 'categorical', edges: new Float64Array(0), levelToBin: d.codes[0], nBins: d.nCodes, ordered: false };
}

export function encodeFeature(spec: FeatureSpec, values: Float64Array | Int32Array): Uint8Array {
  if (spec.kind === 'numeric') return Uint8Array.from(binByEdges(values as Float64Array, spec.edges));
  const out = new Uint8Array(values.length);
  const missing = spec.levelToBin.length - 1;
  for (let i = 0; i < values.length; i++) {
    const k = values[i];
    out[i] = spec.levelToBin[k < 0 || k >= missing ? missing : k];
  }
  return out;
}
